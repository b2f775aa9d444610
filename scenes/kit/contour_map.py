"""A contour map of a loss landscape, seen from above, updated in place.

Filled bands at the story's fixed levels (one VMobject per band, every ring
of the band a subpath) and level lines on top (one VMobject per level), all
from quake_math's contourpy output. Moving to another landscape rewrites the
point arrays of these same mobjects; nothing is rebuilt. The level lines are
drawn over the band edges, which also hides antialiasing seams.

``w2p`` maps weights to screen points; arrows, paths and dots use it.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, MathTex, Rectangle, Text, VGroup, VMobject

import quake_math as qm
from scenes.kit import palette

__all__ = ["ContourMap", "ColorBar", "polylines_to_points", "fit_window"]


def polylines_to_points(lines, to_screen) -> np.ndarray:
    """Manim cubic-Bezier points for straight polylines (each (m, 2) in weights).

    Each segment p -> q becomes the cubic (p, p + (q-p)/3, p + 2(q-p)/3, q);
    consecutive polylines become separate subpaths.
    """
    segs = [ln for ln in lines if len(ln) >= 2]
    if not segs:
        return np.zeros((0, 3))
    starts = np.concatenate([ln[:-1] for ln in segs])
    ends = np.concatenate([ln[1:] for ln in segs])
    p = to_screen(starts)
    q = to_screen(ends)
    d = q - p
    return np.stack([p, p + d / 3, p + 2 * d / 3, q], axis=1).reshape(-1, 3)


class ContourMap(VGroup):
    """The landscape Z from above: bands, level lines, axes W1 and W2.

    Parameters
    ----------
    story
        The story settings (grid and levels).
    Z
        The landscape to show first, shape (n, n) on the story's grid.
    side
        Width and height of the map on screen.
    window
        Optional (lo, hi): show only weights in [lo, hi]^2 (a crop of the
        same grid, so values are unchanged). Or a rectangle
        ((lo1, hi1), (lo2, hi2)): W1 in [lo1, hi1], W2 in [lo2, hi2]; both
        axes keep the same scale and ``side`` is the longer edge (see
        :func:`fit_window` to frame a training path).
    bands, lines
        Draw the filled bands and/or the level lines.
    """

    def __init__(self, story, Z, side: float = 6.0, window=None, bands: bool = True,
                 lines: bool = True, line_color=palette.BACKGROUND, line_width: float = 0.8,
                 line_opacity: float = 0.55, axis_labels: bool = True,
                 font_size: float = 30, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        w1, w2 = qm.weight_axes(story)
        bounds = (story.grid_min, story.grid_max) if window is None else window
        if np.ndim(bounds) == 2:  # a rectangle ((lo1, hi1), (lo2, hi2))
            (lo1, hi1), (lo2, hi2) = bounds
        else:
            lo1, hi1 = lo2, hi2 = bounds
        keep1 = (w1 >= lo1 - 1e-9) & (w1 <= hi1 + 1e-9)
        keep2 = (w2 >= lo2 - 1e-9) & (w2 <= hi2 + 1e-9)
        if keep1.sum() < 2 or keep2.sum() < 2:
            raise ValueError(f"window {window} holds fewer than 2 grid points per side")
        self.keep = (np.nonzero(keep2)[0], np.nonzero(keep1)[0])
        self.grid_axes = (w1[keep1], w2[keep2])
        # the window actually shown (snapped to grid points), per axis
        self.windows = ((float(w1[keep1][0]), float(w1[keep1][-1])),
                        (float(w2[keep2][0]), float(w2[keep2][-1])))
        square = self.windows[0] == self.windows[1]
        lo, hi = self.windows[0]
        self.window = (lo, hi) if square else self.windows
        # The frame is the map's coordinate system: its lower-left corner is
        # (lo1, lo2) and its upper-right corner (hi1, hi2); it moves with the map.
        spans = [b - a for a, b in self.windows]
        width, height = (side * r / max(spans) for r in spans)
        self.frame = Rectangle(width=width, height=height, stroke_color=palette.MUTED, stroke_width=1.5)
        self.ticks = VGroup()
        if not square:
            for axis, (a, b) in enumerate(self.windows):
                for v in sorted({a, 0.0, b} if a < 0 < b else {a, b}):
                    f = (v - a) / (b - a)
                    if axis == 0:
                        pos, direction = (f - 0.5) * width * RIGHT - height / 2 * UP, DOWN
                    else:
                        pos, direction = (f - 0.5) * height * UP - width / 2 * RIGHT, LEFT
                    t = Text(f"{v:g}", font=palette.FONT, font_size=font_size * 0.6, color=palette.MUTED)
                    t.next_to(pos, direction, buff=0.08)
                    self.ticks.add(t)
        else:
            for v in sorted({lo, 0.0, hi} if lo < 0 < hi else {lo, hi}):
                f = (v - lo) / (hi - lo)
                spots = [((f - 0.5) * side * RIGHT - side / 2 * UP, DOWN)]
                if v != lo:  # one label at the shared corner is enough
                    spots.append(((f - 0.5) * side * UP - side / 2 * RIGHT, LEFT))
                for pos, direction in spots:
                    t = Text(f"{v:g}", font=palette.FONT, font_size=font_size * 0.6, color=palette.MUTED)
                    t.next_to(pos, direction, buff=0.08)
                    self.ticks.add(t)
        self.band_edges = qm.band_edges(story)
        self.bands = VGroup(*[
            VMobject(fill_color=palette.band_color(a, b, story.levels), fill_opacity=1.0, stroke_width=0)
            for a, b in self.band_edges
        ])
        self.level_lines = VGroup(*[
            VMobject(stroke_color=line_color, stroke_width=line_width, stroke_opacity=line_opacity,
                     fill_opacity=0)
            for _ in story.levels
        ])
        self.show_bands, self.show_lines = bands, lines
        if bands:
            self.add(self.bands)
        if lines:
            self.add(self.level_lines)
        self.add(self.frame, self.ticks)
        if axis_labels:
            lx = MathTex("W_1", font_size=font_size, color=palette.TEXT)
            ly = MathTex("W_2", font_size=font_size, color=palette.TEXT)
            lx.next_to(self.frame, DOWN, buff=0.45)
            ly.next_to(self.frame, LEFT, buff=0.45)
            self.labels = VGroup(lx, ly)
            self.add(self.labels)
        self.Z = None
        self.set_landscape(Z)

    # -- coordinates ------------------------------------------------------
    def _affine(self):
        (lo1, hi1), (lo2, hi2) = self.windows
        dl = self.frame.get_corner(DOWN + LEFT)
        ur = self.frame.get_corner(UP + RIGHT)
        self._e = np.array([[(ur - dl)[0] / (hi1 - lo1), 0, 0], [0, (ur - dl)[1] / (hi2 - lo2), 0]])
        self._o = dl - lo1 * self._e[0] - lo2 * self._e[1]

    def w2p(self, w) -> np.ndarray:
        """Screen point(s) of weight(s) w, shape (..., 2) -> (..., 3)."""
        self._affine()
        w = np.asarray(w, dtype=float)
        return self._o + w @ self._e

    def p2w(self, p) -> np.ndarray:
        """Weights of screen point(s)."""
        self._affine()
        p = np.asarray(p, dtype=float) - self._o
        return np.stack([p[..., 0] / self._e[0, 0], p[..., 1] / self._e[1, 1]], axis=-1)

    # -- data -> points ---------------------------------------------------
    def crop(self, Z) -> np.ndarray:
        Z = np.asarray(Z, dtype=float)
        return Z[np.ix_(*self.keep)]

    def set_landscape(self, Z) -> "ContourMap":
        """Show landscape Z (on the story's full grid): rewrite points in place."""
        Zc = self.crop(Z)
        self.Z = Zc
        if self.show_bands:
            for mob, band in zip(self.bands, qm.contour_bands(Zc, self.story, axes=self.grid_axes)):
                mob.points = polylines_to_points(band.rings, self.w2p)
        if self.show_lines:
            for mob, (_, lines) in zip(self.level_lines, qm.contour_lines(Zc, self.story, axes=self.grid_axes)):
                mob.points = polylines_to_points(lines, self.w2p)
        return self

    def set_between(self, Z0, Z1, t: float) -> "ContourMap":
        """The in-between landscape at t (quake_math.interpolate)."""
        return self.set_landscape(qm.interpolate(Z0, Z1, t))

    def lines_in_weights(self) -> list[np.ndarray]:
        """The level lines read back from the screen, in weight coordinates
        (one array of segment endpoints (m, 2, 2) per level)."""
        out = []
        for mob in self.level_lines:
            pts = mob.points.reshape(-1, 4, 3)
            ends = np.stack([pts[:, 0], pts[:, 3]], axis=1)
            out.append(self.p2w(ends.reshape(-1, 3)).reshape(-1, 2, 2))
        return out


def fit_window(story, *paths, margin: float = 1.0, step: float = 1.0):
    """A rectangular map window ((lo1, hi1), (lo2, hi2)) holding every point
    of ``paths`` (arrays of weights, shape (..., 2)) with ``margin`` to spare,
    its ends rounded outwards to multiples of ``step`` and kept on the
    story's grid. Pass it as ``ContourMap(window=...)``."""
    pts = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in paths])
    lo = np.floor((pts.min(axis=0) - margin) / step) * step
    hi = np.ceil((pts.max(axis=0) + margin) / step) * step
    lo = np.maximum(lo, story.grid_min)
    hi = np.minimum(hi, story.grid_max)
    return tuple((float(a), float(b)) for a, b in zip(lo, hi))


class ColorBar(VGroup):
    """A vertical legend for Loss with the story's levels (non-uniform: each
    band has the same height, as on the map's colour scale)."""

    def __init__(self, story, height: float = 5.0, width: float = 0.3, font_size: float = 22,
                 labels=(0, 1, 2, 3, 4, 5, 10, 15), title: str = "Loss", **kwargs):
        super().__init__(**kwargs)
        edges = qm.band_edges(story)
        nb = len(edges)
        h = height / nb
        cells = VGroup()
        for k, (a, b) in enumerate(edges):
            r = Rectangle(width=width, height=h, fill_color=palette.band_color(a, b, story.levels),
                          fill_opacity=1, stroke_width=0)
            r.move_to(UP * (k + 0.5) * h)
            cells.add(r)
        self.cells = cells
        self.add(cells)
        lv = list(story.levels)
        marks = VGroup()
        for v in labels:
            if v not in lv:
                continue
            y = lv.index(v) * h
            t = Text(f"{v:g}", font=palette.FONT, font_size=font_size, color=palette.TEXT)
            t.next_to(RIGHT * width / 2 + UP * y, RIGHT, buff=0.1)
            marks.add(t)
        self.marks = marks
        self.add(marks)
        self.title = Text(title, font=palette.FONT, font_size=font_size * 1.1, color=palette.TEXT)
        self.title.next_to(cells, UP, buff=0.2)
        self.add(self.title)
        self.center()
