"""Chapter 3 - Earthquakes on a map.

The landscape seen from above as a contour map. With mini-batches the map
quakes from batch to batch. Training on it alternates two moves: a step
downhill on the frozen map of the current batch, then a batch change that
morphs the map while the weights stay put. After a while the path is
visibly noisy; full-batch gradient descent walks beside it for comparison.

Every weight, arrow and map comes from one quake_math SGD trajectory and its
recorded batches, so the arrow on screen is the step down the map on screen.

    manim -pqh scenes/ch03_map.py QuakeMap
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    AnimationGroup, Circle, Circumscribe, DOWN, LEFT, ORIGIN, RIGHT, UP, Create, FadeIn, FadeOut, GrowArrow, Indicate, Line,
    MathTex, Mobject, TransformMatchingTex, UpdateFromAlphaFunc, VGroup, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ColorBar, ContourMap, fit_window
from scenes.kit.motion import PathTrace, Quake, StepArrow, quake_run_time, weight_dot
from scenes.kit.text import caption


class QuakeMap(NarratedScene):
    """The quaking contour map, and mini-batch training walking on it."""

    # layout
    map_side = 6.6  # the map's longer edge
    map_center = LEFT * 2.9 + UP * 0.25
    window_margin = 1.0  # weight units around the paths
    bar_height = 5.0
    bar_gap = 0.45  # between the map and the colour bar
    column_left = 1.85  # x of the text column's left edge
    column_width = 5.05
    path_width = 4
    heading_size = 30
    note_size = 24
    dot_radius = 0.07
    arrow_outline = 4
    # pacing
    slow_steps = 3  # iterations shown slowly, with words
    cut_hold = 0.55  # seconds on each batch in the "instant change" demo
    cuts = 5
    fast_arrow_time = 0.2
    fast_move_time = 0.25
    final_pace = 0.5  # the fast steps speed up to this fraction of their first duration

    # -- numbers (all from quake_math) -------------------------------------
    @cached_property
    def sgd(self) -> qm.Trajectory:
        X, y = numbers.dataset()
        return qm.sgd(X, y, numbers.story())

    @cached_property
    def gd(self) -> qm.Trajectory:
        X, y = numbers.dataset()
        return qm.gradient_descent(X, y, numbers.story())

    def get_batch(self, k: int) -> np.ndarray:
        """The samples of training step k."""
        return self.sgd.batches[k]

    def get_landscape(self, k: int) -> np.ndarray:
        """The landscape of training step k: the mean of its batch's per-sample grids."""
        return qm.mean_landscape(numbers.sample_grids(), self.get_batch(k))

    def get_window(self):
        return fit_window(numbers.story(), self.sgd.weights, self.gd.weights, margin=self.window_margin)

    # -- builders ---------------------------------------------------------------
    def get_map(self, Z=None) -> ContourMap:
        Z = numbers.full_landscape() if Z is None else Z
        m = ContourMap(numbers.story(), Z, side=self.map_side, window=self.get_window())
        return m.shift(self.map_center - m.frame.get_center())

    def get_color_bar(self, m: ContourMap) -> ColorBar:
        bar = ColorBar(numbers.story(), height=self.bar_height)
        return bar.next_to(m.frame, RIGHT, buff=self.bar_gap)

    def get_step_arrow(self, m: ContourMap, k: int) -> StepArrow:
        """Step k: from weights[k], minus the learning rate times the gradient."""
        tr = self.sgd
        arrow = StepArrow(m.w2p, tr.weights[k], -tr.learning_rate * tr.velocities[k])
        # a dark outline keeps the white arrow readable on the pale high ground
        return arrow.set_background_stroke(color=palette.BACKGROUND, width=self.arrow_outline)

    def get_sgd_path(self, m: ContourMap, steps: int | None = None) -> PathTrace:
        """The mini-batch path after ``steps`` steps (all of them by default)."""
        steps = self.sgd.steps if steps is None else steps
        return PathTrace(m.w2p, self.sgd.weights[: steps + 1], color=palette.SGD_COLOR,
                         stroke_width=self.path_width, background_stroke_color=palette.BACKGROUND,
                         background_stroke_width=self.path_width + 3)

    def get_gd_path(self, m: ContourMap) -> PathTrace:
        return PathTrace(m.w2p, self.gd.weights, color=palette.GD_COLOR, stroke_width=self.path_width,
                         background_stroke_color=palette.BACKGROUND, background_stroke_width=self.path_width + 3)

    def get_dot(self, m: ContourMap, w, color=palette.ACCENT):
        dot = weight_dot(m.w2p, w, color=color, radius=self.dot_radius)
        return dot.set_stroke(palette.BACKGROUND, width=2)

    def get_counter(self, k: int) -> Mobject:
        """'step k+1 of T' (people count steps from 1)."""
        return caption(f"step {k + 1} of {self.sgd.steps}", "body", palette.MUTED)

    # -- layout helpers ---------------------------------------------------------
    def in_column(self, mob: Mobject, y: float) -> Mobject:
        """Place a mobject in the text column, left-aligned, its top at height y."""
        if mob.width > self.column_width:
            mob.scale_to_fit_width(self.column_width)
        return mob.move_to(np.array([self.column_left + mob.width / 2, y - mob.height / 2, 0]))

    def heading(self, title: str, sub: str | None = None) -> VGroup:
        head = VGroup(caption(title, self.heading_size))
        if sub:
            head.add(caption(sub, self.note_size, palette.MUTED))
        head.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return self.in_column(head, 3.6)

    def swap_heading(self, old: VGroup | None, new: VGroup, run_time: float = 0.8) -> None:
        anims = [FadeIn(new, shift=0.1 * DOWN)]
        if old is not None:
            anims.append(FadeOut(old))
        self.play(*anims, run_time=run_time)

    # -- animations -------------------------------------------------------------
    def walk_step(self, m: ContourMap, k: int, dot, path: PathTrace, **kwargs) -> UpdateFromAlphaFunc:
        """The dot slides from weights[k] to weights[k+1] and the path follows."""
        w = self.sgd.weights

        def update(_, alpha):
            here = w[k] + smooth(alpha) * (w[k + 1] - w[k])
            dot.move_to(m.w2p(here))
            path.set_weights(np.vstack([w[: k + 1], here]))

        return UpdateFromAlphaFunc(VGroup(path, dot), update, rate_func=linear, **kwargs)

    def batch_change(self, m: ContourMap, k: int, run_time: float):
        """Step k's map morphs into step k+1's through the interpolated grids."""
        return Quake(m, np.stack([self.get_landscape(k), self.get_landscape(k + 1)]), run_time=run_time)

    # -- the scene ---------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        full = numbers.full_landscape()
        m = self.get_map(full)
        bar = self.get_color_bar(m)

        # -- 1. the map -----------------------------------------------------------
        head = self.heading("Seen from above", f"all {S.n_samples} samples")
        with self.voiceover(
            text="Here is the same full-data landscape, now seen from straight above, like a map. "
                 "Each colour is a band of loss values, <bookmark mark='bar'/>and this bar reads the colours."
        ):
            self.play(FadeIn(m), run_time=1.2)
            self.swap_heading(None, head)
            self.wait_until_bookmark("bar")
            self.play(FadeIn(bar, shift=0.2 * LEFT), run_time=0.8)
        with self.voiceover(
            text="The steps between colours are small where the loss is low, "
                 "and larger on the high ground. So the valley shows fine detail."
        ):
            # the fine bands: the cells of the narrowest level step
            widths = np.array([hi - lo for lo, hi in qm.band_edges(S)])
            fine = VGroup(*[c for c, w in zip(bar.cells, widths) if w <= widths.min() + 1e-9])
            self.play(Indicate(fine, color=palette.ACCENT, scale_factor=1.0), run_time=1.5)

        # -- 2. the map quakes ------------------------------------------------------
        _, Zq = numbers.quake()
        quake = np.concatenate([full[None], Zq])
        head2 = self.heading(f"Mini-batches of {S.quake_batch_size}", "one map per batch")
        with self.voiceover(
            text=f"Now switch to mini-batches of {S.quake_batch_size} samples. "
                 "Every batch draws its own map, so from one batch to the next, the map quakes."
        ) as tracker:
            self.swap_heading(head, head2)
            self.play(Quake(m, quake[: len(quake) // 2 + 1], story=S,
                            run_time=max(tracker.get_remaining_duration(), 2)))
        with self.voiceover(
            text="The valley stays roughly in place. But its shape, and its depth, keep changing."
        ) as tracker:
            self.play(Quake(m, quake[len(quake) // 2:], story=S, run_time=max(tracker.duration, 2)))

        # -- 3. honesty: the real change is instant ---------------------------------
        head3 = self.heading("Batches switch at once", "the morph is for the eye")
        cut_to = Zq[: self.cuts]
        with self.voiceover(
            text="One honest remark. In real training, nothing morphs. When the next batch arrives, "
                 "the loss function changes all at once, <bookmark mark='jump'/>like this."
        ):
            self.swap_heading(head2, head3)
            self.wait_until_bookmark("jump")
            for Z in cut_to:
                m.set_landscape(Z)  # a hard cut: no in-between grids
                self.wait(self.cut_hold)
        with self.voiceover(
            text="The smooth morph is only there to help our eyes follow. "
                 "And the more two batch losses differ, the bigger the shake between them."
        ) as tracker:
            self.play(Quake(m, np.stack([cut_to[-1], cut_to[0], cut_to[-1]]), story=S,
                            run_time=max(tracker.duration, 2)))

        # -- 4. training on the shaking map ------------------------------------------
        tr = self.sgd
        head4 = self.heading("Training on the quake", f"batches of {S.train_batch_size}, "
                                                      f"learning rate {tr.learning_rate:g}")
        counter_row = self.get_counter(0)
        self.in_column(counter_row, head4.get_bottom()[1] - 0.45)
        phase1 = caption("1. step on the frozen map", "note", palette.MUTED)
        phase2 = caption("2. new batch, new map", "note", palette.MUTED)
        phases = VGroup(phase1, phase2).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.in_column(phases, counter_row.get_bottom()[1] - 0.35)
        rule_a = MathTex(r"-\eta", r"\,\nabla L_{\text{batch}}(w)", font_size=38, color=palette.TEXT)
        rule_b = MathTex(r"w", r"\;\leftarrow\;", r"w", r"-\eta", r"\,\nabla L_{\text{batch}}(w)",
                         font_size=38, color=palette.TEXT)
        for rule in (rule_a, rule_b):
            self.in_column(rule, phases.get_bottom()[1] - 0.45)

        dot = self.get_dot(m, tr.weights[0])
        path = self.get_sgd_path(m, 0)

        def set_counter(k: int) -> None:
            counter_row.become(self.in_column(self.get_counter(k), counter_row.get_top()[1]))

        def show_phase(n: int) -> None:
            phase1.set_color(palette.ACCENT if n == 1 else palette.MUTED)
            phase2.set_color(palette.ACCENT if n == 2 else palette.MUTED)

        with self.voiceover(
            text="Now let's train on this shaking map. "
                 f"We take batches of {S.train_batch_size}, <bookmark mark='dot'/>and start the weights here."
        ):
            self.swap_heading(head3, head4)
            self.play(Quake(m, np.stack([cut_to[-1], self.get_landscape(0)]), run_time=1.0))
            self.wait_until_bookmark("dot")
            self.add(path)
            self.play(FadeIn(dot, scale=2.5), FadeIn(counter_row), FadeIn(phases), run_time=0.8)

        # step 1, slowly: the frozen map, the arrow, the step; then the batch change
        arrow = self.get_step_arrow(m, 0)
        with self.voiceover(
            text="Training alternates two moves. First, <bookmark mark='freeze'/>freeze the map. "
                 "<bookmark mark='arrow'/>At the dot, this arrow points straight downhill on this batch's map. "
                 "It is the gradient of the batch loss, turned around and scaled by the learning rate. "
                 "Up here the ground is almost flat, so this first step is short. "
                 "<bookmark mark='move'/>The weights take that step."
        ):
            self.wait_until_bookmark("freeze")
            show_phase(1)
            self.play(Indicate(phase1, color=palette.ACCENT, scale_factor=1.05), run_time=0.6)
            self.wait_until_bookmark("arrow")
            self.play(GrowArrow(arrow), FadeIn(rule_a), run_time=0.8)
            self.play(Circumscribe(VGroup(dot, arrow), Circle, color=palette.BACKGROUND, buff=0.12), run_time=1.2)
            self.wait_until_bookmark("move")
            self.play(TransformMatchingTex(rule_a, rule_b), run_time=0.8)
            self.play(self.walk_step(m, 0, dot, path), run_time=1.0)
        with self.voiceover(
            text="Second, <bookmark mark='batch'/>the next batch arrives. "
                 "The map changes under the dot, but the dot stays where it is."
        ) as tracker:
            self.wait_until_bookmark("batch")
            show_phase(2)
            t = max(tracker.get_remaining_duration(), 1.5)
            self.play(FadeOut(arrow), self.batch_change(m, 0, run_time=t), run_time=t)

        words = [
            "Again. A step downhill on the frozen map, <bookmark mark='move'/>"
            "then a new batch, <bookmark mark='batch'/>and a new map.",
            "Step, <bookmark mark='move'/>and new batch. <bookmark mark='batch'/>",
        ]
        for k in range(1, self.slow_steps):
            arrow = self.get_step_arrow(m, k)
            with self.voiceover(text=words[min(k - 1, len(words) - 1)]):
                show_phase(1)
                set_counter(k)
                self.play(GrowArrow(arrow), run_time=0.6)
                self.wait_until_bookmark("move")
                self.play(self.walk_step(m, k, dot, path), run_time=0.8)
                self.wait_until_bookmark("batch")
                show_phase(2)
                self.play(FadeOut(arrow), self.batch_change(m, k, run_time=1.0), run_time=1.0)

        # the rest, fast: the path piles up
        show_phase(0)
        morph_time = quake_run_time(S, 1)
        with self.voiceover(
            text="Let's speed up. Every step goes downhill, but downhill on a different map each time. "
                 "So the path wobbles and zigzags. "
                 "Still, on average it heads for the valley, and it ends up wandering around the bottom."
        ):
            self.play(FadeOut(rule_b), FadeOut(phases), run_time=0.5)
            fast = range(self.slow_steps, tr.steps)
            for k, pace in zip(fast, np.linspace(1.0, self.final_pace, len(fast))):
                arrow = self.get_step_arrow(m, k)
                set_counter(k)
                self.play(GrowArrow(arrow), run_time=self.fast_arrow_time * pace)
                self.play(self.walk_step(m, k, dot, path), run_time=self.fast_move_time * pace)
                t = morph_time * pace
                if k + 1 < tr.steps:
                    self.play(FadeOut(arrow), self.batch_change(m, k, run_time=t), run_time=t)
                else:
                    self.play(FadeOut(arrow), run_time=t)

        # -- 5. full-batch gradient descent beside it --------------------------------
        gd_path = self.get_gd_path(m)
        gd_dot = self.get_dot(m, self.gd.weights[-1], color=palette.GD_COLOR)
        head5 = self.heading("Two paths, one start", "same start and learning rate")
        legend = VGroup(
            VGroup(Line(ORIGIN, RIGHT * 0.6, color=palette.SGD_COLOR, stroke_width=6),
                   caption(f"mini-batches of {S.train_batch_size}", "note")).arrange(RIGHT, buff=0.2),
            VGroup(Line(ORIGIN, RIGHT * 0.6, color=palette.GD_COLOR, stroke_width=6),
                   caption(f"full batch, all {S.n_samples}", "note")).arrange(RIGHT, buff=0.2),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        self.in_column(legend, head5.get_bottom()[1] - 0.6)
        with self.voiceover(
            text="For comparison, here is full-batch gradient descent, from the same start, "
                 "walking on the one still landscape of all the data."
        ) as tracker:
            self.play(FadeOut(counter_row), self.swap_heading_anims(head4, head5),
                      Quake(m, np.stack([self.get_landscape(tr.steps - 1), full]), run_time=1.0))
            self.play(FadeIn(legend), run_time=0.6)
            self.play(Create(gd_path), run_time=max(tracker.get_remaining_duration(), 2), rate_func=linear)
            self.play(FadeIn(gd_dot, scale=2), run_time=0.4)
        with self.voiceover(
            text="Its path is smooth. <bookmark mark='sgd'/>The mini-batch path is noisy, "
                 "because each of its steps was taken on a different landscape. "
                 "Yet both reach the same valley."
        ):
            self.wait_until_bookmark("sgd")
            self.play(Indicate(path, color=palette.ACCENT, scale_factor=1.0), run_time=1.5)
        self.wait(0.5)
        self.play(*[FadeOut(mob) for mob in (m, bar, head5, legend, path, dot, gd_path, gd_dot)])
        self.wait(0.3)

    def swap_heading_anims(self, old: VGroup, new: VGroup):
        return AnimationGroup(FadeOut(old), FadeIn(new, shift=0.1 * DOWN))
