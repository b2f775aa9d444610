"""Mini-batches: shuffle once per epoch, then cut into batches.

Within an epoch every sample is used exactly once (sampling without
replacement); epochs follow each other with fresh shuffles.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_rng", "epoch_batches", "batch_stream", "class_counts", "possible_batches"]


def as_rng(rng_or_seed) -> np.random.Generator:
    """A numpy Generator from a Generator or an integer seed."""
    if isinstance(rng_or_seed, np.random.Generator):
        return rng_or_seed
    if isinstance(rng_or_seed, (int, np.integer)) and not isinstance(rng_or_seed, bool):
        return np.random.default_rng(int(rng_or_seed))
    raise TypeError(
        f"expected a numpy Generator or an integer seed, got {type(rng_or_seed).__name__}"
    )


def _check_sizes(n, batch_size):
    for name, v in (("n", n), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be a whole number, got {v!r}")
    if n < 1:
        raise ValueError(f"n = {n}: the data set needs at least one sample")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size = {batch_size} is invalid: allowed range is 1..{n}")


def epoch_batches(n: int, batch_size: int, rng_or_seed, drop_last: bool = False) -> list[np.ndarray]:
    """One epoch: a random permutation of range(n) cut into batches.

    The last batch is smaller when batch_size does not divide n (it is left
    out with ``drop_last=True``). Without drop_last the batches cover
    range(n) exactly once.
    """
    _check_sizes(n, batch_size)
    perm = as_rng(rng_or_seed).permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [perm[i:i + batch_size] for i in range(0, stop, batch_size)]


def batch_stream(n: int, batch_size: int, count: int, rng_or_seed, drop_last: bool = True) -> list[np.ndarray]:
    """``count`` consecutive batches across as many epochs as needed.

    By default only full batches are used, so every batch has exactly
    ``batch_size`` samples.
    """
    _check_sizes(n, batch_size)
    if count < 0:
        raise ValueError(f"count = {count} must be >= 0")
    rng = as_rng(rng_or_seed)
    out: list[np.ndarray] = []
    while len(out) < count:
        out.extend(epoch_batches(n, batch_size, rng, drop_last=drop_last))
    return out[:count]


def class_counts(y, batches) -> np.ndarray:
    """Per batch: ``[number of 0s, number of 1s]``, shape (len(batches), 2)."""
    y = np.asarray(y)
    ones = np.array([int(np.sum(y[b] == 1)) for b in batches])
    sizes = np.array([len(b) for b in batches])
    return np.stack([sizes - ones, ones], axis=1)


def possible_batches(n: int, batch_size: int) -> int:
    """How many different batches of ``batch_size`` samples ``n`` samples
    give (ignoring order): the binomial coefficient C(n, batch_size)."""
    _check_sizes(n, batch_size)
    return math.comb(int(n), int(batch_size))
