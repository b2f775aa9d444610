"""Chapter 3's maps, arrows and paths are one quake_math SGD trajectory and its
batches, mapped to the screen; the chapter renders with sound and subtitles."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch03_map import QuakeMap
from scenes.kit import numbers
from tests.render_util import frames_at, render_chapter, subtitle_start


@pytest.fixture(scope="module")
def scene():
    return QuakeMap()


@pytest.fixture(scope="module")
def cmap(scene):
    return scene.get_map()


def _crop(m, Z):
    return np.asarray(Z)[np.ix_(*m.keep)]


def _corners(path):
    return np.vstack([path.get_start_anchors(), path.get_end_anchors()[-1:]])


def test_trajectories_are_quake_math_s(scene, story, data):
    X, y = data
    ref = qm.sgd(X, y, story)
    assert np.array_equal(scene.sgd.weights, ref.weights)
    assert all(np.array_equal(a, b) for a, b in zip(scene.sgd.batches, qm.train_batches(story)))
    assert scene.sgd.steps == story.train_steps
    assert all(len(b) == story.train_batch_size for b in scene.sgd.batches)
    assert np.array_equal(scene.gd.weights, qm.gradient_descent(X, y, story).weights)


def test_window_holds_both_paths_and_is_derived(scene, cmap, story):
    (lo1, hi1), (lo2, hi2) = cmap.windows
    for w in (scene.sgd.weights, scene.gd.weights):
        assert np.all(w[:, 0] > lo1) and np.all(w[:, 0] < hi1)
        assert np.all(w[:, 1] > lo2) and np.all(w[:, 1] < hi2)
    # a zoom: far smaller than the story's whole grid
    assert (hi1 - lo1) * (hi2 - lo2) < 0.25 * (story.grid_max - story.grid_min) ** 2
    # it follows the trajectory: another start moves the window
    other = QuakeMap()
    X, y = numbers.dataset()
    other.__dict__["sgd"] = qm.sgd(X, y, story, start=(-6.0, 6.0))
    other.__dict__["gd"] = qm.gradient_descent(X, y, story, start=(-6.0, 6.0))
    assert other.get_window() != scene.get_window()


def test_map_at_step_k_is_batch_k_landscape(scene, cmap, story, data):
    X, y = data
    for k in range(scene.sgd.steps):
        Z = qm.batch_landscape(X, y, scene.sgd.batches[k], story)
        assert np.allclose(scene.get_landscape(k), Z)
    # the batch change ends on the next batch's map, through interpolated grids
    k = 4
    anim = scene.batch_change(cmap, k, run_time=1.0)
    anim.interpolate_mobject(0.5)
    mid = qm.interpolate(scene.get_landscape(k), scene.get_landscape(k + 1), 0.5)
    assert np.allclose(cmap.Z, _crop(cmap, mid))
    anim.interpolate_mobject(1.0)
    assert np.allclose(cmap.Z, _crop(cmap, qm.batch_landscape(X, y, scene.sgd.batches[k + 1], story)))
    # the contour lines drawn are quake_math's lines of that grid
    drawn = cmap.lines_in_weights()
    for segs, (_, lines) in zip(drawn, qm.contour_lines(cmap.Z, story, axes=cmap.grid_axes)):
        ref = np.concatenate([np.stack([ln[:-1], ln[1:]], axis=1) for ln in lines]) if lines else np.zeros((0, 2, 2))
        assert np.allclose(segs, ref)


def test_arrow_is_the_step_down_the_map_on_screen(scene, cmap, story, data):
    X, y = data
    tr = scene.sgd
    h = 1e-6
    for k in range(tr.steps):
        arrow = scene.get_step_arrow(cmap, k)
        assert np.allclose(arrow.get_start(), cmap.w2p(tr.weights[k]))
        assert np.allclose(arrow.get_end(), cmap.w2p(tr.weights[k + 1]))
        # the gradient of the landscape shown at step k, by finite differences
        b = scene.get_batch(k)
        w = tr.weights[k]
        fd = np.array([
            (qm.batch_loss(w + e, X[b], y[b], story.clip) - qm.batch_loss(w - e, X[b], y[b], story.clip)) / (2 * h)
            for e in (np.array([h, 0.0]), np.array([0.0, h]))
        ])
        step = cmap.p2w(arrow.get_end()) - cmap.p2w(arrow.get_start())
        assert np.allclose(step, -story.learning_rate * fd, atol=1e-6)


def test_paths_drawn_are_the_trajectories(scene, cmap):
    tr = scene.sgd
    for k in (1, 5, tr.steps):
        path = scene.get_sgd_path(cmap, k)
        assert np.allclose(cmap.p2w(_corners(path)), tr.weights[: k + 1])
    assert np.allclose(cmap.p2w(_corners(scene.get_gd_path(cmap))), scene.gd.weights)


def test_walk_step_lands_the_dot_on_the_next_weights(scene, cmap):
    tr = scene.sgd
    k = 6
    dot = scene.get_dot(cmap, tr.weights[k])
    path = scene.get_sgd_path(cmap, k)
    anim = scene.walk_step(cmap, k, dot, path)
    anim.interpolate_mobject(1.0)
    assert np.allclose(dot.get_center(), cmap.w2p(tr.weights[k + 1]))
    assert np.allclose(cmap.p2w(_corners(path)), tr.weights[: k + 2])


@pytest.mark.render
def test_quake_map_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch03_map.py", "QuakeMap", tmp_path, 60)
    assert "instant" in srt or "at once" in srt
    assert "full-batch gradient descent" in srt
    # the map quakes while the batches change
    t = subtitle_start(srt, "Now switch to mini-batches")
    a, b = frames_at(mp4, [t + 2.0, t + 3.5])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.5
