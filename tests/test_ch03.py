"""Chapter 3's maps, arrows and paths are one quake_math SGD trajectory and its
batches, mapped to the screen; the chapter renders with sound and subtitles."""

import numpy as np
import pytest
from manim import DL, UR

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
    """The corners of a drawn polyline, a corner repeated in place counted once."""
    pts = np.vstack([path.get_start_anchors(), path.get_end_anchors()[-1:]])
    return pts[np.r_[True, np.any(np.abs(np.diff(pts, axis=0)) > 1e-12, axis=1)]]


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
    # the valley floor keeps its room from every edge: it never sits in a corner
    floor = numbers.lowest_point(numbers.full_landscape())
    assert lo1 + scene.valley_room <= floor[0] <= hi1 - scene.valley_room
    assert lo2 + scene.valley_room <= floor[1] <= hi2 - scene.valley_room
    # round limits: every edge is a tick
    assert all(lo in t and hi in t for (lo, hi), t in zip(cmap.windows, cmap.tick_values))
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


def _fd_gradient(w, Xb, yb, clip, h=1e-6):
    return np.array([(qm.batch_loss(w + e, Xb, yb, clip) - qm.batch_loss(w - e, Xb, yb, clip)) / (2 * h)
                     for e in (np.array([h, 0.0]), np.array([0.0, h]))])


def test_arrow_is_the_step_down_the_map_on_screen(scene, cmap, story, data):
    X, y = data
    tr = scene.sgd
    for k in range(tr.steps):
        arrow = scene.get_step_arrow(cmap.w2p, k)
        assert np.allclose(arrow.get_start(), cmap.w2p(tr.weights[k]))
        assert np.allclose(arrow.get_end(), cmap.w2p(tr.weights[k + 1]))
        # the gradient of the landscape shown at step k, by finite differences
        b = scene.get_batch(k)
        step = cmap.p2w(arrow.get_end()) - cmap.p2w(arrow.get_start())
        assert np.allclose(step, -story.learning_rate * _fd_gradient(tr.weights[k], X[b], y[b], story.clip), atol=1e-6)


def test_first_step_is_built_up_readably_in_the_inset(scene, cmap, story, data):
    X, y = data
    b = scene.get_batch(0)
    w, g, step = scene.get_first_step()
    assert np.allclose(g, _fd_gradient(w, X[b], y[b], story.clip), atol=1e-6)
    inset = scene.get_inset(cmap, scene.get_landscape(0))
    assert np.allclose(inset.map.Z, inset.map.crop(scene.get_landscape(0)))
    up = scene.get_gradient_arrow(inset.map.w2p)  # uphill: the gradient itself
    assert np.allclose(inset.map.p2w(up.get_end()) - inset.map.p2w(up.get_start()), g, atol=1e-9)
    down = scene.get_step_arrow(inset.map.w2p, 0)  # turned around and scaled: the step
    assert np.allclose(inset.map.p2w(down.get_end()) - inset.map.p2w(down.get_start()), step, atol=1e-9)
    # every arrow end lies inside the magnified window, and the step reads as an arrow, not a speck
    (a, c), (d, e) = inset.map.windows
    for p in (w, w + g, w + step):
        assert a < p[0] < c and d < p[1] < e
    assert down.get_length() > 0.6
    # the inset sits on the map without covering either path or the dot's box
    lo, hi = inset.map.frame.get_corner(DL), inset.map.frame.get_corner(UR)
    assert np.all(lo[:2] > cmap.frame.get_corner(DL)[:2]) and np.all(hi[:2] < cmap.frame.get_corner(UR)[:2])
    for weights in (scene.sgd.weights, scene.gd.weights):
        pts = cmap.w2p(weights)
        inside = np.all((pts[:, :2] > lo[:2] - 0.1) & (pts[:, :2] < hi[:2] + 0.1), axis=1)
        assert not inside.any()


def test_flat_levels_are_the_lines_nearest_the_start_and_far_apart(scene, story, data):
    X, y = data
    m = scene.get_map(scene.get_landscape(0))
    w0 = scene.sgd.weights[0]
    picked = scene.get_flat_levels(m)
    assert len(picked) == 2
    # brute force: every drawn segment end of every level, its distance to the start
    dist = {i: np.min(np.linalg.norm(segs.reshape(-1, 2) - w0, axis=1))
            for i, segs in enumerate(m.lines_in_weights()) if len(segs)}
    assert set(picked) == set(sorted(dist, key=dist.get)[:2])
    # "up here the ground is almost flat": the slope at the start is gentler than over
    # most of the window shown (the median over its grid points)
    b = scene.get_batch(0)
    G = np.linalg.norm(qm.gradient_field(X, y, story, idx=b), axis=-1)
    (lo1, hi1), (lo2, hi2) = m.windows
    w1, w2 = qm.weight_axes(story)
    inside = G[np.ix_((w2 >= lo2) & (w2 <= hi2), (w1 >= lo1) & (w1 <= hi1))]
    assert np.linalg.norm(qm.batch_gradient(w0, X[b], y[b], story.clip)) < np.median(inside)


def test_walkers_draw_the_trajectories(scene, cmap):
    tr = scene.sgd
    walker = scene.get_walker(cmap.w2p, tr, "#ffffff")
    for k in (1, 5, tr.steps):
        walker.place(k)
        assert np.allclose(cmap.p2w(_corners(walker.trace)), tr.weights[: k + 1])
        assert np.allclose(cmap.p2w(walker.dot.get_center()), tr.weights[k])
    gd = scene.get_walker(cmap.w2p, scene.gd, "#ffffff").place(len(scene.gd.weights) - 1)
    assert np.allclose(cmap.p2w(_corners(gd.trace)), scene.gd.weights)
    # one step animation lands the dot on the next weights, the trace following
    walker.place(6)
    scene.step(walker, 6).interpolate_mobject(1.0)
    assert np.allclose(cmap.p2w(walker.dot.get_center()), tr.weights[7])
    assert np.allclose(cmap.p2w(_corners(walker.trace)), tr.weights[:8])


@pytest.mark.render
def test_quake_map_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch03_map.py", "QuakeMap", tmp_path, 60)
    assert "instant" in srt or "at once" in srt
    assert "full-batch gradient descent" in srt
    # the surface turns down into the map: the picture changes while the camera moves
    t = subtitle_start(srt, "Here is the same landscape")
    a, b = frames_at(mp4, [t + 1.0, subtitle_start(srt, "That is a map") + 1.5])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 2.0
    # the map quakes while the batches change
    t = subtitle_start(srt, "Now switch to mini-batches")
    a, b = frames_at(mp4, [t + 2.0, t + 3.5])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.5
