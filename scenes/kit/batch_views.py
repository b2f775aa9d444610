"""One batch against all the data: the gap map, its colour bar, the batch lit.

- :class:`GapMap` shows a signed field on the weight grid as coloured bands,
  most often the gap between a batch's landscape and the full one,
  ``L_B(w) - L(w)`` (:func:`gap_grids`): dark where the two agree, orange
  where the batch's ground is higher, teal where it is lower. It is a
  contour map at signed levels (:func:`gap_levels`), so it updates in place
  and :class:`~scenes.kit.motion.Quake` plays a sequence of gaps on it::

      G = gap_grids(Zs)                     # the batches' landscapes minus the full one
      limit = symmetric_limit(G)            # a round colour limit
      gap = GapMap(S, G[0], limit, side=2.6)
      bar = GapBar(limit, height=2.6)
      self.play(Quake(gap, G, run_time=8))

- :class:`GapPanel`: a gap map with its title, a dot at one pair of weights
  and a readout of the gap there, quaking together.
- :class:`LightBatches` lights, in a :class:`~scenes.kit.sample_cloud.SampleCloud`,
  the samples of the batch a quake shows, on the same clock as the quake.
- :func:`nearest_level` picks one of the story's contour levels by value
  (a level a map actually draws).

The colours are fixed here and nowhere else: ``GAP_LOW`` (teal) below zero,
``GAP_ZERO`` (a dark grey a little lighter than the background) at zero,
``GAP_HIGH`` (orange) above.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Group, Line, Rectangle, VGroup

import quake_math as qm
from scenes.kit import numbers, palette, text
from scenes.kit.contour_map import ContourMap, nice_ticks
from scenes.kit.motion import LossReadout, Quake, weight_dot

__all__ = ["GAP_LOW", "GAP_ZERO", "GAP_HIGH", "gap_grids", "symmetric_limit", "gap_rgb", "gap_levels", "GapMap",
           "GapBar", "GapPanel", "LightBatches", "nearest_level"]

GAP_LOW = "#2ec4b6"  # the batch's ground lower than the full landscape
GAP_ZERO = "#1c2230"  # no gap
GAP_HIGH = "#ff9f1c"  # the batch's ground higher


def _rgb(color: str) -> np.ndarray:
    c = color.lstrip("#")
    return np.array([int(c[k:k + 2], 16) for k in (0, 2, 4)], dtype=float) / 255.0


def gap_grids(Zs) -> np.ndarray:
    """The gap ``L_B(w) - L(w)`` of each landscape in ``Zs`` (k, n, n) (or of
    one landscape (n, n)): the batch's landscape minus the full landscape,
    both from quake_math (``scenes.kit.numbers``)."""
    return np.asarray(Zs, dtype=float) - numbers.full_landscape()


def symmetric_limit(values, share: float = 0.98) -> float:
    """A round colour limit for signed values: the smallest 1, 2 or 5 times a
    power of ten at or above the ``share`` quantile of ``|values|`` (so a few
    extreme points saturate instead of washing the rest out)."""
    v = float(np.quantile(np.abs(np.asarray(values, dtype=float)), share))
    if not v > 0:
        raise ValueError("the values are all zero: there is no gap to colour")
    exp = int(np.floor(np.log10(v)))
    for e in (exp, exp + 1):
        for m in (1, 2, 5):
            if m * 10.0 ** e >= v * (1 - 1e-9):
                return float(m * 10.0 ** e)
    return float(10.0 ** (exp + 1))  # not reached


def gap_rgb(values, limit: float) -> np.ndarray:
    """RGB in [0, 1] of signed values: ``GAP_ZERO`` at 0, ``GAP_HIGH`` at
    +limit and beyond, ``GAP_LOW`` at -limit and beyond, linear between."""
    u = np.clip(np.asarray(values, dtype=float) / float(limit), -1.0, 1.0)[..., None]
    zero, low, high = _rgb(GAP_ZERO), _rgb(GAP_LOW), _rgb(GAP_HIGH)
    return np.where(u >= 0, zero + u * (high - zero), zero - u * (low - zero))


def gap_levels(story, limit: float, steps: int = 5) -> tuple[float, ...]:
    """The signed levels of a gap map: ``steps`` bands on each side of zero up
    to +/-limit, and one band below -limit reaching the lowest possible gap
    (the band above +limit is added by ``quake_math.band_edges``)."""
    inner = np.linspace(-limit, limit, 2 * steps + 1)
    return (-(story.max_loss + 1.0), *(float(v) + 0.0 for v in inner))


class GapMap(ContourMap):
    """A signed field G (on the story's weight grid) as coloured bands, from
    quake_math's contours at the signed levels :func:`gap_levels`: a
    :class:`~scenes.kit.contour_map.ContourMap` (same frame, ticks, ``w2p``,
    ``set_landscape``/``set_between``) whose bands take the gap colours.
    ``limit`` is the value drawn in full colour (beyond it, the colour stays).
    """

    def __init__(self, story, G, limit: float, side: float = 3.0, steps: int = 5, cell_pixels: float = 6.0,
                 label_size="label", max_ticks: int = 3, **kwargs):
        self.limit = float(limit)
        self.gap_story = story.replace(levels=gap_levels(story, self.limit, steps))
        kwargs.setdefault("lines", False)
        super().__init__(self.gap_story, G, side=side, cell_pixels=cell_pixels, label_size=label_size, **kwargs)
        # a small map: fewer round ticks (at most max_ticks per side)
        self.tick_values = tuple(nice_ticks(a, b, max_ticks) for a, b in self.windows)
        for tick in list(self.ticks):
            axis = 0 if np.isclose(tick[0].get_start()[0], tick[0].get_end()[0]) else 1  # W1 ticks hang down
            if not np.isclose(self.tick_values[axis], tick[1].value).any():
                self.ticks.remove(tick)
        for band, (lo, hi) in zip(self.bands, self.band_edges):
            mid = np.clip((lo + hi) / 2, -self.limit, self.limit)
            band.set_fill(_hex(gap_rgb(mid, self.limit)), opacity=1)


def _hex(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(round(255 * c)) for c in np.asarray(rgb).ravel()[:3])


class GapBar(VGroup):
    """A vertical colour bar for a :class:`GapMap`: one cell per band from
    -limit to +limit (the bands beyond take the end colours), ticks at
    -limit, 0 and +limit, a title above (TeX)."""

    def __init__(self, limit: float, height: float = 3.0, width: float = 0.28, steps: int = 5,
                 title: str | None = r"L_B - L", size="tick", **kwargs):
        super().__init__(**kwargs)
        self.limit = float(limit)
        n = 2 * steps
        h = height / n
        mids = (np.arange(n) + 0.5) / n * 2 * self.limit - self.limit
        self.cells = VGroup(*[
            Rectangle(width=width, height=h, stroke_width=0, fill_opacity=1,
                      fill_color=_hex(gap_rgb(v, self.limit))).move_to(UP * (k + 0.5) * h)
            for k, v in enumerate(mids)
        ])
        self.add(self.cells)
        self.marks = VGroup()
        for v in (-self.limit, 0.0, self.limit):
            y = (v + self.limit) / (2 * self.limit) * height
            tick = Line(RIGHT * width / 2 + UP * y, RIGHT * (width / 2 + 0.08) + UP * y,
                        stroke_color=palette.MUTED, stroke_width=1.5)
            s = "0" if v == 0 else (f"+{v:g}" if v > 0 else f"\u2212{-v:g}")
            t = text.caption(s, size, palette.TEXT).next_to(tick, RIGHT, buff=0.06)
            t.value = v
            self.marks.add(VGroup(tick, t))
        self.add(self.marks)
        if title:
            self.title = text.math(title, size="label").next_to(self.cells, UP, buff=0.2)
            self.add(self.title)
        self.center()


class GapPanel(Group):
    """A :class:`GapMap` with a title above, a dot at weights ``where`` and,
    beside the map, a readout of the gap there that follows the map
    (``set_between`` moves both). ``gaps`` are the fields it plays."""

    def __init__(self, story, gaps, limit: float, where, title: str, color, side: float = 2.5,
                 readout_words: str = "gap at the dot", **kwargs):
        super().__init__(**kwargs)
        self.gaps = np.asarray(gaps, dtype=float)
        self.map = GapMap(story, self.gaps[0], limit, side=side)
        self.title = text.caption(title, "note", color).next_to(self.map.frame, UP, buff=0.15)
        w1, w2 = qm.weight_axes(story)
        self.index = (int(np.argmin(np.abs(w2 - where[1]))), int(np.argmin(np.abs(w1 - where[0]))))
        self.where = np.array([w1[self.index[1]], w2[self.index[0]]])  # the grid point nearest to ``where``
        self.dot = weight_dot(self.map.w2p, self.where, color=palette.TEXT, radius=0.07)
        self.readout = LossReadout(self.index, self.gaps[0], num_decimal_places=2, font_size="body", color=palette.TEXT)
        self.box = VGroup(text.caption(readout_words, "label", palette.MUTED), self.readout)
        self.box.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.box.next_to(self.map.frame, RIGHT, buff=0.25).align_to(self.map.frame, DOWN)
        self.add(self.map, self.title, self.dot, self.box)

    def place(self, center) -> "GapPanel":
        """Move the panel so that its map's centre is at ``center``."""
        return self.shift(np.array([*center[:2], 0.0]) - self.map.frame.get_center())

    def set_between(self, G0, G1, t: float) -> "GapPanel":
        """The map morphs; the readout shows the batch nearer in time (a
        batch's own gap, not an in-between), rewritten only when it changes."""
        self.map.set_between(G0, G1, t)
        value = float(np.asarray(G0 if t < 0.5 else G1)[self.index])
        if value != self.readout.number.get_value():
            self.readout.number.set_value(value)
        return self


class LightBatches(Quake):
    """Light the samples of batch k in ``cloud`` (a SampleCloud) while a
    :class:`Quake` over the same number of landscapes, with the same run
    time, shows batch k's landscape: the lit set switches halfway through
    each change, when the in-between landscape is nearer the next batch.
    Only the lit dots are animated (the dim cloud stays out of the redraw)."""

    def __init__(self, cloud, batches, run_time=None, **kwargs):
        self.cloud = cloud
        self.batches = [np.asarray(b) for b in batches]
        self.shown = None
        super().__init__(cloud.lit, np.arange(len(self.batches), dtype=float), run_time=run_time, **kwargs)

    def batch_at(self, alpha: float) -> int:
        k, t = self.state_at(alpha)
        return k + 1 if t >= 0.5 else k

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.batch_at(alpha)
        if k != self.shown:
            self.cloud.light(self.batches[k])
            self.shown = k


def nearest_level(story, value: float, Z=None) -> int:
    """Index (into ``story.levels``) of the level nearest to ``value``; with a
    landscape Z, only among the levels strictly between Z's lowest and highest
    values (levels the map of Z draws a line for)."""
    levels = np.asarray(story.levels, dtype=float)
    ok = np.ones(len(levels), bool) if Z is None else (levels > np.min(Z)) & (levels < np.max(Z))
    if not ok.any():
        raise ValueError(f"no contour level of the story lies inside the landscape's range "
                         f"[{np.min(Z):.3g}, {np.max(Z):.3g}]: levels are {tuple(levels)}")
    idx = np.nonzero(ok)[0]
    return int(idx[np.argmin(np.abs(levels[idx] - value))])

