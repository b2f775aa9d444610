"""Chapter 1 shows quake_math's quake from a view that keeps the walk in
sight, draws its marks in the surface's depth order, reads the pin on a face
of its own colour, gives the eye time at every batch change, and renders with
sound and subtitles.

Pictures are checked on frames drawn by the project's camera (``QuakeCamera``
at the chapter's view), numbers against quake_math computed afresh."""

import numpy as np
import pytest
from manim import Dot, config

import quake_math as qm
from scenes.ch01_mystery import Mystery, hold_then_morph
from scenes.kit import numbers, palette
from scenes.kit.motion import Quake
from scenes.kit.quake_camera import QuakeCamera
from scenes.kit.surface import SurfacePin, SurfaceTrail
from scenes.kit.view import VALLEY
from tests.render_util import frames_at, render_chapter

RED = "#ff0000"
W, H = 640, 360


@pytest.fixture(scope="module")
def scene():
    return Mystery()


def camera(view):
    c = QuakeCamera(pixel_width=W, pixel_height=H, frame_width=config.frame_width, frame_height=config.frame_height)
    c.set_phi(view.phi)
    c.set_theta(view.theta)
    c.set_zoom(view.zoom)
    return c


def red_pixels(px) -> int:
    return int(np.sum((px[..., 0] > 200) & (px[..., 1] < 70) & (px[..., 2] < 70)))


def seen_share(scene, view, Z, mark_of) -> float:
    """The share of a red mark's pixels that the surface of Z leaves in sight:
    drawn with the surface (in its depth order) against drawn alone."""
    stage = scene.get_stage(Z)
    mark = mark_of(stage.surface)
    cam = camera(view)
    cam.fixed_orientation_mobjects.update({m: m.get_center for m in mark.get_family() if isinstance(m, Dot)})
    cam.capture_mobjects([stage.surface, mark])
    seen = red_pixels(cam.pixel_array)
    stage.surface.detach(*mark.get_family())
    cam = camera(view)
    cam.fixed_orientation_mobjects.update({m: m.get_center for m in mark.get_family() if isinstance(m, Dot)})
    cam.capture_mobjects([mark])
    alone = red_pixels(cam.pixel_array)
    assert alone > 30, "the mark is not on screen at all"
    return seen / alone


def test_the_chapter_looks_along_the_valley(scene):
    assert scene.view is VALLEY


def test_walk_is_descent_on_the_frozen_frame(scene, story, data):
    X, y = data
    _, Zs = numbers.quake()
    batch = qm.quake_batches(story)[scene.freeze_batch]
    walk = scene.get_walk()
    ref = qm.sgd(X, y, story, batches=[batch] * scene.walk_steps)
    assert np.array_equal(walk.weights, ref.weights) and np.allclose(walk.weights[0], story.start)
    loss = qm.batch_loss(ref.weights, X[batch], y[batch], story.clip)
    assert np.allclose(scene.frozen_loss(walk.weights), loss)
    # it goes down: the frozen frame's loss falls to a small part of where it started
    assert loss[-1] < 0.2 * loss[0]
    # the frozen frame is that batch's landscape
    assert np.allclose(Zs[scene.freeze_batch], qm.batch_landscape(X, y, batch, story))


def test_the_walk_stays_in_sight_and_is_hidden_by_hills_in_front(scene):
    """The blocker of 2026-11-27: from the old camera the raised front hid
    the valley, and the walk was painted over the hill anyway."""
    Zs = scene.get_landscapes()
    weights = scene.get_walk().weights
    trail = lambda s: SurfaceTrail(s, weights, color=RED, stroke_width=6)  # noqa: E731
    share = seen_share(scene, scene.view, Zs[scene.freeze_batch], trail)
    assert share > 0.6
    # depth is real: from low and in front of the hill that hides the valley,
    # most of the same walk disappears behind it
    from scenes.kit.view import View
    low = View(scene.view.phi + 0.35, scene.view.theta, scene.view.zoom)
    assert seen_share(scene, low, Zs[scene.freeze_batch], trail) < share - 0.2


def test_pin_reads_the_landscape_on_a_face_of_its_own_colour(scene, story, data):
    X, y = data
    w1, w2 = numbers.axes()
    Zs = scene.get_landscapes()
    stage = scene.get_stage()
    i, j = scene.get_pin_index(stage.surface)
    assert abs(w1[j] - scene.pin_weights[0]) <= stage.surface.stride * (w1[1] - w1[0])
    for b, Z in zip(qm.quake_batches(story), Zs):
        stage = scene.get_stage(Z)
        pin = SurfacePin(stage.axes, w1, w2, (i, j), Z, surface=stage.surface)
        # the reading is the batch's loss at the pin's weights, from the loss itself
        assert pin.value == pytest.approx(float(qm.batch_loss(np.array(pin.w), X[b], y[b], story.clip)), abs=1e-9)
        # the drawn face under the pin has the reading's colour (shaded by the light)
        cam = camera(scene.view)
        cam.capture_mobjects([stage.surface])
        p = cam.project_point(pin.ball.get_center())
        col = int(round((p[0] / config.frame_width + 0.5) * W))
        row = int(round((0.5 - p[1] / config.frame_height) * H))
        pixel = np.median(cam.pixel_array[row - 1:row + 2, col - 1:col + 2, :3].reshape(-1, 3), axis=0) / 255
        want = palette.loss_rgb(np.array([pin.value]), story.levels)[0]
        cos = pixel @ want / (np.linalg.norm(pixel) * np.linalg.norm(want))
        assert cos > 0.995, (pin.value, pixel, want)
        # and the pin is in sight in every frame of the quake
        red_pin = lambda s: SurfacePin(stage.axes, w1, w2, (i, j), Z, color=RED, surface=s)  # noqa: E731
        assert seen_share(scene, scene.view, Z, red_pin) > 0.5


def test_every_batch_change_holds_then_morphs_without_a_jump(scene):
    """Where the viewer watches, each batch stays still long enough to see,
    then morphs over many frames: no landscape flips in one frame."""
    Zs = scene.get_landscapes()
    stage = scene.get_stage()
    for change in (scene.watch_change, scene.read_change):
        fps = 60
        q = Quake(stage.surface, Zs[:3], change_rate=hold_then_morph(scene.hold), run_time=2 * change)
        frames = []
        for f in range(int(round(2 * change * fps)) + 1):
            q.interpolate_mobject(f / (2 * change * fps))
            frames.append(stage.surface.heights.copy())
        steps = np.array([np.abs(b - a).max() for a, b in zip(frames, frames[1:])])
        whole = max(np.abs(stage.surface.sample(b) - stage.surface.sample(a)).max() for a, b in zip(Zs[:2], Zs[1:3]))
        still = np.flatnonzero(steps < 1e-12)
        assert len(still) / fps >= 0.5, f"the batches hold still for only {len(still) / fps:.2f} s"
        # the first hold lasts a third of a second or more
        run = next(k for k, s in enumerate(steps) if s > 1e-12)
        assert run / fps >= 0.3
        assert steps.max() < 0.2 * whole  # the morph spreads over many frames


@pytest.mark.render
def test_mystery_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch01_mystery.py", "Mystery", tmp_path, 30)
    assert "make a guess" in srt
    # the surface shakes: frames during the first quake differ
    a, b = frames_at(mp4, [2.0, 3.5])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 0.5
