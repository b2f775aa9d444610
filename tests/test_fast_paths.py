"""The cameras that draw straight paths as lines (scenes.kit.fast_paths) draw
the same picture as manim's own camera: the same subpaths, gaps and closed
corners; checked on real frames, against manim's Camera and ThreeDCamera."""

import inspect

import cairo
import numpy as np
import pytest
from manim import DEGREES, Camera, Circle, Square, ThreeDCamera, VMobject, config

from scenes.kit import numbers
from scenes.kit.base import Narrated3DScene, NarratedScene
from scenes.kit.contour_map import ContourMap, polylines_to_points
from scenes.kit.fast_paths import MIN_CURVES, MIN_PIECES, FastPathCamera, StraightPaths, pieces, straight_segments
from scenes.kit.quake_camera import QuakeCamera
from scenes.kit.sample_cloud import SampleCloud

W, H = 480, 270


class ExactFastCamera(FastPathCamera):
    """The fast path with manim's own antialiasing: only the path differs."""
    straight_antialias = cloud_antialias = cairo.ANTIALIAS_DEFAULT


class ExactQuakeCamera(QuakeCamera):
    straight_antialias = cloud_antialias = cairo.ANTIALIAS_DEFAULT


def frame(camera_class, *mobjects, **kwargs):
    cam = camera_class(pixel_width=W, pixel_height=H, frame_width=config.frame_width,
                       frame_height=config.frame_height, **kwargs)
    cam.capture_mobjects(list(mobjects))
    return cam.pixel_array[..., :3].astype(int)


def polyline(*chains, width=12.0):
    """One VMobject of straight segments: each chain (m, 2) in screen units is a subpath."""
    m = VMobject(stroke_color="#ffffff", stroke_width=width, fill_opacity=0)
    m.points = polylines_to_points([np.asarray(c, dtype=float) for c in chains], lambda p: np.c_[p, 0 * p[:, 0]])
    return m


def pixel(at):
    x, y = at
    return int(round((0.5 - y / config.frame_height) * H)), int(round((x / config.frame_width + 0.5) * W))


@pytest.fixture(scope="module")
def contour_map():
    S = numbers.story()
    _, Zs = numbers.quake(batch_size=10)
    return ContourMap(S, Zs[0], side=6.0, window=((-5, 10), (-10, 5)))


def test_straight_segments_are_told_from_curves():
    zig = np.array([[0, 0], [1, 0], [1, 1], [3, -2]], dtype=float)
    assert straight_segments(polyline(zig).points)
    assert not straight_segments(Circle().points)
    bent = polyline(zig).points.copy()
    bent[5] += [0, 0.01, 0]  # one handle off its line
    assert not straight_segments(bent)
    assert not straight_segments(np.zeros((0, 3)))
    assert not straight_segments(np.zeros((6, 3)))  # not whole curves


def test_a_contour_map_is_drawn_as_manim_draws_it(contour_map):
    ours = frame(ExactFastCamera, contour_map)
    manims = frame(Camera, contour_map)
    assert ours.std() > 10  # a real picture, not an empty frame
    diff = np.abs(ours - manims).max(axis=2)
    assert (diff > 24).mean() < 1e-3, "the lines or bands moved"
    assert np.abs(ours - manims).mean() < 0.05


def test_fast_antialiasing_looks_the_same(contour_map):
    ours = frame(FastPathCamera, contour_map)
    manims = frame(Camera, contour_map)
    assert np.abs(ours - manims).mean() < 0.5
    assert (np.abs(ours - manims).max(axis=2) > 96).mean() < 1e-3


def test_separate_chains_stay_apart_and_closed_rings_close():
    a = [[-4, 1], [-2, 1], [-2, 2.5]]  # an open chain
    b = [[1, 1], [3, 1]]  # another, starting away from a's end: no line between them
    ring = [[-3, -2], [-1, -2], [-1, -0.5], [-3, -0.5], [-3, -2]]  # closed: one corner join, no gap
    # one more chain so the path is long enough for the fast camera
    many = np.c_[np.linspace(-6, 6, 90), np.full(90, -3.2)]
    path = polyline(a, b, ring, many, width=30.0)  # lines 0.3 wide
    assert len(path.points) >= 4 * MIN_CURVES and straight_segments(path.points)
    ours, manims = frame(ExactFastCamera, path), frame(Camera, path)
    assert (np.abs(ours - manims).max(axis=2) > 24).mean() < 1e-3
    gap = pixel((-0.5, 1.75))  # between the end of a and the start of b
    assert ours[gap].max() < 40
    # the ring's first corner, just outside both of its lines: filled only by
    # the join of a closed ring (an open one ends there in two square-cut ends)
    corner = pixel((-3.09, -2.09))
    assert ours[corner].min() > 200 and manims[corner].min() > 200
    opened = polyline(a, b, ring[:-1] + [[-3, -1.0]], many, width=30.0)
    assert frame(ExactFastCamera, opened)[corner].max() < 40


def test_curves_go_through_manim_unchanged():
    shapes = [Circle(radius=2, stroke_width=8), Square(2.0, stroke_width=6, fill_opacity=0.5).shift([3, 1, 0])]
    assert np.array_equal(frame(FastPathCamera, *shapes), frame(Camera, *shapes))


@pytest.fixture(scope="module")
def cloud():
    X, y = numbers.dataset()
    cloud = SampleCloud(X, y, width=6.0, max_height=4.0)
    cloud.light(np.arange(0, len(y), 7))
    assert max(len(m.points) for m in cloud.family_members_with_points()) > 4 * MIN_CURVES
    return cloud


def test_long_curved_paths_are_the_very_pixels_manim_draws(cloud):
    assert np.array_equal(frame(ExactFastCamera, cloud), frame(Camera, cloud))


def test_a_cloud_of_dots_with_fast_antialiasing_looks_the_same(cloud):
    assert pieces(cloud.dimmed[0].points) == int((cloud.y == 0).sum()) >= MIN_PIECES
    ours, manims = frame(FastPathCamera, cloud), frame(Camera, cloud)
    diff = np.abs(ours - manims).max(axis=2)
    assert manims.std() > 5
    assert not np.array_equal(ours, manims)  # the fast antialiasing is used
    assert (diff > 24).mean() < 5e-3 and (diff > 96).mean() < 1e-4


def test_pieces_counts_separate_subpaths():
    ring = Circle(radius=1).points
    assert pieces(ring) == 1
    assert pieces(np.concatenate([ring, ring + 3, ring - 3])) == 3
    assert pieces(np.zeros((0, 3))) == 0


def test_the_3d_camera_draws_straight_paths_in_perspective_as_manim_does(contour_map):
    cams = []
    for cls in (ExactQuakeCamera, ThreeDCamera):
        cam = cls(pixel_width=W, pixel_height=H, frame_width=config.frame_width,
                  frame_height=config.frame_height)
        cam.set_phi(60 * DEGREES)
        cam.set_theta(-110 * DEGREES)
        cam.capture_mobjects([contour_map])
        cams.append(cam.pixel_array[..., :3].astype(int))
    ours, manims = cams
    assert ours.std() > 10
    assert (np.abs(ours - manims).max(axis=2) > 24).mean() < 2e-3


def test_every_narrated_scene_uses_a_straight_path_camera():
    assert issubclass(QuakeCamera, StraightPaths) and issubclass(FastPathCamera, StraightPaths)
    for scene in (NarratedScene, Narrated3DScene):
        default = inspect.signature(scene.__init__).parameters["camera_class"].default
        assert issubclass(default, StraightPaths), scene
