import numpy as np
import pytest

import quake_math as qm


@pytest.mark.parametrize("n,b", [(600, 10), (600, 7), (600, 1), (600, 600), (5, 2)])
def test_every_index_once_per_epoch(n, b):
    batches = qm.epoch_batches(n, b, 3)
    allidx = np.concatenate(batches)
    assert np.array_equal(np.sort(allidx), np.arange(n))
    assert all(len(x) == b for x in batches[:-1])
    assert len(batches) == -(-n // b)


def test_drop_last_and_stream():
    assert all(len(x) == 7 for x in qm.epoch_batches(600, 7, 1, drop_last=True))
    s = qm.batch_stream(600, 100, 14, 5)
    assert len(s) == 14
    # each epoch of 6 batches is a permutation
    for e in range(2):
        assert np.array_equal(np.sort(np.concatenate(s[6 * e:6 * e + 6])), np.arange(600))
    assert not np.array_equal(s[0], s[6])


def test_deterministic_from_seed_and_generator():
    a = qm.epoch_batches(50, 5, 9)
    b = qm.epoch_batches(50, 5, np.random.default_rng(9))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    c = qm.epoch_batches(50, 5, 10)
    assert not all(np.array_equal(x, y) for x, y in zip(a, c))


@pytest.mark.parametrize("args,err,needle", [
    ((10, 0, 1), ValueError, "1..10"),
    ((10, 11, 1), ValueError, "1..10"),
    ((0, 1, 1), ValueError, "at least one"),
    ((10, 2.5, 1), TypeError, "whole number"),
    ((10, 2, "seed"), TypeError, "Generator or an integer seed"),
])
def test_bad_input(args, err, needle):
    with pytest.raises(err, match=needle):
        qm.epoch_batches(*args)


def test_class_counts(data):
    X, y = data
    batches = qm.epoch_batches(len(y), 100, 2)
    counts = qm.class_counts(y, batches)
    assert counts.shape == (6, 2)
    assert counts.sum() == 600
    assert counts[:, 1].sum() == int(y.sum())
    for b, (zeros, ones) in zip(batches, counts):
        assert ones == sum(1 for i in b if y[i] == 1) and zeros + ones == len(b)


def test_dataset_deterministic_and_shaped(story):
    X, y = qm.make_dataset(story)
    X2, y2 = qm.make_dataset(story)
    assert X.shape == (600, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.abs(X[y == 0].mean(0) - story.center0).max() < 0.2
    assert np.abs(X[y == 1].mean(0) - story.center1).max() < 0.2
    assert X[y == 0].std() == pytest.approx(story.sigma, rel=0.1)
    X3, _ = qm.make_dataset(story.replace(seed=story.seed + 1))
    assert not np.array_equal(X, X3)


def test_whole_pipeline_bit_for_bit_deterministic(grid_story):
    story = grid_story
    X, y = qm.make_dataset(story)
    b1, L1 = qm.quake_landscapes(X, y, story)
    b2, L2 = qm.quake_landscapes(*qm.make_dataset(story), story)
    assert np.array_equal(L1, L2)
    assert all(np.array_equal(a, b) for a, b in zip(b1, b2))
    t1, t2 = qm.sgd(X, y, story), qm.sgd(X, y, story)
    assert np.array_equal(t1.weights, t2.weights)


def test_single_samples_distinct(story):
    idx = qm.single_samples(story)
    assert len(idx) == story.n_single == len(set(idx.tolist()))


def test_possible_batches_counts_every_subset():
    import itertools
    for n, b in [(5, 1), (6, 3), (7, 7), (8, 2)]:
        assert qm.possible_batches(n, b) == sum(1 for _ in itertools.combinations(range(n), b))
    assert qm.possible_batches(600, 10) > 10**21
    with pytest.raises(ValueError, match="batch_size"):
        qm.possible_batches(5, 6)


def test_check_batch_size_whole_and_real():
    assert qm.check_batch_size(np.int64(3), 10) == 3 and isinstance(qm.check_batch_size(3, 10), int)
    assert np.allclose(qm.check_batch_size([1, 2.5, 10], 10, whole=False), [1, 2.5, 10])
    for bad in (0, 11, -1):
        with pytest.raises(ValueError, match=r"allowed range is 1\.\.10"):
            qm.check_batch_size(bad, 10)
    for bad in (True, 2.0, "3", None):
        with pytest.raises(TypeError, match="whole number"):
            qm.check_batch_size(bad, 10)
    for bad in ([0.99], [10.01], [np.inf], [np.nan]):
        with pytest.raises(ValueError, match=r"\[1, 10\]"):
            qm.check_batch_size(bad, 10, whole=False)
    with pytest.raises(ValueError, match="at least one sample"):
        qm.check_batch_size(1, 0)
