"""Chapter 7 - Averaging.

The single-sample landscapes combine, one after the other, into their
average (a running mean, morphing through the interpolated grids). Then, at
one point of the weight grid, the per-sample gradient arrows are added tip to
tail and divided by their count: the result is the gradient of the averaged
landscape.

    manim -pqh scenes/ch07_averaging.py Averaging
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, GrowArrow, GrowFromCenter, Indicate, LaggedStart,
    ReplacementTransform, SurroundingRectangle, Transform, TransformFromCopy, VGroup, VMobject, Write,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import polylines_to_points
from scenes.kit.motion import Quake, StepArrow, weight_dot
from scenes.kit.sample_maps import SampleLayout, gradient_arrows, right_angle
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import LOSS_BATCH, LOSS_SAMPLE, W, Number, caption, math


def vector_tex(v, size: str = "body", color=palette.TEXT):
    return math(rf"\begin{{pmatrix}} {v[0]:.2f} \\ {v[1]:.2f} \end{{pmatrix}}", size=size, color=color)


class Averaging(SampleLayout, NarratedScene):
    """The landscapes fold into their average; the arrows add up into its gradient."""

    probe = (0.5, -0.5)  # the weights where the arrows are drawn (a grid point)
    scales = (2.0, 1.5, 1.0, 0.75, 0.5, 0.25, 0.1)  # display scales of the arrows, the largest that fits is used
    small_scales = (3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.25, 0.1)  # the same on the small maps (arrows fit one map)
    x_length = 6.0  # the x arrows on the small maps: one length for all (only the direction matters)
    show_x = False  # drawn when their right angle is mentioned
    fold_time = 1.1  # seconds per sample folded into the average
    chain_x = -1.1  # the arrows are added tip to tail in a column around this x ...
    chain_height = 6.6  # ... at most this high (at the big map's scale)

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

    def get_arrow_scale(self) -> float:
        """The largest of ``scales`` (weight units per unit of gradient) at
        which every arrow stays on the map and the arrows, added tip to tail
        at the big map's size, fit ``chain_height``."""
        per = self.get_gradients()[0]
        lo, hi = self.window
        path = np.vstack([np.zeros(2), np.cumsum(per, axis=0)])
        per_unit = self.big_side / (hi - lo)  # screen units per weight unit on the big map
        for a in self.scales:
            tips = self.get_probe() + a * per
            if (tips.min() > lo + 0.5 and tips.max() < hi - 0.5
                    and np.ptp(path, axis=0).max() * a * per_unit <= self.chain_height):
                return a
        return self.scales[-1]

    def get_small_scale(self) -> float:
        """The largest of ``small_scales`` at which every arrow stays on a small map
        (one scale for all small maps: their arrows compare truly)."""
        per = self.get_gradients()[0]
        lo, hi = self.window
        for a in self.small_scales:
            tips = self.get_probe() + a * per
            if tips.min() > lo + 0.5 and tips.max() < hi - 0.5:
                return a
        return self.small_scales[-1]

    def get_small_arrows(self, maps) -> VGroup:
        """Each sample's gradient at the probe, on its own small map, in its class colour."""
        per, _, _ = self.get_gradients()
        w, a = self.get_probe(), self.get_small_scale()
        return VGroup(*[gradient_arrows(m.w2p, w, g[None, :], a, colors=[palette.class_color(c)],
                                        stroke_width=3)[0]
                        for m, g, c in zip(maps.maps, per, maps.y)])

    def get_big_arrows(self, big):
        """The per-sample arrows (class colours) and the arrow of their mean, on the big map."""
        per, mean, _ = self.get_gradients()
        w, a = self.get_probe(), self.get_arrow_scale()
        colors = [palette.class_color(c) for c in self.get_samples()[2]]
        arrows = gradient_arrows(big.w2p, w, per, a, colors=colors, stroke_width=3)
        mean_arrow = gradient_arrows(big.w2p, w, mean, a, colors=[palette.ACCENT], stroke_width=6)[0]
        return arrows, mean_arrow

    def get_chain(self, arrows):
        """The arrows moved tip to tail (copies, same screen size), the arrow
        of their sum from the first tail to the last tip, and that sum divided
        by the number of arrows."""
        steps = [a.get_end() - a.get_start() for a in arrows]
        starts = np.cumsum([np.zeros(3)] + steps, axis=0)
        middle = (starts.min(axis=0) + starts.max(axis=0)) / 2
        starts += np.array([self.chain_x, self.big_center[1], 0]) - middle
        chain = VGroup(*[a.copy().shift(p - a.get_start()) for a, p in zip(arrows, starts)])
        style = dict(buff=0, color=palette.ACCENT, stroke_width=6, max_tip_length_to_length_ratio=0.1)
        total = Arrow(starts[0], starts[-1], **style)
        mean = Arrow(starts[0], starts[0] + (starts[-1] - starts[0]) / len(arrows),
                     **dict(style, max_tip_length_to_length_ratio=0.35, max_stroke_width_to_length_ratio=12))
        return chain, total, mean

    def get_step(self, big):
        """One training step from the probe: the arrow to w - learning_rate * gradient."""
        _, _, batch = self.get_gradients()
        step = -numbers.story().learning_rate * batch
        return StepArrow(big.w2p, self.get_probe(), step, color=palette.SGD_COLOR, stroke_width=5)

    def get_level_line(self, big) -> VMobject:
        """The averaged landscape's contour line through the probe."""
        S = numbers.story()
        Z = self.get_running_means()[-1]
        i, j = self.get_probe_index()
        level = float(Z[i, j])
        # traced on every grid point of the map's window (the map itself may
        # skip some), so the line passes exactly through the probe
        (lo1, hi1), (lo2, hi2) = big.windows
        w1, w2 = numbers.axes()
        k1 = np.nonzero((w1 >= lo1 - 1e-9) & (w1 <= hi1 + 1e-9))[0]
        k2 = np.nonzero((w2 >= lo2 - 1e-9) & (w2 <= hi2 + 1e-9))[0]
        (_, lines), = qm.contour_lines(Z[np.ix_(k2, k1)], S, levels=[level], axes=(w1[k1], w2[k2]))
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
        bar = self.get_color_bar()
        means = self.get_running_means()
        n = len(means)
        big = self.get_average_map(means[0])
        away = -VGroup(maps, bar).get_center()  # alone on screen first: in the middle
        maps.shift(away)
        bar.shift(away)
        with self.voiceover(
            text=f"Back to our {n} samples, each with its own landscape of straight lines, "
                 "<bookmark mark='x'/>at a right angle to its sample's x. <bookmark mark='watch'/>"
                 "Now let's watch the averaging itself."
        ):
            self.play(LaggedStart(*[FadeIn(VGroup(m, lab)) for m, lab in zip(maps.maps, maps.labels)],
                                  lag_ratio=0.1), FadeIn(bar), run_time=2.0)
            self.wait_until_bookmark("x")
            self.play(FadeIn(maps.origins), LaggedStart(*[GrowArrow(a) for a in maps.x_arrows], lag_ratio=0.1),
                      run_time=1.8)
            self.wait_until_bookmark("watch")
            self.play(FadeOut(maps.origins), FadeOut(maps.x_arrows), run_time=0.6)
            self.play(VGroup(maps, bar).animate.shift(-away), FadeIn(big.frame), run_time=1.2)

        count = VGroup(caption("landscapes averaged:", "heading"), Number(1, decimals=0, size="heading"))
        count.arrange(RIGHT, buff=0.2).next_to(big.frame, UP, buff=0.3)
        with self.voiceover(
            text="Start with the first sample alone. Its average is simply its own landscape."
        ):
            first = VGroup(maps.maps[0].bands, maps.maps[0].level_lines).copy()
            self.play(first.animate.scale(big.frame.width / first.width).move_to(big.frame), run_time=1.5)
            self.remove(first)
            self.add(big.bands, big.level_lines, big.frame)
            self.play(FadeIn(big.ticks), FadeIn(big.labels), FadeIn(count), run_time=1.0)
            self.remove(big.bands, big.level_lines, big.frame, big.ticks, big.labels)
            self.add(big)  # the same picture, now as one map (Quake redraws it)
        with self.voiceover(
            text="Now fold in the other samples, one at a time. With every new sample, "
                 "the map moves part of the way towards that sample's landscape. "
                 "The straight lines bend, and a valley appears."
        ) as tracker:
            per = max(self.fold_time, (tracker.duration - 0.5) / max(n - 1, 1))
            for k in range(1, n):
                flyer = VGroup(maps.maps[k].bands, maps.maps[k].level_lines).copy()
                count[1].set_value(k + 1)
                self.play(flyer.animate.scale(big.frame.width / flyer.width).move_to(big.frame).set_opacity(0),
                          Quake(big, means[k - 1:k + 1], run_time=per), run_time=per)
                self.remove(flyer)
        eq = math(LOSS_BATCH, "=", rf"\frac{{1}}{{{n}}}", r"\sum_{i\in B}", LOSS_SAMPLE, size="body")
        eq.next_to(big.frame, UP, buff=0.25)
        with self.voiceover(
            text=f"After all {n}, this is their average: <bookmark mark='eq'/>the landscape of a batch "
                 f"made of these {n} samples."
        ):
            self.play(Indicate(big.level_lines, color=palette.ACCENT, scale_factor=1.0), run_time=1.5)
            self.wait_until_bookmark("eq")
            self.play(FadeOut(count[0]), count[1].animate.move_to(eq[2]), run_time=0.6)
            self.play(ReplacementTransform(count[1], eq[2]), Write(VGroup(*eq[:2], *eq[3:])), run_time=1.5)
        self.maps, self.big, self.bar, self.eq = maps, big, bar, eq

    def arrows(self):
        maps, big, eq = self.maps, self.big, self.eq
        n = len(maps.maps)
        w, a = self.get_probe(), self.get_arrow_scale()
        dots = VGroup(*[weight_dot(m.w2p, w, color=palette.ACCENT, radius=0.035) for m in maps.maps])
        big_dot = weight_dot(big.w2p, w, color=palette.ACCENT, radius=0.08)
        small = self.get_small_arrows(maps)
        arrows, mean_arrow = self.get_big_arrows(big)
        with self.voiceover(text="Now pick one pair of weights, the same point on every map."):
            self.play(LaggedStart(*[GrowFromCenter(d) for d in [*dots, big_dot]], lag_ratio=0.1), run_time=1.8)

        x_lines = VGroup(*[maps.x_line(k, stroke_width=1.5) for k in range(n)])
        lengths = np.linalg.norm(self.get_gradients()[0], axis=1)
        with self.voiceover(
            text="On each small map, draw the gradient there: the arrow pointing uphill. <bookmark mark='x'/>"
                 "Each one crosses its straight lines at a right angle, along its sample's x. "
                 "<bookmark mark='long'/>Some are long, <bookmark mark='short'/>and some are short."
        ):
            self.play(LaggedStart(*[GrowArrow(s) for s in small], lag_ratio=0.12), run_time=2.5)
            self.wait_until_bookmark("x")
            self.play(LaggedStart(*[Create(ln) for ln in x_lines], lag_ratio=0.1), run_time=1.8)
            self.wait_until_bookmark("long")
            self.play(Indicate(small[int(np.argmax(lengths))], scale_factor=1.5), run_time=1.0)
            self.wait_until_bookmark("short")
            self.play(Indicate(small[int(np.argmin(lengths))], scale_factor=2.5), run_time=1.0)

        note = caption(f"arrows drawn {a:g} times longer", "label", palette.MUTED)
        note.next_to(big.labels[0], DOWN, buff=0.1)
        with self.voiceover(
            text="Bring all of them to the same point on the averaged map. <bookmark mark='same'/>"
                 "All arrows are stretched by the same factor, <bookmark mark='cmp'/>so their lengths can be compared."
        ):
            self.play(FadeOut(x_lines), LaggedStart(*[TransformFromCopy(s, b) for s, b in zip(small, arrows)],
                                                    lag_ratio=0.1), run_time=2.5)
            self.wait_until_bookmark("same")
            self.play(FadeIn(note, shift=UP * 0.1), run_time=0.8)
            self.wait_until_bookmark("cmp")
            self.play(Indicate(arrows[int(np.argmax(lengths))], scale_factor=1.2),
                      Indicate(arrows[int(np.argmin(lengths))], scale_factor=2.0), run_time=1.2)

        chain, total, scaled = self.get_chain(arrows)
        geq = math(r"\nabla", LOSS_BATCH, "=", rf"\frac{{1}}{{{n}}}", r"\sum_{i\in B}", r"\nabla", LOSS_SAMPLE,
                   size="body").to_corner(UP + LEFT, buff=0.6)
        with self.voiceover(
            text="Now average the arrows. <bookmark mark='add'/>First add them up: "
                 "<bookmark mark='chain'/>put them tip to tail. <bookmark mark='sum'/>"
                 "Their sum runs from the first tail to the last tip."
        ):
            self.play(FadeOut(VGroup(maps, dots, small)), TexStep(eq, geq), run_time=1.5)
            eq = self.eq = geq
            self.wait_until_bookmark("add")
            self.play(eq[4:].animate.set_color(palette.ACCENT), run_time=0.5)
            self.wait_until_bookmark("chain")
            self.play(arrows.animate.set_opacity(0.3),
                      LaggedStart(*[TransformFromCopy(b, c) for b, c in zip(arrows, chain)], lag_ratio=0.3),
                      run_time=max(0.35 * n, 2.0))
            self.wait_until_bookmark("sum")
            self.play(GrowArrow(total), run_time=1.5)

        with self.voiceover(
            text=f"Then divide by {n}. <bookmark mark='div'/>The sum shrinks, {n} times shorter."
        ):
            self.play(eq[4:].animate.set_color(palette.TEXT), eq[3].animate.set_color(palette.ACCENT), run_time=0.6)
            self.wait_until_bookmark("div")
            self.play(Indicate(eq[3], color=palette.ACCENT), Transform(total, scaled), chain.animate.set_opacity(0.3),
                      run_time=2.0)

        per, mean, batch = self.get_gradients()
        cap1 = caption("mean of the arrows", "note", palette.ACCENT)
        cap2 = caption("gradient of the average", "note", palette.TEXT)
        vec1, vec2 = vector_tex(mean, color=palette.ACCENT), vector_tex(batch)
        VGroup(cap1, cap2).arrange(DOWN, buff=1.0, aligned_edge=LEFT)
        for cap, vec in ((cap1, vec1), (cap2, vec2)):
            vec.next_to(cap2, RIGHT, buff=0.35).set_y(cap.get_y())  # one column of numbers
        rows = VGroup(VGroup(cap1, vec1), VGroup(cap2, vec2))
        rows.next_to(eq, DOWN, buff=0.9, aligned_edge=LEFT)
        with self.voiceover(
            text="<bookmark mark='back'/>Put it back at the point: this is the mean of the arrows."
        ):
            self.play(ReplacementTransform(total, mean_arrow), FadeOut(chain), arrows.animate.set_opacity(0.15),
                      run_time=1.5)
            self.play(FadeIn(rows[0], shift=RIGHT * 0.2), eq[3].animate.set_color(palette.TEXT), run_time=1.0)

        line = self.get_level_line(big)
        mark = right_angle(big.w2p(w), mean, size=0.18, stroke_color=palette.TEXT)
        S, (_, Xs, ys, _) = numbers.story(), self.get_samples()
        walker = weight_dot(big.w2p, w, color=palette.TEXT, radius=0.06)
        reading = VGroup(math(LOSS_BATCH, "=", size="body"), Number(0.0, size="body")).arrange(RIGHT, buff=0.15)
        reading.next_to(big.frame, UP, buff=0.3)
        reading[1].add_updater(lambda num: num.set_value(float(
            qm.batch_loss(big.p2w(walker.get_center()), Xs, ys, S.clip))))
        reading[1].update()
        with self.voiceover(
            text="And it is exactly the gradient of the averaged landscape at that point. "
                 "<bookmark mark='line'/>It crosses the curved contour line there at a right angle, "
                 "<bookmark mark='up'/>pointing uphill, as a gradient should."
        ):
            self.play(FadeIn(rows[1], shift=RIGHT * 0.2), eq[:2].animate.set_color(palette.ACCENT),
                      FadeOut(arrows), run_time=1.2)
            self.wait_until_bookmark("line")
            self.play(Create(line), run_time=1.5)
            self.play(Create(mark), run_time=0.6)
            self.wait_until_bookmark("up")
            self.play(FadeIn(walker), FadeIn(reading), run_time=0.5)
            self.play(walker.animate.move_to(mean_arrow.get_end()), run_time=1.8)  # the loss grows along it
            reading[1].clear_updaters()
            self.play(FadeOut(walker), run_time=0.4)

        boxes = [SurroundingRectangle(r, color=palette.ACCENT, buff=0.12) for r in (rows[1], rows[0])]
        step = self.get_step(big)
        rule = math(W, r"\leftarrow", W, "-", r"\eta", r"\nabla", LOSS_BATCH, size="body")
        rule.next_to(rows, DOWN, buff=0.8, aligned_edge=LEFT)
        with self.voiceover(
            text="<bookmark mark='g'/>Gradient of the average, <bookmark mark='a'/>average of the gradients: "
                 "<bookmark mark='same'/>the same arrow. <bookmark mark='mb'/>That is what every mini-batch does "
                 "at every step."
        ):
            self.wait_until_bookmark("g")
            self.play(Create(boxes[0]), run_time=0.8)
            self.wait_until_bookmark("a")
            self.play(ReplacementTransform(boxes[0], boxes[1]), run_time=0.8)
            self.wait_until_bookmark("same")
            twin = rows[1][1].copy()
            self.play(twin.animate.move_to(rows[0][1]).set_color(palette.ACCENT), run_time=1.0)
            self.remove(twin)
            self.wait_until_bookmark("mb")
            self.play(FadeOut(boxes[1]), FadeIn(VGroup(*rule[:5])), TransformFromCopy(eq[:2], VGroup(*rule[5:])),
                      run_time=1.2)
            self.play(GrowArrow(step), run_time=0.8)
            self.play(big_dot.animate.move_to(step.get_end()), run_time=0.8)
        self.play(FadeOut(VGroup(big, big_dot, mean_arrow, step, line, mark, note, rows, eq, rule, reading, self.bar)),
                  run_time=0.8)
        self.wait(0.3)
