"""Many pairs of whole numbers as dots whose area says how many coincide.

Pairs of counts (the 1s in one batch, the 1s in the next) can only fall on
the points of a grid, so many pairs land on the very same point and a plain
scatter hides how many. :class:`CountDots` draws one dot per occupied point
with its area proportional to the number of pairs there (radius
``radius_one * sqrt(count)``), and can show the pairs accumulating, a group
of pairs at a time (one epoch's pairs, say)::

    dots = CountDots(axes, ones_now, ones_next, group=pairs_per_epoch)
    self.play(dots.animate_groups(0, dots.groups, run_time=6))   # the pairs pile up
    legend = count_legend((1, 5, 20), dots.radius_one)           # what a dot's size means

:class:`CountScatter` puts them on axes with round ticks and words on both
axes, and draws lines on them by value (``line(x0, y0, x1, y1)``)::

    sc = CountScatter(ones_now, ones_next, group=5, size=(5.6, 5.8),
                      x_label="1s in this batch", y_label="1s in the next batch")
    sc.dots, sc.axes, sc.labels, sc.range

All dots are one mobject (a path of many small discs): thousands of pairs
draw as fast as one shape.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Animation, DashedLine, Line, VGroup, VMobject

from scenes.kit import palette
from scenes.kit.plots import PlotAxes
from scenes.kit.sample_cloud import _RING
from scenes.kit.text import caption

__all__ = ["disc_points", "CountDots", "CountScatter", "count_legend"]


def disc_points(centers, radii) -> np.ndarray:
    """Bezier points of one filled disc per centre, each with its own radius:
    centres (k, 3), radii (k,) or one number -> (16 k, 3)."""
    c = np.asarray(centers, dtype=float).reshape(-1, 3)
    r = np.broadcast_to(np.asarray(radii, dtype=float), (len(c),))
    ring = np.column_stack([_RING, np.zeros(len(_RING))])
    return (c[:, None, :] + r[:, None, None] * ring[None, :, :]).reshape(-1, 3)


class CountDots(VMobject):
    """Pairs ``(x[i], y[i])`` of whole numbers on ``axes`` (anything with
    ``c2p``), one dot per distinct point; pairs come in groups of ``group``
    (consecutive entries), shown a group at a time by :meth:`show`.

    ``cells`` are the distinct points (m, 2); ``counts`` how many pairs each
    holds once every group is in; ``shown`` the groups on screen now.
    """

    def __init__(self, axes, x, y, group: int = 1, radius_one: float = 0.02, color=palette.ACCENT,
                 opacity: float = 0.8, **kwargs):
        super().__init__(fill_color=color, fill_opacity=opacity, stroke_width=0, **kwargs)
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape or x.ndim != 1:
            raise ValueError(f"x and y must be 1-D and of one length: {x.shape} and {y.shape}")
        if not (np.allclose(x, np.round(x)) and np.allclose(y, np.round(y))):
            raise ValueError("CountDots counts pairs of whole numbers: round x and y first")
        if group < 1 or len(x) % group:
            raise ValueError(f"{len(x)} pairs do not split into groups of {group}")
        self.axes, self.radius_one, self.group = axes, float(radius_one), int(group)
        self.pairs = np.column_stack([x, y]).astype(int)
        self.cells, index = np.unique(self.pairs, axis=0, return_inverse=True)
        index = np.asarray(index).ravel()
        self.groups = len(x) // self.group
        onehot = np.zeros((self.groups, len(self.cells)), dtype=int)
        np.add.at(onehot, (np.arange(len(x)) // self.group, index), 1)
        self.cumulative = np.vstack([np.zeros(len(self.cells), dtype=int), np.cumsum(onehot, axis=0)])
        self.counts = self.cumulative[-1]
        self.show(0)

    def radius(self, count) -> np.ndarray:
        """The radius of a dot holding ``count`` pairs (area proportional to the count)."""
        return self.radius_one * np.sqrt(np.asarray(count, dtype=float))

    def centers(self, cells=None) -> np.ndarray:
        cells = self.cells if cells is None else np.asarray(cells).reshape(-1, 2)
        return np.asarray(self.axes.c2p(cells.astype(float)), dtype=float).reshape(-1, 3)

    def counts_after(self, groups: int) -> np.ndarray:
        """How many pairs each cell holds after the first ``groups`` groups."""
        return self.cumulative[int(np.clip(groups, 0, self.groups))]

    def show(self, groups: float) -> "CountDots":
        """Draw the pairs of the first ``groups`` groups (rounded down)."""
        self.shown = int(np.clip(np.floor(groups + 1e-9), 0, self.groups))
        c = self.counts_after(self.shown)
        on = c > 0
        self.points = disc_points(self.centers()[on], self.radius(c[on])) if on.any() else np.zeros((0, 3))
        return self

    def animate_groups(self, start: float, stop: float, rate=lambda t: t, **kwargs) -> Animation:
        """Groups ``start`` to ``stop`` coming in over the animation
        (``rate`` maps its time in [0, 1] to the share of the way)."""
        return _ShowGroups(self, start, stop, rate, **kwargs)

    def densest(self) -> tuple[np.ndarray, int]:
        """The point holding the most pairs (the first in order if tied), and how many."""
        k = int(np.argmax(self.counts))
        return self.cells[k], int(self.counts[k])


class _ShowGroups(Animation):
    def __init__(self, dots: CountDots, start: float, stop: float, rate, **kwargs):
        self.start, self.stop, self.rate = start, stop, rate
        super().__init__(dots, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        self.mobject.show(self.start + (self.stop - self.start) * self.rate(alpha))


class CountScatter(VGroup):
    """Axes over round limits around the pairs, words on both axes, and the
    pairs as :class:`CountDots` (``.dots``, not yet shown: ``dots.show``).
    ``range`` is (lo, hi), the same on both axes; ``size`` (width, height)."""

    def __init__(self, x, y, group: int = 1, size=(5.6, 5.8), x_label: str = "", y_label: str = "",
                 radius_one: float = 0.02, max_ticks: int = 6, **kwargs):
        super().__init__(**kwargs)
        x, y = np.asarray(x), np.asarray(y)
        span = max(x.max(), y.max()) - min(x.min(), y.min())
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if span / s <= max_ticks - 1 or s == 1000)
        lo, hi = step * np.floor(min(x.min(), y.min()) / step), step * np.ceil(max(x.max(), y.max()) / step)
        if hi == lo:
            hi = lo + step
        self.range = (float(lo), float(hi))
        self.axes = PlotAxes(self.range, self.range, size=size, max_ticks=max_ticks)
        self.labels = VGroup()
        if x_label:
            self.labels.add(caption(x_label, "note").next_to(self.axes.x_axis, DOWN, buff=0.55))
        if y_label:
            self.labels.add(caption(y_label, "note").rotate(np.pi / 2).next_to(self.axes.y_axis, LEFT, buff=0.65))
        self.dots = CountDots(self.axes, x, y, group=group, radius_one=radius_one)
        self.add(self.axes, self.labels, self.dots)

    def line(self, x0, y0, x1, y1, dashed: bool = False, color=palette.TEXT, width: float = 4) -> Line:
        """A line between two points given by value; ``.values`` holds them."""
        line = (DashedLine if dashed else Line)(self.axes.c2p(x0, y0), self.axes.c2p(x1, y1), color=color,
                                                stroke_width=width)
        line.values = np.array([[x0, y0], [x1, y1]], dtype=float)
        return line

    def guides(self, x, y, color=palette.ACCENT) -> VGroup:
        """Dashed lines from both axes to the point (x, y): up from x, across from y."""
        lo, c2p = self.range[0], self.axes.c2p
        return VGroup(DashedLine(c2p(x, lo), c2p(x, y), color=color), DashedLine(c2p(lo, y), c2p(x, y), color=color))


def count_legend(counts=(1, 5, 20), radius_one: float = 0.02, color=palette.ACCENT, opacity: float = 0.8,
                 unit: tuple[str, str] = ("pair", "pairs"), size="label", buff: float = 0.14) -> VGroup:
    """What a dot's size means: a row per count in ``counts``, its dot (on
    one column) and its words (on another), smallest first, top down."""
    rmax = radius_one * np.sqrt(max(counts))
    rows, y = VGroup(), 0.0
    for n in counts:
        r = radius_one * np.sqrt(n)
        words = caption(f"{n} {unit[0] if n == 1 else unit[1]}", size, palette.MUTED)
        step = max(2 * r, words.height)
        y -= step / 2
        dot = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
        dot.points = disc_points(np.array([[rmax, y, 0.0]]), r)
        words.move_to([2 * rmax + 0.15, y, 0], aligned_edge=LEFT)
        row = VGroup(dot, words)
        row.count, row.radius = n, r
        rows.add(row)
        y -= step / 2 + buff
    return rows
