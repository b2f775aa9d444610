import numpy as np
import pytest

import quake_math as qm


def test_batch_loss_is_unbiased_with_closed_form_variance(small_story, small_data):
    """Monte Carlo: at fixed grid points, batch losses have mean L and
    variance s^2/B (N-B)/(N-1)."""
    X, y = small_data
    grids = qm.sample_landscapes(X, y, small_story)
    N = len(X)
    B = 8
    rng = np.random.default_rng(7)
    draws = np.stack([grids[rng.choice(N, B, replace=False)].mean(axis=0) for _ in range(4000)])
    full = grids.mean(axis=0)
    s2 = grids.var(axis=0)
    var_theory = s2 / B * (N - B) / (N - 1)
    pts = [(11, 12), (12, 9), (8, 14), (15, 3)]  # not w = 0, where every loss is ln 2
    for p in pts:
        assert var_theory[p] > 1e-3
        d = draws[:, p[0], p[1]]
        se_mean = np.sqrt(var_theory[p] / len(d))
        assert abs(d.mean() - full[p]) < 4 * se_mean
        # the sample variance of a mean-like statistic: relative SE about sqrt(2/(n-1))
        assert d.var(ddof=1) == pytest.approx(var_theory[p], rel=4 * np.sqrt(2 / (len(d) - 1)) + 0.02)


def test_magnitude_matches_theory(small_story, small_data):
    X, y = small_data
    for B in (1, 4, 10, 40):
        m = qm.magnitude(X, y, B, small_story)
        t = qm.magnitude_theory(X, y, B, small_story)
        assert m == pytest.approx(t, rel=0.06), B


def test_magnitude_edge_cases(small_story, small_data):
    X, y = small_data
    N = len(X)
    assert qm.magnitude(X, y, N, small_story) == pytest.approx(0.0, abs=1e-12)
    assert qm.magnitude_theory(X, y, N, small_story) == 0.0
    grids = qm.sample_landscapes(X, y, small_story)
    # B = 1: the gap is one sample's landscape minus the mean; its mean square is s^2
    s2 = grids.reshape(N, -1).var(axis=0)
    assert qm.magnitude_theory(X, y, 1, small_story) == pytest.approx(np.sqrt(s2.mean()))
    with pytest.raises(ValueError, match="1..80"):
        qm.magnitude(X, y, 0, small_story)
    with pytest.raises(ValueError, match="1..80"):
        qm.magnitude_theory(X, y, N + 1, small_story)


def test_magnitude_curve_falls_like_inverse_sqrt(story, data):
    X, y = data
    sizes, measured, theory = qm.magnitude_curve(X, y, story)
    assert list(sizes) == list(story.magnitude_batch_sizes)
    assert np.all(np.diff(theory) < 0) and theory[-1] == 0.0
    N = len(X)
    fpc = np.sqrt((N - sizes) / (N - 1))
    # theory * sqrt(B) / fpc is constant: the 1/sqrt(B) law
    core = theory[:-1] * np.sqrt(sizes[:-1]) / fpc[:-1]
    assert np.allclose(core, core[0])
    ok = sizes < N
    assert np.allclose(measured[ok], theory[ok], rtol=0.15)
    # 10 -> 100: about sqrt(10) times smaller, times the finite-population factor
    i10, i100 = list(sizes).index(10), list(sizes).index(100)
    ratio = theory[i10] / theory[i100]
    assert ratio == pytest.approx(np.sqrt(10) * np.sqrt((N - 10) / (N - 100)), rel=1e-9)
    assert 3.0 < measured[i10] / measured[i100] < 4.0


def test_fraction_correlation_matches_closed_form():
    y = np.r_[np.zeros(60), np.ones(60)]
    B = 20
    rng = np.random.default_rng(3)
    measured = qm.fraction_correlation(y, B, 3000, rng)
    theory = qm.fraction_correlation_theory(120, B)
    assert theory == pytest.approx(-0.2)
    pairs = 3000 * (120 // B - 1)
    assert abs(measured - theory) < 4 / np.sqrt(pairs) * 1.5


def test_story_correlation(story, data):
    _, y = data
    measured, theory = qm.story_correlation(y, story)
    B = story.correlation_batch_size
    assert theory == pytest.approx(-B / (len(y) - B))
    pairs = story.correlation_epochs * (len(y) // B - 1)
    assert abs(measured - theory) < 5 / np.sqrt(pairs)


def test_expected_next_ones_monte_carlo():
    y = np.r_[np.zeros(300), np.ones(300)]
    B = 100
    rng = np.random.default_rng(5)
    got = {}
    for _ in range(3000):
        b = qm.epoch_batches(600, B, rng)
        c1, c2 = int(y[b[0]].sum()), int(y[b[1]].sum())
        got.setdefault(c1 > 55, []).append(c2)
    # after a batch with many 1s, the next one holds fewer on average
    assert np.mean(got[True]) < 50 < np.mean(got[False]) + 5
    assert qm.expected_next_ones(60, B, 600, 300) == pytest.approx(48.0)
    with pytest.raises(ValueError, match="impossible"):
        qm.expected_next_ones(101, B, 600, 300)


def test_correlation_bad_input():
    with pytest.raises(ValueError, match="fewer than 2 batches"):
        qm.fraction_correlation(np.r_[0, 1, 0, 1], 3, 10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="do not fit"):
        qm.fraction_correlation_theory(10, 6)


# -- chapters 8 and 9 -------------------------------------------------------

def test_magnitude_theory_curve_matches_closed_form(story, data):
    X, y = data
    grids = qm.statistics_grids(X, y, story)
    N = len(X)
    whole = np.array([1, 7, 10, 100, 333, N])
    curve = qm.magnitude_theory_curve(grids, whole)
    assert np.allclose(curve, [qm.theory_from_grids(grids, int(b)) for b in whole], rtol=1e-12)
    assert curve[-1] == 0.0
    # smooth and falling between whole numbers, like 1/sqrt(B) for B << N
    fine = np.geomspace(1, N, 200)
    c = qm.magnitude_theory_curve(grids, fine)
    assert np.all(np.diff(c) < 0)
    assert c[0] / qm.magnitude_theory_curve(grids, [4.0])[0] == pytest.approx(
        2 * np.sqrt((N - 1) / (N - 4)), rel=1e-12)
    with pytest.raises(ValueError, match=r"\[1, 600\]"):
        qm.magnitude_theory_curve(grids, [0.5])
    with pytest.raises(ValueError, match=r"\[1, 600\]"):
        qm.magnitude_theory_curve(grids, [N + 1])


def test_story_fraction_pairs_are_the_measured_correlation(story, data):
    _, y = data
    a, b = qm.story_fraction_pairs(y, story)
    B, N = story.correlation_batch_size, len(y)
    assert len(a) == len(b) == story.correlation_epochs * (N // B - 1)
    # fractions of B samples: multiples of 1/B
    assert np.allclose(a * B, np.round(a * B))
    measured, _ = qm.story_correlation(y, story)
    assert float(np.corrcoef(a, b)[0, 1]) == measured


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
    with pytest.raises(ValueError, match="0..3"):
        qm.pool_counts(y, batches, 4)


def test_story_magnitude_curve_includes_the_side_by_side_sizes(story, data):
    X, y = data
    s = story.replace(batch_sizes=(7, 70))
    sizes, measured, theory = qm.story_magnitude_curve(X, y, s)
    assert 7 in sizes and 70 in sizes and set(story.magnitude_batch_sizes) <= set(sizes)
    assert list(sizes) == sorted(sizes)
    # the same numbers as magnitude_curve at the story's own sizes
    s0, m0, t0 = qm.magnitude_curve(X, y, s)
    for b, m, t in zip(s0, m0, t0):
        k = list(sizes).index(b)
        assert measured[k] == m and theory[k] == t
    r = qm.magnitude_ratio(sizes, measured, 7, 70)
    assert r == measured[list(sizes).index(7)] / measured[list(sizes).index(70)]
    assert 2.5 < r < 4.5  # about sqrt(10)
    with pytest.raises(ValueError, match="not among"):
        qm.magnitude_ratio(sizes, measured, 3, 70)
