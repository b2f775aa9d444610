"""The 2-D camera lays runs of unchanged mobjects from a copy (StillLayers).
Frames must look as without the copy, whatever changes between frames:
a quaking map under a still colour bar and words, a word that changes
colour, a bar that moves."""

import numpy as np
import pytest
from manim import DOWN, RIGHT, VGroup

from scenes.kit import numbers, text
from scenes.kit.contour_map import ColorBar, ContourMap
from scenes.kit.fast_paths import FastPathCamera
from scenes.kit.motion import Quake

W, H = 480, 270


class Counting(FastPathCamera):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.laid = 0

    def _lay(self, layer):
        self.laid += 1
        return super()._lay(layer)


def looks_the_same(ours, plain, i):
    """Frame ``i`` from layers looks as the one drawn directly: a few
    antialiased edge pixels may round differently."""
    diff = np.abs(ours - plain)
    assert plain.std() > 10
    assert diff.max(axis=2).mean() < 0.02, f"frame {i}"
    assert (diff.max(axis=2) > 16).mean() < 5e-4, f"frame {i}"
    assert diff.max() < 64, f"frame {i}"


def pair():
    cams = [Counting(pixel_width=W, pixel_height=H) for _ in range(2)]
    cams[1].still_layers = False
    return cams


@pytest.fixture()
def picture():
    S = numbers.story()
    _, Zs = numbers.quake(batch_size=10)
    m = ContourMap(S, Zs[0], side=5.5, window=((-5, 10), (-10, 5))).shift(2.5 * RIGHT * -1)
    bar = ColorBar(S, height=4.5).shift(1.5 * RIGHT)
    words = VGroup(*[text.caption(f"words on line {i}", "body") for i in range(6)]).arrange(DOWN).shift(4.8 * RIGHT)
    return m, bar, words, Zs


def test_frames_look_as_without_layers_and_layers_are_used(picture):
    m, bar, words, Zs = picture
    quake = Quake(m, Zs[:6], run_time=2)
    quake.begin()
    ours, plain = pair()
    for i in range(12):
        quake.interpolate(i / 12)
        if i == 6:
            words[2].set_color("#ff3333")  # changed by no animation: must show at once
        if i == 9:
            bar.shift(0.3 * DOWN)
        frames = []
        for cam in (ours, plain):
            cam.reset()
            cam.capture_mobjects([m, bar, words])
            frames.append(cam.pixel_array[..., :3].astype(int))
        looks_the_same(*frames, i)
    assert ours.laid >= 8  # the bar and the words came from layers in most frames
    assert plain.laid == 0


def test_a_change_to_a_still_mobject_is_drawn_in_the_same_frame(picture):
    m, bar, words, Zs = picture
    cam = FastPathCamera(pixel_width=W, pixel_height=H)
    for _ in range(3):  # long enough still to be laid from a layer
        cam.reset()
        cam.capture_mobjects([m, bar, words])
    before = cam.pixel_array.copy()
    words.set_color("#ff0000")
    cam.reset()
    cam.capture_mobjects([m, bar, words])
    red = (cam.pixel_array[..., 0] > 200) & (cam.pixel_array[..., 1] < 80)  # manim's pixels are RGBA
    assert red.sum() > 200
    assert not np.array_equal(before, cam.pixel_array)


def test_a_layer_holds_all_of_its_strokes_sharp_corners_too():
    from manim import Polygon
    spikes = VGroup(*[Polygon([-6 + 2.4 * k, -1, 0], [-5.8 + 2.4 * k, -1, 0], [-5.9 + 2.4 * k, 2.5, 0],
                              stroke_width=14, stroke_color="#ffffff", fill_opacity=0) for k in range(5)])
    ours, plain = pair()
    for _ in range(4):
        frames = []
        for cam in (ours, plain):
            cam.reset()
            cam.capture_mobjects([spikes])
            frames.append(cam.pixel_array[..., :3].astype(int))
    assert ours.laid >= 1
    assert np.abs(frames[0] - frames[1]).max() < 64
    assert (np.abs(frames[0] - frames[1]).max(axis=2) > 16).sum() <= 4


def test_3d_camera_layers_follow_its_turns_and_keep_pinned_words():
    """QuakeCamera: words pinned to the frame and labels standing in 3-D over
    a quaking surface. Frames look as without layers while the surface quakes,
    the camera turns (the 3-D labels move, the pinned words do not) and a
    pinned word changes colour."""
    from manim import DEGREES, config

    import quake_math as qm
    from scenes.kit.quake_camera import QuakeCamera
    from scenes.kit.surface import LossAxes3D, LossSurface

    class Counting3D(QuakeCamera):
        laid = 0

        def _lay(self, layer):
            self.laid += 1
            return super()._lay(layer)

    story = qm.Story(grid_points=81)
    w1, w2 = qm.weight_axes(story)
    W1, W2 = np.meshgrid(w1, w2)
    Zs = [0.02 * (W1 - 2 + k) ** 2 + 0.03 * (W2 + 1 - k) ** 2 for k in range(12)]
    axes = LossAxes3D(story)
    surface = LossSurface(axes, w1, w2, Zs[0], story.levels, vertices=25)
    pinned = VGroup(*[text.caption(f"pinned line {i}", "body") for i in range(5)]).arrange(DOWN).to_corner([-1, 1, 0])
    standing = VGroup(*[text.caption(f"in 3-D {i}", "body") for i in range(5)]).arrange(DOWN).move_to([3, 2, 1])
    cams = []
    for layers in (True, False):
        cam = Counting3D(pixel_width=W, pixel_height=H, frame_width=config.frame_width,
                         frame_height=config.frame_height)
        cam.set_phi(65 * DEGREES)
        cam.set_theta(-120 * DEGREES)
        cam.add_fixed_in_frame_mobjects(*pinned.get_family())
        cam.still_layers = layers
        cams.append(cam)
    ours, plain = cams
    laid_before_turn = None
    for i in range(12):
        surface.set_landscape(Zs[i])
        if i == 5:
            for cam in cams:  # a turn of the camera: the standing labels move on screen
                cam.set_theta(-110 * DEGREES)
            laid_before_turn = ours.laid
        if i == 8:
            pinned[1].set_color("#ff3333")  # changed by no animation: must show at once
        frames = []
        for cam in cams:
            cam.reset()
            cam.capture_mobjects([axes, surface, pinned, standing])
            frames.append(cam.pixel_array[..., :3].astype(int))
        looks_the_same(*frames, i)
        if i == 5:  # the pinned words did not move: their layer is laid in the very frame of the turn
            assert ours.laid > laid_before_turn
    assert ours.laid >= 8  # the words came from layers in most frames
    assert plain.laid == 0
