"""The story's network drawn as a diagram: two inputs, one output, two weights.

Logistic regression with two weights and no bias is a single neuron: the
inputs x1 and x2 are multiplied by the weights w1 and w2, summed and passed
through the sigmoid. The diagram names the weights the way the axes of the
3-D stage do, so a scene can light an edge and its axis together::

    net = Neuron()
    self.play(FadeIn(net))
    self.play(*net.light(0))           # the w1 edge and its label
"""

from __future__ import annotations

from manim import DOWN, RIGHT, UP, Arrow, Circle, VGroup

from scenes.kit import palette, text

__all__ = ["Neuron"]


class Neuron(VGroup):
    """Inputs x1, x2 on the left, the output p on the right, edges labelled
    w1 and w2 (``edges[k]``, ``weight_labels[k]``)."""

    def __init__(self, width: float = 3.2, height: float = 1.9, node_radius: float = 0.3,
                 size="label", color=palette.MUTED, **kwargs):
        super().__init__(**kwargs)
        self.color_ = color
        top, bottom = height / 2, -height / 2
        left, right = -width / 2 + node_radius, width / 2 - node_radius * 2.2
        self.inputs = VGroup(*[Circle(node_radius, color=color, stroke_width=2).move_to([left, yy, 0])
                               for yy in (top - node_radius, bottom + node_radius)])
        self.output = Circle(node_radius * 1.25, color=color, stroke_width=2).move_to([right, 0, 0])
        self.input_labels = VGroup(*[text.math(text.X + f"_{k}", size=size).scale(0.85).move_to(c)
                                     for k, c in zip((1, 2), self.inputs)])
        self.output_label = text.math(r"\sigma", size=size).move_to(self.output)
        self.prob = text.math("p", size=size).next_to(self.output, RIGHT, buff=0.45)
        self.out_arrow = Arrow(self.output.get_right(), self.prob.get_left(), buff=0.08, color=color,
                               stroke_width=2.5, max_tip_length_to_length_ratio=0.3)
        self.edges = VGroup(*[Arrow(c.get_right(), self.output.get_left(), buff=0.05, color=color,
                                    stroke_width=3, max_tip_length_to_length_ratio=0.12)
                              for c in self.inputs])
        self.weight_labels = VGroup()
        for k, (e, side) in enumerate(zip(self.edges, (UP, DOWN)), start=1):
            lab = text.math(text.W + f"_{k}", size=size)
            self.weight_labels.add(lab.next_to(e.point_from_proportion(0.4), side, buff=0.08))
        self.add(self.edges, self.inputs, self.input_labels, self.output, self.output_label,
                 self.out_arrow, self.prob, self.weight_labels)

    def light(self, k: int, color=palette.ACCENT, on: bool = True) -> list:
        """Animations lighting weight k (0 or 1), its edge and its label
        (``on=False`` puts them back): ``self.play(*net.light(0))``. (A list,
        not an AnimationGroup: a group would add its parts to the scene on
        their own and split the diagram.)"""
        c = color if on else self.color_
        return [self.edges[k].animate.set_color(c).set_stroke(width=5 if on else 3),
                self.weight_labels[k].animate.set_color(c if on else palette.TEXT)]
