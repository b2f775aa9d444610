"""Kit pieces of chapters 1 and 2: marks riding the 3-D surface, the sample
cloud, the strip chart, the neuron diagram; and a mark moving over a still
surface is still drawn in the surface's depth order."""

import numpy as np
import pytest
from manim import Dot, ThreeDScene

import quake_math as qm
from scenes.kit import numbers
from scenes.kit.marks3d import SurfaceArrow, SurfaceBall
from scenes.kit.neuron import Neuron
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.strip_chart import StripChart
from scenes.kit.quake_camera import QuakeCamera
from scenes.kit.view import LossStage


@pytest.fixture(scope="module")
def stage():
    return LossStage()


def test_ball_lies_on_the_drawn_faces_and_rides_the_quake(stage):
    w = np.array([3.3, -7.1])  # between grid points
    ball = SurfaceBall(stage.surface, w, lift=0.0)
    c = stage.axes.point_to_coords(ball.get_center()[None])[0]
    assert np.allclose(c[:2], w) and c[2] == pytest.approx(float(stage.surface.height_at(w)))
    _, Zs = numbers.quake()
    stage.surface.set_landscape(Zs[3])
    ball.update()
    c = stage.axes.point_to_coords(ball.get_center()[None])[0]
    assert c[2] == pytest.approx(float(stage.surface.height_at(w)))
    stage.surface.set_landscape(numbers.full_landscape())
    stage.surface.detach(ball)


def test_marks_placed_once_stay_right_when_ground_weights_or_points_change(stage):
    """Marks skip their placing while nothing changed; any change places them again."""
    from manim import RIGHT

    from scenes.kit.surface import SurfaceTrail
    surface = stage.surface
    w = np.array([3.3, -7.1])
    ball = SurfaceBall(surface, w, lift=0.0)
    trail = SurfaceTrail(surface, np.array([[8.0, -8.0], [2.0, -1.0]]), lift=0.0)

    def ball_at():
        return stage.axes.point_to_coords(ball.get_center()[None])[0]

    def trail_heights():
        c = stage.axes.point_to_coords(trail.get_anchors())
        return c[:, 2], surface.height_at(c[:, :2])

    _, Zs = numbers.quake()
    try:
        for Z in (Zs[1], Zs[1], Zs[4]):  # a change, none, a change
            surface.set_landscape(Z)
            ball.update()
            trail.update()
            assert ball_at()[2] == pytest.approx(float(surface.height_at(w)))
            drawn, ground = trail_heights()
            assert np.allclose(drawn, ground, atol=1e-9)
        ball.set_weights([-2.0, 4.5])  # new weights
        assert np.allclose(ball_at(), [-2.0, 4.5, float(surface.height_at(np.array([-2.0, 4.5])))])
        ball.shift(RIGHT)  # moved by something else (an animation): put back on the next update
        trail.shift(RIGHT)
        ball.update()
        trail.update()
        assert np.allclose(ball_at(), [-2.0, 4.5, float(surface.height_at(np.array([-2.0, 4.5])))])
        assert np.allclose(*trail_heights(), atol=1e-9)
    finally:
        surface.set_landscape(numbers.full_landscape())
        surface.detach(ball, trail)


def test_arrow_runs_along_the_surface_to_its_tip(stage):
    w0, w1 = np.array([8.0, -8.0]), np.array([8.0, -3.0])
    arrow = SurfaceArrow(stage.surface, w0, w1, lift=0.0)
    tip = stage.axes.point_to_coords(arrow.tip.get_vertices())
    assert np.allclose(tip[0, :2], w1) and tip[0, 2] == pytest.approx(float(stage.surface.height_at(w1)))
    shaft = stage.axes.point_to_coords(arrow.shaft.get_anchors())
    assert np.allclose(shaft[0, :2], w0)
    # the shaft stops at the tip's base, on the segment w0 -> w1
    d = shaft[:, :2] - w0
    assert np.allclose(d[:, 0], 0, atol=1e-9) and np.all(np.diff(d[:, 1]) >= 0)
    assert shaft[-1, 1] < w1[1]
    arrow.set_progress(0.5)
    assert np.allclose(stage.axes.point_to_coords(arrow.tip.get_vertices())[0, :2], (w0 + w1) / 2)
    stage.surface.detach(arrow.shaft, arrow.tip)


def test_a_mark_moving_over_a_still_surface_keeps_the_surface_redrawn(stage):
    """Manim freezes mobjects that do not move into a background picture and
    paints the moving ones on top: an attached mark would then be drawn over
    the hills in front of it."""
    scene = ThreeDScene(camera_class=QuakeCamera)
    dot = Dot()
    stage.surface.attach(dot)
    scene.add(stage.axes, stage.surface, dot)
    moving = scene.get_moving_mobjects(dot.animate.shift([1, 0, 0]).build())
    assert stage.surface in moving
    stage.surface.detach(dot)
    assert stage.surface not in scene.get_moving_mobjects(dot.animate.shift([1, 0, 0]).build())


def test_sample_cloud_lights_exactly_the_chosen_samples(data):
    X, y = data
    cloud = SampleCloud(X, y, width=2.2)
    # every sample is drawn once, dim, inside the frame
    dim = np.concatenate([m.points.reshape(-1, 16, 3).mean(axis=1) for m in cloud.dimmed])
    assert len(dim) == len(X)
    lo, hi = cloud.frame.get_corner([-1, -1, 0]), cloud.frame.get_corner([1, 1, 0])
    assert np.all(dim[:, :2] > lo[:2]) and np.all(dim[:, :2] < hi[:2])
    assert np.allclose(np.sort(dim[:, 0]), np.sort(cloud.x2p(X)[:, 0]))
    batch = qm.quake_batches(qm.Story())[0]
    cloud.light(batch)
    assert len(cloud.lit_centers()) == len(batch)
    # the lit dots take their class's layer
    ones = int(np.sum(y[batch] == 1))
    assert len(cloud.lit[1].points) // 16 == ones and len(cloud.lit[0].points) // 16 == len(batch) - ones
    cloud.light([])
    assert len(cloud.lit_centers()) == 0


def test_strip_chart_draws_the_values_so_far():
    values = [3.0, 9.0, 1.5, 12.0]
    chart = StripChart(6, 16.0)
    chart.show_until(values, 2.5)
    dots = chart.dots.points.reshape(-1, 16, 3).mean(axis=1)
    assert np.allclose(dots, chart.c2p(np.arange(3), values[:3]))
    # the head sits between steps 2 and 3 at the interpolated value
    assert np.allclose(chart.head.get_center(), chart.c2p(2.5, (1.5 + 12.0) / 2))
    assert chart.value == pytest.approx(6.75)
    # ticks at round values from 0 to the top
    ticks = [t[1].value for t in chart.ticks]
    assert ticks[0] == 0 and ticks[-1] <= 16 and all(v % 5 == 0 for v in ticks)
    # values above the top stay on the chart
    assert chart.c2p(0, 40.0)[1] == pytest.approx(chart.frame.get_top()[1])


def test_neuron_names_its_weights_in_bold():
    net = Neuron()
    assert [lab.get_tex_string().strip() for lab in net.weight_labels] == [r"\mathbf{w}_1", r"\mathbf{w}_2"]
    assert len(net.edges) == 2 and len(net.inputs) == 2


def test_frame_center_puts_a_point_where_asked():
    from manim import DEGREES

    from scenes.kit.view import View, frame_center_for
    view = View(60 * DEGREES, -20 * DEGREES, 2.0)
    cam = QuakeCamera()
    cam.set_phi(view.phi)
    cam.set_theta(view.theta)
    cam.set_zoom(view.zoom)
    point = np.array([1.5, -0.7, 0.9])
    cam.frame_center = frame_center_for(view, point, at=(1.3, -0.7))
    cam.reset_rotation_matrix()
    assert np.allclose(cam.project_point(point)[:2], [1.3, -0.7], atol=1e-6)


def test_axis_ticks_sit_beside_the_box_edges_at_round_values(stage):
    from scenes.kit.marks3d import axis_ticks
    S = stage.story
    w1s, w2s, losses = axis_ticks(stage.axes)
    for group, fixed in ((w1s, (1, S.grid_min)), (w2s, (0, S.grid_max))):
        coords = stage.axes.point_to_coords(np.array([t.get_center() for t in group]))
        values = [t.value for t in group]
        assert values[0] == S.grid_min and values[-1] == S.grid_max and all(v % 10 == 0 for v in values)
        assert np.allclose(coords[:, 1 - fixed[0]], values, atol=0.5)  # along the edge, at its value
        assert np.all(np.abs(coords[:, fixed[0]] - fixed[1]) > 1)  # just outside the box
    heights = stage.axes.point_to_coords(np.array([t.get_center() for t in losses]))[:, 2]
    assert np.allclose(heights, [t.value for t in losses], atol=0.3) and losses[0].value == 0


def test_a_followed_readout_refreshes_at_most_twenty_times_a_second():
    from manim import ThreeDScene

    from scenes.kit.marks3d import follow
    from scenes.kit.text import Number
    scene = ThreeDScene(camera_class=QuakeCamera)
    box = {"v": 1.0}
    n = follow(scene, Number(0.0), lambda: box["v"])
    shown = []
    for f in range(60):  # one second at 60 fps, the value changing every frame
        box["v"] = 1.0 + f / 100
        n.update(1 / 60)
        shown.append(n.get_value())
    assert shown[0] == pytest.approx(1.0)
    assert 15 <= len(set(shown)) <= 21  # about 20 refreshes, not 60
    assert shown[-1] >= 1.0 + 56 / 100  # never more than a twentieth of a second behind
    n.follow_now()
    assert n.get_value() == pytest.approx(1.59)


def test_lighting_a_weight_keeps_the_diagram_whole():
    from manim import FadeIn, FadeOut, tempconfig

    net = Neuron()

    class Light(ThreeDScene):
        def construct(self):
            self.play(FadeIn(net), run_time=0.1)
            self.play(*net.light(0), run_time=0.1)
            self.play(FadeOut(net), run_time=0.1)
    with tempconfig({"dry_run": True}):
        scene = Light(camera_class=QuakeCamera)
        scene.render()
    family = net.get_family()
    assert not [m for m in scene.mobjects if m in family]  # nothing of it is left behind
    assert net.edges[0].get_color() == net.weight_labels[0].get_color() != net.edges[1].get_color()
