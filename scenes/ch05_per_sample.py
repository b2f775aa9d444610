"""Chapter 5 - One sample, one landscape.

Nine samples drawn from the data, each with its own small contour map: every
map has straight, parallel contour lines, crossing the direction of the
sample's input x at a right angle. Their average has curved lines.

    manim -pqh scenes/ch05_per_sample.py PerSampleContours
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, RIGHT, UP, Arrow, Axes, Circle, Create, Dot, FadeIn, FadeOut, GrowArrow,
    Indicate, LaggedStart, MathTex, TransformFromCopy, VGroup,
)

from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.sample_maps import SampleLayout

from scenes.kit.text import caption


class PerSampleContours(SampleLayout, NarratedScene):
    """Nine single-sample landscapes in a 3x3 grid, then their average."""

    data_range = (-4.0, 7.0)  # data-plot axes: both inputs over this range
    data_side = 4.6

    # -- builders (tests compare these with quake_math) -------------------
    def get_data_plot(self):
        """The data set as dots, with the nine samples ringed and their x vectors."""
        X, y = numbers.dataset()
        lo, hi = self.data_range
        axes = Axes(x_range=[lo, hi, 1], y_range=[lo, hi, 1], x_length=self.data_side,
                    y_length=self.data_side, tips=False,
                    axis_config={"stroke_color": palette.MUTED, "stroke_width": 1.5,
                                 "include_ticks": False})
        labels = VGroup(MathTex("x_1", font_size=28, color=palette.TEXT).next_to(axes.x_axis, RIGHT, buff=0.1),
                        MathTex("x_2", font_size=28, color=palette.TEXT).next_to(axes.y_axis, UP, buff=0.1))
        pts = np.array([axes.c2p(a, b) for a, b in X])
        dots = VGroup(*[Dot(p, radius=0.025, color=palette.class_color(c), fill_opacity=0.55) for p, c in zip(pts, y)])
        _, Xs, ys, _ = self.get_samples()
        rings = VGroup(*[Circle(radius=0.11, stroke_color=palette.class_color(c), stroke_width=3).move_to(axes.c2p(*x))
                         for x, c in zip(Xs, ys)])
        vectors = VGroup(*[Arrow(axes.c2p(0, 0), axes.c2p(*x), buff=0, color=palette.class_color(c), stroke_width=3,
                                 max_tip_length_to_length_ratio=0.15)
                           for x, c in zip(Xs, ys)])
        return VGroup(axes, labels, dots, rings, vectors)

    # -- the scene --------------------------------------------------------
    def construct(self):
        plot = self.get_data_plot().move_to(self.big_center)
        axes, axis_labels, dots, rings, vectors = plot

        with self.voiceover(
            text="Here is our data again. Blue points are class zero, orange points are class one. "
                 "Let's pick <bookmark mark='pick'/>nine samples at random."
        ):
            self.play(FadeIn(axes), FadeIn(axis_labels), FadeIn(dots), run_time=1.2)
            self.wait_until_bookmark("pick")
            self.play(LaggedStart(*[Create(r) for r in rings], lag_ratio=0.15), run_time=1.5)

        maps = self.get_sample_maps()
        with self.voiceover(
            text="Alone, each sample already defines a loss landscape: "
                 "how badly the model does on that one sample, for every pair of weights. "
                 "Here are the nine landscapes, seen from above, all with the same contour levels."
        ) as tracker:
            self.play(LaggedStart(*[FadeIn(VGroup(m, lab)) for m, lab in zip(maps.maps, maps.labels)],
                                  lag_ratio=0.12), run_time=min(4.0, max(tracker.duration - 1, 2)))

        with self.voiceover(
            text="Look at the lines. In every one of the nine maps, the contour lines are "
                 "<bookmark mark='straight'/>straight, and parallel to each other."
        ):
            self.wait_until_bookmark("straight")
            self.play(LaggedStart(*[Indicate(m.level_lines, color=palette.ACCENT, scale_factor=1.0)
                                    for m in maps.maps], lag_ratio=0.1), run_time=2.5)

        legend = VGroup(caption("arrow on each map: its sample's x", "note"),
                        caption("(only the direction matters)", "note", palette.MUTED)).arrange(DOWN, buff=0.1)
        legend.next_to(plot, DOWN, buff=0.3)
        with self.voiceover(
            text="Each sample is a point in the data, so it is also an arrow from the origin. "
                 "<bookmark mark='move'/>Let's draw that arrow on the sample's own map, "
                 "starting where both weights are zero. Only its direction matters here; "
                 "its length is stretched so we can see it."
        ):
            self.play(LaggedStart(*[GrowArrow(v) for v in vectors], lag_ratio=0.1), run_time=1.5)
            self.wait_until_bookmark("move")
            self.play(FadeIn(maps.origins), FadeIn(legend),
                      LaggedStart(*[TransformFromCopy(v, a) for v, a in zip(vectors, maps.x_arrows)],
                                  lag_ratio=0.1), run_time=2.5)
        with self.voiceover(
            text="Now compare the arrow with the lines. In every map, the contour lines cross the "
                 "sample's arrow at a right angle."
        ):
            self.play(LaggedStart(*[Indicate(a, color=palette.ACCENT) for a in maps.x_arrows],
                                  lag_ratio=0.1), run_time=2.5)

        avg = self.get_average_map()
        title = caption("average of the nine", "heading").next_to(avg.frame, UP, buff=0.2)
        with self.voiceover(
            text="Now average the nine landscapes, point by point. "
                 "<bookmark mark='avg'/>This is the result: the loss of a batch made of these nine samples."
        ):
            self.play(FadeOut(plot), FadeOut(legend), run_time=0.8)
            self.wait_until_bookmark("avg")
            self.play(FadeIn(avg), FadeIn(title), run_time=1.5)
        with self.voiceover(
            text="Its contour lines are not straight any more. They bend, and close around a valley. "
                 "Nine sets of straight lines, averaged, give curves. Why are the single-sample lines "
                 "straight in the first place? That is the next question."
        ) as tracker:
            self.play(Indicate(avg.level_lines, color=palette.ACCENT, scale_factor=1.0), run_time=2)
            self.wait(max(tracker.get_remaining_duration() - 1.5, 0.5))
        self.play(FadeOut(VGroup(maps, avg, title)), run_time=1.0)
        self.wait(0.3)
