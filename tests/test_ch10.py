"""Chapter 10 walks quake_math's SGD and momentum paths on the batches'
landscapes, states their steadiness, and renders."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch10_final import FinalWords, walks
from scenes.kit.motion import WalkOnQuake
from scenes.kit import numbers
from tests.render_util import frames_at, render_chapter


@pytest.fixture(scope="module")
def scene():
    return FinalWords()


@pytest.fixture(scope="module")
def runs(scene):
    S = numbers.story()
    X, y = numbers.dataset()
    batches = qm.train_batches(S, steps=scene.steps)
    return qm.sgd(X, y, S, batches=batches), qm.momentum_sgd(X, y, S, batches=batches)


def test_walks_are_quake_math_paths_on_the_same_batches(scene, runs):
    plain, mom, Zs, turns = walks(scene.steps)
    qp, qmom = runs
    assert np.array_equal(plain.weights, qp.weights) and np.array_equal(mom.weights, qmom.weights)
    assert all(np.array_equal(a, b) for a, b in zip(plain.batches, mom.batches))
    S = numbers.story()
    assert np.array_equal(plain.weights[0], S.start) and np.array_equal(mom.weights[0], S.start)
    assert mom.momentum == S.momentum and plain.momentum == 0.0
    # map landscape k is batch k's landscape
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


def test_both_paths_fit_the_window_and_are_drawn_where_quake_math_puts_them(scene, runs):
    cmap = scene.get_walk_map()
    (lo1, hi1), (lo2, hi2) = cmap.windows
    for tr in runs:
        assert np.all(tr.weights[:, 0] >= lo1) and np.all(tr.weights[:, 0] <= hi1)
        assert np.all(tr.weights[:, 1] >= lo2) and np.all(tr.weights[:, 1] <= hi2)
    walkers = scene.get_walkers(cmap)
    plain, mom, Zs, _ = walks(scene.steps)
    anim = WalkOnQuake(cmap, Zs, walkers, 0, scene.steps, run_time=scene.steps)
    # halfway through step k (moving done, map morphing), every dot sits on weights[k + 1]
    for k in (0, 7, scene.steps - 1):
        alpha = (k + 0.75) / scene.steps
        step, move, morph = anim.state_at(alpha)
        assert step == k and move == 1.0 and 0 < morph < 1
        anim.interpolate_mobject(alpha)
        for walker in walkers:
            W = walker.weights
            assert np.allclose(cmap.p2w(walker.dot.get_center()), W[k + 1])
            assert np.allclose(walker.trace.weights, W[:k + 2])
        if k + 1 < len(Zs):
            assert np.allclose(cmap.Z, cmap.crop(qm.interpolate(Zs[k], Zs[k + 1], morph)))
    # at the start of step k the map shows batch k's own landscape
    anim.interpolate_mobject(3 / scene.steps)
    assert np.allclose(cmap.Z, cmap.crop(Zs[3]))


def test_update_rules_show_the_story_momentum(scene):
    *_, mu = scene.get_update_rules()
    assert mu.get_tex_string().replace(" ", "").endswith(f"={numbers.story().momentum:g}")


@pytest.mark.render
def test_final_words_renders(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch10_final.py", "FinalWords", tmp_path, 40)
    assert "momentum" in srt.lower() and "Thanks for watching" in srt
    # the walk moves: frames a few seconds apart during the walk differ
    a, b = frames_at(mp4, [50.0, 54.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.5
