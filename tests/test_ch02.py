"""Chapter 2 builds quake_math's full landscape by averaging samples, walks
gradient descent on it twice along one path, reveals chapter 1's quake from
chapter 1's view with each batch's samples lit, and renders with sound and
subtitles. Numbers are checked against quake_math computed afresh (the loss
itself, not the cached grids the scene uses)."""

import json

import numpy as np
import pytest

import quake_math as qm
from scenes.ch01_mystery import Mystery
from scenes.ch02_landscape import LossLandscape
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.view import LossStage
from tests.render_util import changed_share, frames_at, render_chapter


@pytest.fixture(scope="module")
def scene():
    return LossLandscape()


def test_the_reveal_returns_to_chapter_one_s_view(scene):
    assert scene.view is Mystery.view
    assert np.array_equal(scene.stage_shift, Mystery.stage_shift)  # the same picture, not only the same camera
    # the close view of the walk looks from the same direction, nearer
    assert (scene.walk_view.phi, scene.walk_view.theta) == (scene.view.phi, scene.view.theta)
    assert scene.walk_view.zoom > scene.view.zoom


def test_the_average_grows_sample_by_sample_into_the_full_landscape(scene, story, data):
    X, y = data
    order = scene.get_average_order()
    assert sorted(order.tolist()) == list(range(story.n_samples))  # every sample joins, once
    assert not np.array_equal(order, np.arange(story.n_samples))  # in a shuffled order
    counts = scene.get_average_counts()
    assert counts[0] == 1 and counts[-1] == story.n_samples and list(counts) == sorted(set(counts))
    averages = scene.get_average_landscapes()
    for c, Z in zip(counts, averages):
        assert np.allclose(Z, qm.batch_landscape(X, y, order[:c], story))
    assert np.allclose(averages[-1], qm.full_landscape(X, y, story))
    # it settles: adding samples moves the surface less and less
    moves = [np.sqrt(np.mean((b - a) ** 2)) for a, b in zip(averages, averages[1:])]
    assert moves[-1] < 0.25 * moves[0]


def test_contours_outline_the_valley_and_the_high_ground(scene, story, data):
    X, y = data
    for level in (scene.valley_level, scene.high_level):
        line = scene.get_contour(level)
        assert len(line) > 20
        # on the line the loss on all the data is the level (up to the grid's interpolation)
        assert np.allclose(qm.batch_loss(line, X, y, story.clip), level, rtol=0.05, atol=0.05)
    # gradient descent ends inside the valley's line
    end = scene.get_descent().weights[-1]
    line = scene.get_contour(scene.valley_level)
    angles = np.unwrap(np.arctan2(*(line - end).T[::-1]))
    assert abs(angles[-1] - angles[0]) == pytest.approx(2 * np.pi, abs=0.1)  # winds once round the end


def test_gradient_descent_walks_downhill_and_twice_the_same(scene, story, data):
    X, y = data
    first, second = scene.get_runs()
    ref = qm.gradient_descent(X, y, story)
    assert np.array_equal(first.weights, ref.weights) and np.array_equal(second.weights, ref.weights)
    assert first is not second  # two runs, each computed on its own
    losses = scene.get_path_losses(first)
    assert np.allclose(losses, qm.batch_loss(ref.weights, X, y, story.clip))
    assert np.all(np.diff(losses) < 0)
    # the steps shrink near the bottom
    steps = np.linalg.norm(np.diff(ref.weights, axis=0), axis=1)
    assert steps[-5:].max() < 0.3 * steps.max()
    # "the steepest way down": the arrow points against the gradient at the start
    w0 = ref.weights[0]
    down = scene.get_downhill(first) - w0
    g = qm.batch_gradient(w0, X, y, story.clip)
    assert np.linalg.norm(down) == pytest.approx(scene.arrow_length)
    assert down @ -g / (np.linalg.norm(down) * np.linalg.norm(g)) > 0.9999


def test_no_hill_hides_the_walk_from_the_close_view(scene):
    """The walk's marks are drawn over the surface (so it can stay still
    while they move): that is only right if, drawn in the surface's depth
    order, the whole walk is in sight anyway."""
    from manim import config

    from scenes.kit.quake_camera import QuakeCamera
    from scenes.kit.surface import SurfaceTrail
    first, _ = scene.get_runs()
    counts = []
    for depth in (True, False):
        stage = LossStage(shift=scene.stage_shift, mesh_opacity=0)  # no mesh lines crossing the trail
        trail = SurfaceTrail(stage.surface, first.weights, color="#ff0000", stroke_width=6)
        if not depth:
            stage.surface.detach(trail)
        cam = QuakeCamera(pixel_width=640, pixel_height=360, frame_width=config.frame_width,
                          frame_height=config.frame_height)
        cam.set_phi(scene.walk_view.phi)
        cam.set_theta(scene.walk_view.theta)
        cam.set_zoom(scene.walk_view.zoom)
        cam.frame_center = scene.get_close_center(stage, first)
        cam.capture_mobjects([stage.surface, trail])
        px = cam.pixel_array
        counts.append(int(np.sum((px[..., 0] > 200) & (px[..., 1] < 70) & (px[..., 2] < 70))))
        # and the walk is on screen, clear of the frame's edges
        p = cam.project_points(trail.points)
        assert np.all(np.abs(p[:, 0]) < config.frame_width / 2 - 0.5)
        assert np.all(np.abs(p[:, 1]) < config.frame_height / 2 - 0.5)
    # (drawn in depth order a stroke loses a few pixels where it spills onto a face painted after it; a
    # hill in front hides whole stretches: chapter 1's walk behind its fold keeps 82 % of its pixels)
    assert counts[1] > 500 and counts[0] > 0.92 * counts[1]


def test_the_trails_lie_on_the_drawn_surface(scene, story):
    from scenes.kit.surface import SurfaceTrail
    stage = LossStage()
    first, _ = scene.get_runs()
    trail = SurfaceTrail(stage.surface, first.weights, lift=0.0)
    coords = stage.axes.point_to_coords(trail.get_anchors())
    assert np.allclose(coords[:, 2], stage.surface.height_at(coords[:, :2]), atol=1e-9)


def test_reveal_lights_each_batch_s_samples_and_plays_its_landscape(scene, story, data):
    X, y = data
    batches, Zs = scene.get_reveal()
    assert np.allclose(Zs, Mystery().get_landscapes()[: len(Zs)])
    cloud = SampleCloud(X, y)
    for b, Z in list(zip(batches, Zs))[:4]:
        assert len(b) == story.quake_batch_size
        assert np.allclose(Z, qm.batch_landscape(X, y, b, story))
        cloud.light(b)
        lit = cloud.lit_centers()
        want = cloud.x2p(X[b])
        assert len(lit) == len(b)
        # the lit dots are exactly the batch's samples (read back from the drawn points)
        d = np.linalg.norm(lit[:, None, :] - want[None, :, :], axis=2)
        assert np.allclose(d.min(axis=1), 0, atol=1e-9) and np.allclose(d.min(axis=0), 0, atol=1e-9)


@pytest.mark.render
def test_landscape_renders_still_then_shakes(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch02_landscape.py", "LossLandscape", tmp_path, 40)
    assert "mini-batch" in srt
    beats = json.loads(mp4.with_name("LossLandscape.beats.json").read_text())["beats"]
    block = lambda words: next(b for b in beats if words in b["text"])  # noqa: E731
    # nothing moves on the full landscape: two frames at the end of that block agree
    b = block("Nothing here moves")
    a, c = frames_at(mp4, [b["start"] + 0.1, b["start"] + b["duration"] - 0.1])
    assert changed_share(a, c) < 0.001
    # the average grows: the surface changes while samples join
    b = block("Now average them")
    a, c = frames_at(mp4, [b["start"] + 2.0, b["start"] + 4.0])
    assert np.abs(a.astype(int) - c.astype(int)).mean() > 0.5
    # and in the reveal it shakes
    b = block("There it is")
    a, c = frames_at(mp4, [b["start"] + 0.5, b["start"] + 1.5])
    assert np.abs(a.astype(int) - c.astype(int)).mean() > 0.5
