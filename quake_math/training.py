"""Training trajectories: full-batch gradient descent, mini-batch SGD, momentum.

Every step is recorded (weights, batch, gradient, loss of that batch), so a
scene can draw the arrow of step k as the gradient of the landscape it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import rng_for
from .loss import batch_gradient, batch_loss
from .sampling import batch_stream
from .settings import Story

__all__ = ["Trajectory", "gradient_descent", "sgd", "train_batches"]


@dataclass(frozen=True)
class Trajectory:
    """``weights[k]`` is the point before step k (``weights[-1]`` the end).

    ``gradients[k]`` is the gradient of ``batches[k]``'s loss at
    ``weights[k]``, ``losses[k]`` that batch's loss there, and
    ``velocities[k]`` the step actually taken: ``weights[k+1] = weights[k]
    - learning_rate * velocities[k]``.
    """

    weights: np.ndarray  # (T + 1, 2)
    gradients: np.ndarray  # (T, 2)
    velocities: np.ndarray  # (T, 2)
    losses: np.ndarray  # (T,)
    batches: tuple[np.ndarray, ...]  # T index arrays
    learning_rate: float
    momentum: float

    @property
    def steps(self) -> int:
        return len(self.gradients)


def _run(X, y, batches, start, learning_rate, momentum, clip) -> Trajectory:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(start, dtype=float).copy()
    if w.shape != (2,):
        raise ValueError(f"start must be a pair (W1, W2), got shape {w.shape}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate = {learning_rate} must be > 0")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum = {momentum} must lie in [0, 1)")
    v = np.zeros(2)
    ws, gs, vs, ls = [w.copy()], [], [], []
    for idx in batches:
        Xb, yb = X[idx], y[idx]
        g = batch_gradient(w, Xb, yb, clip)
        ls.append(float(batch_loss(w, Xb, yb, clip)))
        v = momentum * v + g
        w = w - learning_rate * v
        gs.append(g)
        vs.append(v.copy())
        ws.append(w.copy())
    return Trajectory(
        weights=np.array(ws), gradients=np.array(gs).reshape(-1, 2),
        velocities=np.array(vs).reshape(-1, 2), losses=np.array(ls),
        batches=tuple(np.asarray(b) for b in batches),
        learning_rate=float(learning_rate), momentum=float(momentum),
    )


def train_batches(story: Story, batch_size: int | None = None, steps: int | None = None) -> list[np.ndarray]:
    """The story's training batches: the same for SGD and momentum runs."""
    b = story.train_batch_size if batch_size is None else batch_size
    t = story.train_steps if steps is None else steps
    return batch_stream(story.n_samples, b, t, rng_for(story, f"train-{b}"))


def gradient_descent(X, y, story: Story, steps: int | None = None, start=None) -> Trajectory:
    """Full-batch gradient descent from the story's start point."""
    t = story.train_steps if steps is None else steps
    every = np.arange(len(X))
    return _run(X, y, [every] * t, story.start if start is None else start,
                story.learning_rate, 0.0, story.clip)


def sgd(X, y, story: Story, batches=None, momentum: float = 0.0, start=None) -> Trajectory:
    """Mini-batch SGD (with optional heavy-ball momentum) over ``batches``
    (default: the story's training batches)."""
    batches = train_batches(story) if batches is None else batches
    return _run(X, y, batches, story.start if start is None else start,
                story.learning_rate, momentum, story.clip)
