"""Chapter 2 draws quake_math's full landscape and gradient-descent path, reveals
chapter 1's quake, and renders with sound and subtitles."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch01_mystery import Mystery
from scenes.ch02_landscape import LossLandscape
from tests.render_util import frames_at, render_chapter, subtitle_start


@pytest.fixture(scope="module")
def scene():
    return LossLandscape()


@pytest.fixture(scope="module")
def axes(scene):
    return scene.get_axes()


def test_framing_is_chapter_one_s(scene):
    assert (scene.phi, scene.theta, scene.zoom) == (Mystery.phi, Mystery.theta, Mystery.zoom)


def test_surface_is_the_full_batch_landscape(scene, axes, story, data):
    X, y = data
    surface = scene.get_surface(axes)
    Z = qm.full_landscape(X, y, story)  # straight from the loss, not from the cached sample grids
    assert np.allclose(surface.vertex_heights(), Z[:: surface.stride, :: surface.stride])


def test_path_is_gradient_descent_on_the_surface(scene, axes, story, data):
    X, y = data
    gd = scene.get_descent()
    ref = qm.gradient_descent(X, y, story)
    assert np.array_equal(gd.weights, ref.weights)
    assert np.allclose(gd.weights[0], story.start) and gd.steps == story.train_steps
    coords = axes.point_to_coords(scene.get_path_points(axes, gd))
    assert np.allclose(coords[:, :2], ref.weights)
    # each point sits at the full-batch loss of its weights, lifted a little
    assert np.allclose(coords[:, 2], qm.batch_loss(ref.weights, X, y, story.clip) + scene.path_lift)
    # the walk goes downhill all the way (full-batch descent with this step)
    assert np.all(np.diff(coords[:, 2]) < 0)


def test_reveal_plays_chapter_one_s_batch_landscapes(scene, story, data):
    X, y = data
    Zs = scene.get_reveal_landscapes()
    assert np.allclose(Zs[0], qm.full_landscape(X, y, story))
    batches = qm.quake_batches(story)
    assert len(Zs) == 1 + min(scene.reveal_batches, len(batches))
    for Z, b in zip(Zs[1:], batches):
        assert np.allclose(Z, qm.batch_landscape(X, y, b, story))


@pytest.mark.render
def test_landscape_renders_still_then_shakes(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch02_landscape.py", "LossLandscape", tmp_path, 30)
    assert "mini-batch" in srt
    # the full-batch landscape holds still: two frames of the first beat agree
    a, b = frames_at(mp4, [2.5, 5.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() < 0.05
    # ... and in the reveal it shakes
    t = subtitle_start(srt, "There it is")
    c, d = frames_at(mp4, [t + 0.5, t + 1.5])
    assert np.abs(c.astype(int) - d.astype(int)).mean() > 1.0
