"""Chapter 8 draws quake_math's quakes, magnitudes and closed form, and renders."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch08_magnitude import BatchSizeMagnitude
from scenes.kit import numbers
from tests.render_util import frames_at, render_chapter


@pytest.fixture(scope="module")
def scene():
    return BatchSizeMagnitude()


@pytest.fixture(scope="module")
def curve_numbers():
    X, y = numbers.dataset()
    return qm.story_magnitude_curve(X, y, numbers.story())


def test_side_by_side_uses_batches_of_the_stated_sizes(scene):
    S = numbers.story()
    maps, titles, plays, batches = scene.get_side_by_side()
    grids = numbers.sample_grids()
    assert len(maps) == 2
    for b, title, Zs, bt, m in zip(S.batch_sizes, titles, plays, batches, maps):
        assert title.original_text == f"batch size {b}"
        assert len(bt) == S.quake_batches and all(len(idx) == b for idx in bt)
        # every landscape played is that batch's mean landscape (plus the loop's return)
        for k, idx in enumerate(bt):
            assert np.allclose(Zs[k], qm.mean_landscape(grids, idx))
        assert np.array_equal(Zs[-1], Zs[0])
        assert np.allclose(m.Z, m.crop(Zs[0]))
    # the left map is the small batch, on the left
    assert S.batch_sizes[0] < S.batch_sizes[1]
    assert maps[0].get_center()[0] < 0 < maps[1].get_center()[0]
    # one time base: the same number of batch changes on both sides
    assert len(plays[0]) == len(plays[1])


def test_small_batch_quakes_harder(scene):
    _, _, plays, _ = scene.get_side_by_side()
    full = numbers.full_landscape()
    rms = [np.sqrt(np.mean((Zs - full) ** 2)) for Zs in plays]
    assert rms[0] > 2 * rms[1]


def test_reference_line_is_the_full_landscape_contour(scene):
    S = numbers.story()
    maps, *_ = scene.get_side_by_side()
    line = scene.get_reference_line(maps[0])
    assert line.level == S.levels[scene.reference_level_index]
    pts = maps[0].p2w(line.points.reshape(-1, 4, 3)[:, 0])
    # the full landscape at those points is the level (bilinear on the grid: close)
    w1, w2 = numbers.axes()
    from scipy.interpolate import RegularGridInterpolator
    f = RegularGridInterpolator((w2, w1), numbers.full_landscape())
    assert np.allclose(f(pts[:, ::-1]), line.level, atol=0.05)


def test_plot_dots_and_curve_are_quake_math_numbers(scene, curve_numbers):
    S = numbers.story()
    sizes, measured, theory = curve_numbers
    plot = scene.get_plot()
    N = S.n_samples
    keep = sizes < N
    centers = np.array([d.get_center() for d in plot.dots])
    coords = np.array([plot.axes.p2c(c) for c in centers])
    assert np.allclose(coords[:, 0], sizes[keep])
    assert np.allclose(coords[:, 1], measured[keep])
    assert np.allclose(plot.dots.values, np.column_stack([sizes[keep], measured[keep]]))
    # the curve passes through quake_math's closed form
    X, y = numbers.dataset()
    grids = qm.statistics_grids(X, y, S)
    B = plot.curve.values[:, 0]
    assert np.allclose(plot.curve.values[:, 1], qm.magnitude_theory_curve(grids, B))
    anchors = plot.curve.get_anchors()
    ac = np.array([plot.axes.p2c(p) for p in anchors[:: 2]])
    assert np.allclose(ac[:, 1], qm.magnitude_theory_curve(grids, ac[:, 0]), rtol=1e-6)
    # ... and at every measured size its value is the closed form there
    assert np.allclose(qm.magnitude_theory_curve(grids, sizes), theory)
    # measured dots lie near the curve (the check the picture makes by eye)
    assert np.allclose(measured[keep], theory[keep], rtol=0.15)
    # the two side-by-side sizes are marked at their measured magnitudes
    assert [m.batch_size for m in plot.marks] == list(S.batch_sizes)
    for m in plot.marks:
        k = list(sizes).index(m.batch_size)
        assert m.value == measured[k]
        assert np.allclose(plot.axes.p2c(m[1].get_center()), [m.batch_size, measured[k]])


def test_ratio_on_screen_is_quake_math_ratio(scene, curve_numbers):
    S = numbers.story()
    sizes, measured, theory = curve_numbers
    small, large = S.batch_sizes
    g = scene.get_ratio()
    r = measured[list(sizes).index(small)] / measured[list(sizes).index(large)]
    assert g.measured == pytest.approx(r, rel=1e-12)
    assert g.text == f"{r:.1f}"
    assert g.theory == pytest.approx(qm.magnitude_ratio(sizes, theory, small, large))
    # about sqrt(10), a bit more with the finite-population factor
    assert 3.0 < g.measured < 3.8


@pytest.mark.render
def test_batch_size_magnitude_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch08_magnitude.py", "BatchSizeMagnitude", tmp_path, 40)
    assert "same clock" in srt and "square root" in srt
    # the two maps shake during the side-by-side
    a, b = frames_at(mp4, [10.0, 12.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0
