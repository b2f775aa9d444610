"""Chapter 9 - Not quite random.

The training set is already a sample, and batches are a sample of that
sample, drawn without replacement: one shuffle per epoch, then cut into
batches. One epoch is shuffled and cut on screen; the class counts of its
batches are drawn as bars; after a batch rich in 1s the pool left holds more
0s. Then the measured correlation of consecutive batches' class shares,
next to its closed form.

    manim -pqh scenes/ch09_not_random.py NotQuiteRandom
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Axes, Brace, Create, DashedLine, FadeIn, FadeOut, GrowFromEdge, Indicate,
    LaggedStart, Line, MathTex, Rectangle, ReplacementTransform, Square, Transform,
    TransformMatchingTex, VGroup, VMobject, Write,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene

from scenes.kit.text import caption


@lru_cache(maxsize=None)
def epoch_numbers():
    """The demo epoch and its counts, all from quake_math."""
    S = numbers.story()
    _, y = numbers.dataset()
    batches = qm.demo_epoch(S, y)
    counts = qm.class_counts(y, batches)
    pool = qm.pool_counts(y, batches, 1)
    n_ones = int(np.sum(y == 1))
    expected = qm.expected_next_ones(int(counts[0, 1]), S.correlation_batch_size, len(y), n_ones)
    return batches, counts, pool, expected


@lru_cache(maxsize=None)
def correlation_numbers():
    S = numbers.story()
    _, y = numbers.dataset()
    measured, theory = qm.story_correlation(y, S)
    a, b = qm.story_fraction_pairs(y, S)
    return measured, theory, a, b


def dots_path(points: np.ndarray, radius: float) -> np.ndarray:
    """Bezier points of many small squares-with-round-corners (one subpath
    each), so thousands of dots are one mobject and draw fast."""
    k = 0.5523 * radius  # circle from four cubic arcs
    unit = []
    for (cx, cy), (dx, dy) in (((1, 0), (0, 1)), ((0, 1), (-1, 0)), ((-1, 0), (0, -1)), ((0, -1), (1, 0))):
        p0 = np.array([cx, cy]) * radius
        p3 = np.array([dx, dy]) * radius
        unit += [p0, p0 + np.array([dx, dy]) * k, p3 + np.array([cx, cy]) * k, p3]
    unit = np.array(unit)  # (16, 2)
    pts = points[:, None, :2] + unit[None]
    out = np.zeros((len(points) * 16, 3))
    out[:, :2] = pts.reshape(-1, 2)
    return out


def spoken(value: float) -> str:
    """A signed number as the narrator should say it: "minus 0.20"."""
    return ("minus " if value < 0 else "") + f"{abs(value):.2f}"


class NotQuiteRandom(NarratedScene):
    """One epoch shuffled and cut; class counts; the pool left; the correlation."""

    pitch = 0.17  # tile spacing
    tile = 0.14  # tile size
    block_gap = 0.38  # gap between batches after the cut
    strip_y = 1.75  # centre of the tile strip
    bar_bottom = -3.1
    bar_height = 3.0  # a whole batch
    bar_width = 1.45
    data_scale = 0.7  # screen units per data unit in the opening scatter
    data_offset = (0.0, -1.35)  # screen position of the data's origin
    scatter_size = (5.6, 5.0)
    scatter_center = (-2.3, -0.1)
    right_x = 4.3  # the column of the correlation's numbers
    scatter_range = (0.3, 0.7)

    # -- builders --------------------------------------------------------------
    def tile_positions(self, gaps: bool) -> np.ndarray:
        """Screen position of every slot of the strip, shape (N, 3): slot p is
        in batch p // B, column (p % B) // rows, row (p % B) % rows."""
        S = numbers.story()
        N, B = S.n_samples, S.correlation_batch_size
        rows = int(np.ceil(np.sqrt(B)))
        p = np.arange(N)
        k, q = p // B, p % B
        col = k * int(np.ceil(B / rows)) + q // rows
        x = col * self.pitch + (k * self.block_gap if gaps else 0.0)
        y = -(q % rows) * self.pitch
        pos = np.column_stack([x, y, np.zeros(N)])
        n_blocks = int(np.ceil(N / B))
        width = (n_blocks * np.ceil(B / rows) - 1) * self.pitch + (n_blocks - 1) * self.block_gap
        pos[:, 0] -= width / 2
        pos[:, 1] += self.strip_y + (rows - 1) * self.pitch / 2
        return pos

    def get_tiles(self):
        """One tile per sample, in data order (sample i in slot i)."""
        _, y = numbers.dataset()
        flat = self.tile_positions(gaps=False)
        tiles = VGroup(*[
            Square(side_length=self.tile, fill_color=palette.class_color(y[i]), fill_opacity=1, stroke_width=0)
            .move_to(flat[i])
            for i in range(len(y))
        ])
        tiles.labels = y.copy()
        return tiles

    def get_shuffled_targets(self, tiles, gaps: bool):
        """Tiles moved to their slots in the demo epoch: the sample of batch
        k's j-th place goes to slot k * B + j."""
        batches, *_ = epoch_numbers()
        order = np.concatenate(batches)
        pos = self.tile_positions(gaps)
        target = tiles.copy()
        slot = np.full(len(tiles), -1)
        slot[order] = np.arange(len(order))
        for i, t in enumerate(target):
            t.move_to(pos[slot[i]])
        target.slot = slot
        return target

    def block_center(self, k: int) -> np.ndarray:
        S = numbers.story()
        B = S.correlation_batch_size
        pos = self.tile_positions(gaps=True)[k * B:(k + 1) * B]
        return 0.5 * (pos.min(axis=0) + pos.max(axis=0))

    def get_block_frame(self, k: int, color=palette.ACCENT):
        S = numbers.story()
        B = S.correlation_batch_size
        pos = self.tile_positions(gaps=True)[k * B:(k + 1) * B]
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        r = Rectangle(width=hi[0] - lo[0] + self.pitch + 0.08, height=hi[1] - lo[1] + self.pitch + 0.08,
                      stroke_color=color, stroke_width=3, fill_opacity=0)
        return r.move_to(0.5 * (lo + hi))

    def get_bars(self):
        """One stacked bar per batch: 1s at the bottom, 0s on top, with counts."""
        S = numbers.story()
        B = S.correlation_batch_size
        _, counts, _, _ = epoch_numbers()
        bars = VGroup()
        for k, (zeros, ones) in enumerate(counts):
            x = self.block_center(k)[0]
            h1 = self.bar_height * ones / B
            h0 = self.bar_height * zeros / B
            r1 = Rectangle(width=self.bar_width, height=h1, fill_color=palette.CLASS1, fill_opacity=1,
                           stroke_width=0).move_to([x, self.bar_bottom + h1 / 2, 0])
            r0 = Rectangle(width=self.bar_width, height=h0, fill_color=palette.CLASS0, fill_opacity=1,
                           stroke_width=0).move_to([x, self.bar_bottom + h1 + h0 / 2, 0])
            t1 = caption(f"{ones}", "note", palette.BACKGROUND).move_to(r1)
            t0 = caption(f"{zeros}", "note", palette.BACKGROUND).move_to(r0)
            name = caption(f"batch {k + 1}", "tick", palette.MUTED).next_to(r1, DOWN, buff=0.12)
            bar = VGroup(r1, r0, t1, t0, name)
            bar.counts = (int(zeros), int(ones))
            bar.ones_text, bar.zeros_text = t1, t0
            bars.add(bar)
        half = DashedLine([bars[0].get_left()[0] - 0.2, self.bar_bottom + self.bar_height / 2, 0],
                          [bars[-1].get_right()[0] + 0.2, self.bar_bottom + self.bar_height / 2, 0],
                          color=palette.TEXT, stroke_width=2, dash_length=0.1)
        bars.half = half
        return bars

    def get_expected_mark(self, k: int = 1):
        """Where the next batch's 1s are expected to reach, on batch k's bar slot."""
        S = numbers.story()
        B = S.correlation_batch_size
        _, _, _, expected = epoch_numbers()
        x = self.block_center(k)[0]
        yv = self.bar_bottom + self.bar_height * expected / B
        slot = Rectangle(width=self.bar_width, height=self.bar_height, stroke_color=palette.MUTED,
                         stroke_width=2, fill_opacity=0).move_to([x, self.bar_bottom + self.bar_height / 2, 0])
        line = Line([x - self.bar_width / 2 - 0.1, yv, 0], [x + self.bar_width / 2 + 0.1, yv, 0],
                    color=palette.ACCENT, stroke_width=5)
        label = caption(f"expected: {expected:.1f} ones", "label", palette.ACCENT).next_to(slot, RIGHT, buff=0.12)
        label.shift(UP * (yv - label.get_center()[1]))
        back = Rectangle(width=label.width + 0.16, height=label.height + 0.12, fill_color=palette.BACKGROUND,
                         fill_opacity=0.85, stroke_width=0).move_to(label)
        g = VGroup(slot, line, back, label)
        g.expected = expected
        g.text = f"{expected:.1f}"
        return g

    def get_pool(self):
        """Brace over the batches still to come, with the counts left in the pool."""
        _, _, pool, _ = epoch_numbers()
        S = numbers.story()
        B = S.correlation_batch_size
        pos = self.tile_positions(gaps=True)[B:]
        left = VGroup(*[Square(0.01).move_to(p) for p in (pos.min(axis=0), pos.max(axis=0))])
        brace = Brace(left, UP, buff=0.12, color=palette.MUTED)
        text = VGroup(
            caption("left for the rest of the epoch:", "note", palette.MUTED),
            caption(f"{pool[0]} zeros", "note", palette.CLASS0),
            caption(f"{pool[1]} ones", "note", palette.CLASS1),
        ).arrange(RIGHT, buff=0.25).next_to(brace, UP, buff=0.1)
        g = VGroup(brace, text)
        g.counts = (int(pool[0]), int(pool[1]))
        return g

    def get_scatter(self):
        """Class-1 shares of consecutive batches over many shuffles, with the
        closed form's expected next share as a line."""
        S = numbers.story()
        _, y = numbers.dataset()
        N, B = len(y), S.correlation_batch_size
        n_ones = int(np.sum(y == 1))
        measured, theory, a, b = correlation_numbers()
        lo, hi = self.scatter_range
        w, h = self.scatter_size
        axes = Axes(x_range=[lo, hi, 0.1], y_range=[lo, hi, 0.1], x_length=w, y_length=h, tips=False,
                    axis_config={"color": palette.MUTED, "stroke_width": 2}).move_to(
            np.array([*self.scatter_center, 0]))
        ticks = VGroup()
        for v in np.arange(lo, hi + 1e-9, 0.1):
            ticks.add(caption(f"{v:.1f}", "tick", palette.MUTED).next_to(axes.c2p(v, lo), DOWN, buff=0.12))
            ticks.add(caption(f"{v:.1f}", "tick", palette.MUTED).next_to(axes.c2p(lo, v), LEFT, buff=0.12))
        xl = caption("share of 1s: this batch", "note").next_to(axes.x_axis, DOWN, buff=0.5)
        yl = caption("share of 1s: next batch", "note").rotate(np.pi / 2).next_to(axes.y_axis, LEFT, buff=0.6)
        inside = (a >= lo) & (a <= hi) & (b >= lo) & (b <= hi)
        pts = axes.c2p(np.column_stack([a[inside], b[inside]]))
        dots = VMobject(fill_color=palette.ACCENT, fill_opacity=0.85, stroke_width=0)
        dots.points = dots_path(pts, 0.045)
        dots.values = np.column_stack([a, b])
        # the expected next share given this batch's share (closed form, quake_math)
        ones = np.array([int(round(lo * B)), int(round(hi * B))])
        nxt = np.array([qm.expected_next_ones(int(o), B, N, n_ones) for o in ones]) / B
        line = Line(axes.c2p(ones[0] / B, nxt[0]), axes.c2p(ones[1] / B, nxt[1]),
                    color=palette.TEXT, stroke_width=4)
        line.values = np.column_stack([ones / B, nxt])
        g = VGroup(axes, ticks, xl, yl, dots, line)
        g.axes, g.dots, g.line, g.labels = axes, dots, line, VGroup(ticks, xl, yl)
        g.shown = int(inside.sum())
        return g

    def get_correlation_tex(self):
        """rho = -B/(N-B), then the story's numbers, then its value; and the measured one."""
        S = numbers.story()
        N, B = S.n_samples, S.correlation_batch_size
        measured, theory, _, _ = correlation_numbers()
        kw = {"font_size": 44, "color": palette.TEXT}
        steps = [
            MathTex(r"\rho", "=", "-", r"\frac{B}{N-B}", **kw),
            MathTex(r"\rho", "=", "-", rf"\frac{{{B}}}{{{N}-{B}}}", **kw),
            MathTex(r"\rho", "=", "-", rf"\frac{{{B}}}{{{N - B}}}", **kw),
            MathTex(r"\rho", "=", rf"{theory:.2f}", **kw),
        ]
        measured_row = VGroup(caption("measured:", "body", palette.MUTED),
                              MathTex(rf"{measured:.2f}", font_size=44, color=palette.ACCENT)).arrange(RIGHT, buff=0.2)
        steps_group = VGroup(*steps)
        steps_group.measured, steps_group.theory = measured, theory
        steps_group.measured_text, steps_group.theory_text = f"{measured:.2f}", f"{theory:.2f}"
        return steps_group, measured_row

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        X, y = numbers.dataset()
        N, B = S.n_samples, S.correlation_batch_size
        n_zero, n_one = int(np.sum(y == 0)), int(np.sum(y == 1))
        batches, counts, pool, expected = epoch_numbers()
        measured, theory, a, _ = correlation_numbers()

        title = caption("Not quite random", "title").to_edge(UP, buff=0.3)

        # -- 1. the data are a sample -----------------------------------------
        pts = np.column_stack([X * self.data_scale + np.asarray(self.data_offset), np.zeros(len(X))])
        cloud = VGroup(*[Square(side_length=self.tile * 0.8, fill_color=palette.class_color(y[i]), fill_opacity=1,
                                stroke_width=0).move_to(p) for i, p in enumerate(pts)])
        with self.voiceover(
            text=f"One more twist. Our training set is already a sample: {N} points drawn from two clouds, "
                 "a small piece of the world."
        ) as tracker:
            self.play(FadeIn(title), run_time=0.8)
            self.play(LaggedStart(*[FadeIn(d) for d in cloud], lag_ratio=0.002),
                      run_time=max(tracker.get_remaining_duration(), 1.0))
        tiles = self.get_tiles()
        with self.voiceover(
            text=f"And the batches are a sample of that sample. Line the points up: "
                 f"{n_zero} zeros in blue, then {n_one} ones in orange."
        ) as tracker:
            self.play(Transform(cloud, tiles), run_time=2.0)
        self.remove(cloud)
        self.add(tiles)

        shuffled = self.get_shuffled_targets(tiles, gaps=False)
        cut = self.get_shuffled_targets(tiles, gaps=True)
        with self.voiceover(
            text=f"At the start of every epoch, we <bookmark mark='s'/>shuffle them once. "
                 f"Then we <bookmark mark='c'/>cut the line into batches of {B}."
        ) as tracker:
            self.wait_until_bookmark("s")
            self.play(Transform(tiles, shuffled, path_arc=0.6), run_time=2.0)
            self.wait_until_bookmark("c")
            self.play(Transform(tiles, cut), run_time=1.2)
        with self.voiceover(
            text="Every sample lands in exactly one batch. No sample comes twice in one epoch. "
                 "So the batches are not independent of each other."
        ) as tracker:
            self.wait(max(tracker.duration, 0.1))

        # -- 2. counts: after a batch rich in 1s, the pool holds more 0s --------
        bars = self.get_bars()
        first = self.get_block_frame(0)
        z0, o0 = counts[0]
        with self.voiceover(
            text=f"Count the classes in the first batch: {o0} ones and {z0} zeros. "
                 "More ones than half."
        ) as tracker:
            self.play(Create(first), run_time=0.8)
            self.play(GrowFromEdge(bars[0], DOWN), Create(bars.half), run_time=1.2)
        pool_g = self.get_pool()
        with self.voiceover(
            text=f"Those ones are used up for this epoch. The {pool.sum()} samples left hold "
                 f"{pool[0]} zeros, and only {pool[1]} ones."
        ) as tracker:
            self.play(FadeOut(title), FadeIn(pool_g, shift=DOWN * 0.2), run_time=1.0)
        mark = self.get_expected_mark(1)
        z1, o1 = counts[1]
        with self.voiceover(
            text=f"So the next batch leans the other way. On average it should hold {mark.text} ones. "
                 f"<bookmark mark='n'/>Here it holds {o1}."
        ) as tracker:
            second = self.get_block_frame(1)
            self.play(ReplacementTransform(first, second), FadeIn(mark), run_time=1.0)
            self.wait_until_bookmark("n")
            self.play(GrowFromEdge(bars[1], DOWN), run_time=1.0)
            self.play(Indicate(bars[1].ones_text, color=palette.ACCENT, scale_factor=1.4))
        with self.voiceover(
            text="Here is the rest of the epoch. Each batch changes what is left for the ones after it."
        ) as tracker:
            self.play(FadeOut(mark), FadeOut(pool_g), FadeOut(second),
                      LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars[2:]], lag_ratio=0.3),
                      run_time=max(tracker.duration, 1.5))
        self.play(FadeOut(VGroup(tiles, bars, bars.half)), run_time=0.8)

        # -- 3. measured correlation next to its closed form --------------------
        scatter = self.get_scatter()
        steps, measured_row = self.get_correlation_tex()
        for s in steps:
            s.move_to([self.right_x, 1.2, 0])
        measured_row.move_to([self.right_x, -0.9, 0])
        with self.voiceover(
            text=f"Now repeat it. Shuffle {S.correlation_epochs} times, and each time, pair every batch "
                 "with the batch after it. <bookmark mark='d'/>Each dot is one such pair."
        ) as tracker:
            self.play(Create(scatter.axes), FadeIn(scatter.labels), run_time=1.2)
            self.wait_until_bookmark("d")
            self.play(FadeIn(scatter.dots), run_time=1.0)
        with self.voiceover(
            text="The cloud tilts down. When one batch has more ones, the next one tends to have fewer. "
                 "The line shows the average, straight from the counts that are left."
        ) as tracker:
            self.play(Create(scatter.line), run_time=1.5)
        with self.voiceover(
            text="How strong is the tilt? For two batches of one shuffle, the correlation is exactly "
                 "minus B, over N minus B."
        ) as tracker:
            self.play(Write(steps[0]), run_time=1.5)
        with self.voiceover(
            text=f"With batches of {B} from {N} samples, that is <bookmark mark='v'/>{spoken(theory)}. "
                 f"<bookmark mark='m'/>Our dots give {spoken(measured)}: close, with the wobble of a "
                 "finite experiment."
        ) as tracker:
            self.play(TransformMatchingTex(steps[0], steps[1]), run_time=1.0)
            self.play(TransformMatchingTex(steps[1], steps[2]), run_time=0.8)
            self.wait_until_bookmark("v")
            self.play(TransformMatchingTex(steps[2], steps[3]), run_time=0.8)
            self.wait_until_bookmark("m")
            self.play(FadeIn(measured_row, shift=UP * 0.2), run_time=0.8)
        with self.voiceover(
            text="Batches are a sample of a sample, drawn without putting anything back. "
                 "Close to random, but not quite."
        ) as tracker:
            self.wait(max(tracker.duration, 0.1))
        self.play(FadeOut(VGroup(scatter, steps[3], measured_row)), run_time=1.0)
        self.wait(0.3)
