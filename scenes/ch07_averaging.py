"""Chapter 7 - Averaging.

The nine single-sample landscapes combine, one after the other, into their
average (a running mean, morphing through the interpolated grids). Then, at
one point of the weight grid, the nine per-sample gradient arrows average into
the gradient of the averaged landscape.

    manim -pqh scenes/ch07_averaging.py Averaging
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, GrowArrow, Indicate, LaggedStart, MathTex,
    ReplacementTransform, TransformFromCopy, VGroup, VMobject, Write,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import polylines_to_points
from scenes.kit.motion import Quake, weight_dot
from scenes.kit.sample_maps import SampleLayout, gradient_arrows

from scenes.kit.text import caption


def vector_tex(v, font_size: float = 40, color=palette.TEXT) -> MathTex:
    return MathTex(rf"\begin{{pmatrix}} {v[0]:.2f} \\ {v[1]:.2f} \end{{pmatrix}}", font_size=font_size, color=color)


class Averaging(SampleLayout, NarratedScene):
    """Nine landscapes fold into their average; nine arrows into its gradient."""

    probe = (0.5, -0.5)  # the weights where the arrows are drawn (a grid point)
    arrow_scale = 2.0  # display: an arrow is this many weight units per unit of gradient
    show_x = False  # the x arrows would hide the gradient arrows near the origin
    fold_time = 1.1  # seconds per sample folded into the average

    # -- builders (tests compare these with quake_math) -------------------
    def get_running_means(self) -> np.ndarray:
        """The average of the first k samples' landscapes, k = 1 .. n."""
        grids = self.get_samples()[3]
        return np.stack([qm.mean_landscape(grids, idx=np.arange(k)) for k in range(1, len(grids) + 1)])

    def get_probe_index(self) -> tuple[int, int]:
        """Grid index (i, j) of the probe weights: Z[i, j] is the loss there."""
        w1, w2 = numbers.axes()
        j = int(np.argmin(np.abs(w1 - self.probe[0])))
        i = int(np.argmin(np.abs(w2 - self.probe[1])))
        return i, j

    def get_probe(self) -> np.ndarray:
        """The probe weights, snapped to the grid."""
        w1, w2 = numbers.axes()
        i, j = self.get_probe_index()
        return np.array([w1[j], w2[i]])

    def get_gradients(self):
        """Per-sample gradients at the probe (n, 2), their mean, and the
        gradient of the averaged landscape there (quake_math.batch_gradient)."""
        S = numbers.story()
        _, Xs, ys, _ = self.get_samples()
        w = self.get_probe()
        per = qm.per_sample_gradient(w, Xs, ys, S.clip)
        return per, per.mean(axis=0), qm.batch_gradient(w, Xs, ys, S.clip)

    def get_small_arrows(self, maps) -> VGroup:
        """Each sample's gradient at the probe, on its own small map."""
        per, _, _ = self.get_gradients()
        w = self.get_probe()
        return VGroup(*[gradient_arrows(m.w2p, w, g[None, :], self.arrow_scale, stroke_width=3)[0]
                        for m, g in zip(maps.maps, per)])

    def get_big_arrows(self, big):
        """The nine per-sample arrows and the arrow of their mean, on the big map."""
        per, mean, _ = self.get_gradients()
        w = self.get_probe()
        arrows = gradient_arrows(big.w2p, w, per, self.arrow_scale, stroke_width=3)
        mean_arrow = gradient_arrows(big.w2p, w, mean, self.arrow_scale, colors=[palette.ACCENT], stroke_width=6)[0]
        return arrows, mean_arrow

    def get_level_line(self, big) -> VMobject:
        """The averaged landscape's contour line through the probe."""
        S = numbers.story()
        Z = big.Z  # the cropped grid the map shows
        i, j = self.get_probe_index()
        level = float(self.get_running_means()[-1][i, j])
        (_, lines), = qm.contour_lines(Z, S, levels=[level], axes=big.grid_axes)
        line = VMobject(stroke_color=palette.ACCENT, stroke_width=3, fill_opacity=0)
        line.points = polylines_to_points(lines, big.w2p)
        line.level = level
        return line

    # -- the scene --------------------------------------------------------
    def construct(self):
        self.fold()
        self.arrows()

    def fold(self):
        maps = self.get_sample_maps()
        means = self.get_running_means()
        n = len(means)
        big = self.get_average_map(means[0])
        with self.voiceover(
            text=f"Back to our {n} samples, each with its own landscape of straight lines, "
                 "at a right angle to its sample's x. "
                 "Now let's watch the averaging itself."
        ):
            self.play(FadeIn(maps), run_time=1.2)

        count = VGroup(caption("average of", "heading"), MathTex("1", font_size=40, color=palette.ACCENT),
                       caption("landscape", "heading")).arrange(RIGHT, buff=0.18)
        count.next_to(big.frame, UP, buff=0.25)

        def count_for(k):
            new = VGroup(caption("average of", "heading"), MathTex(str(k), font_size=40, color=palette.ACCENT),
                         caption("landscape" if k == 1 else "landscapes", "heading")).arrange(RIGHT, buff=0.18)
            return new.move_to(count)

        with self.voiceover(
            text="Start with the first sample alone. Its average is simply its own landscape."
        ):
            first = maps.maps[0].copy()
            self.play(first.animate.scale(self.big_side / first.frame.width).move_to(big.frame), run_time=1.2)
            self.remove(first)
            self.add(big)
            self.play(FadeIn(count), run_time=0.6)
        with self.voiceover(
            text="Now fold in the other samples, one at a time. With every new sample, "
                 "the map moves part of the way towards that sample's landscape. "
                 "The straight lines bend, and a valley appears."
        ) as tracker:
            per = max(self.fold_time, (tracker.duration - 0.5) / (n - 1))
            for k in range(1, n):
                flyer = maps.maps[k].copy()
                self.play(
                    flyer.animate.scale(self.big_side / flyer.frame.width).move_to(big.frame).set_opacity(0),
                    Quake(big, means[k - 1:k + 1], run_time=per),
                    ReplacementTransform(count, new_count := count_for(k + 1)), run_time=per)
                count = new_count
                self.remove(flyer)
        with self.voiceover(
            text=f"After all {n}, this is their average: the landscape of a batch made of these {n} samples."
        ):
            self.play(Indicate(big.level_lines, color=palette.ACCENT, scale_factor=1.0), run_time=2.0)
        self.maps, self.big, self.count = maps, big, count

    def arrows(self):
        maps, big = self.maps, self.big
        n = len(maps.maps)
        w = self.get_probe()
        dots = VGroup(*[weight_dot(m.w2p, w, color=palette.ACCENT, radius=0.04) for m in maps.maps])
        big_dot = weight_dot(big.w2p, w, color=palette.ACCENT, radius=0.08)
        small = self.get_small_arrows(maps)
        arrows, mean_arrow = self.get_big_arrows(big)
        with self.voiceover(
            text="Now pick one pair of weights, the same point on every map."
        ):
            self.play(FadeIn(dots), FadeIn(big_dot))
        with self.voiceover(
            text="On each small map, draw the gradient there: the arrow pointing uphill. "
                 "Each one crosses its straight lines at a right angle, along its sample's x. "
                 "Some are long, and some are short."
        ):
            self.play(LaggedStart(*[GrowArrow(a) for a in small], lag_ratio=0.12), run_time=2.5)
        note = caption(f"arrows drawn {self.arrow_scale:g} times longer", "label", palette.MUTED)
        note.next_to(big.labels[0], DOWN, buff=0.12)
        with self.voiceover(
            text="Bring all of them to the same point on the averaged map. "
                 "All arrows are stretched by the same factor, so their lengths can be compared."
        ):
            self.play(LaggedStart(*[TransformFromCopy(a, b) for a, b in zip(small, arrows)], lag_ratio=0.1),
                      FadeIn(note), run_time=2.5)

        per, mean, batch = self.get_gradients()
        eq = MathTex(r"\nabla E(\mathbf{w})", "=", rf"\frac{{1}}{{{n}}}", rf"\sum_{{i=1}}^{{{n}}}",
                     r"\nabla e_i(\mathbf{w})", font_size=52, color=palette.TEXT)
        cap1 = caption("mean of the arrows", "body", palette.ACCENT)
        cap2 = caption("gradient of the average", "body", palette.TEXT)
        vec1, vec2 = vector_tex(mean, color=palette.ACCENT), vector_tex(batch)
        VGroup(cap1, cap2).arrange(DOWN, buff=1.0, aligned_edge=LEFT)
        for cap, vec in ((cap1, vec1), (cap2, vec2)):
            vec.next_to(cap2, RIGHT, buff=0.35).set_y(cap.get_y())  # one column of numbers
        row1, row2 = VGroup(cap1, vec1), VGroup(cap2, vec2)
        panel = VGroup(eq, VGroup(row1, row2)).arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        panel.move_to(self.grid_center).shift(RIGHT * 0.2)
        with self.voiceover(
            text=f"Now average the arrows: add them up, and divide by {n}."
        ) as tracker:
            self.play(FadeOut(maps), FadeOut(dots), FadeOut(small), run_time=0.8)
            self.play(Write(eq))
            copies = [mean_arrow.copy() for _ in arrows]
            self.play(*[ReplacementTransform(a, c) for a, c in zip(arrows, copies)],
                      run_time=max(tracker.get_remaining_duration(), 1.5))
        self.remove(*copies)
        self.add(mean_arrow)
        self.play(FadeIn(row1))
        line = self.get_level_line(big)
        with self.voiceover(
            text="This mean arrow is exactly the gradient of the averaged landscape at that point. "
                 "<bookmark mark='line'/>It crosses the curved contour line there at a right angle, "
                 "pointing uphill, as a gradient should."
        ):
            self.play(FadeIn(row2))
            self.wait_until_bookmark("line")
            self.play(Create(line), run_time=1.2)
            self.play(Indicate(mean_arrow, color=palette.ACCENT))
        with self.voiceover(
            text="Gradient of the average, average of the gradients: the same arrow. "
                 "That is what every mini-batch does at every step."
        ):
            self.play(Indicate(row1[1]), Indicate(row2[1]))
        self.wait(0.5)
        self.play(FadeOut(VGroup(big, big_dot, mean_arrow, line, note, panel, self.count)), run_time=0.8)
        self.wait(0.3)
