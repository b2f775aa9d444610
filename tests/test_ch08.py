"""Chapter 8 draws quake_math's quakes, gaps, magnitudes and closed form, and renders."""

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

import quake_math as qm
from scenes.ch08_magnitude import BatchSizeMagnitude
from scenes.kit import numbers
from scenes.kit.batch_views import (
    GAP_HIGH, GAP_LOW, GAP_ZERO, LightBatches, gap_rgb, nearest_level, symmetric_limit,
)
from scenes.kit.motion import Quake
from scenes.kit.tex_steps import TexStep, glyphs
from tests.render_util import frames_at, render_chapter, subtitle_start


@pytest.fixture(scope="module")
def scene():
    return BatchSizeMagnitude()


@pytest.fixture(scope="module")
def curve_numbers():
    X, y = numbers.dataset()
    return qm.story_magnitude_curve(X, y, numbers.story())


def full_at(points):
    """The full landscape, bilinear on the story grid, at weights (m, 2)."""
    w1, w2 = numbers.axes()
    return RegularGridInterpolator((w2, w1), numbers.full_landscape())(np.asarray(points)[:, ::-1])


def test_side_by_side_uses_batches_of_the_stated_sizes(scene):
    S = numbers.story()
    maps, titles, plays, batches = scene.get_side_by_side()
    grids = numbers.sample_grids()
    assert len(maps) == 2
    for b, title, Zs, bt, m in zip(S.batch_sizes, titles, plays, batches, maps):
        assert title.original_text == f"batch size {b}"
        assert len(bt) == S.quake_batches + 1 and all(len(idx) == b for idx in bt)
        # every landscape played is that batch's mean landscape (the loop returns to the first)
        for idx, Z in zip(bt, Zs):
            assert np.allclose(Z, qm.mean_landscape(grids, idx))
        assert np.array_equal(Zs[-1], Zs[0])
        assert np.allclose(m.Z, m.crop(Zs[0]))
    assert S.batch_sizes[0] < S.batch_sizes[1]
    assert maps[0].get_center()[0] < 0 < maps[1].get_center()[0]
    assert len(plays[0]) == len(plays[1])  # one time base


def test_small_batch_quakes_harder(scene):
    _, _, plays, _ = scene.get_side_by_side()
    full = numbers.full_landscape()
    rms = [np.sqrt(np.mean((Zs - full) ** 2)) for Zs in plays]
    assert rms[0] > 2 * rms[1]


def test_reference_level_is_picked_by_value_from_the_story_levels(scene):
    S = numbers.story()
    full = numbers.full_landscape()
    k = scene.reference_level()
    inside = [v for v in S.levels if full.min() < v < full.max()]
    assert S.levels[k] == min(inside, key=lambda v: abs(v - scene.reference_loss))
    # a story with only a few levels still gets a level the map draws (no fixed index)
    few = S.replace(levels=(0.0, 5.0, 10.0))
    assert few.levels[nearest_level(few, 2.0, full)] == 5.0
    with pytest.raises(ValueError, match="no contour level"):
        nearest_level(S.replace(levels=(100.0, 200.0)), 2.0, full)


def test_white_line_is_the_full_landscape_and_each_batch_draws_its_own(scene):
    S = numbers.story()
    maps, _, plays, _ = scene.get_side_by_side()
    level = S.levels[scene.reference_level()]
    white = scene.get_reference_line(maps[0])
    assert white.level == level
    pts = maps[0].p2w(white.points.reshape(-1, 4, 3)[:, 0])
    assert len(pts) > 10 and np.allclose(full_at(pts), level, atol=0.05)
    # the coloured line is the map's own line at that level: it follows the batch shown
    for cmap, Zs in zip(maps, plays):
        own, lit = scene.get_batch_line(cmap, "#ff0000")
        assert own is cmap.level_lines[scene.reference_level()]
        cmap.set_landscape(Zs[3])
        ends = cmap.p2w(own.points.reshape(-1, 4, 3)[:, 0])
        g1, g2 = cmap.grid_axes  # the grid the map traces its contours on
        batch = RegularGridInterpolator((g2, g1), cmap.crop(Zs[3]))(ends[:, ::-1])
        assert len(ends) > 10 and np.allclose(batch, level, atol=0.01)
        assert not np.allclose(full_at(ends), level, atol=0.05)  # ... and it is not the white line
        assert lit.get_stroke_width() == scene.line_width


def test_gap_panels_show_batch_minus_full_from_quake_math(scene):
    S = numbers.story()
    panels, bar = scene.get_gap_panels()
    grids = numbers.sample_grids()
    full = qm.mean_landscape(grids)
    for b, p in zip(S.batch_sizes, panels):
        bt, _ = numbers.quake(batch_size=b)
        gap0 = qm.mean_landscape(grids, bt[0]) - full
        assert np.allclose(p.map.Z, p.map.crop(gap0))
        assert np.allclose(p.gaps[-1], p.gaps[0])  # a seamless loop
        # the dot is drawn at the story's start (nearest grid point) and the readout reads the gap there
        assert np.allclose(p.map.p2w(p.dot.get_center()), p.where)
        assert np.allclose(p.where, S.start, atol=(S.grid_max - S.grid_min) / (S.grid_points - 1))
        # the map morphs; the readout reads the gap of the batch nearer in time
        i, j = p.index
        for t, k in ((0.25, 2), (0.75, 3)):
            p.set_between(p.gaps[2], p.gaps[3], t)
            assert np.allclose(p.map.Z, p.map.crop((1 - t) * p.gaps[2] + t * p.gaps[3]))
            assert p.readout.number.get_value() == pytest.approx(p.gaps[k][i, j])
    # one colour scale for both, at a round value covering most of the small batch's gaps
    assert panels[0].map.limit == panels[1].map.limit == bar.limit
    G = panels[0].gaps
    assert np.mean(np.abs(G) <= bar.limit) >= 0.98
    m = bar.limit / 10 ** np.floor(np.log10(bar.limit))
    assert any(np.isclose(m, v) for v in (1, 2, 5))
    assert symmetric_limit([0.3, -4.1, 2.0], share=1.0) == 5.0


def test_intro_lights_the_batch_the_map_shows(scene):
    maps, _, plays, batches = scene.get_side_by_side()
    cloud = scene.get_intro(maps)[0]
    X, _ = numbers.dataset()
    light = LightBatches(cloud, batches[0], run_time=1)
    quake = Quake(maps[0], plays[0], run_time=1)
    for alpha in (0.0, 0.31, 0.5, 0.97):
        light.interpolate_mobject(alpha)
        k, t = quake.state_at(alpha)
        shown = batches[0][k + 1 if t >= 0.5 else k]
        assert np.array_equal(np.sort(cloud.lit_indices), np.sort(shown))
        centers = cloud.lit_centers()[:, :2]
        expect = cloud.x2p(X[shown])[:, :2]
        assert len(centers) == len(shown)
        assert np.allclose(np.sort(centers, axis=0), np.sort(expect, axis=0), atol=1e-6)


def test_gap_colours_are_signed():
    hexrgb = lambda c: np.array([int(c[k:k + 2], 16) for k in (1, 3, 5)]) / 255  # noqa: E731
    assert np.allclose(gap_rgb(0.0, 2.0), hexrgb(GAP_ZERO))
    assert np.allclose(gap_rgb(2.0, 2.0), hexrgb(GAP_HIGH)) and np.allclose(gap_rgb(9.0, 2.0), hexrgb(GAP_HIGH))
    assert np.allclose(gap_rgb(-3.0, 2.0), hexrgb(GAP_LOW))


def test_magnitude_reads_as_the_mean_of_squares(scene):
    st = scene.get_states()
    named = st["named"]
    parts = [p.tex_string for p in named.submobjects]
    # the two means come first, the square sits inside the bracket they act on
    square = parts.index(r"\big)^2")
    close = parts.index(r"\Big]")
    assert parts.index(r"\underset{\mathbf{w}}{\mathrm{mean}}") < parts.index(r"\Big[") < square < close
    assert named[square].get_right()[0] < named[close].get_left()[0] + 0.02
    assert "batches" in parts[3]


def test_derivation_steps_move_their_terms(scene):
    st = scene.get_states()
    steps = [
        TexStep(st["gap"], st["square"]),
        TexStep(st["square"], st["batches"]),
        TexStep(st["map"], st["named"]),
        TexStep(st["spread"], st["finite"]),
        TexStep(st["named"], st["var"], cancel=[3, 4, 5, 7, 8, 9, 10],
                copies=[(st["finite"][0], 3), (st["finite"][2], 5)]),
        TexStep(st["var"], st["put"], cancel=[3, 4, 5],
                copies=[(st["finite"][4], 3), (st["finite"][5], 4), (st["finite"][6], 5)]),
        TexStep(st["put"], st["law"], pairs=[(0, 0), (1, 1), ((2, 3), (2, 4)), (4, 5), (5, 6)]),
    ]
    # "gap =" leaves when the gap is squared; the root takes the square of M(B)^2 and splits the
    # bar of s^2/B (2 glyphs); every other term moves to its place or is cancelled first
    dropped, extra = {0: [0, 1]}, {6: 2}
    for k, step in enumerate(steps):
        gone = {id(g) for i in dropped.get(k, []) for g in glyphs(step.source[i])}
        assert len({id(g) for g in step.faded_out} - gone) <= extra.get(k, 0), k
        kept = len(glyphs(step.source)) - len(gone) - len(step.cancelled) - extra.get(k, 0)
        assert len(step.moved) >= kept, k
    # the batch loss travels into the variance, it does not fade
    to_var = steps[4]
    g = set(map(id, glyphs(st["named"][6])))
    assert sum(id(a) in g for a, _ in to_var.moved) == len(glyphs(st["named"][6]))


def test_plot_dots_and_curve_are_quake_math_numbers(scene, curve_numbers):
    S = numbers.story()
    sizes, measured, theory = curve_numbers
    plot = scene.get_plot()
    N = S.n_samples
    keep = sizes < N
    coords = np.array([plot.axes.p2c(d.get_center()) for d in plot.dots])
    assert np.allclose(coords[:, 0], sizes[keep]) and np.allclose(coords[:, 1], measured[keep])
    assert sizes[0] == 1 and len(plot.dots) == keep.sum()  # B = 1 is measured too
    X, y = numbers.dataset()
    grids = qm.statistics_grids(X, y, S)
    assert np.allclose(plot.curve.values[:, 1], qm.magnitude_theory_curve(grids, plot.curve.values[:, 0]))
    ac = np.array([plot.axes.p2c(p) for p in plot.curve.get_anchors()[::2]])
    assert np.allclose(ac[:, 1], qm.magnitude_theory_curve(grids, ac[:, 0]), rtol=1e-6)
    assert np.allclose(measured[keep], theory[keep], rtol=0.15)
    assert [m.batch_size for m in plot.marks] == list(S.batch_sizes)
    for m in plot.marks:
        k = list(sizes).index(m.batch_size)
        assert m.value == measured[k]
        assert np.allclose(plot.axes.p2c(m[1].get_center()), [m.batch_size, measured[k]])
    # N is marked where the batch-size axis reads N, below the axis's end
    line, label = plot.n_mark
    assert plot.axes.p2c(line.get_start())[0] == pytest.approx(N)
    assert plot.axes.p2c(line.get_end())[0] == pytest.approx(N)
    assert label.original_text == f"N = {N}"
    assert plot.axes.p2c(plot.axes.x_axis.get_end())[0] > N


def test_ratio_on_screen_is_quake_math_ratio(scene, curve_numbers):
    S = numbers.story()
    sizes, measured, theory = curve_numbers
    small, large = S.batch_sizes
    g = scene.get_ratio()
    r = measured[list(sizes).index(small)] / measured[list(sizes).index(large)]
    assert g.measured == pytest.approx(r, rel=1e-12)
    assert g.text == f"{r:.1f}"
    assert g.theory == pytest.approx(qm.magnitude_ratio(sizes, theory, small, large))
    assert 3.0 < g.measured < 3.8  # about sqrt(10), a bit more with the finite-population factor


@pytest.mark.render
def test_batch_size_magnitude_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch08_magnitude.py", "BatchSizeMagnitude", tmp_path, 40)
    assert "same clock" in srt and "square root" in srt
    # the two maps shake during the side-by-side, and the gap maps shake while the formula is built
    for words in ("On the left, every batch", "Now stay at one point"):
        t = subtitle_start(srt, words)
        a, b = frames_at(mp4, [t + 0.5, t + 1.5])
        top = slice(0, a.shape[0] // 2)
        assert np.abs(a[top].astype(int) - b[top].astype(int)).mean() > 0.3, words
