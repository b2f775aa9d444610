"""Chapter 5 - One sample, one landscape.

A few samples drawn from the data, each with its own small contour map: every
map has straight, parallel contour lines, crossing the direction of the
sample's input x at a right angle. Their average, the loss of the batch they
make, has bent lines closing around a valley.

    manim -pqh scenes/ch05_per_sample.py PerSampleContours
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Axes, Circle, Create, Dot, FadeIn, FadeOut, GrowArrow, Indicate,
    LaggedStart, Line, MoveAlongPath, Rectangle, ReplacementTransform, TransformFromCopy, VGroup, VMobject, Write,
    linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import fit_window, nice_step, polylines_to_points
from scenes.kit.motion import weight_dot
from scenes.kit.sample_maps import SampleLayout, haloed, right_angle
from scenes.kit.text import LOSS_BATCH, LOSS_SAMPLE, Number, caption, math


class PerSampleContours(SampleLayout, NarratedScene):
    """The single-sample landscapes in a grid, then their average."""

    x_length = 6.0  # every x arrow on the small maps is this many weight units long
    trace_reach = 3.0  # the traced line crosses the x line about this far from the origin
    parallel_reach = 1.2  # ... and the parallel line it slides to, about this far
    data_unit = 0.5  # data plot: screen units per unit of x
    data_zoom = 1.15  # ... larger while it is alone on screen
    tour_radius = 6.0  # the dot that reads one sample's loss circles the origin at this radius

    # -- builders (tests compare these with quake_math) -------------------
    def get_data_plot(self):
        """The data set as dots in a framed plot with round ticks, the chosen
        samples ringed, their x vectors, and a class legend."""
        X, y = numbers.dataset()
        (lo1, hi1), (lo2, hi2) = fit_window(numbers.story(), X, margin=0.05, max_ticks=6)
        step = nice_step(max(hi1 - lo1, hi2 - lo2), 6)
        u = self.data_unit
        axes = Axes(x_range=[lo1, hi1, 1], y_range=[lo2, hi2, 1], x_length=u * (hi1 - lo1),
                    y_length=u * (hi2 - lo2), tips=False,
                    axis_config={"stroke_color": palette.MUTED, "stroke_width": 1.2, "include_ticks": False})
        frame = Rectangle(width=u * (hi1 - lo1), height=u * (hi2 - lo2), stroke_color=palette.MUTED,
                          stroke_width=1.5).move_to(axes.c2p((lo1 + hi1) / 2, (lo2 + hi2) / 2))
        ticks = VGroup()
        for axis, (lo, hi) in enumerate(((lo1, hi1), (lo2, hi2))):
            for v in np.arange(lo, hi + 1e-9 * step, step):
                p = axes.c2p(v, lo2) if axis == 0 else axes.c2p(lo1, v)
                d = DOWN if axis == 0 else LEFT
                mark = Line(p, p + 0.08 * d, stroke_color=palette.MUTED, stroke_width=1.5)
                t = caption(f"{v:g}".replace("-", "\u2212"), "tick", palette.MUTED).next_to(mark, d, buff=0.06)
                t.value = v
                ticks.add(VGroup(mark, t))
        labels = VGroup(math("x_1", size="body").next_to(frame, DOWN, buff=0.45),
                        math("x_2", size="body").next_to(frame, LEFT, buff=0.55))
        pts = np.array([axes.c2p(a, b) for a, b in X])
        dots = VGroup(*[Dot(p, radius=0.03, color=palette.class_color(c), fill_opacity=0.6) for p, c in zip(pts, y)])
        _, Xs, ys, _ = self.get_samples()
        rings = VGroup(*[Circle(radius=0.12, stroke_color=palette.class_color(c), stroke_width=3).move_to(axes.c2p(*x))
                         for x, c in zip(Xs, ys)])
        vectors = VGroup(*[Arrow(axes.c2p(0, 0), axes.c2p(*x), buff=0, color=palette.class_color(c), stroke_width=3,
                                 max_tip_length_to_length_ratio=0.15)
                           for x, c in zip(Xs, ys)])
        legend = VGroup(*[VGroup(Dot(radius=0.06, color=palette.class_color(c)),
                                 caption(f"class {c}", "note")).arrange(RIGHT, buff=0.12) for c in (0, 1)])
        legend.arrange(RIGHT, buff=0.5).next_to(labels[0], DOWN, buff=0.2)
        plot = VGroup(VGroup(frame, axes, ticks), labels, dots, rings, vectors, legend)
        plot.axes, plot.frame = axes, frame
        return plot.shift(self.big_center - frame.get_center())

    def get_traced(self, maps):
        """Per small map: (level index, crossing t) of the traced straight line
        and of the parallel line it slides to (quake_math's drawn contours)."""
        out = []
        for k in range(len(maps.maps)):
            first = maps.crossing(k, self.trace_reach)
            others = [c for c in maps.crossings(k) if c[0] != first[0] and np.sign(c[1]) == np.sign(first[1])]
            second = min(others, key=lambda c: abs(abs(c[1]) - self.parallel_reach)) if others else first
            out.append((first, second))
        return out

    def get_true_arrows(self, maps) -> VGroup:
        """The x arrows at their true relative lengths (the longest as long as
        the one length the maps finally use)."""
        scale = self.x_length / np.linalg.norm(maps.X, axis=1).max()
        return VGroup(*[maps.x_arrow(k, scale * x) for k, x in enumerate(maps.X)])

    def get_tour(self, maps):
        """The dot's tour on the first map (weights along a circle) and the
        loss of the first sample along it (quake_math.per_sample_loss)."""
        S = numbers.story()
        _, Xs, ys, _ = self.get_samples()
        a = np.linspace(0, 2 * np.pi, 121)
        ws = self.tour_radius * np.stack([np.cos(a), np.sin(a)], axis=1)
        return ws, qm.per_sample_loss(ws, Xs[:1], ys[:1], S.clip)[:, 0]

    def get_bent_line(self, avg):
        """The longest closed level line of the average (it rings the valley);
        without one (a story with very few samples), the most bent line."""
        best = None
        for level, lines in qm.contour_lines(avg.Z, numbers.story(), axes=avg.grid_axes):
            for ln in lines:
                if len(ln) < 3:
                    continue
                closed = np.allclose(ln[0], ln[-1])
                p = ln - ln.mean(axis=0)
                score = (closed, np.ptp(ln, axis=0).max() if closed else np.linalg.svd(p, compute_uv=False)[1])
                if best is None or score > best[0]:
                    best = (score, level, ln)
        line = VMobject(stroke_color=palette.ACCENT, stroke_width=4, fill_opacity=0)
        line.points = polylines_to_points([best[2]], avg.w2p)
        line.level, line.weights = best[1], best[2]
        return line

    # -- the scene --------------------------------------------------------
    def construct(self):
        n = len(self.get_samples()[0])
        X, y = numbers.dataset()
        plot = self.get_data_plot()
        home = plot.get_center()
        plot.scale(self.data_zoom).move_to(ORIGIN)  # alone on screen first: large, in the middle
        box, labels, dots, rings, vectors, legend = plot
        with self.voiceover(
            text=f"Here is our data again, <bookmark mark='all'/>all {len(X)} points. <bookmark mark='c0'/>"
                 f"Blue points are class zero, <bookmark mark='c1'/>orange points are class one. "
                 f"Let's pick <bookmark mark='pick'/>{n} samples at random."
        ):
            colors = [d.get_color() for d in dots]
            dots.set_color(palette.MUTED)
            self.play(Create(box[0]), FadeIn(box[1:]), FadeIn(labels), run_time=1.0)
            self.wait_until_bookmark("all")
            self.play(LaggedStart(*[FadeIn(d, scale=2) for d in dots], lag_ratio=0.004), run_time=1.5)
            for c in (0, 1):
                self.wait_until_bookmark(f"c{c}")
                self.play(*[d.animate.set_color(col) for d, col, lab in zip(dots, colors, y) if lab == c],
                          FadeIn(legend[c]), run_time=1.0)
            self.wait_until_bookmark("pick")
            self.play(LaggedStart(*[Create(r) for r in rings], lag_ratio=0.3), run_time=0.4 * n + 0.5)

        maps = self.get_sample_maps()
        bar = self.get_color_bar()
        ws, losses = self.get_tour(maps)
        m0 = maps.maps[0]
        dot = weight_dot(m0.w2p, ws[0], radius=0.06)
        tour = VMobject().set_points_as_corners(m0.w2p(ws))
        readout = VGroup(math(LOSS_SAMPLE, "=", size="note"), Number(losses[0], size="note"))
        readout.arrange(RIGHT, buff=0.12).next_to(m0.frame, RIGHT, buff=0.25).align_to(m0.frame, UP)
        x0, y0, clip = self.get_samples()[1][:1], self.get_samples()[2][:1], numbers.story().clip
        readout[1].add_updater(lambda num: num.set_value(float(
            qm.per_sample_loss(m0.p2w(dot.get_center()), x0, y0, clip)[0])))

        def appear(k):
            m = maps.maps[k]
            return [TransformFromCopy(rings[k], m.frame), FadeIn(VGroup(m.bands, m.level_lines, maps.labels[k]))]

        with self.voiceover(
            text="Alone, each sample already defines a loss landscape: <bookmark mark='bad'/>how badly the model does "
                 "on that one sample, <bookmark mark='every'/>for every pair of weights. <bookmark mark='all'/>"
                 f"Here are the {n} landscapes, seen from above, <bookmark mark='levels'/>all with the same "
                 "contour levels."
        ):
            shown = VGroup(box, labels, dots, rings, legend)
            self.play(shown.animate.scale(1 / self.data_zoom).move_to(home), run_time=1.0)
            vectors.scale(1 / self.data_zoom, about_point=ORIGIN).shift(home)  # not on screen yet
            self.play(*appear(0), run_time=1.5)
            self.wait_until_bookmark("bad")
            self.play(FadeIn(dot, scale=2), FadeIn(readout), run_time=0.6)
            self.wait_until_bookmark("every")
            self.play(MoveAlongPath(dot, tour), run_time=3.0, rate_func=linear)
            self.wait_until_bookmark("all")
            readout[1].clear_updaters()
            self.play(FadeOut(dot), FadeOut(readout), run_time=0.4)
            self.play(LaggedStart(*[a for k in range(1, n) for a in appear(k)], lag_ratio=0.08),
                      run_time=min(0.3 * n + 1, 4))
            self.wait_until_bookmark("levels")
            self.play(FadeIn(bar, shift=LEFT * 0.2), run_time=1.0)

        traced = self.get_traced(maps)
        lines = VGroup(*[haloed(m.level_lines[t[0][0]].copy().set_stroke(palette.ACCENT, 3, 1.0))
                         for m, t in zip(maps.maps, traced)])
        with self.voiceover(
            text=f"Look at the lines. <bookmark mark='one'/>Here is one of them: straight. <bookmark mark='every'/>"
                 f"In every one of the {n} maps, the contour lines are straight, <bookmark mark='par'/>"
                 "and parallel to each other."
        ):
            self.wait_until_bookmark("one")
            self.play(Create(lines[0], lag_ratio=0), run_time=1.5)
            self.wait_until_bookmark("every")
            self.play(LaggedStart(*[Create(ln, lag_ratio=0) for ln in lines[1:]], lag_ratio=0.15), run_time=2.0)
            self.wait_until_bookmark("par")
            ghosts = lines.copy().set_stroke(opacity=0.8)
            self.add(ghosts)
            self.play(*[g.animate.shift(m.w2p(maps.x_vector(x) / self.x_length * (t[1][1] - t[0][1]))
                                        - m.w2p(np.zeros(2)))
                        for g, m, x, t in zip(ghosts, maps.maps, maps.X, traced)], run_time=1.8)
            self.play(FadeOut(ghosts), run_time=0.6)

        note = VGroup(caption("arrow on a map: its sample's x", "note"),
                      caption("one length for all", "note", palette.MUTED)).arrange(DOWN, buff=0.08)
        note.next_to(plot.frame, UP, buff=0.25)
        with self.voiceover(
            text="Each sample is a point in the data, so it is also an arrow from the origin. "
                 "<bookmark mark='move'/>Let's draw that arrow on the sample's own map, "
                 "starting where both weights are zero. Only its direction matters here, "
                 "<bookmark mark='same'/>so every arrow gets the same length."
        ):
            self.play(LaggedStart(*[GrowArrow(v) for v in vectors], lag_ratio=0.1), run_time=1.5)
            self.wait_until_bookmark("move")
            true = self.get_true_arrows(maps)  # first as long as x is, then one length for all
            self.play(FadeIn(maps.origins), LaggedStart(*[TransformFromCopy(v, a) for v, a in zip(vectors, true)],
                                                        lag_ratio=0.1), run_time=2.5)
            self.wait_until_bookmark("same")
            self.play(FadeIn(note), *[ReplacementTransform(a, b) for a, b in zip(true, maps.x_arrows)], run_time=2.0)

        x_lines = VGroup(*[maps.x_line(k) for k in range(n)])
        marks = VGroup(*[haloed(right_angle(m.w2p(t[0][1] * x / np.linalg.norm(x)), x, size=0.14), 2.5)
                         for m, x, t in zip(maps.maps, maps.X, traced)])
        with self.voiceover(
            text="Now compare the arrow with the lines. <bookmark mark='line'/>Extend each arrow across its map. "
                 "<bookmark mark='right'/>In every map, the contour lines cross the sample's arrow at a right angle."
        ):
            self.play(VGroup(plot, note).animate.fade(0.7), run_time=1.0)  # the maps are what we compare (fade keeps
            # every opacity in proportion: set_opacity would fill the see-through frame grey)
            self.wait_until_bookmark("line")
            self.play(LaggedStart(*[Create(ln) for ln in x_lines], lag_ratio=0.1), run_time=1.8)
            self.wait_until_bookmark("right")
            self.play(LaggedStart(*[Create(mk, lag_ratio=0) for mk in marks], lag_ratio=0.15), run_time=2.0)
            self.play(LaggedStart(*[Indicate(mk, scale_factor=1.6) for mk in marks], lag_ratio=0.1), run_time=1.5)

        avg = self.get_average_map()
        eq = math(LOSS_BATCH, "=", rf"\frac{{1}}{{{n}}}", r"\sum_{i\in B}", LOSS_SAMPLE, size="body")
        eq.next_to(avg.frame, UP, buff=0.25)
        flyers = VGroup(*[VGroup(m.bands, m.level_lines).copy() for m in maps.maps])
        with self.voiceover(
            text=f"Now average the {n} landscapes, point by point. <bookmark mark='avg'/>"
                 f"This is the result: the loss of a batch made of <bookmark mark='these'/>these {n} samples."
        ):
            self.play(FadeOut(plot), FadeOut(note), run_time=0.8)
            self.play(LaggedStart(*[f.animate.scale(avg.frame.width / f.width).move_to(avg.frame).set_opacity(0.3)
                                    for f in flyers], lag_ratio=0.05), run_time=1.8)
            self.play(FadeIn(avg), FadeOut(flyers), run_time=1.0)
            self.wait_until_bookmark("avg")
            self.play(Write(eq), run_time=1.5)
            self.wait_until_bookmark("these")
            self.play(LaggedStart(*[Indicate(VGroup(m.frame, lab), color=palette.ACCENT, scale_factor=1.05)
                                    for m, lab in zip(maps.maps, maps.labels)], lag_ratio=0.1), run_time=2.0)

        bent = self.get_bent_line(avg)
        with self.voiceover(
            text="Its contour lines are not straight any more. <bookmark mark='bend'/>They bend, "
                 f"and close around a valley. <bookmark mark='curves'/>{n} sets of straight lines, averaged, "
                 "give curves. <bookmark mark='why'/>Why are the single-sample lines straight in the first place? "
                 "That is the next question."
        ):
            self.wait_until_bookmark("bend")
            self.play(Create(bent), run_time=2.5)
            self.wait_until_bookmark("curves")
            self.play(LaggedStart(*[Indicate(ln, color=palette.TEXT, scale_factor=1.0) for ln in lines],
                                  lag_ratio=0.1), run_time=1.8)
            self.play(Indicate(bent, color=palette.TEXT, scale_factor=1.0), run_time=1.2)
            self.wait_until_bookmark("why")
            self.play(LaggedStart(*[Indicate(VGroup(ln, mk), scale_factor=1.1) for ln, mk in zip(lines, marks)],
                                  lag_ratio=0.1), run_time=2.0)
        self.play(FadeOut(VGroup(maps, lines, x_lines, marks, avg, bent, eq, bar)), run_time=1.0)
        self.wait(0.3)
