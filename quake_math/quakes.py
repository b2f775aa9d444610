"""The earthquake sequences a scene plays: batches and their landscapes."""

from __future__ import annotations

import numpy as np

from .data import rng_for
from .landscape import sample_landscapes
from .sampling import batch_stream
from .settings import Story

__all__ = ["quake_batches", "quake_landscapes", "morph_times", "single_samples"]


def quake_batches(story: Story, batch_size: int | None = None, count: int | None = None) -> list[np.ndarray]:
    """The story's sequence of mini-batches for an earthquake loop."""
    b = story.quake_batch_size if batch_size is None else batch_size
    c = story.quake_batches if count is None else count
    return batch_stream(story.n_samples, b, c, rng_for(story, f"quake-{b}"))


def quake_landscapes(X, y, story: Story, batch_size: int | None = None,
                     count: int | None = None, grids: np.ndarray | None = None):
    """``(batches, landscapes)``: the batches and their grids, shape (count, n, n).

    Pass ``grids`` (all per-sample landscapes) to reuse them across calls.
    """
    batches = quake_batches(story, batch_size, count)
    if grids is None:
        grids = sample_landscapes(X, y, story)
    return batches, np.stack([grids[b].mean(axis=0) for b in batches])


def morph_times(story: Story) -> np.ndarray:
    """The in-between times t of one batch change (excluding t = 0)."""
    return np.arange(1, story.morph_frames + 1) / story.morph_frames


def single_samples(story: Story) -> np.ndarray:
    """Indices of the story's per-sample picture (``n_single`` distinct samples)."""
    rng = rng_for(story, "single")
    return np.sort(rng.choice(story.n_samples, size=story.n_single, replace=False))
