"""Statistics of the quake: how far batch landscapes stray from the full one,
and how consecutive batches of an epoch depend on each other.

Magnitude. For a fixed w and a batch of B samples drawn without replacement
from N, the batch loss L_B(w) is a sample mean, so

    E[L_B(w)] = L(w),   Var[L_B(w)] = s^2(w) / B * (N - B) / (N - 1),

with s^2(w) the population variance of the N per-sample losses at w. The
magnitude of a batch size is the root mean square gap between a batch
landscape and the full landscape, over the grid and over batches:

    M(B) = sqrt( mean_batches mean_grid (L_B - L)^2 ),

and its closed form is  sqrt( mean_grid Var[L_B(w)] ). It falls like
1/sqrt(B) and is exactly zero at B = N.

Class fractions. Two disjoint batches of one epoch are two parts of one
shuffle. With B samples each out of N, the Pearson correlation of their
class-1 fractions is exactly -B / (N - B), whatever the class balance.
"""

from __future__ import annotations

import numpy as np

from .data import rng_for
from .landscape import sample_landscapes
from .sampling import epoch_batches
from .settings import Story

__all__ = [
    "magnitude", "magnitude_theory", "magnitude_curve", "magnitude_from_grids",
    "theory_from_grids", "statistics_grids", "fraction_correlation", "fraction_correlation_theory",
    "expected_next_ones",
]


def _check_b(batch_size, n):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be a whole number, got {batch_size!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size = {batch_size} is invalid: allowed range is 1..{n}")


def magnitude_from_grids(grids: np.ndarray, batch_size: int, batches: int, rng) -> float:
    """Measured magnitude from per-sample grids (N, n, n), over at least
    ``batches`` full batches of ``batch_size``, cut from as many shuffles
    (epochs) as that takes."""
    N = len(grids)
    _check_b(batch_size, N)
    epochs = -(-batches // (N // batch_size))
    flat = grids.reshape(N, -1)
    full = flat.mean(axis=0)
    total, count = 0.0, 0
    for _ in range(epochs):
        batches = epoch_batches(N, batch_size, rng, drop_last=True)
        idx = np.concatenate(batches)
        means = flat[idx].reshape(len(batches), batch_size, -1).mean(axis=1)
        total += float(np.sum((means - full) ** 2))
        count += means.size
    return float(np.sqrt(total / count))


def theory_from_grids(grids: np.ndarray, batch_size: int) -> float:
    """Closed-form magnitude from per-sample grids (N, n, n)."""
    N = len(grids)
    _check_b(batch_size, N)
    s2 = grids.reshape(N, -1).var(axis=0)  # population variance, ddof = 0
    fpc = (N - batch_size) / (N - 1) if N > 1 else 0.0
    return float(np.sqrt(np.mean(s2 / batch_size * fpc)))


def statistics_grids(X, y, story: Story) -> np.ndarray:
    """Per-sample landscapes on the statistics grid: the same square of
    weights as the pictures, with ``magnitude_grid_points`` per side."""
    return sample_landscapes(X, y, story.replace(grid_points=story.magnitude_grid_points))


def _measured(grids, batch_size, story):
    rng = rng_for(story, f"magnitude-{batch_size}")
    return magnitude_from_grids(grids, batch_size, story.magnitude_batches, rng)


def magnitude(X, y, batch_size: int, story: Story) -> float:
    """Measured earthquake magnitude of ``batch_size`` (story's statistics grid)."""
    _check_b(batch_size, len(X))
    return _measured(statistics_grids(X, y, story), batch_size, story)


def magnitude_theory(X, y, batch_size: int, story: Story) -> float:
    """Closed-form earthquake magnitude of ``batch_size`` (story's statistics grid)."""
    _check_b(batch_size, len(X))
    return theory_from_grids(statistics_grids(X, y, story), batch_size)


def magnitude_curve(X, y, story: Story, batch_sizes=None):
    """``(batch_sizes, measured, theory)`` arrays over the story's batch sizes.

    The per-sample grids are computed once and shared by every batch size.
    """
    sizes = np.asarray(story.magnitude_batch_sizes if batch_sizes is None else batch_sizes)
    grids = statistics_grids(X, y, story)
    measured = np.array([_measured(grids, int(b), story) for b in sizes])
    theory = np.array([theory_from_grids(grids, int(b)) for b in sizes])
    return sizes, measured, theory


def fraction_correlation(y, batch_size: int, epochs: int, rng) -> float:
    """Measured Pearson correlation of the class-1 fraction of consecutive
    batches within an epoch (full batches only), over ``epochs`` shuffles
    (the pairs of :func:`fraction_pairs`)."""
    a, b = fraction_pairs(y, batch_size, epochs, rng)
    return float(np.corrcoef(a, b)[0, 1])


def fraction_correlation_theory(n: int, batch_size: int) -> float:
    """Closed form: -B / (N - B) for two disjoint batches of one shuffle."""
    _check_b(batch_size, n)
    if 2 * batch_size > n:
        raise ValueError(f"two disjoint batches of {batch_size} do not fit in {n} samples")
    return -batch_size / (n - batch_size)


def expected_next_ones(ones_now: int, batch_size: int, n: int, n_ones: int) -> float:
    """Expected number of 1s in the next batch, given ``ones_now`` 1s in this
    one: the next batch is drawn from the N - B samples left."""
    _check_b(batch_size, n)
    if not 0 <= ones_now <= min(batch_size, n_ones):
        raise ValueError(f"ones_now = {ones_now} is impossible for a batch of {batch_size}")
    return batch_size * (n_ones - ones_now) / (n - batch_size)


def story_correlation(y, story: Story) -> tuple[float, float]:
    """``(measured, closed form)`` for the story's correlation batch size."""
    B = story.correlation_batch_size
    rng = rng_for(story, "correlation")
    return (fraction_correlation(y, B, story.correlation_epochs, rng),
            fraction_correlation_theory(len(y), B))


__all__.append("story_correlation")


# -- additions for chapters 8 and 9 --------------------------------------

def magnitude_theory_curve(grids: np.ndarray, batch_sizes) -> np.ndarray:
    """Closed-form magnitude at many batch sizes at once, for a smooth curve.

    ``batch_sizes`` may be any real numbers in [1, N] (N = len(grids)); at
    whole numbers the values equal :func:`theory_from_grids`:

        M(B) = sqrt( mean_w s^2(w) * (N - B) / (B (N - 1)) ),

    which is exactly zero at B = N.
    """
    grids = np.asarray(grids, dtype=float)
    N = len(grids)
    B = np.asarray(batch_sizes, dtype=float)
    if not np.all(np.isfinite(B)) or np.any(B < 1) or np.any(B > N):
        raise ValueError(f"batch sizes must lie in [1, {N}]")
    s2 = float(np.mean(grids.reshape(N, -1).var(axis=0)))
    fpc = (N - B) / (N - 1) if N > 1 else np.zeros_like(B)
    return np.sqrt(np.maximum(s2 * fpc / B, 0.0))


def fraction_pairs(y, batch_size: int, epochs: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """The class-1 fractions of every pair of consecutive batches within an
    epoch, ``(this batch, next batch)``, over ``epochs`` shuffles: the points
    whose Pearson correlation :func:`fraction_correlation` measures (the same
    random stream gives the same pairs)."""
    y = np.asarray(y)
    N = len(y)
    _check_b(batch_size, N)
    if N // batch_size < 2:
        raise ValueError(f"batch_size = {batch_size} leaves fewer than 2 batches per epoch of {N}")
    a, b = [], []
    for _ in range(epochs):
        batches = epoch_batches(N, batch_size, rng, drop_last=True)
        f = np.array([y[idx].mean() for idx in batches])
        a.append(f[:-1])
        b.append(f[1:])
    return np.concatenate(a), np.concatenate(b)


def story_fraction_pairs(y, story: Story) -> tuple[np.ndarray, np.ndarray]:
    """The pairs behind :func:`story_correlation`'s measured value."""
    return fraction_pairs(y, story.correlation_batch_size, story.correlation_epochs,
                          rng_for(story, "correlation"))


def pool_counts(y, batches, used: int) -> np.ndarray:
    """``[number of 0s, number of 1s]`` among the samples of an epoch that are
    still left after its first ``used`` batches."""
    y = np.asarray(y)
    if not 0 <= used <= len(batches):
        raise ValueError(f"used = {used} is invalid: allowed range is 0..{len(batches)}")
    left = np.ones(len(y), dtype=bool)
    for idx in batches[:used]:
        left[np.asarray(idx)] = False
    ones = int(np.sum(y[left] == 1))
    return np.array([int(left.sum()) - ones, ones])


__all__ += ["magnitude_theory_curve", "fraction_pairs", "story_fraction_pairs", "pool_counts"]


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
    return float(values[sizes.index(small)] / values[sizes.index(large)])


__all__ += ["story_magnitude_curve", "magnitude_ratio"]
