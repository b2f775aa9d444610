"""Learning rate on shaking ground: two learning rates walk the same quake.

A new explanation built only from the kit and quake_math (not a chapter):

    manim -pql examples/learning_rate.py LearningRateOnShakingGround
"""

from manim import DOWN, LEFT, RIGHT, FadeIn, VGroup

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.base import NarratedScene
from scenes.kit.contour_map import ContourMap, fit_window
from scenes.kit.motion import Walker, walk_on_quake
from scenes.kit.text import caption


class LearningRateOnShakingGround(NarratedScene):
    rates = (0.5, 3.0)  # the two learning rates compared
    colors = (palette.GD_COLOR, palette.SGD_COLOR)
    steps = 40  # batches walked

    def get_runs(self):
        """Both SGD runs on the same batches, and the landscape of each batch."""
        S, (X, y) = numbers.story(), numbers.dataset()
        batches = qm.train_batches(S, steps=self.steps)
        runs = [qm.sgd(X, y, S.replace(learning_rate=lr), batches=batches) for lr in self.rates]
        return runs, numbers.batch_landscapes(batches)

    def construct(self):
        S = numbers.story()
        runs, Zs = self.get_runs()
        cmap = ContourMap(S, Zs[0], side=6.2, window=fit_window(S, *[r.weights for r in runs]))
        cmap.to_edge(LEFT, buff=1.0)
        walkers = [Walker(cmap.w2p, r.weights, color=c) for r, c in zip(runs, self.colors)]
        legend = VGroup(*[caption(f"learning rate {lr:g}", "body", c) for lr, c in zip(self.rates, self.colors)])
        legend.arrange(DOWN, aligned_edge=LEFT).next_to(cmap.frame, RIGHT, buff=0.8)
        with self.voiceover(text=f"Two learning rates, {self.rates[0]:g} and {self.rates[1]:g}, "
                                 f"walk the same {self.steps} batches from the same start."):
            self.play(FadeIn(cmap), FadeIn(legend), *[FadeIn(w.mobjects) for w in walkers])
        with self.voiceover(text="The ground shakes the same for both. The small steps creep "
                                 "and wobble a little; the big steps jump across the valley.") as tracker:
            self.play(*walk_on_quake(cmap, Zs, walkers, run_time=tracker.get_remaining_duration()))
