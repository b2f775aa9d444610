"""Animations that play landscapes, and the pieces that draw training.

``Quake`` plays a sequence of landscapes on anything with ``set_between``
(a LossSurface, a ContourMap, a LossReadout), morphing through the
interpolated grids; the mobjects rewrite their points in place each frame.
"""

from __future__ import annotations

import numpy as np
from manim import (
    Animation, Arrow, Dot, Mobject, VGroup, VMobject, linear, smooth,
)

from scenes.kit import palette
from scenes.kit.text import Number

__all__ = [
    "Quake", "quakes", "LossReadout", "StepArrow", "PathTrace", "quake_run_time", "weight_dot",
    "Walker", "WalkOnQuake", "walk_on_quake",
]


def quake_run_time(story, changes: int) -> float:
    """Seconds for ``changes`` batch changes at the story's pace: each change
    takes ``morph_frames`` frames of a 60 fps video."""
    return changes * story.morph_frames / 60.0


class Quake(Animation):
    """Morph through landscapes Zs[0] -> Zs[1] -> ... on every target.

    Each change eases in and out (``change_rate``), so the landscape pauses
    for an instant on every batch's own landscape. The animation's own
    rate_func is linear: the batches follow each other at an even pace.
    """

    def __init__(self, target, Zs, change_rate=smooth, run_time=None, story=None, **kwargs):
        self.target = target
        self.Zs = np.asarray(Zs, dtype=float)
        if len(self.Zs) < 2:
            raise ValueError("a quake needs at least two landscapes")
        self.change_rate = change_rate
        if run_time is None:
            if story is None:
                raise ValueError("give run_time or story (for the story's pace)")
            run_time = quake_run_time(story, len(self.Zs) - 1)
        super().__init__(target, run_time=run_time, rate_func=linear, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()  # nothing to copy: the targets recompute from Zs

    def state_at(self, alpha: float):
        """(k, t): between landscapes k and k + 1, at in-between time t."""
        n = len(self.Zs) - 1
        x = float(np.clip(alpha, 0, 1)) * n
        k = min(int(x), n - 1)
        return k, float(self.change_rate(x - k))

    def interpolate_mobject(self, alpha: float) -> None:
        k, t = self.state_at(alpha)
        self.target.set_between(self.Zs[k], self.Zs[k + 1], t)


def quakes(targets, Zs, **kwargs) -> list[Quake]:
    """One Quake per target, on the same landscapes and time base:
    ``self.play(*quakes([surface, pin], Zs, story=S))``. (Each target must be
    its own animation so the scene redraws it every frame.)"""
    return [Quake(t, Zs, **kwargs) for t in targets]


class LossReadout(VGroup):
    """A number that shows a landscape's value at one grid point."""

    def __init__(self, index, Z, label=None, num_decimal_places: int = 2, font_size="body",
                 color=palette.ACCENT, **kwargs):
        super().__init__(**kwargs)
        self.index = tuple(index)
        self.number = Number(float(np.asarray(Z)[self.index]), decimals=num_decimal_places,
                             size=font_size, color=color)
        if label is not None:
            label.next_to(self.number, np.array([-1.0, 0, 0]), buff=0.15)
            self.add(label)
        self.label = label
        self.add(self.number)

    def value_of(self, Z) -> float:
        return float(np.asarray(Z)[self.index])

    def set_landscape(self, Z) -> "LossReadout":
        self.number.set_value(self.value_of(Z))
        return self

    def set_between(self, Z0, Z1, t: float) -> "LossReadout":
        # only the one grid value is needed: interpolate it, not the grids
        a = float(np.asarray(Z0)[self.index])
        b = float(np.asarray(Z1)[self.index])
        self.number.set_value((1 - t) * a + t * b)
        return self


class StepArrow(Arrow):
    """The update step of training at weights w: from w to w - lr * g.

    ``to_screen`` maps weights to screen points (ContourMap.w2p). The arrow's
    tip is exactly the next weights, so the dot lands on it.
    """

    def __init__(self, to_screen, w, step, color=palette.GRADIENT_COLOR, **kwargs):
        self.to_screen = to_screen
        self.w = np.asarray(w, dtype=float)
        self.step = np.asarray(step, dtype=float)
        kwargs.setdefault("buff", 0)
        kwargs.setdefault("stroke_width", 5)
        kwargs.setdefault("max_tip_length_to_length_ratio", 0.35)
        kwargs.setdefault("max_stroke_width_to_length_ratio", 12)
        super().__init__(to_screen(self.w), to_screen(self.w + self.step), color=color, **kwargs)


class PathTrace(VMobject):
    """A polyline through weights, drawn on a map (or any weights->screen map)."""

    def __init__(self, to_screen, weights=None, color=palette.SGD_COLOR, stroke_width: float = 3, **kwargs):
        super().__init__(stroke_color=color, stroke_width=stroke_width, fill_opacity=0, **kwargs)
        self.to_screen = to_screen
        self.weights = np.zeros((0, 2))
        if weights is not None:
            self.set_weights(weights)

    def set_weights(self, weights) -> "PathTrace":
        self.weights = np.asarray(weights, dtype=float).reshape(-1, 2)
        if len(self.weights) >= 2:
            self.set_points_as_corners(self.to_screen(self.weights))
        else:
            self.clear_points()
        return self

    def add_weight(self, w) -> "PathTrace":
        return self.set_weights(np.vstack([self.weights, np.asarray(w, dtype=float).reshape(1, 2)]))


def weight_dot(to_screen, w, color=palette.ACCENT, radius: float = 0.08) -> Dot:
    """A dot at weights w, outlined so it reads on pale and dark ground."""
    dot = Dot(to_screen(np.asarray(w, dtype=float)), radius=radius, color=color)
    return dot.set_stroke(palette.BACKGROUND, width=2)


class Walker:
    """A training run drawn on a map: a dot at the current weights and the
    trace of the path so far. ``weights`` (T + 1, 2) is the whole run
    (``quake_math.Trajectory.weights``); ``place(k, t)`` puts the dot a
    fraction t of the way through step k, the trace following it."""

    def __init__(self, to_screen, weights, color=palette.SGD_COLOR, radius: float = 0.08,
                 stroke_width: float = 3.5):
        self.to_screen = to_screen
        self.weights = np.asarray(weights, dtype=float)
        self.dot = weight_dot(to_screen, self.weights[0], color=color, radius=radius)
        self.trace = PathTrace(to_screen, self.weights[:1], color=color, stroke_width=stroke_width,
                               background_stroke_color=palette.BACKGROUND,
                               background_stroke_width=stroke_width + 3)
        self.mobjects = VGroup(self.trace, self.dot)

    def place(self, k: int, t: float = 0.0) -> "Walker":
        W = self.weights
        k = int(np.clip(k, 0, len(W) - 1))
        w = W[k] if k + 1 >= len(W) else W[k] + t * (W[k + 1] - W[k])
        self.dot.move_to(self.to_screen(w))
        self.trace.set_weights(np.vstack([W[: k + 1], w[None]]))
        return self


class WalkOnQuake(Animation):
    """Walkers step on a quaking map, steps ``first`` to ``last``: during
    step k the map shows batch k's landscape ``Zs[k]`` and every walker moves
    from its weights[k] to weights[k+1]; then the map morphs to ``Zs[k+1]``
    through the in-between landscapes. ``move_share`` is the part of each
    step's time spent moving (the rest morphs). With ``Zs=None`` the map is
    left alone (a walk on a still map)."""

    def __init__(self, cmap, Zs, walkers, first: int = 0, last: int | None = None,
                 move_share: float = 0.5, **kwargs):
        self.cmap = cmap
        self.Zs = None if Zs is None else np.asarray(Zs)
        self.walkers = list(walkers)
        self.first = int(first)
        steps = len(self.walkers[0].weights) - 1
        self.last = (steps if self.Zs is None else min(steps, len(self.Zs))) if last is None else int(last)
        if not 0 <= self.first < self.last:
            raise ValueError(f"steps {self.first}..{self.last} are not a range of steps")
        self.move_share = float(move_share)
        self._shown = None
        kwargs.setdefault("rate_func", linear)
        super().__init__(cmap, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()

    def state_at(self, alpha: float):
        """(k, move, morph): step k, the walkers' progress and the map's."""
        n = self.last - self.first
        x = float(np.clip(alpha, 0, 1)) * n
        k = min(int(x), n - 1)
        u = x - k
        move = smooth(min(u / self.move_share, 1.0)) if self.move_share > 0 else 1.0
        morph = smooth((u - self.move_share) / (1 - self.move_share)) if u > self.move_share else 0.0
        return self.first + k, move, morph

    def interpolate_mobject(self, alpha: float) -> None:
        k, move, morph = self.state_at(alpha)
        if self.Zs is not None:
            key = (k, morph) if k + 1 < len(self.Zs) and morph > 0 else (k, 0.0)
            if key != self._shown:
                if key[1] > 0:
                    self.cmap.set_between(self.Zs[k], self.Zs[k + 1], morph)
                else:
                    self.cmap.set_landscape(self.Zs[k])
            self._shown = key
        for walker in self.walkers:
            walker.place(k, move)


def walk_on_quake(cmap, Zs, walkers, first=0, last=None, **kwargs) -> list[Animation]:
    """:class:`WalkOnQuake` plus an identity animation for every walker's
    dot and trace, so the scene redraws them each frame:
    ``self.play(*walk_on_quake(cmap, Zs, walkers, run_time=10))``."""
    run_time = kwargs.get("run_time", 1.0)
    keep = [Animation(m, run_time=run_time) for w in walkers for m in (w.trace, w.dot)]
    return [WalkOnQuake(cmap, Zs, walkers, first, last, **kwargs), *keep]
