"""Chapter 2 - The loss landscape.

The full-batch landscape is built before the viewer's eyes: one sample's
loss, then the average of more and more samples until all of them are in.
It holds still. Gradient descent walks down it to the bottom of the valley,
and a second run walks exactly the same path. Then the reveal: each step of
real training averages only a small handful of samples, a different handful
each time, and the surface shakes: chapter 1's picture, from the same view.

    manim -pqh scenes/ch02_landscape.py LossLandscape
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, IN, LEFT, ORIGIN, RIGHT, UL, Circle, Create, FadeIn, FadeOut, GrowFromCenter, RoundedRectangle,
    UpdateFromAlphaFunc, VGroup, Write, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import Narrated3DScene
from scenes.kit.marks3d import SurfaceArrow, SurfaceBall, face_camera, follow, keep_still
from scenes.kit.motion import Quake
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.surface import SurfaceTrail
from scenes.kit.text import LOSS_BATCH, LOSS_FULL, LOSS_SAMPLE, Number, caption, math
from scenes.kit.view import VALLEY, LossStage, View, frame_center_for, move_to_view, pin_to_frame, set_view


def hold_then_morph(hold: float):
    """A batch change that holds the batch's own landscape for a share
    ``hold`` of its time, then morphs smoothly (chapter 1's pace)."""
    return lambda t: smooth(float(np.clip((t - hold) / (1.0 - hold), 0.0, 1.0)))


class LossLandscape(Narrated3DScene):
    """The full-batch landscape built by averaging, gradient descent on it
    (twice, the same path), and the reveal of the quake."""

    view = VALLEY  # chapter 1's view: the reveal returns to it
    stage_shift = IN * 0.15  # as in chapter 1
    walk_view = View(VALLEY.phi, VALLEY.theta, 2.8)  # closer, on the walk
    walk_at = (1.1, -0.9)  # where the close view shows the middle of the walk (a corner free for the panel)
    average_counts = (1, 2, 3, 5, 10, 20, 50, 100, 200, 400)  # then all the samples
    average_change = 0.75  # seconds per step of the growing average
    valley_level, high_level = 1.0, 10.0  # the contours that outline the valley and the high ground
    tag_lift = 1.2  # loss units between a contour's label and the ground
    tag_offsets = ((0.0, 5.0), (2.5, -4.0))  # weights from a contour's end to its label
    arrow_length = 4.0  # weight units: "the steepest way down" from the start
    step_time = 0.3  # seconds per gradient-descent step
    replay_step_time = 0.14
    handfuls = 3  # handfuls lit while the words say "a different handful"
    watch_change, hold = 0.8, 0.4  # chapter 1's quake pace
    reveal_batches = 15
    cloud_center = np.array([5.3, 0.45, 0])
    panel_shift = np.array([0.45, -0.35, 0])  # the text panel, from the top-left corner

    # -- numbers (tests compare these with quake_math) -----------------------
    def get_average_order(self) -> np.ndarray:
        """The order in which samples join the average: a shuffle of all of them."""
        S = numbers.story()
        return np.concatenate(qm.epoch_batches(S.n_samples, 1, qm.rng_for(S, "landscape-average")))

    def get_average_counts(self) -> tuple[int, ...]:
        """How many samples are averaged at each stage, ending with all of them."""
        n = numbers.story().n_samples
        return tuple(sorted({c for c in self.average_counts if c < n} | {n}))

    def get_average_landscapes(self) -> np.ndarray:
        """The mean landscape of the first n samples of the order, per count."""
        order = self.get_average_order()
        return numbers.batch_landscapes([order[:c] for c in self.get_average_counts()])

    def get_descent(self) -> qm.Trajectory:
        X, y = numbers.dataset()
        return qm.gradient_descent(X, y, numbers.story())

    def get_runs(self) -> tuple[qm.Trajectory, qm.Trajectory]:
        """Gradient descent run twice, each run computed on its own: the
        second walk on screen is the second run's path."""
        return self.get_descent(), self.get_descent()

    def get_path_losses(self, trajectory) -> np.ndarray:
        """Full-batch loss at every weight of the path."""
        X, y = numbers.dataset()
        return qm.batch_loss(trajectory.weights, X, y, numbers.story().clip)

    def get_downhill(self, trajectory) -> np.ndarray:
        """Where the "steepest way down" arrow ends: ``arrow_length`` along the first step."""
        w0, w1 = trajectory.weights[:2]
        return w0 + self.arrow_length * (w1 - w0) / np.linalg.norm(w1 - w0)

    def get_contour(self, level: float) -> np.ndarray:
        """The longest line of the full landscape at ``level``, in weights."""
        (_, lines), = qm.contour_lines(numbers.full_landscape(), numbers.story(), levels=[level])
        return max(lines, key=len)

    def get_close_center(self, stage, trajectory) -> np.ndarray:
        """The camera's frame centre for the close view of the walk: the
        middle of the walk at ``walk_at`` on the screen."""
        lo, hi = trajectory.weights.min(axis=0), trajectory.weights.max(axis=0)
        middle = stage.axes.c2p(*(lo + hi) / 2, float(stage.surface.height_at((lo + hi) / 2)))
        return frame_center_for(self.walk_view, middle, at=self.walk_at)

    def get_reveal(self):
        """Chapter 1's batches and their landscapes."""
        batches, Zs = numbers.quake()
        return batches[: self.reveal_batches], Zs[: self.reveal_batches]

    # -- the scene ---------------------------------------------------------
    def construct(self):
        S = numbers.story()
        X, y = numbers.dataset()
        N = S.n_samples
        order, counts = self.get_average_order(), self.get_average_counts()
        averages = self.get_average_landscapes()
        stage = LossStage(averages[0], shift=self.stage_shift)
        surface, axes = stage.surface, stage.axes
        set_view(self, self.view)
        stage.show(self)
        cloud = SampleCloud(X, y, width=2.2, lit_radius=0.05, dim_opacity=0.35, title=f"{N} training samples")
        cloud.move_to(self.cloud_center)
        pin_to_frame(self, cloud)
        corner = lambda m: m.to_corner(UL).shift(self.panel_shift)  # noqa: E731

        # -- 1. one sample's loss, then the average of more and more ---------
        title = corner(caption("The loss of one sample", "title"))
        formula = math(LOSS_SAMPLE, size="heading").next_to(title, DOWN, aligned_edge=LEFT, buff=0.3)
        pin_to_frame(self, title, formula)
        flat = np.zeros_like(averages[0])
        surface.set_landscape(flat)
        first = cloud.x2p(X[order[:1]])[0]
        ring = Circle(radius=0.12, color=palette.ACCENT, stroke_width=3).move_to(first)
        pin_to_frame(self, ring)
        with self.voiceover(
            text=f"Let's build a surface that holds still, from the training data: {N} samples of two classes. "
                 "<bookmark mark='one'/>Take one sample. Its loss depends on the two weights. "
                 "<bookmark mark='rise'/>Here it is, for every pair of weights."
        ) as tracker:
            cloud.reveal([])
            self.play(FadeIn(cloud.base), FadeIn(cloud.lit), run_time=0.6)
            self.play(UpdateFromAlphaFunc(cloud.dimmed, lambda m, a: cloud.reveal(order[: int(round(a * N))])),
                      run_time=max(tracker.time_until_bookmark("one") - 0.2, 1.0))
            keep_still(self, cloud.base)  # still from here: drawn once per animation, not every frame
            self.wait_until_bookmark("one")
            self.play(UpdateFromAlphaFunc(cloud.lit, lambda m, a: cloud.light(order[:1])), Create(ring),
                      FadeIn(surface), FadeIn(title), run_time=0.8)
            keep_still(self, title)
            self.wait_until_bookmark("rise")
            self.play(Quake(surface, np.stack([flat, averages[0]]), change_rate=smooth,
                            run_time=max(tracker.get_remaining_duration(), 2.0)), FadeIn(formula, run_time=1.0))
        keep_still(self, formula)

        count_label = caption("samples in the average:", "body", palette.MUTED)
        count = Number(1, decimals=0, size="body")
        counter = VGroup(count_label, count).arrange(RIGHT, buff=0.2).next_to(title, DOWN, aligned_edge=LEFT, buff=0.3)
        title2 = corner(caption("Averaging samples", "title"))
        pin_to_frame(self, counter, title2)
        stage_at = {"k": 0}
        follow(self, count, lambda: counts[stage_at["k"]])

        with self.voiceover(
            text="Now average them. Add a second sample, then more and more. "
                 "Each new sample changes the average a little less, and the surface settles."
        ) as tracker:
            self.play(FadeOut(title), FadeOut(formula), FadeOut(ring), FadeIn(title2), FadeIn(count_label),
                      FadeIn(count), run_time=0.8)
            keep_still(self, title2, count_label)
            step = max(tracker.get_remaining_duration(), (len(counts) - 1) * self.average_change) / (len(counts) - 1)
            for k in range(len(counts) - 1):  # the new samples light up, then the average moves to take them in
                stage_at["k"] = k + 1
                cloud.light(order[: counts[k + 1]])
                self.play(Quake(surface, averages[k: k + 2], change_rate=lambda t: smooth(min(t / 0.7, 1.0)),
                                run_time=step))

        title3 = corner(caption("All the data", "title"))
        full = math(LOSS_FULL, "=", r"\frac{1}{%d}" % N, r"\sum_{i=1}^{%d}" % N, LOSS_SAMPLE, size="heading")
        full.next_to(title3, DOWN, aligned_edge=LEFT, buff=0.3)
        pin_to_frame(self, title3, full)
        with self.voiceover(
            text=f"With all {N} samples in, we have the full-batch loss landscape."
        ):
            self.play(FadeOut(title2), FadeOut(count_label), FadeOut(count), FadeIn(title3), run_time=0.8)
            self.play(Write(full), run_time=2.0)
        keep_still(self, title3, full)

        valley_line, high_line = self.get_contour(self.valley_level), self.get_contour(self.high_level)
        valley = SurfaceTrail(surface, valley_line, color=palette.TEXT, stroke_width=5)
        high = SurfaceTrail(surface, high_line, color=palette.SGD_COLOR, stroke_width=5)
        self.remove(valley, high)
        tags = []
        marked = ((valley_line, self.valley_level, palette.TEXT, 1, self.tag_offsets[0]),
                  (high_line, self.high_level, palette.SGD_COLOR, 0, self.tag_offsets[1]))
        for line, level, color, pick, offset in marked:
            w = line[np.argmax(line[:, pick])] + offset  # beside the line's end furthest along W2 or W1
            tag = caption(f"loss {level:g}", "body", color).set_stroke(palette.BACKGROUND, width=6, background=True)
            tag.move_to(axes.c2p(w[0], w[1], float(surface.height_at(w)) + self.tag_lift))
            face_camera(self, tag)
            tags.append(tag)
        with self.voiceover(
            text="There is one <bookmark mark='valley'/>valley, where the network does well, "
                 "and <bookmark mark='high'/>high ground far from it, where it does badly."
        ):
            self.wait_until_bookmark("valley")
            self.play(Create(valley), FadeIn(tags[0]), run_time=1.5)
            self.wait_until_bookmark("high")
            self.play(Create(high), FadeIn(tags[1]), run_time=1.5)
        with self.voiceover(text="Nothing here moves."):
            pass  # a still picture while the words say so

        # -- 2. gradient descent walks down, twice ----------------------------
        gd, gd_again = self.get_runs()
        losses = self.get_path_losses(gd)
        # No hill hides the walk from the close view (tests/test_ch02.py checks it on drawn frames): its
        # marks are drawn over the surface, which then stays still and is drawn once per animation.
        on_top = lambda *marks: surface.detach(*[f for m in marks for f in m.get_family()])  # noqa: E731
        ball = SurfaceBall(surface, gd.weights[0], radius=0.11)
        face_camera(self, ball)
        trail = SurfaceTrail(surface, gd.weights[:1], color=palette.GD_COLOR, stroke_width=7)
        on_top(ball, trail)
        steps = VGroup()
        at = {"k": 0, "run": 1}
        rows = VGroup(
            VGroup(caption("run", "body", palette.MUTED), Number(1, decimals=0, size="body", color=palette.TEXT)),
            VGroup(caption("step", "body", palette.MUTED), Number(0, decimals=0, size="body", color=palette.TEXT)),
            VGroup(caption("loss", "body", palette.MUTED), Number(losses[0], decimals=2, size="body")))
        for r in rows:
            r.arrange(RIGHT, buff=0.2)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        title4 = caption("Gradient descent", "title")
        panel = VGroup(title4, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        backing = RoundedRectangle(corner_radius=0.15, width=panel.width + 0.5, height=panel.height + 0.4,
                                   fill_color=palette.BACKGROUND, fill_opacity=0.8, stroke_width=0)
        panel = corner(VGroup(backing.move_to(panel), panel))
        pin_to_frame(self, panel)
        follow(self, rows[0][1], lambda: at["run"])
        follow(self, rows[1][1], lambda: at["k"])
        follow(self, rows[2][1], lambda: losses[at["k"]])
        close = self.get_close_center(stage, gd)
        arrow = SurfaceArrow(surface, gd.weights[0], self.get_downhill(gd))
        on_top(arrow)
        self.remove(arrow)

        def drop_dots(k):
            while len(steps) <= k:
                dot = SurfaceBall(surface, gd.weights[len(steps)], radius=0.05, color=palette.TEXT, outline=0)
                on_top(dot)
                face_camera(self, dot)
                steps.add(dot)
                self.add(dot)

        def walk(path, runner, first, last, weights=gd.weights):
            def update(_, a):
                x = first + a * (last - first)
                k = min(int(x), last - 1)
                t = smooth(x - k)
                w = weights[k] + t * (weights[k + 1] - weights[k])
                path.set_weights(np.vstack([weights[: k + 1], w]))
                runner.set_weights(w)
                at["k"] = k + int(t >= 0.5)
                if runner is ball:
                    drop_dots(at["k"])
            return UpdateFromAlphaFunc(VGroup(path, runner), update, rate_func=linear)

        with self.voiceover(
            text="Gradient descent starts somewhere on this surface, <bookmark mark='start'/>here. "
                 "At each step it finds the <bookmark mark='down'/>steepest way down, "
                 "and <bookmark mark='move'/>moves a little that way."
        ) as tracker:
            self.play(*[FadeOut(m) for m in (title3, full, valley, high, *tags, cloud.base, cloud.lit)], run_time=0.8)
            surface.detach(valley, high)
            move_to_view(self, self.walk_view, frame_center=close,
                         run_time=max(tracker.time_until_bookmark("start"), 1.5))
            self.play(GrowFromCenter(ball), FadeIn(panel), run_time=0.8)
            drop_dots(0)
            self.wait_until_bookmark("down")
            self.add(arrow)
            self.play(UpdateFromAlphaFunc(arrow, lambda m, a: m.set_progress(a)), run_time=1.0)
            self.wait_until_bookmark("move")
            self.add(trail)
            self.play(walk(trail, ball, 0, 1), run_time=1.0)
            self.play(FadeOut(arrow), run_time=0.5)
        with self.voiceover(
            text="Step after step, it walks down into the valley. "
                 "Near the bottom the ground flattens, so the steps shrink, and the walk settles."
        ) as tracker:
            self.play(walk(trail, ball, 1, gd.steps),
                      run_time=max(tracker.duration, (gd.steps - 1) * self.step_time))

        again = SurfaceBall(surface, gd_again.weights[0], radius=0.09, color=palette.TEXT)
        face_camera(self, again)
        retrace = SurfaceTrail(surface, gd_again.weights[:1], color=palette.TEXT, stroke_width=3)
        on_top(again, retrace)
        with self.voiceover(
            text="Run it again from the same start, and you get exactly the same path. "
                 "The landscape never changes, so neither does the walk."
        ) as tracker:
            at.update(run=2, k=0)
            self.play(FadeIn(again, scale=2), run_time=0.6)
            self.add(retrace)
            self.play(walk(retrace, again, 0, gd_again.steps, gd_again.weights),
                      run_time=max(tracker.get_remaining_duration(), gd.steps * self.replay_step_time))

        # -- 3. the reveal ---------------------------------------------------
        batches, Zs = self.get_reveal()
        title5 = corner(caption(f"Mini-batches of {S.quake_batch_size}", "title"))
        batch_formula = math(LOSS_BATCH, "=", r"\frac{1}{%d}" % S.quake_batch_size, r"\sum_{i\in B}",
                             LOSS_SAMPLE, size="heading").next_to(title5, DOWN, aligned_edge=LEFT, buff=0.3)
        pin_to_frame(self, title5, batch_formula)
        shown = {"b": 0}
        with self.voiceover(
            text="But real training rarely looks at all the data at once. Each step uses a mini-batch: "
                 f"<bookmark mark='handful'/>a small random handful of samples, here {S.quake_batch_size}. "
                 "And each step takes a <bookmark mark='next'/>different handful."
        ):
            self.play(*[FadeOut(m) for m in (trail, retrace, ball, again, steps, panel)], run_time=0.8)
            cloud.light(np.arange(N))
            move_to_view(self, self.view, frame_center=ORIGIN, run_time=2.0,
                         added_anims=[FadeIn(m, run_time=1.0) for m in (cloud.base, cloud.lit, title5)])
            keep_still(self, cloud.base, title5)
            self.wait_until_bookmark("handful")
            pick = lambda m, a: cloud.light(batches[0][: int(round(a * len(batches[0])))])  # noqa: E731
            self.play(UpdateFromAlphaFunc(cloud.lit, pick), run_time=1.5)
            self.wait_until_bookmark("next")
            for b in range(1, self.handfuls + 1):
                shown["b"] = b
                cloud.light(batches[b])
                self.wait(0.7)
        with self.voiceover(
            text="Each handful has its own average, so its own landscape. <bookmark mark='quake'/>Watch what that does."
        ):
            self.play(FadeIn(batch_formula), Quake(surface, np.stack([numbers.full_landscape(), Zs[shown["b"]]]),
                                                   run_time=1.5))
            keep_still(self, batch_formula)
            self.wait_until_bookmark("quake")

        def reveal(run_time, first, changes):
            seq = [(first + c) % len(Zs) for c in range(changes + 1)]
            q = Quake(surface, Zs[seq], change_rate=hold_then_morph(self.hold), run_time=run_time)

            def light(_, a):
                k, t = q.state_at(a)
                cloud.light(batches[seq[k + 1] if t > 0.5 else seq[k]])
            return [q, UpdateFromAlphaFunc(cloud.lit, light)], seq[-1]

        with self.voiceover(
            text="There it is: the shaking surface from the start. "
                 "It is this same landscape, seen through mini-batches. "
                 "At every training step, the loss function itself is a different one."
        ) as tracker:
            run = max(tracker.duration, 3 * self.watch_change)
            anims, last = reveal(run, shown["b"], max(2, round(run / self.watch_change)))
            self.play(*anims)
        with self.voiceover(
            text="To watch training walk on this shaking ground, let's look at it from above."
        ) as tracker:
            run = max(tracker.duration, 2 * self.watch_change)
            anims, last = reveal(run, last, max(2, round(run / self.watch_change)))
            self.play(*anims)
        self.play(*[FadeOut(m) for m in (surface, axes, stage.labels, cloud.base, cloud.lit, title5, batch_formula)])
        self.wait(0.3)
