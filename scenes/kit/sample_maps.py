"""Single-sample landscapes side by side, and gradient arrows at one point.

``SampleMaps`` lays out one small :class:`ContourMap` per sample (a 3x3 grid
for nine samples), all at the story's fixed levels, each with an arrow in the
direction of that sample's input x drawn from the map's weight origin. Only
the direction of that arrow matters: its length is ``x_scale * |x|`` in
weight units, a display choice.

``gradient_arrows`` draws gradients at one weight point as arrows, all with one
common display scale, using :class:`StepArrow` (from w to w + scale * g).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Dot, MathTex, VGroup

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.contour_map import ContourMap
from scenes.kit.motion import StepArrow

__all__ = ["SampleMaps", "SampleLayout", "gradient_arrows", "arrow_vectors"]



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
        Grid layout.
    x_scale
        Length of the x arrow in weight units per unit of |x| (display only).
    show_x
        Draw the x arrows (they are built either way, for tests and animations).
    """

    def __init__(self, story, grids, X, y, side: float = 1.9, cols: int = 3, buff: float = 0.42,
                 x_scale: float = 3.0, label_size: float = 24, line_width: float = 0.7,
                 window=None, show_x: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.story = story
        self.grids = np.asarray(grids, dtype=float)
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        if not (len(self.grids) == len(self.X) == len(self.y)):
            raise ValueError("grids, X and y must hold the same number of samples")
        self.x_scale = float(x_scale)
        self.maps = VGroup()
        self.origins = VGroup()
        self.x_arrows = VGroup()
        self.labels = VGroup()
        self.cells = VGroup()
        for k, Z in enumerate(self.grids):
            m = ContourMap(story, Z, side=side, window=window, axis_labels=False,
                           line_width=line_width, ticks=False)
            self.maps.add(m)
            cell = VGroup(m)
            self.cells.add(cell)
        self.cells.arrange_in_grid(cols=cols, buff=buff)
        for k, (m, x, lab) in enumerate(zip(self.maps, self.X, self.y)):
            o = m.w2p(np.zeros(2))
            origin = Dot(o, radius=0.035, color=palette.TEXT)
            arrow = Arrow(o, m.w2p(self.x_scale * x), buff=0, color=palette.class_color(lab),
                          stroke_width=4, max_tip_length_to_length_ratio=0.3,
                          max_stroke_width_to_length_ratio=10)
            label = MathTex(f"y = {int(lab)}", font_size=label_size, color=palette.class_color(lab))
            label.next_to(m.frame, UP, buff=0.06)
            self.origins.add(origin)
            self.x_arrows.add(arrow)
            self.labels.add(label)
            self.cells[k].add(*((origin, arrow, label) if show_x else (label,)))
        self.add(self.cells)

    def x_directions(self) -> np.ndarray:
        """The drawn x arrows read back in weight coordinates (k, 2): start to tip."""
        out = []
        for m, a in zip(self.maps, self.x_arrows):
            out.append(m.p2w(a.get_end()) - m.p2w(a.get_start()))
        return np.array(out)


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
    """Mixin for scenes showing the story's single samples: the nine small
    maps on the left, their average as a large map on the right. Subclass
    and change the class attributes to move things around."""

    grid_center = LEFT * 3.35 + DOWN * 0.1
    small_side = 1.9
    small_buff = 0.42
    x_scale = 2.0  # x arrows: weight units per unit of |x| (display only)
    window = (-10.0, 10.0)  # the part of the weight grid shown on every map
    big_side = 5.2
    big_center = RIGHT * 3.75 + UP * 0.1

    def get_samples(self):
        """Indices, inputs, labels and landscapes of the story's single samples."""
        S = numbers.story()
        X, y = numbers.dataset()
        idx = qm.single_samples(S)
        return idx, X[idx], y[idx], numbers.sample_grids()[idx]

    show_x = True  # draw each sample's x arrow on its map

    def get_sample_maps(self) -> SampleMaps:
        _, Xs, ys, grids = self.get_samples()
        maps = SampleMaps(numbers.story(), grids, Xs, ys, side=self.small_side, buff=self.small_buff,
                          x_scale=self.x_scale, window=self.window, show_x=self.show_x)
        return maps.move_to(self.grid_center)

    def get_average_map(self, Z=None) -> ContourMap:
        """The large map, showing the samples' average (or landscape Z)."""
        if Z is None:
            Z = qm.mean_landscape(self.get_samples()[3])
        m = ContourMap(numbers.story(), Z, side=self.big_side, window=self.window)
        return m.move_to(self.big_center)
