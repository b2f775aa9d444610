"""Chapter 5 shows quake_math's nine samples, their straight-lined maps, the
x arrows, and their average; it renders."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch05_per_sample import PerSampleContours
from scenes.kit import numbers
from tests.render_util import render_chapter


@pytest.fixture(scope="module")
def scene():
    return PerSampleContours.__new__(PerSampleContours)


@pytest.fixture(scope="module")
def maps(scene):
    return scene.get_sample_maps()


def _crop(m, Z):
    return np.asarray(Z)[np.ix_(*m.keep)]


def test_nine_samples_are_quake_math_samples(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx, Xs, ys, grids = scene.get_samples()
    assert np.array_equal(idx, qm.single_samples(S)) and len(idx) == S.n_single == 9
    assert np.array_equal(Xs, X[idx]) and np.array_equal(ys, y[idx])
    assert np.allclose(grids, qm.sample_landscapes(X, y, S, idx=idx))


def test_maps_show_each_sample_with_the_same_levels(scene, maps):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    grids = qm.sample_landscapes(X, y, S, idx=idx)
    assert len(maps.maps) == 9
    for m, Z in zip(maps.maps, grids):
        assert np.allclose(m.Z, _crop(m, Z))
        drawn = m.lines_in_weights()
        expected = qm.contour_lines(m.Z, S, axes=m.grid_axes)
        assert len(drawn) == len(S.levels) == len(expected)
        for segs, (_, lines) in zip(drawn, expected):
            n = sum(max(len(ln) - 1, 0) for ln in lines)
            assert len(segs) == n
    # the nine maps do not overlap and sit in a 3x3 grid
    frames = [m.frame for m in maps.maps]
    xs = sorted({round(f.get_x(), 3) for f in frames})
    ys_ = sorted({round(f.get_y(), 3) for f in frames})
    assert len(xs) == 3 and len(ys_) == 3
    assert min(np.diff(xs)) > frames[0].width and min(np.diff(ys_)) > frames[0].height


def test_contour_lines_straight_and_perpendicular_to_x(scene, maps):
    _, Xs, _, _ = scene.get_samples()
    for m, x in zip(maps.maps, Xs):
        u = x / np.linalg.norm(x)
        for segs in m.lines_in_weights():
            if len(segs):
                z = segs.reshape(-1, 2) @ u  # position along x of every point of one level
                assert z.max() - z.min() < 0.15  # one straight line across the map, perpendicular to x
    # the average's lines are not straight
    avg = scene.get_average_map()
    spreads = []
    for segs in avg.lines_in_weights():
        if len(segs) > 2:
            p = segs.reshape(-1, 2)
            p = p - p.mean(axis=0)
            spreads.append(np.linalg.svd(p, compute_uv=False)[1] / np.sqrt(len(p)))
    assert max(spreads) > 1.0


def test_x_arrows_point_along_x(scene, maps):
    _, Xs, _, _ = scene.get_samples()
    d = maps.x_directions()
    assert np.allclose(d, scene.x_scale * Xs, atol=1e-6)
    for m, a in zip(maps.maps, maps.x_arrows):
        assert np.allclose(m.p2w(a.get_start()), 0.0, atol=1e-9)  # from the weight origin


def test_average_map_is_the_batch_of_the_nine(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    avg = scene.get_average_map()
    assert np.allclose(avg.Z, _crop(avg, qm.batch_landscape(X, y, idx, S)))


def test_data_plot_rings_the_nine(scene):
    _, Xs, _, _ = scene.get_samples()
    axes, _, dots, rings, vectors = scene.get_data_plot()
    assert len(dots) == numbers.story().n_samples
    assert np.allclose([axes.p2c(r.get_center())[:2] for r in rings], Xs, atol=1e-6)
    assert np.allclose([axes.p2c(v.get_end())[:2] for v in vectors], Xs, atol=1e-6)


@pytest.mark.render
def test_per_sample_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch05_per_sample.py", "PerSampleContours", tmp_path, 30)
    assert "right angle" in srt
