"""The training samples as a small picture: which of them are in the average.

A framed scatter of the data set (first feature across, second up), dots
coloured by class. Any subset can be *lit* (bright and a little larger)
while the rest stay dim: the samples of one mini-batch, or the first n
samples of a growing average::

    cloud = SampleCloud(*numbers.dataset(), title="the 600 training samples")
    cloud.light(batch)                 # these samples bright, the others dim

All dots of one class and one state are a single mobject (a path of many
small rings), so 600 samples draw as fast as four shapes. ``base`` (the
frame, legend and dim dots) never changes; ``lit`` is rewritten by
``light``: a scene that only re-lights samples can keep ``base`` out of the
frame-by-frame redraw.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Rectangle, VGroup, VMobject

from scenes.kit import palette, text

__all__ = ["SampleCloud", "ring_points"]

# a circle as 4 cubic Bezier curves (the usual kappa), unit radius
_K = 0.5522847498
_RING = np.array([
    [1, 0], [1, _K], [_K, 1], [0, 1],
    [0, 1], [-_K, 1], [-1, _K], [-1, 0],
    [-1, 0], [-1, -_K], [-_K, -1], [0, -1],
    [0, -1], [_K, -1], [1, -_K], [1, 0],
], dtype=float)


def ring_points(centers, radius: float) -> np.ndarray:
    """Bezier points of one filled circle per centre (k, 3) -> (16 k, 3)."""
    c = np.asarray(centers, dtype=float).reshape(-1, 3)
    ring = np.column_stack([_RING * radius, np.zeros(len(_RING))])
    return (c[:, None, :] + ring[None, :, :]).reshape(-1, 3)


class SampleCloud(VGroup):
    """The data set ``X`` (n, 2) with labels ``y`` as dots in a frame of
    ``width`` (the height follows the data's aspect, at most ``max_height``).

    ``light(indices)`` shows those samples bright; ``lit_indices`` holds them.
    """

    def __init__(self, X, y, width: float = 2.6, max_height: float = 3.2, radius: float = 0.028,
                 lit_radius: float = 0.042, dim_opacity: float = 0.28, pad: float = 0.6,
                 title: str | None = None, legend: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y).astype(int)
        self.radius, self.lit_radius = float(radius), float(lit_radius)
        lo = self.X.min(axis=0) - pad
        hi = self.X.max(axis=0) + pad
        scale = min(width / (hi[0] - lo[0]), max_height / (hi[1] - lo[1]))
        self.lo, self.unit = lo, scale
        size = (hi - lo) * scale
        self.frame = Rectangle(width=size[0], height=size[1], stroke_color=palette.MUTED, stroke_width=1.5)
        self._origin = self.frame.get_corner(DOWN + LEFT)
        pts = self.x2p(self.X)
        self.dimmed = VGroup(*[self._dots(pts[self.y == c], radius, palette.class_color(c), dim_opacity)
                               for c in (0, 1)])
        self.lit = VGroup(*[self._dots(np.zeros((0, 3)), lit_radius, palette.class_color(c), 1.0) for c in (0, 1)])
        self.lit.set_stroke(palette.TEXT, width=1.2)  # a light rim: lit samples stand out from the dim ones
        self.base = VGroup(self.frame, self.dimmed)
        if title:
            self.title = text.caption(title, "note", palette.MUTED).next_to(self.frame, UP, buff=0.15)
            self.base.add(self.title)
        if legend:
            keys = VGroup()
            for c in (0, 1):
                dot = self._dots(np.zeros((1, 3)), lit_radius * 1.4, palette.class_color(c), 1.0)
                keys.add(VGroup(dot, text.caption(f"class {c}", "label", palette.MUTED)).arrange(RIGHT, buff=0.1))
            keys.arrange(RIGHT, buff=0.35).next_to(self.frame, DOWN, buff=0.15)
            self.legend = keys
            self.base.add(keys)
        self.add(self.base, self.lit)
        self.lit_indices = np.zeros(0, dtype=int)

    @staticmethod
    def _dots(points, radius, color, opacity) -> VMobject:
        m = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
        m.points = ring_points(points, radius) if len(points) else np.zeros((0, 3))
        return m

    def x2p(self, X) -> np.ndarray:
        """Screen points of data points X (k, 2), following the frame."""
        X = np.asarray(X, dtype=float).reshape(-1, 2)
        o = self.frame.get_corner(DOWN + LEFT)
        p = (X - self.lo) * self.unit
        return np.column_stack([o[0] + p[:, 0], o[1] + p[:, 1], np.full(len(p), o[2])])

    def light(self, indices) -> "SampleCloud":
        """Show the samples ``indices`` bright (an empty list: none)."""
        idx = np.asarray(indices, dtype=int).ravel()
        self.lit_indices = idx
        pts = self.x2p(self.X[idx])
        labels = self.y[idx]
        for c, layer in zip((0, 1), self.lit):
            sel = pts[labels == c]
            layer.points = ring_points(sel, self.lit_radius) if len(sel) else np.zeros((0, 3))
        return self

    def reveal(self, indices) -> "SampleCloud":
        """Draw only the samples ``indices`` (dim): for bringing the data in
        a few samples at a time. ``reveal(range(n))`` draws them all again."""
        idx = np.asarray(indices, dtype=int).ravel()
        pts = self.x2p(self.X[idx])
        labels = self.y[idx]
        for c, layer in zip((0, 1), self.dimmed):
            sel = pts[labels == c]
            layer.points = ring_points(sel, self.radius) if len(sel) else np.zeros((0, 3))
        return self

    def lit_centers(self) -> np.ndarray:
        """Centres of the lit dots, read back from the drawn points (k, 3)."""
        out = [layer.points.reshape(-1, 16, 3).mean(axis=1) for layer in self.lit if len(layer.points)]
        return np.concatenate(out) if out else np.zeros((0, 3))
