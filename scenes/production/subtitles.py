"""Subtitles and chapter lists: the clips' ``.srt`` merged with each clip's
start, the same cues as WebVTT (``.vtt``, what browsers and PowerPoint read),
and ``earthquakes.chapters.txt`` (timestamps a video site's description
turns into chapters). Cues go through the ``srt`` and ``webvtt-py``
libraries; nothing here formats a cue by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from scenes.production.files import write_text_atomic

__all__ = [
    "MIN_CHAPTER_SECONDS", "ChapterLine", "chapter_lines", "chapters_text", "merge_srt", "srt_to_vtt",
    "write_subtitles",
]

#: Video sites ignore a chapter list with a chapter shorter than this.
MIN_CHAPTER_SECONDS = 10


def _td(x: Fraction) -> timedelta:
    return timedelta(microseconds=round(x * 1_000_000))


def merge_srt(parts: Sequence[tuple[Path | None, Fraction, Fraction]]) -> str:
    """Merge .srt files; ``parts`` are (path or None, start, end) in seconds.

    Each cue is shifted by its part's start and kept inside its part (a cue
    that would run past the part's end or into the next cue is cut short),
    so the result is ordered, without overlaps, and inside the video."""
    import srt

    cues: list[srt.Subtitle] = []
    for path, start, end in parts:
        if path is None or not path.is_file():
            continue
        subs = sorted(srt.parse(path.read_text(encoding="utf-8")), key=lambda s: s.start)
        part: list[srt.Subtitle] = []
        for s in subs:
            a, b = s.start + _td(start), min(s.end + _td(start), _td(end))
            if a >= _td(end) or b <= a:
                continue
            if part and part[-1].end > a:
                part[-1].end = a
            part.append(srt.Subtitle(index=0, start=a, end=b, content=s.content))
        cues.extend(c for c in part if c.end > c.start)
    for i, c in enumerate(cues, 1):
        c.index = i
    return srt.compose(cues, reindex=False) if cues else ""


def srt_to_vtt(srt_text: str) -> str:
    """The same cues as WebVTT (an empty file when there are none)."""
    import srt
    import webvtt

    def stamp(t: timedelta) -> str:
        ms = round(t.total_seconds() * 1000)
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

    captions = [webvtt.Caption(stamp(c.start), stamp(c.end), c.content) for c in srt.parse(srt_text)]
    return webvtt.WebVTT(captions=captions).content


def write_subtitles(srt_path: Path, srt_text: str) -> Path:
    """Write ``srt_path`` and the ``.vtt`` beside it (each atomically);
    return the ``.vtt`` path."""
    vtt_path = srt_path.with_suffix(".vtt")
    write_text_atomic(srt_path, srt_text)
    write_text_atomic(vtt_path, srt_to_vtt(srt_text))
    return vtt_path


# --------------------------------------------------------------------------
# Chapter timestamps for a video site
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterLine:
    seconds: int  # whole seconds (rounded down) from the start of the video
    title: str
    folded: tuple[str, ...] = ()  # titles of the short chapters that follow inside this line

    @property
    def text(self) -> str:
        h, rest = divmod(self.seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{h}:{m:02d}:{s:02d} {self.title}" if h else f"{m}:{s:02d} {self.title}"


def chapter_lines(chapters: Sequence[tuple[str, Fraction]], minimum: int = MIN_CHAPTER_SECONDS) -> list[ChapterLine]:
    """One line per chapter of at least ``minimum`` seconds, the first at 0:00.

    ``chapters`` are (title, duration) in order. A chapter shorter than
    ``minimum`` gets no line of its own: its time goes to the line before it
    (a short first chapter's to the next chapter's line, which then starts at
    0:00). So every listed chapter spans at least ``minimum`` seconds, also
    after its start is rounded down to whole seconds. If no chapter is long
    enough, the list has one line: the first chapter at 0:00."""
    starts: list[Fraction] = []
    t = Fraction(0)
    for _, duration in chapters:
        starts.append(t)
        t += Fraction(duration)
    keep = [i for i, (_, d) in enumerate(chapters) if Fraction(d) >= minimum] or [0]
    lines: list[ChapterLine] = []
    for k, i in enumerate(keep):
        nxt = keep[k + 1] if k + 1 < len(keep) else len(chapters)
        first = 0 if k == 0 else i
        folded = tuple(chapters[j][0] for j in range(first, nxt) if j != i)
        seconds = 0 if k == 0 else int(starts[i])  # floor: never after the chapter starts
        lines.append(ChapterLine(seconds, chapters[i][0], folded))
    return lines


def chapters_text(lines: Sequence[ChapterLine]) -> str:
    return "".join(f"{line.text}\n" for line in lines)
