"""A derivation on screen: lines of LaTeX that step from one to the next
with :class:`~scenes.kit.tex_steps.TexStep`, each step with its hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from manim import (
    DL, DOWN, DR, UP, Animation, AnimationGroup, Create, FadeIn, FadeOut, Line, Succession, VGroup, VMobject,
)

from scenes.kit import palette
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import caption, math

__all__ = ["Derivation", "hint_text"]


def hint_text(words: str, size="note", color=palette.MUTED) -> VMobject:
    """A hint beside a step: words in the house font, or maths between $ signs."""
    if len(words) > 1 and words.startswith("$") and words.endswith("$"):
        return math(words[1:-1], size=size, color=color)
    return caption(words, size, color)


class Derivation:
    """A derivation shown on one line, one step at a time, with a hint beneath.

    ``states`` are the equations as lists of MathTex parts; ``moves[k]`` holds
    the :class:`TexStep` arguments that turn state k into state k + 1 (a copy
    may name a term elsewhere on screen by a string, resolved from ``terms``
    when the step plays); ``hints[k]`` is the hint of step k (words, or maths
    between $ signs): it changes only when the text changes, the old hint
    fading out before the new one fades in. ``paint`` colours a built state.

        d = Derivation(STATES, MOVES, HINTS, y=-0.7, hint_y=-2.2)
        self.play(Write(d.states[0]))
        for k in range(len(MOVES)):
            d.play_step(self, k, terms={"helper": helper_line[2:]})
    """

    def __init__(self, states: Sequence[Sequence[str]], moves: Sequence[dict], hints: Sequence[str] | None = None,
                 size="title", paint=None, y: float = 0.0, hint_y: float = -1.5, hint_size="note"):
        if len(moves) != len(states) - 1 or (hints is not None and len(hints) != len(moves)):
            raise ValueError(f"a derivation of {len(states)} states needs {len(states) - 1} moves and as many "
                             f"hints, not {len(moves)} moves and {len(hints or ())} hints")
        self.states = [math(*s, size=size).set_y(y) for s in states]
        if paint is not None:
            for s in self.states:
                paint(s)
        self.moves, self.hints = list(moves), list(hints) if hints is not None else None
        self.hint_y, self.hint_size = hint_y, hint_size
        self.hint: VMobject | None = None
        self.looks = VGroup()  # underlines drawn by look_at, until the next step

    def get_step(self, k: int, terms: dict | None = None) -> TexStep:
        """The TexStep from state k to state k + 1 (named copies resolved from ``terms``)."""
        mv = dict(self.moves[k])
        if "copies" in mv:
            missing = [s for s, _ in mv["copies"] if isinstance(s, str) and s not in (terms or {})]
            if missing:
                raise KeyError(f"step {k} copies {missing}: pass them in terms={{name: mobject}}")
            mv["copies"] = [((terms or {})[s] if isinstance(s, str) else s, j) for s, j in mv["copies"]]
        return TexStep(self.states[k], self.states[k + 1], **mv)

    def step_animations(self, k: int, terms: dict | None = None, run_time: float = 1.8,
                        light=None) -> tuple[Succession | None, TexStep, Animation | None]:
        """Step k as (before, step, after): before, the underlines and a
        changed hint fade out, the new hint fades in and ``light`` (a term
        elsewhere that the step copies from) lights up; then the step; after,
        the light goes out. ``before`` and ``after`` may be None.

        The step must be a play call of its own: a TexStep takes its source
        off the screen when it begins, and inside a Succession it begins after
        the scene has drawn every still mobject (the source too) once for the
        whole call, so the source would stay on screen under the moving glyphs."""
        swap = self.hints is not None and (k == 0 or self.hints[k] != self.hints[k - 1])
        gone = [m for m in (self.hint if swap else None, self.clear_looks()) if m is not None]
        parts = [AnimationGroup(*[FadeOut(m) for m in gone], run_time=0.4)] if gone else []
        if swap:
            self.hint = hint_text(self.hints[k], self.hint_size).set_y(self.hint_y)
            parts.append(FadeIn(self.hint, shift=0.15 * UP, run_time=0.5))
        if light is not None:
            parts.append(light.animate(run_time=0.5).set_color(palette.ACCENT))
        step = self.get_step(k, terms)
        step.run_time = run_time
        after = light.animate(run_time=0.3).set_color(palette.TEXT).build() if light is not None else None
        return (Succession(*parts) if parts else None), step, after

    def play_step(self, scene, k: int, terms: dict | None = None, run_time: float = 1.8, light=None) -> None:
        """Play :meth:`step_animations`: what comes before, the step, what comes after."""
        for anim in self.step_animations(k, terms, run_time, light):
            if anim is not None:
                scene.play(anim)

    def look_at(self, scene, state: int, parts: Iterable[int], color=palette.GD_COLOR, run_time: float = 0.8):
        """Point at some parts of a state: they take ``color`` and a line is
        drawn under them, until the next step (or ``clear_looks``)."""
        group = VGroup(*[self.states[state][i] for i in parts])
        line = Line(group.get_corner(DL), group.get_corner(DR), color=color, stroke_width=4).shift(0.12 * DOWN)
        self.looks.add(line)
        scene.play(Create(line), group.animate.set_color(color), run_time=run_time)

    def clear_looks(self) -> VGroup | None:
        """The underlines drawn so far (to fade out), forgotten; None if there are none."""
        if not len(self.looks):
            return None
        old, self.looks = self.looks, VGroup()
        return old

    def play_marks(self, scene, text: str, terms: dict | None = None, looks: dict | None = None,
                   lights: dict | None = None, run_time: float = 1.8, look_color=palette.GD_COLOR) -> None:
        """Inside a voiceover block of ``text``: at each ``<bookmark mark='sK'/>`` play
        step K; at a mark named in ``looks`` ({mark: (state, part indices)}) point
        at those parts of that state (:meth:`look_at`; the underlines of an
        earlier block go first). ``lights`` ({K: mobject}) lights up a term
        elsewhere (the helper line a copy comes from) while step K plays."""
        old = self.clear_looks()
        if old is not None:
            scene.play(FadeOut(old), run_time=0.4)
        for mark in re.findall(r"<bookmark\s+mark=['\"]([^'\"]+)['\"]\s*/>", text):
            scene.wait_until_bookmark(mark)
            if mark in (looks or {}):
                self.look_at(scene, *looks[mark], color=look_color)
            elif re.fullmatch(r"s\d+", mark):
                k = int(mark[1:])
                self.play_step(scene, k, terms, run_time=run_time, light=(lights or {}).get(k))
