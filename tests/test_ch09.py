"""Chapter 9 shows quake_math's epoch, counts and correlation, and renders."""

import numpy as np
import pytest
from manim import ManimColor

import quake_math as qm
from scenes.ch09_not_random import NotQuiteRandom, spoken
from scenes.kit import numbers, palette
from tests.render_util import render_chapter


@pytest.fixture(scope="module")
def scene():
    return NotQuiteRandom()


@pytest.fixture(scope="module")
def epoch():
    S = numbers.story()
    _, y = numbers.dataset()
    return qm.demo_epoch(S, y)


def test_tiles_are_the_samples_and_land_in_their_batches(scene, epoch):
    S = numbers.story()
    _, y = numbers.dataset()
    B = S.correlation_batch_size
    tiles = scene.get_tiles()
    assert len(tiles) == len(y)
    for t, label in zip(tiles, y):
        want = palette.CLASS1 if label == 1 else palette.CLASS0
        assert t.get_fill_color().to_hex().lower() == ManimColor(want).to_hex().lower()
    cut = scene.get_shuffled_targets(tiles, gaps=True)
    for k, idx in enumerate(epoch):
        frame = scene.get_block_frame(k)
        lo, hi = frame.get_corner(np.array([-1, -1, 0])), frame.get_corner(np.array([1, 1, 0]))
        inside = [i for i, t in enumerate(cut) if np.all(t.get_center()[:2] > lo[:2])
                  and np.all(t.get_center()[:2] < hi[:2])]
        assert sorted(inside) == sorted(idx.tolist()), k
        assert len(inside) == B
    # slots are a permutation: no two tiles share a place
    centers = np.round(np.array([t.get_center() for t in cut]), 6)
    assert len(np.unique(centers, axis=0)) == len(y)


def test_bars_show_the_batches_class_counts(scene, epoch):
    _, y = numbers.dataset()
    counts = qm.class_counts(y, epoch)
    bars = scene.get_bars()
    assert len(bars) == len(epoch)
    S = numbers.story()
    for bar, (zeros, ones) in zip(bars, counts):
        assert bar.counts == (zeros, ones)
        assert bar.ones_text.original_text == str(ones)
        assert bar.zeros_text.original_text == str(zeros)
        # heights are proportional to the counts
        assert bar[0].height == pytest.approx(scene.bar_height * ones / S.correlation_batch_size)
        assert bar[1].height == pytest.approx(scene.bar_height * zeros / S.correlation_batch_size)
    # the demo batch holds more 1s than half
    assert counts[0, 1] > counts[0, 0]


def test_pool_and_expected_next_come_from_quake_math(scene, epoch):
    S = numbers.story()
    _, y = numbers.dataset()
    counts = qm.class_counts(y, epoch)
    pool = scene.get_pool()
    assert pool.counts == tuple(qm.pool_counts(y, epoch, 1))
    assert pool.counts[0] > pool.counts[1]  # after a batch rich in 1s, more 0s are left
    mark = scene.get_expected_mark(1)
    want = qm.expected_next_ones(int(counts[0, 1]), S.correlation_batch_size, len(y), int(np.sum(y == 1)))
    assert mark.expected == want and mark.text == f"{want:.1f}"
    assert want < S.correlation_batch_size / 2


def test_correlation_numbers_are_quake_math(scene):
    S = numbers.story()
    _, y = numbers.dataset()
    measured, theory = qm.story_correlation(y, S)
    steps, row = scene.get_correlation_tex()
    assert steps.measured == measured and steps.theory == theory
    assert steps.theory_text == f"{theory:.2f}" and steps.measured_text == f"{measured:.2f}"
    assert theory == pytest.approx(-S.correlation_batch_size / (S.n_samples - S.correlation_batch_size))
    scatter = scene.get_scatter()
    a, b = qm.story_fraction_pairs(y, S)
    assert np.array_equal(scatter.dots.values, np.column_stack([a, b]))
    assert float(np.corrcoef(*scatter.dots.values.T)[0, 1]) == measured
    # every pair inside the axes is drawn (16 Bezier points per dot)
    assert len(scatter.dots.points) == 16 * scatter.shown
    lo, hi = scene.scatter_range
    assert scatter.shown == int(np.sum((a >= lo) & (a <= hi) & (b >= lo) & (b <= hi)))
    # the line is the expected next share, with slope -B / (N - B)
    (x0, y0), (x1, y1) = scatter.line.values
    assert (y1 - y0) / (x1 - x0) == pytest.approx(theory)
    assert spoken(-0.2) == "minus 0.20" and spoken(0.25) == "0.25"


@pytest.mark.render
def test_not_quite_random_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch09_not_random.py", "NotQuiteRandom", tmp_path, 40)
    assert "shuffle" in srt and "not quite" in srt
