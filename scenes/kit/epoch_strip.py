"""One epoch on screen: the samples as tiles, shuffled once, cut into batches,
and each batch's class counts as a stacked bar.

:class:`TileStrip` lays out ``n`` tiles in a strip of blocks of
``batch_size`` (slot ``p`` is place ``p % B`` of block ``p // B``, filled
column by column); with ``gaps`` the blocks stand apart, as after the cut::

    strip = TileStrip(len(y), B)
    tiles = strip.tiles(y)                              # sample i in slot i
    self.play(Transform(tiles, strip.arranged(tiles, np.concatenate(batches))))
    frame = strip.frame(0)                              # outline of batch 1

:class:`CountBars` draws one bar per batch: its 1s at the bottom, its 0s on
top, the counts written inside, ``bar_height`` for a whole batch. Its
:meth:`CountBars.stack` places one batch's tiles in the bar's outline, 1s
from the bottom up and 0s above them, so the tiles can fly into their bar
before the bar itself appears (the count made visible)::

    bars = CountBars(counts, xs=[...], bottom=-3.1)
    self.play(Transform(tiles_of_batch, bars.stack(0, tiles_of_batch, labels_of_batch)))
    self.play(FadeIn(bars[0]))
    bars.fill(self, 0, tiles_of_batch, labels_of_batch)   # the same, on copies, in one call

:func:`pool_label` writes what an epoch has left: ``500 left: 257 zeros 243 ones``.

Dimming and lighting tiles cheaply: a scene redraws, every frame, each
mobject that changes and every mobject drawn after it, so fading 500 of 600
tiles one by one redraws hundreds of shapes a frame. Instead, :func:`veil`
lays one background-coloured rectangle over them (dim), and
:func:`tile_layer` redraws chosen tiles as one shape per class, to put on
top of a veil (lit)::

    self.play(FadeIn(veil(used_tiles)))                          # batch 1 used up
    self.play(FadeIn(veil(rest)), FadeIn(tile_layer(tiles, zeros)))  # only the 0s left lit
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, DashedLine, FadeIn, FadeOut, Mobject, Rectangle, Square, Transform, VGroup, VMobject

from scenes.kit import palette
from scenes.kit.text import caption

__all__ = ["TileStrip", "CountBars", "pool_label", "veil", "tile_layer"]


class TileStrip:
    """Where the tiles of ``n`` samples sit, in blocks of ``batch_size``
    (only whole blocks: ``n // batch_size`` of them, ``n`` rounded down)."""

    def __init__(self, n: int, batch_size: int, pitch: float = 0.17, tile: float = 0.14, gap: float = 0.38,
                 center_y: float = 1.75):
        if not 1 <= batch_size <= n:
            raise ValueError(f"batch_size = {batch_size} must be between 1 and n = {n}")
        self.n, self.B = int(n), int(batch_size)
        self.pitch, self.tile, self.gap, self.center_y = pitch, tile, gap, center_y
        self.rows = int(np.ceil(np.sqrt(self.B)))
        self.cols = int(np.ceil(self.B / self.rows))  # columns of one block
        self.blocks = self.n // self.B

    def positions(self, gaps: bool) -> np.ndarray:
        """Screen position of every slot, shape (n, 3), centred on x = 0."""
        p = np.arange(self.n)
        k, q = p // self.B, p % self.B
        col = k * self.cols + q // self.rows
        x = col * self.pitch + (k * self.gap if gaps else 0.0)
        y = -(q % self.rows) * self.pitch
        pos = np.column_stack([x, y, np.zeros(self.n)])
        n_blocks = int(np.ceil(self.n / self.B))
        width = (n_blocks * self.cols - 1) * self.pitch + ((n_blocks - 1) * self.gap if gaps else 0.0)
        pos[:, 0] -= width / 2
        pos[:, 1] += self.center_y + (self.rows - 1) * self.pitch / 2
        return pos

    def tiles(self, y, positions: np.ndarray | None = None) -> VGroup:
        """One square per sample, coloured by class; sample i in slot i (or
        at ``positions[i]``). ``.labels`` holds the classes."""
        y = np.asarray(y).astype(int)
        pos = self.positions(gaps=False) if positions is None else positions
        tiles = VGroup(*[Square(side_length=self.tile, fill_color=palette.class_color(c), fill_opacity=1,
                                stroke_width=0).move_to(pos[i]) for i, c in enumerate(y)])
        tiles.labels = y.copy()
        return tiles

    def arranged(self, tiles: VGroup, order, gaps: bool = False) -> VGroup:
        """A copy of ``tiles`` with sample ``order[p]`` in slot ``p`` (an
        epoch's shuffle: its batches concatenated). ``.slot[i]`` is sample
        i's slot (-1 for samples left out)."""
        order = np.asarray(order, dtype=int)
        if len(np.unique(order)) != len(order) or (len(order) and not 0 <= order.min() <= order.max() < len(tiles)):
            raise ValueError("order must list distinct sample indices of the tiles")
        pos = self.positions(gaps)
        target = tiles.copy()
        slot = np.full(len(tiles), -1)
        slot[order] = np.arange(len(order))
        for i, t in enumerate(target):
            if slot[i] >= 0:
                t.move_to(pos[slot[i]])
        target.slot = slot
        return target

    def block_box(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Lower-left and upper-right tile centres of block k (after the cut)."""
        pos = self.positions(gaps=True)[k * self.B:(k + 1) * self.B]
        return pos.min(axis=0), pos.max(axis=0)

    def block_center(self, k: int) -> np.ndarray:
        lo, hi = self.block_box(k)
        return 0.5 * (lo + hi)

    def frame(self, k: int, color=palette.ACCENT, pad: float = 0.08) -> Rectangle:
        """An outline around block k (after the cut)."""
        lo, hi = self.block_box(k)
        r = Rectangle(width=hi[0] - lo[0] + self.pitch + pad, height=hi[1] - lo[1] + self.pitch + pad,
                      stroke_color=color, stroke_width=3, fill_opacity=0)
        return r.move_to(0.5 * (lo + hi))


class CountBars(VGroup):
    """One stacked bar per batch at ``xs``: 1s (``[:, 1]`` of ``counts``) at
    the bottom, 0s above, counts written inside, a name under each.

    Each bar is ``VGroup(ones, zeros, ones_text, zeros_text, name)`` with
    ``.counts = (zeros, ones)``; ``.half`` is a dashed line at half a batch.
    """

    def __init__(self, counts, xs, bottom: float, batch_size: int, bar_height: float = 3.0,
                 bar_width: float = 1.45, count_size="note", name=lambda k: f"batch {k + 1}", name_size="tick"):
        super().__init__()
        counts = np.asarray(counts, dtype=int)
        if counts.ndim != 2 or counts.shape[1] != 2 or len(xs) != len(counts):
            raise ValueError(f"counts must be (batches, 2) and xs one per batch: got {counts.shape} and {len(xs)}")
        if np.any(counts.sum(axis=1) != batch_size):
            raise ValueError(f"every batch must hold batch_size = {batch_size} samples: {counts.sum(axis=1)}")
        self.B, self.bottom, self.bar_height, self.bar_width = int(batch_size), bottom, bar_height, bar_width
        self.xs = np.asarray(xs, dtype=float)
        for k, ((zeros, ones), x) in enumerate(zip(counts, self.xs)):
            h1, h0 = bar_height * ones / self.B, bar_height * zeros / self.B
            r1 = Rectangle(width=bar_width, height=h1, fill_color=palette.CLASS1, fill_opacity=1,
                           stroke_width=0).move_to([x, bottom + h1 / 2, 0])
            r0 = Rectangle(width=bar_width, height=h0, fill_color=palette.CLASS0, fill_opacity=1,
                           stroke_width=0).move_to([x, bottom + h1 + h0 / 2, 0])
            t1 = caption(f"{ones}", count_size, palette.BACKGROUND).move_to(r1)
            t0 = caption(f"{zeros}", count_size, palette.BACKGROUND).move_to(r0)
            label = caption(name(k), name_size, palette.MUTED).next_to(r1, DOWN, buff=0.12)
            bar = VGroup(r1, r0, t1, t0, label)
            bar.counts = (int(zeros), int(ones))
            bar.ones_text, bar.zeros_text = t1, t0
            self.add(bar)
        y_half = bottom + bar_height / 2
        self.half = DashedLine([self.xs[0] - bar_width / 2 - 0.2, y_half, 0],
                               [self.xs[-1] + bar_width / 2 + 0.2, y_half, 0],
                               color=palette.TEXT, stroke_width=2, dash_length=0.1)

    def level(self, count: float) -> float:
        """Screen y of a count of 1s (from the bars' bottom)."""
        return self.bottom + self.bar_height * count / self.B

    def stack(self, k: int, tiles: VGroup, labels, cols: int | None = None) -> VGroup:
        """A copy of ``tiles`` (one batch, classes ``labels``) stacked in bar
        k's outline: 1s filling cells from the bottom row up, 0s above them,
        ``cols`` cells a row (so ``ones / B`` of the height holds 1s)."""
        labels = np.asarray(labels).astype(int)
        if len(labels) != len(tiles) or len(tiles) != self.B:
            raise ValueError(f"a bar stacks one batch: {self.B} tiles with their labels, not {len(tiles)}")
        cols = cols or int(np.ceil(np.sqrt(self.B / 4)))
        rows = int(np.ceil(self.B / cols))
        w, h = self.bar_width / cols, self.bar_height / rows
        order = np.concatenate([np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)])
        target = tiles.copy()
        x0 = self.xs[k] - self.bar_width / 2
        for cell, i in enumerate(order):
            r, c = divmod(cell, cols)
            target[i].stretch_to_fit_width(w * 0.86).stretch_to_fit_height(h * 0.8)
            target[i].move_to([x0 + (c + 0.5) * w, self.bottom + (r + 0.5) * h, 0])
        return target

    def fill(self, scene, k: int, tiles: VGroup, labels, run_time: float = 1.4) -> None:
        """Play batch k being counted: copies of its ``tiles`` fly into bar
        k's outline (:meth:`stack`), then the bar takes their place."""
        copies = VGroup(*[t.copy() for t in tiles])
        scene.play(Transform(copies, self.stack(k, copies, labels)), run_time=run_time)
        scene.play(FadeIn(self[k]), FadeOut(copies), run_time=0.4 * run_time)


def pool_label(zeros: int, ones: int, size="note") -> VGroup:
    """``N left: z zeros  o ones``, each count in its class colour (parts 0, 1, 2)."""
    return VGroup(caption(f"{zeros + ones} left:", size, palette.MUTED),
                  caption(f"{zeros} zeros", size, palette.CLASS0),
                  caption(f"{ones} ones", size, palette.CLASS1)).arrange(RIGHT, buff=0.25)


def veil(*mobs: Mobject, opacity: float = 0.78, pad: float = 0.04) -> Rectangle:
    """A background-coloured rectangle over the box around ``mobs``: dims
    everything under it as one shape."""
    box = VGroup(*mobs)
    return Rectangle(width=box.width + 2 * pad, height=box.height + 2 * pad, stroke_width=0,
                     fill_color=palette.BACKGROUND, fill_opacity=opacity).move_to(box)


def tile_layer(tiles: VGroup, indices) -> VGroup:
    """Tiles ``indices`` of ``tiles`` (with ``.labels``) redrawn where they are
    now, as one shape per class: cheap to fade in over a :func:`veil`."""
    idx = np.asarray(indices, dtype=int)
    layer = VGroup()
    for c in (0, 1):
        pick = [tiles[i] for i in idx if int(tiles.labels[i]) == c]
        shape = VMobject(fill_color=palette.class_color(c), fill_opacity=1, stroke_width=0)
        shape.points = np.concatenate([t.points for t in pick]) if pick else np.zeros((0, 3))
        layer.add(shape)
    layer.indices = idx
    return layer
