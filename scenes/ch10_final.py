"""Chapter 10 - Final words.

The quake metaphor drawn together on one map: batches of 10 shake it hard,
batches of 100 only make it tremble, all the data leaves it still (the lit
samples and a magnitude meter say which). Then training walks on it: plain
SGD steps along each batch's slope; SGD with momentum steps along a running
average of the slopes (arrows show both directions). The two walks (same
batches, same start) go on to the bottom, their steadiness is measured, and
the closing words sit beside the quaking map with the momentum path on it.

If the story's start sits on the clipped plateau, a walk may not move at all
and has no turns to measure: the chapter then says so, on screen and in the
narration, instead of a number (see :func:`steadiness`).

    manim -pqh scenes/ch10_final.py FinalWords
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, ChangeDecimalToValue, Create, FadeIn, FadeOut, Flash, GrowArrow, Line, Rectangle,
    ShowPassingFlash, Succession, VGroup, logger, smooth,
)

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.batch_views import LightBatches
from scenes.kit.column import TextColumn
from scenes.kit.contour_map import ColorBar, ContourMap, fit_window
from scenes.kit.direction import DirectionDial, SpinThrough, direction_arrow
from scenes.kit.motion import Quake, Walker, walk_on_quake
from scenes.kit.quake_clock import QuakeLoop, SpeechTime
from scenes.kit.sample_cloud import SampleCloud
from scenes.kit.tex_steps import TexStep
from scenes.kit.text import Number, caption, math


def steadiness(weights) -> float | None:
    """A walk's average turn per step in degrees (quake_math), or None when
    the walk has fewer than two steps of nonzero length to turn between (a
    start on the clipped plateau, where every batch's slope is zero)."""
    try:
        return qm.mean_turning_angle(weights)
    except ValueError:
        return None


@lru_cache(maxsize=None)
def walks(steps: int):
    """Plain SGD and SGD with momentum over the same story batches, the
    landscape of every batch, and each walk's average turn per step (None
    where a walk has nothing to measure)."""
    S = numbers.story()
    X, y = numbers.dataset()
    batches = qm.train_batches(S, steps=steps)
    plain = qm.sgd(X, y, S, batches=batches)
    mom = qm.momentum_sgd(X, y, S, batches=batches)
    Zs = numbers.batch_landscapes(batches)
    turns = (steadiness(plain.weights), steadiness(mom.weights))
    if None in turns:
        logger.warning(f"chapter 10: from the story's start {tuple(S.start)} a walk hardly moves (the clipped "
                       "plateau?), so it has no turns to measure; the chapter says so instead of a number")
    return plain, mom, Zs, turns


def turn_words(turn: float | None) -> str:
    """A walk's steadiness in words, for the legend."""
    return f"average turn per step: {turn:.0f}°" if turn is not None else "no turns to measure: it hardly moves"


def measure_sentence(turns) -> str:
    """What the narrator says about the two walks' turns."""
    a, b = turns
    if a is not None and b is not None:
        return (f"Measure it: from one step to the next, plain SGD turns by {a:.0f} degrees on average. "
                f"<bookmark mark='m'/>With momentum, by only {b:.0f}.")
    return ("There is nothing to measure here: from this start, on the flat plateau, every batch's slope is "
            "zero, <bookmark mark='m'/>so the walks hardly move and never turn.")


def swap(old, new, run_time: float = 0.8) -> Succession:
    """Replace words in place: the old fade out before the new fade in."""
    return Succession(FadeOut(old, run_time=0.4 * run_time), FadeIn(new, run_time=0.6 * run_time))


class FinalWords(SpeechTime, NarratedScene):
    """The metaphor drawn together, momentum on shaking ground, the close."""

    steps = numbers.story().final_walk_steps  # steps of the final walk (story setting)
    window_margin = 1.5  # weights around the two paths
    map_side = 5.8
    map_center = (-3.7, -0.05)
    bar_x = -1.0
    column = TextColumn(left=0.4, width=6.3, top=3.55)
    meter_length = 3.0  # the magnitude meter at the small batch size
    arrow_length = 0.9  # direction arrows on the map (screen units)
    demo = (3, 6, 11)  # plain SGD alone: steps 0..3 walking, 3..6 with its slope arrow; momentum's arrows to 11
    step_time = 0.25  # seconds per step of the long walk
    close_pace = 0.8  # seconds per batch change under the closing words
    dial_steps = 30  # the dials spin through the last this many steps

    # -- builders --------------------------------------------------------------
    def get_window(self):
        plain, mom, _, _ = walks(self.steps)
        return fit_window(numbers.story(), plain.weights, mom.weights, margin=self.window_margin)

    def get_walk_map(self):
        _, _, Zs, _ = walks(self.steps)
        m = ContourMap(numbers.story(), Zs[0], side=self.map_side, window=self.get_window())
        return m.shift(np.array([*self.map_center, 0]) - m.frame.get_center())

    def get_walkers(self, cmap: ContourMap) -> list[Walker]:
        plain, mom, _, _ = walks(self.steps)
        return [Walker(cmap.w2p, tr.weights, color=color, radius=0.09)
                for tr, color in ((plain, palette.SGD_COLOR), (mom, palette.MOMENTUM_COLOR))]

    def get_recap(self):
        """The three quakes of the recap: for the small batch size, the large
        one and all the data, ``(label, magnitude, landscapes, batches)``."""
        S = numbers.story()
        X, y = numbers.dataset()
        sizes, measured, _ = qm.story_magnitude_curve(X, y, S)
        listed = [int(s) for s in sizes]
        out = []
        for b in S.batch_sizes:
            bt, Zs = numbers.quake(batch_size=b)
            out.append((f"batch size {b}", float(measured[listed.index(b)]), Zs, list(bt)))
        N = S.n_samples
        out.append((f"all {N} samples", float(measured[listed.index(N)]) if N in listed else 0.0,
                    numbers.full_landscape()[None], [np.arange(N)]))
        return out

    def get_meter(self, top: float, full_value: float):
        """A bar whose length is the quake's magnitude, and its number."""
        frame = Rectangle(width=self.meter_length, height=0.32, stroke_color=palette.MUTED, stroke_width=1.5)
        bar = Rectangle(width=self.meter_length, height=0.32, stroke_width=0, fill_color=palette.ACCENT,
                        fill_opacity=1)
        number = Number(full_value, decimals=2, size="body")
        row = VGroup(VGroup(frame, bar), number).arrange(RIGHT, buff=0.3)
        g = VGroup(caption("magnitude of the quake", "note", palette.MUTED), row).arrange(DOWN, aligned_edge=LEFT,
                                                                                          buff=0.2)
        self.column.place(g, top)
        bar.align_to(frame, LEFT)
        g.frame, g.bar, g.number = frame, bar, number
        return g

    def meter_to(self, meter, value: float, full: float):
        """Animations that set the meter to ``value`` (``full`` fills it)."""
        width = max(self.meter_length * value / full, 1e-3)
        target = meter.bar.copy().stretch_to_fit_width(width).align_to(meter.frame, LEFT)
        return [meter.bar.animate.become(target), ChangeDecimalToValue(meter.number, value)]

    def get_legend(self):
        """Which walk is which, each one's average turn per step, and a dial
        that shows the direction of its steps."""
        plain, mom, _, turns = walks(self.steps)
        rows = VGroup()
        for name, color, turn, tr in (("plain SGD", palette.SGD_COLOR, turns[0], plain),
                                      ("SGD with momentum", palette.MOMENTUM_COLOR, turns[1], mom)):
            swatch = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=6)
            turn_text = caption(turn_words(turn), "note", palette.TEXT)
            row = VGroup(VGroup(swatch, caption(name, "note", color)).arrange(RIGHT, buff=0.15), turn_text).arrange(
                DOWN, aligned_edge=LEFT, buff=0.12)
            dial = DirectionDial(tr.weights, radius=0.55, color=color)
            dial.next_to(row, RIGHT, buff=0.4).set_x(self.column.left + self.column.width - 0.5)
            row.add(dial)
            row.turn, row.turn_text, row.dial = turn, turn_text, dial
            rows.add(row)
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.5)

    def get_update_rules(self):
        """Plain SGD's step and what g is, then the same step with a running
        average of the gradients in place of the gradient; the arrows' key."""
        S = numbers.story()
        sgd = math(r"\mathbf{w}_{k+1}", "=", r"\mathbf{w}_k", "-", r"\eta", r"\mathbf{g}_k")
        slope = math(r"\mathbf{g}_k", "=", r"\nabla L_{B_k}(\mathbf{w}_k)", size="note", color=palette.MUTED)
        avg = math(r"\mathbf{w}_{k+1}", "=", r"\mathbf{w}_k", "-", r"\eta", r"\mathbf{v}_k")
        rule = math(r"\mathbf{v}_k", "=", r"\mu", r"\mathbf{v}_{k-1}", "+", r"(1-\mu)", r"\mathbf{g}_k")
        mu = math(r"\mu", "=", f"{S.momentum:g}", size="note", color=palette.MUTED)
        keys = VGroup(*[
            VGroup(direction_arrow(lambda w: np.array([w[0], w[1], 0.0]), (0, 0), (1, 0), 0.5, color),
                   caption(words, "label", palette.MUTED)).arrange(RIGHT, buff=0.2)
            for color, words in ((palette.GRADIENT_COLOR, "downhill on the current batch (direction only)"),
                                 (palette.MOMENTUM_COLOR, "the running average: the step momentum takes"))])
        return sgd, slope, avg, rule, mu, keys

    def layout_rules(self):
        """The right column of the walk: heading, rules, arrow keys, legend."""
        S = numbers.story()
        col = self.column
        sgd, slope, avg, rule, mu, keys = self.get_update_rules()
        head = col.heading("Two ways to walk", f"batches of {S.train_batch_size}, one step per batch")
        col.place(sgd, head.get_bottom()[1] - 0.4)
        col.place(slope, sgd.get_bottom()[1] - 0.18)
        avg.move_to(sgd, aligned_edge=LEFT)
        col.place(keys[0], slope.get_bottom()[1] - 0.25)
        col.place(rule, keys[0].get_bottom()[1] - 0.4)
        col.place(mu, rule.get_bottom()[1] - 0.18)
        col.place(keys[1], mu.get_bottom()[1] - 0.25)
        legend = self.get_legend()
        col.place(legend, keys[1].get_bottom()[1] - 0.6)
        return head, sgd, slope, avg, rule, mu, keys, legend

    # -- the chapter ------------------------------------------------------------
    def construct(self):
        cmap = self.get_walk_map()
        bar = ColorBar(numbers.story(), height=5.0).move_to(np.array([self.bar_x, self.map_center[1], 0]))
        self.play_recap(cmap, bar)
        walkers, legend = self.play_rules(cmap)
        self.play_walk(cmap, walkers, legend)
        self.play_close(cmap, bar, walkers)

    def play_recap(self, cmap, bar):
        S = numbers.story()
        (l10, m10, Z10, b10), (l100, m100, Z100, b100), (lall, mall, Zall, ball) = self.get_recap()
        small, large = S.batch_sizes
        col = self.column
        head = col.heading("Final words", "the whole picture, on one map")
        cloud = SampleCloud(*numbers.dataset(), width=2.2, max_height=3.3, legend=False)
        col.place(cloud, head.get_bottom()[1] - 0.35)
        label = caption(l10, "heading", palette.SMALL_BATCH).next_to(cloud, RIGHT, buff=0.5).align_to(cloud, UP)
        lit = caption("lit: its samples", "label", palette.MUTED).next_to(label, DOWN, buff=0.2).align_to(label, LEFT)
        meter = self.get_meter(cloud.get_bottom()[1] - 0.4, m10)
        cmap.set_landscape(Z10[0])
        cloud.light(b10[0])
        half = len(Z10) // 2
        with self.voiceover(
            text="Let's put the picture together. Every mini-batch has its own loss landscape, "
                 "so as training moves from batch to batch, <bookmark mark='a'/>the ground shakes."
        ):
            self.play(FadeIn(cmap), FadeIn(bar), FadeIn(head), FadeIn(cloud), FadeIn(label), FadeIn(lit), run_time=1.2)
            run = max(self.remaining(), 2.0)
            self.play(Quake(cmap, Z10[: half + 1], run_time=run), LightBatches(cloud, b10[: half + 1], run_time=run))
        with self.voiceover(
            text=f"The batch size sets the magnitude. <bookmark mark='s'/>Small batches of {small} shake hard; "
                 f"<bookmark mark='l'/>batches of {large} only tremble; <bookmark mark='n'/>"
                 "the whole data set stands still."
        ):
            run = max(self.remaining_until("l"), 1.5)
            self.play(Quake(cmap, Z10[half:], run_time=run), LightBatches(cloud, b10[half:], run_time=run),
                      FadeIn(meter, run_time=1.0))
            label100 = caption(l100, "heading", palette.LARGE_BATCH).move_to(label, aligned_edge=LEFT)
            run = max(self.remaining_until("n"), 2.0)
            self.play(Quake(cmap, np.concatenate([Z10[-1:], Z100[:6]]), run_time=run),
                      LightBatches(cloud, [b10[-1]] + b100[:6], run_time=run),
                      swap(label, label100), *self.meter_to(meter, m100, m10))
            label_all = caption(lall, "heading").move_to(label100, aligned_edge=LEFT)
            self.play(Quake(cmap, np.concatenate([Z100[5:6], Zall]), run_time=1.5),
                      LightBatches(cloud, [b100[5], ball[0]], run_time=1.5),
                      swap(label100, label_all, 1.5), *self.meter_to(meter, mall, m10))
        self.play(FadeOut(VGroup(cloud, label_all, lit, meter, head)), run_time=0.8)

    def play_rules(self, cmap):
        plain, mom, Zs, _ = walks(self.steps)
        walkers = self.get_walkers(cmap)
        sgd_w, mom_w = walkers
        head, sgd, slope, avg, rule, mu, keys, legend = self.layout_rules()
        first, second, third = self.demo_steps()
        with self.voiceover(
            text="And training has to walk on this shaking ground. <bookmark mark='w'/>Here is plain SGD, "
                 "from this starting point. How do we keep a steady step?"
        ):
            self.play(Quake(cmap, np.stack([numbers.full_landscape(), Zs[0]]), run_time=1.2), FadeIn(head))
            self.wait_until_bookmark("w")
            self.add(sgd_w.trace)
            self.play(FadeIn(sgd_w.dot, scale=2), FadeIn(legend[0][0]), run_time=0.6)
            self.play(Flash(sgd_w.dot, color=palette.SGD_COLOR), run_time=0.6)
            self.walk(cmap, Zs, [sgd_w], 0, first, max(self.remaining(), 1.5))
        with self.voiceover(text="It steps straight down the slope of the current batch, whatever that batch says."):
            self.play(FadeIn(sgd), FadeIn(slope), FadeIn(keys[0]), run_time=1.0)
            per = max(self.remaining() / max(second - first, 1), 1.2)
            for k in range(first, second):
                self.arrow_step(cmap, Zs, [sgd_w], k, [(plain.weights[k], -plain.gradients[k], palette.GRADIENT_COLOR)],
                                per)
        with self.voiceover(
            text="Momentum steps along a running average of the slopes instead. <bookmark mark='r'/>"
                 "Each new batch only nudges that average, so one odd batch cannot throw the walk off course."
        ):
            self.play(TexStep(sgd, avg, cancel=[5]), run_time=1.2)
            self.wait_until_bookmark("r")
            mom_w.place(second)  # on the same batches from the same start, it has come this far
            self.play(FadeIn(rule), FadeIn(mu), FadeIn(keys[1]), FadeIn(legend[1][0]), Create(mom_w.trace),
                      FadeIn(mom_w.dot), run_time=1.0)
            per = max(self.remaining() / max(third - second, 1), 1.2)
            for k in range(second, third):
                self.arrow_step(cmap, Zs, walkers, k, [
                    (mom.weights[k], -mom.gradients[k], palette.GRADIENT_COLOR),
                    (mom.weights[k], -mom.velocities[k], palette.MOMENTUM_COLOR)], per)
        return walkers, legend

    def demo_steps(self) -> tuple[int, int, int]:
        """The step numbers of ``demo``, fewer when the story's walk is short."""
        n = self.steps
        a, b, c = self.demo
        return min(a, n // 8), min(b, n // 4), min(c, n // 2)

    def walk(self, cmap, Zs, walkers, first: int, last: int, seconds: float) -> None:
        """Walk steps first..last in ``seconds`` (or just wait when there are none)."""
        if last > first:
            self.play(*walk_on_quake(cmap, Zs, walkers, first, last, run_time=max(seconds, 0.3)))
        elif seconds > 0:
            self.wait(seconds)


    def arrow_step(self, cmap, Zs, walkers, k, arrows, seconds: float):
        """Step k with arrows: the directions grow at the walker, the walkers
        take the step, and the arrows fade while the map changes to the next batch."""
        shown = [a for a in (direction_arrow(cmap.w2p, w, d, self.arrow_length, c,
                                             6 if c != palette.GRADIENT_COLOR else 4) for w, d, c in arrows)
                 if a is not None]
        if shown:
            self.play(*[GrowArrow(a) for a in shown], run_time=0.3 * seconds)
        late = lambda t: smooth(max(0.0, (t - 0.55) / 0.45))  # noqa: E731 (fade while the map morphs)
        self.play(*walk_on_quake(cmap, Zs, walkers, k, k + 1, run_time=0.7 * seconds),
                  *[FadeOut(a, rate_func=late, run_time=0.7 * seconds) for a in shown])

    def play_walk(self, cmap, walkers, legend):
        plain, mom, Zs, turns = walks(self.steps)
        start = self.demo_steps()[2]
        both = min(start + 4, self.steps)
        half = max(both, self.steps // 2)
        with self.voiceover(
            text="Here are both, on the same batches, from the same start. Plain SGD in red, momentum in green."
        ):
            self.play(*[Flash(cmap.w2p(plain.weights[0]), color=c) for c in (palette.SGD_COLOR, palette.MOMENTUM_COLOR)],
                      run_time=1.0)
            self.walk(cmap, Zs, walkers, start, both, max(self.remaining(), 1.5))
        with self.voiceover(
            text="The map quakes with every batch. Plain SGD follows each new slope, and zigzags. "
                 "Momentum barely notices any single batch. It keeps going where it was heading, "
                 "so it swings wide, but it never zigzags."
        ) as tracker:
            self.walk(cmap, Zs, walkers, both, half, max(tracker.duration, (half - both) * self.step_time))
        with self.voiceover(
            text="Near the bottom, the ground keeps shaking. Plain SGD keeps hopping around the lowest "
                 "point. The momentum walker turns back in one smooth curve, and settles in calmly."
        ) as tracker:
            self.walk(cmap, Zs, walkers, half, self.steps, max(tracker.duration, (self.steps - half) * self.step_time))
        first = max(0, self.steps - self.dial_steps)
        with self.voiceover(text=measure_sentence(turns)):
            for k, walker in enumerate(walkers):
                run = max(self.remaining_until("m") if not k else self.remaining(), 1.6)
                flash = walker.trace.copy().set_stroke(palette.ACCENT, width=8)
                self.play(ShowPassingFlash(flash, time_width=0.4, run_time=1.6), FadeIn(legend[k][1], run_time=0.8),
                          FadeIn(legend[k].dial, run_time=0.5),
                          SpinThrough(legend[k].dial, first, self.steps - 1, run_time=run))

    def play_close(self, cmap, bar, walkers):
        _, _, Zs, _ = walks(self.steps)
        sgd_w, mom_w = walkers
        green = palette.MOMENTUM_COLOR
        close = VGroup(*[VGroup(*[caption(w, "title", c) for w in words]).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
                         for words, c in ((("The ground shakes.",), palette.TEXT),
                                          (("The batch size sets", "its magnitude."), palette.TEXT),
                                          (("Averaging over time", "keeps the walk steady."), green))])
        close.arrange(DOWN, aligned_edge=LEFT, buff=0.55)
        self.column.place(close, 2.4)
        old = [m for m in self.mobjects if m not in (cmap, bar, mom_w.trace, mom_w.dot)]
        loop = QuakeLoop([cmap], [np.concatenate([Zs[-1:], Zs[:-1], Zs[-1:]])], pace=self.close_pace)
        with self.voiceover(
            text="So the next time you train with mini-batches, <bookmark mark='a'/>picture the ground shaking "
                 "under the weights. <bookmark mark='b'/>The batch size sets the magnitude of the quake, "
                 "<bookmark mark='c'/>and averaging over time keeps the walk steady. Thanks for watching."
        ):
            self.play(*[FadeOut(m) for m in old], run_time=1.0)
            self.play(*loop.next(self.remaining_until("a")))
            self.play(*loop.next(self.remaining_until("b")), FadeIn(close[0], shift=0.15 * UP))
            self.play(*loop.next(self.remaining_until("c")), FadeIn(close[1], shift=0.15 * UP))
            self.play(*loop.next(self.remaining()), FadeIn(close[2], shift=0.15 * UP),
                      ShowPassingFlash(mom_w.trace.copy().set_stroke(palette.ACCENT, width=8), time_width=0.5,
                                       run_time=2.0))
        self.play(FadeOut(VGroup(cmap, bar, close, mom_w.trace, mom_w.dot)), run_time=1.2)
        self.wait(0.3)
