"""Batches of one epoch: the closed form against exact enumeration, the
measurement against the closed form within a few standard errors, and pairs
that never span two epochs."""

import itertools
import warnings

import numpy as np
import pytest

import quake_math as qm


def pearson(a, b):
    """Pearson's r written out (not numpy's corrcoef)."""
    a = np.asarray(a, dtype=float) - np.mean(a)
    b = np.asarray(b, dtype=float) - np.mean(b)
    return float(np.sum(a * b) / np.sqrt(np.sum(a * a) * np.sum(b * b)))


def grouped_se(a, b, pairs_per_epoch, groups):
    """Standard error of Pearson's r over the pairs (a, b), from the spread
    of r over ``groups`` groups of whole epochs (pairs of one epoch are not
    independent, so a textbook formula would not do)."""
    per_group = len(a) // pairs_per_epoch // groups * pairs_per_epoch
    rs = [pearson(a[g * per_group:(g + 1) * per_group], b[g * per_group:(g + 1) * per_group])
          for g in range(groups)]
    return float(np.std(rs, ddof=1) / np.sqrt(groups))


@pytest.mark.parametrize("N,B,ones", [(6, 2, 2), (6, 2, 3), (7, 3, 3), (8, 2, 1)])
def test_closed_form_equals_exhaustive_enumeration(N, B, ones):
    """Every pair of disjoint batches enumerated (the first two batches of a
    shuffle are a uniform such pair): the exact correlation of their shares
    of 1s is -B/(N-B), whatever the class balance."""
    y = np.r_[np.ones(ones), np.zeros(N - ones)]
    first, second = [], []
    for one in itertools.combinations(range(N), B):  # every first batch, then every second
        rest = [i for i in range(N) if i not in one]
        for two in itertools.combinations(rest, B):
            first.append(y[list(one)].mean())
            second.append(y[list(two)].mean())
    assert qm.fraction_correlation_theory(N, B) == pytest.approx(pearson(first, second), abs=1e-12)


def test_fraction_pairs_stay_within_an_epoch():
    """Pairs come epoch by epoch, N // B - 1 of them per epoch, chained
    within the epoch; the shares of one epoch's batches add up to all of the
    1s. A pair that spans two epochs breaks this."""
    y = np.r_[np.zeros(70), np.ones(50)]
    N, B, epochs = len(y), 20, 50
    k = N // B
    a, b = qm.fraction_pairs(y, B, epochs, np.random.default_rng(1))
    assert len(a) == len(b) == epochs * (k - 1)
    assert np.allclose(a * B, np.round(a * B)) and np.allclose(b * B, np.round(b * B))
    for e in range(epochs):
        ea, eb = a[e * (k - 1):(e + 1) * (k - 1)], b[e * (k - 1):(e + 1) * (k - 1)]
        assert np.array_equal(ea[1:], eb[:-1])  # (1, 2), (2, 3), ...: one chain
        shares = np.r_[ea, eb[-1:]]  # every batch of the epoch once
        assert round(shares.sum() * B) == 50, e


def test_fraction_correlation_matches_closed_form():
    """Measured over many epochs: within 4 standard errors of -B/(N-B), with
    enough epochs that pairing across epoch boundaries (which shrinks the
    correlation by a sixth here) is caught."""
    y = np.r_[np.zeros(60), np.ones(60)]
    N, B, epochs = 120, 20, 8000
    theory = qm.fraction_correlation_theory(N, B)
    a, b = qm.fraction_pairs(y, B, epochs, np.random.default_rng(3))
    measured = qm.fraction_correlation(y, B, epochs, np.random.default_rng(3))
    assert measured == pytest.approx(pearson(a, b), abs=1e-12)  # the number is the pairs' correlation
    se = grouped_se(a, b, N // B - 1, 40)
    assert 4 * se < abs(theory) / 6 / 1.5  # the epoch-boundary bug would be off by 6 SE or more
    assert abs(measured - theory) < 4 * se


def test_story_correlation(story, data):
    """The chapter's numbers: the closed form for the story, the measured
    value within 4 standard errors of it, and the scatter's pairs are the
    pairs of that measurement."""
    _, y = data
    N, B = len(y), story.correlation_batch_size
    measured, theory = qm.story_correlation(y, story)
    assert theory == pytest.approx(qm.fraction_correlation_theory(N, B))
    a, b = qm.story_fraction_pairs(y, story)
    assert len(a) == story.correlation_epochs * (N // B - 1)
    assert measured == pytest.approx(pearson(a, b), abs=1e-12)
    se = grouped_se(a, b, N // B - 1, 20)
    assert abs(measured - theory) < 4 * se


def test_expected_next_ones_against_simulation():
    """After a batch with c ones, the next batch of the epoch holds on average
    expected_next_ones(c) ones: simulated with unequal classes, per c, within
    4 standard errors (enough draws to catch a 5 % error)."""
    N, n_ones, B, epochs = 60, 20, 10, 40_000
    y = np.r_[np.ones(n_ones), np.zeros(N - n_ones)]
    rng = np.random.default_rng(5)
    perms = rng.permuted(np.tile(np.arange(N), (epochs, 1)), axis=1)
    now = y[perms[:, :B]].sum(axis=1)
    nxt = y[perms[:, B:2 * B]].sum(axis=1)
    checked = 0
    for c in np.unique(now):
        sel = nxt[now == c]
        if len(sel) < 1000:
            continue
        expected = qm.expected_next_ones(int(c), B, N, n_ones)
        se = sel.std(ddof=1) / np.sqrt(len(sel))
        assert 4 * se < 0.05 * expected
        assert abs(sel.mean() - expected) < 4 * se, c
        checked += 1
    assert checked >= 4
    with pytest.raises(ValueError, match="impossible"):
        qm.expected_next_ones(11, B, N, n_ones)
    with pytest.raises(ValueError, match="impossible"):
        qm.expected_next_ones(3, B, N, 2)


def test_pool_counts():
    y = np.r_[np.zeros(6), np.ones(6)]
    batches = [np.array([6, 7, 8, 0]), np.array([1, 2, 9, 10]), np.array([3, 4, 5, 11])]
    assert qm.pool_counts(y, batches, 0).tolist() == [6, 6]
    assert qm.pool_counts(y, batches, 1).tolist() == [5, 3]
    assert qm.pool_counts(y, batches, 2).tolist() == [3, 1]
    assert qm.pool_counts(y, batches, 3).tolist() == [0, 0]
    # the expected next count is B times the share of 1s left in the pool
    zeros, ones = qm.pool_counts(y, batches, 1)
    assert qm.expected_next_ones(3, 4, 12, 6) == pytest.approx(4 * ones / (zeros + ones))
    with pytest.raises(ValueError, match=r"0\.\.3"):
        qm.pool_counts(y, batches, 4)


@pytest.mark.parametrize("label", [0, 1])
def test_fraction_correlation_of_one_class_is_a_clear_error(label):
    y = np.full(40, label)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning, no NaN
        with pytest.raises(ValueError, match=f"every label is {label}.*both classes"):
            qm.fraction_correlation(y, 10, 5, np.random.default_rng(0))


def test_fraction_correlation_that_did_not_vary_is_a_clear_error():
    # one epoch of two batches gives one pair: no spread, no correlation
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="did not vary.*more epochs"):
            qm.fraction_correlation(np.array([0, 1, 0, 1]), 2, 1, np.random.default_rng(0))


def test_correlation_bad_input():
    with pytest.raises(ValueError, match="fewer than 2 batches"):
        qm.fraction_correlation(np.r_[0, 1, 0, 1], 3, 10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="do not fit"):
        qm.fraction_correlation_theory(10, 6)
    with pytest.raises(ValueError, match="0s and 1s"):
        qm.fraction_pairs(np.r_[0, 2, 0, 1], 1, 1, np.random.default_rng(0))


def test_demo_epoch_starts_with_a_batch_rich_in_ones(story, data):
    _, y = data
    ep = qm.demo_epoch(story)
    B, N = story.correlation_batch_size, len(y)
    assert len(ep) == N // B and all(len(b) == B for b in ep)
    # one shuffle: every sample at most once (all of them when B divides N)
    used = np.concatenate(ep)
    assert len(np.unique(used)) == len(used) == B * (N // B)
    counts = qm.class_counts(y, ep)
    sd = np.sqrt(B * 0.25 * (N - B) / (N - 1))
    assert counts[0, 1] >= B / 2 + sd
    assert all(np.array_equal(a, b) for a, b in zip(ep, qm.demo_epoch(story)))
    other = qm.demo_epoch(story.replace(seed=story.seed + 1))
    assert not np.array_equal(ep[0], other[0])
