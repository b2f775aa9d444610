"""Chapter 1 - The mystery.

A loss surface shakes with no explanation. The viewer is invited to pause and
guess; then the shaking slows to one frozen frame, which is read axis by
axis (two weights of a small network, and the loss as the height), and a walk
goes downhill on it. The hint: at one fixed pair of weights, the loss keeps
jumping from frame to frame.

The camera looks along the valley (the kit's ``VALLEY`` view, as in chapter 2)
and every mark on the surface is drawn in its depth order: a hill in front of
the walk hides it.

    manim -pqh scenes/ch01_mystery.py Mystery
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, IN, LEFT, OUT, RIGHT, UL, UR, Create, Dot, FadeIn, FadeOut, GrowFromPoint, Line, UpdateFromAlphaFunc,
    VGroup, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import Narrated3DScene
from scenes.kit.marks3d import SurfaceBall, axis_ticks, face_camera, follow, keep_still
from scenes.kit.motion import Quake
from scenes.kit.neuron import Neuron
from scenes.kit.strip_chart import StripChart
from scenes.kit.surface import SurfacePin, SurfaceTrail
from scenes.kit.text import W, Number, caption, math
from scenes.kit.view import VALLEY, LossStage, pin_to_frame, set_view


def hold_then_morph(hold: float):
    """A batch change that first holds the batch's own landscape for a
    share ``hold`` of its time, then morphs smoothly to the next."""
    return lambda t: smooth(float(np.clip((t - hold) / (1.0 - hold), 0.0, 1.0)))


class Mystery(Narrated3DScene):
    """The shaking surface, the invitation to guess, the frozen frame read
    axis by axis, a walk downhill, and the hint."""

    view = VALLEY  # the kit's views: scenes/kit/view.py (chapter 2's reveal returns to it)
    stage_shift = IN * 0.15  # the stage a little higher than the kit's default: room for tick labels below
    # pacing: seconds per batch change where the viewer is asked to watch,
    # and the share of it that holds each batch's own landscape still
    watch_change = 0.8
    read_change = 1.25  # while the loss at the pin is read off
    hold = 0.4
    freeze_steps = (0.8, 1.1, 1.6)  # the last changes before the freeze, slowing down
    freeze_batch = 1  # the frame that is frozen and read: its walk stays in sight from this view
    walk_steps = 12
    step_time = 0.42
    probe_path = ((15.0, -14.0), (3.0, 11.0))  # the pair of weights swept while the height is read
    pin_weights = (14.0, -4.0)  # the hint's pair of weights (snapped to the centre of a drawn face)
    chart_steps = 11  # landscapes on the hint's chart
    after_question = 3  # changes under the closing question
    chart_center = np.array([4.85, 0.75, 0])  # right of the Loss axis, above the surface
    panel_shift = np.array([0.45, -0.35, 0])  # the text panel, from the top-left corner

    # -- numbers (quake_math, through the kit) -----------------------------
    def get_landscapes(self) -> np.ndarray:
        """Chapter 1's quake: the landscape of every batch, in order."""
        return numbers.quake()[1]

    def get_walk(self) -> qm.Trajectory:
        """Gradient descent on the frozen frame's batch, from the story's start."""
        X, y = numbers.dataset()
        batch = numbers.quake()[0][self.freeze_batch]
        return qm.sgd(X, y, numbers.story(), batches=[batch] * self.walk_steps)

    def frozen_loss(self, weights) -> np.ndarray:
        """The frozen frame's loss (its batch's mean loss) at any weights."""
        X, y = numbers.dataset()
        batch = numbers.quake()[0][self.freeze_batch]
        return qm.batch_loss(np.asarray(weights, dtype=float), X[batch], y[batch], numbers.story().clip)

    def get_probe(self, samples: int = 120) -> np.ndarray:
        """Weights along the probe's path, (samples, 2)."""
        a, b = (np.asarray(p, dtype=float) for p in self.probe_path)
        return a + np.linspace(0, 1, samples)[:, None] * (b - a)

    def get_pin_index(self, surface) -> tuple[int, int]:
        """Grid index (row, column) of the centre of the drawn face nearest
        to ``pin_weights``: there the face's colour is its own reading."""
        w1, w2 = numbers.axes()
        k = surface.stride
        centres = lambda axis: np.arange(k // 2, len(axis) - 1, k)  # noqa: E731
        j = min(centres(w1), key=lambda c: abs(w1[c] - self.pin_weights[0]))
        i = min(centres(w2), key=lambda c: abs(w2[c] - self.pin_weights[1]))
        return int(i), int(j)

    def get_stage(self, Z=None) -> LossStage:
        """Axes and surface (of Z, or the quake's first landscape)."""
        return LossStage(self.get_landscapes()[0] if Z is None else Z, shift=self.stage_shift)

    # -- pictures -----------------------------------------------------------
    def readout(self, tex: str, value: float, decimals: int) -> VGroup:
        """One row of the panel: a symbol, '=', a number."""
        return VGroup(math(tex, "="), Number(value, decimals=decimals, size="body")).arrange(RIGHT, buff=0.18)

    def axis_marks(self, axes):
        """Dots riding the three axes at a pair of weights and its loss."""
        S = numbers.story()
        dots = [Dot(radius=0.07, color=palette.ACCENT) for _ in range(3)]
        place = lambda w, h: (axes.c2p(w[0], S.grid_min, 0), axes.c2p(S.grid_max, w[1], 0),  # noqa: E731
                              axes.c2p(S.grid_min, S.grid_max, h))
        return dots, place

    # -- the scene ------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        Zs = self.get_landscapes()
        n = len(Zs)
        stage = self.get_stage()
        surface, axes = stage.surface, stage.axes
        set_view(self, self.view)
        stage.labels[2].shift(OUT * 0.25)  # "Loss" a little higher: clear of the axis' top tick label
        stage.show(self)
        rate = hold_then_morph(self.hold)
        state = {"at": 0}  # the batch on screen

        def ahead(changes, avoid=None):
            """The next ``changes`` batches in the quake's order (skipping ``avoid``)."""
            seq, b = [], state["at"]
            while len(seq) < changes:
                b = (b + 1) % n
                if b != avoid:
                    seq.append(b)
            return seq

        def shake(run_time, seq, targets=()):
            """Quakes from the batch on screen through the batches ``seq``."""
            seq = [state["at"], *seq]
            state["at"] = seq[-1]
            return [Quake(t, Zs[seq], change_rate=rate, run_time=run_time) for t in (surface, *targets)], seq

        def shake_for(run_time, pace):
            return shake(run_time, ahead(max(1, round(run_time / pace))))[0]

        # -- 1. the mystery ------------------------------------------------
        with self.voiceover(
            text="Here is a surface that will not sit still. "
                 "It shakes, it shifts, and then it shakes again."
        ) as tracker:
            self.play(FadeIn(surface), run_time=0.8)
            run = max(tracker.get_remaining_duration(), 2 * self.watch_change)
            self.play(*shake_for(run, self.watch_change))

        corner = lambda m: m.to_corner(UL).shift(self.panel_shift)  # noqa: E731
        question = corner(caption("What is shaking?", "title"))
        pause = caption("Pause, and make a guess.", "heading", palette.MUTED)
        pause.next_to(question, DOWN, aligned_edge=LEFT)
        pin_to_frame(self, question, pause)
        with self.voiceover(text="What could it be? Pause the video for a moment, and make a guess.") as tracker:
            run = max(tracker.duration, 2 * self.watch_change)
            self.play(FadeIn(question), FadeIn(pause), *shake_for(run, self.watch_change))
        keep_still(self, question, pause)  # still captions: drawn once per animation, not every frame
        self.play(*shake(4 * self.watch_change, ahead(4))[0])  # a silent moment to pause

        # -- 2. freeze one frame and read it --------------------------------
        frozen = corner(caption("One frame, frozen", "title"))
        pin_to_frame(self, frozen)
        with self.voiceover(text="Let's freeze one frame, and read it.") as tracker:
            self.play(FadeOut(question), FadeOut(pause), run_time=0.6)
            goes = ahead(len(self.freeze_steps) - 1, avoid=self.freeze_batch) + [self.freeze_batch]
            for b, t in zip(goes, self.freeze_steps):  # each change slower than the last
                self.play(*shake(t, [b])[0])
            self.play(FadeIn(frozen, shift=DOWN * 0.2), run_time=0.6)
        keep_still(self, frozen)

        lx, ly, lz = stage.labels
        lo, hi = S.grid_min, S.grid_max
        edges = [Line(axes.c2p(lo, lo, 0), axes.c2p(hi, lo, 0)), Line(axes.c2p(hi, lo, 0), axes.c2p(hi, hi, 0)),
                 Line(axes.c2p(lo, hi, 0), axes.c2p(lo, hi, axes.z_range[1]))]
        for e in edges:
            e.set_stroke(palette.ACCENT, width=5)
        ticks = axis_ticks(axes)
        face_camera(self, *[t for group in ticks for t in group])
        net = Neuron(width=3.8, height=2.3, node_radius=0.36, size="note")
        net.to_corner(UR).shift(DOWN * 0.45 + LEFT * 0.25)
        pin_to_frame(self, net)
        probe = self.get_probe()
        probe_loss = self.frozen_loss(probe)
        ball = SurfaceBall(surface, probe[0], radius=0.1)
        face_camera(self, ball)
        marks, place = self.axis_marks(axes)
        face_camera(self, *marks)
        where = {"w": probe[0], "h": probe_loss[0]}

        def mark_update(_=None):
            for m, p in zip(marks, place(where["w"], where["h"])):
                m.move_to(p)

        def probe_at(w, h=None):
            """The ball, the axis marks and the readouts at weights w."""
            where["w"] = np.asarray(w, dtype=float)
            where["h"] = float(self.frozen_loss(where["w"])) if h is None else h
            ball.set_weights(where["w"])
            mark_update()
        rows = VGroup(self.readout(W + "_1", probe[0][0], 1), self.readout(W + "_2", probe[0][1], 1),
                      self.readout(r"\text{loss}", probe_loss[0], 2))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22).next_to(frozen, DOWN, aligned_edge=LEFT, buff=0.35)
        pin_to_frame(self, rows)
        names, readings = [r[0] for r in rows], [r[1] for r in rows]  # added apart: the names stay still

        def show_row(k):
            readings[k].follow_now()
            return FadeIn(names[k]), FadeIn(readings[k])
        for r, k in zip(rows, (0, 1)):
            follow(self, r[1], lambda k=k: where["w"][k])
        follow(self, rows[2][1], lambda: where["h"])
        mark_update()
        with self.voiceover(
            text="The two flat axes are two weights of a small neural network. "
                 "Call them <bookmark mark='w1'/>w one, and <bookmark mark='w2'/>w two."
        ):
            self.play(Create(edges[0]), Create(edges[1]), run_time=1.2)
            self.play(FadeIn(net, shift=LEFT * 0.3), run_time=1.0)
            self.wait_until_bookmark("w1")
            self.play(*net.light(0), lx.animate.set_color(palette.ACCENT), FadeIn(ticks[0]), *show_row(0),
                      FadeIn(marks[0]), run_time=0.8)
            self.wait_until_bookmark("w2")
            self.play(*net.light(1), ly.animate.set_color(palette.ACCENT), FadeIn(ticks[1]), *show_row(1),
                      FadeIn(marks[1]), run_time=0.8)
        keep_still(self, edges[0], edges[1], net, ticks[0], ticks[1], names[0], names[1])

        def sweep(_, a):
            k = min(int(a * (len(probe) - 1)), len(probe) - 1)
            probe_at(probe[k], probe_loss[k])

        with self.voiceover(
            text="The height is the <bookmark mark='loss'/>loss. For every pair of weights, "
                 "it tells how badly the network does on its data."
        ) as tracker:
            self.wait_until_bookmark("loss")
            self.play(Create(edges[2]), lz.animate.set_color(palette.ACCENT), FadeIn(ticks[2]),
                      GrowFromPoint(ball, ball.get_center()), *show_row(2), FadeIn(marks[2]), run_time=0.9)
            keep_still(self, edges[2], names[2])  # (the Loss ticks stay on top: the surface's corner is near)
            self.play(UpdateFromAlphaFunc(VGroup(ball, *marks), sweep, rate_func=smooth),
                      run_time=max(tracker.get_remaining_duration(), 3.0))

        # a walk downhill on the frozen frame
        walk = self.get_walk()
        walk_loss = self.frozen_loss(walk.weights)
        trail = SurfaceTrail(surface, walk.weights[:1], color=palette.ACCENT, stroke_width=6)
        steps = VGroup()
        step_row = VGroup(caption("step", "body", palette.MUTED),
                          Number(0, decimals=0, size="body", color=palette.TEXT))
        step_row.arrange(RIGHT, buff=0.2).next_to(rows, DOWN, aligned_edge=LEFT, buff=0.22)
        pin_to_frame(self, step_row)
        at = {"k": 0}
        follow(self, step_row[1], lambda: at["k"])

        def stride(_, a):
            x = a * walk.steps
            k = min(int(x), walk.steps - 1)
            t = smooth(x - k)
            w = walk.weights[k] + t * (walk.weights[k + 1] - walk.weights[k])
            trail.set_weights(np.vstack([walk.weights[: k + 1], w]))
            reached = k + int(t >= 0.5)
            at["k"] = reached
            probe_at(w, walk_loss[k] + t * (walk_loss[k + 1] - walk_loss[k]))
            while len(steps) < reached + 1:
                dot = SurfaceBall(surface, walk.weights[len(steps)], radius=0.055, color=palette.TEXT, outline=0)
                face_camera(self, dot)
                steps.add(dot)
                self.add(dot)

        with self.voiceover(
            text="Training moves across this surface, one step at a time, always heading downhill."
        ) as tracker:
            a, b = where["w"].copy(), walk.weights[0]
            self.play(UpdateFromAlphaFunc(VGroup(ball, *marks), lambda _, t: probe_at(a + t * (b - a))), run_time=0.8)
            self.add(trail)
            self.play(FadeIn(step_row[0]), FadeIn(step_row[1]), run_time=0.4)
            keep_still(self, step_row[0])
            self.play(UpdateFromAlphaFunc(VGroup(trail, ball, *marks), stride, rate_func=linear),
                      run_time=max(tracker.get_remaining_duration(), walk.steps * self.step_time))

        # -- 3. the hint ----------------------------------------------------
        i, j = self.get_pin_index(surface)
        w1, w2 = numbers.axes()
        pin = SurfacePin(axes, w1, w2, (i, j), Zs[self.freeze_batch], surface=surface, pole=1.0)
        face_camera(self, pin.ball)
        hint = corner(caption("Hint: one pair of weights", "title"))
        pin_to_frame(self, hint)
        values = []
        chart = StripChart(self.chart_steps, S.max_loss, width=3.2, height=1.5,
                           y_label="loss at the pin", x_label="one frame after another")
        chart.move_to(self.chart_center)
        pin_to_frame(self, chart)
        with self.voiceover(
            text="Here is a hint. Keep your eye on one pair of weights, <bookmark mark='pin'/>this one, "
                 "and on the <bookmark mark='there'/>loss there."
        ):
            self.play(*[FadeOut(m) for m in (frozen, net, trail, steps, ball, *step_row, *names, *readings, *marks)],
                      *[e.animate.set_stroke(palette.MUTED, width=2) for e in edges],
                      *[lab.animate.set_color(palette.TEXT) for lab in (lx, ly, lz)], run_time=0.8)
            surface.detach(trail, ball, *steps)
            self.play(FadeIn(hint), run_time=0.6)
            keep_still(self, hint)
            where["w"], where["h"] = pin.w, pin.value
            mark_update()
            self.wait_until_bookmark("pin")
            self.play(FadeIn(pin, shift=DOWN * 0.3), *show_row(0), *show_row(1), FadeIn(marks[0]),
                      FadeIn(marks[1]), run_time=0.9)
            keep_still(self, names[0], names[1])
            self.wait_until_bookmark("there")
            values.append(pin.value)
            chart.show_until(values, 0)
            self.play(*show_row(2), FadeIn(marks[2]), FadeIn(chart.still), FadeIn(chart.trace), run_time=0.9)
            keep_still(self, names[2], chart.still)

        def quake_with_pin(run_time, changes):
            anims, seq = shake(run_time, ahead(changes), targets=(pin,))
            first = len(values) - 1
            values.extend(Zs[seq[1:], i, j].tolist())

            def watch(_, a):
                k, t = anims[0].state_at(a)
                chart.show_until(values, first + k + t)
                where["h"] = pin.value
                mark_update()
            return [*anims, UpdateFromAlphaFunc(VGroup(chart.trace, marks[2]), watch)]

        with self.voiceover(
            text="Now let it shake again. The weights do not move, yet the loss at that spot "
                 "keeps jumping up and down."
        ) as tracker:
            room = self.chart_steps - 1 - self.after_question  # changes the chart has room for
            changes = min(max(round(tracker.duration / self.read_change), 2), room)
            self.play(*quake_with_pin(max(tracker.duration, changes * self.read_change), changes))
        why = caption("So what is moving?", "title").move_to(hint, aligned_edge=LEFT)
        pin_to_frame(self, why)
        with self.voiceover(text="So what is moving? Hold on to that question.") as tracker:
            self.play(FadeOut(hint), FadeIn(why), run_time=0.6)
            keep_still(self, why)
            self.play(*quake_with_pin(max(tracker.get_remaining_duration(), self.after_question * self.read_change),
                                      self.after_question))
        surface.detach(pin.stem, pin.ball)
        self.play(*[FadeOut(m) for m in (why, *names, *readings, chart.still, chart.trace, pin, *marks, *ticks, *edges,
                                         surface, axes, stage.labels)])
        self.wait(0.3)
