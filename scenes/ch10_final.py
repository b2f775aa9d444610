"""Chapter 10 - Final words.

The quake metaphor drawn together: every batch shakes the ground, the batch
size sets the magnitude, and methods that average gradients over time walk
steadily on shaking ground. Plain SGD and SGD with momentum (same batches,
same start) walk on one contour map that quakes through the batches'
landscapes. A short close.

    manim -pqh scenes/ch10_final.py FinalWords
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Line, MathTex, TransformMatchingTex, VGroup, Write,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap, fit_window
from scenes.kit.motion import Quake, Walker, walk_on_quake

from scenes.kit.text import caption


@lru_cache(maxsize=None)
def walks(steps: int):
    """Plain SGD and SGD with momentum over the same story batches, the
    landscape of every batch, and each walk's average turn per step."""
    S = numbers.story()
    X, y = numbers.dataset()
    batches = qm.train_batches(S, steps=steps)
    plain = qm.sgd(X, y, S, batches=batches)
    mom = qm.momentum_sgd(X, y, S, batches=batches)
    grids = numbers.sample_grids()
    Zs = np.stack([qm.mean_landscape(grids, b) for b in batches])
    turns = (qm.mean_turning_angle(plain.weights), qm.mean_turning_angle(mom.weights))
    return plain, mom, Zs, turns


class FinalWords(NarratedScene):
    """The metaphor drawn together, momentum on shaking ground, the close."""

    steps = numbers.story().final_walk_steps  # steps of the final walk (story setting)
    window_margin = 1.5  # weights around the two paths
    map_side = 6.3
    map_center = (-2.4, -0.35)
    step_time = 0.25  # seconds per step of the walk (moving, then the batch change)
    recap_map_side = 4.4

    # -- builders --------------------------------------------------------------
    def get_window(self):
        plain, mom, _, _ = walks(self.steps)
        return fit_window(numbers.story(), plain.weights, mom.weights, margin=self.window_margin)

    def get_walk_map(self):
        plain, mom, Zs, _ = walks(self.steps)
        m = ContourMap(numbers.story(), Zs[0], side=self.map_side, window=self.get_window())
        return m.move_to(np.array([*self.map_center, 0]))

    def get_walkers(self, cmap: ContourMap) -> list[Walker]:
        plain, mom, _, _ = walks(self.steps)
        return [Walker(cmap.w2p, tr.weights, color=color, radius=0.09)
                for tr, color in ((plain, palette.SGD_COLOR), (mom, palette.MOMENTUM_COLOR))]

    def get_legend(self):
        """Which walk is which, and each one's average turn per step."""
        _, _, _, turns = walks(self.steps)
        rows = VGroup()
        for name, color, turn in (("plain SGD", palette.SGD_COLOR, turns[0]),
                                  ("SGD with momentum", palette.MOMENTUM_COLOR, turns[1])):
            swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=6)
            label = caption(name, "note", color)
            turn_text = caption(f"average turn per step: {turn:.0f}°", "note", palette.TEXT)
            row = VGroup(VGroup(swatch, label).arrange(RIGHT, buff=0.15), turn_text).arrange(
                DOWN, aligned_edge=LEFT, buff=0.12)
            row.turn, row.turn_text = turn, turn_text
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        return rows

    def get_update_rules(self):
        """Plain SGD's step, then the same step with a running average of the
        gradients in place of the gradient (one MathTex per step)."""
        S = numbers.story()
        kw = {"font_size": 38, "color": palette.TEXT}
        sgd = MathTex("w_{k+1}", "=", "w_k", "-", r"\eta", "g_k", **kw)
        avg = MathTex("w_{k+1}", "=", "w_k", "-", r"\eta", "v_k", **kw)
        rule = MathTex("v_k", "=", r"\mu", "v_{k-1}", "+", r"(1-\mu)", "g_k", **kw)
        mu = MathTex(r"\mu", "=", f"{S.momentum:g}", **kw)
        return sgd, avg, rule, mu

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        small, large = S.batch_sizes

        # -- 1. the metaphor, drawn together -------------------------------------
        _, Zq = numbers.quake()
        recap = ContourMap(S, Zq[0], side=self.recap_map_side).move_to(LEFT * 4.0 + DOWN * 0.3)
        loop = np.concatenate([Zq, Zq[:1]])
        lines = VGroup(
            caption("Every batch: its own landscape.", "note"),
            caption("The ground shakes.", "note", palette.ACCENT),
            caption(f"Batch {small} shakes harder than batch {large}.", "note"),
            caption("The batch size sets the magnitude.", "note", palette.ACCENT),
            caption("Training walks on shaking ground.", "note"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.next_to(recap.frame, RIGHT, buff=0.75)
        title = caption("Final words", "title").to_edge(UP, buff=0.3)
        with self.voiceover(
            text="Let's put the picture together. Every mini-batch has its own loss landscape, "
                 "so as training moves from batch to batch, <bookmark mark='a'/>the ground shakes."
        ) as tracker:
            self.play(FadeIn(title), FadeIn(recap), run_time=1.0)
            self.play(FadeIn(lines[0]), run_time=0.8)
            self.wait_until_bookmark("a")
            self.play(FadeIn(lines[1]), Quake(recap, loop[:6], run_time=max(tracker.get_remaining_duration(), 2)))
        with self.voiceover(
            text=f"The batch size sets the magnitude. Small batches of {small} shake hard; "
                 f"batches of {large} only tremble; the whole data set stands still."
        ) as tracker:
            self.play(FadeIn(lines[2]), FadeIn(lines[3]),
                      Quake(recap, loop[5:11], run_time=max(tracker.duration, 2)))
        with self.voiceover(
            text="And training has to walk on this shaking ground. How do we keep a steady step?"
        ) as tracker:
            self.play(FadeIn(lines[4]), Quake(recap, loop[10:], run_time=max(tracker.duration, 2)))
        self.play(FadeOut(VGroup(recap, lines)), run_time=0.8)

        # -- 2. momentum: a running average of the gradients --------------------
        sgd, avg, rule, mu = self.get_update_rules()
        sgd.move_to(UP * 1.0)
        avg.move_to(UP * 1.0)
        rule.move_to(DOWN * 0.4)
        mu.next_to(rule, DOWN, buff=0.4)
        with self.voiceover(
            text="Plain SGD steps straight down the slope of the current batch, whatever that batch says."
        ) as tracker:
            self.play(Write(sgd), run_time=1.5)
        with self.voiceover(
            text="Momentum steps along a running average of the slopes instead. <bookmark mark='r'/>"
                 "Each new batch only nudges that average, so one odd batch cannot throw the walk off course."
        ) as tracker:
            self.play(TransformMatchingTex(sgd, avg), run_time=1.2)
            self.wait_until_bookmark("r")
            self.play(Write(rule), run_time=1.5)
            self.play(FadeIn(mu), run_time=0.6)
        rules = VGroup(avg, rule, mu)
        self.play(FadeOut(rules), FadeOut(title), run_time=0.8)

        # -- 3. two walks on one quaking map ------------------------------------
        plain, mom, Zs, turns = walks(self.steps)
        cmap = self.get_walk_map()
        walkers = self.get_walkers(cmap)
        legend = self.get_legend().next_to(cmap.frame, RIGHT, buff=0.9).align_to(cmap.frame, UP)
        head = caption(f"Same {self.steps} batches of {S.train_batch_size}, same start", "note").to_edge(UP, buff=0.25)
        with self.voiceover(
            text="Here are both, on the same batches, from the same start. "
                 "Plain SGD in red, momentum in green."
        ) as tracker:
            self.play(FadeIn(cmap), FadeIn(head), run_time=1.0)
            self.add(*[w.trace for w in walkers])
            self.play(*[FadeIn(w.dot) for w in walkers],
                      FadeIn(VGroup(legend[0][0], legend[1][0])), run_time=1.0)
        half = self.steps // 3
        with self.voiceover(
            text="The map quakes with every batch. Plain SGD follows each new slope, and zigzags. "
                 "Momentum barely notices any single batch. It keeps going where it was heading, "
                 "so it swings wide, but it never zigzags."
        ) as tracker:
            self.play(*walk_on_quake(cmap, Zs, walkers, 0, half,
                                     run_time=max(tracker.duration, half * self.step_time)))
        with self.voiceover(
            text="Near the bottom, the ground keeps shaking. Plain SGD keeps hopping around the lowest "
                 "point. The momentum walker turns back in one smooth curve, and settles in calmly."
        ) as tracker:
            self.play(*walk_on_quake(cmap, Zs, walkers, half, self.steps,
                                     run_time=max(tracker.duration, (self.steps - half) * self.step_time)))
        with self.voiceover(
            text=f"Measure it: from one step to the next, plain SGD turns by {turns[0]:.0f} degrees on "
                 f"average. With momentum, by only {turns[1]:.0f}."
        ) as tracker:
            self.play(FadeIn(legend[0][1]), run_time=0.8)
            self.play(FadeIn(legend[1][1]), run_time=0.8)
        self.play(FadeOut(VGroup(cmap, legend, head, *[w.mobjects for w in walkers])), run_time=1.0)

        # -- 4. close --------------------------------------------------------------
        close = VGroup(
            caption("Every batch shakes the ground.", "heading"),
            caption("The batch size sets the magnitude.", "heading"),
            caption("Averaging over time keeps a steady walk.", "heading", palette.ACCENT),
        ).arrange(DOWN, buff=0.45)
        with self.voiceover(
            text="So the next time you train with mini-batches, picture the ground shaking under the "
                 "weights. The batch size sets the magnitude of the quake, and averaging over time "
                 "keeps the walk steady. Thanks for watching."
        ) as tracker:
            for line in close:
                self.play(FadeIn(line, shift=UP * 0.2), run_time=0.8)
        self.play(FadeOut(close), run_time=1.0)
        self.wait(0.5)
