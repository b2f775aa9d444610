"""The magnitude of a quake: how far batch landscapes stray from the full one.

For a fixed w and a batch of B samples drawn without replacement from N,
the batch loss L_B(w) is a sample mean, so

    E[L_B(w)] = L(w),   Var[L_B(w)] = s^2(w) / B * (N - B) / (N - 1),

with s^2(w) the population variance of the N per-sample losses at w. The
magnitude of a batch size is the root mean square gap between a batch
landscape and the full landscape, over the grid and over batches:

    M(B) = sqrt( mean_batches mean_grid (L_B - L)^2 ),

and its closed form is  sqrt( mean_grid Var[L_B(w)] ). It falls like
1/sqrt(B) and is exactly zero at B = N.

The closed form lives in one function, :func:`magnitude_theory_curve`; the
measurement in one, :func:`measured_magnitude`. Both work on per-sample
grids (N, n, n), computed once on the statistics grid by
:func:`statistics_grids`.
"""

from __future__ import annotations

import numpy as np

from .data import rng_for
from .landscape import sample_landscapes
from .sampling import batch_stream, check_batch_size
from .settings import Story

__all__ = [
    "statistics_grids", "magnitude_theory_curve", "measured_magnitude", "magnitude_curve",
    "story_magnitude_curve", "magnitude_ratio",
]


def statistics_grids(X, y, story: Story) -> np.ndarray:
    """Per-sample landscapes on the statistics grid: the same square of
    weights as the pictures, with ``magnitude_grid_points`` per side."""
    return sample_landscapes(X, y, story, points=story.magnitude_grid_points)


def magnitude_theory_curve(grids: np.ndarray, batch_sizes) -> np.ndarray:
    """The closed-form magnitude of each batch size, from per-sample grids
    (N, ...):

        M(B) = sqrt( mean_w s^2(w) * (N - B) / (B (N - 1)) ),

    exactly zero at B = N. ``batch_sizes`` may be one number or many, whole
    or not (for a smooth curve), each in [1, N]; the result has their shape.
    """
    grids = np.asarray(grids, dtype=float)
    N = len(grids)
    B = check_batch_size(batch_sizes, N, whole=False)
    s2 = float(np.mean(grids.reshape(N, -1).var(axis=0)))  # population variance, ddof = 0
    fpc = (N - B) / (N - 1) if N > 1 else np.zeros_like(B)
    return np.sqrt(np.maximum(s2 * fpc / B, 0.0))


def measured_magnitude(grids: np.ndarray, batch_size: int, batches: int, rng) -> float:
    """The magnitude measured over ``batches`` batches of ``batch_size``:
    consecutive full batches of a stream of shuffled epochs (as training
    draws them), each compared with the full landscape over the grid."""
    grids = np.asarray(grids, dtype=float)
    N = len(grids)
    B = check_batch_size(batch_size, N)
    if isinstance(batches, bool) or not isinstance(batches, (int, np.integer)) or batches < 1:
        raise ValueError(f"batches = {batches!r} is invalid: it must be a whole number >= 1")
    flat = grids.reshape(N, -1)
    full = flat.mean(axis=0)
    total = 0.0
    for idx in batch_stream(N, B, int(batches), rng):
        total += float(np.mean((flat[idx].mean(axis=0) - full) ** 2))
    return float(np.sqrt(total / batches))


def magnitude_curve(X, y, story: Story, batch_sizes=None):
    """``(batch_sizes, measured, theory)`` arrays over the story's magnitude
    batch sizes (or ``batch_sizes``), on the statistics grid. Each batch size
    is measured over ``magnitude_batches`` batches from its own random stream.
    """
    sizes = np.asarray(story.magnitude_batch_sizes if batch_sizes is None else batch_sizes)
    grids = statistics_grids(X, y, story)
    measured = np.array([
        measured_magnitude(grids, int(b), story.magnitude_batches, rng_for(story, f"magnitude-{int(b)}"))
        for b in sizes
    ])
    return sizes, measured, magnitude_theory_curve(grids, sizes)


def story_magnitude_curve(X, y, story: Story):
    """``(batch_sizes, measured, theory)`` at the story's magnitude batch sizes
    together with the two batch sizes of the side-by-side quake."""
    sizes = sorted(set(story.magnitude_batch_sizes) | set(story.batch_sizes))
    return magnitude_curve(X, y, story, batch_sizes=sizes)


def magnitude_ratio(sizes, values, small: int, large: int) -> float:
    """How many times stronger the quake of batch size ``small`` is than that
    of ``large``: ``values`` at ``small`` over ``values`` at ``large``."""
    sizes = [int(s) for s in np.asarray(sizes)]
    for b in (small, large):
        if b not in sizes:
            raise ValueError(f"batch size {b} is not among the measured sizes {sizes}")
    den = float(values[sizes.index(large)])
    if den == 0.0:
        raise ValueError(f"the magnitude at batch size {large} is 0 (all the data): no ratio to it")
    return float(values[sizes.index(small)]) / den
