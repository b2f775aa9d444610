"""The magnitude of the quake against batch size, on log-log axes.

:class:`MagnitudePlot` draws numbers it is given (from quake_math): the
measured magnitude at some batch sizes as dots, the closed form as a curve,
chosen batch sizes marked with a dashed drop line and a big dot, and the
data set's size N marked on the batch-size axis (where the magnitude is
exactly 0, which a log scale cannot show)::

    sizes, measured, theory = qm.story_magnitude_curve(X, y, S)
    B = np.geomspace(1, N, 240)
    plot = MagnitudePlot(sizes, measured, B, qm.magnitude_theory_curve(grids, B), N,
                         marks=[(10, palette.SMALL_BATCH), (100, palette.LARGE_BATCH)],
                         batches=S.magnitude_batches)

Its parts are attributes (``axes``, ``ticks``, ``labels``, ``curve``,
``dots``, ``marks``, ``legend``, ``n_mark``) so a scene can bring them in one
by one; ``dots.values``, ``curve.values`` and each mark's ``batch_size`` and
``value`` hold the numbers drawn, for tests.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, UR, Axes, DashedLine, Dot, LogBase, VGroup, VMobject

from scenes.kit import palette
from scenes.kit.text import caption

__all__ = ["MagnitudePlot"]


class MagnitudePlot(VGroup):
    """Log-log axes of batch size (10^x_decades[0] .. 10^x_decades[1]) against
    magnitude (10^y_decades[0] .. 10^y_decades[1]), ``size`` = (width,
    height) on screen. Sizes at or above N (magnitude 0) get no dot."""

    def __init__(self, sizes, measured, curve_sizes, curve_values, n_samples: int, marks=(), batches=None,
                 size=(7.6, 4.6), x_decades=(0, 3), y_decades=(-1, 1), **kwargs):
        super().__init__(**kwargs)
        sizes, measured = np.asarray(sizes, dtype=float), np.asarray(measured, dtype=float)
        self.n_samples = N = int(n_samples)
        w, h = size
        (x0, x1), (y0, y1) = x_decades, y_decades
        self.bottom, self.top = 10.0 ** y0, 10.0 ** y1
        axes = Axes(
            x_range=[x0, x1, 1], y_range=[y0, y1, 1], x_length=w, y_length=h, tips=False,
            axis_config={"color": palette.MUTED, "stroke_width": 2, "include_ticks": True},
            x_axis_config={"scaling": LogBase()}, y_axis_config={"scaling": LogBase()},
        )
        ticks = VGroup()
        for k in range(x0, x1 + 1):
            ticks.add(caption(f"{10.0 ** k:g}", "tick", palette.MUTED).next_to(axes.c2p(10.0 ** k, self.bottom),
                                                                             DOWN, buff=0.15))
        for k in range(y0, y1 + 1):
            ticks.add(caption(f"{10.0 ** k:g}", "tick", palette.MUTED).next_to(axes.c2p(10.0 ** x0, 10.0 ** k),
                                                                             LEFT, buff=0.15))
        xl = caption("batch size B", "note").next_to(axes.x_axis, DOWN, buff=0.55)
        yl = caption("magnitude", "note").rotate(np.pi / 2).next_to(axes.y_axis, LEFT, buff=0.6)
        # measured dots: every size below N (the magnitude at N is 0)
        keep = sizes < N
        dots = VGroup(*[Dot(axes.c2p(b, m), radius=0.07, color=palette.ACCENT)
                        for b, m in zip(sizes[keep], measured[keep])])
        dots.values = np.column_stack([sizes[keep], measured[keep]])
        # the closed form, as far down as the axes reach
        B, M = np.asarray(curve_sizes, dtype=float), np.asarray(curve_values, dtype=float)
        inside = M >= self.bottom
        curve = VMobject(stroke_color=palette.TEXT, stroke_width=3, fill_opacity=0)
        curve.set_points_smoothly(axes.c2p(np.column_stack([B[inside], M[inside]])))
        curve.values = np.column_stack([B[inside], M[inside]])
        # N, where the magnitude is 0: a dashed line across the plot
        n_line = DashedLine(axes.c2p(N, self.bottom), axes.c2p(N, self.top), color=palette.MUTED,
                            stroke_width=2, dash_length=0.1)
        n_label = caption(f"N = {N}", "label", palette.TEXT).next_to(n_line, UP, buff=0.12)
        n_mark = VGroup(n_line, n_label)
        n_mark.value = N
        # chosen batch sizes
        marked = VGroup()
        listed = [int(s) for s in sizes]
        for b, color in marks:
            m = float(measured[listed.index(int(b))])
            line = DashedLine(axes.c2p(b, self.bottom), axes.c2p(b, m), color=color, stroke_width=2.5,
                              dash_length=0.08)
            big = Dot(axes.c2p(b, m), radius=0.11, color=color)
            lab = caption(f"B = {b}", "label", color).next_to(big, UR, buff=0.08)
            g = VGroup(line, big, lab)
            g.batch_size, g.value = int(b), m
            marked.add(g)
        # the legend sits top right, above the falling curve and left of N
        what = f"measured ({batches} batches each)" if batches else "measured"
        legend = VGroup(
            VGroup(Dot(radius=0.07, color=palette.ACCENT), caption(what, "label")).arrange(RIGHT, buff=0.15),
            VGroup(VMobject(stroke_color=palette.TEXT, stroke_width=3).set_points_as_corners([LEFT * 0.2, RIGHT * 0.2]),
                   caption("closed form", "label")).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        legend.next_to(axes.c2p(N, self.top), DOWN + LEFT, buff=0.2)
        self.add(axes, ticks, xl, yl, n_mark, curve, dots, marked, legend)
        self.axes, self.ticks, self.labels = axes, ticks, VGroup(xl, yl)
        self.curve, self.dots, self.marks, self.legend, self.n_mark = curve, dots, marked, legend, n_mark
