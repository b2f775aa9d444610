"""Chapter 5 shows quake_math's single samples, their straight-lined maps in a
grid that fits any count from 1 to 16, the x arrows (one length, x's
direction), the traced lines and their right angles, and the average; it renders."""

import numpy as np
import pytest
from manim import ManimColor

import quake_math as qm
from scenes.ch05_per_sample import PerSampleContours
from scenes.kit import numbers, palette
from scenes.kit.sample_maps import grid_shape
from tests.render_util import render_chapter


@pytest.fixture(scope="module")
def scene():
    return PerSampleContours.__new__(PerSampleContours)


@pytest.fixture(scope="module")
def maps(scene):
    return scene.get_sample_maps()


def _crop(m, Z):
    return np.asarray(Z)[np.ix_(*m.keep)]


def _box(mob):
    return np.array([mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1]])


def test_samples_are_quake_math_samples(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx, Xs, ys, grids = scene.get_samples()
    assert np.array_equal(idx, qm.single_samples(S)) and len(idx) == S.n_single
    assert np.array_equal(Xs, X[idx]) and np.array_equal(ys, y[idx])
    assert np.allclose(grids, qm.sample_landscapes(X, y, S, idx=idx))


def test_maps_show_each_sample_with_the_same_levels(scene, maps):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    grids = qm.sample_landscapes(X, y, S, idx=idx)
    assert len(maps.maps) == len(idx)
    for m, Z in zip(maps.maps, grids):
        assert np.allclose(m.Z, _crop(m, Z))
        drawn = m.lines_in_weights()
        expected = qm.contour_lines(m.Z, S, axes=m.grid_axes)
        assert len(drawn) == len(S.levels) == len(expected)
        for segs, (_, lines) in zip(drawn, expected):
            assert len(segs) == sum(max(len(ln) - 1, 0) for ln in lines)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 9, 10, 16])
def test_grid_layout_fits_any_count(scene, n):
    rows, cols = grid_shape(n)
    assert rows * cols >= n > (rows - 1) * cols and rows <= cols <= rows + 1
    X, y = numbers.dataset()
    maps = scene.layout_sample_maps(numbers.sample_grids()[:n], X[:n], y[:n])
    assert (maps.rows, maps.cols) == (rows, cols)
    frames = [_box(m.frame) for m in maps.maps]
    # rows and columns as the count says, no two maps or labels overlapping
    row_ys = sorted({round(f[2], 3) for f in frames}, reverse=True)
    assert len(row_ys) == rows
    per_row = [[f for f in frames if round(f[2], 3) == ry] for ry in row_ys]
    assert [len(r) for r in per_row] == [cols] * (rows - 1) + [n - (rows - 1) * cols]  # filled in reading order
    for r in per_row:  # every row centred, a short last row too
        assert np.isclose((min(f[0] for f in r) + max(f[1] for f in r)) / 2, maps.get_center()[0], atol=1e-6)
    boxes = [_box(m.frame) for m in maps.maps] + [_box(lab) for lab in maps.labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            assert a[1] <= b[0] + 1e-6 or b[1] <= a[0] + 1e-6 or a[3] <= b[2] + 1e-6 or b[3] <= a[2] + 1e-6
    # the whole grid inside its box, clear of the frame edge
    w, h = scene.grid_box
    c = scene.grid_center
    assert maps.width <= w + 1e-6 and maps.height <= h + 1e-6
    assert np.allclose(maps.get_center()[:2], c[:2], atol=1e-6)
    assert maps.get_left()[0] > -7.1 + 0.3 and maps.get_top()[1] < 4.0 - 0.3 and maps.get_bottom()[1] > -4.0 + 0.3


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


def test_x_arrows_one_length_along_x(scene, maps):
    _, Xs, _, _ = scene.get_samples()
    d = maps.x_directions()
    assert np.allclose(np.linalg.norm(d, axis=1), scene.x_length, atol=1e-6)  # one length for all
    cos = np.sum(d * Xs, axis=1) / (np.linalg.norm(d, axis=1) * np.linalg.norm(Xs, axis=1))
    assert np.allclose(cos, 1.0, atol=1e-9)  # x's own direction
    for m, a in zip(maps.maps, maps.x_arrows):
        assert np.allclose(m.p2w(a.get_start()), 0.0, atol=1e-9)  # from the weight origin
    # before they get one length, the arrows show x's true relative lengths
    true = np.array([m.p2w(a.get_end()) - m.p2w(a.get_start()) for m, a in zip(maps.maps, scene.get_true_arrows(maps))])
    ratio = np.linalg.norm(true, axis=1) / np.linalg.norm(Xs, axis=1)
    assert np.allclose(ratio, ratio[0]) and np.isclose(np.linalg.norm(true, axis=1).max(), scene.x_length)
    assert np.allclose(np.sum(true * Xs, axis=1), np.linalg.norm(true, axis=1) * np.linalg.norm(Xs, axis=1))


def test_traced_lines_cross_x_at_right_angles(scene, maps):
    """The traced level line and the one it slides to: each crosses the line of
    x where the sample's loss equals that level (closed form of the logistic
    loss along x), and the slide from one to the other is along x."""
    S = numbers.story()
    _, Xs, ys, _ = scene.get_samples()
    for k, ((l1, t1), (l2, t2)) in enumerate(scene.get_traced(maps)):
        x, lab = Xs[k], ys[k]
        for level_index, t in ((l1, t1), (l2, t2)):
            z = t * np.linalg.norm(x)  # x^T w at w = t x/|x|
            loss = np.log1p(np.exp(-z)) if lab == 1 else np.log1p(np.exp(z))
            assert abs(loss - S.levels[level_index]) < 0.02 * max(1.0, S.levels[level_index])
        assert abs(abs(t1) - scene.trace_reach) < 1.5 and np.sign(t1) == np.sign(t2)
        assert l1 != l2 or len(maps.crossings(k)) == 1


def test_data_plot(scene):
    _, Xs, ys, _ = scene.get_samples()
    X, y = numbers.dataset()
    plot = scene.get_data_plot()
    box, labels, dots, rings, vectors, legend = plot
    axes = plot.axes
    assert len(dots) == len(X)
    assert np.allclose([axes.p2c(d.get_center())[:2] for d in dots], X, atol=1e-6)
    assert [ManimColor(d.get_color()).to_hex().lower() for d in dots] == [palette.class_color(c).lower() for c in y]
    assert np.allclose([axes.p2c(r.get_center())[:2] for r in rings], Xs, atol=1e-6)
    assert np.allclose([axes.p2c(v.get_end())[:2] for v in vectors], Xs, atol=1e-6)
    # ticks at round values, where their values are; every point inside the frame
    ticks = box[2]
    values = [t[1].value for t in ticks]
    assert values and all(float(v).is_integer() for v in values)
    for mark, t in ticks:
        p = mark.get_start()
        c = axes.p2c(p)
        assert np.isclose(c[0], t.value, atol=1e-6) or np.isclose(c[1], t.value, atol=1e-6)
    f = _box(plot.frame)
    pts = np.array([d.get_center() for d in dots])
    assert pts[:, 0].min() > f[0] and pts[:, 0].max() < f[1] and pts[:, 1].min() > f[2] and pts[:, 1].max() < f[3]
    # the legend: one entry per class, in the class colour
    assert [ManimColor(e[0].get_color()).to_hex().lower() for e in legend] == [palette.class_color(c).lower()
                                                                               for c in (0, 1)]


def test_tour_reads_the_first_sample_loss(scene, maps):
    ws, losses = scene.get_tour(maps)
    _, Xs, ys, _ = scene.get_samples()
    z = ws @ Xs[0]
    p = 1 / (1 + np.exp(-z))
    ref = -(ys[0] * np.log(p) + (1 - ys[0]) * np.log(1 - p))
    assert np.allclose(losses, ref, atol=1e-6)
    assert np.allclose(np.linalg.norm(ws, axis=1), scene.tour_radius)


def test_average_map_is_the_batch_and_its_bent_line_is_a_level(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    avg = scene.get_average_map()
    assert np.allclose(avg.Z, _crop(avg, qm.batch_landscape(X, y, idx, S)))
    assert np.allclose(avg.frame.get_center(), scene.big_center)
    line = scene.get_bent_line(avg)
    assert line.level in S.levels
    w = avg.p2w(line.points.reshape(-1, 4, 3)[:, 0])
    vals = qm.batch_loss(w, X[idx], y[idx], S.clip)
    assert np.abs(vals - line.level).max() < 0.05 * max(line.level, 1.0)  # it is that contour
    assert np.allclose(line.weights[0], line.weights[-1])  # closed around the valley
    p = w - w.mean(axis=0)
    assert np.linalg.svd(p, compute_uv=False)[1] / np.sqrt(len(p)) > 1.0  # and not straight


@pytest.mark.render
def test_per_sample_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch05_per_sample.py", "PerSampleContours", tmp_path, 30)
    assert "right angle" in srt
