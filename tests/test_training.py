import numpy as np
import pytest

import quake_math as qm


def test_gradient_descent_descends_and_records(story, data):
    X, y = data
    tr = qm.gradient_descent(X, y, story)
    assert tr.weights.shape == (story.train_steps + 1, 2)
    assert np.array_equal(tr.weights[0], story.start)
    full = [qm.batch_loss(w, X, y) for w in tr.weights]
    assert all(b <= a + 1e-12 for a, b in zip(full, full[1:]))
    assert full[-1] < 0.2 * full[0]
    for k in range(tr.steps):
        assert np.allclose(tr.gradients[k], qm.batch_gradient(tr.weights[k], X, y))
        assert np.allclose(tr.weights[k + 1], tr.weights[k] - story.learning_rate * tr.gradients[k])


def test_sgd_uses_recorded_batches(story, data):
    X, y = data
    tr = qm.sgd(X, y, story)
    assert len(tr.batches) == story.train_steps
    assert all(len(b) == story.train_batch_size for b in tr.batches)
    for k in range(tr.steps):
        b = tr.batches[k]
        assert np.allclose(tr.gradients[k], qm.batch_gradient(tr.weights[k], X[b], y[b]))
        assert tr.losses[k] == pytest.approx(qm.batch_loss(tr.weights[k], X[b], y[b]))
    # a noisy but successful walk
    assert qm.batch_loss(tr.weights[-1], X, y) < 0.3 * qm.batch_loss(tr.weights[0], X, y)


def test_momentum_recursion(story, data):
    X, y = data
    mu = story.momentum
    tr = qm.sgd(X, y, story, momentum=mu)
    v = np.zeros(2)
    for k in range(tr.steps):
        v = mu * v + tr.gradients[k]
        assert np.allclose(tr.velocities[k], v)
        assert np.allclose(tr.weights[k + 1], tr.weights[k] - story.learning_rate * v)
    plain = qm.sgd(X, y, story)
    assert all(np.array_equal(a, b) for a, b in zip(tr.batches, plain.batches))


def test_batch_size_n_is_gradient_descent(story, data):
    X, y = data
    n = len(X)
    s = story.replace(train_batch_size=n)
    a = qm.sgd(X, y, s)
    b = qm.gradient_descent(X, y, s)
    assert np.allclose(a.weights, b.weights)


def test_bad_training_input(story, data):
    X, y = data
    with pytest.raises(ValueError, match="pair"):
        qm.sgd(X, y, story, start=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        qm.sgd(X, y, story, momentum=1.0)


# -- chapter 10 ---------------------------------------------------------------

def test_momentum_sgd_averages_gradients(story, data):
    X, y = data
    mu = story.momentum
    tr = qm.momentum_sgd(X, y, story)
    plain = qm.sgd(X, y, story)
    assert all(np.array_equal(a, b) for a, b in zip(tr.batches, plain.batches))
    assert np.array_equal(tr.weights[0], story.start)
    v = np.zeros(2)
    for k in range(tr.steps):
        b = tr.batches[k]
        assert np.allclose(tr.gradients[k], qm.batch_gradient(tr.weights[k], X[b], y[b]))
        v = mu * v + (1 - mu) * tr.gradients[k]
        assert np.allclose(tr.velocities[k], v)
        assert np.allclose(tr.weights[k + 1], tr.weights[k] - story.learning_rate * v)
    assert tr.learning_rate == story.learning_rate and tr.momentum == mu
    # the same walk as heavy-ball momentum at learning rate lr (1 - mu)
    heavy = qm.sgd(X, y, story.replace(learning_rate=story.learning_rate * (1 - mu)), momentum=mu)
    assert np.allclose(heavy.weights, tr.weights)
    # momentum 0 is plain SGD
    assert np.allclose(qm.momentum_sgd(X, y, story, momentum=0.0).weights, plain.weights)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        qm.momentum_sgd(X, y, story, momentum=1.0)


def test_turning_angles():
    straight = np.array([[0, 0], [1, 1], [2, 2], [4, 4.0]])
    assert np.allclose(qm.turning_angles(straight), 0.0)
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.0]])
    assert np.allclose(qm.turning_angles(square), 90.0)
    back = np.array([[0, 0], [1, 0], [0, 0.0]])
    assert np.allclose(qm.turning_angles(back), 180.0)
    # a zero-length step is skipped
    pause = np.array([[0, 0], [1, 0], [1, 0], [1, 1.0]])
    assert np.allclose(qm.turning_angles(pause), [90.0])
    zig = np.array([[0, 0], [1, 0], [2, 1], [3, 1.0]])
    assert qm.mean_turning_angle(zig) == pytest.approx(45.0)
    assert qm.path_length(square) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="two steps"):
        qm.mean_turning_angle([[0, 0], [1, 1]])


def test_momentum_walk_is_steadier_on_the_story(story, data):
    """The claim of chapter 10: on the same batches, momentum turns far less
    per step than plain SGD, stays on the map and still ends near the
    full-batch minimum."""
    X, y = data
    batches = qm.train_batches(story, steps=3 * story.train_steps)
    plain = qm.sgd(X, y, story, batches=batches)
    mom = qm.momentum_sgd(X, y, story, batches=batches)
    assert qm.mean_turning_angle(mom.weights) < 0.5 * qm.mean_turning_angle(plain.weights)
    assert np.all(np.abs(mom.weights) <= story.grid_max)
    best = qm.gradient_descent(X, y, story, steps=10 * story.train_steps).weights[-1]
    assert qm.batch_loss(mom.weights[-1], X, y) < qm.batch_loss(best, X, y) + 0.05
