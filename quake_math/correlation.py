"""How the batches of one epoch depend on each other.

An epoch shuffles the data once and cuts it into batches, so its batches
share one pool: a batch rich in 1s leaves fewer 1s for the next. Two
disjoint batches of one shuffle, B samples each out of N, have class-1
fractions whose Pearson correlation is exactly -B / (N - B), whatever the
class balance. Batches of different epochs are independent, so pairs are
only ever formed within an epoch.
"""

from __future__ import annotations

import numpy as np

from .data import make_dataset, rng_for
from .sampling import check_batch_size, epoch_batches
from .settings import Story

__all__ = [
    "fraction_pairs", "fraction_correlation", "fraction_correlation_theory", "expected_next_ones",
    "pool_counts", "story_fraction_pairs", "story_correlation", "demo_epoch",
]


def _labels(y) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or not np.all((y == 0) | (y == 1)):
        raise ValueError("labels y must be a 1-D array of 0s and 1s")
    return y


def fraction_pairs(y, batch_size: int, epochs: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """The class-1 fractions of every pair of consecutive batches within an
    epoch, ``(this batch, next batch)``, over ``epochs`` shuffles (full
    batches only; no pair spans two epochs): ``epochs * (N // B - 1)`` pairs,
    epoch by epoch."""
    y = _labels(y)
    N = len(y)
    B = check_batch_size(batch_size, N)
    if N // B < 2:
        raise ValueError(f"batch_size = {B} leaves fewer than 2 batches per epoch of {N}")
    a, b = [], []
    for _ in range(epochs):
        f = np.array([y[idx].mean() for idx in epoch_batches(N, B, rng, drop_last=True)])
        a.append(f[:-1])
        b.append(f[1:])
    return np.concatenate(a), np.concatenate(b)


def fraction_correlation(y, batch_size: int, epochs: int, rng) -> float:
    """Measured Pearson correlation of the pairs of :func:`fraction_pairs`.

    Labels of one class have no fraction to vary: that is a ValueError, as
    is a draw in which the fractions happen not to vary at all.
    """
    y = _labels(y)
    if len(y) and np.all(y == y[0]):
        raise ValueError(
            f"every label is {int(y[0])}: the class-1 fraction of a batch is always {int(y[0])}, "
            "so its correlation is undefined; pass labels of both classes"
        )
    a, b = fraction_pairs(y, batch_size, epochs, rng)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        raise ValueError(
            f"the class-1 fraction did not vary over {epochs} epoch(s), so its correlation is "
            "undefined; use more epochs"
        )
    return float(np.corrcoef(a, b)[0, 1])


def fraction_correlation_theory(n: int, batch_size: int) -> float:
    """Closed form: -B / (N - B) for two disjoint batches of one shuffle."""
    B = check_batch_size(batch_size, n)
    if 2 * B > n:
        raise ValueError(f"two disjoint batches of {B} do not fit in {n} samples")
    return -B / (n - B)


def expected_next_ones(ones_now: int, batch_size: int, n: int, n_ones: int) -> float:
    """Expected number of 1s in the next batch, given ``ones_now`` 1s in this
    one: the next batch is drawn from the N - B samples left, which hold
    ``n_ones - ones_now`` 1s."""
    B = check_batch_size(batch_size, n)
    if 2 * B > n:
        raise ValueError(f"two disjoint batches of {B} do not fit in {n} samples")
    if not 0 <= n_ones <= n:
        raise ValueError(f"n_ones = {n_ones} is impossible for {n} samples")
    if not max(0, B - (n - n_ones)) <= ones_now <= min(B, n_ones):
        raise ValueError(f"ones_now = {ones_now} is impossible for a batch of {B} "
                         f"from {n} samples with {n_ones} ones")
    return B * (n_ones - ones_now) / (n - B)


def pool_counts(y, batches, used: int) -> np.ndarray:
    """``[number of 0s, number of 1s]`` among the samples of an epoch that are
    still left after its first ``used`` batches."""
    y = _labels(y)
    if not 0 <= used <= len(batches):
        raise ValueError(f"used = {used} is invalid: allowed range is 0..{len(batches)}")
    left = np.ones(len(y), dtype=bool)
    for idx in batches[:used]:
        left[np.asarray(idx)] = False
    ones = int(np.sum(y[left] == 1))
    return np.array([int(left.sum()) - ones, ones])


def story_fraction_pairs(y, story: Story) -> tuple[np.ndarray, np.ndarray]:
    """The pairs behind :func:`story_correlation`'s measured value."""
    return fraction_pairs(y, story.correlation_batch_size, story.correlation_epochs,
                          rng_for(story, "correlation"))


def story_correlation(y, story: Story) -> tuple[float, float]:
    """``(measured, closed form)`` for the story's correlation batch size."""
    B = story.correlation_batch_size
    return (fraction_correlation(y, B, story.correlation_epochs, rng_for(story, "correlation")),
            fraction_correlation_theory(len(y), B))


def demo_epoch(story: Story, y=None, max_tries: int = 10_000) -> list[np.ndarray]:
    """One epoch for the "not quite random" picture: the data shuffled once
    and cut into batches of ``correlation_batch_size`` (full batches only).

    It is the first epoch of its own random stream whose first batch holds
    clearly more 1s than an even share: at least one standard deviation
    (of the count, drawing without replacement) above the expected count.
    ``y`` are the labels (default: the story's data set).
    """
    y = _labels(make_dataset(story)[1] if y is None else y)
    N = len(y)
    B = check_batch_size(story.correlation_batch_size, N)
    p = float(np.mean(y == 1))
    expected = B * p
    sd = float(np.sqrt(B * p * (1 - p) * (N - B) / (N - 1))) if N > 1 else 0.0
    rng = rng_for(story, "epoch-demo")
    for _ in range(max_tries):
        batches = epoch_batches(N, B, rng, drop_last=True)
        if np.sum(y[batches[0]] == 1) >= expected + sd:
            return batches
    raise ValueError(f"no epoch in {max_tries} shuffles starts with a batch rich in 1s")
