"""What a build raises: `BuildInputError` before anything is rendered,
`BuildError` when a render, a clip or the join fails (the previous video is
left as it was)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BuildError", "BuildInputError", "ChapterFailure"]


class BuildInputError(ValueError):
    """Bad arguments or settings (chapter name, quality, voice, story, output
    folder, ...): found before any render; nothing was rendered."""


@dataclass(frozen=True)
class ChapterFailure:
    chapter: str  # "NN-name"
    log: Path
    reason: str


class BuildError(RuntimeError):
    """A chapter failed, the join failed, or another build is running; the
    previous video is untouched.

    ``BuildError(failures)`` lists failed chapters with their logs;
    ``BuildError(message="...")`` carries any other message."""

    def __init__(self, failures: Sequence[ChapterFailure] = (), *, message: str | None = None) -> None:
        self.failures = list(failures)
        if any(not isinstance(f, ChapterFailure) for f in self.failures):
            raise TypeError("BuildError(failures) takes ChapterFailure items; pass other text as message=")
        if message is None:
            lines = [f"{len(self.failures)} chapter(s) failed; the previous video was left as it was:"]
            lines += [f"  chapter {f.chapter}: {f.reason}\n    log: {f.log}" for f in self.failures]
            message = "\n".join(lines)
        super().__init__(message)
