"""Each slide's caption track: the cues of the chapter clip's WebVTT file
(``clips/NN-name.vtt``, which the build writes beside the ``.srt``) that
fall inside the slide, moved so the slide starts at 0 and cut at its ends.
Read and written with webvtt-py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scenes.production.deck.model import DeckInputError

__all__ = ["Cue", "read_cues", "slide_cues", "slide_vtt"]


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


def read_cues(vtt_path: Path) -> list[Cue]:
    """The cues of a WebVTT file, in time order (none if the file is empty)."""
    import webvtt

    if not vtt_path.is_file():
        raise DeckInputError(f"{vtt_path} is missing: build the chapter again (the build writes it beside the .srt)")
    if not vtt_path.read_text(encoding="utf-8").strip():
        return []
    try:
        captions = webvtt.read(str(vtt_path))
    except Exception as exc:  # webvtt-py raises its own MalformedFileError / MalformedCaptionError
        raise DeckInputError(f"{vtt_path} is not a readable WebVTT file ({exc}): build the chapter again") from None
    cues = [Cue(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, tuple(c.lines))
            for c in captions]
    return sorted(cues, key=lambda c: c.start)


def slide_cues(cues: list[Cue], start: float, end: float) -> list[Cue]:
    """The cues inside [start, end), moved to the slide's time and cut at its ends."""
    out = []
    for c in cues:
        a, b = max(c.start, start), min(c.end, end)
        if b - a > 0.001:
            out.append(Cue(a - start, b - start, c.lines))
    return out


def slide_vtt(cues: list[Cue], start: float, end: float) -> str:
    """WebVTT text of the cues inside [start, end) of the clip, on the slide's clock."""
    import webvtt
    from webvtt.models import Timestamp

    captions = [webvtt.Caption(str(Timestamp.from_seconds(round(c.start, 3))), str(Timestamp.from_seconds(round(c.end, 3))),
                               list(c.lines))
                for c in slide_cues(cues, start, end)]
    return webvtt.WebVTT(captions=captions).content
