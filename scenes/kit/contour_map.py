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
from manim import DOWN, LEFT, RIGHT, UP, Line, Rectangle, VGroup, VMobject, config

import quake_math as qm
from scenes.kit import palette, text

__all__ = ["ContourMap", "ColorBar", "polylines_to_points", "fit_window", "nice_step", "nice_ticks"]


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


def nice_step(span: float, max_ticks: int = 5) -> float:
    """The round tick step (1, 2 or 5 times a power of ten) that puts at
    most ``max_ticks`` ticks across ``span``."""
    if not span > 0:
        raise ValueError(f"span must be positive, not {span}")
    for exp in range(int(np.floor(np.log10(span))) - 2, int(np.ceil(np.log10(span))) + 2):
        for m in (1, 2, 5):
            step = m * 10.0 ** exp
            if span / step <= max_ticks - 1 + 1e-9:
                return step
    return 10.0 ** np.ceil(np.log10(span))


def nice_ticks(lo: float, hi: float, max_ticks: int = 5) -> np.ndarray:
    """Round values in [lo, hi]: multiples of :func:`nice_step`."""
    step = nice_step(hi - lo, max_ticks)
    first = np.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + 1e-9 * step, step)
    return np.round(ticks / step) * step + 0.0  # no -0.0


class ContourMap(VGroup):
    """The landscape Z from above: bands, level lines, axes W1 and W2.

    Parameters
    ----------
    story
        The story settings (grid and levels).
    Z
        The landscape to show first, shape (n, n) on the story's grid.
    side
        The map's longer edge on screen.
    window
        Optional (lo, hi): show only weights in [lo, hi]^2 (a crop of the
        same grid, so values are unchanged). Or a rectangle
        ((lo1, hi1), (lo2, hi2)); both axes keep the same scale (see
        :func:`fit_window` to frame training paths with round limits).
    bands, lines
        Draw the filled bands and/or the level lines.
    cell_pixels
        Contours are traced on every k-th grid point of the window, k as
        large as keeps a grid cell at most this many pixels wide on screen:
        fine enough that level lines are smooth curves, coarse enough to
        keep small maps fast.
    label_size, tick_size
        Sizes (names from ``scenes.kit.text.SIZES``) of the W1/W2 labels
        and the tick labels; ``ticks=False`` leaves the ticks out.
    """

    def __init__(self, story, Z, side: float = 6.0, window=None, bands: bool = True,
                 lines: bool = True, line_color=palette.BACKGROUND, line_width: float = 0.8,
                 line_opacity: float = 0.55, axis_labels: bool = True, ticks: bool = True,
                 label_size="body", tick_size="tick", cell_pixels: float = 12.0, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        w1, w2 = qm.weight_axes(story)
        bounds = (story.grid_min, story.grid_max) if window is None else window
        if np.ndim(bounds) == 2:  # a rectangle ((lo1, hi1), (lo2, hi2))
            (lo1, hi1), (lo2, hi2) = bounds
        else:
            lo1, hi1 = lo2, hi2 = bounds
        keep1 = np.nonzero((w1 >= lo1 - 1e-9) & (w1 <= hi1 + 1e-9))[0]
        keep2 = np.nonzero((w2 >= lo2 - 1e-9) & (w2 <= hi2 + 1e-9))[0]
        if len(keep1) < 2 or len(keep2) < 2:
            raise ValueError(f"window {window} holds fewer than 2 grid points per side")
        spans = [w1[keep1[-1]] - w1[keep1[0]], w2[keep2[-1]] - w2[keep2[0]]]
        px_per_unit = config.pixel_height / config.frame_height * side / max(spans)
        k = self._stride(keep1, keep2, (w1[1] - w1[0]) * px_per_unit, cell_pixels)
        keep1, keep2 = keep1[::k], keep2[::k]
        self.stride = k
        self.keep = (keep2, keep1)
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
        self.tick_values = tuple(nice_ticks(a, b) for a, b in self.windows)
        for axis, values in enumerate(self.tick_values if ticks else ()):
            a, b = self.windows[axis]
            for v in values:
                f = (v - a) / (b - a)
                if axis == 0:
                    pos, direction = (f - 0.5) * width * RIGHT - height / 2 * UP, DOWN
                else:
                    pos, direction = (f - 0.5) * height * UP - width / 2 * RIGHT, LEFT
                mark = Line(pos, pos + 0.08 * direction, stroke_color=palette.MUTED, stroke_width=1.5)
                t = text.caption(f"{v:g}".replace("-", "\u2212"), tick_size, palette.MUTED)
                t.next_to(mark, direction, buff=0.06)
                t.value = v
                self.ticks.add(VGroup(mark, t))
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
            lx = text.math(text.W + "_1", size=label_size)
            ly = text.math(text.W + "_2", size=label_size)
            lx.next_to(self.frame, DOWN, buff=0.5 if ticks else 0.2)
            ly.next_to(self.frame, LEFT, buff=0.6 if ticks else 0.2)
            self.labels = VGroup(lx, ly)
            self.add(self.labels)
        self.Z = None
        self.set_landscape(Z)

    @staticmethod
    def _stride(keep1, keep2, cell_px: float, cell_pixels: float) -> int:
        """The largest k with k grid cells at most ``cell_pixels`` wide that
        keeps both ends of both window sides."""
        best = 1
        for k in range(2, max(int(cell_pixels // max(cell_px, 1e-9)), 1) + 1):
            if all((len(keep) - 1) % k == 0 and len(keep) > k for keep in (keep1, keep2)):
                best = k
        return best

    # -- coordinates ------------------------------------------------------
    def _affine(self):
        (lo1, hi1), (lo2, hi2) = self.windows
        # the frame's DL and UR corners (as get_corner gives them), read from its points at once:
        # get_corner walks the family point by point, and w2p runs for every band and line every frame
        pts = self.frame.points
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        z = 0.5 * (lo[2] + hi[2])
        dl, ur = np.array([lo[0], lo[1], z]), np.array([hi[0], hi[1], z])
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


def fit_window(story, *paths, margin: float = 1.0, max_ticks: int = 5):
    """A rectangular map window ((lo1, hi1), (lo2, hi2)) holding every point
    of ``paths`` (arrays of weights, shape (..., 2)) with ``margin`` to spare,
    its ends rounded outwards to round values (multiples of the tick step,
    :func:`nice_step`) and kept on the story's grid. Pass it as
    ``ContourMap(window=...)``."""
    pts = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in paths])
    lo = pts.min(axis=0) - margin
    hi = pts.max(axis=0) + margin
    step = nice_step(float((hi - lo).max()), max_ticks)
    lo = np.floor(lo / step + 1e-9) * step
    hi = np.ceil(hi / step - 1e-9) * step
    lo = np.maximum(lo, story.grid_min)
    hi = np.minimum(hi, story.grid_max)
    return tuple((float(a) + 0.0, float(b) + 0.0) for a, b in zip(lo, hi))


class ColorBar(VGroup):
    """A vertical legend for Loss with the story's levels (non-uniform: each
    band has the same height, as on the map's colour scale)."""

    def __init__(self, story, height: float = 5.0, width: float = 0.3, size="tick",
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
            tick = Line(RIGHT * width / 2 + UP * y, RIGHT * (width / 2 + 0.08) + UP * y,
                        stroke_color=palette.MUTED, stroke_width=1.5)
            t = text.caption(f"{v:g}", size, palette.TEXT).next_to(tick, RIGHT, buff=0.06)
            t.value = v
            marks.add(VGroup(tick, t))
        self.marks = marks
        self.add(marks)
        self.title = text.caption(title, "label", palette.TEXT)
        self.title.next_to(cells, UP, buff=0.2)
        self.add(self.title)
        self.center()
