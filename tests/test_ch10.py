"""Chapter 10 shows quake_math's three quakes (small batch, large batch, all
data), walks quake_math's SGD and momentum paths on the batches' landscapes,
states their steadiness (or says there is none to measure), and renders."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch10_final import FinalWords, measure_sentence, steadiness, turn_words, walks
from scenes.kit import numbers
from scenes.kit.contour_map import nice_step
from scenes.kit.direction import DirectionDial, SpinThrough, direction_arrow
from scenes.kit.motion import WalkOnQuake
from tests.render_util import frames_at, render_chapter, subtitle_start


@pytest.fixture(scope="module")
def scene():
    return FinalWords()


@pytest.fixture(scope="module")
def runs(scene):
    S = numbers.story()
    X, y = numbers.dataset()
    batches = qm.train_batches(S, steps=scene.steps)
    return qm.sgd(X, y, S, batches=batches), qm.momentum_sgd(X, y, S, batches=batches)


def test_recap_plays_small_then_large_then_all_the_data_still(scene):
    S = numbers.story()
    X, y = numbers.dataset()
    sizes, measured, _ = qm.story_magnitude_curve(X, y, S)
    (l1, m1, Z1, b1), (l2, m2, Z2, b2), (l3, m3, Z3, b3) = scene.get_recap()
    small, large = S.batch_sizes
    assert (l1, l2, l3) == (f"batch size {small}", f"batch size {large}", f"all {S.n_samples} samples")
    grids = numbers.sample_grids()
    for Zs, bt, b in ((Z1, b1, small), (Z2, b2, large)):
        assert all(len(idx) == b for idx in bt)
        assert np.allclose(Zs[1], qm.mean_landscape(grids, bt[1]))
    # all the data: one landscape, the full one; it cannot shake
    assert len(Z3) == 1 and np.allclose(Z3[0], qm.mean_landscape(grids)) and len(b3[0]) == S.n_samples
    # the meter reads quake_math's measured magnitudes: strong, weak, none
    assert m1 == measured[list(sizes).index(small)] and m2 == measured[list(sizes).index(large)]
    assert m1 > 2.5 * m2 > 0 and m3 == pytest.approx(0.0, abs=1e-9)


def test_walks_are_quake_math_paths_on_the_same_batches(scene, runs):
    plain, mom, Zs, turns = walks(scene.steps)
    qp, qmom = runs
    assert np.array_equal(plain.weights, qp.weights) and np.array_equal(mom.weights, qmom.weights)
    assert all(np.array_equal(a, b) for a, b in zip(plain.batches, mom.batches))
    S = numbers.story()
    assert np.array_equal(plain.weights[0], S.start) and np.array_equal(mom.weights[0], S.start)
    assert mom.momentum == S.momentum and plain.momentum == 0.0
    grids = numbers.sample_grids()
    for k in (0, 1, scene.steps - 1):
        assert np.allclose(Zs[k], qm.mean_landscape(grids, plain.batches[k]))
    assert turns == (qm.mean_turning_angle(qp.weights), qm.mean_turning_angle(qmom.weights))


def test_momentum_is_visibly_steadier(scene, runs):
    plain, mom = runs
    assert qm.mean_turning_angle(mom.weights) < 0.5 * qm.mean_turning_angle(plain.weights)
    legend = scene.get_legend()
    assert legend[0].turn_text.original_text == f"average turn per step: {legend[0].turn:.0f}°"
    assert legend[0].turn == qm.mean_turning_angle(plain.weights)
    assert legend[1].turn == qm.mean_turning_angle(mom.weights)


def test_a_walk_that_cannot_turn_is_said_so_not_measured():
    still = np.array([[8.0, -8.0]] * 5)  # a start on the clipped plateau: no step has any length
    one = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])  # a single step: nothing to turn from
    with pytest.raises(ValueError):
        qm.mean_turning_angle(still)
    assert steadiness(still) is None and steadiness(one) is None
    assert steadiness(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])) == pytest.approx(90.0)
    assert "no turns" in turn_words(None) and turn_words(12.4) == "average turn per step: 12°"
    text = measure_sentence((None, 3.0))
    assert "nothing to measure" in text and "degrees" not in text and "<bookmark mark='m'/>" in text
    assert "85 degrees" in measure_sentence((85.2, 6.7)) and "<bookmark mark='m'/>" in measure_sentence((85.2, 6.7))
    # the dial of a walk that never moves shows no needle; a pause in a walk keeps the needle still
    assert DirectionDial(still).needle.get_stroke_opacity() == 0
    dial = DirectionDial(one)
    dial.point(0)
    before = dial.needle.get_end().copy()
    dial.point(2)
    assert np.allclose(dial.needle.get_end(), before) and dial.needle.get_stroke_opacity() > 0


def test_map_window_has_round_limits_and_ticks_at_both_ends(scene):
    cmap = scene.get_walk_map()
    for (lo, hi), values in zip(cmap.windows, cmap.tick_values):
        step = nice_step(max(b - a for a, b in cmap.windows))
        assert lo % step == 0 and hi % step == 0, (lo, hi)
        assert values[0] == lo and values[-1] == hi and len(values) >= 3
        assert all(abs(v - round(v)) < 1e-9 for v in values)  # no -9.5
    labels = [t[1].value for t in cmap.ticks]
    assert sorted(labels) == sorted(np.concatenate(cmap.tick_values).tolist())


def test_both_paths_fit_the_window_and_are_drawn_where_quake_math_puts_them(scene, runs):
    cmap = scene.get_walk_map()
    (lo1, hi1), (lo2, hi2) = cmap.windows
    for tr in runs:
        assert np.all(tr.weights[:, 0] >= lo1) and np.all(tr.weights[:, 0] <= hi1)
        assert np.all(tr.weights[:, 1] >= lo2) and np.all(tr.weights[:, 1] <= hi2)
    walkers = scene.get_walkers(cmap)
    plain, mom, Zs, _ = walks(scene.steps)
    anim = WalkOnQuake(cmap, Zs, walkers, 0, scene.steps, run_time=scene.steps)
    for k in (0, 7, scene.steps - 1):
        alpha = (k + 0.75) / scene.steps
        step, move, morph = anim.state_at(alpha)
        assert step == k and move == 1.0 and 0 < morph < 1
        anim.interpolate_mobject(alpha)
        for walker in walkers:
            assert np.allclose(cmap.p2w(walker.dot.get_center()), walker.weights[k + 1])
            assert np.allclose(walker.trace.weights, walker.weights[:k + 2])
        if k + 1 < len(Zs):
            assert np.allclose(cmap.Z, cmap.crop(qm.interpolate(Zs[k], Zs[k + 1], morph)))
    anim.interpolate_mobject(3 / scene.steps)
    assert np.allclose(cmap.Z, cmap.crop(Zs[3]))


def test_arrows_point_down_the_batch_slope_and_along_the_step(scene, runs):
    plain, mom = runs
    cmap = scene.get_walk_map()
    k = 4
    for tr, d in ((plain, -plain.gradients[k]), (mom, -mom.velocities[k])):
        a = direction_arrow(cmap.w2p, tr.weights[k], d, scene.arrow_length)
        start, end = cmap.p2w(a.get_start()), cmap.p2w(a.get_end())
        assert np.allclose(start, tr.weights[k])
        u = (end - start) / np.linalg.norm(end - start)
        assert np.allclose(u, d / np.linalg.norm(d), atol=1e-6)
        assert np.linalg.norm(a.get_end() - a.get_start()) == pytest.approx(scene.arrow_length)
    # momentum's step is where the momentum walker goes next
    step = mom.weights[k + 1] - mom.weights[k]
    assert np.allclose(step / np.linalg.norm(step), -mom.velocities[k] / np.linalg.norm(mom.velocities[k]))
    assert direction_arrow(cmap.w2p, (0, 0), (0, 0), 1.0) is None


def test_dials_turn_with_the_steps(scene, runs):
    legend = scene.get_legend()
    for row, tr in zip(legend, runs):
        dial = row.dial
        spin = SpinThrough(dial, 10, 19, run_time=1)
        for alpha, k in ((0.0, 10), (0.55, 15), (1.0, 19)):
            spin.interpolate_mobject(alpha)
            step = tr.weights[k + 1] - tr.weights[k]
            needle = dial.needle.get_end() - dial.ring.get_center()
            assert np.allclose(needle[:2] / np.linalg.norm(needle[:2]), step / np.linalg.norm(step), atol=1e-6)


def test_update_rules_show_the_story_momentum(scene):
    *_, mu, keys = scene.get_update_rules()
    assert mu.get_tex_string().replace(" ", "").endswith(f"={numbers.story().momentum:g}")
    assert len(keys) == 2


@pytest.mark.render
def test_final_words_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch10_final.py", "FinalWords", tmp_path, 40)
    assert "momentum" in srt.lower() and "Thanks for watching" in srt
    # the map keeps quaking under the walk and under the closing words
    for words in ("The map quakes with every batch", "So the next time"):
        t = subtitle_start(srt, words)
        a, b = frames_at(mp4, [t + 1.0, t + 3.0])
        assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.5, words
