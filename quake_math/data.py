"""The data set: two isotropic Gaussian clouds in the plane, deterministic."""

from __future__ import annotations

import numpy as np

from .settings import Story

__all__ = ["make_dataset", "rng_for"]


def rng_for(story: Story, purpose: str) -> np.random.Generator:
    """An independent random stream per purpose, all derived from ``story.seed``.

    Each use of randomness (data, batches, samples, ...) gets its own stream,
    so changing one part of the story never shifts the numbers of another.
    """
    key = [story.seed] + [ord(c) for c in purpose]
    return np.random.default_rng(np.random.SeedSequence(key))


def make_dataset(story: Story) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: X of shape (N, 2), y of shape (N,) with values 0 and 1.

    Class 0 is a cloud of ``n_per_class`` points around ``center0``, class 1
    around ``center1``, both with standard deviation ``sigma``. Rows are in
    class order (all 0s, then all 1s); batches are drawn by shuffling.
    """
    rng = rng_for(story, "data")
    n = story.n_per_class
    c0 = np.asarray(story.center0, dtype=float)
    c1 = np.asarray(story.center1, dtype=float)
    X = np.concatenate([c0 + story.sigma * rng.standard_normal((n, 2)),
                        c1 + story.sigma * rng.standard_normal((n, 2))])
    y = np.concatenate([np.zeros(n), np.ones(n)])
    return X, y
