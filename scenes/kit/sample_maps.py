"""Single-sample landscapes side by side, and gradient arrows at one point.

``SampleMaps`` lays out one small :class:`ContourMap` per sample in a grid
whose rows and columns follow the count (:func:`grid_shape`: 9 maps make
3 x 3, 10 make 4 + 4 + 2, 1 to 16 all fit), all at the story's fixed levels,
each with an arrow in the direction of that sample's input x drawn from the
map's weight origin. Only the direction of that arrow matters: by default its
length is ``x_scale * |x|`` weight units, with ``x_length`` every arrow has
that one length. ``x_line`` and ``crossing`` give the line of x across a map
and where a level line crosses it (for right-angle marks: ``right_angle``).

``gradient_arrows`` draws gradients at one weight point as arrows, all with one
common display scale, using :class:`StepArrow` (from w to w + scale * g).

``SampleLayout`` is the mixin of the chapters that show the story's single
samples: the small maps in a box on the left, one colour bar, a large map on
the right.
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, DashedLine, Dot, VGroup, VMobject

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.contour_map import ColorBar, ContourMap
from scenes.kit.motion import StepArrow
from scenes.kit.text import math as tex

__all__ = ["SampleMaps", "SampleLayout", "gradient_arrows", "arrow_vectors", "grid_shape", "fit_grid",
           "right_angle", "haloed", "label_room"]


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, cols) for n small maps: as square as it gets, never more rows
    than columns (1: 1x1, 2: 1x2, 5: 2x3, 9: 3x3, 10: 3x4, 16: 4x4)."""
    if int(n) != n or n < 1:
        raise ValueError(f"the number of sample maps must be a whole number of at least 1, not {n!r}")
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def fit_grid(n: int, width: float, height: float, gap: float = 0.3, label_height: float = 0.3,
             max_side: float | None = None) -> tuple[int, int, float]:
    """(rows, cols, side): the largest square maps of :func:`grid_shape` that
    fit a box ``width`` x ``height`` with ``gap`` between maps and a label of
    ``label_height`` above each map (capped at ``max_side``)."""
    rows, cols = grid_shape(n)
    side = min((width - (cols - 1) * gap) / cols, (height - rows * label_height - (rows - 1) * gap) / rows)
    if max_side is not None:
        side = min(side, max_side)
    if side <= 0:
        raise ValueError(f"{n} maps do not fit a {width} x {height} box")
    return rows, cols, side


def haloed(mob: VMobject, width: float = 3.0, color=palette.BACKGROUND) -> VGroup:
    """A line with a dark outline under it, so it reads on pale and dark bands:
    ``VGroup(outline, mob)``."""
    halo = mob.copy().set_stroke(color, mob.get_stroke_width() + width, opacity=0.8)
    return VGroup(halo, mob)


def label_room(size="label") -> float:
    """Height a map's class label ``y = 0`` takes above its map, gap included."""
    return tex("y = 0", size=size).height + 0.1


def right_angle(corner, u, size: float = 0.12, **style) -> VMobject:
    """The small square that marks a right angle at screen point ``corner``
    between direction ``u`` (2-D or 3-D) and the direction at a right angle to it."""
    u = np.asarray(u, dtype=float)[:2]
    u = np.array([u[0], u[1], 0.0]) / np.linalg.norm(u)
    v = np.array([-u[1], u[0], 0.0])
    style.setdefault("stroke_color", palette.ACCENT)
    style.setdefault("stroke_width", 2.5)
    mark = VMobject(fill_opacity=0, **style)
    mark.set_points_as_corners([corner + size * u, corner + size * (u + v), corner + size * v])
    return mark


class SampleMaps(VGroup):
    """One small contour map per sample, in a grid.

    Parameters
    ----------
    story
        The story settings (grid and levels: the same levels for every map).
    grids
        Per-sample landscapes, shape (k, n, n) (quake_math.sample_landscapes).
    X, y
        The k samples' inputs (k, 2) and labels (k,).
    side
        Side of each small map on screen.
    cols, buff
        Grid layout: ``cols=None`` takes the columns of :func:`grid_shape`;
        ``buff`` is the gap between maps (a label sits above each map, in
        ``label_height`` more room between rows). A short last row is centred.
    x_scale, x_length
        The x arrow is ``x_scale * |x|`` weight units long, or, with
        ``x_length``, that many weight units for every sample (display only:
        the direction is what the picture says).
    show_x
        Draw the x arrows (they are built either way, for tests and animations).
    cell_pixels
        Passed to :class:`ContourMap`: a finer trace keeps small maps' lines straight.
    """

    def __init__(self, story, grids, X, y, side: float = 1.9, cols: int | None = 3, buff: float = 0.42,
                 x_scale: float = 3.0, label_size: float | str = "label", line_width: float = 0.7,
                 window=None, show_x: bool = True, x_length: float | None = None,
                 label_height: float | None = None, cell_pixels: float = 12.0, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        self.grids = np.asarray(grids, dtype=float)
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        if not (len(self.grids) == len(self.X) == len(self.y)):
            raise ValueError("grids, X and y must hold the same number of samples")
        n = len(self.grids)
        self.rows, self.cols = grid_shape(n) if cols is None else (math.ceil(n / cols), int(cols))
        self.x_scale = float(x_scale)
        self.x_length = None if x_length is None else float(x_length)
        self.maps = VGroup()
        self.origins = VGroup()
        self.x_arrows = VGroup()
        self.labels = VGroup()
        self.cells = VGroup()
        label_height = label_room(label_size) if label_height is None else label_height
        px, py = side + buff, side + buff + label_height
        for k, Z in enumerate(self.grids):
            r, c = divmod(k, self.cols)
            in_row = min(self.cols, n - r * self.cols)
            m = ContourMap(story, Z, side=side, window=window, axis_labels=False,
                           line_width=line_width, ticks=False, cell_pixels=cell_pixels)
            m.move_to(RIGHT * (c - (in_row - 1) / 2) * px + UP * (((self.rows - 1) / 2 - r) * py - label_height / 2))
            self.maps.add(m)
            self.cells.add(VGroup(m))
        for k, (m, x, lab) in enumerate(zip(self.maps, self.X, self.y)):
            o = m.w2p(np.zeros(2))
            origin = Dot(o, radius=0.035, color=palette.TEXT)
            arrow = self.x_arrow(k, self.x_vector(x))
            label = tex(f"y = {int(lab)}", size=label_size, color=palette.class_color(lab))
            label.next_to(m.frame, UP, buff=0.06)
            self.origins.add(origin)
            self.x_arrows.add(arrow)
            self.labels.add(label)
            self.cells[k].add(*((origin, arrow, label) if show_x else (label,)))
        self.add(self.cells)

    def shift(self, *vectors) -> "SampleMaps":
        """Move the maps; the x arrows and origins move with them even when
        they are not drawn (``show_x=False``), so they can be shown later."""
        super().shift(*vectors)
        family = set(map(id, self.get_family()))
        for mob in [*self.origins, *self.x_arrows]:
            if id(mob) not in family:
                mob.shift(*vectors)
        return self

    def x_arrow(self, k: int, tip) -> Arrow:
        """An arrow in the style of the x arrows on map k, from its weight
        origin to weights ``tip``."""
        m = self.maps[k]
        return Arrow(m.w2p(np.zeros(2)), m.w2p(np.asarray(tip, dtype=float)), buff=0,
                     color=palette.class_color(self.y[k]), stroke_width=4, max_tip_length_to_length_ratio=0.3,
                     max_stroke_width_to_length_ratio=10)

    def x_vector(self, x) -> np.ndarray:
        """Where the x arrow of input x ends, in weights (it starts at 0)."""
        x = np.asarray(x, dtype=float)
        if self.x_length is None:
            return self.x_scale * x
        return self.x_length * x / np.linalg.norm(x)

    def x_directions(self) -> np.ndarray:
        """The drawn x arrows read back in weight coordinates (k, 2): start to tip."""
        out = []
        for m, a in zip(self.maps, self.x_arrows):
            out.append(m.p2w(a.get_end()) - m.p2w(a.get_start()))
        return np.array(out)

    def x_line(self, k: int, **style) -> DashedLine:
        """The line of sample k's x through the weight origin, across its map."""
        m, u = self.maps[k], self.X[k] / np.linalg.norm(self.X[k])
        (lo1, hi1), (lo2, hi2) = m.windows
        # the longest stretch t*u (|t| <= reach) inside the window
        reach = min(max(-lo1, hi1) / max(abs(u[0]), 1e-9), max(-lo2, hi2) / max(abs(u[1]), 1e-9))
        ts = [t for t in np.linspace(-reach, reach, 201)
              if lo1 - 1e-9 <= t * u[0] <= hi1 + 1e-9 and lo2 - 1e-9 <= t * u[1] <= hi2 + 1e-9]
        style.setdefault("stroke_color", palette.class_color(self.y[k]))
        style.setdefault("stroke_width", 2)
        style.setdefault("dash_length", 0.05)
        return DashedLine(m.w2p(ts[0] * u), m.w2p(ts[-1] * u), **style)

    def crossings(self, k: int) -> list[tuple[int, float]]:
        """Where the drawn level lines of map k cross the line of its x:
        (level index, t) with the crossing at weights t * x / |x|."""
        m, u = self.maps[k], self.X[k] / np.linalg.norm(self.X[k])
        v = np.array([-u[1], u[0]])
        out = []
        for li, segs in enumerate(m.lines_in_weights()):
            if not len(segs):
                continue
            a, b = segs[:, 0] @ v, segs[:, 1] @ v  # signed distance of the ends from the x line
            hit = np.nonzero((a <= 0) & (b >= 0) | (a >= 0) & (b <= 0))[0]
            if len(hit):
                s = hit[0]
                f = a[s] / (a[s] - b[s]) if a[s] != b[s] else 0.0
                p = segs[s, 0] + f * (segs[s, 1] - segs[s, 0])
                out.append((li, float(p @ u)))
        return out

    def crossing(self, k: int, reach: float) -> tuple[int, float]:
        """The level line of map k whose crossing with the x line lies
        nearest ``reach`` weight units from the origin (either side)."""
        found = self.crossings(k)
        if not found:
            raise ValueError(f"no level line of map {k} crosses the line of its x")
        return min(found, key=lambda c: abs(abs(c[1]) - reach))


def gradient_arrows(to_screen, w, gradients, scale: float, colors=None, **kwargs) -> VGroup:
    """Arrows from weights w to w + scale * g for each gradient g (k, 2).

    ``scale`` is one display factor shared by all arrows, so their lengths
    compare truly; a zero gradient gets an arrow of zero length (invisible).
    """
    gradients = np.atleast_2d(np.asarray(gradients, dtype=float))
    colors = [palette.GRADIENT_COLOR] * len(gradients) if colors is None else list(colors)
    kwargs.setdefault("stroke_width", 4)
    arrows = VGroup()
    for g, c in zip(gradients, colors):
        arrows.add(StepArrow(to_screen, w, scale * g, color=c, **kwargs))
    return arrows


def arrow_vectors(arrows, to_weights, scale: float) -> np.ndarray:
    """Read gradient arrows back: (tip - start) in weights, divided by scale."""
    return np.array([(to_weights(a.get_end()) - to_weights(a.get_start())) / scale for a in arrows])


class SampleLayout:
    """Mixin for scenes showing the story's single samples: the small maps
    in a box on the left (``grid_box`` wide and high, around ``grid_center``),
    one colour bar for every map at ``bar_center``, a large map on the right.
    Subclass and change the class attributes to move things around."""

    grid_center = LEFT * 3.6
    grid_box = (6.3, 7.3)  # room for the small maps and their labels
    small_side = 2.3  # the small maps' side, at most (fewer maps do not grow past it)
    small_buff = 0.3  # gap between small maps
    label_size = "label"
    small_cell_pixels = 8.0  # small maps trace their contours on cells at most this many pixels wide
    x_scale = 2.0  # x arrows: weight units per unit of |x| (display only)
    x_length = None  # or one length (weight units) for every x arrow
    window = (-10.0, 10.0)  # the part of the weight grid shown on every map
    big_side = 4.6
    big_center = RIGHT * 4.35 + DOWN * 0.05
    bar_center = RIGHT * 0.2 + DOWN * 0.05
    bar_height = 4.6

    def get_samples(self):
        """Indices, inputs, labels and landscapes of the story's single samples."""
        S = numbers.story()
        X, y = numbers.dataset()
        idx = qm.single_samples(S)
        return idx, X[idx], y[idx], numbers.sample_grids()[idx]

    show_x = True  # draw each sample's x arrow on its map

    def get_sample_maps(self) -> SampleMaps:
        """One small map per single sample, as many rows and columns as the
        count needs, as large as fits the grid box."""
        _, Xs, ys, grids = self.get_samples()
        return self.layout_sample_maps(grids, Xs, ys)

    def layout_sample_maps(self, grids, X, y) -> SampleMaps:
        """Small maps of the landscapes ``grids`` (k, n, n) of samples (X, y),
        laid out in the grid box (any k from 1 to 16)."""
        label_height = label_room(self.label_size)
        _, _, side = fit_grid(len(grids), *self.grid_box, gap=self.small_buff, label_height=label_height,
                              max_side=self.small_side)
        maps = SampleMaps(numbers.story(), grids, X, y, side=side, cols=None, buff=self.small_buff,
                          x_scale=self.x_scale, window=self.window, show_x=self.show_x,
                          x_length=self.x_length, label_size=self.label_size, label_height=label_height,
                          cell_pixels=self.small_cell_pixels)
        return maps.move_to(self.grid_center)

    def get_average_map(self, Z=None) -> ContourMap:
        """The large map, showing the samples' average (or landscape Z), its
        frame centred on ``big_center``."""
        if Z is None:
            Z = qm.mean_landscape(self.get_samples()[3])
        m = ContourMap(numbers.story(), Z, side=self.big_side, window=self.window)
        return m.shift(self.big_center - m.frame.get_center())

    def get_color_bar(self) -> ColorBar:
        """One colour scale for every map on screen (they share the story's levels)."""
        return ColorBar(numbers.story(), height=self.bar_height, width=0.25).move_to(self.bar_center)
