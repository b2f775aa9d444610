"""Loss landscapes: the loss evaluated over the whole weight grid at once.

Grids follow contourpy's convention: ``Z[i, j]`` is the loss at
``(W1, W2) = (w1[j], w2[i])``, so rows run along W2 and columns along W1.
Everything is vectorised over the grid; no Python loop visits grid points.
"""

from __future__ import annotations

import numpy as np

from .loss import _check, _loss_of_z, batch_gradient, batch_loss
from .settings import Story

__all__ = [
    "weight_axes", "weight_grid", "full_landscape", "batch_landscape",
    "sample_landscapes", "mean_landscape", "interpolate", "gradient_field",
]


def weight_axes(story: Story, points: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The grid coordinates ``(w1, w2)``, each of length ``grid_points``
    (or ``points``: the same square of weights, sampled more or less finely)."""
    n = story.grid_points if points is None else int(points)
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    ax = np.linspace(story.grid_min, story.grid_max, n)
    return ax, ax.copy()


def weight_grid(story: Story, points: int | None = None) -> np.ndarray:
    """All grid weights, shape (n, n, 2) with ``W[i, j] = (w1[j], w2[i])``."""
    w1, w2 = weight_axes(story, points)
    W1, W2 = np.meshgrid(w1, w2)
    return np.stack([W1, W2], axis=-1)


def full_landscape(X, y, story: Story) -> np.ndarray:
    """The full-batch landscape: mean loss over all samples, shape (n, n)."""
    return batch_landscape(X, y, np.arange(len(X)), story)


def batch_landscape(X, y, idx, story: Story) -> np.ndarray:
    """The landscape of one mini-batch (rows ``idx`` of X, y), shape (n, n)."""
    idx = _check_idx(idx, len(X))
    return batch_loss(weight_grid(story), np.asarray(X)[idx], np.asarray(y)[idx], story.clip)


def sample_landscapes(X, y, story: Story, idx=None, points: int | None = None) -> np.ndarray:
    """One landscape per sample, shape (k, n, n) for the k rows ``idx``.

    With ``idx`` None every sample of X is used. The mean over the first axis
    of any subset is that subset's batch landscape (see :func:`mean_landscape`).
    ``points`` samples the same square of weights with another number of
    grid points per side (default: the story's ``grid_points``).

    Memory: the result holds k n^2 floats; computing it needs one more
    array of that size, no more.
    """
    W = weight_grid(story, points)
    _, X, y = _check(W, X, y)
    if idx is not None:
        idx = _check_idx(idx, len(X))
        X, y = X[idx], y[idx]
    n = W.shape[0]
    z = X @ W.reshape(-1, 2).T  # (k, n * n)
    return _loss_of_z(z, y[:, None], story.clip).reshape(len(X), n, n)


def mean_landscape(grids: np.ndarray, idx=None) -> np.ndarray:
    """Mean of per-sample grids (all of them, or rows ``idx``): a batch landscape."""
    grids = np.asarray(grids)
    if idx is None:
        return grids.mean(axis=0)
    return grids[_check_idx(idx, len(grids))].mean(axis=0)


def interpolate(Z0, Z1, t: float) -> np.ndarray:
    """The in-between grid ``(1 - t) Z0 + t Z1`` for t in [0, 1].

    Because a landscape is a mean of per-sample losses, the in-between grid
    is itself the landscape of a weighted mix of the two batches; its contours
    morph smoothly, unlike a cross-fade of two pictures.
    """
    Z0 = np.asarray(Z0, dtype=float)
    Z1 = np.asarray(Z1, dtype=float)
    if Z0.shape != Z1.shape:
        raise ValueError(f"grids differ in shape: {Z0.shape} vs {Z1.shape}")
    t = float(t)
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"t = {t} is outside [0, 1]")
    return (1.0 - t) * Z0 + t * Z1


def gradient_field(X, y, story: Story, idx=None) -> np.ndarray:
    """Analytic gradient of a batch's loss at every grid point, shape (n, n, 2)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if idx is not None:
        idx = _check_idx(idx, len(X))
        X, y = X[idx], y[idx]
    return batch_gradient(weight_grid(story), X, y, story.clip)


def _check_idx(idx, n: int) -> np.ndarray:
    idx = np.asarray(idx)
    if idx.ndim != 1 or idx.size == 0:
        raise ValueError("a batch must be a non-empty 1-D array of sample indices")
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"batch indices must be integers, got dtype {idx.dtype}")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"batch indices must lie in 0..{n - 1}")
    return idx


