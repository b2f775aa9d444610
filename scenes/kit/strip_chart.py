"""A small chart of one value over time: a dot for every landscape seen,
joined by a line that runs on to the moving present.

It makes "the loss there keeps jumping up and down" readable: the readout
shows the value now, the chart shows it against the values before::

    chart = StripChart(count=len(Zs), y_max=16, y_label="loss at the pin")
    chart.show_until(values, x=3.4)    # dots at 0..3, the line on to x = 3.4

``still`` (frame, ticks, labels) never changes and ``trace`` is all that
``show_until`` redraws: a scene can animate the trace alone and keep the rest
out of the frame-by-frame redraw (``scenes.kit.marks3d.keep_still``).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Dot, Line, Rectangle, VGroup, VMobject

from scenes.kit import palette, text
from scenes.kit.contour_map import nice_ticks
from scenes.kit.sample_cloud import ring_points

__all__ = ["StripChart"]


class StripChart(VGroup):
    """Steps 0..count-1 across, values 0..y_max up, ticks at round values."""

    def __init__(self, count: int, y_max: float, width: float = 3.6, height: float = 1.7,
                 color=palette.ACCENT, y_label: str | None = None, x_label: str | None = None,
                 dot_radius: float = 0.045, **kwargs):
        super().__init__(**kwargs)
        if count < 2:
            raise ValueError(f"a strip chart needs at least 2 steps, not {count}")
        self.count, self.y_max = int(count), float(y_max)
        self.dot_radius = float(dot_radius)
        self.frame = Rectangle(width=width, height=height, stroke_color=palette.MUTED, stroke_width=1.5)
        self.ticks = VGroup()
        for v in nice_ticks(0.0, self.y_max):
            p = self.c2p(0, v)
            mark = Line(p, p + LEFT * 0.08, stroke_color=palette.MUTED, stroke_width=1.5)
            label = text.caption(f"{v:g}", "tick", palette.MUTED).next_to(mark, LEFT, buff=0.06)
            label.value = v
            self.ticks.add(VGroup(mark, label))
        self.line = VMobject(stroke_color=color, stroke_width=3, fill_opacity=0)
        self.dots = VMobject(fill_color=color, fill_opacity=1, stroke_width=0)
        self.head = Dot(self.c2p(0, 0), radius=dot_radius * 1.5, color=color)
        #: what never changes (frame, ticks, labels) and what ``show_until`` redraws
        self.still = VGroup(self.frame, self.ticks)
        self.trace = VGroup(self.line, self.dots, self.head)
        if y_label:
            self.y_label = text.caption(y_label, "label", palette.MUTED).next_to(self.frame, UP, buff=0.12)
            self.y_label.align_to(self.frame, LEFT)
            self.still.add(self.y_label)
        if x_label:
            self.x_label = text.caption(x_label, "label", palette.MUTED).next_to(self.frame, DOWN, buff=0.1)
            self.still.add(self.x_label)
        self.add(self.still, self.trace)

    def c2p(self, x, v) -> np.ndarray:
        """Screen point of step x (may be fractional) and value v; follows the frame."""
        dl = self.frame.get_corner(DOWN + LEFT)
        w, h = self.frame.width, self.frame.height
        pad = 0.06 * w
        x = np.asarray(x, dtype=float)
        v = np.clip(np.asarray(v, dtype=float), 0, self.y_max)
        px = dl[0] + pad + x / (self.count - 1) * (w - 2 * pad)
        py = dl[1] + v / self.y_max * h
        return np.stack([px, py, np.full_like(px, dl[2])], axis=-1)

    def show_until(self, values, x: float) -> "StripChart":
        """Dots at the steps 0..floor(x) with ``values[k]``, the line through
        them on to step x (its value interpolated), the head dot there."""
        values = np.asarray(values, dtype=float)
        x = float(np.clip(x, 0, min(self.count, len(values)) - 1))
        k = int(np.floor(x + 1e-9))
        t = x - k
        v = values[k] if t <= 0 or k + 1 >= len(values) else (1 - t) * values[k] + t * values[k + 1]
        pts = self.c2p(np.arange(k + 1), values[: k + 1])
        head = self.c2p(x, v)
        self.dots.points = ring_points(pts, self.dot_radius)
        if k + 1 >= 1 and (t > 0 or k > 0):
            self.line.set_points_as_corners(np.vstack([pts, head[None]]) if t > 0 else pts)
        else:
            self.line.clear_points()
        self.head.move_to(head)
        self.value = v
        return self
