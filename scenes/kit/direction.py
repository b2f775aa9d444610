"""Which way a walk goes, drawn so the eye can compare turns.

- :func:`direction_arrow`: an arrow of fixed screen length from a point of a
  map along a direction in weights (a slope, a step); only its direction is
  meant, so short steps stay readable.
- :class:`DirectionDial`: a small dial whose needle points along a walk's
  step k (``point(k)``); :class:`SpinThrough` turns it through steps
  ``first..last``: a walk that zigzags spins the needle, a steady one turns
  it slowly. Steps of zero length keep the needle where it was (a walk
  that never moves shows no needle).
"""

from __future__ import annotations

import numpy as np
from manim import Animation, Arrow, Circle, Dot, Mobject, VGroup, linear

from scenes.kit import palette

__all__ = ["direction_arrow", "DirectionDial", "SpinThrough"]


def direction_arrow(to_screen, w, d, length: float, color=palette.GRADIENT_COLOR, stroke_width: float = 5):
    """An arrow ``length`` screen units long from weights w along direction d
    (weights), or None when d is zero (no direction to show)."""
    d = np.asarray(d, dtype=float)
    if not np.linalg.norm(d) > 0:
        return None
    start = to_screen(np.asarray(w, dtype=float))
    u = to_screen(np.asarray(w, dtype=float) + d) - start
    end = start + u / np.linalg.norm(u) * length
    return Arrow(start, end, buff=0, color=color, stroke_width=stroke_width, max_tip_length_to_length_ratio=0.3)


class DirectionDial(VGroup):
    """A ring with a needle that shows the direction of a walk's steps
    (``weights`` (T + 1, 2): step k goes from weights[k] to weights[k + 1];
    W1 to the right, W2 up)."""

    def __init__(self, weights, radius: float = 0.45, color=palette.ACCENT, **kwargs):
        super().__init__(**kwargs)
        w = np.asarray(weights, dtype=float)
        self.steps = np.diff(w, axis=0)
        self.radius = float(radius)
        self.ring = Circle(radius=radius, stroke_color=palette.MUTED, stroke_width=2)
        self.hub = Dot(radius=0.04, color=palette.MUTED)
        self.needle = Arrow(np.zeros(3), np.array([radius * 0.9, 0, 0]), buff=0, color=color, stroke_width=5,
                            max_tip_length_to_length_ratio=0.35)
        self.add(self.ring, self.hub, self.needle)
        self.shown = None
        if self.direction(len(self.steps) - 1) is None:  # a walk that never moves: no needle at all
            self.needle.set_opacity(0)
        self.point(0)

    def direction(self, k: int) -> np.ndarray | None:
        """The unit direction of the last step at or before k with nonzero length (None if none)."""
        for j in range(min(int(k), len(self.steps) - 1), -1, -1):
            n = np.linalg.norm(self.steps[j])
            if n > 0:
                return self.steps[j] / n
        return None

    def point(self, k: int) -> "DirectionDial":
        """Point the needle along step k."""
        d = self.direction(k)
        self.shown = k
        if d is not None:
            c = self.ring.get_center()
            self.needle.put_start_and_end_on(c, c + 0.9 * self.radius * np.array([d[0], d[1], 0.0]))
        return self


class SpinThrough(Animation):
    """Turn a :class:`DirectionDial` through steps ``first`` to ``last`` at an even pace."""

    def __init__(self, dial: DirectionDial, first: int, last: int, **kwargs):
        self.dial, self.first, self.last = dial, int(first), int(last)
        kwargs.setdefault("rate_func", linear)
        super().__init__(dial, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.first + int(min(alpha, 0.999999) * (self.last - self.first + 1))
        if k != self.dial.shown:
            self.dial.point(min(k, self.last))
