"""The numbers of "batches are not independent", from quake_math, once per process.

- :func:`demo_epoch`: one epoch of the story's data (shuffled, cut into
  batches of ``correlation_batch_size``) whose first batch is rich in 1s; its
  class counts, what is left before each batch, the 1s expected in batch 2.
- :func:`pair_correlation`: the measured and closed-form correlation of
  consecutive batches' 1s, the pairs themselves as counts, and the measured
  value after every ``step`` shuffles (quake_math's own measurement on the
  same random stream, cut short), to show how a finite experiment wobbles.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy as np

import quake_math as qm
from scenes.kit import numbers

__all__ = ["demo_epoch", "pair_correlation", "spoken"]


@lru_cache(maxsize=None)
def demo_epoch() -> SimpleNamespace:
    """``batches``, ``counts`` ((k, 2): 0s, 1s), ``pools`` (the 0s and 1s
    left before batch k) and ``expected`` (1s expected in batch 2 after batch 1)."""
    S = numbers.story()
    _, y = numbers.dataset()
    batches = qm.demo_epoch(S, y)
    counts = qm.class_counts(y, batches)
    pools = [qm.pool_counts(y, batches, k) for k in range(len(batches))]
    expected = qm.expected_next_ones(int(counts[0, 1]), S.correlation_batch_size, len(y), int(np.sum(y == 1)))
    return SimpleNamespace(batches=batches, counts=counts, pools=pools, expected=expected)


@lru_cache(maxsize=None)
def pair_correlation(step: int = 10) -> SimpleNamespace:
    """``measured`` and ``theory`` (-B / (N - B)); ``now`` and ``next``: the
    1s of every pair of consecutive batches over the story's shuffles, epoch
    by epoch; ``shuffles`` (step, 2 step, ...) and ``running``: the measured
    correlation after that many shuffles."""
    S = numbers.story()
    _, y = numbers.dataset()
    B = S.correlation_batch_size
    if step < 1:
        raise ValueError(f"step = {step}: measure after at least 1 shuffle")
    measured, theory = qm.story_correlation(y, S)
    a, b = qm.story_fraction_pairs(y, S)
    shuffles = np.unique(np.append(np.arange(step, S.correlation_epochs + 1, step), S.correlation_epochs))
    running = np.array([qm.fraction_correlation(y, B, int(e), qm.rng_for(S, "correlation")) for e in shuffles])
    return SimpleNamespace(measured=measured, theory=theory, now=np.round(a * B).astype(int),
                           next=np.round(b * B).astype(int), shuffles=shuffles, running=running)


def spoken(value: float) -> str:
    """A signed number as a narrator says it: "minus 0.20"."""
    return ("minus " if value < 0 else "") + f"{abs(value):.2f}"
