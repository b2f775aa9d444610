"""The moves between pictures of a landscape keep every point where it
belongs: the camera looking down shows the floor where asked, the pressed
surface keeps its colours, the map handed over lies on the floor, the zoom
ends with the window exactly on the window's map, and the magnifier shows
the same weights as the box it comes from."""

import numpy as np
import pytest
from manim import DL, UR

import quake_math as qm
from scenes.kit import numbers
from scenes.kit.base import Narrated3DScene
from scenes.kit.contour_map import ColorBar, ContourMap
from scenes.kit.map_marks import level_steps, lit_levels
from scenes.kit.map_zoom import MapInset, PressFlat, WindowZoom, floor_corners, map_on_floor, top_view, window_outline
from scenes.kit.view import LossStage


@pytest.fixture(scope="module")
def scene():
    return Narrated3DScene()


@pytest.fixture(scope="module")
def full():
    return numbers.full_landscape()


def test_top_view_shows_the_floor_where_asked(scene, full):
    stage = LossStage(full)
    for center, side in ((np.array([-2.75, 0.3, 0]), 6.3), (np.array([1.0, -0.5, 0]), 4.0)):
        view, frame_center = top_view(scene, stage.axes, center, side)
        scene.set_camera_orientation(**view.as_kwargs(), frame_center=frame_center)
        dl, ur = floor_corners(scene, stage.axes)
        assert np.allclose(ur - dl, [side, side, 0], atol=1e-9)
        assert np.allclose((dl + ur) / 2, center, atol=1e-9)
        # the map handed over covers the same square, and its w2p agrees with the camera
        m = map_on_floor(scene, stage.axes, full)
        assert np.allclose([m.frame.get_corner(DL), m.frame.get_corner(UR)], [dl, ur], atol=1e-6)
        S = numbers.story()
        w = np.array([[S.grid_min, S.grid_max], [0.5 * S.grid_max, -0.25 * S.grid_max]])
        seen = scene.camera.project_points(stage.axes.c2p(np.column_stack([w, np.zeros(2)])))
        assert np.allclose(seen[:, :2], m.w2p(w)[:, :2], atol=1e-6)
    scene.set_camera_orientation(phi=0, theta=-np.pi / 2, zoom=1, frame_center=np.zeros(3))


def test_press_flat_lowers_every_vertex_and_keeps_the_colours(full):
    surface = LossStage(full).surface
    colours = surface.face_rgb().copy()
    floor = surface.axes.c2p(0, 0, 0)[2]
    anim = PressFlat(surface, run_time=1)
    anim.interpolate_mobject(0.5)
    half = surface.axes.point_to_coords(surface.points)[:, 2]
    assert np.allclose(half, 0.5 * surface.heights.ravel(), atol=1e-9)
    anim.interpolate_mobject(1.0)
    assert np.allclose(surface.points[:, 2], floor)
    assert np.allclose(surface.face_rgb(), colours)
    assert surface.shade == 0 and surface.mesh_opacity == 0


def test_zoom_ends_with_the_window_on_the_window_map(full):
    S = numbers.story()
    window = ((-5.0, 10.0), (-10.0, 5.0))
    target = ContourMap(S, full, side=6.3, window=window).move_to([-2.75, 0.3, 0])
    whole = ContourMap(S, full, side=6.3).move_to(target.frame)
    outline = window_outline(whole, target.windows)
    assert np.allclose(whole.p2w([outline.get_corner(DL), outline.get_corner(UR)]), np.array(target.windows).T)
    zoom = WindowZoom(whole, outline, target, run_time=2)
    zoom.interpolate_mobject(0.0)
    assert zoom.mask.get_fill_opacity() == 0
    zoom.interpolate_mobject(0.5)  # half way: a true zoom (exponential), the mask already opaque
    assert zoom.scale_at(0.5) == pytest.approx(np.sqrt(zoom.k))
    assert zoom.mask.get_fill_opacity() == 1
    zoom.interpolate_mobject(1.0)
    assert np.allclose([outline.get_corner(DL), outline.get_corner(UR)],
                       [target.frame.get_corner(DL), target.frame.get_corner(UR)], atol=1e-6)
    # every weight is drawn where the window's own map draws it
    w = np.array([[-4.0, -9.0], [0.0, 1.0], [9.5, 4.5]])
    assert np.allclose(whole.w2p(w), target.w2p(w), atol=1e-6)
    # the contour lines moved with the frame: read back in weights, they are unchanged
    lines = whole.lines_in_weights()
    for segs, (_, ref) in zip(lines, qm.contour_lines(whole.Z, S, axes=whole.grid_axes)):
        flat = np.concatenate([np.stack([ln[:-1], ln[1:]], axis=1) for ln in ref]) if ref else np.zeros((0, 2, 2))
        assert np.allclose(segs, flat, atol=1e-6)


def test_inset_shows_the_boxed_weights_magnified(full):
    S = numbers.story()
    m = ContourMap(S, full, side=6.0, window=((-5.0, 10.0), (-10.0, 5.0)))
    inset = MapInset(m, full, center=(8.0, -7.8), half=0.7, side=3.0).place(m.w2p([-1.0, -5.0]))
    (a, b), (c, d) = inset.map.windows
    assert a >= 8.0 - 0.7 - 1e-9 and b <= 8.0 + 0.7 + 1e-9 and c >= -7.8 - 0.7 - 1e-9 and d <= -7.8 + 0.7 + 1e-9
    assert np.allclose(m.p2w([inset.box.get_corner(DL), inset.box.get_corner(UR)]), [[a, c], [b, d]])
    assert inset.magnification == pytest.approx(3.0 / (6.0 / 15.0) / (b - a))
    # a step drawn on the inset is the same step in weights, only larger on screen
    w, step = np.array([8.0, -8.0]), np.array([0.04, 0.52])
    p, q = inset.map.w2p(w), inset.map.w2p(w + step)
    assert np.allclose(inset.map.p2w(q) - inset.map.p2w(p), step)
    assert np.linalg.norm(q - p) == pytest.approx(inset.magnification * np.linalg.norm(m.w2p(w + step) - m.w2p(w)))
    # the lines join the box to the inset's facing side (the inset is to the left)
    for line in inset.links:
        assert line.get_start()[0] == pytest.approx(inset.box.get_left()[0])
        assert line.get_end()[0] == pytest.approx(inset.map.frame.get_right()[0])
    assert np.allclose(inset.map.Z, inset.map.crop(full))


def test_lit_levels_and_level_steps_name_the_story_levels(full):
    S = numbers.story()
    m = ContourMap(S, full, side=6.0, window=((-5.0, 10.0), (-10.0, 5.0)))
    near = m.w2p([8.0, -8.0])
    lit = lit_levels(m, [len(S.levels) - 5, len(S.levels) - 4], near)
    for (line, label), i in zip(lit, [len(S.levels) - 5, len(S.levels) - 4]):
        assert np.allclose(line.points, m.level_lines[i].points)
        assert label.original_text == f"{S.levels[i]:g}"
    steps = level_steps(m, ColorBar(S))
    widths = np.diff(np.asarray(S.levels))
    assert [note.original_text for _, _, note in steps] == [f"steps of {widths.min():g}", f"steps of {widths.max():g}"]
    fine_lines = sum(len(ln.points) > 0 for ln in steps[0][0])
    assert fine_lines == sum(len(m.level_lines[i].points) > 0 for i in range(len(S.levels))
                             if i + 1 < len(S.levels) and S.levels[i + 1] - S.levels[i] == widths.min())


def test_lowest_point_is_where_the_grid_is_lowest():
    w1, w2 = numbers.axes()
    for a, b in ((w1[3], w2[-5]), (w1[len(w1) // 2], w2[1])):
        W1, W2 = np.meshgrid(w1, w2)
        Z = (W1 - a) ** 2 + 2 * (W2 - b) ** 2  # one minimum, at (a, b)
        assert np.allclose(numbers.lowest_point(Z), [a, b])
