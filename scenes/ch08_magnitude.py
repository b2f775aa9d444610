"""Chapter 8 - Batch size is the magnitude.

A mini-batch is a random sample of the data, so its landscape is a noisy
estimate of the full one. Two quakes on one clock, batch 10 on the left and
batch 100 on the right, show that the small batch shakes much harder. Then
the magnitude is defined, derived, and measured: simulated dots on the
closed-form curve, on log axes, with the two batch sizes marked.

    manim -pqh scenes/ch08_magnitude.py BatchSizeMagnitude
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Axes, Create, DashedLine, Dot, FadeIn, FadeOut, Flash, Indicate,
    LaggedStart, LogBase, MathTex, TransformMatchingTex, VGroup, VMobject,
    Write, linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap, polylines_to_points
from scenes.kit.motion import Quake
from scenes.kit.text import caption


@lru_cache(maxsize=None)
def magnitude_numbers():
    """``(sizes, measured, theory)`` from quake_math, for the story."""
    X, y = numbers.dataset()
    return qm.story_magnitude_curve(X, y, numbers.story())


@lru_cache(maxsize=None)
def theory_curve(count: int):
    """``(B, M(B))`` of the closed form at ``count`` batch sizes from 1 to N."""
    X, y = numbers.dataset()
    S = numbers.story()
    B = np.geomspace(1, len(X), count)
    return B, qm.magnitude_theory_curve(qm.statistics_grids(X, y, S), B)


class BatchSizeMagnitude(NarratedScene):
    """Two quakes side by side, then the magnitude measured against batch size."""

    map_side = 4.7
    map_x = 3.45  # the two maps sit at x = -map_x and +map_x
    map_y = -0.45
    reference_level_index = 8  # the full landscape's line drawn on both maps (level 2.0)
    plot_size = (7.6, 4.6)
    plot_center = (-2.0, -0.3)
    side_x = 4.55  # the column right of the plot: the ratio and the note on B = N
    log_x = (0, 3)  # batch size from 10^0 to 10^3
    log_y = (-1, 1)  # magnitude from 10^-1 to 10^1
    curve_count = 240
    formula_font = 46

    # -- builders (tests read these without rendering) -------------------------
    def get_side_by_side(self):
        """The two maps with their titles, and the landscapes each one plays."""
        S = numbers.story()
        small, large = S.batch_sizes
        maps, titles, plays, batches = [], [], [], []
        for b, sign, color in ((small, -1, palette.SMALL_BATCH), (large, 1, palette.LARGE_BATCH)):
            bt, Zs = numbers.quake(batch_size=b)
            m = ContourMap(S, Zs[0], side=self.map_side)
            m.move_to(np.array([sign * self.map_x, self.map_y, 0]))
            t = caption(f"batch size {b}", "heading", color).next_to(m.frame, UP, buff=0.25)
            maps.append(m)
            titles.append(t)
            plays.append(np.concatenate([Zs, Zs[:1]]))  # a seamless loop
            batches.append(bt)
        return maps, titles, plays, batches

    def get_reference_line(self, cmap: ContourMap) -> VMobject:
        """One level line of the full-data landscape, drawn on ``cmap``."""
        S = numbers.story()
        level = S.levels[self.reference_level_index]
        (lv, lines), = qm.contour_lines(cmap.crop(numbers.full_landscape()), S, levels=[level],
                                        axes=cmap.grid_axes)
        line = VMobject(stroke_color=palette.TEXT, stroke_width=3.5, fill_opacity=0)
        line.points = polylines_to_points(lines, cmap.w2p)
        line.level = lv
        return line

    def get_plot(self):
        """Log-log axes with the measured dots, the closed-form curve and the
        two side-by-side batch sizes marked."""
        S = numbers.story()
        sizes, measured, theory = magnitude_numbers()
        N = S.n_samples
        w, h = self.plot_size
        axes = Axes(
            x_range=[self.log_x[0], self.log_x[1], 1], y_range=[self.log_y[0], self.log_y[1], 1],
            x_length=w, y_length=h, tips=False,
            axis_config={"color": palette.MUTED, "stroke_width": 2, "include_ticks": True},
            x_axis_config={"scaling": LogBase()}, y_axis_config={"scaling": LogBase()},
        ).move_to(np.array([*self.plot_center, 0]))
        ticks = VGroup()
        for k in range(self.log_x[0], self.log_x[1] + 1):
            t = caption(f"{10 ** k:g}", "label", palette.MUTED).next_to(axes.c2p(10.0 ** k, 10.0 ** self.log_y[0]),
                                                                  DOWN, buff=0.15)
            ticks.add(t)
        for k in range(self.log_y[0], self.log_y[1] + 1):
            t = caption(f"{10.0 ** k:g}", "label", palette.MUTED).next_to(axes.c2p(1.0, 10.0 ** k), LEFT, buff=0.15)
            ticks.add(t)
        xl = caption("batch size B", "note").next_to(axes.x_axis, DOWN, buff=0.55)
        yl = caption("magnitude", "note").rotate(np.pi / 2).next_to(axes.y_axis, LEFT, buff=0.6)
        # simulated dots: every measured size below N (the magnitude at N is 0)
        keep = sizes < N
        dots = VGroup(*[
            Dot(axes.c2p(float(b), float(m)), radius=0.07, color=palette.ACCENT)
            for b, m in zip(sizes[keep], measured[keep])
        ])
        dots.values = np.column_stack([sizes[keep], measured[keep]])
        # the closed form, as far down as the axes reach
        B, M = theory_curve(self.curve_count)
        inside = M >= 10.0 ** self.log_y[0]
        curve = VMobject(stroke_color=palette.TEXT, stroke_width=3, fill_opacity=0)
        curve.set_points_smoothly(axes.c2p(np.column_stack([B[inside], M[inside]])))
        curve.values = np.column_stack([B[inside], M[inside]])
        # the two batch sizes of the side-by-side
        marks = VGroup()
        for b, color in zip(S.batch_sizes, (palette.SMALL_BATCH, palette.LARGE_BATCH)):
            m = float(measured[list(sizes).index(b)])
            line = DashedLine(axes.c2p(float(b), 10.0 ** self.log_y[0]), axes.c2p(float(b), m),
                              color=color, stroke_width=2.5, dash_length=0.08)
            big = Dot(axes.c2p(float(b), m), radius=0.11, color=color)
            lab = caption(f"B = {b}", "label", color).next_to(big, UR, buff=0.08)
            g = VGroup(line, big, lab)
            g.batch_size, g.value = b, m
            marks.add(g)
        legend = VGroup(
            VGroup(Dot(radius=0.07, color=palette.ACCENT),
                   caption(f"measured ({S.magnitude_batches} batches each)", "label")).arrange(RIGHT, buff=0.15),
            VGroup(VMobject(stroke_color=palette.TEXT, stroke_width=3).set_points_as_corners(
                [LEFT * 0.2, RIGHT * 0.2]), caption("closed form", "label")).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        legend.next_to(axes.c2p(10.0 ** self.log_x[1], 10.0 ** self.log_y[1]), DOWN + LEFT, buff=0.1)
        plot = VGroup(axes, ticks, xl, yl, curve, dots, marks, legend)
        plot.axes, plot.ticks, plot.labels = axes, ticks, VGroup(xl, yl)
        plot.curve, plot.dots, plot.marks, plot.legend = curve, dots, marks, legend
        return plot

    def get_ratio(self):
        """The measured ratio of the two magnitudes (and the closed form's)."""
        S = numbers.story()
        sizes, measured, theory = magnitude_numbers()
        small, large = S.batch_sizes
        r = qm.magnitude_ratio(sizes, measured, small, large)
        rt = qm.magnitude_ratio(sizes, theory, small, large)
        head = MathTex(rf"\frac{{M({small})}}{{M({large})}}", font_size=40, color=palette.TEXT)
        value = MathTex(rf"= {r:.1f}", font_size=40, color=palette.ACCENT)
        top = VGroup(head, value).arrange(RIGHT, buff=0.15)
        note = caption(f"closed form: {rt:.1f}", "label", palette.MUTED).next_to(top, DOWN, buff=0.15)
        g = VGroup(top, note)
        g.measured, g.theory = r, rt
        g.text = f"{r:.1f}"
        return g

    def get_zero_note(self):
        S = numbers.story()
        sizes, measured, theory = magnitude_numbers()
        N = S.n_samples
        return VGroup(
            caption(f"B = {N}, all the data:", "label", palette.MUTED),
            caption(f"magnitude {theory[list(sizes).index(N)]:g}", "label", palette.MUTED)
            if N in list(sizes) else caption("magnitude 0", "label", palette.MUTED),
            caption("(no place for 0 on a log scale)", "tick", palette.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)

    def get_formulas(self):
        """The derivation, one MathTex per step; consecutive steps share parts,
        so TransformMatchingTex carries them over."""
        kw = {"font_size": self.formula_font, "color": palette.TEXT}
        gap = MathTex(r"\text{gap}(w)", "=", "L_B(w)", "-", "L(w)", **kw)
        mag2 = MathTex("M(B)^2", "=", r"\text{mean}", r"\big(", "L_B(w)", "-", "L(w)", r"\big)^2", **kw)
        var = MathTex(r"\text{Var}", r"\big[", "L_B(w)", r"\big]", "=", r"\frac{s^2(w)}{B}", **kw)
        fpc = MathTex(r"\text{Var}", r"\big[", "L_B(w)", r"\big]", "=", r"\frac{s^2(w)}{B}", r"\cdot",
                      r"\frac{N-B}{N-1}", **kw)
        m2 = MathTex("M(B)^2", "=", r"\frac{\text{mean}\ s^2(w)}{B}", r"\cdot", r"\frac{N-B}{N-1}", **kw)
        law = MathTex("M(B)", "=", r"\sqrt{\text{mean}\ s^2(w)}", r"\cdot", r"\frac{1}{\sqrt{B}}", r"\cdot",
                      r"\sqrt{\frac{N-B}{N-1}}", **kw)
        return gap, mag2, var, fpc, m2, law

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        small, large = S.batch_sizes
        N = S.n_samples
        sizes, measured, theory = magnitude_numbers()

        title = caption("Batch size is the magnitude", "title").to_edge(UP, buff=0.3)
        maps, titles, plays, _ = self.get_side_by_side()
        left, right = maps
        refs = VGroup(*[self.get_reference_line(m) for m in maps])

        # -- 1. two quakes on one clock --------------------------------------
        with self.voiceover(
            text="A mini-batch is a small random sample of the data. Its landscape is a guess at the "
                 "full landscape, and a small sample makes a noisy guess."
        ) as tracker:
            self.play(FadeIn(title), run_time=0.8)
            self.play(FadeIn(left), FadeIn(right), FadeIn(titles[0]), FadeIn(titles[1]), run_time=1.2)
        with self.voiceover(
            text=f"Here are two quakes on the same clock. On the left, every batch holds {small} samples. "
                 f"On the right, every batch holds {large}."
        ) as tracker:
            self.play(Quake(left, plays[0], run_time=max(tracker.duration, 3)),
                      Quake(right, plays[1], run_time=max(tracker.duration, 3)))
        with self.voiceover(
            text="The white line is one contour of the full landscape, the one every batch is trying to "
                 "match. On the left, the ground swings far away from it. On the right, it barely trembles."
        ) as tracker:
            self.play(Create(refs), run_time=1.2)
            run = max(tracker.get_remaining_duration(), 3)
            self.play(Quake(left, plays[0], run_time=run), Quake(right, plays[1], run_time=run))
        with self.voiceover(text="The batch size sets the strength of the quake. Let's measure it.") as tracker:
            self.play(Indicate(titles[0], color=palette.SMALL_BATCH, scale_factor=1.15))
        self.play(FadeOut(VGroup(left, right, refs, *titles)), run_time=0.8)

        # -- 2. the magnitude, derived ---------------------------------------
        gap, mag2, var, fpc, m2, law = self.get_formulas()
        for f in (gap, mag2):
            f.move_to(UP * 1.4)
        for f in (var, fpc, m2, law):
            f.move_to(DOWN * 0.4)
        with self.voiceover(
            text="At one pair of weights, the gap is the batch's loss minus the full loss."
        ) as tracker:
            self.play(Write(gap), run_time=min(2.0, tracker.duration))
        with self.voiceover(
            text="Square the gap, and average it over the whole map and over many batches. "
                 "Call that the magnitude, squared."
        ) as tracker:
            self.play(TransformMatchingTex(gap, mag2), run_time=1.5)
        with self.voiceover(
            text="At one point, a batch loss is an average of B sample losses. So it varies by the spread "
                 "of the sample losses, called s squared, divided by B."
        ) as tracker:
            self.play(Write(var), run_time=1.5)
        with self.voiceover(
            text=f"But the batches come from a finite set of {N} samples, drawn without putting any back. "
                 "That shrinks the variance a little more: by N minus B, over N minus one."
        ) as tracker:
            self.play(TransformMatchingTex(var, fpc), run_time=1.5)
        with self.voiceover(
            text="The batch losses are right on average, so the squared gap, averaged over batches, is "
                 "exactly this variance. Average it over the map."
        ) as tracker:
            self.play(FadeOut(mag2), TransformMatchingTex(fpc, m2), run_time=1.5)
        with self.voiceover(
            text="Take the square root. The magnitude falls like <bookmark mark='b'/>one over the square "
                 "root of B. And when the batch is the whole data set, <bookmark mark='n'/>it is exactly zero."
        ) as tracker:
            self.play(TransformMatchingTex(m2, law), run_time=1.5)
            self.wait_until_bookmark("b")
            self.play(Indicate(law[4], color=palette.ACCENT))
            self.wait_until_bookmark("n")
            self.play(Indicate(law[6], color=palette.ACCENT))
        self.play(law.animate.scale(0.7).to_corner(UR, buff=0.35), FadeOut(title), run_time=1.0)

        # -- 3. measured dots on the closed-form curve ------------------------
        plot = self.get_plot()
        with self.voiceover(
            text=f"Now we measure. For each batch size, we draw {S.magnitude_batches} batches and measure "
                 "the magnitude over the map. Both axes are on log scales."
        ) as tracker:
            self.play(Create(plot.axes), FadeIn(plot.ticks), FadeIn(plot.labels), run_time=1.5)
            self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in plot.dots], lag_ratio=0.2),
                      FadeIn(plot.legend[0]), run_time=max(tracker.get_remaining_duration(), 1.5))
        with self.voiceover(
            text="Now the formula. The measured dots sit right on its curve: a straight line on these "
                 "scales, bending down at the very end."
        ) as tracker:
            self.play(Create(plot.curve), FadeIn(plot.legend[1]),
                      run_time=max(tracker.get_remaining_duration(), 2), rate_func=linear)
        zero = self.get_zero_note().move_to(np.array([self.side_x, -1.6, 0]))
        with self.voiceover(
            text=f"At {N}, all of the data, there is no quake at all. The magnitude is zero, "
                 "and zero has no place on a log scale."
        ) as tracker:
            self.play(FadeIn(zero), run_time=1.0)

        ratio = self.get_ratio().move_to(np.array([self.side_x, 0.6, 0]))
        with self.voiceover(
            text=f"Here are our two batch sizes, {small} and {large}. <bookmark mark='r'/>"
                 f"Batch {small} quakes {ratio.text} times harder than batch {large}: a bit more than "
                 "the square root of ten, because the data are finite."
        ) as tracker:
            self.play(LaggedStart(*[FadeIn(m) for m in plot.marks], lag_ratio=0.5), run_time=1.5)
            self.wait_until_bookmark("r")
            self.play(FadeIn(ratio), run_time=1.0)
            self.play(Flash(plot.marks[0][1], color=palette.SMALL_BATCH))
        self.wait(0.5)
        self.play(FadeOut(VGroup(plot, zero, ratio, law)), run_time=1.0)
        self.wait(0.3)
