import numpy as np
import pytest

import quake_math as qm


def test_grid_convention(grid_story):
    W = qm.weight_grid(grid_story)
    w1, w2 = qm.weight_axes(grid_story)
    n = grid_story.grid_points
    assert W.shape == (n, n, 2)
    assert w1[0] == grid_story.grid_min and w1[-1] == grid_story.grid_max
    # Z[i, j] is the loss at (w1[j], w2[i])
    assert np.all(W[3, 7] == (w1[7], w2[3]))


def test_landscape_equals_pointwise_loss(grid_story, data):
    X, y = data
    Z = qm.full_landscape(X, y, grid_story)
    w1, w2 = qm.weight_axes(grid_story)
    for i, j in [(0, 0), (5, 70), (40, 40), (80, 3)]:
        assert Z[i, j] == pytest.approx(qm.batch_loss(np.array([w1[j], w2[i]]), X, y), rel=1e-12)


def test_mean_of_sample_landscapes_is_batch_landscape(grid_story, data, rng):
    X, y = data
    idx = rng.choice(len(X), 10, replace=False)
    grids = qm.sample_landscapes(X, y, grid_story, idx=idx)
    assert grids.shape == (10, grid_story.grid_points, grid_story.grid_points)
    assert np.allclose(grids.mean(axis=0), qm.batch_landscape(X, y, idx, grid_story))
    every = qm.sample_landscapes(X, y, grid_story)
    assert np.allclose(qm.mean_landscape(every), qm.full_landscape(X, y, grid_story))
    assert np.allclose(qm.mean_landscape(every, idx), qm.batch_landscape(X, y, idx, grid_story))


def test_gradient_field_matches_finite_differences_of_grid(grid_story, data, rng):
    X, y = data
    idx = rng.choice(len(X), 20, replace=False)
    Z = qm.batch_landscape(X, y, idx, grid_story)
    G = qm.gradient_field(X, y, grid_story, idx)
    w1, w2 = qm.weight_axes(grid_story)
    h = w1[1] - w1[0]
    # interior points near the minimum, where the loss is smooth
    for i, j in [(42, 40), (45, 38), (43, 44)]:
        fd1 = (Z[i, j + 1] - Z[i, j - 1]) / (2 * h)
        fd2 = (Z[i + 1, j] - Z[i - 1, j]) / (2 * h)
        assert G[i, j] == pytest.approx([fd1, fd2], abs=0.05 * (1 + np.abs(G[i, j]).max()))


def test_interpolate_endpoints_and_midpoint(grid_story, data):
    X, y = data
    Z0 = qm.batch_landscape(X, y, np.arange(0, 10), grid_story)
    Z1 = qm.batch_landscape(X, y, np.arange(300, 310), grid_story)
    assert np.array_equal(qm.interpolate(Z0, Z1, 0.0), Z0)
    assert np.allclose(qm.interpolate(Z0, Z1, 1.0), Z1)
    # the midpoint is the landscape of the union of both batches
    both = qm.batch_landscape(X, y, np.r_[0:10, 300:310], grid_story)
    assert np.allclose(qm.interpolate(Z0, Z1, 0.5), both)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        qm.interpolate(Z0, Z1, 1.5)
    with pytest.raises(ValueError, match="shape"):
        qm.interpolate(Z0, Z1[:-1], 0.5)


@pytest.mark.parametrize("idx,needle", [
    (np.array([], dtype=int), "non-empty"),
    (np.array([0.5, 1.0]), "integers"),
    (np.array([0, 600]), "0..599"),
])
def test_bad_batch_indices(grid_story, data, idx, needle):
    X, y = data
    with pytest.raises(ValueError, match=needle):
        qm.batch_landscape(X, y, idx, grid_story)


def _line_spread(lines_by_level, direction):
    d = direction / np.linalg.norm(direction)
    spreads = [np.ptp(line @ d) for _, lines in lines_by_level for line in lines]
    return max(spreads), len(spreads)


def test_single_sample_contours_are_straight_and_perpendicular_to_x(grid_story, data):
    X, y = data
    idx = qm.single_samples(grid_story)
    grids = qm.sample_landscapes(X, y, grid_story, idx=idx)
    step = (grid_story.grid_max - grid_story.grid_min) / (grid_story.grid_points - 1)
    for k, i in enumerate(idx):
        # the grid itself depends on w only through x^T w: the same value
        # along the direction perpendicular to x
        spread, count = _line_spread(qm.contour_lines(grids[k], grid_story), X[i])
        assert count > 0
        # contourpy interpolates linearly between grid points: straight to
        # within a fraction of one grid step, and the error shrinks with it
        assert spread < 0.25 * step, (i, spread)
    fine = grid_story.replace(grid_points=321)
    fine_step = (fine.grid_max - fine.grid_min) / (fine.grid_points - 1)
    g = qm.sample_landscapes(X, y, fine, idx=idx[:1])[0]
    fine_spread, _ = _line_spread(qm.contour_lines(g, fine), X[idx[0]])
    assert fine_spread < 0.25 * fine_step
    # the average of the nine is not straight
    avg_spread, _ = _line_spread(qm.contour_lines(grids.mean(axis=0), grid_story), X[idx[0]])
    assert avg_spread > 10 * step


def test_contour_lines_lie_on_their_level(grid_story, data):
    X, y = data
    Z = qm.full_landscape(X, y, grid_story)
    for level, lines in qm.contour_lines(Z, grid_story, levels=[0.5, 2.0, 8.0]):
        assert lines
        for line in lines:
            L = qm.batch_loss(line, X, y)
            assert np.allclose(L, level, atol=0.08 * max(1, level))


def test_bands_cover_the_grid(grid_story, data):
    X, y = data
    Z = qm.full_landscape(X, y, grid_story)
    bands = qm.contour_bands(Z, grid_story)
    assert len(bands) == len(grid_story.levels)  # 30 bands plus the one above 15
    assert [b.lo for b in bands[:-1]] == list(grid_story.levels[:-1])

    def area(ring):
        x, yy = ring[:, 0], ring[:, 1]
        return 0.5 * np.sum(x * np.roll(yy, -1) - np.roll(x, -1) * yy)

    total = sum(area(r) for b in bands for r in b.rings)  # holes are negative
    side = grid_story.grid_max - grid_story.grid_min
    assert total == pytest.approx(side * side, rel=1e-6)


def test_contours_reject_wrong_grid(grid_story):
    with pytest.raises(ValueError, match="expected"):
        qm.contour_lines(np.zeros((5, 5)), grid_story)


def test_sample_landscapes_on_another_grid_of_the_same_square(grid_story, data):
    """``points`` samples the same square more coarsely: the values are the
    per-sample losses at those weights."""
    X, y = data
    idx = np.array([0, 299, 300, 599])
    g = qm.sample_landscapes(X, y, grid_story, idx=idx, points=9)
    ax = np.linspace(grid_story.grid_min, grid_story.grid_max, 9)
    W = np.stack(np.meshgrid(ax, ax), axis=-1)
    ref = np.moveaxis(qm.per_sample_loss(W, X[idx], y[idx]), -1, 0)
    assert g.shape == (4, 9, 9) and np.allclose(g, ref, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="at least 2"):
        qm.weight_axes(grid_story, points=1)
