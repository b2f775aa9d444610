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
)
