"""One algebra step: matching terms move to their new places, glyph by glyph.

:class:`TexStep` turns one ``MathTex`` into the next. It works on the parts
of the two equations (the strings passed to ``MathTex``) and, inside a pair
of parts, on their glyphs:

- **moves**: a source part goes to a target part. Their glyphs are paired in
  reading order by shape (the longest common subsequence), so the ``l`` and
  ``n`` of ``\\ln p`` travel to the ``l`` and ``n`` of ``-\\ln(1+e^{-z})``; a
  lone glyph that changes in place (``-`` to ``+``, ``y`` to ``1``) morphs;
  the other glyphs fade out or in. With ``mobject=None`` the step builds
  ``target`` from copies alone (a line assembled from terms elsewhere). Parts with the same TeX are paired
  automatically (in reading order, then any left over in order), so a step
  only names what the eye could not guess: ``pairs=[(i, j), ...]`` with part
  indices (or tuples of indices: several parts taken as one), or
  ``key_map={tex: tex}``. Two sources may go to one target (gathering terms).
- **copies**: ``copies=[(src, j), ...]`` flies a copy of source part(s)
  ``src``, or of any other mobject (a term of a helper line), to target part
  ``j``; the original stays where it is (TransformFromCopy).
- **arc**: ``arc=angle`` (radians) sends the moves and copies that travel
  sideways along arcs: rightwards above the line, leftwards below it, so
  terms trading places do not run through each other.
- **cancel**: ``cancel=[i, ...]`` source parts turn ``cancel_color`` and
  fade out *before* anything else moves (cancelling pairs, replaced terms).
  ``mark=[i, ...]`` parts are coloured at the same time and then move
  (the factors being gathered, a sign about to flip).

The step runs in phases: colour the cancelled and marked parts, fade the
cancelled ones, then everything moves; glyphs with nowhere to go fade out in
the first half of the move, new glyphs fade in during the second half. After
the step the scene holds ``target`` (not the source), exactly as with
``TransformMatchingTex``::

    a = MathTex("L", "=", "-", "y", r"\\big(", "-", r"\\ln q", r"\\big)")
    b = MathTex("L", "=", "y", r"\\ln q")
    self.play(TexStep(a, b, cancel=[2, 5]), run_time=2)  # the two minus signs cancel

``TexStep`` records what it will do (``part_pairs``, ``moved``, ``faded_out``,
``faded_in``, ``copied``) so tests can check that a step moves its terms
rather than dissolving them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from manim import Animation, MathTex, Mobject, VGroup, VMobject, smooth
from manim.animation.transform_matching_parts import TransformMatchingShapes
from manim.utils.paths import path_along_arc

from scenes.kit import palette

__all__ = ["TexStep", "tex_parts", "glyphs", "match_glyphs", "CANCEL_COLOR"]

#: Terms that cancel turn this colour before they fade.
CANCEL_COLOR = palette.SGD_COLOR
#: Between two matched glyphs, up to this many glyphs changed one for one morph
#: (``-z`` set small in an exponent becoming ``-z`` on the line); more fade.
MORPH_MAX = 3
#: With ``arc``, glyphs travelling farther sideways than this take the arc.
ARC_MIN = 0.5


def tex_parts(mob: MathTex) -> dict[str, VGroup]:
    """The parts of a MathTex grouped by their TeX string, in order."""
    out: dict[str, VGroup] = {}
    for sm in mob.submobjects:
        out.setdefault(sm.tex_string, VGroup()).add(sm)
    return out


def glyphs(mob: Mobject) -> list[VMobject]:
    """The drawn shapes of a mobject (a part, a whole MathTex), in reading order."""
    return [m for m in mob.get_family() if m.has_points()]


def _key(glyph: VMobject) -> int:
    return TransformMatchingShapes.get_mobject_key(glyph)


def _lcs(a: Sequence, b: Sequence) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of a and b. Ties go to the
    later elements (the denominator's 1 of 1/(1+e^-z) rather than the numerator's)."""
    n, m = len(a), len(b)
    dp = np.zeros((n + 1, m + 1), dtype=int)
    for i in range(n):
        for j in range(m):
            dp[i + 1, j + 1] = dp[i, j] + 1 if a[i] == b[j] else max(dp[i, j + 1], dp[i + 1, j])
    out, i, j = [], n, m
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1] and dp[i, j] == dp[i - 1, j - 1] + 1:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif dp[i - 1, j] >= dp[i, j - 1]:
            i -= 1
        else:
            j -= 1
    return out[::-1]


def match_glyphs(src: Sequence[VMobject], dst: Sequence[VMobject]):
    """Pair glyphs of ``src`` with glyphs of ``dst``: equal shapes in reading
    order, plus the glyphs changed in place between two pairs (``-`` to ``+``;
    up to ``MORPH_MAX`` of them, as many before as after).
    Returns ``(pairs, lost, new)``: index pairs, unpaired src and dst indices."""
    pairs = _lcs([_key(g) for g in src], [_key(g) for g in dst])
    out = []
    prev = (-1, -1)
    for cur in pairs + [(len(src), len(dst))]:
        gap_s = range(prev[0] + 1, cur[0])
        gap_d = range(prev[1] + 1, cur[1])
        if len(gap_s) == len(gap_d) <= MORPH_MAX:  # a few glyphs changed in place: morph them
            out += list(zip(gap_s, gap_d))
        if cur[0] < len(src):
            out.append(cur)
        prev = cur
    used_s = {i for i, _ in out}
    used_d = {j for _, j in out}
    return out, [i for i in range(len(src)) if i not in used_s], [j for j in range(len(dst)) if j not in used_d]


class _Track:
    """One glyph on its way: states at times in [0, 1], eased between; the
    last stretch along ``path`` (a manim path function, straight if None)."""

    def __init__(self, states: list[tuple[float, VMobject]], path=None, kind: str = "move", source=None,
                 target=None):
        self.states = states
        self.path, self.kind = path, kind  # kind: "cancel", "move", "copy", "out" or "in"
        self.source, self.target = source, target  # the glyphs it comes from and goes to
        self.piece = _clone(states[0][1])

    def at(self, alpha: float) -> None:
        ts = [t for t, _ in self.states]
        if alpha <= ts[0]:
            self.piece.become(self.states[0][1])
            return
        last = len(self.states) - 2
        for k, ((t0, a), (t1, b)) in enumerate(zip(self.states, self.states[1:])):
            if alpha <= t1:
                u = 1.0 if t1 <= t0 else smooth((alpha - t0) / (t1 - t0))
                if k == last and self.path is not None:
                    self.piece.interpolate(a, b, u, path_func=self.path)
                else:
                    self.piece.interpolate(a, b, u)
                return
        self.piece.become(self.states[-1][1])


def _clone(mob: VMobject) -> VMobject:
    """A glyph's shape and style, without deep-copying what it was parsed
    from (ten times faster than ``copy()`` for a MathTex glyph)."""
    out = VMobject()
    out.points = mob.points.copy()
    out.set_style(**mob.get_style(), family=False)
    return out


def _faded(mob: VMobject) -> VMobject:
    return _clone(mob).set_opacity(0)


def _coloured(mob: VMobject, color) -> VMobject:
    return _clone(mob).set_fill(color).set_stroke(color)


class TexStep(Animation):
    """One algebra step from ``mobject`` (a MathTex on screen) to ``target``
    (a MathTex placed where it should end). See the module docstring."""

    def __init__(self, mobject: MathTex | None, target: MathTex, *, pairs: Iterable = (), key_map: dict | None = None,
                 copies: Iterable = (), cancel: Iterable[int] = (), mark: Iterable[int] = (),
                 cancel_color=CANCEL_COLOR, mark_color=palette.ACCENT, lead: float = 0.4, arc: float = 0.0,
                 run_time: float = 2.0, **kwargs):
        self.source, self.target = mobject, target
        src, dst = list(mobject.submobjects) if mobject is not None else [], list(target.submobjects)
        ns, nd = len(src), len(dst)

        def idx(x, n, side) -> tuple[int, ...]:
            t = (x,) if isinstance(x, (int, np.integer)) else tuple(x)
            bad = [i for i in t if not -n <= i < n]
            if not t or bad:
                raise IndexError(f"TexStep: {side} part {x!r} does not exist: the {side} has parts 0 to {n - 1} "
                                 f"({' | '.join(p.tex_string for p in (src if side == 'source' else dst))})")
            return tuple(i % n for i in t)

        self.cancel = sorted({idx(i, ns, "source")[0] for i in cancel})
        self.mark = sorted({idx(i, ns, "source")[0] for i in mark} - set(self.cancel))
        explicit = [(idx(a, ns, "source"), idx(b, nd, "target")) for a, b in pairs]
        for k1, k2 in (key_map or {}).items():
            a = next((i for i, p in enumerate(src) if p.tex_string == k1), None)
            b = next((j for j, p in enumerate(dst) if p.tex_string == k2), None)
            if a is None or b is None:
                raise KeyError(f"key_map pair {k1!r} -> {k2!r}: part missing from the "
                               f"{'source' if a is None else 'target'}")
            explicit.append(((a,), (b,)))
        self.copied: list[tuple[object, tuple[int, ...]]] = []
        for s, j in copies:
            s = s if isinstance(s, Mobject) else idx(s, ns, "source")
            self.copied.append((s, idx(j, nd, "target")))

        # parts the step names are not paired automatically
        taken_s = set(self.cancel) | {i for a, _ in explicit for i in a}
        taken_d = {j for _, b in explicit for j in b} | {j for _, b in self.copied for j in b}
        free_s = [i for i in range(ns) if i not in taken_s]
        free_d = [j for j in range(nd) if j not in taken_d]
        auto = [(free_s[a], free_d[b]) for a, b in _lcs([src[i].tex_string for i in free_s],
                                                          [dst[j].tex_string for j in free_d])]
        left_s = [i for i in free_s if i not in {a for a, _ in auto}]
        left_d = [j for j in free_d if j not in {b for _, b in auto}]
        for i in left_s:  # same TeX out of order: pair in reading order
            j = next((j for j in left_d if dst[j].tex_string == src[i].tex_string), None)
            if j is not None:
                auto.append((i, j))
                left_d.remove(j)
        self.part_pairs = sorted(explicit + [((a,), (b,)) for a, b in auto])
        paired_s = {i for a, _ in self.part_pairs for i in a}
        reached_d = {j for _, b in self.part_pairs for j in b} | {j for _, b in self.copied for j in b}
        self.gone_parts = [i for i in range(ns) if i not in paired_s and i not in self.cancel]
        self.new_parts = [j for j in range(nd) if j not in reached_d]

        # glyph plan: (source glyph, target glyph) moves, copies, fades
        def part_glyphs(parts, ids):
            return [g for i in ids for g in glyphs(parts[i])]

        self.moved: list[tuple[VMobject, VMobject]] = []
        self.copy_moves: list[tuple[VMobject, VMobject]] = []
        self.faded_out = [g for i in self.gone_parts for g in glyphs(src[i])]
        self.cancelled = [g for i in self.cancel for g in glyphs(src[i])]
        self.faded_in = [g for j in self.new_parts for g in glyphs(dst[j])]
        self.marked = {id(g) for i in self.mark for g in glyphs(src[i])}
        for a, b in self.part_pairs:
            gs, gd = part_glyphs(src, a), part_glyphs(dst, b)
            pairs_g, lost, new = match_glyphs(gs, gd)
            self.moved += [(gs[i], gd[j]) for i, j in pairs_g]
            self.faded_out += [gs[i] for i in lost]
            self.faded_in += [gd[j] for j in new]
        for s, b in self.copied:
            gs = glyphs(s) if isinstance(s, Mobject) else part_glyphs(src, s)
            gd = part_glyphs(dst, b)
            pairs_g, _, new = match_glyphs(gs, gd)
            self.copy_moves += [(gs[i], gd[j]) for i, j in pairs_g]
            self.faded_in += [gd[j] for j in new]
        # a target glyph reached twice (merging terms) keeps every piece; one
        # reached only by fading in cannot also be reached by a move
        reached = {id(g) for _, g in self.moved + self.copy_moves}
        self.faded_in = [g for g in self.faded_in if id(g) not in reached]
        self.lead = float(lead) if (self.cancel or self.mark) else 0.0
        self.cancel_color, self.mark_color, self.arc = cancel_color, mark_color, float(arc)
        self._scene = None
        self.tracks: list[_Track] = []
        kwargs.setdefault("rate_func", lambda t: t)  # phases ease on their own
        super().__init__(VGroup(), run_time=run_time, **kwargs)

    @property
    def moved_share(self) -> float:
        """The share of the target's glyphs that arrive by moving (not by fading in)."""
        total = len(glyphs(self.target))
        return 1.0 - len(self.faded_in) / total if total else 1.0

    # -- the animation ------------------------------------------------------
    def _build_tracks(self) -> list[_Track]:
        m0 = self.lead
        c1, c2 = 0.5 * m0, m0  # colour, then fade the cancelled parts
        half = m0 + 0.5 * (1 - m0)
        tracks = []
        for g in self.cancelled:
            red = _coloured(g, self.cancel_color)
            tracks.append(_Track([(0.0, _clone(g)), (c1, red), (c2, _faded(red))], kind="cancel", source=g))
        for kind, pairs in (("move", self.moved), ("copy", self.copy_moves)):
            for g, t in pairs:
                a, b = _clone(g), _clone(t)
                if len(a.points) != len(b.points):
                    a.align_points(b)
                states = [(0.0, a)]
                if id(g) in self.marked:
                    states += [(c1, _coloured(a, self.mark_color)), (m0, _coloured(a, self.mark_color))]
                states += [(m0, _clone(states[-1][1])), (1.0, b)]
                far = abs(b.get_center()[0] - a.get_center()[0]) > ARC_MIN
                path = path_along_arc(-self.arc) if self.arc and far else None
                tracks.append(_Track(states, path, kind, source=g, target=t))
        for g in self.faded_out:
            tracks.append(_Track([(0.0, _clone(g)), (m0, _clone(g)), (half, _faded(g))], kind="out", source=g))
        for g in self.faded_in:
            tracks.append(_Track([(0.0, _faded(g)), (m0 + 0.4 * (1 - m0), _faded(g)), (1.0, _clone(g))], kind="in",
                                 target=g))
        return tracks

    def _setup_scene(self, scene) -> None:
        super()._setup_scene(scene)
        self._scene = scene

    def begin(self) -> None:
        self.tracks = self._build_tracks()
        self.mobject.submobjects = []
        self.mobject.add(*[t.piece for t in self.tracks])
        if self._scene is not None and self.source is not None:  # its parts may be on screen on their own
            self._scene.remove(self.source, *self.source.submobjects)
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        alpha = self.rate_func(alpha)
        for t in self.tracks:
            t.at(alpha)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.mobject)
        if self.source is not None:
            scene.remove(self.source, *self.source.submobjects)
        scene.add(self.target)
