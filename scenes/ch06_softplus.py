"""Chapter 6 - Why one sample gives straight lines.

With z = x^T w and p = sigma(z), one sample's loss
L = -y ln p - (1 - y) ln(1 - p) simplifies, one step at a time, to
L = (1 - y) x^T w + ln(1 + e^(-x^T w)). The first part is linear in w; the
second (softplus of -z) hugs two straight lines once |z| is large. Sharper:
L depends on w only through x^T w, so its contour lines are exactly straight
lines perpendicular to x.

    manim -pqh scenes/ch06_softplus.py SoftplusDerivation
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Axes, Brace, Create, DashedLine, DecimalNumber, FadeIn, FadeOut, GrowArrow,
    Indicate, MathTex, Polygon, RightAngle, Line, VGroup, Write, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap
from scenes.kit.motion import weight_dot
from scenes.kit.sample_maps import SampleLayout
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import caption

SP = r"\ln(1+e^{-z})"  # the softplus term, written the same way in every step
XW = r"\mathbf{x}^\top\mathbf{w}"

# The derivation: each step is a tuple of TeX parts. Parts with the same TeX
# in two steps move; KEYS maps a part to the part it becomes in the next step.
STEPS = (
    ("L", "=", "-y", r"\ln p", "-", "(1-y)", r"\ln(1-p)"),
    ("L", "=", "-y", rf"\big(-{SP}\big)", "-", "(1-y)", rf"\big(-z-{SP}\big)"),
    ("L", "=", "y", SP, "+", "(1-y)", rf"\big(z+{SP}\big)"),
    ("L", "=", "y", SP, "+", "(1-y)", "z", "+", "(1-y)", SP),
    ("L", "=", "(1-y)", "z", "+", r"\big(y+(1-y)\big)", SP),
    ("L", "=", "(1-y)", "z", "+", SP),
    ("L", "=", "(1-y)", XW, "+", rf"\ln\big(1+e^{{-{XW}}}\big)"),
)
KEYS = (
    {r"\ln p": rf"\big(-{SP}\big)", r"\ln(1-p)": rf"\big(-z-{SP}\big)"},
    {"-y": "y", rf"\big(-{SP}\big)": SP, "-": "+", rf"\big(-z-{SP}\big)": rf"\big(z+{SP}\big)"},
    {},
    {"y": r"\big(y+(1-y)\big)"},
    {},
    {"z": XW, SP: rf"\ln\big(1+e^{{-{XW}}}\big)"},
)
# A short on-screen tag for each transition, and why it holds in the
# narration's words (one line per transition).
TAGS = (
    r"\text{use the two logs}",
    r"(-)\cdot(-) = +",
    r"\text{multiply out}",
    r"\text{gather the log terms}",
    r"y + (1-y) = 1",
    r"z = \mathbf{x}^\top\mathbf{w}",
)
REASONS = (
    "Put both into the loss. The log of p, and the log of one minus p, are replaced by what we just found.",
    "Minus times minus is plus. Both minus signs cancel.",
    "Multiply out the bracket: one minus y times z, plus one minus y times the log term.",
    "Now gather the two log terms. They are the same term, once with weight y, and once with weight one minus y.",
    "And y plus one minus y is just one. So the log term stays on its own.",
    "Finally, write z out again: it is x transpose w.",
)



class SoftplusDerivation(SampleLayout, NarratedScene):
    """The derivation, the softplus plot with its asymptotes, and the straight
    contour lines of one sample."""

    eq_size = 54
    helper_size = 42
    tag_size = 38
    near_linear_tol = 0.05  # "nearly straight": within this of an asymptote
    plot_size = (8.5, 4.4)
    example = 8  # which of the story's single samples is shown at the end
    along_range = 5.0  # how far the dot slides along a contour line (weight units)
    dot_z = -2.0  # the contour line the dot slides on: where x^T w = dot_z
    map_side = 5.2

    # -- builders (tests compare these with quake_math) -------------------
    def get_steps(self) -> list[MathTex]:
        return [MathTex(*parts, font_size=self.eq_size, color=palette.TEXT) for parts in STEPS]

    def get_softplus_plot(self):
        """Axes over the story's softplus range, the curve (values from
        quake_math.softplus), its two asymptotes, and the nearly-straight parts."""
        S = numbers.story()
        lo, hi = S.softplus_range
        zs = np.linspace(lo, hi, 241)
        vals = qm.softplus(-zs)
        top = float(np.ceil(vals.max())) + 1.0
        width, height = self.plot_size
        axes = Axes(x_range=[lo, hi, 2], y_range=[-1, top, 2], x_length=width, y_length=height, tips=False,
                    axis_config={"stroke_color": palette.MUTED, "stroke_width": 2, "font_size": 28,
                                 "include_numbers": True, "color": palette.MUTED},
                    y_axis_config={"numbers_to_exclude": [0]})
        zlab = MathTex("z", font_size=34, color=palette.TEXT).next_to(axes.x_axis, RIGHT, buff=0.15)
        curve = axes.plot_line_graph(zs, vals, add_vertex_dots=False, line_color=palette.ACCENT, stroke_width=5)
        # asymptotes: 0 as z grows, -z as z falls (drawn where -z fits the axes)
        # drawn over the curve, so where they meet the dashes lie on it
        flat = DashedLine(axes.c2p(lo, 0), axes.c2p(hi, 0), color=palette.GD_COLOR, stroke_width=3).set_z_index(2)
        z_top = -min(top, -lo)
        ramp = DashedLine(axes.c2p(z_top, -z_top), axes.c2p(1.0, -1.0), color=palette.SGD_COLOR,
                          stroke_width=3).set_z_index(2)
        x0 = qm.softplus_linear_beyond(self.near_linear_tol)
        shade = VGroup(*[
            Polygon(axes.c2p(a, -1), axes.c2p(b, -1), axes.c2p(b, top), axes.c2p(a, top),
                    stroke_width=0, fill_color=palette.MUTED, fill_opacity=0.16)
            for a, b in ((lo, -x0), (x0, hi)) if b > a
        ])
        return dict(axes=axes, zlab=zlab, curve=curve, zs=zs, values=vals, flat=flat, ramp=ramp,
                    shade=shade, x0=x0)

    def get_example(self):
        """The example sample's input, label, landscape, and its map with the x arrow."""
        _, Xs, ys, grids = self.get_samples()
        x, lab, Z = Xs[self.example], ys[self.example], grids[self.example]
        m = ContourMap(numbers.story(), Z, side=self.map_side, window=self.window)
        return x, lab, Z, m

    def get_slide(self, x):
        """Where the dot slides: the direction u of x, the direction perp at a
        right angle to it, a point w0 with x^T w0 = dot_z, and the two ends a, b
        of the stretch along the contour line through w0."""
        x = np.asarray(x, dtype=float)
        u = x / np.linalg.norm(x)
        perp = np.array([-u[1], u[0]])
        w0 = self.dot_z * x / float(x @ x)
        return u, perp, w0, w0 - self.along_range * perp, w0 + self.along_range * perp

    # -- the scene --------------------------------------------------------
    def construct(self):
        self.derivation()
        self.two_parts()
        self.straight_lines()

    def derivation(self):
        definition = MathTex(r"z = \mathbf{x}^\top\mathbf{w}", r",\qquad",
                             r"p = \sigma(z) = \frac{1}{1+e^{-z}}", font_size=self.helper_size,
                             color=palette.TEXT).to_edge(UP, buff=0.4)
        with self.voiceover(
            text="Why are the lines of one sample straight? Let's write down the loss of one sample. "
                 "The model multiplies the input x by the weights w, and adds up: call that score z. "
                 "<bookmark mark='p'/>The predicted probability p is the sigmoid of z: one over one plus e to the minus z."
        ):
            self.play(Write(definition[0]))
            self.wait_until_bookmark("p")
            self.play(FadeIn(definition[1]), Write(definition[2]))

        steps = self.get_steps()
        for s in steps:
            s.move_to(DOWN * 0.9)
        with self.voiceover(
            text="The loss is the cross-entropy. If the label y is one, it is minus log p. "
                 "If y is zero, it is minus log of one minus p. This formula covers both cases."
        ):
            self.play(Write(steps[0]), run_time=2.0)

        h1 = MathTex(r"\ln p", "=", rf"-{SP}", font_size=self.helper_size, color=palette.TEXT)
        h2a = MathTex("1-p", "=", r"\frac{e^{-z}}{1+e^{-z}}", font_size=self.helper_size, color=palette.TEXT)
        h2b = MathTex(r"\ln(1-p)", "=", "-z", rf"-{SP}", font_size=self.helper_size, color=palette.TEXT)
        VGroup(h1, h2b).arrange(RIGHT, buff=1.2).move_to(UP * 1.25)
        h2a.move_to(h2b, aligned_edge=LEFT)
        with self.voiceover(
            text="We need the two logs. The log of one over something is minus the log of that something. "
                 "So log p is minus log of one plus e to the minus z."
        ):
            self.play(FadeIn(h1, shift=DOWN * 0.2))
        with self.voiceover(
            text="One minus p is e to the minus z, over the same one plus e to the minus z. "
                 "<bookmark mark='log'/>Its log is the log of the top, minus z, minus the log of the bottom."
        ):
            self.play(FadeIn(h2a, shift=DOWN * 0.2))
            self.wait_until_bookmark("log")
            self.play(TexStep(h2a, h2b, key_map={"1-p": r"\ln(1-p)",
                                                              r"\frac{e^{-z}}{1+e^{-z}}": rf"-{SP}"}))
        helpers = VGroup(h1, h2b)

        current = steps[0]
        tag = None
        for k, (reason, keys) in enumerate(zip(REASONS, KEYS)):
            nxt = steps[k + 1]
            new_tag = MathTex(TAGS[k], font_size=self.tag_size, color=palette.MUTED).next_to(nxt, DOWN, buff=0.5)
            with self.voiceover(text=reason) as tracker:
                if k == 0:
                    self.play(Indicate(helpers, color=palette.ACCENT, scale_factor=1.05), run_time=1.0)
                swap = [FadeIn(new_tag)] if tag is None else [FadeOut(tag), FadeIn(new_tag)]
                self.play(TexStep(current, nxt, key_map=keys), *swap, run_time=1.8)
                self.wait(max(tracker.get_remaining_duration() - 0.3, 0))
            current, tag = nxt, new_tag
        self.remove(tag)
        self.final = current
        self.play(FadeOut(helpers), FadeOut(definition), run_time=0.6)

    def two_parts(self):
        final = self.final
        with self.voiceover(text="This is the same loss, in a simpler form. It has two parts."):
            self.play(final.animate.to_edge(UP, buff=0.45), run_time=1.0)
        lin = VGroup(final[2], final[3])
        soft = final[5]
        b_lin = Brace(lin, DOWN, buff=0.12, color=palette.SGD_COLOR)
        t_lin = caption("linear in w", "body", palette.SGD_COLOR).next_to(b_lin, DOWN, buff=0.12)
        with self.voiceover(
            text="The first part is linear in w. For a sample of class one, y is one, and it vanishes. "
                 "For class zero, it is x transpose w itself: a tilted plane, rising in the direction of x."
        ):
            self.play(FadeIn(b_lin), FadeIn(t_lin))

        p = self.get_softplus_plot()
        axes = p["axes"]
        VGroup(axes, p["zlab"], p["curve"], p["flat"], p["ramp"], p["shade"]).next_to(t_lin, DOWN, buff=0.35)
        b_soft = Brace(soft, DOWN, buff=0.12, color=palette.ACCENT)
        t_soft = MathTex(r"\text{plot: }\ln(1+e^{-z})", font_size=32, color=palette.ACCENT).next_to(b_soft, DOWN,
                                                                                                   buff=0.12)
        with self.voiceover(
            text="The second part is the log of one plus e to the minus z. "
                 "Here it is, plotted against z."
        ):
            self.play(FadeIn(b_soft), FadeIn(t_soft))
            self.play(Create(axes), FadeIn(p["zlab"]), run_time=1.0)
            self.play(Create(p["curve"]), run_time=1.5)
        flat_lab = MathTex("0", font_size=34, color=palette.GD_COLOR).next_to(p["flat"].get_end(), UP, buff=0.12)
        ramp_lab = MathTex("-z", font_size=38, color=palette.SGD_COLOR).next_to(
            axes.c2p(0.7 * p["zs"][0], -0.7 * p["zs"][0]), DOWN + LEFT, buff=0.15)
        with self.voiceover(
            text="For large z, it falls to zero. <bookmark mark='ramp'/>For very negative z, "
                 "it climbs along the straight line minus z."
        ):
            self.play(Create(p["flat"]), FadeIn(flat_lab))
            self.wait_until_bookmark("ramp")
            self.play(Create(p["ramp"]), FadeIn(ramp_lab))
        x0 = p["x0"]
        near = caption(f"for |z| > {x0:.1f} the curve is within {self.near_linear_tol:g} of a straight line",
                       "note", palette.TEXT).next_to(axes, DOWN, buff=0.15)
        with self.voiceover(
            text=f"Only near zero does it bend. Once z is more than about {x0:.0f} away from zero, "
                 "on either side, the curve is a straight line for all practical purposes."
        ):
            self.play(FadeIn(p["shade"]), FadeIn(near))
        self.plot = VGroup(axes, p["zlab"], p["curve"], p["flat"], p["ramp"], p["shade"], flat_lab, ramp_lab,
                           near, b_lin, t_lin, b_soft, t_soft)

    def straight_lines(self):
        S = numbers.story()
        final = self.final
        x, lab, Z, m = self.get_example()
        with self.voiceover(
            text="So the loss is nearly linear, away from the bend. But there is something sharper to see."
        ):
            self.play(FadeOut(self.plot), run_time=0.8)
        claim = MathTex(r"L(\mathbf{w}) = f(", XW, ")", font_size=self.eq_size, color=palette.TEXT)
        claim[1].set_color(palette.ACCENT)
        claim_note = VGroup(caption("w enters only through", "body"), MathTex(XW, font_size=40, color=palette.ACCENT)
                            ).arrange(RIGHT, buff=0.2)
        left = VGroup(claim, claim_note).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        m.to_edge(RIGHT, buff=0.4).shift(DOWN * 0.3)
        left.to_edge(LEFT, buff=0.7).set_y(1.4)
        with self.voiceover(
            text="Look where w appears: only inside x transpose w, in both parts. "
                 "The loss of one sample is a function of that single number."
        ):
            self.play(final.animate.scale(0.8).to_edge(UP, buff=0.3).to_edge(LEFT, buff=0.5))
            self.play(FadeIn(claim), FadeIn(claim_note))

        o = m.w2p(np.zeros(2))
        x_arrow = Arrow(o, m.w2p(self.x_scale * x), buff=0, color=palette.class_color(lab), stroke_width=6,
                        max_tip_length_to_length_ratio=0.2)
        x_lab = MathTex(r"\mathbf{x}", font_size=36, color=palette.class_color(lab)).next_to(x_arrow.get_end(), RIGHT, buff=0.1)
        with self.voiceover(
            text="Here is the landscape of one of our nine samples, with its input x drawn as an arrow."
        ):
            self.play(FadeIn(m))
            self.play(GrowArrow(x_arrow), FadeIn(x_lab))

        # A dot slides along a line where x^T w stays the same, then across.
        u, perp, w0, a, b = self.get_slide(x)
        dot = weight_dot(m.w2p, a, color=palette.ACCENT, radius=0.1)
        line = DashedLine(m.w2p(a), m.w2p(b), color=palette.ACCENT, stroke_width=3)
        corner = RightAngle(Line(m.w2p(w0), m.w2p(w0 + perp)), Line(m.w2p(w0), m.w2p(w0 + u)), length=0.25,
                            color=palette.ACCENT, quadrant=(1, 1))
        xs, ys = x[None, :], np.array([lab])

        def loss_at_dot():
            return float(qm.per_sample_loss(m.p2w(dot.get_center()), xs, ys, S.clip)[0])

        value = DecimalNumber(loss_at_dot(), num_decimal_places=2, font_size=40, color=palette.ACCENT)
        readout = VGroup(caption("loss at the dot:", "body", palette.MUTED), value).arrange(RIGHT, buff=0.2)
        readout.next_to(left, DOWN, buff=0.9, aligned_edge=LEFT)
        value.add_updater(lambda v: v.set_value(loss_at_dot()))
        with self.voiceover(
            text="Move the weights along a line at a right angle to x. "
                 "<bookmark mark='go'/>x transpose w does not change, so the loss does not change either."
        ):
            self.play(FadeIn(dot), FadeIn(readout), Create(line), Create(corner))
            self.wait_until_bookmark("go")
            self.play(dot.animate.move_to(m.w2p(b)), run_time=2.0, rate_func=smooth)
            self.play(dot.animate.move_to(m.w2p(a)), run_time=2.0, rate_func=smooth)
        with self.voiceover(
            text="Move along x instead, and the loss changes."
        ):
            self.play(dot.animate.move_to(m.w2p(a + 2.0 * u)), run_time=1.5)
            self.play(dot.animate.move_to(m.w2p(a - 1.0 * u)), run_time=1.5)
        value.clear_updaters()
        statement = VGroup(caption("each contour line:", "body"),
                           MathTex(XW, r"= \text{constant}", font_size=40, color=palette.TEXT)
                           ).arrange(RIGHT, buff=0.25)
        statement2 = VGroup(caption("exactly straight, at a right angle to", "body", palette.ACCENT),
                            MathTex(r"\mathbf{x}", font_size=40, color=palette.ACCENT)).arrange(RIGHT, buff=0.15)
        VGroup(statement, statement2).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(
            readout, DOWN, buff=0.7, aligned_edge=LEFT)
        with self.voiceover(
            text="So every contour line is a set of weights where x transpose w is constant. "
                 "Those are exactly straight lines, at a right angle to x. Not nearly straight: exactly. "
                 f"Even the clipping of the loss at about {S.max_loss:.0f} depends only on x transpose w, "
                 "so it keeps the lines straight too."
        ):
            self.play(FadeIn(statement), FadeIn(statement2))
            self.play(Indicate(m.level_lines, color=palette.ACCENT, scale_factor=1.0), run_time=2.0)
        self.wait(0.5)
        self.play(FadeOut(VGroup(final, left, m, x_arrow, x_lab, dot, line, corner, readout, statement,
                                 statement2)), run_time=0.8)
        self.wait(0.3)
