"""Mini-batches: shuffle once per epoch, then cut into batches.

Within an epoch every sample is used exactly once (sampling without
replacement); epochs follow each other with fresh shuffles.

:func:`check_batch_size` is the one check of a batch size against a data
size; every function of quake_math that takes a batch size uses it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "as_rng", "check_batch_size", "epoch_batches", "batch_stream", "class_counts", "possible_batches",
]


def as_rng(rng_or_seed) -> np.random.Generator:
    """A numpy Generator from a Generator or an integer seed."""
    if isinstance(rng_or_seed, np.random.Generator):
        return rng_or_seed
    if isinstance(rng_or_seed, (int, np.integer)) and not isinstance(rng_or_seed, bool):
        return np.random.default_rng(int(rng_or_seed))
    raise TypeError(
        f"expected a numpy Generator or an integer seed, got {type(rng_or_seed).__name__}"
    )


def _whole(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def check_batch_size(batch_size, n, *, whole: bool = True):
    """``batch_size`` checked against a data set of ``n`` samples.

    With ``whole=True`` (batches to draw) it must be a whole number in 1..n
    and is returned as an int. With ``whole=False`` (a point on a smooth
    curve) it may be any real number or array of them in [1, n], returned as
    a float array. Raises TypeError or ValueError naming the value and the
    allowed range.
    """
    n = _whole("n", n)
    if n < 1:
        raise ValueError(f"n = {n}: the data set needs at least one sample")
    if whole:
        b = _whole("batch_size", batch_size)
        if not 1 <= b <= n:
            raise ValueError(f"batch_size = {b} is invalid: allowed range is 1..{n}")
        return b
    b = np.asarray(batch_size, dtype=float)
    bad = ~np.isfinite(b) | (b < 1) | (b > n)
    if np.any(bad):
        raise ValueError(f"batch size {b[bad].flat[0]:g} is invalid: batch sizes must lie in [1, {n}]")
    return b


def epoch_batches(n: int, batch_size: int, rng_or_seed, drop_last: bool = False) -> list[np.ndarray]:
    """One epoch: a random permutation of range(n) cut into batches.

    The last batch is smaller when batch_size does not divide n (it is left
    out with ``drop_last=True``). Without drop_last the batches cover
    range(n) exactly once.
    """
    b = check_batch_size(batch_size, n)
    perm = as_rng(rng_or_seed).permutation(n)
    stop = n - n % b if drop_last else n
    return [perm[i:i + b] for i in range(0, stop, b)]


def batch_stream(n: int, batch_size: int, count: int, rng_or_seed, drop_last: bool = True) -> list[np.ndarray]:
    """``count`` consecutive batches across as many epochs as needed.

    By default only full batches are used, so every batch has exactly
    ``batch_size`` samples.
    """
    check_batch_size(batch_size, n)
    count = _whole("count", count)
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
    ones = np.array([int(np.sum(y[b] == 1)) for b in batches], dtype=int)
    sizes = np.array([len(b) for b in batches], dtype=int)
    return np.stack([sizes - ones, ones], axis=1).reshape(-1, 2)


def possible_batches(n: int, batch_size: int) -> int:
    """How many different batches of ``batch_size`` samples ``n`` samples
    give (ignoring order): the binomial coefficient C(n, batch_size)."""
    b = check_batch_size(batch_size, n)
    return math.comb(int(n), b)
