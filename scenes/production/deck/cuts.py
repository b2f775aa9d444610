"""Cutting a chapter clip into slide videos with PyAV, without encoding the
picture again.

`scan` reads the clip's video packets once: how many frames, the frame
rate, and which frames are keyframes (where a slide may start). `cut`
reads them again and copies each slide's packets, in decode order, into its
own mp4, timestamps moved so the slide starts at 0; the clip must have
closed groups of pictures at the cuts (every packet after a cut keyframe in
decode order shows a frame at or after it), which manim's partial movies
have, and this is checked packet by packet. The sound of each slide is the
clip's sound over exactly its video's time span (to the sample), encoded
as AAC; a silent slide has no audio stream at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from scenes.production.deck.model import DeckError
from scenes.production.files import partial_name
from scenes.production.media import AUDIO_RATE, audio_chunks

__all__ = ["ClipScan", "SliceOut", "clip_audio", "cut", "scan"]

AUDIO_BITRATE = {1: 64_000, 2: 128_000}  # speech
#: FFmpeg's fast AAC coder: twice the speed of the default, the same quality for speech.
AAC_OPTIONS = {"aac_coder": "fast"}
_ENCODE_BLOCK = 1024 * 48  # samples per frame handed to the AAC encoder


@dataclass(frozen=True)
class ClipScan:
    frames: int
    fps: Fraction
    keyframes: tuple[int, ...]  # frame indices, sorted
    width: int
    height: int


def _frame_index(pts: int, origin: int, tb: Fraction, fps: Fraction) -> int:
    """round((pts - origin) * tb * fps), in integers (halves up; called per packet)."""
    n = (pts - origin) * tb.numerator * fps.numerator
    d = tb.denominator * fps.denominator
    return (2 * n + d) // (2 * d)


def scan(clip: Path) -> ClipScan:
    """Frames, frame rate (nominal) and keyframes of the clip's video."""
    import av

    with av.open(str(clip)) as c:
        if not c.streams.video:
            raise DeckError(f"{clip} has no video stream: build the chapter again")
        s = c.streams.video[0]
        fps = Fraction(s.base_rate or s.guessed_rate or s.average_rate)
        tb = s.time_base
        pts_key = [(p.pts, bool(p.is_keyframe)) for p in c.demux(s) if p.dts is not None and p.pts is not None]
        width, height = s.codec_context.width, s.codec_context.height
    if not pts_key:
        raise DeckError(f"{clip} has no video frames: build the chapter again")
    origin = min(p for p, _ in pts_key)
    keyframes = sorted(_frame_index(p, origin, tb, fps) for p, k in pts_key if k)
    return ClipScan(len(pts_key), fps, tuple(keyframes), width, height)


def clip_audio(clip: Path):
    """The clip's sound as a (channels, samples) float32 array at AUDIO_RATE,
    sample 0 at time 0 (mono unless the clip is stereo); None without sound."""
    import av
    import numpy as np

    with av.open(str(clip)) as c:
        if not c.streams.audio:
            return None
        s = c.streams.audio[0]
        channels = min(2, s.codec_context.channels or 1)
        # What the build writes (48 kHz AAC, planar float) is read as is;
        # anything else goes through the build's resampling reader below.
        if s.codec_context.sample_rate == AUDIO_RATE and s.codec_context.format.name == "fltp":
            parts, lead = [], None
            for frame in c.decode(s):
                arr = frame.to_ndarray()[:channels]
                if lead is None:  # the encoder's priming: the first frame may start before 0
                    lead = round(frame.pts * frame.time_base * AUDIO_RATE) if frame.pts is not None else 0
                parts.append(arr)
            if not parts:
                return np.zeros((channels, 0), np.float32)
            audio = np.concatenate(parts, axis=1)
            if lead and lead > 0:
                audio = np.concatenate([np.zeros((channels, lead), np.float32), audio], axis=1)
            elif lead and lead < 0:
                audio = audio[:, -lead:]
            return np.ascontiguousarray(audio, dtype=np.float32)
    chunks = list(audio_chunks(clip, channels))
    return np.concatenate(chunks, axis=1) if chunks else np.zeros((channels, 0), np.float32)


@dataclass(frozen=True)
class SliceOut:
    """One slide video to write: frames ``[first, first + frames)`` into ``path``."""

    path: Path
    first: int
    frames: int


def _samples(audio, start: Fraction, end: Fraction):
    """Exactly the samples of [start, end) (silence past the clip's sound)."""
    import numpy as np

    a, b = round(start * AUDIO_RATE), round(end * AUDIO_RATE)
    part = audio[:, a:b]
    if part.shape[1] < b - a:
        part = np.concatenate([part, np.zeros((audio.shape[0], b - a - part.shape[1]), np.float32)], axis=1)
    return np.ascontiguousarray(part, dtype=np.float32)


def _audio_packets(container, samples) -> list:
    """Encode ``samples`` (channels, n) into a new AAC stream of ``container``; its packets."""
    import av

    channels = samples.shape[0]
    layout = "stereo" if channels == 2 else "mono"
    stream = container.add_stream("aac", rate=AUDIO_RATE, layout=layout, options=AAC_OPTIONS)
    stream.bit_rate = AUDIO_BITRATE[channels]
    packets = []
    for k in range(0, samples.shape[1], _ENCODE_BLOCK):
        frame = av.AudioFrame.from_ndarray(samples[:, k:k + _ENCODE_BLOCK], format="fltp", layout=layout)
        frame.sample_rate = AUDIO_RATE
        frame.time_base = Fraction(1, AUDIO_RATE)
        frame.pts = k
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    return packets


class _Writer:
    """One slide's mp4, written under a temporary name."""

    def __init__(self, out: SliceOut, template, fps: Fraction, audio) -> None:
        import av

        self.out, self.tmp = out, partial_name(out.path)
        self.container = av.open(str(self.tmp), "w", format="mp4", options={"movflags": "+faststart"})
        self.video = self.container.add_stream_from_template(template)
        self.tb = template.time_base
        self.shift: int | None = None
        start, end = Fraction(out.first) / fps, Fraction(out.first + out.frames) / fps
        self.audio = [] if audio is None else _audio_packets(self.container, _samples(audio, start, end))
        self.audio.reverse()  # pop() from the end: earliest first
        self.seen: list[int] = []

    def add(self, pkt, frame: int) -> None:
        if self.shift is None:
            self.shift = pkt.pts  # the cut keyframe: the slide's time 0
        self.seen.append(frame)
        pkt.pts -= self.shift
        pkt.dts -= self.shift
        when = float(pkt.dts * self.tb)
        # keep the audio just ahead of the video so the two interleave
        while self.audio and float(self.audio[-1].dts * self.audio[-1].time_base) <= when + 0.5:
            self.container.mux(self.audio.pop())
        pkt.stream = self.video
        self.container.mux(pkt)

    def close(self) -> None:
        try:
            while self.audio:
                self.container.mux(self.audio.pop())
        finally:
            self.container.close()
        want = list(range(self.out.first, self.out.first + self.out.frames))
        if sorted(self.seen) != want:
            self.tmp.unlink(missing_ok=True)
            raise DeckError(f"{self.out.path.name}: the clip's frames {self.out.first}..{self.out.first + self.out.frames - 1}"
                            " are not a closed group of pictures, so it cannot be cut there without encoding again")
        os.replace(self.tmp, self.out.path)

    def abort(self) -> None:
        try:
            self.container.close()
        except Exception:  # noqa: BLE001 - already failing; the temporary file goes either way
            pass
        self.tmp.unlink(missing_ok=True)


def _decode_one(template, pkt):
    """The picture of one keyframe packet, decoded on its own."""
    import av

    ctx = av.CodecContext.create(template.codec_context.name, "r")
    ctx.extradata = template.codec_context.extradata
    frames = [*ctx.decode(pkt), *ctx.decode(None)]
    return frames[0] if frames else None


def cut(clip: Path, slices: Sequence[SliceOut], audio=None) -> dict[int, object]:
    """Write every slide of ``slices`` (consecutive, covering the clip from
    frame 0 to its end) with its packets copied from ``clip``; ``audio`` is
    `clip_audio`'s array, or None for silent slides. Returns each slide's
    first picture (an ``av.VideoFrame``) by its first frame index."""
    import av

    firsts: dict[int, object] = {}
    slices = sorted(slices, key=lambda s: s.first)
    starts = [s.first for s in slices]
    writer: _Writer | None = None
    nxt = 0  # index of the next slice to open
    try:
        with av.open(str(clip)) as c:
            vin = c.streams.video[0]
            fps = Fraction(vin.base_rate or vin.guessed_rate or vin.average_rate)
            tb = vin.time_base
            origin = None
            for pkt in c.demux(vin):
                if pkt.dts is None or pkt.pts is None:
                    continue
                if origin is None:
                    origin = pkt.pts  # the first packet is the first keyframe (frame 0)
                frame = _frame_index(pkt.pts, origin, tb, fps)
                if nxt < len(slices) and pkt.is_keyframe and frame == starts[nxt]:
                    if writer is not None:
                        writer.close()
                    writer = _Writer(slices[nxt], vin, fps, audio)
                    firsts[frame] = _decode_one(vin, pkt)
                    nxt += 1
                if writer is None:
                    raise DeckError(f"{clip} does not start with a keyframe: build the chapter again")
                writer.add(pkt, frame)
            if writer is not None:
                writer.close()
                writer = None
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if nxt != len(slices):
        raise DeckError(f"{clip}: no keyframe at frame {starts[nxt]}, where slide {nxt + 1} should start")
    return firsts
