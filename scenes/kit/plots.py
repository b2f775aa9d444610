"""Axes for a function plot in the house typography.

:class:`PlotAxes` is manim's ``Axes`` without tips, in the muted axis colour,
with tick labels in the house font (``scenes.kit.text``, a true minus sign)
at round values (``nice_ticks``, as on the contour maps), and an optional
label (TeX) at the end of each axis::

    axes = PlotAxes((-10, 10), (-1, 11), size=(9, 4.4), x_label="z")
    curve = axes.graph(zs, values)                 # a polyline through the points
    asym = axes.line((-10, 10), (0, 0))            # a dashed line between two points
    band = axes.vband(3, 10)                       # a shaded stretch of x, full height

The tick labels are ``axes.tick_labels`` (each with its ``value``), so tests
and layouts can check that nothing sits on them.

:func:`value_map` draws any function of the weights that is not a loss (a
score such as x^T w) as a contour map with its own round levels and its own
colour bar, titled in TeX, so it is never read on the loss's colour scale.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, DashedLine, Line, Polygon, VGroup

from scenes.kit import palette
from scenes.kit.contour_map import ColorBar, ContourMap, nice_ticks
from scenes.kit.text import caption, math

__all__ = ["PlotAxes", "value_map"]


class PlotAxes(Axes):
    """Axes over ``x_range`` x ``y_range`` ((lo, hi) each) drawn ``size`` =
    (width, height) on screen. ``x_ticks`` / ``y_ticks``: the values to label
    (default: at most ``max_ticks`` round values); the value 0 is left out
    where the other axis crosses."""

    def __init__(self, x_range, y_range, size=(8.0, 4.5), x_ticks=None, y_ticks=None, max_ticks: int = 11,
                 x_label: str | None = None, y_label: str | None = None, tick_size="tick", label_size="body",
                 **kwargs):
        (x0, x1), (y0, y1) = x_range, y_range
        x_ticks = nice_ticks(x0, x1, max_ticks) if x_ticks is None else np.asarray(x_ticks, dtype=float)
        y_ticks = nice_ticks(y0, y1, max_ticks) if y_ticks is None else np.asarray(y_ticks, dtype=float)
        step = lambda t, span: float(np.diff(t)[0]) if len(t) > 1 else span  # noqa: E731
        kwargs.setdefault("axis_config", {"stroke_color": palette.MUTED, "stroke_width": 2})
        super().__init__(x_range=[x0, x1, step(x_ticks, x1 - x0)], y_range=[y0, y1, step(y_ticks, y1 - y0)],
                         x_length=size[0], y_length=size[1], tips=False, **kwargs)
        cross = self.c2p(0, 0) if x0 <= 0 <= x1 and y0 <= 0 <= y1 else None
        self.tick_labels = VGroup()
        for axis, values in ((0, x_ticks), (1, y_ticks)):
            for v in values:
                if cross is not None and v == 0:
                    continue
                t = caption(f"{v:g}".replace("-", "\u2212"), tick_size, palette.MUTED)
                at = self.c2p(v, max(y0, min(0, y1))) if axis == 0 else self.c2p(max(x0, min(0, x1)), v)
                t.next_to(at, DOWN if axis == 0 else LEFT, buff=0.15)
                t.value = float(v)
                self.tick_labels.add(t)
        self.add(self.tick_labels)
        self.axis_labels = VGroup()
        if x_label is not None:
            self.axis_labels.add(math(x_label, size=label_size).next_to(self.x_axis, RIGHT, buff=0.15))
        if y_label is not None:
            self.axis_labels.add(math(y_label, size=label_size).next_to(self.y_axis, UP, buff=0.15))
        self.add(self.axis_labels)

    def graph(self, xs, ys, color=palette.ACCENT, width: float = 5.0, opacity: float = 1.0):
        """The polyline through (xs, ys) (data coordinates)."""
        return self.plot_line_graph(xs, ys, add_vertex_dots=False, line_color=color, stroke_width=width,
                                    stroke_opacity=opacity)

    def line(self, p, q, color=palette.MUTED, width: float = 2.0, dashed: bool = True):
        """A (dashed) line between data points p and q."""
        return (DashedLine if dashed else Line)(self.c2p(*p), self.c2p(*q), color=color, stroke_width=width)

    def vband(self, a: float, b: float, color=palette.MUTED, opacity: float = 0.16) -> Polygon:
        """The stretch a <= x <= b shaded over the whole height of the axes."""
        y0, y1 = self.y_range[:2]
        return Polygon(self.c2p(a, y0), self.c2p(b, y0), self.c2p(b, y1), self.c2p(a, y1), stroke_width=0,
                       fill_color=color, fill_opacity=opacity)


def value_map(story, Z, title: str, side: float = 4.0, window=None, max_levels: int = 9, bar_height=None,
              **map_kwargs):
    """A contour map of Z (on the story's grid) with round levels spanning the
    values inside ``window`` (at most ``max_levels`` of them, a round step
    apart) and its colour bar, titled with the TeX ``title``, to its right.
    Returns ``(map, bar, levels)``."""
    shown = ContourMap(story, Z, side=side, window=window, bands=False, lines=False).Z  # the crop shown
    lo, hi = float(shown.min()), float(shown.max())
    step = float(np.diff(nice_ticks(lo, hi, max_levels))[0])
    levels = tuple(np.arange(np.floor(lo / step), np.ceil(hi / step) + 1) * step + 0.0)
    own = story.replace(levels=levels)
    m = ContourMap(own, Z, side=side, window=window, **map_kwargs)
    bar = ColorBar(own, height=side * 0.85 if bar_height is None else bar_height, labels=levels[1::2], title=" ")
    bar.remove(bar.title)
    bar.title = math(title, size="label").next_to(bar.cells, UP, buff=0.15)
    bar.add(bar.title)
    return m, bar, levels
