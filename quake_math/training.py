"""Training trajectories: full-batch gradient descent, mini-batch SGD, momentum;
and how steady a walk is (its turning angles and length).

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

__all__ = [
    "Trajectory", "train_batches", "gradient_descent", "sgd", "momentum_sgd",
    "turning_angles", "mean_turning_angle", "path_length",
]


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


def momentum_sgd(X, y, story: Story, batches=None, momentum: float | None = None, start=None) -> Trajectory:
    """SGD with momentum in its averaging form: the step follows a running
    average of the gradients,

        v_k = mu v_{k-1} + (1 - mu) g_k,    w_{k+1} = w_k - lr v_k,

    so on a steady slope it takes the same step as plain SGD, while the
    batch-to-batch noise of the gradients is averaged out. (This is heavy-ball
    momentum, :func:`sgd` with ``momentum=mu``, at learning rate lr (1 - mu).)
    The trajectory records the story's learning rate and the averaged
    velocities v_k. ``momentum`` defaults to the story's.
    """
    mu = story.momentum if momentum is None else float(momentum)
    if not 0 <= mu < 1:
        raise ValueError(f"momentum = {mu} must lie in [0, 1)")
    batches = train_batches(story) if batches is None else batches
    heavy = _run(X, y, batches, story.start if start is None else start,
                 story.learning_rate * (1.0 - mu), mu, story.clip)
    return Trajectory(
        weights=heavy.weights, gradients=heavy.gradients,
        velocities=heavy.velocities * (1.0 - mu), losses=heavy.losses, batches=heavy.batches,
        learning_rate=float(story.learning_rate), momentum=mu,
    )


def turning_angles(weights) -> np.ndarray:
    """How far the walk turns at each point, in degrees (0 = straight on,
    180 = straight back): the angle between consecutive steps. Steps of zero
    length are skipped."""
    w = np.asarray(weights, dtype=float).reshape(-1, 2)
    d = np.diff(w, axis=0)
    d = d[np.linalg.norm(d, axis=1) > 0]
    if len(d) < 2:
        return np.zeros(0)
    a, b = d[:-1], d[1:]
    dot = np.sum(a * b, axis=1)
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return np.degrees(np.abs(np.arctan2(cross, dot)))


def mean_turning_angle(weights) -> float:
    """Steadiness of a walk: its average turn per step, in degrees."""
    angles = turning_angles(weights)
    if len(angles) == 0:
        raise ValueError("a walk needs at least two steps of nonzero length to turn")
    return float(angles.mean())


def path_length(weights) -> float:
    """Total distance walked in weight space."""
    w = np.asarray(weights, dtype=float).reshape(-1, 2)
    return float(np.linalg.norm(np.diff(w, axis=0), axis=1).sum())

