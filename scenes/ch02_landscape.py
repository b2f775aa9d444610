"""Chapter 2 - The loss landscape.

With all the data at once, the loss landscape holds still. Gradient descent
walks down it to the bottom of the valley. Then the reveal: the shaking
surface of chapter 1 is this same landscape seen through mini-batches, a
different loss function at every training step.

    manim -pqh scenes/ch02_landscape.py LossLandscape
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES, DOWN, LEFT, UP, DecimalNumber, Dot, FadeIn, FadeOut, Indicate,
    UpdateFromAlphaFunc, VGroup, VMobject, linear, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import Narrated3DScene
from scenes.kit.motion import Quake
from scenes.kit.surface import LossAxes3D, LossSurface
from scenes.kit.text import caption
from scenes.kit.view import AXES_SHIFT, OVERVIEW, VALLEY, pin_to_frame


class LossLandscape(Narrated3DScene):
    """The still full-batch landscape, gradient descent on it, and the reveal."""

    # the kit's views (scenes/kit/view.py): the overview, then the one camera
    # move, turning to look along the valley for the walk across it
    phi, theta, zoom = OVERVIEW.phi, OVERVIEW.theta, OVERVIEW.zoom
    axes_shift = AXES_SHIFT
    view_phi, view_theta, view_zoom = VALLEY.phi, VALLEY.theta, VALLEY.zoom
    path_lift = 0.1  # loss units above the surface, as in chapter 1's walk
    path_width = 5
    step_time = 0.3  # seconds per gradient-descent step (the walk eases in each step)
    reveal_batches = 15  # batch landscapes in the reveal's quake

    # -- builders (tests compare these with quake_math) -------------------
    def get_axes(self) -> LossAxes3D:
        return LossAxes3D(numbers.story()).shift(self.axes_shift)

    def get_surface(self, axes) -> LossSurface:
        w1, w2 = numbers.axes()
        return LossSurface(axes, w1, w2, numbers.full_landscape(), numbers.story().levels)

    def get_descent(self) -> qm.Trajectory:
        X, y = numbers.dataset()
        return qm.gradient_descent(X, y, numbers.story())

    def get_path_losses(self, trajectory) -> np.ndarray:
        """Full-batch loss at every weight of the path (the heights it walks at)."""
        X, y = numbers.dataset()
        return qm.batch_loss(trajectory.weights, X, y, numbers.story().clip)

    def get_path_points(self, axes, trajectory) -> np.ndarray:
        """The path on the surface: (W1, W2, loss) of every step, lifted a little."""
        heights = self.get_path_losses(trajectory) + self.path_lift
        return axes.c2p(np.column_stack([trajectory.weights, heights]))

    def get_reveal_landscapes(self) -> np.ndarray:
        """The full landscape, then chapter 1's batch landscapes, in order."""
        _, Zs = numbers.quake()
        return np.concatenate([numbers.full_landscape()[None], Zs[: self.reveal_batches]])

    # -- the scene ---------------------------------------------------------
    def construct(self):
        S = numbers.story()
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=self.zoom)
        axes = self.get_axes()
        surface = self.get_surface(axes)
        labels = axes.axis_labels()
        self.add(axes)
        self.add_fixed_orientation_mobjects(*labels)

        title = caption("All the data: one landscape", "title").to_corner(UP + LEFT)
        sub = caption(f"loss averaged over all {S.n_samples} samples", "body", palette.MUTED)
        sub.next_to(title, DOWN, aligned_edge=LEFT)
        self.fix(title, sub)

        # -- 1. the still landscape -----------------------------------------
        with self.voiceover(
            text="Let's start with a surface that holds still. "
                 f"Take all {S.n_samples} training samples at once. "
                 "For every pair of weights, average the loss over every one of them."
        ):
            self.play(FadeIn(surface), FadeIn(title), run_time=1.0)
            self.play(FadeIn(sub), run_time=0.8)
        with self.voiceover(
            text="This is the full-batch loss landscape. Let's turn it a little. "
                 "There is one long valley, where the network does well, "
                 "and high flat ground far from it, where it does badly. "
                 "Nothing here moves."
        ) as tracker:
            self.move_camera(phi=self.view_phi, theta=self.view_theta, zoom=self.view_zoom,
                             run_time=max(tracker.duration * 0.8, 2))

        # -- 2. gradient descent walks down ----------------------------------
        gd = self.get_descent()
        losses = self.get_path_losses(gd)
        pts = self.get_path_points(axes, gd)
        trail = VMobject(stroke_color=palette.GD_COLOR, stroke_width=self.path_width)
        trail.set_background_stroke(color=palette.BACKGROUND, width=self.path_width + 4)
        trail.set_points_as_corners(pts[:2])
        ball = Dot(pts[0], radius=0.1, color=palette.ACCENT, stroke_color=palette.BACKGROUND, stroke_width=2)
        self.add_fixed_orientation_mobjects(ball)
        self.remove(ball)

        step_label = caption("step", "heading", palette.MUTED)
        step_num = DecimalNumber(0, num_decimal_places=0, font_size=40, color=palette.TEXT)
        loss_label = caption("loss", "heading", palette.MUTED)
        loss_num = DecimalNumber(losses[0], num_decimal_places=2, font_size=40, color=palette.ACCENT)
        readout = VGroup(VGroup(step_label, step_num), VGroup(loss_label, loss_num))
        for row in readout:
            row.arrange(buff=0.2)
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(sub, DOWN, aligned_edge=LEFT, buff=0.4)
        self.fix(readout)

        def walk(_, alpha):
            # step k eases from weights[k] to weights[k+1]; the readout shows
            # the step reached and the full-batch loss there
            x = alpha * gd.steps
            k = min(int(x), gd.steps - 1)
            t = smooth(x - k)
            head = pts[k] + t * (pts[k + 1] - pts[k])
            trail.set_points_as_corners(np.vstack([pts[: k + 1], head]))
            ball.move_to(head)
            reached = k + int(t >= 0.5)
            if step_num.get_value() != reached:
                step_num.set_value(reached)
                loss_num.set_value(losses[reached])
                self.camera.add_fixed_in_frame_mobjects(step_num, loss_num)  # set_value makes new digits

        with self.voiceover(
            text="Gradient descent starts somewhere on this surface, <bookmark mark='start'/>here. "
                 "At each step it finds the steepest way down, and moves a little that way."
        ):
            self.wait_until_bookmark("start")
            self.play(FadeIn(ball, scale=2), FadeIn(readout))
        with self.voiceover(
            text="Step after step, it walks down into the valley. "
                 "Near the bottom the ground flattens, so the steps shrink, and the walk settles."
        ) as tracker:
            self.add(trail)
            # the numbers are animated too, so the scene redraws them
            self.play(UpdateFromAlphaFunc(VGroup(trail, ball, step_num, loss_num), walk, rate_func=linear),
                      run_time=max(tracker.duration, gd.steps * self.step_time))
        with self.voiceover(
            text="Run it again, and you get exactly the same path. "
                 "The landscape never changes, so neither does the walk."
        ):
            self.play(Indicate(trail, color=palette.ACCENT, scale_factor=1.0), run_time=1.5)

        # -- 3. the reveal ---------------------------------------------------
        Zs = self.get_reveal_landscapes()
        title2 = caption(f"Mini-batches of {S.quake_batch_size} samples", "title").to_corner(UP + LEFT)
        sub2 = caption("a new landscape at every step", "body", palette.MUTED)
        sub2.next_to(title2, DOWN, aligned_edge=LEFT)
        self.fix(title2, sub2)
        with self.voiceover(
            text="But real training rarely looks at all the data at once. "
                 "Each step uses a mini-batch: "
                 f"a small random handful of samples, here {S.quake_batch_size}. "
                 "And each step takes a different handful."
        ) as tracker:
            self.play(FadeOut(trail), FadeOut(ball), FadeOut(readout), FadeOut(title), FadeOut(sub),
                      run_time=1.0)
            self.move_camera(phi=self.phi, theta=self.theta, zoom=self.zoom,
                             run_time=max(tracker.get_remaining_duration() - 0.8, 1.5))
            self.play(FadeIn(title2), run_time=0.8)
        with self.voiceover(
            text="A different handful gives a different average, so a different landscape. "
                 "<bookmark mark='quake'/>Watch what that does."
        ):
            self.play(FadeIn(sub2), run_time=0.8)
            self.wait_until_bookmark("quake")
            self.play(Quake(surface, Zs[:2], story=S, run_time=1.0))
        with self.voiceover(
            text="There it is: the shaking surface from the start. "
                 "It is this same landscape, seen through mini-batches. "
                 "At every training step, the loss function itself is a different one."
        ) as tracker:
            self.play(Quake(surface, Zs[1:], story=S, run_time=max(tracker.duration, 3)))
        with self.voiceover(
            text="To watch training walk on this shaking ground, let's look at it from above."
        ):
            # settle back on the full landscape, the map of the next chapter
            self.play(Quake(surface, np.stack([Zs[-1], Zs[0]]), story=S, run_time=1.0),
                      FadeOut(title2), FadeOut(sub2))
        self.play(FadeOut(surface), FadeOut(axes), FadeOut(labels))
        self.wait(0.3)

    def fix(self, *mobjects) -> None:
        """Pin captions to the frame, hidden until they are faded in."""
        pin_to_frame(self, *mobjects)
