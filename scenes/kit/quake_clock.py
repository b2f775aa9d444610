"""Quakes that keep going under the words: one clock for several maps.

A narrated block is often cut by bookmarks into stretches, each with its own
highlight, while the maps should quake on without a pause between them.

- :class:`QuakeLoop` plays looping landscape sequences on several targets
  (maps, readouts: anything with ``set_between``) stretch by stretch, all on
  one clock, picking up where the last stretch stopped::

      loop = QuakeLoop([left, right], [Zs_small, Zs_large], pace=0.5)
      self.play(*loop.next(tracker.time_until_bookmark("a")), Create(line))
      self.play(*loop.next(tracker.get_remaining_duration()), Indicate(title))

- :class:`SpeechTime` (a scene mixin): ``self.remaining()`` and
  ``self.remaining_until(mark)``, the seconds of speech left in the current
  voiceover block, or until one of its bookmarks: how long the next stretch is.
- :class:`QuakeUpdater` quakes its targets from an updater on the scene's
  clock, so they move through every ``play`` and ``wait`` until stopped (for
  a long derivation beside a map). While it runs, do not transform the
  targets themselves (their points change under the transform); fade them in
  before ``start`` or between ``stop`` and ``start``.
"""

from __future__ import annotations

import numpy as np
from manim import smooth

from scenes.kit.motion import Quake

__all__ = ["QuakeLoop", "QuakeUpdater", "SpeechTime"]


def _loops(sequences):
    out = [np.asarray(Zs, dtype=float) for Zs in sequences]
    if len({len(Zs) for Zs in out}) != 1 or len(out[0]) < 2:
        raise ValueError("every target needs a sequence of the same length, at least 2 landscapes "
                         "(the first repeated at the end for a seamless loop)")
    return out


class QuakeLoop:
    """Targets quaking through ``sequences`` (one per target, same length,
    the last landscape equal to the first for a seamless loop), about
    ``pace`` seconds per batch change."""

    def __init__(self, targets, sequences, pace: float = 0.5):
        self.targets = list(targets)
        self.sequences = _loops(sequences)
        if len(self.sequences) != len(self.targets):
            raise ValueError(f"{len(self.targets)} targets but {len(self.sequences)} sequences")
        self.pace = float(pace)
        self.position = 0  # batch changes played so far

    @property
    def changes(self) -> int:
        return len(self.sequences[0]) - 1

    def indices(self, n: int) -> np.ndarray:
        """The landscapes of the next n batch changes (n + 1 of them)."""
        return (self.position + np.arange(n + 1)) % self.changes

    def next(self, seconds: float) -> list[Quake]:
        """One Quake per target for the next ``seconds`` (at least one change)."""
        seconds = max(float(seconds), 0.5)
        n = max(1, int(round(seconds / self.pace)))
        idx = self.indices(n)
        self.position += n
        return [Quake(t, Zs[idx], run_time=seconds) for t, Zs in zip(self.targets, self.sequences)]


class QuakeUpdater:
    """Quake ``targets`` through ``sequences`` (as :class:`QuakeLoop`) from an
    updater on ``holder`` (a mobject in the scene), ``pace`` seconds per
    change, each change easing in and out."""

    def __init__(self, holder, targets, sequences, pace: float = 0.9):
        self.holder, self.targets = holder, list(targets)
        self.sequences = _loops(sequences)
        self.pace = float(pace)
        self.time = 0.0
        self.running = False

    def state(self) -> tuple[int, float]:
        """(k, t): between landscapes k and k + 1 of the loop, eased time t."""
        x = (self.time / self.pace) % (len(self.sequences[0]) - 1)
        k = int(x)
        return k, float(smooth(x - k))

    def _update(self, _mob, dt: float) -> None:
        self.time += dt
        k, t = self.state()
        for target, Zs in zip(self.targets, self.sequences):
            target.set_between(Zs[k], Zs[k + 1], t)

    def start(self) -> "QuakeUpdater":
        if not self.running:
            self.holder.add_updater(self._update)
            self.running = True
        return self

    def stop(self) -> "QuakeUpdater":
        if self.running:
            self.holder.remove_updater(self._update)
            self.running = False
        return self


class SpeechTime:
    """Mixin for a narrated scene: how long the current voiceover block still speaks."""

    def remaining(self) -> float:
        """Seconds of speech left in the current voiceover block (0 outside one)."""
        tracker = getattr(self, "current_tracker", None)
        return tracker.get_remaining_duration() if tracker is not None else 0.0

    def remaining_until(self, mark: str) -> float:
        """Seconds until bookmark ``mark`` of the current voiceover block."""
        return self.current_tracker.time_until_bookmark(mark)
