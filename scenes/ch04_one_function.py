"""Chapter 4 - One function per batch.

Every mini-batch holds different samples, so it defines its own loss function
with its own valley; shuffling almost never draws the same one twice, and still
training ends somewhere good. Why: a batch's loss is the mean of its samples'
losses, so nabla L_B(w) = 1/B sum_{i in B} nabla l_i(w), drawn as arrows on a
batch's map and a sample's map; the samples' arrows, divided by B and laid tip
to tail, end exactly at the tip of the batch's arrow.

    manim -pqh scenes/ch04_one_function.py OneFunctionPerBatch
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    DL, DOWN, LEFT, RIGHT, UP, Brace, Circumscribe, Create, FadeIn, FadeOut, GrowArrow, GrowFromCenter, Indicate, LaggedStart,
    ShowPassingFlash, SurroundingRectangle, TransformFromCopy, TransformMatchingTex, UpdateFromAlphaFunc, VGroup, VMobject,
    Write, linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap, fit_window, nice_step
from scenes.kit.map_marks import draw_map, legend, map_title, ring
from scenes.kit.map_zoom import grow_into, play_zoom, window_outline
from scenes.kit.motion import Quake, StepArrow, Walker, weight_dot
from scenes.kit.plots import PlotAxes
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.text import LOSS_BATCH, LOSS_SAMPLE, Number, caption, grouped_tex, math, sci_tex

# The two equations, cut into parts so TransformMatchingTex moves the parts
# they share and fades in the gradient signs.
MEAN_PARTS = (LOSS_BATCH, "=", r"\frac{1}{B}", r"\sum_{i\in B}", LOSS_SAMPLE)
MID_PARTS = (r"\nabla", LOSS_BATCH, "=", r"\nabla\Big(", r"\frac{1}{B}", r"\sum_{i\in B}", LOSS_SAMPLE, r"\Big)")
GRAD_PARTS = (r"\nabla", LOSS_BATCH, "=", r"\frac{1}{B}", r"\sum_{i\in B}", r"\nabla", LOSS_SAMPLE)


class OneFunctionPerBatch(NarratedScene):
    """Three batches and their valleys; a stream of batches; training ends low; the averaging identity."""

    # layout
    batch_side = 3.3
    batch_x = (-4.2, 0.45, 5.1)  # the batch maps' centres
    batch_y = -1.3
    maps_shown = 3
    batch_room = 9.0  # weight units around the full data's valley floor on the batch maps
    stream_side = 5.4
    stream_center = LEFT * 3.0 + DOWN * 0.25
    right_left, right_width = 0.9, 5.9  # the column right of the map
    stream_batches = 40  # batches drawn one after another
    train_margin, valley_room = 1.0, 3.0  # the training window (as in chapter 3)
    plot_size = (4.6, 3.4)
    identity_step = 6  # the training step whose weights the identity's arrows stand on
    identity_room = 7.0  # weight units around those weights on the identity's maps
    identity_side = 3.9
    identity_x, identity_y = (-3.75, 4.6), -0.95  # the two maps' centres
    arrow_scale = 6.0  # at most this many weight units of arrow per unit of gradient (display only)
    arrow_room = 0.8  # the batch's arrow reaches at most this share of the way to the map's edge

    # -- numbers (all from quake_math) -------------------------------------
    @cached_property
    def training(self):
        """Full-batch descent and mini-batch SGD, and the loss on all the data at every step of both."""
        S, (X, y) = numbers.story(), numbers.dataset()
        gd, sgd = qm.gradient_descent(X, y, S), qm.sgd(X, y, S)
        return gd, sgd, qm.batch_loss(gd.weights, X, y, S.clip), qm.batch_loss(sgd.weights, X, y, S.clip)

    def get_batch_count(self) -> int:
        return qm.possible_batches(numbers.story().n_samples, numbers.story().quake_batch_size)

    def get_stream(self):
        """The first batches training draws, their landscapes, and how many differ after each."""
        batches = qm.train_batches(numbers.story(), batch_size=numbers.story().quake_batch_size,
                                   steps=self.stream_batches)
        return batches, numbers.batch_landscapes(batches), numbers.distinct_so_far(batches)

    def get_identity(self):
        """``(batch, w, sample gradients, batch gradient, shown, scale)`` at the
        identity's weights. ``scale`` (weight units of arrow per unit of
        gradient, one for all arrows) keeps the batch's arrow inside its map;
        ``shown`` is the sample whose arrow is drawn: the longest that fits."""
        S, (X, y) = numbers.story(), numbers.dataset()
        b = self.get_stream()[0][0]  # the first batch of training, "batch 1"
        w = self.training[1].weights[self.identity_step]
        g, g_batch = qm.per_sample_gradient(w, X[b], y[b], S.clip), qm.batch_gradient(w, X[b], y[b], S.clip)
        lo, hi = np.array(self.get_identity_window()).T
        with np.errstate(divide="ignore"):
            room = np.where(g_batch > 0, hi - w, lo - w) / g_batch
        scale = min(self.arrow_scale, self.arrow_room * float(np.min(np.abs(room))))
        tips = w + scale * g
        fits = np.all((tips > lo) & (tips < hi), axis=1)
        shown = int(np.argmax(np.where(fits, np.linalg.norm(g, axis=1), -1)))
        return b, w, g, g_batch, shown, scale

    def get_identity_window(self):
        w = self.training[1].weights[self.identity_step]
        return fit_window(numbers.story(), np.array([w - self.identity_room, w + self.identity_room]), margin=0)

    # -- builders (tests compare these with quake_math) -------------------
    def get_batch_window(self):
        floor = numbers.lowest_point(numbers.full_landscape())
        return fit_window(numbers.story(), np.array([floor - self.batch_room, floor + self.batch_room]), margin=0)

    def get_batch_columns(self) -> VGroup:
        """For the first few batches of training: its samples lit among all, and its landscape."""
        S = numbers.story()
        batches, Zs, _ = self.get_stream()
        cols = VGroup()
        for k, x in zip(range(self.maps_shown), self.batch_x):
            m = ContourMap(S, Zs[k], side=self.batch_side, window=self.get_batch_window(), label_size="label")
            m.shift([x, self.batch_y, 0] - m.frame.get_center())
            title = map_title(rf"L_{{B_{k + 1}}}(\mathbf{{w}})", f"batch {k + 1}", m.frame)
            cloud = SampleCloud(*numbers.dataset(), width=self.batch_side, max_height=2.5, legend=k == 0)
            cloud.light(batches[k]).next_to(title, UP, buff=0.2)
            if k == 0:  # one legend for the three, beside the first cloud
                cloud.legend.arrange(DOWN, aligned_edge=LEFT).next_to(cloud.frame, LEFT, buff=0.3)
            col = VGroup(cloud, title, m)
            col.cloud, col.title, col.map = cloud, title, m
            cols.add(col)
        return cols

    def get_loss_plot(self):
        """Axes of the loss on all the data against the step, and the two curves (full, not yet drawn)."""
        gd, sgd, gd_loss, sgd_loss = self.training
        high = float(np.max(np.concatenate([gd_loss, sgd_loss])))
        top = np.ceil(high / nice_step(high, 4)) * nice_step(high, 4)  # a round top, labelled
        axes = PlotAxes((0, max(gd.steps, sgd.steps)), (0, top), size=self.plot_size, max_ticks=5)
        curves = [VMobject(stroke_color=c, stroke_width=4).set_points_as_corners(
            [axes.c2p(k, x) for k, x in enumerate(v)]) for c, v in ((palette.GD_COLOR, gd_loss), (palette.SGD_COLOR, sgd_loss))]
        return axes, curves

    def get_identity_maps(self) -> tuple[ContourMap, ContourMap]:
        """The batch's map (left) and the shown sample's map (right), on one window."""
        S, grids = numbers.story(), numbers.sample_grids()
        b, _, _, _, shown, _ = self.get_identity()
        kw = dict(side=self.identity_side, window=self.get_identity_window(), label_size="label")
        maps = ContourMap(S, qm.mean_landscape(grids, b), **kw), ContourMap(S, grids[b[shown]], **kw)
        for m, x in zip(maps, self.identity_x):
            m.shift([x, self.identity_y, 0] - m.frame.get_center())
        return maps

    def get_identity_arrows(self, left: ContourMap, right: ContourMap):
        """The batch's uphill arrow on its map, the shown sample's on its own, and
        every sample's arrow divided by B, laid tip to tail from w on the batch's map."""
        b, w, g, g_batch, shown, scale = self.get_identity()
        y = numbers.dataset()[1]
        up_L = StepArrow(left.w2p, w, scale * g_batch, color=palette.GRADIENT_COLOR)
        up_l = StepArrow(right.w2p, w, scale * g[shown], color=palette.class_color(y[b[shown]]))
        tail, chain = np.array(w, dtype=float), VGroup()
        for gi, yi in zip(g, y[b]):
            step = scale * gi / len(b)
            chain.add(StepArrow(left.w2p, tail, step, color=palette.class_color(yi), stroke_width=4,
                                max_tip_length_to_length_ratio=0.4, max_stroke_width_to_length_ratio=40))
            tail = tail + step
        return up_L, up_l, chain

    def get_equations(self):
        """The mean, the gradient taken of both sides, and the gradient moved into the sum."""
        return tuple(math(*parts, size="title") for parts in (MEAN_PARTS, MID_PARTS, GRAD_PARTS))

    # -- the scene --------------------------------------------------------
    def construct(self):
        self.batches_part()
        self.stream_part()
        self.training_part()
        self.identity_part()

    def batches_part(self):
        cols = self.get_batch_columns()
        with self.voiceover(
            text="Let's take a closer look at the shaking. Here is the landscape of one mini-batch. "
                 "<bookmark mark='b2'/>Here is the next batch. <bookmark mark='b3'/>And the one after that."
        ) as tracker:
            for c, mark in zip(cols, ("b2", "b3", None)):  # each column is drawn until the next is named
                t = tracker.time_until_bookmark(mark) if mark else 2.4
                self.play(FadeIn(c.cloud.base), FadeIn(c.title), run_time=0.5)
                self.play(FadeIn(c.cloud.lit, scale=2), draw_map(c.map), run_time=max(t - 0.5, 1.2))
        floors = [numbers.lowest_point(Z) for Z in self.get_stream()[1][: self.maps_shown]]
        rings = VGroup(*[ring(c.map.w2p(f)) for c, f in zip(cols, floors)])
        ghosts = VGroup(*[ring(c.map.w2p(floors[0]), dashed=True) for c in cols[1:]])
        marks = VGroup(*[ring(p, radius=0.07) for c in cols for p in c.cloud.lit_centers()])
        traced = [c.map.level_lines.copy().set_stroke(palette.ACCENT, width=2, opacity=1) for c in cols]
        with self.voiceover(
            text="Each batch holds different samples, <bookmark mark='fn'/>so each batch gives a different "
                 "function of the weights. <bookmark mark='valley'/>Every one of them has its own valley, "
                 "in its own place."
        ) as tracker:
            self.play(LaggedStart(*[Create(r) for r in marks], lag_ratio=0.05),
                      run_time=max(tracker.time_until_bookmark("fn") - 0.4, 1.0))
            self.play(FadeOut(marks), run_time=0.4)
            self.play(LaggedStart(*[Create(t, lag_ratio=0.1) for t in traced], lag_ratio=0.5),
                      run_time=max(tracker.time_until_bookmark("valley") - 0.4, 1.2))
            self.play(*[FadeOut(t) for t in traced], run_time=0.4)
            self.play(LaggedStart(*[Create(r) for r in rings], lag_ratio=0.3), run_time=1.2)
            self.play(*[TransformFromCopy(rings[0], g) for g in ghosts], run_time=1.2)
        self.cols, self.marks = cols, VGroup(rings, ghosts)

    def stream_part(self):
        S = numbers.story()
        cols, first = self.cols, self.cols[0]
        n = self.get_batch_count()
        batches, Zs, distinct = self.get_stream()
        m = ContourMap(S, Zs[0], side=self.stream_side, window=self.get_batch_window()).move_to(self.stream_center)
        cloud = SampleCloud(*numbers.dataset(), width=self.right_width, max_height=3.5).light(batches[0])
        binom = rf"\binom{{{S.n_samples}}}{{{S.quake_batch_size}}}"
        exact, approx = (math(binom, "=", t, size="heading") for t in (grouped_tex(n), sci_tex(n)))
        note = caption(f"ways to choose {S.quake_batch_size} samples out of {S.n_samples}", "note", palette.MUTED)
        drawn, differ = Number(1, decimals=0, size="body"), Number(1, decimals=0, size="body")
        words = VGroup(caption("batches drawn", "body", palette.MUTED), caption("different landscapes", "body",
                                                                                palette.MUTED))
        words.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        for number, word in zip((drawn, differ), words):
            number.next_to(words, RIGHT, buff=0.35).set_y(word.get_y())
        rows = VGroup(words, drawn, differ)
        column = VGroup(exact, note, cloud, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        for mob in column:
            mob.scale_to_fit_width(min(mob.width, self.right_width))
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.3).to_edge(UP, buff=0.4).set_x(self.right_left, LEFT)
        approx.move_to(exact, aligned_edge=LEFT)
        with self.voiceover(
            text=f"How many different batches are there? <bookmark mark='all'/>With {S.n_samples} samples "
                 f"<bookmark mark='ten'/>and {S.quake_batch_size} samples per batch, <bookmark mark='n'/>there are "
                 f"more than ten to the power {len(str(n)) - 1} ways to choose a batch."
        ):
            # the first batch's map moves and grows into the stream's map (the same landscape)
            self.play(FadeOut(VGroup(cols[1:], self.marks, first.title, first.cloud)), run_time=0.6)
            grow_into(self, first.map, m)
            self.wait_until_bookmark("all")
            self.play(FadeIn(cloud.base), run_time=0.8)
            self.wait_until_bookmark("ten")
            self.play(FadeIn(cloud.lit, scale=2), run_time=0.8)
            self.wait_until_bookmark("n")
            self.play(Write(exact), FadeIn(note), run_time=1.5)
            self.play(TransformMatchingTex(exact, approx), run_time=1.0)
        count = len(batches)
        with self.voiceover(
            text="Shuffling picks a new one at every step. <bookmark mark='go'/>Here are the first "
                 f"{count} batches of training, one after another: {count} batches, "
                 f"{distinct[-1]} different landscapes. We almost never see the same landscape twice."
        ) as tracker:
            self.play(FadeIn(rows), run_time=0.8)
            self.wait_until_bookmark("go")
            t = max(tracker.get_remaining_duration() - 0.3, 6.0)
            quake = Quake(m, Zs, run_time=t)

            def tick(_, alpha):  # the batch shown: the next one from half-way through each change
                k, u = quake.state_at(alpha)
                k += u >= 0.5
                cloud.light(batches[k])
                drawn.set_value(k + 1)
                differ.set_value(distinct[k])

            self.play(quake, UpdateFromAlphaFunc(VGroup(cloud.lit, drawn, differ), tick), run_time=t)
        self.stream = VGroup(approx, note, cloud, rows)
        self.stream_map, self.last_Z = m, Zs[-1]

    def training_part(self):
        S = numbers.story()
        gd, sgd, gd_loss, sgd_loss = self.training
        full = numbers.full_landscape()
        window = fit_window(S, gd.weights, sgd.weights, np.array([numbers.lowest_point(full) + d for d in
                            (-self.valley_room, self.valley_room)]), margin=self.train_margin)
        m = ContourMap(S, full, side=self.stream_side, window=window).move_to(self.stream_center)
        old = self.stream_map
        with self.voiceover(
            text="And yet, training on this shaking ground works. "
                 "<bookmark mark='still'/>Here is the landscape of all the data, standing still."
        ) as tracker:
            self.play(FadeOut(self.stream), run_time=0.6)
            outline = window_outline(old, m.windows)
            self.play(Create(outline), run_time=0.8)
            self.wait_until_bookmark("still")
            self.play(Quake(old, [self.last_Z, full], run_time=1.0))
            play_zoom(self, old, outline, m, run_time=max(tracker.get_remaining_duration() - 0.6, 1.5))
        axes, (gd_curve, sgd_curve) = self.get_loss_plot()
        title = caption("loss on all the data", "body")
        plot = VGroup(title, VGroup(axes, gd_curve, sgd_curve)).arrange(DOWN, buff=0.35)
        plot.set_x(self.right_left + 0.5, LEFT).set_y(m.frame.get_y())
        xlab = caption("step", "note", palette.MUTED).next_to(axes.x_axis, DOWN, buff=0.5)
        walkers = [Walker(m.w2p, t.weights, color=c, radius=0.08, stroke_width=4)
                   for t, c in ((gd, palette.GD_COLOR), (sgd, palette.SGD_COLOR))]
        key = legend((palette.GD_COLOR, "full batches"), (palette.SGD_COLOR, f"batches of {S.train_batch_size}"))
        ends = [Number(v[-1], decimals=2, size="note", color=c) for v, c in ((gd_loss, palette.GD_COLOR),
                                                                             (sgd_loss, palette.SGD_COLOR))]
        for row, end in zip(key, ends):  # the end values, one column right of the legend
            end.next_to(key, RIGHT, buff=0.3).set_y(row.get_y())
        VGroup(key, *ends).next_to(axes.c2p(gd.steps, axes.y_range[1]), DL, buff=0.1)

        def run(walker, curve):  # the walker steps on the map while its loss curve draws
            whole, steps = curve.copy(), len(walker.weights) - 1
            curve.pointwise_become_partial(whole, 0, 0)
            return UpdateFromAlphaFunc(VGroup(*walker.mobjects, curve), lambda _, a: (
                walker.place(*divmod(a * steps, 1)), curve.pointwise_become_partial(whole, 0, a)), rate_func=linear)

        runs = [run(w, c) for w, c in zip(walkers, (gd_curve, sgd_curve))]
        with self.voiceover(
            text=f"Start both runs at the same point. Full batches take {gd.steps} steady steps, "
                 f"<bookmark mark='sgd'/>and batches of {S.train_batch_size} take {sgd.steps} shaky ones."
        ) as tracker:
            self.play(FadeIn(title), Create(axes), FadeIn(xlab), FadeIn(key), *[FadeIn(w.dot, scale=2) for w in walkers],
                      run_time=1.0)
            self.add(gd_curve, sgd_curve, *[w.trace for w in walkers])
            self.play(runs[0], run_time=max(tracker.time_until_bookmark("sgd"), 2.5))
            self.wait_until_bookmark("sgd")
            self.play(runs[1], run_time=max(tracker.get_remaining_duration(), 3.0))
        floor = ring(m.w2p(numbers.lowest_point(full)), radius=0.4)
        with self.voiceover(
            text="The shaky path wanders, <bookmark mark='valley'/>but it ends in the same valley, "
                 "<bookmark mark='loss'/>and its loss on all the data is almost as low."
        ) as tracker:
            self.play(ShowPassingFlash(walkers[1].trace.copy().set_stroke(palette.ACCENT, width=8), time_width=0.4),
                      run_time=max(tracker.time_until_bookmark("valley") - 0.2, 1.0))
            self.wait_until_bookmark("valley")
            self.play(Create(floor), run_time=0.8)
            self.wait_until_bookmark("loss")
            self.play(FadeIn(ends[0], shift=0.2 * LEFT), FadeIn(ends[1], shift=0.2 * LEFT), run_time=0.8)
            self.play(Indicate(ends[1], color=palette.SGD_COLOR), run_time=1.0)
        self.play(FadeOut(VGroup(m, plot, xlab, key, floor, *ends, *[mob for w in walkers for mob in w.mobjects])), run_time=0.8)

    def identity_part(self):
        b, w, g, g_batch, shown, _ = self.get_identity()
        grids = numbers.sample_grids()
        mean, mid, grad = (eq.move_to(UP * 2.9) for eq in self.get_equations())
        L_B, _, inv, total, ell = mean
        left, right = self.get_identity_maps()
        cloud = SampleCloud(*numbers.dataset(), width=1.5, max_height=2.4, legend=False).move_to(DOWN * 0.95)
        cloud.base.add(caption("its samples", "label", palette.MUTED).next_to(cloud.frame, UP, buff=0.15))
        order = [(shown + 1 + j) % len(b) for j in range(len(b))]  # the flip ends on the sample shown

        def sample_title(j: int):
            return map_title(LOSS_SAMPLE, f"sample {j + 1} of the batch", right.frame)

        r_title, l_title = sample_title(shown), map_title(LOSS_BATCH, f"the batch of {len(b)}", left.frame)
        with self.voiceover(
            text="Why does it work? Look at what the loss of a batch is. "
                 "<bookmark mark='built'/>It is built from the losses of single samples."
        ) as tracker:
            self.play(Write(mean), run_time=max(tracker.time_until_bookmark("built"), 2.0))
            self.play(Circumscribe(ell, color=palette.ACCENT, time_width=0.5), run_time=1.5)

        def explain(part, words, line, *anims, after=None):
            brace = Brace(part, DOWN, buff=0.12, color=palette.ACCENT)
            label = caption(words, "note", palette.ACCENT).next_to(brace, DOWN, buff=0.1)
            with self.voiceover(text=line) as tracker:
                self.play(GrowFromCenter(brace), FadeIn(label), part.animate.set_color(palette.ACCENT), run_time=0.6)
                if anims:
                    self.play(*anims, run_time=max(tracker.get_remaining_duration() - 0.5, 1.0))
                if after:
                    after()
            self.play(FadeOut(brace), FadeOut(label), part.animate.set_color(palette.TEXT), run_time=0.4)

        cloud.light([b[shown]])
        explain(ell, "one sample's loss", "Here, ell i is the loss of one sample, number i, on its own: "
                "a landscape of its own.", FadeIn(cloud.base), FadeIn(cloud.lit, scale=3), draw_map(right),
                FadeIn(r_title))

        def flip():
            for j in order:
                right.set_landscape(grids[b[j]])
                cloud.light([b[j]])
                r_title.become(sample_title(j))
                self.wait(0.35)

        explain(total, "add them up", f"The big sigma adds these losses up, over all {len(b)} samples of the batch.",
                after=flip)
        cloud.light(b)
        explain(inv, "divide by B", f"Dividing by B, the number of samples, here {len(b)}, "
                "turns the sum into a mean.", draw_map(left), FadeIn(l_title))
        dots = VGroup(*[weight_dot(mp.w2p, w, radius=0.08) for mp in (left, right)])
        explain(L_B, "the loss of the batch", "And that mean is L B, the loss of the whole batch, "
                "<bookmark mark='w'/>at the weights w.",
                after=lambda: (self.wait_until_bookmark("w"), self.play(FadeIn(dots, scale=2), run_time=0.6)))

        with self.voiceover(
            text="Now take the gradient of both sides. <bookmark mark='sum'/>The gradient of a sum is the sum "
                 "of the gradients, <bookmark mark='along'/>and the one over B just comes along."
        ) as tracker:
            self.play(TransformMatchingTex(mean, mid), run_time=max(tracker.time_until_bookmark("sum"), 1.5))
            self.play(TransformMatchingTex(mid, grad), run_time=max(tracker.time_until_bookmark("along"), 1.5))
            self.play(grad[3].animate.set_color(palette.ACCENT), run_time=0.5)
            self.play(grad[3].animate.set_color(palette.TEXT), run_time=0.5)
        up_L, up_l, chain = self.get_identity_arrows(left, right)
        box_L = SurroundingRectangle(grad[0:2], color=palette.GRADIENT_COLOR, buff=0.1)
        box_l = SurroundingRectangle(grad[5:7], color=up_l.get_color(), buff=0.1)
        with self.voiceover(
            text="On the left, the gradient of the batch's loss: the arrow that points uphill on the batch's landscape. "
                 "<bookmark mark='e'/>On the right, inside the sum, the uphill arrow of one sample's own landscape."
        ) as tracker:
            self.play(Create(box_L), run_time=0.8)
            self.play(GrowArrow(up_L), run_time=max(tracker.time_until_bookmark("e") - 0.3, 1.0))
            self.wait_until_bookmark("e")
            cloud.light([b[shown]])
            self.play(Create(box_l), run_time=0.8)
            self.play(GrowArrow(up_l), run_time=max(tracker.get_remaining_duration() - 0.3, 1.0))

        summary = caption("the batch's gradient is the mean of its samples' gradients", "body").move_to(UP * 1.75)
        with self.voiceover(
            text="So the gradient of a batch is the mean of its samples' gradients: <bookmark mark='chain'/>"
                 "each sample's arrow, divided by B, laid tip to tail, lands exactly on the batch's arrow. "
                 "<bookmark mark='single'/>To understand the batch, we first look at single samples."
        ) as tracker:
            self.play(FadeIn(summary), grad[3:5].animate.set_color(palette.ACCENT),
                      run_time=max(tracker.time_until_bookmark("chain"), 0.8))
            cloud.light(b)
            self.play(up_L.animate.set_opacity(0.2), LaggedStart(*[GrowArrow(a) for a in chain], lag_ratio=0.6),
                      run_time=max(tracker.time_until_bookmark("single") - 1.0, 2.5))
            self.play(up_L.animate.set_opacity(1), run_time=1.0)
            self.play(FadeOut(VGroup(left, l_title, dots[0], up_L, chain, box_L, summary, cloud)),
                      VGroup(right, r_title, dots[1], up_l).animate.shift(LEFT * right.frame.get_x()), run_time=1.2)
        self.wait(0.5)
        self.play(*[FadeOut(mob) for mob in self.mobjects], run_time=0.8)
        self.wait(0.3)
