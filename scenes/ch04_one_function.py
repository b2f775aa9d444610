"""Chapter 4 - One function per batch.

Every mini-batch defines its own loss function of the weights; with shuffling
we almost never meet the same one twice, and still training ends somewhere
good. The reason it works: a batch's loss is the mean of its samples' losses,
so its gradient is the mean of their gradients,
nabla E = (1/N) sum_i nabla e_i.

    manim -pqh scenes/ch04_one_function.py OneFunctionPerBatch
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Brace, Create, FadeIn, FadeOut, GrowFromCenter, Indicate,
    MathTex, ReplacementTransform, SurroundingRectangle, TransformMatchingTex, VGroup, Write,
    linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap
from scenes.kit.motion import PathTrace, Quake, weight_dot

from scenes.kit.text import caption


def sci_tex(n: int, digits: int = 1) -> str:
    """LaTeX for a large whole number in scientific notation, like 1.5 \\times 10^{21}."""
    exp = len(str(int(n))) - 1
    return rf"{n / 10**exp:.{digits}f} \times 10^{{{exp}}}"


# The two equations, cut into parts so TransformMatchingTex can move the
# parts the two share and fade in the gradient signs.
MEAN_PARTS = (r"E(\mathbf{w})", "=", r"\frac{1}{N}", r"\sum_{i=1}^{N}", r"e_i(\mathbf{w})")
GRAD_PARTS = (r"\nabla", r"E(\mathbf{w})", "=", r"\frac{1}{N}", r"\sum_{i=1}^{N}", r"\nabla", r"e_i(\mathbf{w})")


class OneFunctionPerBatch(NarratedScene):
    """Three batches, three landscapes; the count of possible batches; the
    quake; training still ends low; then the averaging identity."""

    batch_side = 3.2
    batch_gap = 0.55
    maps_shown = 3
    quake_side = 4.6
    train_side = 5.6
    train_center = LEFT * 2.6 + DOWN * 0.2
    equation_size = 64
    note_size = 26

    # -- builders (tests compare these with quake_math) -------------------
    def get_batch_maps(self) -> VGroup:
        """The first few quake batches' landscapes, side by side, labelled."""
        S = numbers.story()
        _, Zs = numbers.quake()
        maps = VGroup(*[ContourMap(S, Zs[k], side=self.batch_side)
                        for k in range(self.maps_shown)])
        maps.arrange(RIGHT, buff=self.batch_gap).shift(DOWN * 0.35)
        for k, m in enumerate(maps):
            m.title = MathTex(rf"\text{{batch {k + 1}: }} E_{{{k + 1}}}(\mathbf{{w}})", font_size=36,
                              color=palette.TEXT).next_to(m.frame, UP, buff=0.2)
        return maps

    def get_batch_count(self) -> tuple[int, MathTex]:
        """How many different batches the data gives, and its formula on screen."""
        S = numbers.story()
        n = qm.possible_batches(S.n_samples, S.quake_batch_size)
        tex = MathTex(rf"\binom{{{S.n_samples}}}{{{S.quake_batch_size}}} \approx {sci_tex(n)}",
                      font_size=48, color=palette.TEXT)
        return n, tex

    def get_training(self):
        """Full-batch descent and mini-batch SGD from the story's start, and
        the loss on all the data at the start and at both ends."""
        S = numbers.story()
        X, y = numbers.dataset()
        gd = qm.gradient_descent(X, y, S)
        sgd = qm.sgd(X, y, S)
        losses = {
            "start": float(qm.batch_loss(np.asarray(S.start), X, y, S.clip)),
            "gd": float(qm.batch_loss(gd.weights[-1], X, y, S.clip)),
            "sgd": float(qm.batch_loss(sgd.weights[-1], X, y, S.clip)),
        }
        return gd, sgd, losses

    def get_equations(self) -> tuple[MathTex, MathTex]:
        mean = MathTex(*MEAN_PARTS, font_size=self.equation_size, color=palette.TEXT)
        grad = MathTex(*GRAD_PARTS, font_size=self.equation_size, color=palette.TEXT)
        return mean, grad

    # -- the scene --------------------------------------------------------
    def construct(self):
        self.batches_part()
        self.training_part()
        self.identity_part()

    def batches_part(self):
        S = numbers.story()
        _, Zs = numbers.quake()
        maps = self.get_batch_maps()
        with self.voiceover(
            text="Let's take a closer look at the shaking. Here is the landscape of one mini-batch. "
                 "<bookmark mark='b2'/>Here is the next batch. <bookmark mark='b3'/>And the one after that."
        ):
            self.play(FadeIn(maps[0]), FadeIn(maps[0].title))
            self.wait_until_bookmark("b2")
            self.play(FadeIn(maps[1]), FadeIn(maps[1].title))
            self.wait_until_bookmark("b3")
            self.play(FadeIn(maps[2]), FadeIn(maps[2].title))
        with self.voiceover(
            text="Each batch holds different samples, so each batch gives a different function of the weights. "
                 "Every one of them has its own valley, in its own place."
        ):
            self.play(*[Indicate(m.title, color=palette.ACCENT) for m in maps], run_time=1.5)

        n, count = self.get_batch_count()
        note = caption(f"ways to choose {S.quake_batch_size} samples out of {S.n_samples}", self.note_size,
                       palette.MUTED)
        count_group = VGroup(count, note).arrange(DOWN, buff=0.2).to_edge(UP, buff=0.3)
        titles = VGroup(*[m.title for m in maps])
        with self.voiceover(
            text=f"How many different batches are there? With {S.n_samples} samples and "
                 f"{S.quake_batch_size} samples per batch, there are more than "
                 f"ten to the power {len(str(n)) - 1} ways to choose a batch. "
                 "Shuffling picks a new one at every step, so we almost never see the same landscape twice."
        ):
            self.play(FadeOut(titles), maps.animate.shift(DOWN * 0.35), run_time=0.8)
            self.play(Write(count), FadeIn(note))

        # the three maps become one, which then plays the quake
        center = maps[1]
        with self.voiceover(
            text="Put the batches one after the other, and the ground shakes."
        ) as tracker:
            self.play(FadeOut(maps[0]), FadeOut(maps[2]), FadeOut(count_group), run_time=0.8)
            bigger = ContourMap(S, Zs[1], side=self.quake_side).move_to(DOWN * 0.1)
            self.play(ReplacementTransform(center, bigger), run_time=1.0)
            center = bigger
            # the quake starts on batch 2's landscape, the one this map shows
            self.play(Quake(center, Zs[1:], story=S, run_time=max(tracker.get_remaining_duration(), 3.0)))
        self.center_map = center

    def training_part(self):
        S = numbers.story()
        _, Zs = numbers.quake()
        gd, sgd, losses = self.get_training()
        m = self.center_map
        full = numbers.full_landscape()
        with self.voiceover(
            text="And yet, training on this shaking ground works. "
                 "Here is the landscape of all the data, standing still."
        ) as tracker:
            moved = ContourMap(S, Zs[-1], side=self.train_side).move_to(self.train_center)
            self.play(ReplacementTransform(m, moved), run_time=1.0)
            m = moved
            self.play(Quake(m, [Zs[-1], full], run_time=max(tracker.get_remaining_duration(), 1.2)))
        start = weight_dot(m.w2p, S.start, color=palette.ACCENT, radius=0.09)
        steady = PathTrace(m.w2p, gd.weights, color=palette.GD_COLOR, stroke_width=4)
        shaky = PathTrace(m.w2p, sgd.weights, color=palette.SGD_COLOR, stroke_width=4)
        rows = VGroup(
            caption("loss on all the data", "heading"),
            VGroup(caption("at the start", "heading", palette.MUTED), _num(losses["start"], palette.ACCENT)),
            VGroup(caption("full batches", "heading", palette.GD_COLOR), _num(losses["gd"], palette.GD_COLOR)),
            VGroup(caption(f"batches of {S.train_batch_size}", "heading", palette.SGD_COLOR),
                   _num(losses["sgd"], palette.SGD_COLOR)),
        )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.4).next_to(m.frame, RIGHT, buff=0.9)
        right = max(r[0].get_right()[0] for r in rows[1:])
        for r in rows[1:]:
            r[1].next_to(r[0], RIGHT, buff=0.4).set_x(right + 0.4 + r[1].width / 2)  # one column
        with self.voiceover(
            text=f"Start both runs at the same point. Full batches take {gd.steps} steady steps, "
                 f"<bookmark mark='sgd'/>and batches of {S.train_batch_size} take {sgd.steps} shaky ones."
        ):
            self.play(FadeIn(start), FadeIn(rows[0]), FadeIn(rows[1]))
            self.play(Create(steady), FadeIn(rows[2]), run_time=2.0, rate_func=linear)
            self.wait_until_bookmark("sgd")
            self.play(Create(shaky), FadeIn(rows[3]), run_time=2.5, rate_func=linear)
        with self.voiceover(
            text="The shaky path wanders, but it ends in the same valley, "
                 "and its loss on all the data is almost as low."
        ):
            self.play(Indicate(rows[3][1], color=palette.SGD_COLOR), Indicate(rows[2][1], color=palette.GD_COLOR))
        self.play(FadeOut(VGroup(m, start, steady, shaky, rows)), run_time=0.8)

    def identity_part(self):
        mean, grad = self.get_equations()
        mean.move_to(UP * 1.2)
        grad.move_to(UP * 1.2)
        E, eq, inv, total, e_i = mean
        with self.voiceover(
            text="Why does it work? Look at what the loss of a batch is. "
                 "It is built from the losses of single samples."
        ):
            self.play(Write(mean), run_time=2.0)

        notes = [
            (e_i, "the loss of sample i alone", "Here, e i is the loss of one sample, number i, on its own."),
            (total, "add them up, for the N samples",
             "The big sigma adds these losses up, over the N samples of the batch."),
            (inv, "divide by N: the mean", "Dividing by N turns the sum into a mean."),
            (E, "the loss of the batch", "And that mean is E, the loss of the whole batch, at the weights w."),
        ]
        for part, words, line in notes:
            brace = Brace(part, DOWN, buff=0.15, color=palette.ACCENT)
            label = caption(words, self.note_size, palette.ACCENT).next_to(VGroup(mean, brace), DOWN, buff=0.2)
            label.set_x(brace.get_x())  # below the whole formula, under its term
            with self.voiceover(text=line):
                self.play(GrowFromCenter(brace), FadeIn(label), part.animate.set_color(palette.ACCENT))
            self.play(FadeOut(brace), FadeOut(label), part.animate.set_color(palette.TEXT), run_time=0.5)

        with self.voiceover(
            text="Now take the gradient of both sides. "
                 "The gradient of a sum is the sum of the gradients, and the one over N just comes along."
        ):
            self.play(TransformMatchingTex(mean, grad), run_time=2.0)
        g_E, g_e = grad[0:2], grad[5:7]
        box_E = SurroundingRectangle(g_E, color=palette.GD_COLOR, buff=0.1)
        box_e = SurroundingRectangle(g_e, color=palette.SGD_COLOR, buff=0.1)
        lab_E = caption("the batch's uphill arrow", self.note_size, palette.GD_COLOR).next_to(box_E, UP, buff=0.25)
        lab_e = caption("one sample's uphill arrow", self.note_size, palette.SGD_COLOR).next_to(grad, DOWN, buff=0.3)
        lab_e.set_x(box_e.get_x())
        with self.voiceover(
            text="On the left, the gradient of the batch's loss: the arrow that points uphill on the batch's landscape. "
                 "<bookmark mark='e'/>On the right, inside the sum, the uphill arrow of one sample's own landscape."
        ):
            self.play(Create(box_E), FadeIn(lab_E))
            self.wait_until_bookmark("e")
            self.play(Create(box_e), FadeIn(lab_e))
        summary = caption("the batch's gradient is the mean of its samples' gradients", "heading").next_to(
            lab_e, DOWN, buff=0.7).set_x(0)
        with self.voiceover(
            text="So the gradient of a batch is the mean of its samples' gradients. "
                 "To understand the batch, we first look at single samples."
        ):
            self.play(FadeIn(summary))
        self.wait(0.5)
        self.play(FadeOut(VGroup(grad, box_E, box_e, lab_E, lab_e, summary)), run_time=0.8)
        self.wait(0.3)


def _num(value: float, color) -> MathTex:
    return MathTex(f"{value:.2f}", font_size=44, color=color)
