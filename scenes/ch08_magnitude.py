"""Chapter 8 - Batch size is the magnitude.

A mini-batch is a random sample of the data, so its landscape is a noisy
guess at the full one: the samples of one batch light up in the data while
its map quakes beside the still full landscape. Two quakes on one clock,
batch 10 on the left and batch 100 on the right, each with its own line at
one height beside the full landscape's line, show the small batch swinging
far more. Then the gap L_B - L is drawn as a map for both batch sizes while
the magnitude is defined and derived, term by term, and finally measured:
simulated dots on the closed-form curve, on log axes, with N marked.

    manim -pqh scenes/ch08_magnitude.py BatchSizeMagnitude
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Arrow, Circumscribe, Create, FadeIn, FadeOut, Flash, Group, Indicate, LaggedStart,
    FadeTransform, ReplacementTransform, ShowPassingFlash, VGroup, VMobject, Write, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.batch_views import GapBar, GapPanel, LightBatches, gap_grids, nearest_level, symmetric_limit
from scenes.kit.contour_map import ColorBar, ContourMap, polylines_to_points
from scenes.kit.magnitude_plot import MagnitudePlot
from scenes.kit.motion import Quake
from scenes.kit.quake_clock import QuakeLoop, QuakeUpdater, SpeechTime
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import LOSS_BATCH, LOSS_FULL, caption, math


@lru_cache(maxsize=None)
def magnitude_numbers(curve_count: int = 240):
    """``(sizes, measured, theory)`` from quake_math at the story's magnitude
    batch sizes, and ``(B, M(B))`` of the closed form at ``curve_count`` sizes from 1 to N."""
    X, y = numbers.dataset()
    S = numbers.story()
    B = np.geomspace(1, len(X), curve_count)
    return (*qm.story_magnitude_curve(X, y, S), B, qm.magnitude_theory_curve(qm.statistics_grids(X, y, S), B))


# The derivation's equations as MathTex parts: consecutive states share parts,
# so TexStep moves the shared terms to their new places.
G, F = LOSS_BATCH, LOSS_FULL
MEAN_B = r"\underset{\text{batches}}{\mathrm{mean}}"
MEAN_W = r"\underset{\mathbf{w}}{\mathrm{mean}}"
SQ = [r"\Big[", r"\big(", G, "-", F, r"\big)^2", r"\Big]"]
STATES = {
    "gap": [r"\text{gap}", "=", G, "-", F],
    "square": [r"\big(", G, "-", F, r"\big)^2"],
    "batches": [MEAN_B, *SQ],
    "map": [MEAN_W, MEAN_B, *SQ],
    "named": ["M(B)^2", "=", MEAN_W, MEAN_B, *SQ],
    "var": ["M(B)^2", "=", MEAN_W, r"\mathrm{Var}\big[", G, r"\big]"],
    "put": ["M(B)^2", "=", MEAN_W, r"\frac{s^2(\mathbf{w})}{B}", r"\cdot", r"\frac{N-B}{N-1}"],
    "law": ["M(B)", "=", r"\sqrt{" + MEAN_W + r"\, s^2(\mathbf{w})}", r"\cdot", r"\frac{1}{\sqrt{B}}", r"\cdot",
            r"\sqrt{\frac{N-B}{N-1}}"],
    "spread": [r"\mathrm{Var}\big[", G, r"\big]", "=", r"\frac{s^2(\mathbf{w})}{B}"],
}
STATES["finite"] = STATES["spread"] + [r"\cdot", r"\frac{N-B}{N-1}"]


class BatchSizeMagnitude(SpeechTime, NarratedScene):
    """Two quakes side by side, the gap and its magnitude derived, then measured against batch size."""

    map_side = 4.6
    map_centers = ((-3.55, -0.45), (2.55, -0.45))  # left (small batch) and right (large batch)
    bar_x = 6.05  # the colour bar (and, first, the data) right of the maps
    cloud_scale = 0.55  # the data, once the full landscape takes its place
    reference_loss = 2.0  # the height of the lines drawn on both maps: the story level nearest to it
    line_width = 4.0
    quake_pace = 0.5  # seconds per batch change in the side-by-side
    gap_side = 2.5
    gap_centers = ((-4.3, 1.05), (1.2, 1.05))
    gap_bar_x = 5.7
    gap_pace = 0.9  # seconds per batch change on the gap maps
    line_y = (-1.55, -2.95)  # the two lines of the derivation
    plot_size = (7.6, 4.6)
    plot_center = (-2.0, -0.3)
    side_x = 4.55  # the column right of the plot: the ratio and the note on B = N
    curve_count = 240

    # -- builders (tests read these without rendering) -------------------------
    def get_side_by_side(self):
        """The two maps with their titles, and the landscapes each one plays."""
        S = numbers.story()
        maps, titles, plays, batches = [], [], [], []
        for b, (x, y), color in zip(S.batch_sizes, self.map_centers, (palette.SMALL_BATCH, palette.LARGE_BATCH)):
            bt, Zs = numbers.quake(batch_size=b)
            m = ContourMap(S, Zs[0], side=self.map_side)
            m.shift(np.array([x, y, 0]) - m.frame.get_center())
            maps.append(m)
            titles.append(caption(f"batch size {b}", "heading", color).next_to(m.frame, UP, buff=0.25))
            plays.append(np.concatenate([Zs, Zs[:1]]))  # a seamless loop
            batches.append(list(bt) + [bt[0]])
        return maps, titles, plays, batches

    def get_intro(self, maps):
        """The data (first large, where the right map will be; then small, at
        the right edge), its labels, and the titles of the intro's two maps."""
        X, y = numbers.dataset()
        S = numbers.story()
        cloud = SampleCloud(X, y, width=2.6, max_height=4.0, legend=False)
        cloud.move_to(maps[1].frame.get_center())
        data_title = caption(f"the {S.n_samples} samples", "note", palette.MUTED).next_to(cloud.frame, UP, buff=0.2)
        small_cloud = SampleCloud(X, y, width=2.6 * self.cloud_scale, max_height=4.0 * self.cloud_scale,
                                  radius=0.02, lit_radius=0.032, legend=False)
        small_cloud.move_to(np.array([self.bar_x, -0.45, 0]))
        small_title = caption(f"{S.n_samples} samples", "label", palette.MUTED).next_to(small_cloud.frame, UP, buff=0.15)
        small = caption(f"a batch of {S.batch_sizes[0]} samples", "heading", palette.SMALL_BATCH)
        full = caption(f"all {S.n_samples} samples", "heading")
        small.next_to(maps[0].frame, UP, buff=0.25)
        full.next_to(maps[1].frame, UP, buff=0.25)
        return cloud, data_title, small_cloud, small_title, small, full

    def reference_level(self) -> int:
        """Index of the level drawn on both maps: by value, among the story's levels."""
        return nearest_level(numbers.story(), self.reference_loss, numbers.full_landscape())

    def get_reference_line(self, cmap: ContourMap) -> VMobject:
        """The full landscape's level line at the reference level, drawn on ``cmap`` in white."""
        S = numbers.story()
        level = S.levels[self.reference_level()]
        (lv, lines), = qm.contour_lines(cmap.crop(numbers.full_landscape()), S, levels=[level],
                                        axes=cmap.grid_axes)
        line = VMobject(stroke_color=palette.TEXT, stroke_width=self.line_width, fill_opacity=0)
        line.points = polylines_to_points(lines, cmap.w2p)
        line.level = lv
        return line

    def get_batch_line(self, cmap: ContourMap, color):
        """The map's own level line at the reference level (it follows every
        batch), and the same line styled in the panel's colour."""
        own = cmap.level_lines[self.reference_level()]
        lit = own.copy().set_stroke(color, width=self.line_width, opacity=1)
        lit.set_stroke(palette.BACKGROUND, width=self.line_width + 3, background=True)
        return own, lit

    def get_gap_panels(self):
        """For both batch sizes, a gap panel (``L_B - L`` on one colour scale,
        a dot at the story's start, the gap there), and the colour bar."""
        S = numbers.story()
        gaps = [gap_grids(numbers.quake(batch_size=b)[1]) for b in S.batch_sizes]
        limit = symmetric_limit(gaps[0])
        panels = [GapPanel(S, np.concatenate([G, G[:1]]), limit, S.start, f"batch size {b}", color,
                           side=self.gap_side).place(c)
                  for b, G, c, color in zip(S.batch_sizes, gaps, self.gap_centers,
                                            (palette.SMALL_BATCH, palette.LARGE_BATCH))]
        bar = GapBar(limit, height=self.gap_side).move_to(np.array([self.gap_bar_x, self.gap_centers[0][1], 0]))
        return panels, bar

    def get_states(self) -> dict:
        """Every equation of the derivation, placed on its line."""
        return {name: math(*parts, size="heading").move_to(UP * self.line_y[name in ("spread", "finite")])
                for name, parts in STATES.items()}

    def get_plot(self) -> MagnitudePlot:
        S = numbers.story()
        sizes, measured, _, B, M = magnitude_numbers(self.curve_count)
        plot = MagnitudePlot(sizes, measured, B, M, S.n_samples, batches=S.magnitude_batches,
                             marks=zip(S.batch_sizes, (palette.SMALL_BATCH, palette.LARGE_BATCH)),
                             size=self.plot_size)
        return plot.move_to(np.array([*self.plot_center, 0]))

    def get_ratio(self):
        """The measured ratio of the two magnitudes, the closed form's, and the bare square root."""
        small, large = numbers.story().batch_sizes
        sizes, measured, theory, _, _ = magnitude_numbers(self.curve_count)
        r, rt = (qm.magnitude_ratio(sizes, v, small, large) for v in (measured, theory))
        top = VGroup(math(rf"\frac{{M({small})}}{{M({large})}}", size="heading"),
                     math(rf"= {r:.1f}", size="heading", color=palette.ACCENT)).arrange(RIGHT, buff=0.15)
        root = math(rf"> \sqrt{{{large}/{small}}}", size="note", color=palette.MUTED)
        note = caption(f"closed form: {rt:.1f}", "label", palette.MUTED)
        g = VGroup(top, root, note).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        g.measured, g.theory, g.text = r, rt, f"{r:.1f}"
        return g

    def get_zero_note(self, plot: MagnitudePlot):
        """What happens at B = N, beside the plot, with an arrow to the N line."""
        N = numbers.story().n_samples
        note = VGroup(*[caption(w, size, palette.MUTED) for w, size in (
            (f"B = N = {N}: all the data", "label"), ("magnitude 0", "label"),
            ("(no place for 0 on a log scale)", "tick"))]).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        note.move_to(np.array([self.side_x, -1.9, 0]))
        arrow = Arrow(note.get_left() + 0.05 * LEFT, plot.axes.c2p(N, plot.bottom * 1.25), buff=0.1,
                      color=palette.MUTED, stroke_width=2.5, max_tip_length_to_length_ratio=0.12)
        return VGroup(note, arrow)

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        title = caption("Batch size is the magnitude", "title").to_edge(UP, buff=0.3)
        law = self.play_derivation(*self.play_side_by_side(title))
        self.play(law.animate.scale(0.7).to_corner(UR, buff=0.35), FadeOut(title), run_time=1.0)
        self.play_measurement(law)

    def play_side_by_side(self, title):
        S = numbers.story()
        small, large = S.batch_sizes
        maps, titles, plays, batches = self.get_side_by_side()
        left, right = maps
        cloud, data_title, small_cloud, small_data_title, small_title, full_title = self.get_intro(maps)
        right.set_landscape(numbers.full_landscape())
        intro_quake = plays[0][: 1 + S.quake_batches // 2]
        first = batches[0][0]
        everyone = np.arange(S.n_samples)
        with self.voiceover(
            text=f"A mini-batch is a small random sample of the data: <bookmark mark='a'/>here, {small} of the "
                 f"{S.n_samples} samples. <bookmark mark='g'/>Its landscape is a guess at <bookmark mark='b'/>"
                 "the full landscape, and a small sample makes <bookmark mark='c'/>a noisy guess."
        ):
            self.play(FadeIn(title), FadeIn(cloud), FadeIn(data_title), run_time=1.0)
            self.wait_until_bookmark("a")
            self.play(LightBatches(cloud, [first[:k] for k in range(len(first) + 1)],
                                   run_time=max(self.remaining_until("g"), 1.0)))
            self.play(FadeIn(left), FadeIn(small_title), run_time=max(min(self.remaining_until("b"), 1.2), 0.5))
            self.wait_until_bookmark("b")
            small_cloud.light(first)
            self.play(ReplacementTransform(cloud, small_cloud), FadeOut(data_title, rate_func=lambda t: smooth(min(1, 2 * t))),
                      FadeIn(small_data_title, rate_func=lambda t: smooth(max(0.0, 2 * t - 1))), run_time=0.8)
            cloud = small_cloud
            cloud.light(everyone)
            self.play(FadeIn(right), FadeIn(full_title), run_time=0.8)
            self.wait_until_bookmark("c")
            run = max(self.remaining(), 2.5)
            self.play(Quake(left, intro_quake, run_time=run),
                      LightBatches(cloud, batches[0][: len(intro_quake)], run_time=run))
        bar = ColorBar(S, height=self.map_side * 0.9).move_to(np.array([self.bar_x, -0.45, 0]))
        loop = QuakeLoop(maps, plays, pace=self.quake_pace)

        def quake_for(seconds, *also):
            self.play(*loop.next(seconds), *also)

        with self.voiceover(
            text=f"Here are two quakes on the same clock. <bookmark mark='l'/>On the left, every batch holds {small} "
                 f"samples. <bookmark mark='r'/>On the right, every batch holds {large}."
        ):
            self.play(FadeOut(cloud), FadeOut(small_data_title), FadeIn(bar), FadeOut(small_title), FadeIn(titles[0]),
                      Quake(left, np.stack([intro_quake[-1], plays[0][0]]), run_time=1.2),
                      FadeOut(full_title), FadeIn(titles[1]),
                      Quake(right, np.stack([numbers.full_landscape(), plays[1][0]]), run_time=1.2))
            quake_for(self.remaining_until("l"))
            quake_for(self.remaining_until("r"), Indicate(titles[0], color=palette.SMALL_BATCH, scale_factor=1.1))
            quake_for(max(self.remaining(), 2.0), Indicate(titles[1], color=palette.LARGE_BATCH, scale_factor=1.1))
        refs = VGroup(*[self.get_reference_line(m) for m in maps])
        own = [self.get_batch_line(m, c) for m, c in zip(maps, (palette.SMALL_BATCH, palette.LARGE_BATCH))]
        level = S.levels[self.reference_level()]
        with self.voiceover(
            text=f"The white line is where the full landscape has height {level:g}: the line every batch should "
                 f"match. <bookmark mark='own'/>Each batch draws its own line at height {level:g}, in colour. "
                 "<bookmark mark='go'/>On the left, the red line swings far away from the white one. "
                 "<bookmark mark='r'/>On the right, the blue line barely trembles around it."
        ):
            quake_for(self.remaining_until("own"), Create(refs, run_time=1.5))
            for line, lit in own:
                line.match_style(lit)  # the map's own line takes the colour and follows the batches
            self.bring_to_front(refs)
            quake_for(self.remaining_until("go"),
                      *[ShowPassingFlash(lit.copy().set_stroke(width=self.line_width * 2), time_width=0.6, run_time=1.5)
                        for _, lit in own])
            quake_for(self.remaining_until("r"), Indicate(titles[0], color=palette.SMALL_BATCH, scale_factor=1.1))
            quake_for(self.remaining(), Indicate(titles[1], color=palette.LARGE_BATCH, scale_factor=1.1))
        with self.voiceover(text="The batch size sets the strength of the quake. Let's measure it."):
            quake_for(max(self.remaining(), 2.0))
        return maps, VGroup(refs, bar, *titles), loop.position % loop.changes


    def play_derivation(self, maps, rest, shown: int):
        """From the batches' maps (showing batch ``shown``) to their gaps, and the derivation beneath."""
        N = numbers.story().n_samples
        panels, bar = self.get_gap_panels()
        st = self.get_states()
        quake = QuakeUpdater(panels[0].map, panels, [p.gaps for p in panels], pace=self.gap_pace)
        quake.time = shown * self.gap_pace  # the gaps start at the batch the maps show
        for p in panels:
            p.set_between(p.gaps[shown], p.gaps[shown + 1], 0.0)
        with self.voiceover(
            text="Take one batch, and subtract the full landscape from the batch's landscape, <bookmark mark='s'/>"
                 "point by point. <bookmark mark='gap'/>That difference is the gap. <bookmark mark='hi'/>It is "
                 "orange where the batch's ground is higher, <bookmark mark='lo'/>and teal where it is lower."
        ):
            self.play(FadeOut(rest), run_time=0.8)
            self.wait_until_bookmark("s")
            self.play(*[FadeTransform(m, p.map) for m, p in zip(maps, panels)], FadeIn(bar),
                      *[FadeIn(p.title) for p in panels], run_time=1.5)
            quake.start()
            self.wait_until_bookmark("gap")
            self.play(Write(st["gap"]), run_time=1.5)
            self.wait_until_bookmark("hi")
            self.play(Indicate(bar.marks[2], color=palette.ACCENT), run_time=0.9)
            self.wait_until_bookmark("lo")
            self.play(Indicate(bar.marks[0], color=palette.ACCENT), run_time=0.9)
        with self.voiceover(
            text="At one pair of weights, marked by the dot, the gap is a single number, "
                 "and it changes with every batch."
        ):
            quake.stop()  # (a fade copies the readouts: hold them still meanwhile)
            self.play(*[FadeIn(Group(p.dot, p.box)) for p in panels], run_time=0.8)
            quake.start()
            self.play(*[Circumscribe(p.box, color=palette.ACCENT, buff=0.08) for p in panels], run_time=1.2)
        with self.voiceover(
            text="Square the gap, so that both signs count. <bookmark mark='b'/>Average it over many batches, "
                 "<bookmark mark='w'/>and over the whole map. <bookmark mark='m'/>Call that the magnitude, squared."
        ):
            self.play(TexStep(st["gap"], st["square"]), run_time=1.5)
            self.wait_until_bookmark("b")
            self.play(TexStep(st["square"], st["batches"]), run_time=1.5)
            self.wait_until_bookmark("w")
            self.play(TexStep(st["batches"], st["map"]),
                      *[Circumscribe(p.map.frame, color=palette.ACCENT, buff=0.05) for p in panels], run_time=1.5)
            self.wait_until_bookmark("m")
            self.play(TexStep(st["map"], st["named"]), run_time=1.2)
        with self.voiceover(
            text="Now stay at one point. A batch loss is an average of B sample losses. <bookmark mark='s'/>"
                 "So it varies around the full loss by the spread of the sample losses, called s squared, "
                 "<bookmark mark='B'/>divided by B."
        ):
            spread = st["spread"]
            self.play(*[Indicate(p.dot, scale_factor=1.6, color=palette.ACCENT) for p in panels],
                      Write(spread[:4]), run_time=1.5)
            self.wait_until_bookmark("s")
            self.play(FadeIn(spread[4][:5]), run_time=0.8)
            self.wait_until_bookmark("B")
            self.play(FadeIn(spread[4][5:]), run_time=0.8)
            self.remove(spread[:4], spread[4][:5], spread[4][5:]).add(spread)  # whole, for the next step
        with self.voiceover(
            text=f"But the batches come from a finite set of {N} samples, drawn without putting any back. "
                 "<bookmark mark='f'/>That shrinks the variance a little more: by N minus B, over N minus one."
        ):
            self.wait_until_bookmark("f")
            self.play(TexStep(spread, st["finite"]), run_time=1.5)
        finite = st["finite"]
        with self.voiceover(
            text="The batch losses are right on average. <bookmark mark='sq'/>So the squared gap, averaged over "
                 "batches, <bookmark mark='v'/>is exactly this variance."
        ):
            self.wait_until_bookmark("sq")
            self.play(st["named"][3:].animate.set_color(palette.ACCENT), run_time=0.8)
            self.wait_until_bookmark("v")
            self.play(finite[:3].animate.set_color(palette.ACCENT), run_time=0.6)
            self.play(TexStep(st["named"], st["var"], cancel=[3, 4, 5, 7, 8, 9, 10],
                              copies=[(finite[0], 3), (finite[2], 5)]), run_time=2.0)
            finite[:3].set_color(palette.TEXT)
        with self.voiceover(text="Put in the formula, and average over the map."):
            self.play(TexStep(st["var"], st["put"], cancel=[3, 4, 5],
                              copies=[(finite[4], 3), (finite[5], 4), (finite[6], 5)]), run_time=2.0)
            self.play(FadeOut(finite), run_time=0.6)
        law = st["law"]
        with self.voiceover(
            text="Take the square root. The magnitude falls like <bookmark mark='b'/>one over the square "
                 "root of B. And when the batch is the whole data set, <bookmark mark='n'/>it is exactly zero."
        ):
            self.play(TexStep(st["put"], law, pairs=[(0, 0), (1, 1), ((2, 3), (2, 4)), (4, 5), (5, 6)]),
                      run_time=1.8)
            self.wait_until_bookmark("b")
            self.play(Indicate(law[4], color=palette.ACCENT), run_time=1.0)
            self.wait_until_bookmark("n")
            self.play(Indicate(law[6], color=palette.ACCENT), run_time=1.0)
        quake.stop()
        self.play(FadeOut(Group(*panels, bar)), run_time=0.8)
        return law

    def play_measurement(self, law):
        S = numbers.story()
        small, large = S.batch_sizes
        N = S.n_samples
        plot = self.get_plot()
        with self.voiceover(
            text=f"Now we measure. For each batch size, we draw {S.magnitude_batches} batches and measure "
                 "the magnitude over the map. Both axes are on log scales."
        ):
            self.play(Create(plot.axes), FadeIn(plot.ticks), FadeIn(plot.labels), run_time=1.5)
            self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in plot.dots], lag_ratio=0.2),
                      FadeIn(plot.legend[0]), run_time=max(self.remaining(), 1.5))
        with self.voiceover(
            text="Now the formula. The measured dots sit right on its curve: a straight line on these "
                 "scales, bending down at the very end."
        ):
            self.play(Create(plot.curve), FadeIn(plot.legend[1]), run_time=max(self.remaining(), 2), rate_func=linear)
        zero = self.get_zero_note(plot)
        with self.voiceover(
            text=f"<bookmark mark='n'/>At {N}, all of the data, there is no quake at all. <bookmark mark='z'/>"
                 "The magnitude is zero, and zero has no place on a log scale."
        ):
            self.play(Create(plot.n_mark[0]), FadeIn(plot.n_mark[1]), run_time=1.2)
            self.play(ShowPassingFlash(plot.curve.copy().set_stroke(palette.ACCENT, width=7), time_width=0.35),
                      run_time=max(min(self.remaining_until("z"), 2.0), 0.8))
            self.wait_until_bookmark("z")
            self.play(FadeIn(zero[0]), Create(zero[1]), run_time=1.0)
        ratio = self.get_ratio().move_to(np.array([self.side_x, 0.6, 0]))
        with self.voiceover(
            text=f"Here are our two batch sizes, {small} and {large}. <bookmark mark='r'/>"
                 f"Batch {small} quakes {ratio.text} times harder than batch {large}: <bookmark mark='s'/>a bit "
                 f"more than the square root of {large / small:g}, <bookmark mark='f'/>because the data are finite."
        ):
            self.play(LaggedStart(*[FadeIn(m) for m in plot.marks], lag_ratio=0.5), run_time=1.5)
            self.wait_until_bookmark("r")
            self.play(FadeIn(ratio[0]), Flash(plot.marks[0][1], color=palette.SMALL_BATCH), run_time=1.0)
            self.wait_until_bookmark("s")
            self.play(FadeIn(ratio[1], shift=0.1 * DOWN), run_time=0.8)
            self.wait_until_bookmark("f")
            self.play(Indicate(law[6], color=palette.ACCENT), FadeIn(ratio[2]), run_time=1.2)
        self.wait(0.5)
        self.play(FadeOut(VGroup(plot, zero, ratio, law)), run_time=1.0)
