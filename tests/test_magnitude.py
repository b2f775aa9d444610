"""The quake's magnitude: the closed form against exact enumeration, and the
measurement against the closed form within a few standard errors."""

import itertools

import numpy as np
import pytest

import quake_math as qm


def exact_mean_square_gap(grids, B):
    """M(B)^2 by brute force: the mean over every subset of B samples of the
    grid-mean squared gap between the subset's landscape and the full one."""
    N = len(grids)
    flat = grids.reshape(N, -1)
    full = flat.mean(axis=0)
    gaps = [np.mean((flat[list(c)].mean(axis=0) - full) ** 2) for c in itertools.combinations(range(N), B)]
    return float(np.mean(gaps))


def iid_gaps(grids, B, draws, rng):
    """Grid-mean squared gaps of ``draws`` independent batches of B samples
    (each drawn without replacement, independently of the others)."""
    N = len(grids)
    flat = grids.reshape(N, -1)
    full = flat.mean(axis=0)
    out = np.empty(draws)
    for k in range(draws):
        idx = rng.choice(N, B, replace=False)
        out[k] = np.mean((flat[idx].mean(axis=0) - full) ** 2)
    return out


def grid_index(story, w):
    """(i, j) of the grid point nearest to weights w = (w1, w2)."""
    w1, w2 = qm.weight_axes(story)
    return int(np.argmin(np.abs(w2 - w[1]))), int(np.argmin(np.abs(w1 - w[0])))


def test_closed_form_equals_exhaustive_enumeration(small_story, small_data):
    """Every batch of B out of N enumerated: the exact mean square gap is the
    closed form's square, finite-population factor (N - B)/(N - 1) included."""
    X, y = small_data
    grids = qm.sample_landscapes(X, y, small_story, idx=np.arange(30, 42), points=9)  # 12 real samples
    noise = np.random.default_rng(0).normal(size=(10, 3, 4))  # and arbitrary numbers
    for g in (grids, noise):
        N = len(g)
        for B in range(1, N + 1):
            exact = exact_mean_square_gap(g, B)
            assert qm.magnitude_theory_curve(g, B) ** 2 == pytest.approx(exact, rel=1e-10, abs=1e-15), (N, B)


def test_batch_loss_is_unbiased_with_closed_form_variance(small_story, small_data):
    """At fixed weights, independent batch losses have mean L and variance
    s^2/B (N-B)/(N-1): a Monte-Carlo check pointwise."""
    X, y = small_data
    grids = qm.sample_landscapes(X, y, small_story)
    N, B, draws = len(X), 8, 4000
    rng = np.random.default_rng(7)
    full = grids.mean(axis=0)
    var_theory = grids.var(axis=0) / B * (N - B) / (N - 1)
    for w in [(1.0, 1.5), (2.0, -2.0), (-3.0, 5.0), (7.0, 7.0)]:  # not w = 0, where every loss is ln 2
        i, j = grid_index(small_story, w)
        assert var_theory[i, j] > 1e-3
        d = np.array([grids[rng.choice(N, B, replace=False), i, j].mean() for _ in range(draws)])
        assert abs(d.mean() - full[i, j]) < 4 * np.sqrt(var_theory[i, j] / draws)
        # the relative standard error of a sample variance is about sqrt(2/(n-1))
        # (a bit more for skewed losses: kurtosis), so 4 of them plus a margin
        assert d.var(ddof=1) == pytest.approx(var_theory[i, j], rel=4 * np.sqrt(2 / (draws - 1)) + 0.03)


@pytest.mark.parametrize("B", [1, 2, 4, 10, 40])
def test_the_law_holds_for_a_measurement(small_story, small_data, B):
    """The closed form M(B) = sqrt(mean s^2 / B * (N-B)/(N-1)) against an
    independent measurement (independent batches, drawn here), within 4
    standard errors; with enough draws that a 5 % error in M is caught."""
    X, y = small_data
    grids = qm.statistics_grids(X, y, small_story)
    g = iid_gaps(grids, B, 3000, np.random.default_rng(100 + B))
    est, se = g.mean(), g.std(ddof=1) / np.sqrt(len(g))
    theory2 = float(qm.magnitude_theory_curve(grids, B)) ** 2
    assert 4 * se < 0.1 * theory2  # a 5 % error in M is a 10 % error in M^2: caught
    assert abs(est - theory2) < 4 * se
    # the same in the law's own terms: M(B)^2 B (N-1)/(N-B) is the mean
    # per-sample variance s^2, whatever B
    N = len(grids)
    s2 = float(np.mean(grids.reshape(N, -1).var(axis=0)))
    assert abs(est * B * (N - 1) / (N - B) - s2) < 4 * se * B * (N - 1) / (N - B)


@pytest.mark.parametrize("B", [1, 4, 10, 40])
def test_measured_magnitude_agrees_with_closed_form(small_story, small_data, B):
    """quake_math's measurement, repeated with independent random streams:
    its square is unbiased for the closed form's square (within 4 standard
    errors of the repeats), and it is a measurement (repeats differ)."""
    X, y = small_data
    grids = qm.statistics_grids(X, y, small_story)
    theory2 = float(qm.magnitude_theory_curve(grids, B)) ** 2
    R, K = 40, 200
    m2 = np.array([qm.measured_magnitude(grids, B, K, np.random.default_rng(1000 * B + r)) ** 2
                   for r in range(R)])
    se = m2.std(ddof=1) / np.sqrt(R)
    assert se > 0, "the measured magnitude does not vary with the draws: it is not a measurement"
    assert 4 * se < 0.1 * theory2  # a 5 % bias in M would be caught
    assert abs(m2.mean() - theory2) < 4 * se


def test_measured_magnitude_counts_its_batches(small_story, small_data):
    """Exactly ``batches`` batches are measured, even for B = 1 (fewer than
    one epoch): the B = 1 dot is a measurement, not the closed form."""
    X, y = small_data
    grids = qm.statistics_grids(X, y, small_story)
    N = len(grids)
    rng = np.random.default_rng(3)
    flat = grids.reshape(N, -1)
    per_sample = np.mean((flat - flat.mean(axis=0)) ** 2, axis=1)  # the gap of each one-sample batch
    # with batches = 1 the measurement is one batch's gap: one sample's
    one = qm.measured_magnitude(grids, 1, 1, rng)
    assert np.min(np.abs(per_sample - one ** 2)) < 1e-12 * one ** 2
    assert qm.measured_magnitude(grids, 1, 30, np.random.default_rng(4)) != pytest.approx(
        float(qm.magnitude_theory_curve(grids, 1)), rel=1e-6)
    # all the data: no gap at all
    assert qm.measured_magnitude(grids, N, 5, rng) == pytest.approx(0.0, abs=1e-12)


def test_theory_curve_between_whole_numbers(small_story, small_data):
    X, y = small_data
    grids = qm.statistics_grids(X, y, small_story)
    N = len(grids)
    fine = np.geomspace(1, N, 200)
    c = qm.magnitude_theory_curve(grids, fine)
    assert c.shape == fine.shape and np.all(np.diff(c) < 0) and c[-1] == 0.0
    # between two whole numbers the curve lies between their values
    whole = qm.magnitude_theory_curve(grids, np.arange(1, N + 1))
    for b, v in zip(fine, c):
        k = int(np.floor(b))
        if k < N:
            assert whole[k] - 1e-12 <= v <= whole[k - 1] + 1e-12
    assert np.ndim(qm.magnitude_theory_curve(grids, 7)) == 0


def test_story_magnitude_curve(story, data):
    """The chapter's numbers: the story's sizes and both side-by-side sizes,
    sorted; zero at N, measured and closed form; the measured ratio of the
    two side-by-side sizes within 4 standard errors of the closed form's."""
    X, y = data
    N = len(X)
    s = story.replace(batch_sizes=(7, 70))
    sizes, measured, theory = qm.story_magnitude_curve(X, y, s)
    assert list(sizes) == sorted(set(s.magnitude_batch_sizes) | {7, 70})
    k = list(sizes).index(N)
    assert theory[k] == 0.0 and measured[k] == pytest.approx(0.0, abs=1e-12)
    grids = qm.statistics_grids(X, y, s)
    log_se2 = 0.0
    for b in (7, 70):
        # standard error of one measured M^2 from K batches: independent
        # draws give sd/sqrt(K); batches of one epoch are not independent,
        # which at most doubles the variance
        g = iid_gaps(grids, b, 300, np.random.default_rng(b))
        se_m2 = np.sqrt(2) * g.std(ddof=1) / np.sqrt(s.magnitude_batches)
        log_se2 += (se_m2 / (2 * g.mean())) ** 2  # var(log M) = var(M^2) / (2 M^2)^2
    r = qm.magnitude_ratio(sizes, measured, 7, 70)
    law = np.sqrt(70 / 7 * (N - 7) / (N - 70))
    assert abs(np.log(r) - np.log(law)) < 4 * np.sqrt(log_se2)
    assert qm.magnitude_ratio(sizes, theory, 7, 70) == pytest.approx(law, rel=1e-12)


def test_magnitude_curve_uses_the_story_sizes_and_streams(small_story, small_data):
    X, y = small_data
    sizes, measured, theory = qm.magnitude_curve(X, y, small_story)
    assert list(sizes) == list(small_story.magnitude_batch_sizes)
    grids = qm.statistics_grids(X, y, small_story)
    # each size from its own stream: measuring one size alone gives the same number
    alone = qm.measured_magnitude(grids, 10, small_story.magnitude_batches,
                                  qm.rng_for(small_story, "magnitude-10"))
    assert measured[list(sizes).index(10)] == alone


def test_magnitude_ratio_reads_the_right_values():
    sizes = np.array([1, 5, 10, 50])
    values = np.array([2.0, 3.0, 7.0, 11.0])
    assert qm.magnitude_ratio(sizes, values, 5, 50) == pytest.approx(3.0 / 11.0)
    assert qm.magnitude_ratio(sizes, values, 10, 1) == pytest.approx(3.5)
    with pytest.raises(ValueError, match="not among"):
        qm.magnitude_ratio(sizes, values, 3, 50)
    with pytest.raises(ValueError, match="is 0"):
        qm.magnitude_ratio(sizes, np.array([2.0, 1.0, 0.5, 0.0]), 5, 50)


def test_magnitude_bad_input(small_story, small_data):
    X, y = small_data
    grids = qm.statistics_grids(X, y, small_story)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"1\.\.80"):
        qm.measured_magnitude(grids, 0, 10, rng)
    with pytest.raises(ValueError, match=r"1\.\.80"):
        qm.measured_magnitude(grids, 81, 10, rng)
    with pytest.raises(TypeError, match="whole number"):
        qm.measured_magnitude(grids, 2.5, 10, rng)
    with pytest.raises(ValueError, match="batches"):
        qm.measured_magnitude(grids, 2, 0, rng)
    with pytest.raises(ValueError, match=r"\[1, 80\]"):
        qm.magnitude_theory_curve(grids, [0.5])
    with pytest.raises(ValueError, match=r"\[1, 80\]"):
        qm.magnitude_theory_curve(grids, [81])
    with pytest.raises(ValueError, match=r"\[1, 80\]"):
        qm.magnitude_theory_curve(grids, [np.nan])
