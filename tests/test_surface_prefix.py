"""While a surface stands still, QuakeCamera copies its far faces from the last
frame instead of drawing them again (SurfacePrefix). The frames must be the
very pixels a camera without that copy draws, whatever changes: a mark moving
over the surface, the surface itself, or what lies under it."""

import numpy as np
import pytest
from manim import DEGREES, Dot, Square, config

import quake_math as qm
from scenes.kit.quake_camera import QuakeCamera, SurfacePrefix
from scenes.kit.surface import LossAxes3D, LossSurface, SurfaceTrail


class Counting(SurfacePrefix):
    """Records how many faces each frame took from the copy."""

    def __init__(self):
        super().__init__()
        self.copied = []

    def restore(self, *args):
        n = super().restore(*args)
        self.copied.append(n)
        return n


def camera():
    cam = QuakeCamera(pixel_width=320, pixel_height=180, frame_width=config.frame_width,
                      frame_height=config.frame_height)
    cam.set_phi(65 * DEGREES)
    cam.set_theta(-120 * DEGREES)
    return cam


def fresh_frame(mobjects):
    cam = camera()
    cam.capture_mobjects(mobjects)
    return cam.pixel_array.copy()


@pytest.fixture()
def scene():
    story = qm.Story(grid_points=81)
    w1, w2 = qm.weight_axes(story)
    W1, W2 = np.meshgrid(w1, w2)
    Z = 0.02 * (W1 - 2) ** 2 + 0.03 * (W2 + 1) ** 2
    axes = LossAxes3D(story)
    surface = LossSurface(axes, w1, w2, Z, story.levels, vertices=25)
    walk = np.column_stack([np.linspace(9, 2, 12), np.linspace(-9, -1, 12)])
    trail = SurfaceTrail(surface, walk[:2], color="#ff8800", stroke_width=6)
    dot = Dot(radius=0.12, color="#ff0000")
    surface.attach(trail)
    surface.attach(dot)
    under = Square(3, fill_color="#3355ff", fill_opacity=1, stroke_width=0).shift([-4, 2, -3])
    return axes, surface, trail, dot, under, walk, Z


def test_frames_with_the_copy_are_the_frames_without_it(scene):
    axes, surface, trail, dot, under, walk, Z = scene
    cam = camera()
    cam._prefix = Counting()
    mobjects = [under, surface, trail, dot]

    def put(k):
        trail.become(SurfaceTrail(surface, walk[: k + 2], color="#ff8800", stroke_width=6))
        dot.move_to(axes.c2p(*walk[k], float(surface.height_at(walk[k]))))

    # where the walk is in each frame: it stops for frames 7 and 8
    steps = [0, 1, 2, 3, 4, 5, 6, 6, 6, 7]
    for frame, k in enumerate(steps):
        if frame == 5:
            surface.set_landscape(1.3 * Z)  # the ground moves once
        if frame == 8:
            under.shift([0.5, 0, 0])  # what lies under it moves
        put(k)
        cam.reset()
        cam.capture_mobjects(mobjects)
        assert np.array_equal(cam.pixel_array, fresh_frame(mobjects)), f"frame {frame}"
    copied = cam._prefix.copied
    assert len(copied) == len(steps)
    assert copied[0] == copied[1] == 0, copied  # nothing to copy before the surface has stood still
    assert copied[3] > 0 and copied[4] > 0, copied  # then the far faces come from the copy
    assert copied[5] == copied[6] == 0, copied  # the ground moved: drawn again, then kept again
    assert copied[7] > 0, copied
    assert copied[8] == 0, copied  # the pixels under it changed


def test_surface_opacity_and_mesh_are_part_of_what_is_kept(scene):
    axes, surface, trail, dot, under, walk, Z = scene
    cam = camera()
    mobjects = [surface, dot]
    dot.move_to(axes.c2p(*walk[3], float(surface.height_at(walk[3]))))
    for change in (None, None, lambda: setattr(surface, "mesh_opacity", 0.9),
                   lambda: surface.set_opacity(0.5), None):
        if change:
            change()
        cam.reset()
        cam.capture_mobjects(mobjects)
        assert np.array_equal(cam.pixel_array, fresh_frame(mobjects))


def test_split_path_segments_drawn_straight_to_cairo_are_manims_pixels(scene):
    """QuakeCamera strokes the segments of a split trail itself (the calls
    manim's camera makes, without its per-segment set-up): the frame is the
    very pixels of manim's own drawing of each segment, for a plain trail, a
    trail with a background stroke, and one faded half out."""
    axes, surface, trail, dot, under, walk, Z = scene
    trail.set_weights(walk[:9])
    outlined = SurfaceTrail(surface, walk[3:11] + [1.5, 0.5], color="#33ddff", stroke_width=9)
    outlined.set_stroke("#000000", width=14, background=True)
    # a mark with round caps drawn among the segments: theirs must stay manim's (butt)
    from manim import CapStyleType, Line
    capped = Line(axes.c2p(4, -4, 3), axes.c2p(6, -2, 3), stroke_width=12)
    capped.cap_style = CapStyleType.ROUND
    surface.attach(capped)
    faded = SurfaceTrail(surface, walk[::2] - [1.0, 2.0], color="#ffffff", stroke_width=4).set_stroke(opacity=0.5)
    frames, kinds = [], []
    for fast in (True, False):
        cam = camera()
        cam.fast_pieces = fast
        seen = []
        original = cam._draw_item
        cam._draw_item = lambda ctx, item, f=original: (seen.append(isinstance(item, tuple)
                                                                    and isinstance(item[0], tuple)), f(ctx, item))
        cam.capture_mobjects([axes, surface, trail, dot, capped, outlined, faded])
        frames.append(cam.pixel_array.copy())
        kinds.append(seen)
    assert sum(kinds[0]) > 20 and not any(kinds[1])  # the fast camera took the fast path, the other never
    assert frames[0].std() > 10
    assert np.array_equal(frames[0], frames[1])
