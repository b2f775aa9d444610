"""Where the picture stands still: one decoding pass over a clip.

Every frame is decoded (PyAV, the decoder's own threads) and shrunk to a grey
*analysis picture*: the luma, area-averaged over blocks of ``k x k`` video
pixels with ``k = max(2, round(width / 480))`` (1080p: 4x4 blocks, a 480x270
picture; 480p: 2x2). Each analysis picture is compared with a **reference**,
the first picture of the current still stretch:

    changed  <=>  at least MIN_PIXELS analysis pixels differ from the
                  reference by more than LEVEL (of 255)

and a changed frame becomes the new reference. A still stretch is a run of
frames in which nothing changed: it starts at a changed frame (or the first)
and lasts until the next changed frame; frame ``i`` is shown from ``i / fps``
to ``(i + 1) / fps``.

Why the reference and not simply the previous frame: at 60 fps a smooth
change moves little from one frame to the next. A caption fading in over a
second changes each frame by 4 grey levels, a slowly turning camera or a slow
quake by a fraction of a pixel; against the reference these add up within a
few frames, while encoder noise does not add up (it stays within a few levels
of the true picture). Compared frame to frame at the same threshold, chapter
5 of the video read as 90 % still speech, with a 25 s "still" stretch in
which a panel of 25,000 analysis pixels faded in; against the reference, 76 %.

One more rule (`StillTracker`): a highlight that blinks -- a small part of
the picture lights up and the picture comes back exactly as it was within 2 s
(manim's Indicate, a colour flash on a path, labels lit in turn) -- is not
motion: the rests before and after it and the blink are one still stretch.
A quake that returns to its first landscape changes far more of the picture
and stays motion. See `RETURN_SECONDS`, `REST_SECONDS`, `BLINK_AREA`.

Checked against the issue's reading of the video (1080p60, joe voice, before
the fixes): the long stills it names (chapter 3 at 0:56, 4 at 0:19, 5 at
0:11, 6 near 2:16, 9 at 1:28, 10 at 1:23; 8 to 15 s) are found where it says,
9 to 16 s long.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

import numpy as np

__all__ = [
    "ANALYSIS_WIDTH", "BLINK_AREA", "LEVEL", "MIN_PIXELS", "REST_SECONDS", "RETURN_SECONDS", "Analysis", "ChangeDetector",
    "StillTracker", "Stretch", "analyse", "block_size", "intersection_seconds", "still_stretches", "union",
]

#: The analysis picture is about this wide (never less than 2x2 blocks).
ANALYSIS_WIDTH = 480
#: Grey-level step (0-255) an analysis pixel must exceed to count as changed.
#: Measured on this video's 1080p60 clips (libx264, crf 23): in still
#: stretches, encoder noise against the reference (the keyframe re-coded at
#: every animation boundary included) stays at or below 12 levels after 4x4
#: averaging, while the dot sliding along a contour in chapter 6 changes 9 to
#: 25 blocks by 43 to 138 levels every frame. At 16 the noise of a 9 s still
#: in chapter 3 (0:53.5) already cut it in two; at 2x2 averaging (480p) dense
#: one-pixel coloured lines re-coded every 10 frames reach 19.
LEVEL = 24
#: A change undone within this many seconds (the picture of the rest before
#: it comes back) is a blinking highlight, not motion. The highlights of this
#: video (Indicate, a colour flash on a path or a colour-bar band, a label
#: lit in turn) last 0.7 to 1.5 s; no quake in it comes back to the picture
#: it left within 2 s.
RETURN_SECONDS = 2.0
#: The rests on both sides of a blink must last this long.
REST_SECONDS = 0.25
#: A blink changes at most this share of the picture (the video's highlights:
#: under 2 %); a quake that shakes a surface or a map and comes back changes
#: far more, and stays motion.
BLINK_AREA = 0.05
#: How many analysis pixels must change together. On this video's clips 1, 2
#: or 4 find nearly the same stills; 2 ignores a lone block of keyframe ringing,
#: while a dot one analysis pixel big that moves by one video pixel still
#: changes two (the block it leaves and the one it enters).
MIN_PIXELS = 2


@dataclass(frozen=True)
class Stretch:
    """A still stretch: the picture does not change from ``start`` for ``length`` seconds."""

    start: float
    length: float

    @property
    def end(self) -> float:
        return self.start + self.length


def block_size(width: int) -> int:
    """Side of the square of video pixels averaged into one analysis pixel."""
    return max(2, round(width / ANALYSIS_WIDTH))


class ChangeDetector:
    """Feed analysis pictures in order; `feed` says whether each one changed
    (against the first picture of the current still stretch)."""

    def __init__(self, level: int = LEVEL, min_pixels: int = MIN_PIXELS) -> None:
        self.level = level
        self.min_pixels = min_pixels
        self.ref: np.ndarray | None = None

    def same(self, a: np.ndarray, b: np.ndarray) -> bool:
        return np.count_nonzero(np.abs(a - b) > self.level) < self.min_pixels

    def feed(self, grey: np.ndarray) -> bool:
        cur = grey.astype(np.int16)
        if self.ref is None or not self.same(cur, self.ref):
            self.ref = cur
            return True
        return False


class StillTracker:
    """`ChangeDetector` plus the blink rule: when, less than `RETURN_SECONDS`
    after a rest, the very picture of that rest comes back (and stays for at
    least `REST_SECONDS`), and what changed in between covered at most
    `BLINK_AREA` of the picture, a highlight blinked: the two rests and the
    blink become one still stretch.

    ``changed`` is the per-frame result; ``blinks`` the (first, end) frames
    of the changes that were taken back."""

    def __init__(self, fps: float, level: int = LEVEL, min_pixels: int = MIN_PIXELS,
                 return_seconds: float = RETURN_SECONDS, rest_seconds: float = REST_SECONDS,
                 blink_area: float = BLINK_AREA) -> None:
        self.detector = ChangeDetector(level, min_pixels)
        self.window = return_seconds * fps
        self.rest = max(1, round(rest_seconds * fps))
        self.blink_area = blink_area
        self.changed: list[bool] = []
        self.blinks: list[tuple[int, int]] = []
        self._start = 0
        self._picture: np.ndarray | None = None
        self._rests: list[tuple[int, int, np.ndarray]] = []  # recent rests: first frame, end frame, picture
        self._runs: list[tuple[int, np.ndarray]] = []  # recent runs (first frame, picture), rests or not

    def feed(self, grey: np.ndarray) -> None:
        i = len(self.changed)
        changed = self.detector.feed(grey)
        self.changed.append(changed)
        if changed:
            if i > 0:
                self._close(i)
            self._start, self._picture = i, self.detector.ref
            self._runs = [r for r in self._runs if r[0] >= i - self.window]
            self._runs.append((i, self.detector.ref))

    def finish(self) -> np.ndarray:
        if self.changed:
            self._close(len(self.changed))
        return np.array(self.changed, dtype=bool)

    def _small(self, since: int, until: int, picture: np.ndarray) -> bool:
        """Did every picture shown in frames [since, until) differ from ``picture`` on a small area only?"""
        limit = self.blink_area * picture.size
        level = self.detector.level
        return all(np.count_nonzero(np.abs(p - picture) > level) <= limit
                   for start, p in self._runs if since <= start < until)

    def _close(self, end: int) -> None:
        """The still run [self._start, end) is over."""
        a, pic = self._start, self._picture
        self._rests = [r for r in self._rests if r[1] >= a - self.window]
        if end - a < self.rest:
            return
        for k in range(len(self._rests) - 1, -1, -1):
            r_start, r_end, r_pic = self._rests[k]
            if self.detector.same(pic, r_pic) and self._small(r_end, a, r_pic):
                for j in range(r_end, a + 1):
                    self.changed[j] = False
                self.blinks.append((r_end, a))
                del self._rests[k:]
                self._rests.append((r_start, end, r_pic))
                return
        self._rests.append((a, end, pic))


def still_stretches(changed: Sequence[bool] | np.ndarray, fps: float, min_seconds: float = 0.0) -> list[Stretch]:
    """Maximal runs of unchanged frames, as stretches of at least ``min_seconds``.

    ``changed[i]`` is True when frame ``i`` differs from the picture before it
    (frame 0 always starts a stretch)."""
    flags = np.asarray(changed, dtype=bool)
    n = len(flags)
    if n == 0:
        return []
    starts = np.flatnonzero(flags)
    if len(starts) == 0 or starts[0] != 0:
        starts = np.concatenate([[0], starts])
    ends = np.concatenate([starts[1:], [n]])
    out = []
    for a, b in zip(starts.tolist(), ends.tolist()):
        length = (b - a) / fps
        if length >= min_seconds - 1e-9:
            out.append(Stretch(a / fps, length))
    return out


def union(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted, disjoint intervals covering the same time as ``intervals``."""
    out: list[list[float]] = []
    for a, b in sorted((a, b) for a, b in intervals if b > a):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def intersection_seconds(xs: Iterable[tuple[float, float]], ys: Iterable[tuple[float, float]]) -> float:
    """Seconds covered by both unions of intervals."""
    a, b = union(xs), union(ys)
    i = j = 0
    total = 0.0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass
class Analysis:
    """What one decoding pass found."""

    fps: float
    frames: int
    width: int
    height: int
    changed: np.ndarray  # bool per frame
    tiles: dict[float, object] = field(default_factory=dict)  # grab time -> PIL image
    seconds: float = 0.0  # wall time of the pass
    blinks: list[Stretch] = field(default_factory=list)  # changes taken back (highlights), inside still stretches

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    def stills(self, min_seconds: float = 0.0) -> list[Stretch]:
        return still_stretches(self.changed, self.fps, min_seconds)


def frame_index(t: float, fps: float) -> int:
    """The frame on screen at time ``t``."""
    return max(0, int(np.floor(t * fps + 1e-6)))


def analyse(path: str | Path, grab: Iterable[float] = (), tile_width: int = 900,
            level: int = LEVEL, min_pixels: int = MIN_PIXELS) -> Analysis:
    """Decode every frame of ``path``: which frames changed, and RGB pictures
    ``tile_width`` wide of the frames on screen at the times in ``grab``."""
    import av
    from av.video.reformatter import VideoReformatter

    t0 = perf_counter()
    tiles: dict[float, object] = {}
    with av.open(str(path)) as container:
        if not container.streams.video:
            raise ValueError(f"{path} has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rate = stream.guessed_rate or stream.average_rate or stream.base_rate
        fps = float(rate)
        tracker = StillTracker(fps, level, min_pixels)
        width, height = stream.codec_context.width, stream.codec_context.height
        k = block_size(width)
        aw, ah = max(1, width // k), max(1, height // k)
        tw = tile_width
        th = max(2, round(tile_width * height / width))
        wanted = sorted((frame_index(t, fps), t) for t in set(grab))
        w = 0
        last = None
        shrink = VideoReformatter()  # one scaler for every frame (a frame's own is built anew each time)
        for i, frame in enumerate(container.decode(stream)):
            grey = shrink.reformat(frame, width=aw, height=ah, format="gray", interpolation="AREA").to_ndarray()
            tracker.feed(grey)
            while w < len(wanted) and wanted[w][0] <= i:
                tiles[wanted[w][1]] = frame.to_image(width=tw, height=th, interpolation="AREA")
                w += 1
            last = frame
        while w < len(wanted) and last is not None:  # past the end: the last frame stays on screen
            tiles[wanted[w][1]] = last.to_image(width=tw, height=th, interpolation="AREA")
            w += 1
    changed = tracker.finish()
    blinks = [Stretch(a / fps, (b - a) / fps) for a, b in tracker.blinks]
    return Analysis(fps, len(changed), width, height, changed, tiles, perf_counter() - t0, blinks)
