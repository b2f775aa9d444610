"""Chapter 6 - Why one sample gives straight lines.

With z = x^T w and p = sigma(z), one sample's loss
l = -y ln p - (1 - y) ln(1 - p) simplifies, one step at a time, to
l = (1 - y) x^T w + ln(1 + e^(-x^T w)). The first part is linear in w (zero for
class one, the tilted plane x^T w for class zero); the second (softplus of -z)
hugs two straight lines once |z| is large. Sharper: l depends on w only
through x^T w, so its contour lines are exactly straight lines perpendicular
to x, and so is the edge of the clipped plateau.

    manim -pqh scenes/ch06_softplus.py SoftplusDerivation
"""

from __future__ import annotations

import numpy as np
from manim import (
    DL, DOWN, LEFT, RIGHT, UL, UP, AnimationGroup, Arrow, Brace, Create, DashedLine, FadeIn, FadeOut, Group,
    GrowArrow, GrowFromCenter, Indicate, LaggedStart, Line, Polygon, RightAngle, SurroundingRectangle,
    MoveAlongPath, Succession, TransformFromCopy, UpdateFromFunc, VGroup, Write, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ColorBar, ContourMap
from scenes.kit.logistic_loss import (
    HELPER_MOVES, HELPERS, HINTS, MOVES, STATES, XW, P, Q, level_line, line_in_window, paint, plateau,
)
from scenes.kit.motion import weight_dot
from scenes.kit.plots import PlotAxes, value_map
from scenes.kit.sample_maps import SampleLayout
from scenes.kit.derivation import Derivation
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import Number, W, X, caption, math

# What the narrator says over the steps, one voiceover block per line: <bookmark mark='sK'/> plays
# step K there; LOOKS names the parts of a state to point at, at the other bookmarks.
SAYS = (
    "Now put both into the loss. <bookmark mark='s0'/>The log of p becomes minus the log of one plus e to the "
    "minus z. <bookmark mark='s1'/>The log of one minus p becomes minus z, minus the same log.",
    "Minus times minus is plus. <bookmark mark='s2'/>In the first term, the two minus signs cancel. "
    "<bookmark mark='s3'/>In the second, the minus in front flips both signs inside the bracket.",
    "<bookmark mark='s4'/>Multiply out the bracket: <bookmark mark='a4'/>one minus y times z, "
    "<bookmark mark='b4'/>plus one minus y times the log term.",
    "The two log terms are the same term, <bookmark mark='a5'/>once with weight y, <bookmark mark='b5'/>and once "
    "with weight one minus y. <bookmark mark='s5'/>Gather them.",
    "<bookmark mark='s6'/>Inside the bracket, y and minus y cancel, and one is left. "
    "<bookmark mark='s7'/>So the log term stands on its own.",
    "<bookmark mark='s8'/>Finally, write z out again: it is x transpose w.",
)
LOOKS = {"a4": (5, (7, 8)), "b4": (5, (10, 11, 12, 13)), "a5": (5, (2, 3, 4, 5)), "b5": (5, (10, 11, 12, 13))}


class SoftplusDerivation(SampleLayout, NarratedScene):
    """The derivation, the two parts (the plane, the softplus plot with its
    asymptotes), and the straight contour lines of one sample."""

    eq_size, helper_size = "title", "heading"
    rows = (3.2, 1.35, -0.85, -2.45)  # y of the definitions, helpers, equation, hint
    step_time = 1.8
    near_linear_tol = 0.05  # "nearly straight": within this of an asymptote
    plot_size = (10.0, 4.4)
    plot_center = DOWN * 1.15
    example_label = 0  # the example: the sample of this class with the longest x
    along_range = 4.0  # how far the dot slides along a contour line (weight units)
    dot_z = 2.0  # the contour line the dot slides on: where x^T w = dot_z
    map_side, map_center = 4.6, RIGHT * 2.6 + DOWN * 0.45
    plane_side, plane_center = 4.0, RIGHT * 2.7 + DOWN * 0.75

    # -- builders (tests compare these with quake_math) -------------------
    def get_derivation(self) -> Derivation:
        return Derivation(STATES, MOVES, HINTS, size=self.eq_size, paint=paint, y=self.rows[2], hint_y=self.rows[3],
                          hint_size="body")

    def get_definition(self):
        dz = math("z", "=", r"x_1 w_1 + x_2 w_2", "=", XW, size=self.helper_size)
        dp = math("p", "=", r"\sigma(z)", "=", r"\frac{1}{1+e^{-z}}", size=self.helper_size)
        return VGroup(dz, dp).arrange(RIGHT, buff=1.2).set_y(self.rows[0])

    def get_helpers(self):
        h = {k: paint(math(*v, size=self.helper_size)) for k, v in HELPERS.items()}
        VGroup(h["h1a"], h["h2b"]).arrange(RIGHT, buff=1.0).set_y(self.rows[1])
        for a, b in (("h1b", "h1a"), ("h2a", "h2b"), ("h2c", "h2b")):
            h[a].move_to(h[b], aligned_edge=LEFT)
        return h

    def get_terms(self, helpers, definition) -> dict:
        """The terms the derivation's copies name: the helper lines' right sides, x^T w."""
        return {"h1": VGroup(*helpers["h1b"][2:]), "h2": VGroup(*helpers["h2c"][2:]), "xw": definition[0][4]}

    def get_softplus_plot(self):
        """Axes over the story's softplus range, the curve (values from
        quake_math.softplus) and its three pieces (the bend in the middle), the
        two asymptotes with their equations, and the note on where it is straight."""
        lo, hi = numbers.story().softplus_range
        zs = np.linspace(lo, hi, 241)
        vals = qm.softplus(-zs)
        top = float(np.ceil(vals.max())) + 1.0
        axes = PlotAxes((lo, hi), (-1, top), size=self.plot_size, y_ticks=np.arange(0, top, 2), x_label="z")
        axes.move_to(self.plot_center)
        x0 = qm.softplus_linear_beyond(self.near_linear_tol)
        curve = axes.graph(zs, vals)
        pieces = VGroup(*[axes.graph(zs[m], vals[m], width=10, opacity=0.45)
                          for m in (zs <= -x0, np.abs(zs) <= x0, zs >= x0)])
        flat = axes.line((lo, 0), (hi, 0), palette.GD_COLOR, 3).set_z_index(2)
        z_top = -min(top, -lo)
        ramp = axes.line((z_top, -z_top), (1.0, -1.0), palette.SGD_COLOR, 3).set_z_index(2)
        flat_lab = math("y = 0", size="body", color=palette.GD_COLOR).next_to(axes.c2p(hi - 1.5, 0), UP, buff=0.2)
        ramp_lab = math("y = -z", size="body", color=palette.SGD_COLOR).move_to(axes.c2p(-6.0, 2.5))
        curve_lab = math("y", "=", P, "z", Q, size="body", color=palette.ACCENT).move_to(
            axes.c2p(lo + 0.8, vals[0] + 0.2), aligned_edge=LEFT)
        shade = VGroup(*[axes.vband(a, b) for a, b in ((lo, -x0), (x0, hi)) if b > a])
        edges = VGroup(*[axes.line((v, -1), (v, top)) for v in (-x0, x0)])
        note = VGroup(*[math(t, size="note") for t in (
            rf"|z| > {x0:.1f}", rf"\text{{within }}{self.near_linear_tol:g}", r"\text{of a straight line}")])
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        note.move_to(axes.c2p(x0 + 0.6, top - 0.3), aligned_edge=UL)
        return dict(axes=axes, curve=curve, pieces=pieces, zs=zs, values=vals, flat=flat, ramp=ramp,
                    flat_lab=flat_lab, ramp_lab=ramp_lab, curve_lab=curve_lab, shade=shade, edges=edges, note=note,
                    x0=x0)

    def get_example(self):
        """The example sample's input, label, landscape, and its map."""
        _, Xs, ys, grids = self.get_samples()
        k = max(np.flatnonzero(ys == self.example_label), key=lambda i: float(Xs[i] @ Xs[i]))
        m = ContourMap(numbers.story(), grids[k], side=self.map_side, window=self.window).move_to(self.map_center)
        return Xs[k], ys[k], grids[k], m

    def get_plane(self, x):
        """The map of the tilted plane x^T w over the weights (its own round
        levels and colour bar) and the x arrow on it."""
        S = numbers.story()
        m, bar, levels = value_map(S, qm.weight_grid(S) @ np.asarray(x, dtype=float), XW, side=self.plane_side,
                                   window=self.window, line_color=palette.TEXT, line_opacity=0.45)
        bar.next_to(m.move_to(self.plane_center).frame, RIGHT, buff=0.35)
        arrow = self.x_arrow(m, x).set_z_index(3)
        return m, bar, arrow, levels

    def x_arrow(self, m, x):
        """The input x as an arrow from the origin of map m (x_scale weight units per unit of |x|)."""
        return Arrow(m.w2p(np.zeros(2)), m.w2p(self.x_scale * np.asarray(x)), buff=0, stroke_width=6,
                     color=palette.class_color(self.example_label), max_tip_length_to_length_ratio=0.2)

    # -- the scene --------------------------------------------------------
    def construct(self):
        self.x, self.lab, _, self.map = self.get_example()
        self.opening()
        self.derivation()
        self.two_parts()
        self.softplus()
        self.straight_lines()

    def opening(self):
        m = self.map.copy().scale(1.2).move_to(LEFT * 0.6)
        bar = ColorBar(numbers.story(), height=m.frame.height * 0.85).next_to(m.frame, RIGHT, buff=0.4)
        level = max(m.level_lines, key=lambda ln: len(ln.points))
        with self.voiceover(text="Why are the lines of one sample straight? <bookmark mark='write'/>"
                                 "Let's write down its loss."):
            self.play(FadeIn(m), FadeIn(bar), run_time=1.0)
            self.play(Create(level.copy().set_stroke(palette.ACCENT, 4, 1)), run_time=1.5)
            self.wait_until_bookmark("write")
            self.play(FadeOut(Group(*self.mobjects)), run_time=0.8)
        definition = self.definition = self.get_definition()
        dz, dp = definition
        with self.voiceover(text="The model multiplies the input x by the weights w, and adds up. "
                                 "<bookmark mark='z'/>Call that score z."):
            self.play(Write(dz[2]), run_time=1.8)
            self.wait_until_bookmark("z")
            self.play(FadeIn(dz[:2], shift=RIGHT * 0.2), Write(dz[3:]), run_time=1.2)
        with self.voiceover(text="The predicted probability p is the sigmoid of z: <bookmark mark='f'/>"
                                 "one over one plus e to the minus z."):
            self.play(Write(dp[:3]), run_time=1.2)
            self.wait_until_bookmark("f")
            self.play(Write(dp[3:]), run_time=1.2)

    def derivation(self):
        d = self.derivation_line = self.get_derivation()
        s0 = d.states[0]
        first, second = VGroup(*s0[2:5]), VGroup(*s0[5:])
        tag = None
        with self.voiceover(text="The loss is the cross-entropy. <bookmark mark='one'/>If the label y is one, "
                                 "it is minus log p. <bookmark mark='zero'/>If y is zero, it is minus log of one "
                                 "minus p. <bookmark mark='both'/>This formula covers both cases."):
            self.play(Write(s0), run_time=2.0)
            for mark, y, lit, dim in (("one", 1, first, second), ("zero", 0, second, first)):
                self.wait_until_bookmark(mark)
                new = math(f"y = {y}", size="body", color=palette.ACCENT).next_to(lit, DOWN, buff=0.45)
                self.play(Succession(*([FadeOut(tag, run_time=0.3)] if tag else []), AnimationGroup(
                    FadeIn(new), dim.animate.set_opacity(0.25), lit.animate.set_opacity(1), run_time=0.8)))
                tag = new
            self.wait_until_bookmark("both")
            self.play(FadeOut(tag), s0.animate.set_opacity(1), run_time=0.8)

        h = self.helpers = self.get_helpers()
        dp = self.definition[1]
        with self.voiceover(text="We need the two logs. <bookmark mark='p'/>p is one over one plus e to the minus z. "
                                 "<bookmark mark='inv'/>The log of one over something is minus the log of that "
                                 "something."):
            self.wait_until_bookmark("p")
            self.play(FadeIn(h["h1a"][:3]), TransformFromCopy(dp[4], h["h1a"][3]), run_time=1.2)
            self.remove(*h["h1a"]).add(h["h1a"])
            self.wait_until_bookmark("inv")
            self.play(TexStep(h["h1a"], h["h1b"], **HELPER_MOVES["h1b"]), run_time=self.step_time)
        with self.voiceover(text="One minus p is e to the minus z, over the same one plus e to the minus z. "
                                 "<bookmark mark='log'/>Its log is the log of the top, minus the log of the bottom. "
                                 "<bookmark mark='ez'/>And the log of e to the minus z is just minus z."):
            self.play(Write(h["h2a"]), run_time=2.0)
            self.wait_until_bookmark("log")
            self.play(TexStep(h["h2a"], h["h2b"], **HELPER_MOVES["h2b"]), run_time=self.step_time)
            self.wait_until_bookmark("ez")
            self.play(TexStep(h["h2b"], h["h2c"], **HELPER_MOVES["h2c"]), run_time=self.step_time)

        d, terms = self.derivation_line, self.get_terms(h, self.definition)
        lights = {0: h["h1b"][0], 1: h["h2c"][0]}  # the helper line a term comes from lights up with it
        for words in SAYS:
            with self.voiceover(text=words):
                d.play_marks(self, words, terms, LOOKS, lights, run_time=self.step_time)
        self.final, self.hint = d.states[-1], d.hint

    def two_parts(self):
        final = self.final
        lin, soft = VGroup(*final[2:4]), VGroup(*final[5:])
        with self.voiceover(text="This is the same loss, in a simpler form. <bookmark mark='two'/>It has two parts."):
            self.play(FadeOut(self.hint), FadeOut(VGroup(self.helpers["h1b"], self.helpers["h2c"])),
                      FadeOut(self.definition), run_time=0.8)
            self.play(final.animate.to_edge(UP, buff=0.45), run_time=1.0)
            self.wait_until_bookmark("two")
            b_lin = Brace(lin, DOWN, buff=0.12, color=palette.SGD_COLOR)
            b_soft = Brace(soft, DOWN, buff=0.12, color=palette.ACCENT)
            self.play(GrowFromCenter(b_lin), GrowFromCenter(b_soft), run_time=0.8)
        t_lin = VGroup(caption("linear in", "body", palette.SGD_COLOR), math(W, size="body", color=palette.SGD_COLOR)
                       ).arrange(RIGHT, buff=0.15).next_to(b_lin, DOWN, buff=0.12)
        with self.voiceover(text="The first part, <bookmark mark='a'/>one minus y times x transpose w, "
                                 "<bookmark mark='b'/>is linear in w."):
            self.wait_until_bookmark("a")
            self.play(lin.animate.set_color(palette.SGD_COLOR), run_time=0.8)
            self.wait_until_bookmark("b")
            self.play(FadeIn(t_lin, shift=UP * 0.1), run_time=0.8)
        rows = VGroup()
        for y, says, result in ((1, "For a sample of class one, y is one. <bookmark mark='r'/>One minus one is zero, "
                                    "and the part vanishes.", "0"),
                                (0, "For class zero, y is zero, <bookmark mark='r'/>and the part is x transpose w "
                                    "itself: <bookmark mark='plane'/>a tilted plane over the weights, "
                                    "<bookmark mark='rise'/>rising in the direction of x.", XW)):
            label = math(f"y = {y}:", size="heading", color=palette.class_color(y))
            r0 = math("(1-", "y", ")", XW, size="heading")
            r1 = math("(1-", str(y), ")", XW, "=", result, size="heading")
            VGroup(label, r1).arrange(RIGHT, buff=0.3).move_to(LEFT * 3.7 + UP * (0.9 - 1.5 * (1 - y)))
            r0.move_to(r1, aligned_edge=LEFT)
            rows.add(label, r1)
            with self.voiceover(text=says):
                self.play(FadeIn(label), TexStep(None, r0, copies=[(lin, (0, 1, 2, 3))]), run_time=1.2)
                self.play(TexStep(r0, r1, pairs=[(1, 1)]), run_time=1.2)
                self.wait_until_bookmark("r")
                self.play(lin.animate.set_opacity(0.25 if y else 1), Indicate(r1[5], color=palette.ACCENT),
                          run_time=1.0)
                if y == 0:  # the plane: its level lines, then its bands rising along x, low to high
                    self.wait_until_bookmark("plane")
                    plane, bar, arrow, _ = self.get_plane(self.x)
                    plane.remove(plane.bands)
                    self.play(FadeIn(plane), FadeIn(bar), run_time=1.0)
                    self.wait_until_bookmark("rise")
                    self.play(LaggedStart(*[FadeIn(b) for b in plane.bands.set_z_index(-1)], lag_ratio=0.15),
                              GrowArrow(arrow), run_time=2.5)
                    self.plane = VGroup(plane, plane.bands, bar, arrow)
        self.braces = VGroup(b_lin, b_soft, t_lin)
        self.case_rows = rows

    def softplus(self):
        final = self.final
        p = self.get_softplus_plot()
        axes, soft, b_soft = p["axes"], VGroup(*final[5:]), self.braces[1]
        t_soft = caption("bends, then straight", "body", palette.ACCENT).next_to(b_soft, DOWN, buff=0.12)
        with self.voiceover(text="The second part is the log of one plus e to the minus x transpose w. "
                                 "<bookmark mark='plot'/>Call the score z again, and plot it against z."):
            self.play(FadeOut(self.plane), FadeOut(self.case_rows), final[2:4].animate.set_opacity(1), run_time=0.8)
            box = SurroundingRectangle(soft, color=palette.ACCENT, buff=0.08)
            self.play(Create(box), run_time=1.0)
            self.wait_until_bookmark("plot")
            self.play(FadeOut(box), Create(axes), TexStep(None, p["curve_lab"], copies=[(soft, (2, 3, 4))]),
                      run_time=1.2)
            self.play(Create(p["curve"]), run_time=1.5)
        zs, vals = p["zs"], p["values"]
        dot = weight_dot(axes.c2p, [0.0, float(qm.softplus(0.0))], color=palette.TEXT)

        def along(a, b):  # the dot travels on the curve from z = a to z = b
            m = (zs >= min(a, b)) & (zs <= max(a, b))
            path = axes.graph(zs[m][:: 1 if b > a else -1], vals[m][:: 1 if b > a else -1])
            return MoveAlongPath(dot, path["line_graph"], rate_func=smooth)

        lo, hi = numbers.story().softplus_range
        with self.voiceover(text="For large z, it falls to zero. <bookmark mark='ramp'/>For very negative z, "
                                 "it climbs along the straight line minus z."):
            self.add(dot)
            self.play(along(0.0, hi), Create(p["flat"]), run_time=1.6)
            self.play(FadeIn(p["flat_lab"]), run_time=0.5)
            self.wait_until_bookmark("ramp")
            self.play(along(hi, lo + 0.5), Create(p["ramp"]), run_time=2.0)
            self.play(FadeIn(p["ramp_lab"]), run_time=0.5)
        with self.voiceover(text=f"Only near zero does it bend. <bookmark mark='far'/>Once z is more than about "
                                 f"{p['x0']:.0f} away from zero, on either side, the curve is a straight line "
                                 "for all practical purposes."):
            self.play(along(lo + 0.5, 0.0), run_time=1.0)
            self.play(Create(p["pieces"][1]), run_time=1.0)
            self.wait_until_bookmark("far")
            self.play(Create(p["edges"]), FadeOut(dot), run_time=0.8)
            self.play(FadeIn(p["shade"]), FadeIn(t_soft), run_time=1.2)
            self.play(Write(p["note"]), run_time=1.2)
        self.plot = VGroup(*[p[k] for k in ("axes", "curve", "pieces", "flat", "ramp", "flat_lab",
                                            "ramp_lab", "curve_lab", "shade", "edges", "note")], t_soft)
        self.plot_pieces = p["pieces"]

    def straight_lines(self):
        S, final, m, x, lab = numbers.story(), self.final, self.map, self.x, self.lab
        with self.voiceover(text="So the loss is nearly linear, away from the bend. <bookmark mark='sharper'/>"
                                 "But there is something sharper to see."):
            self.play(Create(self.plot_pieces[0]), Create(self.plot_pieces[2]), run_time=1.5)
            self.wait_until_bookmark("sharper")
            self.play(FadeOut(self.plot), FadeOut(self.braces), final[2:4].animate.set_color(palette.TEXT),
                      run_time=0.8)
            self.play(final.animate.move_to(UP * 1.2), run_time=0.8)
        xws = VGroup(final[3], final[6])
        boxes = VGroup(*[SurroundingRectangle(t, color=palette.GD_COLOR, buff=0.06) for t in xws])
        claim = math(r"\ell(\mathbf{w})", "=", "f", r"\big(", XW, r"\big)", size=self.eq_size)
        claim.next_to(final, DOWN, buff=0.9)
        with self.voiceover(text="Look where w appears: <bookmark mark='xw'/>only inside x transpose w, in both "
                                 "parts. <bookmark mark='f'/>The loss of one sample is a function of that single "
                                 "number."):
            self.wait_until_bookmark("xw")
            self.play(xws.animate.set_color(palette.GD_COLOR), run_time=0.6)
            for box in boxes:
                self.play(Create(box), run_time=0.8)
            self.wait_until_bookmark("f")
            claim[4].set_color(palette.GD_COLOR)
            self.play(TexStep(None, claim, copies=[(final[3], 4)]), run_time=1.5)
        left = VGroup(final, claim)
        bar = ColorBar(S, height=self.map_side * 0.85).next_to(m.frame, RIGHT, buff=0.35)
        x_arrow = self.x_arrow(m, x)
        x_lab = math(X, size="body", color=palette.class_color(lab)).next_to(x_arrow.get_end(), DL, buff=0.1)
        title = math(f"y = {int(lab)}", size="label", color=palette.class_color(lab)).next_to(m.frame, UP, buff=0.12)
        with self.voiceover(text="Here is the landscape of one of our nine samples, with its input x drawn as "
                                 "an arrow."):
            self.play(FadeOut(boxes), left.animate.scale(0.7).to_corner(UL, buff=0.45), run_time=1.0)
            self.play(FadeIn(m), FadeIn(bar), FadeIn(title), run_time=1.0)
            self.play(GrowArrow(x_arrow), FadeIn(x_lab), run_time=1.0)

        # A dot slides along a line where x^T w stays the same, then across.
        u, perp, w0, a, b = level_line(x, self.dot_z, self.along_range)
        dot = weight_dot(m.w2p, a, color=palette.ACCENT, radius=0.1)
        line = DashedLine(m.w2p(a), m.w2p(b), color=palette.ACCENT, stroke_width=3)
        corner = RightAngle(Line(m.w2p(w0), m.w2p(w0 + perp)), Line(m.w2p(w0), m.w2p(w0 + u)), length=0.25,
                            color=palette.ACCENT, quadrant=(1, 1))

        def follow(v):  # the readout follows the dot while it moves
            new = float(qm.per_sample_loss(m.p2w(dot.get_center()), x[None], np.array([lab]), S.clip)[0])
            if round(new, 2) != round(v.get_value(), 2):
                v.set_value(new)

        def slide(w, run_time, rate_func=smooth):
            return self.play(dot.animate(rate_func=rate_func).move_to(m.w2p(w)), UpdateFromFunc(value, follow),
                             run_time=run_time)

        value = Number(0.0, decimals=2, size="body")
        follow(value)
        readout = VGroup(caption("loss at the dot:", "body", palette.MUTED), value).arrange(RIGHT, buff=0.2)
        readout.next_to(left, DOWN, buff=0.7, aligned_edge=LEFT)
        with self.voiceover(text="Move the weights along a line at a right angle to x. "
                                 "<bookmark mark='go'/>x transpose w does not change, so the loss does not change "
                                 "either."):
            self.play(FadeIn(dot), FadeIn(readout), Create(line), Create(corner), run_time=1.2)
            self.wait_until_bookmark("go")
            slide(b, 2.0)
            slide(a, 2.0)
        with self.voiceover(text="Move along x instead, and the loss changes."):
            slide(a + 2.0 * u, 1.5)
            slide(a - 1.0 * u, 1.5)
        statement = VGroup(caption("on each contour line", "body"), math(XW, r"= \text{constant}", size="body"))
        statement2 = VGroup(caption("exactly straight, at a", "body", palette.ACCENT), VGroup(
            caption("right angle to", "body", palette.ACCENT), math(X, size="body", color=palette.ACCENT)))
        statement2[1].arrange(RIGHT, buff=0.15).next_to(statement2[0], DOWN, aligned_edge=LEFT, buff=0.15)
        statement.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        VGroup(statement, statement2).arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(readout, DOWN, buff=0.6,
                                                                                         aligned_edge=LEFT)
        ruler = Line(*m.w2p(line_in_window(x, self.dot_z, m.windows[0])), color=palette.ACCENT, stroke_width=4)
        traces = VGroup(*[ln.copy().set_stroke(palette.ACCENT, 2.5, 1) for ln in m.level_lines if len(ln.points)])
        with self.voiceover(text="So every contour line is a set of weights where x transpose w is constant. "
                                 "<bookmark mark='straight'/>Those are exactly straight lines, at a right angle to x. "
                                 "Not nearly straight: exactly."):
            self.play(FadeIn(statement), run_time=0.8)
            self.play(LaggedStart(*[Create(t) for t in traces], lag_ratio=0.1), run_time=2.5)
            self.wait_until_bookmark("straight")
            self.play(FadeOut(traces), Create(ruler), run_time=1.2)
            self.play(FadeIn(statement2), Indicate(corner, color=palette.ACCENT, scale_factor=1.6), run_time=1.2)
        (e0, e1), region, spot = plateau(x, lab, m.windows[0], S.clip)
        outline = Polygon(*m.w2p(region), color=palette.SGD_COLOR, stroke_width=4)
        edge = Line(m.w2p(e0), m.w2p(e1), color=palette.SGD_COLOR, stroke_width=6)
        clipped = caption("(clipped)", "note", palette.MUTED).next_to(readout, RIGHT, buff=0.2)
        with self.voiceover(text=f"Even the clipping of the loss, at about {S.max_loss:.0f}, depends only on x "
                                 "transpose w: <bookmark mark='flat'/>the loss is flat out here. <bookmark "
                                 "mark='edge'/>And the edge of the flat plateau is a straight line too."):
            self.play(FadeOut(VGroup(line, corner, ruler)), run_time=0.5)
            slide(spot, 1.5)
            self.play(FadeIn(clipped), run_time=0.6)
            self.play(Create(outline), run_time=1.5)
            self.wait_until_bookmark("flat")
            slide(0.5 * (region.mean(axis=0) + spot), 1.2)
            slide(spot, 1.2)
            self.wait_until_bookmark("edge")
            self.play(FadeOut(outline), Create(edge), run_time=1.5)
        self.wait(0.5)
        self.play(*[FadeOut(mob) for mob in self.mobjects], run_time=0.8)
        self.wait(0.3)
