"""The story's numbers as the scenes need them, computed once per process.

Scenes never compute a loss, a gradient or a statistic: they ask quake_math,
through these cached helpers, for the story loaded from QUAKE_STORY (or the
defaults).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import quake_math as qm

__all__ = ["story", "dataset", "sample_grids", "full_landscape", "quake", "axes", "batch_landscapes", "lowest_point",
           "distinct_so_far"]


@lru_cache(maxsize=None)
def story() -> qm.Story:
    return qm.load_story()


@lru_cache(maxsize=None)
def dataset() -> tuple[np.ndarray, np.ndarray]:
    return qm.make_dataset(story())


@lru_cache(maxsize=None)
def sample_grids() -> np.ndarray:
    """Every sample's landscape on the story grid, shape (N, n, n)."""
    X, y = dataset()
    return qm.sample_landscapes(X, y, story())


@lru_cache(maxsize=None)
def full_landscape() -> np.ndarray:
    return qm.mean_landscape(sample_grids())


@lru_cache(maxsize=None)
def quake(batch_size: int | None = None, count: int | None = None):
    """``(batches, landscapes)`` of the story's quake at a batch size."""
    X, y = dataset()
    return qm.quake_landscapes(X, y, story(), batch_size=batch_size, count=count, grids=sample_grids())


def batch_landscapes(batches) -> np.ndarray:
    """The landscape of every batch in ``batches`` (lists of sample indices,
    e.g. a trajectory's ``batches``), shape (k, n, n)."""
    grids = sample_grids()
    return np.stack([qm.mean_landscape(grids, b) for b in batches])


def axes() -> tuple[np.ndarray, np.ndarray]:
    return qm.weight_axes(story())


def lowest_point(Z) -> np.ndarray:
    """The weights (W1, W2) of the lowest grid point of landscape Z: where a
    map of Z shows the valley floor."""
    w1, w2 = axes()
    i, j = np.unravel_index(int(np.argmin(Z)), np.shape(Z))
    return np.array([w1[j], w2[i]])


def distinct_so_far(batches) -> np.ndarray:
    """For every k, how many different batches (as sets of samples, order
    ignored) are among the first k + 1 of ``batches``."""
    seen: set[frozenset[int]] = set()
    out = []
    for b in batches:
        seen.add(frozenset(int(i) for i in b))
        out.append(len(seen))
    return np.array(out, dtype=int)
