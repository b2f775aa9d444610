"""Chapter 1 - The mystery.

A loss surface shakes with no explanation. The viewer is invited to pause and
guess; then one frame is frozen and read axis by axis, and a hint is given:
at one fixed pair of weights, the loss keeps changing.

    manim -pqh scenes/ch01_mystery.py Mystery
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, UP, Circumscribe, Create, DecimalNumber, Dot, FadeIn, FadeOut, Indicate,
    MoveAlongPath, VGroup, VMobject, linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import Narrated3DScene
from scenes.kit.motion import Quake, quakes
from scenes.kit.surface import LossAxes3D, LossSurface, SurfacePin
from scenes.kit.text import caption
from scenes.kit.view import AXES_SHIFT, OVERVIEW


class Mystery(Narrated3DScene):
    """The shaking surface, the invitation to guess, the frozen frame, the hint."""

    phi, theta = OVERVIEW.phi, OVERVIEW.theta  # the kit's views: scenes/kit/view.py
    pin_weights = (-2.0, -2.0)  # where the hint watches the loss (a grid point)
    walk_steps = 14
    zoom = OVERVIEW.zoom
    axes_shift = AXES_SHIFT  # the picture sits low: room for captions above

    def construct(self):
        S = numbers.story()
        w1, w2 = numbers.axes()
        batches, Zs = numbers.quake()
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=self.zoom)

        axes = LossAxes3D(S).shift(self.axes_shift)
        surface = LossSurface(axes, w1, w2, Zs[0], S.levels)
        labels = axes.axis_labels()
        self.add(axes)
        self.add_fixed_orientation_mobjects(*labels)
        loop = np.concatenate([Zs, Zs[:1]])  # back to the first batch: a seamless loop

        # -- 1. the mystery ------------------------------------------------
        with self.voiceover(
            text="Here is a surface that will not sit still. "
                 "It shakes, it shifts, and then it shakes again."
        ) as tracker:
            self.play(FadeIn(surface), run_time=0.8)
            self.play(Quake(surface, loop, story=S, run_time=max(tracker.get_remaining_duration(), 1)))

        question = caption("What is shaking?", "title").to_corner(UP + LEFT)
        pause = caption("Pause the video and make a guess.", "heading", palette.MUTED).next_to(question, DOWN, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(question, pause)
        self.remove(question, pause)
        with self.voiceover(
            text="What could it be? Pause the video for a moment, and make a guess."
        ) as tracker:
            self.play(FadeIn(question), FadeIn(pause),
                      Quake(surface, loop, story=S, run_time=max(tracker.duration, 2)))
        self.play(Quake(surface, loop, story=S))

        # -- 2. read one frozen frame ---------------------------------------
        frozen = Zs[0]
        with self.voiceover(text="Let's freeze one frame, and read it.") as tracker:
            self.play(FadeOut(question), FadeOut(pause), run_time=0.6)
        lx, ly, lz = labels
        with self.voiceover(
            text="The two flat axes are two weights of a neural network. "
                 "Call them <bookmark mark='w1'/>W one, and <bookmark mark='w2'/>W two."
        ):
            self.wait_until_bookmark("w1")
            self.play(Indicate(lx, color=palette.ACCENT, scale_factor=1.4))
            self.wait_until_bookmark("w2")
            self.play(Indicate(ly, color=palette.ACCENT, scale_factor=1.4))
        with self.voiceover(
            text="The height is the <bookmark mark='loss'/>loss. "
                 "For every pair of weights, it tells how badly the network does on its data."
        ):
            self.wait_until_bookmark("loss")
            self.play(Indicate(lz, color=palette.ACCENT, scale_factor=1.3))

        # a short walk downhill on the frozen landscape (gradient descent on
        # this one batch, from quake_math)
        X, y = numbers.dataset()
        walk = qm.sgd(X, y, S, batches=[batches[0]] * self.walk_steps)
        heights = qm.batch_loss(walk.weights, X[batches[0]], y[batches[0]], S.clip)
        pts = axes.c2p(np.column_stack([walk.weights, heights + 0.1]))
        trail = VMobject(stroke_color=palette.ACCENT, stroke_width=5).set_points_as_corners(pts)
        ball = Dot(pts[0], radius=0.1, color=palette.ACCENT)
        self.add_fixed_orientation_mobjects(ball)
        self.remove(ball)
        with self.voiceover(
            text="Training moves across this surface, one step at a time, always heading downhill."
        ) as tracker:
            self.play(FadeIn(ball))
            self.play(Create(trail), MoveAlongPath(ball, trail),
                      run_time=max(tracker.get_remaining_duration(), 1.5), rate_func=linear)
        self.play(FadeOut(trail), FadeOut(ball), run_time=0.6)

        # -- 3. the hint ----------------------------------------------------
        i = int(np.argmin(np.abs(w2 - self.pin_weights[1])))
        j = int(np.argmin(np.abs(w1 - self.pin_weights[0])))
        pin = SurfacePin(axes, w1, w2, (i, j), frozen)
        self.add_fixed_orientation_mobjects(pin.ball)
        self.remove(pin)
        hint = caption("Hint: watch one pair of weights", "heading").to_corner(UP + LEFT)
        readout_label = caption("loss there:", "heading", palette.MUTED)
        value = DecimalNumber(pin.value, num_decimal_places=2, font_size=44, color=palette.ACCENT)
        readout = VGroup(readout_label, value).arrange(buff=0.25).next_to(hint, DOWN, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(hint, readout)
        self.remove(hint, readout)
        def follow_pin(m):
            m.set_value(pin.value)
            self.camera.add_fixed_in_frame_mobjects(m)  # set_value makes new digits

        value.add_updater(follow_pin)
        with self.voiceover(
            text="Here is a hint. Keep your eye on one pair of weights, <bookmark mark='pin'/>this one, "
                 "and on the loss there."
        ):
            self.play(FadeIn(hint))
            self.wait_until_bookmark("pin")
            self.play(FadeIn(pin), FadeIn(readout))
            self.play(Circumscribe(value, color=palette.ACCENT))
        with self.voiceover(
            text="Now let it shake again. The weights do not move, yet the loss at that spot keeps "
                 "jumping up and down."
        ) as tracker:
            self.play(*quakes([surface, pin], loop, story=S, run_time=max(tracker.duration, 3)))
        with self.voiceover(text="So what is moving? Hold on to that question.") as tracker:
            self.play(*quakes([surface, pin], loop[:6], story=S, run_time=max(tracker.duration, 1.5)))
        value.clear_updaters()
        self.play(FadeOut(hint), FadeOut(readout), FadeOut(pin), FadeOut(surface),
                  FadeOut(axes), FadeOut(labels))
        self.wait(0.3)
