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



def demo_epoch(story: Story, y=None, max_tries: int = 10_000) -> list[np.ndarray]:
    """One epoch for the "not quite random" picture: the data shuffled once
    and cut into batches of ``correlation_batch_size`` (full batches only).

    It is the first epoch of its own random stream whose first batch holds
    clearly more 1s than an even share: at least one standard deviation
    (of the count, drawing without replacement) above the expected count.
    ``y`` are the labels (default: the story's data set).
    """
    from .data import make_dataset
    from .sampling import epoch_batches

    if y is None:
        _, y = make_dataset(story)
    y = np.asarray(y)
    N, B = len(y), story.correlation_batch_size
    p = float(np.mean(y == 1))
    expected = B * p
    sd = float(np.sqrt(B * p * (1 - p) * (N - B) / (N - 1))) if N > 1 else 0.0
    rng = rng_for(story, "epoch-demo")
    for _ in range(max_tries):
        batches = epoch_batches(N, B, rng, drop_last=True)
        if np.sum(y[batches[0]] == 1) >= expected + sd:
            return batches
    raise ValueError(f"no epoch in {max_tries} shuffles starts with a batch rich in 1s")


__all__.append("demo_epoch")
