"""The video's scenes, in order: the single source of truth for the build,
the README and the tests. Each chapter adds its line here when it exists."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Chapter", "CHAPTERS"]


@dataclass(frozen=True)
class Chapter:
    number: int
    name: str  # short slug, used in clip file names and --only
    title: str  # shown as the chapter marker
    file: str  # path from the project root
    scene: str  # Scene class in that file


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "mystery", "The mystery", "scenes/ch01_mystery.py", "Mystery"),
    Chapter(2, "landscape", "The loss landscape", "scenes/ch02_landscape.py", "LossLandscape"),
    Chapter(3, "map", "Earthquakes on a map", "scenes/ch03_map.py", "QuakeMap"),
    Chapter(4, "one-function", "One function per batch", "scenes/ch04_one_function.py", "OneFunctionPerBatch"),
    Chapter(5, "per-sample", "One sample, one landscape", "scenes/ch05_per_sample.py", "PerSampleContours"),
    Chapter(6, "softplus", "Why the lines are straight", "scenes/ch06_softplus.py", "SoftplusDerivation"),
    Chapter(7, "averaging", "Averaging", "scenes/ch07_averaging.py", "Averaging"),
    Chapter(8, "magnitude", "Batch size is the magnitude", "scenes/ch08_magnitude.py", "BatchSizeMagnitude"),
    Chapter(9, "not-random", "Not quite random", "scenes/ch09_not_random.py", "NotQuiteRandom"),
    Chapter(10, "final", "Final words", "scenes/ch10_final.py", "FinalWords"),
)
