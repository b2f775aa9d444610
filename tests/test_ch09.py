"""Chapter 9 draws quake_math's epoch, counts, pairs and correlation, and renders.

Also tests its kit pieces: ``epoch_strip`` (tiles, bars), ``count_dots``
(dots whose area counts coinciding pairs) and ``epoch_numbers``.
"""

from collections import Counter

import numpy as np
import pytest
from manim import ManimColor, VGroup

import quake_math as qm
from scenes.ch09_not_random import NotQuiteRandom
from scenes.kit import numbers, palette
from scenes.kit.count_dots import CountDots, count_legend, disc_points
from scenes.kit.epoch_numbers import demo_epoch, pair_correlation, spoken
from scenes.kit.epoch_strip import CountBars, TileStrip, tile_layer, veil
from scenes.kit.tex_steps import TexStep, glyphs
from tests.render_util import render_chapter

FRAME_X, FRAME_Y, MARGIN = 7.111, 4.0, 0.3


@pytest.fixture(scope="module")
def scene():
    return NotQuiteRandom()


@pytest.fixture(scope="module")
def data():
    S = numbers.story()
    _, y = numbers.dataset()
    return S, y, qm.demo_epoch(S, y)


def inside_frame(mob) -> bool:
    lo, hi = mob.get_corner(np.array([-1, -1, 0])), mob.get_corner(np.array([1, 1, 0]))
    return lo[0] >= -FRAME_X + MARGIN and hi[0] <= FRAME_X - MARGIN and lo[1] >= -FRAME_Y + MARGIN \
        and hi[1] <= FRAME_Y - MARGIN


# -- the epoch: tiles, cut, bars --------------------------------------------------
def test_tiles_are_the_samples_and_land_in_their_batches(scene, data):
    S, y, epoch = data
    strip = scene.get_strip()
    tiles = strip.tiles(y)
    assert len(tiles) == len(y)
    for t, label in zip(tiles, y):
        want = palette.CLASS1 if label == 1 else palette.CLASS0
        assert t.get_fill_color().to_hex().lower() == ManimColor(want).to_hex().lower()
    cut = strip.arranged(tiles, np.concatenate(epoch), gaps=True)
    for k, idx in enumerate(epoch):
        frame = strip.frame(k)
        lo, hi = frame.get_corner(np.array([-1, -1, 0])), frame.get_corner(np.array([1, 1, 0]))
        inside = [i for i, t in enumerate(cut)
                  if np.all(t.get_center()[:2] > lo[:2]) and np.all(t.get_center()[:2] < hi[:2])]
        assert sorted(inside) == sorted(idx.tolist()), k
        assert len(inside) == S.correlation_batch_size
    centers = np.round(np.array([t.get_center() for t in cut]), 6)
    assert len(np.unique(centers, axis=0)) == len(y)  # a permutation: no two tiles share a slot
    assert inside_frame(cut) and inside_frame(VGroup(*[strip.frame(k) for k in range(len(epoch))]))
    with pytest.raises(ValueError, match="distinct"):
        strip.arranged(tiles, [0, 0, 1])


def test_bars_show_the_batches_class_counts_and_tiles_stack_by_class(scene, data):
    S, y, epoch = data
    B = S.correlation_batch_size
    counts = qm.class_counts(y, epoch)
    for bars in (scene.get_bars(), scene.get_bars(small=True)):
        assert len(bars) == len(epoch) and inside_frame(VGroup(*bars, bars.half))
        for k, (bar, (zeros, ones)) in enumerate(zip(bars, counts)):
            assert bar.counts == (zeros, ones)
            assert bar.ones_text.original_text == str(ones) and bar.zeros_text.original_text == str(zeros)
            assert bar[0].height == pytest.approx(bars.bar_height * ones / B)
            assert bar[1].height == pytest.approx(bars.bar_height * zeros / B)
            # the batch's own tiles, stacked in the bar: its 1s under its 0s (one row may hold both),
            # the 1s' top within a row of the bar's split
            tiles = scene.get_strip().tiles(y[epoch[k]], positions=np.zeros((B, 3)))
            stacked = bars.stack(k, tiles, y[epoch[k]])
            ys = np.array([t.get_center()[1] for t in stacked])
            one, row = ys[y[epoch[k]] == 1], stacked[0].height / 0.8
            assert one.max() <= ys[y[epoch[k]] == 0].min() + 1e-9
            assert abs(one.max() + row / 2 - bars.level(ones)) <= row + 1e-9
            assert stacked.get_bottom()[1] >= bars.bottom - 1e-9 and stacked.get_top()[1] <= bars.level(B) + 1e-9
            assert abs(stacked.get_center()[0] - bar.get_center()[0]) < 0.1
    assert counts[0, 1] > counts[0, 0]  # the demo batch holds more 1s than half
    with pytest.raises(ValueError, match="batch_size"):
        CountBars([[3, 4]], [0.0], 0.0, batch_size=10)


def test_pool_and_expected_next_come_from_quake_math(data):
    S, y, epoch = data
    d = demo_epoch()
    assert [b.tolist() for b in d.batches] == [b.tolist() for b in epoch]
    for k, pool in enumerate(d.pools):  # independent count of what is left before batch k
        left = np.setdiff1d(np.arange(len(y)), np.concatenate(epoch[:k]) if k else [])
        assert tuple(pool) == (int(np.sum(y[left] == 0)), int(np.sum(y[left] == 1)))
    assert d.pools[1][0] > d.pools[1][1]  # after a batch rich in 1s, more 0s are left
    strip = NotQuiteRandom().get_strip()
    for k, (zeros, ones) in enumerate(d.pools):  # the brace over batches k.. says what they hold
        g = NotQuiteRandom().get_pool(k)
        assert [t.original_text for t in g[1:]] == [f"{zeros + ones} left:", f"{zeros} zeros", f"{ones} ones"]
        assert inside_frame(g) and g[0].get_left()[0] < strip.block_box(k)[0][0]
        assert k == 0 or g[0].get_left()[0] > strip.block_box(k - 1)[1][0]
    B = S.correlation_batch_size
    assert d.expected == pytest.approx(B * d.pools[1][1] / d.pools[1].sum())
    assert d.expected < B / 2


# -- the pairs as dots ---------------------------------------------------------------
def test_dots_are_the_pairs_and_their_area_counts_coinciding_pairs(scene, data):
    S, y, _ = data
    B = S.correlation_batch_size
    a, b = qm.story_fraction_pairs(y, S)
    want = Counter(zip(np.round(a * B).astype(int).tolist(), np.round(b * B).astype(int).tolist()))
    sc = scene.get_scatter()
    dots = sc.dots.show(sc.dots.groups)
    discs = dots.points.reshape(-1, 16, 3)
    centers = discs.mean(axis=1)
    radii = (discs[:, :, 0].max(axis=1) - discs[:, :, 0].min(axis=1)) / 2
    got = {}
    for c, r in zip(centers, radii):
        x, v = sc.axes.p2c(c)[:2]
        got[(round(x), round(v))] = (r / scene.radius_one) ** 2  # area in units of one pair's dot
        assert abs(x - round(x)) < 1e-6 and abs(v - round(v)) < 1e-6
    assert set(got) == set(want)
    assert all(got[k] == pytest.approx(n) for k, n in want.items())
    assert sum(want.values()) == S.correlation_epochs * (S.n_samples // B - 1) == dots.shown * dots.group
    assert dots.densest()[1] == max(want.values()) > 5  # many pairs coincide
    # the pairs pile up epoch by epoch, in quake_math's order
    e = 37
    first = Counter(zip(np.round(a[:e * dots.group] * B).astype(int).tolist(),
                        np.round(b[:e * dots.group] * B).astype(int).tolist()))
    after = dots.counts_after(e)
    assert {tuple(c): n for c, n in zip(dots.cells.tolist(), after) if n} == dict(first)
    lo, hi = sc.range
    assert lo <= min(a.min(), b.min()) * B and hi >= max(a.max(), b.max()) * B
    assert inside_frame(sc) and sc.get_left()[0] > scene.small_bars["right"]


def test_tilt_line_is_the_closed_form_expectation(scene, data):
    S, y, _ = data
    N, B = len(y), S.correlation_batch_size
    sc = scene.get_scatter()
    (x0, y0), (x1, y1) = sc.tilt.values
    assert (y1 - y0) / (x1 - x0) == pytest.approx(-B / (N - B))
    # through the demo batch's expected next count, the number said earlier
    d = demo_epoch()
    o0 = d.counts[0, 1]
    assert y0 + (o0 - x0) * (y1 - y0) / (x1 - x0) == pytest.approx(d.expected)
    # drawn where the values say
    for p, v in zip((sc.tilt.get_start(), sc.tilt.get_end()), sc.tilt.values):
        assert sc.axes.p2c(p)[:2] == pytest.approx(v)
    assert sc.flat.values[0, 1] == pytest.approx(B * np.mean(y))


# -- the correlation ----------------------------------------------------------------
def test_correlation_steps_move_their_terms(scene, data):
    S, y, _ = data
    measured, theory = qm.story_correlation(y, S)
    f, helper = scene.get_formula()
    assert f[-1].value == theory == pytest.approx(-S.correlation_batch_size / (S.n_samples - S.correlation_batch_size))
    assert f[-1][3].tex_string == f"{abs(theory):.2f}" and f[-1][2].tex_string == "-"
    c = pair_correlation()
    assert c.measured == measured and c.theory == theory
    # N - B is worked out by moving both numbers into the result, the minus sign fading
    step = TexStep(f[1], f[2], pairs=[(6, 6), (8, 6)], mark=[6, 8])
    result = {id(g) for g in glyphs(f[2][6])}
    assert not result & {id(g) for g in step.faded_in}
    assert {id(g) for g in glyphs(f[1][6]) + glyphs(f[1][8])} <= {id(s) for s, _ in step.moved}
    assert [id(g) for g in step.faded_out] == [id(g) for g in glyphs(f[1][7])]
    # the value: the minus sign stays where it is (it moves onto itself, never blinks)
    last = TexStep(f[2], f[3], pairs=[((3, 4, 5, 6, 7), 3)], mark=[3, 4, 5, 6, 7])
    minus = glyphs(f[2][2])[0]
    assert any(s is minus and t is glyphs(f[3][2])[0] for s, t in last.moved)
    assert minus not in last.faded_out
    # numbers come from the helper line B = .., N = ..
    first = TexStep(f[0], f[1], cancel=[4, 6, 8], copies=[(helper[2], 4), (helper[6], 6), (helper[2], 8)])
    assert first.moved_share == 1.0
    assert inside_frame(VGroup(*f, helper))


def test_wobble_is_the_measurement_cut_short(scene, data):
    S, y, _ = data
    B = S.correlation_batch_size
    a, b = qm.story_fraction_pairs(y, S)
    c = pair_correlation()
    per = S.n_samples // B - 1
    for e, r in list(zip(c.shuffles, c.running))[::7] + [(c.shuffles[-1], c.running[-1])]:
        assert r == pytest.approx(np.corrcoef(a[:e * per], b[:e * per])[0, 1])  # independent: first e epochs
    assert c.running[-1] == pytest.approx(c.measured) and c.shuffles[-1] == S.correlation_epochs
    chart, trace, ref = scene.get_wobble()
    assert np.array_equal(trace.values[:, 1], c.running)
    axes = chart[0]
    assert axes.p2c(ref.get_start())[1] == pytest.approx(c.theory)
    assert inside_frame(chart) and chart.get_right()[0] < scene.get_scatter().get_left()[0]
    assert spoken(-0.2) == "minus 0.20" and spoken(0.25) == "0.25"


# -- kit pieces --------------------------------------------------------------------
def test_count_dots_and_legend():
    class Plain:  # axes that map values straight to the screen
        def c2p(self, cells):
            cells = np.asarray(cells, dtype=float).reshape(-1, 2)
            return np.column_stack([cells, np.zeros(len(cells))])

    d = CountDots(Plain(), [1, 1, 2, 1], [3, 3, 4, 3], group=2, radius_one=0.1)
    assert len(d.points) == 0 and d.shown == 0
    d.show(1)
    assert d.counts_after(1).tolist() == [2, 0] and len(d.points) == 16
    assert np.ptp(d.points[:, 0]) / 2 == pytest.approx(0.1 * np.sqrt(2))
    d.show(2)
    assert d.densest() == (pytest.approx([1, 3]), 3) and len(d.points) == 32
    with pytest.raises(ValueError, match="whole"):
        CountDots(Plain(), [0.5], [1])
    with pytest.raises(ValueError, match="groups"):
        CountDots(Plain(), [1, 2, 3], [1, 2, 3], group=2)
    assert disc_points(np.zeros((2, 3)), [1.0, 2.0]).reshape(2, 16, 3)[1, :, 0].max() == pytest.approx(2.0)
    legend = count_legend((1, 4), radius_one=0.1)
    assert [r.count for r in legend] == [1, 4] and legend[1].radius == pytest.approx(2 * legend[0].radius)
    with pytest.raises(ValueError):
        TileStrip(10, 11)
    strip = TileStrip(12, 4)
    tiles = strip.tiles([0, 1] * 6)
    layer = tile_layer(tiles, [1, 2, 3, 5])  # classes 1, 0, 1, 1
    assert [len(m.points) // 16 for m in layer] == [1, 3]
    assert np.allclose(layer[0].points, tiles[2].points)
    cover = veil(*tiles[4:8])
    assert cover.get_left()[0] < tiles[4].get_left()[0] and cover.get_right()[0] > tiles[7].get_right()[0]
    assert cover.get_fill_color().to_hex().lower() == ManimColor(palette.BACKGROUND).to_hex().lower()


@pytest.mark.render
def test_not_quite_random_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch09_not_random.py", "NotQuiteRandom", tmp_path, 40)
    assert "shuffle" in srt and "not quite" in srt
