"""The loss of the no-bias logistic model, per sample and per batch.

With z = x^T w and p = sigma(z), the binary cross-entropy

    L = -y ln p - (1 - y) ln(1 - p)

simplifies to  L = (1 - y) z + softplus(-z),  softplus(z) = ln(1 + e^z).

Clipping p to [c, 1 - c] (as the original figures do) is the same as
clipping z to [-z_c, z_c] with z_c = ln((1 - c) / c), because sigma is
increasing. The clipped loss is flat (zero gradient) where |z| > z_c, and one
sample's loss is at most -ln(c) (about 16.1 for c = 1e-7).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = [
    "DEFAULT_CLIP", "softplus", "softplus_linear_beyond", "sigmoid", "logit_clip",
    "per_sample_loss", "batch_loss", "per_sample_gradient", "batch_gradient",
]

DEFAULT_CLIP = 1e-7


def softplus(z):
    """ln(1 + e^z), elementwise, without overflow for any finite z.

    Computed as max(z, 0) + ln(1 + e^-|z|), which never exponentiates a
    positive number (and is many times faster than numpy's logaddexp).
    """
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_linear_beyond(tol: float) -> float:
    """Where ln(1 + e^-x) is within ``tol`` of a straight line.

    The curve approaches y = 0 as x grows and y = -x as x falls; its gap to
    the nearer asymptote is ln(1 + e^-|x|), which is at most ``tol`` exactly
    when |x| >= x0 = -ln(e^tol - 1). Returns x0.
    """
    tol = float(tol)
    if not 0.0 < tol < np.log(2.0):
        raise ValueError(f"tol = {tol!r} is invalid: it must lie in (0, ln 2)")
    return float(-np.log(np.expm1(tol)))


def sigmoid(z):
    """1 / (1 + e^-z), elementwise and stable."""
    return expit(np.asarray(z, dtype=float))


def logit_clip(clip: float) -> float:
    """z_c = ln((1 - c) / c): |z| beyond it is where p gets clipped."""
    if not 0.0 < clip < 0.5:
        raise ValueError(f"clip = {clip!r} is invalid: it must lie in (0, 0.5)")
    return float(np.log1p(-clip) - np.log(clip))


def _check(w, X, y):
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if w.ndim < 1 or w.shape[-1] != 2:
        raise ValueError(f"weights must have shape (..., 2), got {w.shape}; pass pairs (W1, W2)")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), got {X.shape}; pass one row per sample")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if X.shape[0] == 0:
        raise ValueError("the batch is empty; pass at least one sample")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels y must be 0 or 1")
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(X))):
        raise ValueError("weights and samples must be finite numbers (found nan or inf)")
    return w, X, y


def _loss_of_z(z: np.ndarray, y, clip: float) -> np.ndarray:
    """The clipped loss from z = x^T w, overwriting ``z`` (float array) to
    save memory; ``y`` broadcasts against z. Returns a new array.

    With t = (1 - 2y) z the loss is softplus(t): softplus(z) for y = 0 and
    softplus(-z) for y = 1, the same as (1 - y) z + softplus(-z).
    """
    zc = logit_clip(clip)
    np.clip(z, -zc, zc, out=z)
    z *= 1.0 - 2.0 * np.asarray(y, dtype=float)
    out = np.abs(z)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    np.maximum(z, 0.0, out=z)
    out += z
    return out


def per_sample_loss(w, X, y, clip: float = DEFAULT_CLIP) -> np.ndarray:
    """Loss of every sample at weights w: shape (..., N) for w of shape (..., 2)."""
    w, X, y = _check(w, X, y)
    return _loss_of_z(w @ X.T, y, clip)


def batch_loss(w, X, y, clip: float = DEFAULT_CLIP) -> np.ndarray:
    """Mean loss over the samples of (X, y): shape (...) for w of shape (..., 2)."""
    return per_sample_loss(w, X, y, clip).mean(axis=-1)


def _slopes(w, X, y, clip):
    """dL/dz of every sample: sigma(z) - y inside the clip, 0 where it is active."""
    z = w @ X.T  # (..., N)
    return np.where(np.abs(z) < logit_clip(clip), sigmoid(z) - y, 0.0)


def per_sample_gradient(w, X, y, clip: float = DEFAULT_CLIP) -> np.ndarray:
    """Gradient of every sample's loss: shape (..., N, 2).

    dL/dw = (sigma(z) - y) x inside the clip, 0 where the clip is active.
    """
    w, X, y = _check(w, X, y)
    return _slopes(w, X, y, clip)[..., None] * X


def batch_gradient(w, X, y, clip: float = DEFAULT_CLIP) -> np.ndarray:
    """Gradient of the batch mean loss: shape (..., 2)."""
    w, X, y = _check(w, X, y)
    return _slopes(w, X, y, clip) @ X / X.shape[0]
