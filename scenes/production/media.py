"""Reading and writing video with PyAV: frame counts, audio as arrays, and
`write_segments`, which lays clips end to end into one mp4 (video packets
copied, or re-encoded when the clips differ; one AAC track fitted to the
video). Used for each chapter's clip and for the joined video."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from scenes.production.files import partial_name

__all__ = ["AUDIO_RATE", "Segment", "audio_chunks", "video_info", "write_segments"]

AUDIO_RATE = 48_000
# Narration is mono: the output is mono unless a clip's sound is stereo
# (mono halves the AAC encoding time, the slowest part of the join).
AUDIO_BITRATE = {1: 128_000, 2: 192_000}


@dataclass
class Segment:
    """One part of an output file: the video packets of ``video`` and the
    audio of ``audio`` (None: silence), fitted to the video's duration."""

    video: Path
    audio: Path | None
    title: str = ""


def _nominal_rate(stream) -> Fraction:
    """The frame rate the clip was made at (60 for -qh). Not average_rate:
    that is frames / container duration, whose millisecond rounding can give
    60.0002 for a 60 fps clip."""
    return Fraction(stream.base_rate or stream.guessed_rate or stream.average_rate)


def video_info(path: Path) -> tuple[int, Fraction]:
    """(number of frames, frame rate) of the first video stream, from packets."""
    import av

    with av.open(str(path)) as c:
        if not c.streams.video:
            raise ValueError(f"{path} has no video stream")
        s = c.streams.video[0]
        rate = _nominal_rate(s)
        frames = sum(1 for p in c.demux(s) if p.dts is not None)
    return frames, rate


def _video_params(path: Path) -> tuple:
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        cc = s.codec_context
        return (cc.name, cc.width, cc.height, cc.pix_fmt, bytes(cc.extradata or b""), s.time_base,
                _nominal_rate(s), cc.profile)


def _channels(path: Path | None) -> int:
    """1 or 2: the channels of the first audio stream (0 if none)."""
    import av

    if path is None:
        return 0
    with av.open(str(path)) as c:
        return min(2, c.streams.audio[0].codec_context.channels) if c.streams.audio else 0


def _layout(channels: int) -> str:
    return "stereo" if channels >= 2 else "mono"


def audio_chunks(path: Path | None, channels: int = 2) -> Iterator["object"]:
    """The first audio stream of ``path`` as (channels, n) float32 arrays at
    AUDIO_RATE, sample 0 being time 0 of the file. Nothing if no audio."""
    import av
    import numpy as np

    if path is None:
        return
    with av.open(str(path)) as c:
        if not c.streams.audio:
            return
        stream = c.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout=_layout(channels), rate=AUDIO_RATE)
        drop = 0
        first = True
        for frame in c.decode(stream):
            if first:
                first = False
                if frame.pts is not None and frame.time_base is not None:
                    lead = round(frame.pts * frame.time_base * AUDIO_RATE)
                    if lead > 0:
                        yield np.zeros((channels, lead), np.float32)
                    else:
                        drop = -lead
            for out in resampler.resample(frame):
                arr = out.to_ndarray()
                if drop:
                    cut = min(drop, arr.shape[1])
                    arr, drop = arr[:, cut:], drop - cut
                if arr.shape[1]:
                    yield arr
        for out in resampler.resample(None):
            yield out.to_ndarray()


def _fitted(chunks: Iterable, n: int, channels: int, block: int = AUDIO_RATE) -> Iterator:
    """Exactly ``n`` samples from ``chunks``: trimmed, or padded with silence."""
    import numpy as np

    left = n
    for arr in chunks:
        if left <= 0:
            break
        arr = arr[:, :left]
        left -= arr.shape[1]
        yield np.ascontiguousarray(arr, dtype=np.float32)
    while left > 0:
        k = min(block, left)
        left -= k
        yield np.zeros((channels, k), np.float32)


class _AudioOut:
    """An AAC stream fed with (channels, n) float32 chunks; counts samples."""

    def __init__(self, container, channels: int) -> None:
        self.container = container
        self.channels = channels
        self.layout = _layout(channels)
        self.stream = container.add_stream("aac", rate=AUDIO_RATE, layout=self.layout)
        self.stream.bit_rate = AUDIO_BITRATE[channels]
        self.samples = 0

    @property
    def seconds(self) -> Fraction:
        return Fraction(self.samples, AUDIO_RATE)

    def feed(self, arr) -> None:
        import av

        frame = av.AudioFrame.from_ndarray(arr, format="fltp", layout=self.layout)
        frame.sample_rate = AUDIO_RATE
        frame.time_base = Fraction(1, AUDIO_RATE)
        frame.pts = self.samples
        self.samples += arr.shape[1]
        self.container.mux(self.stream.encode(frame))

    def close(self) -> None:
        self.container.mux(self.stream.encode(None))


def write_segments(
    segments: Sequence[Segment],
    out_path: Path,
    *,
    title: str = "",
    markers: bool = False,
    video_mode: str = "auto",
) -> tuple[str, list[Fraction]]:
    """Write ``segments`` one after the other into ``out_path`` (mp4).

    Video: packets are copied with offset timestamps when all segments share
    codec parameters (``video_mode`` "auto"/"remux"), else decoded and
    re-encoded with libx264 ("encode"). Audio: each segment's audio is
    decoded, resampled to 48 kHz (mono, or stereo if any segment is) and
    fitted to exactly the segment's video duration, then encoded as one AAC
    stream. Returns the method used
    and the segments' start times (seconds); with ``markers`` one chapter
    marker per segment, titled with its ``title``.

    Writes to a temporary name and moves it into place only when complete.
    """
    import av

    infos = [video_info(s.video) for s in segments]
    fps = infos[0][1]
    if any(rate != fps for _, rate in infos):
        raise ValueError("The clips have different frame rates: " + ", ".join(str(r) for _, r in infos))
    starts: list[Fraction] = []
    t = Fraction(0)
    for frames, _ in infos:
        starts.append(t)
        t += Fraction(frames) / fps
    total = t
    if video_mode == "auto":
        params = {_video_params(s.video) for s in segments}
        video_mode = "remux" if len(params) == 1 else "encode"

    tmp = partial_name(out_path)
    try:
        with av.open(str(segments[0].video)) as first:
            out = av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"})
            try:
                if title:
                    out.metadata["title"] = title
                template = first.streams.video[0]
                if video_mode == "remux":
                    vout = out.add_stream_from_template(template)
                else:
                    cc = template.codec_context
                    vout = out.add_stream("libx264", rate=fps, options={"crf": "18", "preset": "medium"})
                    vout.width, vout.height, vout.pix_fmt = cc.width, cc.height, "yuv420p"
                audio = _AudioOut(out, max(1, *(_channels(s.audio) for s in segments)))
                if markers:
                    out.set_chapters([
                        {
                            "id": i + 1,
                            "start": int(starts[i] * AUDIO_RATE),
                            "end": int((starts[i + 1] if i + 1 < len(starts) else total) * AUDIO_RATE),
                            "time_base": Fraction(1, AUDIO_RATE),
                            "metadata": {"title": seg.title},
                        }
                        for i, seg in enumerate(segments)
                    ])
                frame_index = 0
                for seg, start, (frames, _) in zip(segments, starts, infos):
                    end = start + Fraction(frames) / fps
                    n_samples = round(end * AUDIO_RATE) - round(start * AUDIO_RATE)
                    sound = _fitted(audio_chunks(seg.audio, audio.channels), n_samples, audio.channels)

                    def audio_until(when: Fraction) -> None:
                        # keep the audio a little ahead of the video, so the
                        # muxer can interleave the two streams
                        while audio.seconds < min(when, end):
                            arr = next(sound, None)
                            if arr is None:
                                return
                            audio.feed(arr)

                    with av.open(str(seg.video)) as clip:
                        vin = clip.streams.video[0]
                        if video_mode == "remux":
                            tb = vin.time_base
                            first_pts = None
                            for pkt in clip.demux(vin):
                                if pkt.dts is None:
                                    continue
                                if first_pts is None:
                                    first_pts = pkt.pts or 0
                                shift = round(start / tb) - first_pts
                                pkt.pts += shift
                                pkt.dts += shift
                                audio_until(Fraction(pkt.dts * tb) + Fraction(1, 2))
                                pkt.stream = vout
                                out.mux(pkt)
                        else:
                            for frame in clip.decode(vin):
                                frame = frame.reformat(width=vout.width, height=vout.height, format="yuv420p")
                                frame.pts = frame_index
                                frame.time_base = 1 / fps
                                frame_index += 1
                                audio_until(frame_index / fps + Fraction(1, 2))
                                out.mux(vout.encode(frame))
                    for arr in sound:  # the rest of this segment's audio
                        audio.feed(arr)
                if video_mode == "encode":
                    out.mux(vout.encode(None))
                audio.close()
            finally:
                out.close()
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return video_mode, starts


