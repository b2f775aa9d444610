"""Chapter 9 - Not quite random.

The training set is already a sample of two clouds, and batches are a sample
of that sample, drawn without replacement: one shuffle per epoch, then cut
into batches. One epoch is shuffled and cut on screen; each batch's tiles
fly into a bar of its class counts; after a batch rich in 1s the pool left
holds more 0s. The epoch's consecutive batches fly from the bars to their
dots, then 400 more shuffles pile up (a dot's area is how many pairs share
its point), and the measured correlation meets its closed form -B / (N - B).

    manim -pqh scenes/ch09_not_random.py NotQuiteRandom
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, UR, Brace, Circle, Create, FadeIn, FadeOut, Indicate,
    LaggedStart, Line, Rectangle, ReplacementTransform, Transform, TransformFromCopy, VGroup, Write, linear,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.count_dots import CountDots, CountScatter, count_legend
from scenes.kit.epoch_numbers import demo_epoch, pair_correlation, spoken
from scenes.kit.epoch_strip import CountBars, TileStrip, pool_label, tile_layer, veil
from scenes.kit.plots import PlotAxes
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import Number, caption, math


class NotQuiteRandom(NarratedScene):
    """One epoch shuffled, cut and counted; its pairs, then many shuffles; the correlation."""

    data_scale = 0.7  # screen units per data unit in the opening scatter
    data_offset = (0.0, -1.35)  # screen position of the data's origin
    bar_bottom, bar_height = -3.1, 3.0  # the count bars under the strip
    small_bars = dict(left=-6.3, right=-1.5, bottom=-2.2, height=4.3, width=0.6)  # beside the dots
    dots_box = (0.8, 6.35, -2.65, 2.95)  # the dots' axes: x0, x1, y0, y1
    left_x = -3.75  # the centre of the column left of the dots
    radius_one = 0.022  # the radius of a dot holding one pair

    # -- builders (tests read them) ----------------------------------------------
    def get_strip(self) -> TileStrip:
        S = numbers.story()
        return TileStrip(S.n_samples, S.correlation_batch_size)

    def get_bars(self, small: bool = False) -> CountBars:
        """The demo epoch's class counts, under the strip or (small) beside the dots."""
        S = numbers.story()
        counts = demo_epoch().counts
        if not small:
            xs = [self.get_strip().block_center(k)[0] for k in range(len(counts))]
            return CountBars(counts, xs, self.bar_bottom, S.correlation_batch_size, self.bar_height)
        s = self.small_bars
        xs = np.linspace(s["left"] + s["width"] / 2, s["right"] - s["width"] / 2, len(counts))
        return CountBars(counts, xs, s["bottom"], S.correlation_batch_size, s["height"], s["width"],
                         count_size="label", name=lambda k: f"{k + 1}")

    def get_world(self):
        """The two clouds the data come from: rings at 1 and 2 sigma, labelled."""
        S = numbers.story()
        g = VGroup()
        for c, center in enumerate((S.center0, S.center1)):
            at = np.array([*(np.asarray(center) * self.data_scale + self.data_offset), 0])
            rings = VGroup(*[Circle(radius=k * S.sigma * self.data_scale, color=palette.class_color(c),
                                    stroke_width=3, stroke_opacity=0.9).move_to(at) for k in (1, 2)])
            rings.add(caption(f"class {c}", "note", palette.class_color(c)).next_to(rings[1], RIGHT, buff=0.2))
            g.add(rings)
        return g

    def get_scatter(self) -> CountScatter:
        """The 1s in a batch against the 1s in the next over many shuffles (dots
        sized by how many pairs coincide), the closed form's expected next
        count as a line, and a flat line at an even share (independent batches)."""
        S = numbers.story()
        _, y = numbers.dataset()
        N, B, n_ones = len(y), S.correlation_batch_size, int(np.sum(y == 1))
        a, b = pair_correlation().now, pair_correlation().next
        x0, x1, y0, y1 = self.dots_box
        sc = CountScatter(a, b, group=len(a) // S.correlation_epochs, size=(x1 - x0, y1 - y0),
                          radius_one=self.radius_one, x_label="1s in this batch", y_label="1s in the next batch")
        sc.shift([(x0 + x1) / 2, (y0 + y1) / 2, 0] - sc.axes.get_center())
        lo, hi = sc.range
        sc.tilt = sc.line(*[v for o in (lo, hi) for v in (o, qm.expected_next_ones(int(o), B, N, n_ones))])
        sc.flat = sc.line(lo, B * n_ones / N, hi, B * n_ones / N, dashed=True, color=palette.MUTED, width=2)
        return sc

    def get_formula(self):
        """rho = -B/(N-B); the story's numbers in it; N - B worked out; the value.
        Also the helper line B = .., N = .. the numbers fly from."""
        S = numbers.story()
        N, B = S.n_samples, S.correlation_batch_size
        theory = pair_correlation().theory
        head = [r"\rho", "=", "-", r"\frac{"]
        states = [head + ["B", "}{", "N", "-", "B", "}"], head + [f"{B}", "}{", f"{N}", "-", f"{B}", "}"],
                  head + [f"{B}", "}{", f"{N - B}", "}"], [r"\rho", "=", "-", f"{abs(theory):.2f}"]]
        mobs = [math(*s, size="title").move_to([self.left_x, 2.45, 0]) for s in states]
        for m in mobs[1:]:
            m.align_to(mobs[0], LEFT)
        helper = math("B", "=", f"{B}", r",\quad", "N", "=", f"{N}", color=palette.MUTED)
        helper.next_to(mobs[0], DOWN, buff=0.45).align_to(mobs[0], LEFT)
        mobs[-1].value = theory
        return mobs, helper

    def get_wobble(self):
        """The measured correlation after 10, 20, ... shuffles, the closed form dashed."""
        S = numbers.story()
        c = pair_correlation()
        lo = min(-0.5, np.floor(c.running.min() * 10) / 10)
        axes = PlotAxes((0, S.correlation_epochs), (lo, 0), size=(5.2, 2.7), max_ticks=5)
        axes.move_to([self.left_x + 0.2, -1.55, 0])
        trace = axes.graph(c.shuffles, c.running, color=palette.ACCENT, width=3)
        trace.values = np.column_stack([c.shuffles, c.running])
        ref = axes.line((0, c.theory), (S.correlation_epochs, c.theory), color=palette.TEXT)
        title = caption("measured after this many shuffles", "label", palette.MUTED).next_to(axes, UP, buff=0.2)
        zero = caption("0", "tick", palette.MUTED).next_to(axes.c2p(0, 0), LEFT, buff=0.15)
        return VGroup(axes, title, zero), trace, ref

    def get_pool(self, k: int) -> VGroup:
        """A brace over batches k.. with what they hold (before batch k is drawn)."""
        strip, top = self.get_strip(), self.get_strip().block_box(len(demo_epoch().batches) - 1)[1]
        half = strip.tile / 2
        brace = Brace(Line([strip.block_box(k)[0][0] - half, top[1], 0], top + [half, 0, 0]), UP, buff=0.15,
                      color=palette.MUTED)
        label = pool_label(*demo_epoch().pools[k]).next_to(brace, UP, buff=0.1)
        label.shift(LEFT * max(0.0, label.get_right()[0] - 6.7))
        return VGroup(brace, *label)

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        S = numbers.story()
        self.X, self.y = numbers.dataset()
        self.N, self.B, self.K = S.n_samples, S.correlation_batch_size, len(demo_epoch().batches)
        self.strip = self.get_strip()
        for part in (self.sample_of_a_sample, self.one_epoch, self.count_batches, self.pairs_from_the_bars,
                     self.many_shuffles, self.the_tilt):
            part()

    def sample_of_a_sample(self):
        X, y, N, strip = self.X, self.y, self.N, self.strip
        title = caption("Not quite random", "title").to_edge(UP, buff=0.3)
        tiles = self.tiles = strip.tiles(y, positions=np.column_stack(
            [X * self.data_scale + np.asarray(self.data_offset), np.zeros(len(X))]))
        world = self.get_world()
        with self.voiceover(text=f"One more twist. Our training set is already a <bookmark mark='p'/>sample: "
                                 f"{N} points, drawn from <bookmark mark='w'/>two clouds, a small piece "
                                 "of the world.") as tr:
            self.play(FadeIn(title), run_time=0.8)
            self.wait_until_bookmark("p")
            self.play(LaggedStart(*[FadeIn(t, scale=0.5) for t in tiles], lag_ratio=0.003), run_time=2.0)
            self.wait_until_bookmark("w")
            self.play(LaggedStart(*[Create(r) for r in world], lag_ratio=0.4),
                      run_time=max(tr.get_remaining_duration(), 1))
        line_up = strip.arranged(tiles, np.arange(N))
        of = [np.flatnonzero(y == c) for c in (0, 1)]
        braces = VGroup(*[Brace(VGroup(*[line_up[i] for i in of[c]]), DOWN, buff=0.1, color=palette.MUTED)
                          for c in (0, 1)])
        braces.add(*[caption(f"{len(of[c])} {w}", "note", palette.class_color(c)).next_to(braces[c], DOWN)
                     for c, w in enumerate(("zeros", "ones"))])
        spot = VGroup(veil(tiles), tile_layer(tiles, demo_epoch().batches[0]))
        with self.voiceover(text="And the batches are a sample of that sample. <bookmark mark='z'/>Line the points "
                                 f"up: {len(of[0])} zeros in blue, <bookmark mark='o'/>then {len(of[1])} ones in "
                                 "orange.") as tr:
            self.play(FadeOut(world), FadeIn(spot))
            self.play(FadeOut(spot), run_time=0.6)
            for c, mark in ((0, "z"), (1, "o")):
                self.wait_until_bookmark(mark)
                self.play(Transform(VGroup(*[tiles[i] for i in of[c]]), VGroup(*[line_up[i] for i in of[c]])),
                          FadeIn(braces[c]), FadeIn(braces[c + 2]), run_time=1.5)
        self.title, self.braces = title, braces

    def one_epoch(self):
        tiles, strip, N, B, K = self.tiles, self.strip, self.N, self.B, self.K
        order = np.concatenate(demo_epoch().batches)
        with self.voiceover(text="At the start of every epoch, we <bookmark mark='s'/>shuffle them once. "
                                 f"Then we <bookmark mark='c'/>cut the line into batches of {B}."):
            self.play(FadeOut(self.braces), run_time=0.6)
            self.wait_until_bookmark("s")
            self.play(Transform(tiles, strip.arranged(tiles, order), path_arc=0.6), run_time=2.0)
            self.wait_until_bookmark("c")
            self.play(Transform(tiles, strip.arranged(tiles, order, gaps=True)), run_time=1.2)
        frames = VGroup(*[strip.frame(k, palette.MUTED) for k in range(K)])
        names = VGroup(*[caption(f"batch {k + 1}", "tick", palette.MUTED).next_to(f, DOWN, buff=0.1)
                         for k, f in enumerate(frames)])
        label = caption("samples used, each once:", "note", palette.MUTED)
        count = Number(0, decimals=0, size="body").next_to(label, RIGHT, buff=0.15)
        used = VGroup(label, count).move_to([0, 0.1, 0])
        count.add_updater(lambda m: m.next_to(label, RIGHT, buff=0.15))
        pool = self.pool = self.get_pool(0)
        with self.voiceover(text=f"Every sample lands in exactly one batch: {K} batches of {B} use up all {N}. "
                                 "No sample comes twice in one epoch. <bookmark mark='l'/>So the batches share one "
                                 "pool, and they are not independent of each other."):
            self.play(FadeIn(used), run_time=0.4)
            for k in range(K):
                self.play(Create(frames[k]), FadeIn(names[k]), count.animate.set_value(B * (k + 1)), run_time=0.5)
            self.play(Indicate(used, color=palette.ACCENT, scale_factor=1.1), run_time=1.0)
            self.wait_until_bookmark("l")
            self.play(FadeOut(used), FadeOut(names), FadeOut(self.title), run_time=0.5)
            self.play(FadeIn(pool[0], shift=0.2 * DOWN), LaggedStart(*[FadeIn(p) for p in pool[1:]], lag_ratio=0.5),
                      run_time=1.5)
        self.frames = frames

    def count_batches(self):
        tiles, strip, y, B, K, d = self.tiles, self.strip, self.y, self.B, self.K, demo_epoch()
        batches, counts, pools, expected = d.batches, d.counts, d.pools, d.expected
        bars = self.bars = self.get_bars()
        frame = self.frame = strip.frame(0)
        of = lambda k: VGroup(*[tiles[i] for i in batches[k]])  # noqa: E731
        (z0, o0), (z1, o1) = counts[:2]
        with self.voiceover(text=f"Count the classes in the first batch: <bookmark mark='c'/>{o0} ones and "
                                 f"{z0} zeros. <bookmark mark='h'/>More ones than half.") as tr:
            self.play(FadeOut(self.frames), Create(frame), run_time=0.8)
            self.wait_until_bookmark("c")
            bars.fill(self, 0, of(0), y[batches[0]])
            self.wait_until_bookmark("h")
            self.play(Create(bars.half), run_time=0.6)
            self.play(Indicate(bars[0].ones_text, color=palette.ACCENT, scale_factor=1.5), run_time=1.0)
        rest = [i for k in range(1, K) for i in batches[k]]
        shade = veil(*[tiles[i] for i in rest])
        lit = [tile_layer(tiles, [i for i in rest if y[i] == c]) for c in (0, 1)]
        used = self.used = [veil(of(k)) for k in range(K)]
        pool, left = self.pool, self.get_pool(1)
        with self.voiceover(text=f"Those ones are used up for this epoch. <bookmark mark='l'/>The {sum(pools[1])} "
                                 f"samples left hold <bookmark mark='z'/>{pools[1][0]} zeros, "
                                 f"<bookmark mark='o'/>and only {pools[1][1]} ones.") as tr:
            self.play(FadeIn(used[0]), run_time=1.0)
            self.wait_until_bookmark("l")
            self.play(Transform(pool[:2], left[:2]), *[pool[i].animate.move_to(left[i]) for i in (2, 3)], run_time=0.8)
            self.wait_until_bookmark("z")
            self.play(FadeIn(shade), FadeIn(lit[0]), Transform(pool[2], left[2]), run_time=0.8)
            self.wait_until_bookmark("o")
            self.play(FadeOut(lit[0]), FadeIn(lit[1]), Transform(pool[3], left[3]), run_time=0.8)
        x1, w = bars.xs[1], bars.bar_width
        calc = math(f"{B}", r"\times", r"\frac{", f"{pools[1][1]}", "}{", f"{sum(pools[1])}", "}", "=",
                    f"{expected:.1f}", size="body")
        calc.move_to([x1 + w / 2 + 0.3, bars.level(expected) + 0.75, 0], aligned_edge=LEFT)
        slot = Rectangle(width=w, height=bars.bar_height, stroke_color=palette.MUTED, stroke_width=2)
        slot.move_to([x1, bars.bottom + bars.bar_height / 2, 0])
        mark = Line([x1 - w / 2 - 0.1, bars.level(expected), 0], [x1 + w / 2 + 0.1, bars.level(expected), 0],
                    color=palette.ACCENT, stroke_width=5)
        with self.voiceover(text="So the next batch leans the other way. <bookmark mark='e'/>On average it should hold "
                                 f"{B} times {pools[1][1]} over {sum(pools[1])}: {expected:.1f} ones. "
                                 f"<bookmark mark='n'/>Here it holds {o1}.") as tr:
            self.play(FadeOut(shade), FadeOut(lit[1]), Transform(frame, strip.frame(1)), Create(slot), run_time=1.0)
            self.wait_until_bookmark("e")
            self.play(FadeIn(calc[:3]), FadeIn(calc[4]), FadeIn(calc[6]), TransformFromCopy(pool[3], calc[3]),
                      TransformFromCopy(pool[1], calc[5]), run_time=1.2)
            self.play(FadeIn(calc[7:]), Create(mark), run_time=0.8)
            self.wait_until_bookmark("n")
            self.play(FadeOut(calc), run_time=0.4)
            bars.fill(self, 1, of(1), y[batches[1]], run_time=1.2)
            self.play(Indicate(bars[1].ones_text, color=palette.ACCENT, scale_factor=1.5), run_time=0.8)
        with self.voiceover(text="Here is the rest of the epoch. Each batch changes what is left for the ones "
                                 "after it.") as tr:
            self.play(FadeOut(mark), FadeOut(slot), FadeIn(used[1]), run_time=0.5)
            step = max((tr.get_remaining_duration() - 0.2) / (K - 2), 1.0)
            for k in range(2, K):
                self.play(Transform(frame, strip.frame(k)), Transform(pool, self.get_pool(k)), run_time=0.3 * step)
                bars.fill(self, k, of(k), y[batches[k]], run_time=0.45 * step)
                self.play(FadeIn(used[k]), run_time=0.1 * step)

    def pairs_from_the_bars(self):
        counts, K = demo_epoch().counts, self.K
        scatter = self.scatter = self.get_scatter()
        axes, small, (lo, _) = scatter.axes, self.get_bars(small=True), scatter.range
        bars = self.bars
        mine = self.mine = VGroup(*[CountDots(axes, [counts[k, 1]], [counts[k + 1, 1]], radius_one=0.065,
                                              color=palette.TEXT, opacity=1).show(1) for k in range(K - 1)])
        (o0, o1) = counts[0, 1], counts[1, 1]
        with self.voiceover(text="Take two batches in a row. <bookmark mark='p'/>This one holds "
                                 f"{o0} ones, the next one {o1}: <bookmark mark='d'/>together, one dot. "
                                 f"<bookmark mark='r'/>The epoch's {K} batches give {K - 1} such pairs."):
            cover = veil(self.tiles, opacity=1)  # one shape fading in is cheaper than 600 fading out
            self.play(FadeIn(cover), *[FadeOut(m) for m in (self.frame, self.pool, bars.half)], Transform(bars, small),
                      run_time=1.2)
            self.remove(self.tiles, cover, *self.used)
            self.play(Create(axes), FadeIn(scatter.labels), run_time=1.0)
            self.wait_until_bookmark("p")
            pair = VGroup(*[Rectangle(width=small.bar_width + 0.16, height=small.bar_height + 0.55, stroke_width=3,
                                      stroke_color=palette.ACCENT) for _ in range(2)])
            pair.arrange(RIGHT, buff=small.xs[1] - small.xs[0] - pair[0].width)
            pair.match_x(VGroup(*small[:2])).set_y(small.bottom + small.bar_height / 2 - 0.17)
            self.play(Create(pair), run_time=0.6)
            xn, yn = bars[0].ones_text.copy(), bars[1].ones_text.copy()
            self.play(xn.animate.set_color(palette.ACCENT).next_to(axes.c2p(o0, lo), DOWN, buff=0.15),
                      yn.animate.set_color(palette.ACCENT).next_to(axes.c2p(lo, o1), LEFT, buff=0.15), run_time=1.2)
            self.wait_until_bookmark("d")
            guides = scatter.guides(o0, o1)
            self.play(Create(guides), run_time=0.8)
            self.play(FadeIn(mine[0], scale=3), run_time=0.5)
            self.wait_until_bookmark("r")
            self.play(FadeOut(guides), FadeOut(xn), FadeOut(yn), run_time=0.4)
            for k in range(1, K - 1):
                self.play(pair.animate.move_to([(small.xs[k] + small.xs[k + 1]) / 2, pair.get_y(), 0]), run_time=0.35)
                flying = VGroup(bars[k].ones_text.copy(), bars[k + 1].ones_text.copy())
                self.play(ReplacementTransform(flying, mine[k]), run_time=0.6)
            self.play(FadeOut(pair), run_time=0.3)

    def many_shuffles(self):
        S, dots, axes = numbers.story(), self.scatter.dots, self.scatter.axes
        shuffles, pairs = Number(0, decimals=0, size="heading"), Number(0, decimals=0, size="heading")
        tally = VGroup(*[VGroup(caption(f"{w}:", "heading", palette.MUTED), n).arrange(RIGHT, buff=0.2)
                         for w, n in (("shuffles", shuffles), ("pairs", pairs))])
        tally.arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to([self.left_x, 1.7, 0])
        shuffles.add_updater(lambda m: m.set_value(dots.shown))
        pairs.add_updater(lambda m: m.set_value(dots.shown * dots.group))
        legend = self.legend = count_legend((1, 5, 20), self.radius_one, size="note").move_to([self.left_x, -0.7, 0])
        (cx, cy), cmax = dots.densest()
        ring = Circle(radius=dots.radius(cmax) + 0.06, color=palette.TEXT, stroke_width=3).move_to(axes.c2p(cx, cy))
        lo, hi = self.scatter.range
        note = caption(f"{cmax} pairs on this point", "label")
        note.next_to(axes.c2p(hi, hi), DOWN, buff=0.15).align_to(axes.c2p(hi, hi), RIGHT)
        most = VGroup(ring, note, Line(note.get_bottom(), ring.get_top(), color=palette.TEXT, stroke_width=2,
                                       buff=0.08))
        with self.voiceover(text=f"Now shuffle again, {S.correlation_epochs} times, and pair every batch with the "
                                 "batch after it. <bookmark mark='g'/>The counts are whole numbers, so many pairs land "
                                 "on the very same point: the bigger the dot, the more pairs. "
                                 f"<bookmark mark='b'/>The biggest holds {cmax}.") as tr:
            self.play(FadeOut(self.bars), FadeIn(tally), self.mine.animate.set_opacity(0.5), run_time=0.8)
            self.add(dots)
            self.play(dots.animate_groups(0, dots.groups, rate=lambda t: t ** 2.2),
                      run_time=max(tr.time_until_bookmark("g") - 0.1, 2.0))
            self.wait_until_bookmark("g")
            self.play(FadeOut(self.mine), FadeIn(legend), run_time=1.0)
            self.wait_until_bookmark("b")
            self.play(Create(ring), FadeIn(most[1:]), run_time=0.8)
        self.tally, self.most = tally, most

    def the_tilt(self):
        N, B = self.N, self.B
        scatter, axes, dots = self.scatter, self.scatter.axes, self.scatter.dots
        c = pair_correlation()
        measured, theory, a, b = c.measured, c.theory, c.now, c.next
        expected, o0 = demo_epoch().expected, demo_epoch().counts[0, 1]
        lo, hi = scatter.range
        cut = scatter.flat.values[0, 1] + 0.2 * (hi - lo)
        band = Rectangle(width=axes.c2p(hi, 0)[0] - axes.c2p(cut, 0)[0], height=axes.y_length, stroke_width=0,
                         fill_color=palette.TEXT, fill_opacity=0.08).move_to(axes.c2p((cut + hi) / 2, (lo + hi) / 2))
        right = CountDots(axes, a[a >= cut], b[a >= cut], radius_one=self.radius_one, opacity=1)
        even = caption("even share", "label", palette.MUTED).next_to(scatter.flat, UP, buff=0.08).align_to(band, RIGHT)
        even.add_background_rectangle(color=palette.BACKGROUND, opacity=0.85, buff=0.04).set_z_index(1)  # over the dots
        guide = scatter.guides(o0, expected)
        value = caption(f"{expected:.1f}", "label", palette.ACCENT).next_to(axes.c2p(lo, expected), UR, buff=0.08)
        with self.voiceover(text="The cloud tilts down. <bookmark mark='h'/>When one batch holds many ones, "
                                 "<bookmark mark='f'/>the next one tends to hold fewer. <bookmark mark='l'/>The line "
                                 f"shows the average, straight from what is left: after {o0} ones, {expected:.1f}."):
            self.play(FadeOut(self.tally), FadeOut(self.most), Create(scatter.flat), FadeIn(even), run_time=0.8)
            self.wait_until_bookmark("h")
            self.play(FadeIn(band), dots.animate.set_fill(opacity=0.15), run_time=0.8)
            self.wait_until_bookmark("f")
            self.play(FadeIn(right.show(right.groups)), run_time=0.8)
            self.wait_until_bookmark("l")
            self.play(FadeOut(band), FadeOut(right), FadeOut(even), dots.animate.set_fill(opacity=0.8),
                      Create(scatter.tilt), run_time=1.2)
            self.play(Create(guide), FadeIn(value), run_time=1.0)
        f, helper = self.get_formula()
        with self.voiceover(text="How strong is the tilt? For two batches of one shuffle, the correlation is "
                                 "exactly <bookmark mark='m'/>minus B, <bookmark mark='o'/>over N minus B.") as tr:
            self.play(FadeOut(guide), FadeOut(value), run_time=0.5)
            self.play(Write(f[0][:2]), run_time=1.0)
            self.wait_until_bookmark("m")
            self.play(Write(f[0][2:5]), run_time=0.8)
            self.wait_until_bookmark("o")
            self.play(Write(f[0][5:]), run_time=1.0)
        chart, trace, ref = self.get_wobble()
        ours = VGroup(caption("our dots:", "body", palette.MUTED), math(f"{measured:.2f}", color=palette.ACCENT))
        ours.arrange(RIGHT, buff=0.2).move_to(helper, aligned_edge=LEFT)
        with self.voiceover(text=f"With batches of {B} from {N} samples, <bookmark mark='s'/>that is minus {B} "
                                 f"over {N - B}: <bookmark mark='v'/>{spoken(theory)}. <bookmark mark='m'/>Our dots "
                                 f"give {spoken(measured)}: close, <bookmark mark='w'/>with the wobble of a finite "
                                 "experiment.") as tr:
            self.play(FadeIn(helper, shift=0.2 * UP), run_time=0.6)
            self.play(TexStep(f[0], f[1], cancel=[4, 6, 8], cancel_color=palette.MUTED,
                              copies=[(helper[2], 4), (helper[6], 6), (helper[2], 8)]), run_time=1.6)
            self.wait_until_bookmark("s")
            self.play(TexStep(f[1], f[2], pairs=[(6, 6), (8, 6)], mark=[6, 8]), run_time=1.4)
            self.wait_until_bookmark("v")
            self.play(FadeOut(helper), TexStep(f[2], f[3], pairs=[((3, 4, 5, 6, 7), 3)], mark=[3, 4, 5, 6, 7]),
                      run_time=1.2)
            self.wait_until_bookmark("m")
            self.play(FadeIn(ours, shift=0.2 * UP), FadeOut(self.legend), FadeIn(chart), Create(ref), run_time=1.0)
            self.wait_until_bookmark("w")
            self.play(Create(trace), run_time=max(tr.get_remaining_duration(), 1.5), rate_func=linear)
        with self.voiceover(text="Batches are a sample of a sample, drawn without putting anything back. "
                                 "<bookmark mark='f'/>Independent batches would give a flat cloud. "
                                 "<bookmark mark='t'/>Ours tilts: close to random, but not quite.") as tr:
            self.play(Indicate(ours[1], color=palette.ACCENT), run_time=1.0)
            self.wait_until_bookmark("f")
            flat = scatter.flat.copy().set_stroke(palette.TEXT, 4)
            self.play(FadeOut(scatter.tilt), Create(flat), run_time=1.0)
            self.wait_until_bookmark("t")
            self.play(ReplacementTransform(flat, scatter.tilt), run_time=1.5)
        self.play(FadeOut(VGroup(scatter, scatter.flat, scatter.tilt, f[3], ours, chart, trace, ref)), run_time=1.0)
        self.wait(0.3)
