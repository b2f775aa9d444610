"""The scene kit draws exactly quake_math's numbers."""

import numpy as np
import pytest

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.contour_map import ColorBar, ContourMap, polylines_to_points
from scenes.kit.motion import PathTrace, Quake, StepArrow
from scenes.kit.surface import LossAxes3D, LossSurface, SurfacePin


@pytest.fixture(scope="module")
def quake():
    return numbers.quake()


def test_surface_vertices_are_landscape_values(quake):
    S = numbers.story()
    w1, w2 = numbers.axes()
    _, Zs = quake
    axes = LossAxes3D(S)
    surf = LossSurface(axes, w1, w2, Zs[0], S.levels, stride=3)
    assert np.allclose(surf.vertex_heights(), Zs[0][::3, ::3])
    # the vertices sit over the grid's weights
    coords = axes.point_to_coords(surf.points)
    W1, W2 = np.meshgrid(w1[::3], w2[::3])
    assert np.allclose(coords[:, 0], W1.ravel()) and np.allclose(coords[:, 1], W2.ravel())
    # an in-between frame is the interpolated grid, rewritten in place
    before = surf.points
    surf.set_between(Zs[0], Zs[1], 0.3)
    assert surf.points is before
    assert np.allclose(surf.vertex_heights(), qm.interpolate(Zs[0], Zs[1], 0.3)[::3, ::3])


def test_surface_rejects_wrong_grid(quake):
    S = numbers.story()
    w1, w2 = numbers.axes()
    surf = LossSurface(LossAxes3D(S), w1, w2, quake[1][0], S.levels)
    with pytest.raises(ValueError, match="does not match"):
        surf.set_landscape(np.zeros((5, 5)))


def test_surface_colors_follow_shared_scale():
    levels = qm.Story().levels
    # the first and last levels map to the ends of the colormap
    assert np.allclose(palette.loss_rgb([0.0], levels)[0], palette.colormap(0.0))
    assert np.allclose(palette.loss_rgb([15.0], levels)[0], palette.colormap(1.0))
    # equal band steps get equal colour steps: 0.25 -> 0.5 is one band, as is 5 -> 6
    u = palette.level_position([0.25, 0.5, 5.0, 6.0], levels)
    assert u[1] - u[0] == pytest.approx(u[3] - u[2])


def test_contour_map_lines_equal_quake_math_lines(quake):
    S = numbers.story()
    _, Zs = quake
    m = ContourMap(S, Zs[2], side=6.0)
    assert np.array_equal(m.Z, Zs[2][np.ix_(*m.keep)])  # the grid points the map traces
    drawn = m.lines_in_weights()
    expected = qm.contour_lines(m.Z, S, axes=m.grid_axes)
    assert len(drawn) == len(expected)
    for segs, (_, lines) in zip(drawn, expected):
        ref = np.concatenate([np.stack([ln[:-1], ln[1:]], axis=1) for ln in lines]) if lines else np.zeros((0, 2, 2))
        assert segs.shape == ref.shape
        assert np.allclose(segs, ref, atol=1e-9)


def test_contour_map_morphs_in_place_through_interpolated_grid(quake):
    S = numbers.story()
    _, Zs = quake
    m = ContourMap(S, Zs[0])
    band_mobs = list(m.bands)
    m.set_between(Zs[0], Zs[1], 0.5)
    assert list(m.bands) == band_mobs  # same mobjects, new points
    assert np.allclose(m.Z, m.crop(qm.interpolate(Zs[0], Zs[1], 0.5)))
    # band outlines are quake_math's band rings, mapped to the screen
    bands = qm.contour_bands(m.Z, S, axes=m.grid_axes)
    for mob, band in zip(m.bands, bands):
        assert np.allclose(mob.points, polylines_to_points(band.rings, m.w2p))


def test_contour_map_window_is_a_crop(quake):
    S = numbers.story()
    _, Zs = quake
    m = ContourMap(S, Zs[0], window=(-10, 10))
    w1, w2 = numbers.axes()
    keep = (w1 >= -10) & (w1 <= 10)
    assert np.array_equal(m.Z, Zs[0][np.ix_(keep, keep)])
    # screen mapping: the window's corners are the frame's corners
    assert np.allclose(m.w2p([-10, -10])[:2], m.frame.get_corner([-1, -1, 0])[:2])
    assert np.allclose(m.p2w(m.w2p([[3.0, -4.0]])), [[3.0, -4.0]])
    with pytest.raises(ValueError, match="fewer than 2"):
        ContourMap(S, Zs[0], window=(3.1, 3.2))


def test_contour_map_follows_when_moved(quake):
    S = numbers.story()
    m = ContourMap(S, quake[1][0], side=4)
    p = m.w2p([5.0, 5.0])
    m.shift([1.0, -2.0, 0])
    assert np.allclose(m.w2p([5.0, 5.0]), p + np.array([1.0, -2.0, 0]))


def test_step_arrow_and_path_follow_trajectory(data, story):
    X, y = data
    tr = qm.sgd(X, y, story)
    m = ContourMap(story, numbers.full_landscape(), window=(-12, 12))
    k = 3
    arrow = StepArrow(m.w2p, tr.weights[k], -tr.learning_rate * tr.velocities[k])
    assert np.allclose(arrow.get_start(), m.w2p(tr.weights[k]))
    assert np.allclose(arrow.get_end(), m.w2p(tr.weights[k + 1]))
    path = PathTrace(m.w2p, tr.weights)
    corners = np.vstack([path.get_start_anchors(), path.get_end_anchors()[-1:]])
    assert np.allclose(m.p2w(corners), tr.weights)


def test_quake_animation_visits_every_batch(quake):
    S = numbers.story()
    _, Zs = quake
    m = ContourMap(S, Zs[0])
    anim = Quake(m, Zs[:4], story=S)
    assert anim.run_time == pytest.approx(3 * S.morph_frames / 60)
    for k in range(3):
        anim.interpolate_mobject(k / 3)
        assert np.allclose(m.Z, m.crop(Zs[k]))
    anim.interpolate_mobject(1.0)
    assert np.allclose(m.Z, m.crop(Zs[3]))


def test_surface_pin_rides_the_landscape(quake):
    S = numbers.story()
    w1, w2 = numbers.axes()
    _, Zs = quake
    axes = LossAxes3D(S)
    pin = SurfacePin(axes, w1, w2, (36, 36), Zs[0])
    assert pin.value == Zs[0][36, 36]
    pin.set_between(Zs[0], Zs[1], 0.25)
    assert pin.value == pytest.approx(0.75 * Zs[0][36, 36] + 0.25 * Zs[1][36, 36])
    assert np.allclose(axes.point_to_coords(pin.ball.get_center()[None])[0],
                       [w1[36], w2[36], pin.value])


def test_color_bar_has_one_cell_per_band():
    S = numbers.story()
    bar = ColorBar(S)
    assert len(bar.cells) == len(qm.band_edges(S))


def test_contour_map_rectangular_window_fits_a_path(quake):
    from scenes.kit.contour_map import fit_window
    S = numbers.story()
    _, Zs = quake
    path = np.array([[-0.6, -8.0], [8.4, 2.6]])
    win = fit_window(S, path, margin=1.0)
    # the path +- 1 spans 11 x 12.6 weight units: round limits, multiples of 5
    assert win == ((-5.0, 10.0), (-10.0, 5.0))
    m = ContourMap(S, Zs[0], side=6.5, window=win)
    w1, w2 = numbers.axes()
    rows, cols = m.keep
    assert w1[cols[0]] == -5 and w1[cols[-1]] == 10 and w2[rows[0]] == -10 and w2[rows[-1]] == 5
    assert np.array_equal(m.Z, Zs[0][np.ix_(rows, cols)])
    # equal scales on both axes; the longer side is `side`
    assert m.frame.height == pytest.approx(6.5) and m.frame.width == pytest.approx(6.5)
    assert np.allclose(m.w2p([-5.0, -10.0])[:2], m.frame.get_corner([-1, -1, 0])[:2])
    assert np.allclose(m.w2p([10.0, 5.0])[:2], m.frame.get_corner([1, 1, 0])[:2])
    # ticks at round values, on both axes
    assert [list(t) for t in m.tick_values] == [[-5, 0, 5, 10], [-10, -5, 0, 5]]
    assert np.allclose(m.p2w(m.w2p(path)), path)
    # the level lines are quake_math's lines of the cropped grid
    drawn = m.lines_in_weights()
    for segs, (_, lines) in zip(drawn, qm.contour_lines(m.Z, S, axes=m.grid_axes)):
        ref = np.concatenate([np.stack([ln[:-1], ln[1:]], axis=1) for ln in lines]) if lines else np.zeros((0, 2, 2))
        assert np.allclose(segs, ref)
    # a window never leaves the grid
    assert fit_window(S, [[19.5, -19.5]], margin=3) == ((16.0, 20.0), (-20.0, -16.0))


def test_contour_map_traces_contours_finely_enough_and_keeps_the_window(quake):
    from manim import config
    S = numbers.story()
    _, Zs = quake
    w1, _ = numbers.axes()
    spacing = w1[1] - w1[0]
    px_per_unit = config.pixel_height / config.frame_height
    for side, window in ((6.0, None), (2.0, None), (5.0, (-10, 10)), (1.5, (-10, 10))):
        m = ContourMap(S, Zs[0], side=side, window=window)
        cell_px = m.stride * spacing * side / (m.windows[0][1] - m.windows[0][0]) * px_per_unit
        assert cell_px <= 12.0 + 1e-9 or m.stride == 1
        lo, hi = window or (S.grid_min, S.grid_max)
        assert m.windows == ((lo, hi), (lo, hi))  # the stride keeps both edges
        rows, cols = m.keep
        assert np.all(np.diff(cols) == m.stride) and np.array_equal(rows, cols)
    # a small map takes fewer points than a large one
    assert ContourMap(S, Zs[0], side=2.0).stride > ContourMap(S, Zs[0], side=6.0).stride


def test_contour_map_axes_name_the_weights_as_every_chapter_does(quake):
    """The weights are a bold w in every chapter (text.W); a map's axis labels too."""
    from scenes.kit import text
    _, Zs = quake
    m = ContourMap(numbers.story(), Zs[0])
    assert [lab.tex_string for lab in m.labels] == [text.W + "_1", text.W + "_2"]
    assert text.W == r"\mathbf{w}"


def test_contour_map_places_weights_by_its_frame_corners_wherever_it_is_moved(quake):
    """w2p reads the frame's corners from its points (fast); they equal manim's get_corner."""
    from manim import DOWN, LEFT, OUT, RIGHT, UP
    _, Zs = quake
    m = ContourMap(numbers.story(), Zs[0], side=5, window=((-5, 10), (-10, 5)))
    m.shift(2 * LEFT + UP + 0.3 * OUT).scale(0.8)
    dl, ur = m.frame.get_corner(DOWN + LEFT), m.frame.get_corner(UP + RIGHT)
    assert np.allclose(m.w2p([-5, -10]), dl) and np.allclose(m.w2p([10, 5]), ur)
    assert np.allclose(m.p2w(m.w2p([[1.5, -2.0], [7.0, 3.0]])), [[1.5, -2.0], [7.0, 3.0]])


@pytest.mark.parametrize("value, decimals", [(3.14159, 2), (-0.5, 1), (1234, 0), (0.0, 3)])
def test_number_draws_the_house_font_glyphs_after_every_change(value, decimals):
    """Number keeps its digits as plain outlines (fast to copy); they must be
    the very glyphs of the house-font Text, at the number's size and colour,
    as a DecimalNumber built from fresh Text glyphs draws them."""
    from manim import Camera

    from scenes.kit.text import Number, _Digits

    class FromText(Number):
        def _string_to_mob(self, string, mob_class=None, **kwargs):
            glyph = _Digits(string, **kwargs)
            glyph.font_size = self._font_size
            return glyph

    ours, reference = Number(value, decimals=decimals, size="body"), FromText(value, decimals=decimals, size="body")
    for n in (ours, reference):
        n.set_value(value * 1.7 + 0.3)
        n.set_value(value)
    assert np.allclose(ours.get_all_points(), reference.get_all_points())
    frames = []
    for n in (ours, reference):
        cam = Camera(pixel_width=480, pixel_height=270)
        cam.capture_mobjects([n.scale(2)])
        frames.append(cam.pixel_array.astype(int))
    assert frames[1].max() > 100  # something was drawn
    assert np.array_equal(frames[0], frames[1])
