import warnings

import numpy as np
import pytest

import quake_math as qm


def test_softplus_identity_and_values(rng):
    z = np.concatenate([rng.normal(0, 30, 1000), [-1e6, -50, 0, 50, 1e6]])
    assert np.allclose(qm.softplus(z) - qm.softplus(-z), z, rtol=0, atol=1e-9 * np.maximum(1, abs(z)))
    small = rng.normal(0, 3, 100)
    assert np.allclose(qm.softplus(small), np.log1p(np.exp(small)))
    assert qm.softplus(0.0) == pytest.approx(np.log(2))


def test_softplus_extreme_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = qm.softplus(np.array([-1e6, 1e6, -710.0, 710.0]))
    assert np.all(np.isfinite(out))
    assert out[1] == 1e6 and out[0] == 0.0


def textbook_loss(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return -y * np.log(p) - (1 - y) * np.log(1 - p)


def test_loss_equals_textbook_where_not_clipped(rng):
    X = rng.normal(0, 2, (200, 2))
    y = rng.integers(0, 2, 200).astype(float)
    w = rng.normal(0, 1.5, 2)
    assert np.all(np.abs(X @ w) < qm.logit_clip(1e-7))
    assert np.allclose(qm.per_sample_loss(w, X, y), textbook_loss(w, X, y), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("c", [1e-7, 1e-3, 0.1])
def test_clip_equivalent_to_clipping_probability(rng, c):
    """The textbook cross-entropy with p clipped to [c, 1 - c]: the same loss,
    so the clip edge is where p reaches c."""
    X = rng.normal(0, 3, (300, 2))
    y = rng.integers(0, 2, 300).astype(float)
    w = np.array([9.0, -7.0])  # many samples beyond the clip
    p = np.clip(1.0 / (1.0 + np.exp(-(X @ w))), c, 1 - c)
    ref = -y * np.log(p) - (1 - y) * np.log(1 - p)
    assert np.mean(np.abs(X @ w) > qm.logit_clip(c)) > 0.2
    assert np.allclose(qm.per_sample_loss(w, X, y, clip=c), ref, rtol=1e-9, atol=1e-9)
    assert qm.per_sample_loss(w, X, y, clip=c).max() == pytest.approx(-np.log(c), rel=1e-9)


def test_shapes(data):
    X, y = data
    W = np.zeros((4, 3, 2))
    assert qm.per_sample_loss(W, X, y).shape == (4, 3, len(X))
    assert qm.batch_loss(W, X, y).shape == (4, 3)
    assert qm.batch_gradient(W, X, y).shape == (4, 3, 2)
    assert qm.per_sample_gradient(W, X, y).shape == (4, 3, len(X), 2)
    # at w = 0 every p is 1/2
    assert np.allclose(qm.batch_loss(np.zeros(2), X, y), np.log(2))


def test_gradient_matches_central_differences(data, rng):
    X, y = data
    h = 1e-6
    for _ in range(20):
        w = rng.uniform(-3, 3, 2)
        g = qm.batch_gradient(w, X, y)
        fd = np.array([
            (qm.batch_loss(w + h * e, X, y) - qm.batch_loss(w - h * e, X, y)) / (2 * h)
            for e in np.eye(2)
        ])
        assert np.allclose(g, fd, rtol=1e-5, atol=1e-8)


def test_per_sample_gradient_matches_differences_and_batch_mean(data, rng):
    X, y = data
    idx = rng.choice(len(X), 10, replace=False)
    w = np.array([1.3, -0.7])
    G = qm.per_sample_gradient(w, X[idx], y[idx])
    h = 1e-6
    for k in range(2):
        e = np.eye(2)[k]
        fd = (qm.per_sample_loss(w + h * e, X[idx], y[idx]) - qm.per_sample_loss(w - h * e, X[idx], y[idx])) / (2 * h)
        assert np.allclose(G[:, k], fd, rtol=1e-5, atol=1e-8)
    assert np.allclose(G.mean(axis=0), qm.batch_gradient(w, X[idx], y[idx]))


def clip_mix_weights(X, zc, h, count, rng):
    """Weights where some samples are clipped and others not, and no sample
    lies within 20 central-difference steps of the clip edge |z| = zc."""
    out = []
    while len(out) < count:
        w = rng.uniform(-15, 15, 2)
        z = X @ w
        clipped = np.abs(z) > zc
        margin = np.min(np.abs(np.abs(z) - zc) / np.linalg.norm(X, axis=1))
        if 0.1 < clipped.mean() < 0.9 and margin > 20 * h:
            out.append(w)
    return out


@pytest.mark.parametrize("clip", [1e-7, 1e-3])
def test_gradient_matches_central_differences_where_some_samples_are_clipped(data, rng, clip):
    X, y = data
    zc = qm.logit_clip(clip)
    h = 1e-6
    for w in clip_mix_weights(X, zc, h, 12, rng):
        fd = np.array([(qm.batch_loss(w + h * e, X, y, clip) - qm.batch_loss(w - h * e, X, y, clip)) / (2 * h)
                       for e in np.eye(2)])
        assert np.allclose(qm.batch_gradient(w, X, y, clip), fd, rtol=1e-5, atol=1e-8)
        # per sample: the clipped ones are flat (zero gradient), the others match their differences
        G = qm.per_sample_gradient(w, X, y, clip)
        for k, e in enumerate(np.eye(2)):
            fd_k = (qm.per_sample_loss(w + h * e, X, y, clip) - qm.per_sample_loss(w - h * e, X, y, clip)) / (2 * h)
            assert np.allclose(G[:, k], fd_k, rtol=1e-5, atol=1e-7)
        clipped = np.abs(X @ w) > zc
        assert np.all(G[clipped] == 0) and np.all(np.abs(G[~clipped]).sum(axis=1) > 0)


def test_gradient_zero_on_the_plateau(rng):
    """Where every sample is clipped the loss is flat: its differences are
    zero and so is the gradient, exactly."""
    X = rng.normal(0, 1, (200, 2)) + np.array([4.0, 0.0])  # every x1 > 0 for these draws
    assert np.all(X[:, 0] > 0.5)
    y = rng.integers(0, 2, 200).astype(float)
    zc = qm.logit_clip(qm.DEFAULT_CLIP)
    h = 1e-3
    for w in [np.array([200.0, 0.0]), np.array([-150.0, 3.0]), np.array([1e4, -50.0])]:
        z = X @ w
        assert np.all(np.abs(z) > zc + 2 * h * np.linalg.norm(X, axis=1))
        assert np.all(qm.batch_gradient(w, X, y) == 0) and np.all(qm.per_sample_gradient(w, X, y) == 0)
        for e in np.eye(2):
            assert qm.batch_loss(w + h * e, X, y) == qm.batch_loss(w - h * e, X, y)
        # flat at the largest loss for the wrongly classified, at the smallest for the rest
        L = qm.per_sample_loss(w, X, y)
        wrong = (z > 0) != (y == 1)
        assert np.allclose(L[wrong], -np.log(qm.DEFAULT_CLIP), rtol=1e-6)
        assert np.allclose(L[~wrong], -np.log1p(-qm.DEFAULT_CLIP), rtol=1e-6, atol=1e-12)


def test_extreme_weights_no_overflow_no_warning(data):
    X, y = data
    W = np.array([[1e6, -1e6], [-1e6, 1e6], [1e6, 1e6], [0.0, 1e6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L = qm.per_sample_loss(W, X, y)
        G = qm.batch_gradient(W, X, y)
    assert np.all(np.isfinite(L)) and np.all(np.isfinite(G))
    assert L.max() <= -np.log(1e-7) + 1e-9 and L.min() >= 0


@pytest.mark.parametrize("kwargs,needle", [
    (dict(w=np.zeros(3)), "shape (..., 2)"),
    (dict(X=np.zeros((5, 3))), "shape (N, 2)"),
    (dict(y=np.zeros(4)), "to match X"),
    (dict(y=np.full(5, 2.0)), "0 or 1"),
    (dict(w=np.array([np.nan, 0.0])), "finite"),
    (dict(X=np.zeros((0, 2)), y=np.zeros(0)), "empty"),
])
def test_bad_input_errors(kwargs, needle):
    args = dict(w=np.zeros(2), X=np.ones((5, 2)), y=np.zeros(5))
    args.update(kwargs)
    with pytest.raises(ValueError) as e:
        qm.batch_loss(args["w"], args["X"], args["y"])
    assert needle in str(e.value)


def test_bad_clip():
    with pytest.raises(ValueError, match=r"\(0, 0.5\)"):
        qm.batch_loss(np.zeros(2), np.ones((2, 2)), np.zeros(2), clip=0.7)


def test_softplus_linear_beyond_is_where_the_gap_reaches_tol():
    for tol in (0.01, 0.05, 0.3):
        x0 = qm.softplus_linear_beyond(tol)
        assert qm.softplus(-x0) == pytest.approx(tol, rel=1e-12)
        x = np.linspace(-30, 30, 6001)
        f = qm.softplus(-x)
        gap = np.minimum(np.abs(f - 0.0), np.abs(f - (-x)))
        assert np.all(gap[np.abs(x) >= x0] <= tol + 1e-12)
        assert np.all(gap[np.abs(x) < x0 - 1e-9] > tol)
    with pytest.raises(ValueError, match="tol"):
        qm.softplus_linear_beyond(1.0)
