"""Marks attached to the loss surface are drawn in its depth order: a dot on a
face that a hill hides is hidden, a dot in plain sight is seen. Checked on
real frames drawn by the project's camera, not on the code's own bookkeeping."""

import numpy as np
import pytest
from manim import DEGREES, Dot, config

import quake_math as qm
from scenes.kit import numbers
from scenes.kit.quake_camera import QuakeCamera
from scenes.kit.surface import LossAxes3D, LossSurface, SurfaceTrail

RED = np.array([255, 0, 0])


def ridge_landscape(story):
    """A high wall along W2 = 0 and flat ground on both sides."""
    w1, w2 = qm.weight_axes(story)
    W1, W2 = np.meshgrid(w1, w2)
    return 14.0 * np.exp(-(W2 / 2.0) ** 2) + 0.0 * W1


def draw(story, Z, dot_weights, theta):
    """One frame: the surface and a red dot lying on it at dot_weights.
    Returns (pixels, the dot's pixel position)."""
    w1, w2 = qm.weight_axes(story)
    camera = QuakeCamera(pixel_width=320, pixel_height=180, frame_width=config.frame_width,
                         frame_height=config.frame_height)
    camera.set_phi(75 * DEGREES)
    camera.set_theta(theta)
    axes = LossAxes3D(story)
    surface = LossSurface(axes, w1, w2, Z, story.levels, vertices=41, mesh_opacity=0)
    h = float(surface.height_at(np.asarray(dot_weights)))
    dot = Dot(axes.c2p(*dot_weights, h + 0.05), radius=0.12, color="#ff0000")
    surface.attach(dot)
    camera.fixed_orientation_mobjects[dot] = dot.get_center
    camera.capture_mobjects([surface, dot])
    px = camera.pixel_array[..., :3].astype(int)
    p = camera.project_point(dot.get_center())
    col = int(round((p[0] / config.frame_width + 0.5) * 320))
    row = int(round((0.5 - p[1] / config.frame_height) * 180))
    return px, (row, col)


def is_red(px, at):
    r, c = at
    patch = px[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2].reshape(-1, 3)
    return bool(np.any(np.all(np.abs(patch - RED) < 40, axis=1)))


@pytest.fixture(scope="module")
def story():
    return qm.Story(grid_points=81)


def test_a_dot_behind_a_ridge_is_hidden_and_in_front_is_seen(story):
    Z = ridge_landscape(story)
    # the camera looks from the low-W2 side (theta = -90 degrees): a dot at
    # W2 = +8 is behind the wall, a dot at W2 = -8 in front of it
    px, at = draw(story, Z, (0.0, 8.0), -90 * DEGREES)
    assert not is_red(px, at)
    px, at = draw(story, Z, (0.0, -8.0), -90 * DEGREES)
    assert is_red(px, at)
    # turn the camera round: now the far dot is the near one
    px, at = draw(story, Z, (0.0, 8.0), 90 * DEGREES)
    assert is_red(px, at)


def test_attached_marks_are_not_drawn_twice_and_follow_the_scene(story):
    w1, w2 = qm.weight_axes(story)
    camera = QuakeCamera()
    axes = LossAxes3D(story)
    surface = LossSurface(axes, w1, w2, ridge_landscape(story), story.levels)
    dot, loose = Dot(), Dot()
    surface.attach(dot)
    shown = camera.get_mobjects_to_display([surface, dot, loose])
    assert surface in shown and loose in shown and dot not in shown
    # drawn with the surface only while in the scene
    assert [m for _, m in camera._attached_items(surface)] == [dot]
    camera.get_mobjects_to_display([surface, loose])
    assert camera._attached_items(surface) == []


def test_trail_lies_on_the_drawn_surface_and_is_cut_per_face(story):
    w1, w2 = qm.weight_axes(story)
    X, y = numbers.dataset()
    Z = qm.full_landscape(X, y, story)
    axes = LossAxes3D(story)
    surface = LossSurface(axes, w1, w2, Z, story.levels)
    walk = np.array([[-12.0, -15.0], [6.0, 9.0]])
    trail = SurfaceTrail(surface, walk, lift=0.0)
    pts = trail.get_anchors()
    coords = axes.point_to_coords(pts)
    # on the segment between the two weights, at the faces' own height
    d = coords[:, :2] - walk[0]
    along = d @ (walk[1] - walk[0]) / np.sum((walk[1] - walk[0]) ** 2)
    assert np.allclose(d, np.outer(along, walk[1] - walk[0]), atol=1e-9)
    assert np.allclose(coords[:, 2], surface.height_at(coords[:, :2]), atol=1e-9)
    # at vertices the drawn height is the landscape's own value
    j, i = 8, 12
    assert surface.height_at(np.array([surface.w1[j], surface.w2[i]])) == pytest.approx(surface.heights[i, j])
    # every piece is shorter than a face, so each is drawn after its own face
    seg = np.linalg.norm(np.diff(coords[:, :2], axis=0), axis=1)
    assert seg.max() <= np.diff(surface.w1).min() / 2
