"""Contour lines and filled bands of a landscape, from contourpy.

Everything is returned as plain float arrays in weight coordinates (W1, W2),
ready to be mapped to the screen by a scene.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np

from .landscape import weight_axes
from .settings import Story

__all__ = ["Band", "contour_lines", "contour_bands", "band_edges"]


@dataclass(frozen=True)
class Band:
    """The region where ``lo <= Z < hi``, as closed rings in weight coordinates.

    Outer boundaries run anticlockwise and holes clockwise (contourpy's
    convention), so a nonzero-winding fill draws the band with its holes.
    """

    lo: float
    hi: float
    rings: tuple[np.ndarray, ...]


def _generator(Z, story: Story, axes=None):
    Z = np.asarray(Z, dtype=float)
    w1, w2 = weight_axes(story) if axes is None else (np.asarray(axes[0]), np.asarray(axes[1]))
    if Z.shape != (len(w2), len(w1)):
        raise ValueError(f"grid has shape {Z.shape}, expected ({len(w2)}, {len(w1)}) for these weight axes")
    return contourpy.contour_generator(
        w1, w2, Z, name="serial", line_type="Separate", fill_type="OuterOffset"
    )


def contour_lines(Z, story: Story, levels=None, axes=None) -> list[tuple[float, list[np.ndarray]]]:
    """For each level: ``(level, [polyline, ...])``, each polyline shape (m, 2).

    ``axes`` = (w1, w2) gives the grid's coordinates when Z is not on the
    story's full grid (a crop of it, for example).
    """
    gen = _generator(Z, story, axes)
    levels = story.levels if levels is None else levels
    return [(float(lv), [np.asarray(a, dtype=float) for a in gen.lines(lv)]) for lv in levels]


def band_edges(story: Story, top: float | None = None) -> list[tuple[float, float]]:
    """``(lo, hi)`` of every band: between consecutive levels, then one band
    from the last level up to ``top`` (default: the largest possible loss)."""
    lv = list(story.levels)
    top = story.max_loss + 1.0 if top is None else top
    edges = list(zip(lv[:-1], lv[1:]))
    if top > lv[-1]:
        edges.append((lv[-1], top))
    return edges


def contour_bands(Z, story: Story, axes=None) -> list[Band]:
    """Filled bands of Z at the story's levels (plus the band above the top level)."""
    gen = _generator(Z, story, axes)
    bands = []
    for lo, hi in band_edges(story):
        rings: list[np.ndarray] = []
        for points, offsets in zip(*gen.filled(lo, hi)):
            pts = np.asarray(points, dtype=float)
            rings.extend(pts[a:b] for a, b in zip(offsets[:-1], offsets[1:]))
        bands.append(Band(float(lo), float(hi), tuple(rings)))
    return bands
