"""Chapter 3 - Earthquakes on a map.

The 3-D landscape, seen from straight above and pressed flat, becomes a
contour map; we zoom into the part of it where training walks. With
mini-batches the map quakes from batch to batch. Training on it alternates
two moves: a step downhill on the frozen map of the current batch (the first
one magnified and built up slowly: gradient, turned around, scaled), then a
batch change that morphs the map while the weights stay put. After a while
the path is visibly noisy; full-batch gradient descent walks beside it.

Every weight, arrow and map comes from one quake_math SGD trajectory and its
recorded batches, so the arrow on screen is the step down the map on screen.

    manim -pqh scenes/ch03_map.py QuakeMap
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    DOWN, LEFT, PI, RIGHT, UP, Create, FadeIn, FadeOut, GrowArrow, GrowFromCenter,
    GrowFromPoint, Indicate, LaggedStart, Rotate, ShowPassingFlash, Transform, TransformMatchingTex,
    UpdateFromAlphaFunc, VGroup, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import Narrated3DScene
from scenes.kit.column import TextColumn
from scenes.kit.contour_map import ColorBar, ContourMap, fit_window
from scenes.kit.map_marks import legend, level_steps, lit_levels, ring
from scenes.kit.map_zoom import MapInset, hand_over, look_down, play_zoom, window_outline
from scenes.kit.motion import Quake, StepArrow, Walker, quake_run_time, quakes
from scenes.kit.text import LOSS_BATCH, W, caption, math
from scenes.kit.view import OVERVIEW, LossStage, set_view


class QuakeMap(Narrated3DScene):
    """From the surface down to the quaking contour map, and mini-batch training walking on it."""

    # layout
    map_side = 6.3  # the map's longer edge
    map_center = LEFT * 2.75 + UP * 0.3
    window_margin = 1.0  # weight units around the paths
    valley_room = 3.0  # weight units kept around the valley floor, so it never sits in a corner
    bar_height = 5.0
    bar_gap = 0.45  # between the map and the colour bar
    column = TextColumn(left=2.05, width=4.75)
    path_width = 4
    dot_radius = 0.07
    arrow_outline = 4
    inset_side = 3.0  # the magnifier of the first step
    inset_spot = (0.27, 0.3)  # its centre, as fractions of the window (the empty lower left)
    inset_room = 1.25  # half the magnified window, in lengths of the longest arrow it shows
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
        """Round limits around both paths and the valley floor with room to spare."""
        floor = numbers.lowest_point(numbers.full_landscape())
        room = np.array([floor - self.valley_room, floor + self.valley_room])
        return fit_window(numbers.story(), self.sgd.weights, self.gd.weights, room, margin=self.window_margin)

    def get_first_step(self):
        """``(w, gradient, step)`` of the first training step, on batch 0's landscape."""
        tr = self.sgd
        return tr.weights[0], tr.velocities[0], -tr.learning_rate * tr.velocities[0]

    def get_flat_levels(self, m: ContourMap, count: int = 2) -> list[int]:
        """Indices of the ``count`` level lines that ``m`` draws nearest to the start (in weights)."""
        w0 = self.sgd.weights[0]
        near = [np.min(np.linalg.norm(segs.reshape(-1, 2) - w0, axis=1)) if len(segs) else np.inf
                for segs in m.lines_in_weights()]
        return sorted(np.argsort(near)[:count].tolist())

    # -- builders ---------------------------------------------------------------
    def get_map(self, Z=None) -> ContourMap:
        Z = numbers.full_landscape() if Z is None else Z
        m = ContourMap(numbers.story(), Z, side=self.map_side, window=self.get_window())
        return m.shift(self.map_center - m.frame.get_center())

    def get_color_bar(self, m: ContourMap) -> ColorBar:
        return ColorBar(numbers.story(), height=self.bar_height).next_to(m.frame, RIGHT, buff=self.bar_gap)

    def get_step_arrow(self, to_screen, k: int) -> StepArrow:
        """Step k: from weights[k], minus the learning rate times the gradient."""
        tr = self.sgd
        arrow = StepArrow(to_screen, tr.weights[k], -tr.learning_rate * tr.velocities[k])
        # a dark outline keeps the white arrow readable on the pale high ground
        return arrow.set_background_stroke(color=palette.BACKGROUND, width=self.arrow_outline)

    def get_gradient_arrow(self, to_screen) -> StepArrow:
        """The first batch's gradient at the start: uphill (before it is turned and scaled)."""
        w, g, _ = self.get_first_step()
        return StepArrow(to_screen, w, g).set_background_stroke(color=palette.BACKGROUND, width=self.arrow_outline)

    def get_inset(self, m: ContourMap, Z) -> MapInset:
        """A magnifier around the first step: room for its gradient and its step."""
        w, g, step = self.get_first_step()
        pts = np.array([w, w + g, w + step])
        half = self.inset_room * max(np.linalg.norm(g), np.linalg.norm(step))
        inset = MapInset(m, Z, (pts.min(axis=0) + pts.max(axis=0)) / 2, half, self.inset_side)
        (lo1, hi1), (lo2, hi2) = m.windows
        fx, fy = self.inset_spot
        return inset.place(m.w2p([lo1 + fx * (hi1 - lo1), lo2 + fy * (hi2 - lo2)]))

    def get_walker(self, to_screen, trajectory: qm.Trajectory, color, dot_color=None, radius=None) -> Walker:
        """A dot and the trace of its path so far (``Walker.place(k, t)`` moves it)."""
        walker = Walker(to_screen, trajectory.weights, color=color, radius=radius or self.dot_radius,
                        stroke_width=self.path_width)
        walker.dot.set_fill(dot_color or color)
        return walker

    def step(self, walker: Walker, k: int, **kwargs) -> UpdateFromAlphaFunc:
        """The walker slides through step k, its trace following."""
        return UpdateFromAlphaFunc(walker.mobjects, lambda _, a: walker.place(k, smooth(a)), rate_func=linear,
                                   **kwargs)

    def batch_change(self, m: ContourMap, k: int, run_time: float):
        """Step k's map morphs into step k+1's through the interpolated grids."""
        return Quake(m, np.stack([self.get_landscape(k), self.get_landscape(k + 1)]), run_time=run_time)

    def counter(self, k: int, like=None):
        """'step k+1 of T' (people count steps from 1), in the column."""
        mob = caption(f"step {k + 1} of {self.sgd.steps}", "body", palette.MUTED)
        return self.column.place(mob, like.get_top()[1]) if like is not None else mob

    # -- the scene ---------------------------------------------------------------
    def construct(self):
        m, bar = self.down_to_the_map()
        self.quake_part(m)
        sgd = self.training_part(m)
        self.comparison_part(m, bar, sgd)

    def down_to_the_map(self):
        """The surface of chapter 2, seen from straight above, pressed flat: a map; then into the window."""
        S, col = numbers.story(), self.column
        full = numbers.full_landscape()
        m = self.get_map(full)
        set_view(self, OVERVIEW)
        stage = LossStage(full).show(self)
        with self.voiceover(
            text="Here is the same landscape of all the data. Let's look at it from straight above, "
                 "<bookmark mark='flat'/>and press it flat. Now only the colours tell the height."
        ) as tracker:
            self.play(FadeIn(stage.surface), run_time=0.8)
            tilt = max(tracker.time_until_bookmark("flat") - 0.6, 2.0)
            press = max(tracker.get_remaining_duration() - 0.6 - tilt, 1.5)
            look_down(self, stage, m.frame.get_center(), self.map_side, tilt_time=tilt, press_time=press)

        bar = self.get_color_bar(m)
        head = col.heading("Seen from above", f"all {S.n_samples} samples")
        with self.voiceover(
            text="That is a map. Each colour is a band of loss values, <bookmark mark='bar'/>"
                 "and this bar reads the colours."
        ):
            whole = hand_over(self, stage, full)
            self.play(*col.swap(None, head), run_time=0.8)
            self.wait_until_bookmark("bar")
            self.play(FadeIn(bar.title), LaggedStart(*[FadeIn(c, shift=0.1 * RIGHT) for c in bar.cells],
                                                     lag_ratio=0.08), FadeIn(bar.marks), run_time=1.6)
        self.add(bar)

        with self.voiceover(
            text="The steps between colours are small where the loss is low, <bookmark mark='coarse'/>"
                 "and larger on the high ground. So the valley shows fine detail."
        ):
            for (lines, brace, note), mark in zip(level_steps(whole, bar), (None, "coarse")):
                if mark:
                    self.wait_until_bookmark(mark)
                self.play(Create(lines), GrowFromCenter(brace), FadeIn(note), run_time=1.5)
                self.wait(0.6)
                self.play(FadeOut(VGroup(lines, brace, note)), run_time=0.5)

        outline = window_outline(whole, m.windows)
        head2 = col.heading("Where training walks", "a window of the map")
        with self.voiceover(
            text="Training will walk in this part of the map. <bookmark mark='zoom'/>Let's zoom in."
        ) as tracker:
            self.play(*col.swap(head, head2), run_time=0.8)
            self.play(Create(outline), run_time=1.0)
            self.wait_until_bookmark("zoom")
            play_zoom(self, whole, outline, m, run_time=max(tracker.get_remaining_duration(), 2.5), keep=(bar, head2))
        self.head = head2
        return m, bar

    def quake_part(self, m: ContourMap) -> None:
        S, col = numbers.story(), self.column
        _, Zq = numbers.quake()
        quake = np.concatenate([numbers.full_landscape()[None], Zq])
        head = col.heading(f"Mini-batches of {S.quake_batch_size}", "one map per batch")
        with self.voiceover(
            text=f"Now switch to mini-batches of {S.quake_batch_size} samples. "
                 "Every batch draws its own map, so from one batch to the next, the map quakes."
        ) as tracker:
            self.play(*col.swap(self.head, head), run_time=0.8)
            self.play(Quake(m, quake[: len(quake) // 2 + 1], run_time=max(tracker.get_remaining_duration(), 2)))
        with self.voiceover(
            text="The valley stays roughly in place. But its shape, and its depth, keep changing."
        ) as tracker:
            self.play(Quake(m, quake[len(quake) // 2:], run_time=max(tracker.duration, 2)))

        # honesty: the real change is instant
        head3 = col.heading("Batches switch at once", "the morph is for the eye")
        cut_to = Zq[: self.cuts]

        def count(k: int):
            return col.place(caption(f"batch {k} of {self.cuts}", "body", palette.ACCENT), head3.get_bottom()[1] - 0.5)

        counter = count(1)
        with self.voiceover(
            text="One honest remark. In real training, nothing morphs. <bookmark mark='jump'/>"
                 "When the next batch arrives, the loss function changes all at once, like this."
        ):
            self.play(*col.swap(head, head3), run_time=0.8)
            self.play(Quake(m, np.stack([Zq[-1], cut_to[0]]), run_time=1.0), FadeIn(counter))
            self.wait_until_bookmark("jump")
            for k, Z in enumerate(cut_to[1:], start=2):
                m.set_landscape(Z)  # a hard cut: no in-between grids
                counter.become(count(k))
                self.wait(self.cut_hold)
        with self.voiceover(
            text="The smooth morph is only there to help our eyes follow. "
                 "And the more two batch losses differ, the bigger the shake between them."
        ) as tracker:
            self.play(FadeOut(counter), run_time=0.4)
            self.play(Quake(m, np.stack([cut_to[-1], cut_to[0], cut_to[-1]]), run_time=max(tracker.duration - 0.4, 2)))
        self.head, self.last_Z = head3, cut_to[-1]

    def training_part(self, m: ContourMap) -> Walker:
        S, tr, col = numbers.story(), self.sgd, self.column
        head = col.heading("Training on the quake", f"batches of {S.train_batch_size}, "
                                                   f"learning rate {tr.learning_rate:g}")
        counter = col.place(self.counter(0), head.get_bottom()[1] - 0.45)
        phase1 = caption("1. step on the frozen map", "note", palette.MUTED)
        phase2 = caption("2. new batch, new map", "note", palette.MUTED)
        phases = col.place(VGroup(phase1, phase2).arrange(DOWN, aligned_edge=LEFT, buff=0.2),
                           counter.get_bottom()[1] - 0.35)
        rules = [col.place(math(*parts), phases.get_bottom()[1] - 0.4) for parts in (
            (r"\nabla", LOSS_BATCH), ("-", r"\nabla", LOSS_BATCH), ("-", r"\eta", r"\nabla", LOSS_BATCH),
            (W, r"\leftarrow", W, "-", r"\eta", r"\nabla", LOSS_BATCH),
        )]
        sgd = self.get_walker(m.w2p, tr, palette.SGD_COLOR, dot_color=palette.ACCENT)

        def show_phase(n: int) -> None:
            phase1.set_color(palette.ACCENT if n == 1 else palette.MUTED)
            phase2.set_color(palette.ACCENT if n == 2 else palette.MUTED)

        with self.voiceover(
            text="Now let's train on this shaking map. "
                 f"We take batches of {S.train_batch_size}, <bookmark mark='dot'/>and start the weights here."
        ):
            self.play(*col.swap(self.head, head), run_time=0.8)
            self.play(Quake(m, np.stack([self.last_Z, self.get_landscape(0)]), run_time=1.0))
            self.wait_until_bookmark("dot")
            self.add(sgd.trace)
            self.play(FadeIn(sgd.dot, scale=2.5), FadeIn(counter), FadeIn(phases), run_time=0.8)

        # step 1, slowly and magnified: the gradient, turned around, scaled; the step; the batch change
        inset = self.get_inset(m, self.get_landscape(0))
        near = self.get_walker(inset.map.w2p, tr, palette.SGD_COLOR, dot_color=palette.ACCENT, radius=0.1)
        arrow = self.get_gradient_arrow(inset.map.w2p)
        with self.voiceover(
            text="Training alternates two moves. First, <bookmark mark='freeze'/>freeze the map: "
                 "this batch's landscape holds still. <bookmark mark='zoom'/>Let's look closely at the dot."
        ):
            self.wait_until_bookmark("freeze")
            show_phase(1)
            self.play(Indicate(phase1, color=palette.ACCENT, scale_factor=1.05), run_time=0.8)
            self.wait_until_bookmark("zoom")
            self.play(Create(inset.box), run_time=0.5)
            self.play(GrowFromPoint(inset.map, inset.box.get_center()), Create(inset.links),
                      GrowFromPoint(near.dot, inset.box.get_center()), run_time=1.2)
            self.add(near.trace, near.dot)
        flat = lit_levels(m, self.get_flat_levels(m), sgd.dot.get_center())  # the lines either side of the dot
        with self.voiceover(
            text="<bookmark mark='grad'/>The gradient of the batch loss points uphill. "
                 "<bookmark mark='turn'/>Turned around, it points downhill. "
                 "<bookmark mark='scale'/>Scaled by the learning rate, it is the step. "
                 "<bookmark mark='flat'/>Up here the ground is almost flat: the contour lines are far apart, "
                 "so the step is short. <bookmark mark='move'/>The weights take that step."
        ):
            self.wait_until_bookmark("grad")
            self.play(GrowArrow(arrow), FadeIn(rules[0]), run_time=1.0)
            self.wait_until_bookmark("turn")
            self.play(Rotate(arrow, PI, about_point=arrow.get_start()), TransformMatchingTex(rules[0], rules[1]))
            self.wait_until_bookmark("scale")
            main_arrow = self.get_step_arrow(m.w2p, 0)
            self.play(Transform(arrow, self.get_step_arrow(inset.map.w2p, 0)), GrowArrow(main_arrow),
                      TransformMatchingTex(rules[1], rules[2]))
            self.wait_until_bookmark("flat")
            self.play(Create(flat), run_time=1.5)
            self.wait_until_bookmark("move")
            self.play(FadeOut(flat), TransformMatchingTex(rules[2], rules[3]), run_time=0.6)
            self.play(self.step(sgd, 0), self.step(near, 0), run_time=1.2)
        with self.voiceover(
            text="Second, <bookmark mark='batch'/>the next batch arrives. "
                 "The map changes under the dot, but the dot stays where it is."
        ) as tracker:
            self.wait_until_bookmark("batch")
            show_phase(2)
            t = max(tracker.get_remaining_duration(), 1.5)
            Zs = np.stack([self.get_landscape(0), self.get_landscape(1)])
            self.play(FadeOut(arrow), FadeOut(main_arrow), *quakes([m, inset.map], Zs, run_time=t), run_time=t)

        words = [
            "Again. A step downhill on the frozen map, <bookmark mark='move'/>"
            "then a new batch, <bookmark mark='batch'/>and a new map.",
            "Step, <bookmark mark='move'/>and new batch. <bookmark mark='batch'/>",
        ]
        for k in range(1, self.slow_steps):
            arrow = self.get_step_arrow(m.w2p, k)
            with self.voiceover(text=words[min(k - 1, len(words) - 1)]):
                show_phase(1)
                counter.become(self.counter(k, like=counter))
                if k == 1:  # the steps are long enough now to read on the map itself
                    self.play(FadeOut(VGroup(inset, *near.mobjects)), run_time=0.5)
                self.play(GrowArrow(arrow), run_time=0.6)
                self.wait_until_bookmark("move")
                self.play(self.step(sgd, k), run_time=0.8)
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
            self.play(FadeOut(rules[3]), FadeOut(phases), run_time=0.5)
            fast = range(self.slow_steps, tr.steps)
            for k, pace in zip(fast, np.linspace(1.0, self.final_pace, len(fast))):
                arrow = self.get_step_arrow(m.w2p, k)
                counter.become(self.counter(k, like=counter))
                self.play(GrowArrow(arrow), run_time=self.fast_arrow_time * pace)
                self.play(self.step(sgd, k), run_time=self.fast_move_time * pace)
                t = morph_time * pace
                if k + 1 < tr.steps:
                    self.play(FadeOut(arrow), self.batch_change(m, k, run_time=t), run_time=t)
                else:
                    self.play(FadeOut(arrow), run_time=t)
        self.head, self.steps_counter = head, counter
        return sgd

    def comparison_part(self, m: ContourMap, bar, sgd: Walker) -> None:
        """Full-batch gradient descent beside the mini-batch path."""
        S, col = numbers.story(), self.column
        full = numbers.full_landscape()
        gd = self.get_walker(m.w2p, self.gd, palette.GD_COLOR)
        head = col.heading("Two paths, one start", "same start and learning rate")
        key = col.place(legend((palette.SGD_COLOR, f"mini-batches of {S.train_batch_size}"),
                               (palette.GD_COLOR, f"full batch, all {S.n_samples}")), head.get_bottom()[1] - 0.6)
        steps = len(self.gd.weights) - 1
        with self.voiceover(
            text="For comparison, here is full-batch gradient descent, from the same start, "
                 "walking on the one still landscape of all the data."
        ) as tracker:
            self.play(FadeOut(self.steps_counter), *col.swap(self.head, head),
                      Quake(m, np.stack([self.get_landscape(self.sgd.steps - 1), full]), run_time=1.0))
            self.play(FadeIn(key), FadeIn(gd.dot, scale=2), run_time=0.6)
            self.add(gd.trace)
            self.play(UpdateFromAlphaFunc(gd.mobjects, lambda _, a: gd.place(*divmod(a * steps, 1)), rate_func=linear),
                      run_time=max(tracker.get_remaining_duration(), 2))
        floor = ring(m.w2p(numbers.lowest_point(full)), radius=0.45)
        with self.voiceover(
            text="Its path is smooth. <bookmark mark='sgd'/>The mini-batch path is noisy, "
                 "because each of its steps was taken on a different landscape. "
                 "<bookmark mark='end'/>Yet both reach the same valley."
        ) as tracker:
            flash = dict(time_width=0.35, run_time=2.0)
            self.play(ShowPassingFlash(gd.trace.copy().set_stroke(palette.ACCENT, width=9), **flash))
            self.wait_until_bookmark("sgd")
            for _ in range(2):
                self.play(ShowPassingFlash(sgd.trace.copy().set_stroke(palette.ACCENT, width=9), **flash))
            self.wait_until_bookmark("end")
            self.play(Create(floor), Indicate(sgd.dot, scale_factor=1.6), Indicate(gd.dot, scale_factor=1.6),
                      run_time=max(min(tracker.get_remaining_duration(), 1.5), 0.8))
        self.wait(0.5)
        self.play(*[FadeOut(mob) for mob in (m, bar, head, key, *sgd.mobjects, *gd.mobjects, floor)])
        self.wait(0.3)
