"""From narration beats to slides: where each slide of a chapter starts and
ends, in whole frames of the clip.

A beat is one ``with self.voiceover(...)`` block (the clip's
``NN-name.beats.json``, shared contract 2). manim starts a new partial movie
at every play and wait, so the frame where a block's sound starts is the
first frame of a partial movie: a keyframe of the clip. Slides are cut
there and only there (`plan_slides`), so their video packets are copied,
never encoded again:

- the first slide starts at frame 0 (what comes before the first beat
  belongs to it), the last one ends with the clip;
- a beat whose start is not at a keyframe (within `TOLERANCE_FRAMES`) stays
  in the slide before it;
- a slide shorter than `MIN_SLIDE_SECONDS` joins its neighbour: the slide
  before it (the first slide joins the next one).

A clip from a build made before the beats manifest existed has only its
``.srt``: manim-voiceover splits a block's words into cues of at most 70
characters, and only a block's first cue starts at a keyframe, so cues are
grouped into beats at the keyframes (`beats_from_srt`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from scenes.production.deck.model import DeckInputError

__all__ = ["MIN_SLIDE_SECONDS", "TOLERANCE_FRAMES", "Beat", "SlideCut", "beats_from_srt", "plan_slides",
           "read_beats"]

#: A slide shorter than this joins its neighbour.
MIN_SLIDE_SECONDS = 2.0
#: A beat starts "at" a keyframe when it is at most this many frames away.
TOLERANCE_FRAMES = 1.5


@dataclass(frozen=True)
class Beat:
    index: int
    text: str
    start: float  # seconds from the start of the clip
    duration: float


@dataclass
class SlideCut:
    first: int  # first frame
    frames: int
    beats: list[int]  # beat indices, in order


def read_beats(beats_path: Path) -> list[Beat]:
    """The beats of a beats manifest (format 1), in the order spoken."""
    try:
        data = json.loads(beats_path.read_text(encoding="utf-8"))
        if data.get("format") != 1:
            raise ValueError(f"format {data.get('format')!r}, expected 1")
        beats = [Beat(i, " ".join(str(b["text"]).split()), float(b["start"]), float(b["duration"]))
                 for i, b in enumerate(data["beats"])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DeckInputError(f"{beats_path} is not a beats manifest ({exc}): build the chapter again "
                             "(python -m scenes build --only <name>)") from None
    return sorted(beats, key=lambda b: b.start)


def _near(frame: float, keyframes: Sequence[int]) -> int | None:
    """The keyframe at most `TOLERANCE_FRAMES` from ``frame`` (the nearest), or None."""
    import bisect

    i = bisect.bisect_left(keyframes, frame)
    near = [k for k in keyframes[max(0, i - 1): i + 1] if abs(k - frame) <= TOLERANCE_FRAMES]
    return min(near, key=lambda k: abs(k - frame)) if near else None


def beats_from_srt(srt_path: Path, keyframes: Sequence[int], fps: Fraction) -> list[Beat]:
    """Beats rebuilt from a clip's subtitles: a new beat at every cue that
    starts at a keyframe (a voiceover block's first cue), the cues after it
    (the rest of the block) joined to it."""
    import srt

    try:
        cues = sorted(srt.parse(srt_path.read_text(encoding="utf-8")), key=lambda c: c.start)
    except (OSError, UnicodeDecodeError, srt.SRTParseError, ValueError) as exc:
        raise DeckInputError(f"{srt_path} is not a readable .srt file ({exc}): build the chapter again") from None
    groups: list[list] = []
    for c in cues:
        starts_block = _near(c.start.total_seconds() * fps, keyframes) is not None
        if not groups or starts_block:
            groups.append([c])
        else:
            groups[-1].append(c)
    return [Beat(i, " ".join(" ".join(c.content.split()) for c in g), g[0].start.total_seconds(),
                 (g[-1].end - g[0].start).total_seconds()) for i, g in enumerate(groups)]


def plan_slides(beats: Sequence[Beat], keyframes: Sequence[int], total_frames: int, fps: Fraction,
                min_seconds: float = MIN_SLIDE_SECONDS) -> list[SlideCut]:
    """The chapter's slides: see the module doc. ``keyframes`` are the
    clip's keyframe frame indices (sorted); frame 0 must be one."""
    if total_frames <= 0:
        raise ValueError("a clip without frames has no slides")
    if not keyframes or keyframes[0] != 0:
        raise ValueError("the clip does not start with a keyframe")
    cuts = [SlideCut(0, 0, [])]
    for n, b in enumerate(sorted(beats, key=lambda b: b.start)):
        k = _near(b.start * fps, keyframes)
        if n and k is not None and cuts[-1].first < k < total_frames:
            cuts.append(SlideCut(k, 0, [b.index]))
        else:
            cuts[-1].beats.append(b.index)
    for a, b in zip(cuts, [*cuts[1:], None]):
        a.frames = (b.first if b else total_frames) - a.first
    shortest = min_seconds * fps
    while len(cuts) > 1:
        short = next((i for i, c in enumerate(cuts) if c.frames < shortest), None)
        if short is None:
            break
        keep, gone = (short - 1, short) if short > 0 else (0, 1)
        cuts[keep].frames += cuts[gone].frames
        cuts[keep].beats += cuts[gone].beats
        del cuts[gone]
    return cuts
