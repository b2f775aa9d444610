"""Build the narrated video from the chapter list (`scenes.chapters.CHAPTERS`).

    python -m scenes list
    python -m scenes build [--quality l|m|h|p|k] [--only NAME ...] [--jobs N] [--voice V]

What a build does, chapter by chapter (in parallel processes):

1. **Decide.**  A chapter renders again only if the hash of its inputs changed:
   the chapter file, ``scenes/kit/*.py``, ``quake_math/*.py``, ``manim.cfg``,
   the story settings (content of the ``QUAKE_STORY`` file), the voice
   identity (engine, model checksum), the quality, the recordings of its
   voiceover blocks, the Scene class and the manim version.  The hash is kept
   in ``clips/NN-name.json`` beside the clip.
2. **Render.**  ``python -m manim render -q<x> --media_dir build/NN-name ...``:
   each chapter has its own media folder, so parallel renders never share the
   LaTeX cache (``Tex/``), the voiceover cache (``voiceovers/``, which
   manim-voiceover puts in ``<media_dir>/voiceovers``) or the partial movie
   files.  Output goes to ``logs/NN-name.log``.
3. **Clip.**  The rendered video packets are copied (not re-encoded) into
   ``clips/NN-name.mp4`` with an AAC track made from manim's own WAV mix,
   padded or trimmed to exactly the video's duration (manim's mp4 carries its
   AAC 1024 samples late and may stop short; a scene without speech has no
   audio at all and gets silence).  ``NN-name.srt`` goes beside it.

Then the **join** writes ``earthquakes.mp4`` (one H.264 stream, remuxed with
offset timestamps when all clips share codec parameters, else re-encoded; one
AAC stream decoded from the clips, resampled and padded per chapter so sound
and picture stay in sync; one chapter marker per chapter) and
``earthquakes.srt`` (the clips' subtitles shifted by each clip's start).  It is
skipped when no clip changed.

Every final file is written under a temporary name and moved into place with
``os.replace`` only when complete: a failed or interrupted build leaves the
previous video untouched.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from importlib import metadata
from pathlib import Path

from scenes.chapters import CHAPTERS, Chapter

__all__ = [
    "AUDIO_RATE",
    "BuildError",
    "BuildInputError",
    "BuildReport",
    "ChapterFailure",
    "PROJECT_ROOT",
    "QUALITIES",
    "VIDEO_NAME",
    "build",
    "clip_stem",
    "list_chapters",
    "main",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: manim's quality flags and the folder names (resolution + frame rate) they render into.
QUALITIES: dict[str, str] = {
    "l": "480p15",
    "m": "720p30",
    "h": "1080p60",
    "p": "1440p60",
    "k": "2160p60",
}
DEFAULT_QUALITY = "h"
VIDEO_NAME = "earthquakes"
AUDIO_RATE = 48_000
# Narration is mono: the output is mono unless a clip's sound is stereo
# (mono halves the AAC encoding time, the slowest part of the join).
AUDIO_BITRATE = {1: 128_000, 2: 192_000}
# Bump when the way clips or the joined video are made changes.
BUILD_FORMAT = 2
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_PARTIAL = ".partial-"

Log = Callable[[str], None]


# --------------------------------------------------------------------------
# Errors and the report
# --------------------------------------------------------------------------


class BuildInputError(ValueError):
    """Bad arguments (chapter name, quality, voice, ...): nothing was rendered."""


@dataclass(frozen=True)
class ChapterFailure:
    chapter: str  # "NN-name"
    log: Path
    reason: str


class BuildError(RuntimeError):
    """One or more chapters failed to render; the previous video is untouched."""

    def __init__(self, failures: Sequence[ChapterFailure] = (), message: str | None = None) -> None:
        self.failures = list(failures)
        if message is None:
            lines = [f"{len(self.failures)} chapter(s) failed; the previous video was left as it was:"]
            lines += [f"  chapter {f.chapter}: {f.reason}\n    log: {f.log}" for f in self.failures]
            message = "\n".join(lines)
        super().__init__(message)


@dataclass
class ChapterResult:
    chapter: Chapter
    clip: Path
    subtitles: Path
    rendered: bool  # False: the clip of an earlier build was reused
    seconds: float  # time spent rendering (0 when reused)
    frames: int
    fps: Fraction

    @property
    def duration(self) -> Fraction:
        return self.frames / self.fps


@dataclass
class BuildReport:
    chapters: list[ChapterResult]
    video: Path
    subtitles: Path
    clips_dir: Path
    joined: bool  # False: inputs unchanged, the previous video was kept
    join_method: str  # "remux", "encode" or "skipped"
    seconds: float
    join_seconds: float
    log_dir: Path

    @property
    def rendered(self) -> list[str]:
        return [r.chapter.name for r in self.chapters if r.rendered]

    @property
    def reused(self) -> list[str]:
        return [r.chapter.name for r in self.chapters if not r.rendered]

    @property
    def duration(self) -> Fraction:
        return sum((r.duration for r in self.chapters), Fraction(0))


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def clip_stem(ch: Chapter) -> str:
    """``NN-name``: the clip's file name without extension."""
    return f"{ch.number:02d}-{ch.name}"


def list_chapters(chapters: Sequence[Chapter] = CHAPTERS) -> str:
    """One chapter a line, tab-separated: number, name, file, Scene class."""
    return "".join(f"{c.number}\t{c.name}\t{c.file}\t{c.scene}\n" for c in chapters)


def _fmt_time(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _partial_name(path: Path) -> Path:
    """A temporary sibling of ``path`` (same suffix, so formats are guessed)."""
    return path.with_name(f".{path.stem}{_PARTIAL}{os.getpid()}{path.suffix}")


def _remove_stale_partials(*folders: Path) -> None:
    for folder in folders:
        if folder.is_dir():
            for p in folder.glob(f".*{_PARTIAL}*"):
                p.unlink(missing_ok=True)


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = _partial_name(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------
# Validation (all before any rendering)
# --------------------------------------------------------------------------


def _defines(path: Path, name: str) -> bool:
    """Whether the module at ``path`` binds ``name`` at top level (class,
    import or assignment), read with ``ast`` so nothing is imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
    return False


def _select(chapters: Sequence[Chapter], only: Iterable[str] | None) -> list[Chapter]:
    chapters = list(chapters)
    if not chapters:
        raise BuildInputError("The chapter list is empty: nothing to build.")
    seen_names: set[str] = set()
    seen_numbers: set[int] = set()
    for c in chapters:
        if not _NAME_RE.match(c.name):
            raise BuildInputError(f"Chapter {c.number}: name {c.name!r} must be letters, digits, '-' or '_'.")
        if c.name in seen_names or c.number in seen_numbers:
            raise BuildInputError(f"Chapter {c.number} {c.name!r}: its number or name is used twice.")
        seen_names.add(c.name)
        seen_numbers.add(c.number)
    if only is None:
        return chapters
    wanted = [w for w in only]
    unknown = [w for w in wanted if w not in seen_names]
    if unknown:
        valid = "\n".join(f"  {c.name:<16} {c.number:>2}. {c.title}" for c in chapters)
        raise BuildInputError(
            f"Unknown chapter name(s): {', '.join(map(repr, unknown))}. Valid names:\n{valid}"
        )
    if not wanted:
        raise BuildInputError("--only needs at least one chapter name.")
    return [c for c in chapters if c.name in wanted]  # story order, no duplicates


def _check_quality(quality: str) -> str:
    if quality not in QUALITIES:
        choices = "\n".join(f"  {k}  {v}" for k, v in QUALITIES.items())
        raise BuildInputError(f"Unknown quality {quality!r}. Choose one of:\n{choices}")
    return quality


def _check_files(chapters: Sequence[Chapter], root: Path) -> None:
    problems = []
    for c in chapters:
        path = root / c.file
        if not path.is_file():
            problems.append(f"chapter {c.number} {c.name!r}: file {c.file} does not exist")
        elif not _defines(path, c.scene):
            problems.append(f"chapter {c.number} {c.name!r}: {c.file} defines no {c.scene}")
    if problems:
        raise BuildInputError("Cannot build:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------
# Input hashing
# --------------------------------------------------------------------------


class _Hasher:
    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, label: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        for part in (label.encode("utf-8"), data):
            self._h.update(len(part).to_bytes(8, "little"))
            self._h.update(part)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


@dataclass(frozen=True)
class _Common:
    """Inputs shared by all chapters of a build, read once."""

    root: Path
    quality: str
    voice: str  # what QUAKE_VOICE is set to in the renders
    voice_identity: str
    story_env: str | None  # absolute path of the QUAKE_STORY file, if any
    shared_hash: str  # kit, quake_math, manim.cfg, story, voice, quality, versions
    recordings: Path


def _common_inputs(root: Path, quality: str, voice: str | None) -> _Common:
    # Imported here: they load manim, which `python -m scenes list` does not need.
    from quake_math.settings import STORY_ENV, StoryError, load_story
    from scenes.kit import narration as nar

    try:
        spec = nar.resolve_voice(voice)
    except nar.NarrationError as exc:
        raise BuildInputError(str(exc)) from None
    try:
        identity = json.dumps(nar._voice_identity(spec), sort_keys=True)
    except Exception:  # pragma: no cover - identity is best effort
        identity = spec.name
    story_path = os.environ.get(STORY_ENV) or None
    try:
        load_story(story_path)  # validate now, not in every render
    except StoryError as exc:
        raise BuildInputError(f"Story settings: {exc}") from None
    story_abs = str(Path(story_path).resolve()) if story_path else None

    h = _Hasher()
    h.add("build-format", str(BUILD_FORMAT))
    for dist in ("manim", "manim-voiceover", "av"):
        h.add(dist, metadata.version(dist))
    h.add("quality", quality)
    h.add("voice", identity)
    h.add("story", Path(story_abs).read_bytes() if story_abs else b"(defaults)")
    cfg = root / "manim.cfg"
    h.add("manim.cfg", cfg.read_bytes() if cfg.is_file() else b"")
    for folder in ("scenes/kit", "quake_math"):
        for p in sorted((PROJECT_ROOT / folder).glob("*.py")):
            h.add(f"{folder}/{p.name}", p.read_bytes())
    return _Common(
        root=root,
        quality=quality,
        voice=spec.name,
        voice_identity=identity,
        story_env=story_abs,
        shared_hash=h.hexdigest(),
        recordings=nar.recordings_dir(),
    )


def _chapter_hash(ch: Chapter, common: _Common) -> str:
    from scenes.kit.narration import extract_blocks

    path = common.root / ch.file
    h = _Hasher()
    h.add("shared", common.shared_hash)
    h.add("scene", ch.scene)
    h.add("file", path.read_bytes())
    # The recordings this chapter's voiceover blocks would use. If a block's
    # text is not a literal, its id is unknown: then every recording counts.
    rec = common.recordings
    if rec.is_dir():
        skipped: list[str] = []
        names = {b.filename for b in extract_blocks([path], skipped)}
        for wav in sorted(rec.glob("*.wav")):
            if skipped or wav.name in names:
                h.add(f"recording {wav.name}", hashlib.sha256(wav.read_bytes()).hexdigest())
    return h.hexdigest()


# --------------------------------------------------------------------------
# Audio and video with PyAV
# --------------------------------------------------------------------------


@dataclass
class _Segment:
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


def _video_info(path: Path) -> tuple[int, Fraction]:
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


def _audio_chunks(path: Path | None, channels: int = 2) -> Iterator["object"]:
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


def _write_av(
    segments: Sequence[_Segment],
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

    infos = [_video_info(s.video) for s in segments]
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

    tmp = _partial_name(out_path)
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
                    sound = _fitted(_audio_chunks(seg.audio, audio.channels), n_samples, audio.channels)

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


def _merge_subtitles(parts: Sequence[tuple[Path | None, Fraction, Fraction]]) -> str:
    """Merge .srt files; ``parts`` are (path or None, start, end) in seconds.

    Each cue is shifted by its part's start and kept inside its part (a cue
    that would run past the part's end or into the next cue is cut short),
    so the result is ordered, without overlaps, and inside the video."""
    import srt

    def td(x: Fraction) -> timedelta:
        return timedelta(microseconds=round(x * 1_000_000))

    cues: list[srt.Subtitle] = []
    for path, start, end in parts:
        if path is None or not path.is_file():
            continue
        subs = sorted(srt.parse(path.read_text(encoding="utf-8")), key=lambda s: s.start)
        part: list[srt.Subtitle] = []
        for s in subs:
            a, b = s.start + td(start), min(s.end + td(start), td(end))
            if a >= td(end) or b <= a:
                continue
            if part and part[-1].end > a:
                part[-1].end = a
            part.append(srt.Subtitle(index=0, start=a, end=b, content=s.content))
        cues.extend(c for c in part if c.end > c.start)
    for i, c in enumerate(cues, 1):
        c.index = i
    return srt.compose(cues, reindex=False) if cues else ""


# --------------------------------------------------------------------------
# Rendering chapters in parallel
# --------------------------------------------------------------------------


def _set_pdeathsig() -> None:  # pragma: no cover - runs in the child
    """Linux: the render dies with the build, even if the build is killed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


@dataclass(eq=False)
class _Job:
    chapter: Chapter
    stem: str
    hash: str
    media: Path  # the chapter's own manim media_dir
    log: Path
    estimate: float | None  # seconds, from the last render of this chapter
    proc: subprocess.Popen | None = None
    started: float = 0.0
    log_file: object = None


_ANIMATION = re.compile(r"(Animation \d+)[^\r\n|]*?:\s*(\d+)%")


def _live_status(log: Path) -> str:
    """manim's own progress, read from the end of its log: 'Animation 7 45%'."""
    try:
        with open(log, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 8192))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    found = _ANIMATION.findall(tail)
    return f"{found[-1][0]} {found[-1][1]}%" if found else "starting"


class _Progress:
    """Overall progress lines: chapters done of total, elapsed, time left."""

    def __init__(self, log: Log, total: int, jobs: int) -> None:
        self.log, self.total, self.jobs = log, total, jobs
        self.t0 = time.monotonic()
        self.done = 0
        self.finished_seconds: list[float] = []

    def _left(self, pending: Sequence[_Job], running: Sequence[_Job]) -> str:
        mean = (sum(self.finished_seconds) / len(self.finished_seconds)) if self.finished_seconds else None
        now = time.monotonic()
        work = 0.0
        for job, is_running in [*((j, False) for j in pending), *((j, True) for j in running)]:
            est = job.estimate if job.estimate is not None else mean
            if est is None:
                return "?"
            work += max(est - (now - job.started), 1.0) if is_running else est
        return "~" + _fmt_time(work / max(1, min(self.jobs, len(pending) + len(running))))

    def line(self, event: str, pending: Sequence[_Job], running: Sequence[_Job]) -> None:
        elapsed = _fmt_time(time.monotonic() - self.t0)
        left = self._left(pending, running) if (pending or running) else "0:00"
        self.log(f"[build {self.done}/{self.total} done | {elapsed} elapsed | {left} left] {event}")


def _start(job: _Job, common: _Common, python: str) -> None:
    cfg = QUALITIES[common.quality]
    out_mp4 = job.media / "videos" / Path(job.chapter.file).stem / cfg / f"{job.chapter.scene}.mp4"
    for stale in (out_mp4, out_mp4.with_suffix(".srt"), out_mp4.with_suffix(".wav")):
        stale.unlink(missing_ok=True)  # never mistake an old output for a new one
    env = dict(os.environ)
    env["QUAKE_VOICE"] = common.voice
    if common.story_env:
        env["QUAKE_STORY"] = common.story_env
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("COLUMNS", "160")  # readable, unwrapped log lines
    cmd = [
        python, "-m", "manim", "render", f"-q{common.quality}",
        "--media_dir", str(job.media),
        str(common.root / job.chapter.file), job.chapter.scene,
    ]
    job.log.parent.mkdir(parents=True, exist_ok=True)
    job.media.mkdir(parents=True, exist_ok=True)
    job.log_file = open(job.log, "w", encoding="utf-8")
    job.log_file.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}  QUAKE_VOICE={common.voice}\n# {' '.join(cmd)}\n")
    job.log_file.flush()
    job.started = time.monotonic()
    job.proc = subprocess.Popen(
        cmd, cwd=common.root, env=env, stdin=subprocess.DEVNULL, stdout=job.log_file,
        stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_set_pdeathsig if sys.platform.startswith("linux") else None,
    )


def _stop(job: _Job) -> None:
    """End a render and everything it started (its own process group)."""
    proc = job.proc
    if proc is not None and proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
    if job.log_file is not None:
        job.log_file.close()
        job.log_file = None


def _last_error(log: Path) -> str:
    try:
        lines = [ln.strip() for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "render failed"
    for ln in reversed(lines):
        if re.search(r"(Error|Exception)\b.*:", ln) and not ln.startswith("#"):
            return ln.strip("│ ").strip()
    return lines[-1][:200] if lines else "render failed"


def _finish_clip(job: _Job, common: _Common, clips_dir: Path, seconds: float) -> ChapterResult:
    """Turn manim's output into clips/NN-name.mp4 + .srt + .json (in that order)."""
    ch = job.chapter
    folder = job.media / "videos" / Path(ch.file).stem / QUALITIES[common.quality]
    rendered = folder / f"{ch.scene}.mp4"
    if not rendered.is_file():
        raise FileNotFoundError(f"manim wrote no video at {rendered} (does the scene play any animation?)")
    wav = rendered.with_suffix(".wav")
    # manim's WAV is its exact mix; its mp4's AAC starts 1024 samples late.
    audio = wav if wav.is_file() else rendered
    clip = clips_dir / f"{job.stem}.mp4"
    subs = clip.with_suffix(".srt")
    _write_av([_Segment(rendered, audio, ch.title)], clip, title=ch.title, video_mode="remux")
    frames, fps = _video_info(clip)
    duration = Fraction(frames) / fps
    srt_in = rendered.with_suffix(".srt")
    _write_text_atomic(subs, _merge_subtitles([(srt_in if srt_in.is_file() else None, Fraction(0), duration)]))
    stamp = {
        "hash": job.hash,
        "chapter": ch.name,
        "number": ch.number,
        "scene": ch.scene,
        "file": ch.file,
        "quality": common.quality,
        "voice": common.voice,
        "frames": frames,
        "fps": str(fps),
        "duration": float(duration),
        "render_seconds": round(seconds, 2),
        "clip_bytes": clip.stat().st_size,
        "srt_bytes": subs.stat().st_size,
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    _write_text_atomic(clip.with_suffix(".json"), json.dumps(stamp, indent=2) + "\n")
    return ChapterResult(ch, clip, subs, True, seconds, frames, fps)


def _reusable(stamp: dict, job_hash: str, clip: Path, subs: Path) -> bool:
    return (
        stamp.get("hash") == job_hash
        and clip.is_file()
        and subs.is_file()
        and clip.stat().st_size == stamp.get("clip_bytes")
        and subs.stat().st_size == stamp.get("srt_bytes")
    )


def _lock(media_dir: Path):
    import fcntl

    media_dir.mkdir(parents=True, exist_ok=True)
    f = open(media_dir / ".build.lock", "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise BuildError(message=f"Another build is running in {media_dir} (lock {media_dir / '.build.lock'}).") from None
    return f


# --------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------


def build(
    chapters: Sequence[Chapter] = CHAPTERS,
    quality: str = DEFAULT_QUALITY,
    jobs: int | None = None,
    voice: str | None = None,
    media_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    only: Iterable[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    log: Log | None = None,
    heartbeat: float = 15.0,
    video_mode: str = "auto",
) -> BuildReport:
    """Render the chapters that changed and join all clips into the video.

    Args:
        chapters: the chapters, in story order (default: ``CHAPTERS``).
        quality: manim quality flag, one of ``QUALITIES`` (default ``h``, 1080p60).
        jobs: renders run at once (default: number of CPU cores).
        voice: narration voice (``joe``, ``espeak``, ``path.onnx``); ``None``
            reads ``QUAKE_VOICE``. Passed to the renders as ``QUAKE_VOICE``.
        media_dir: renders, caches and logs (``build/``, ``logs/``); default ``media``.
        out_dir: ``earthquakes.mp4``, ``earthquakes.srt`` and ``clips/``; default ``media_dir``.
        only: names of the chapters to build (the video then holds only those).
        root: folder the chapter files are relative to and manim runs in
            (its ``manim.cfg`` applies); default the project root.
        log: where progress lines go (default: print to stdout).
        heartbeat: seconds between progress lines while rendering.
        video_mode: ``auto`` (remux if possible), ``remux`` or ``encode``.

    Raises:
        BuildInputError: bad arguments; raised before anything is rendered.
        BuildError: a chapter failed (names it and its log); no video written.
    """
    t0 = time.monotonic()
    log = log or (lambda line: print(line, flush=True))
    root_p = Path(root).resolve() if root is not None else PROJECT_ROOT
    media = Path(media_dir).resolve() if media_dir is not None else PROJECT_ROOT / "media"
    out = Path(out_dir).resolve() if out_dir is not None else media
    _check_quality(quality)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not isinstance(jobs, int) or jobs < 1:
        raise BuildInputError(f"--jobs must be a whole number of at least 1, not {jobs!r}.")
    if video_mode not in ("auto", "remux", "encode"):
        raise BuildInputError(f"video_mode must be auto, remux or encode, not {video_mode!r}.")
    if isinstance(only, str):
        only = [only]
    selected = _select(chapters, only)
    common = _common_inputs(root_p, quality, voice)  # checks the voice and story settings
    _check_files(selected, root_p)

    clips_dir = out / "clips"
    log_dir = media / "logs"
    lock = _lock(media)
    try:
        clips_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(out, clips_dir)

        results: dict[str, ChapterResult] = {}
        todo: list[_Job] = []
        for ch in selected:
            stem = clip_stem(ch)
            job = _Job(ch, stem, _chapter_hash(ch, common), media / "build" / stem, log_dir / f"{stem}.log", None)
            clip, subs = clips_dir / f"{stem}.mp4", clips_dir / f"{stem}.srt"
            stamp = _read_json(clip.with_suffix(".json"))
            if _reusable(stamp, job.hash, clip, subs):
                results[ch.name] = ChapterResult(ch, clip, subs, False, 0.0, int(stamp["frames"]), Fraction(stamp["fps"]))
                continue
            if isinstance(stamp.get("render_seconds"), (int, float)):
                job.estimate = float(stamp["render_seconds"])
            todo.append(job)

        failures = _render_all(todo, common, clips_dir, jobs, log, heartbeat, len(selected), results)
        if failures:
            raise BuildError(failures)

        ordered = [results[c.name] for c in selected]
        video, subtitles = out / f"{VIDEO_NAME}.mp4", out / f"{VIDEO_NAME}.srt"
        join_stamp_path = out / f"{VIDEO_NAME}.json"
        jh = _Hasher()
        jh.add("format", str(BUILD_FORMAT))
        jh.add("video_mode", video_mode)
        for r in ordered:
            st = _read_json(r.clip.with_suffix(".json"))
            jh.add("clip", json.dumps([r.chapter.number, r.chapter.title, st.get("hash"), st.get("clip_bytes"), st.get("srt_bytes")]))
        join_hash = jh.hexdigest()
        old = _read_json(join_stamp_path)
        t_join = time.monotonic()
        if (
            old.get("hash") == join_hash
            and video.is_file()
            and subtitles.is_file()
            and video.stat().st_size == old.get("video_bytes")
        ):
            method = "skipped"
            log("[build] nothing changed since the last join: video kept")
        else:
            log(f"[build] joining {len(ordered)} clip(s) into {_display(video)}")
            segments = [_Segment(r.clip, r.clip, r.chapter.title) for r in ordered]
            try:
                method, starts = _write_av(segments, video, title="Earthquakes", markers=True,
                                           video_mode=video_mode)
            except (ValueError, OSError) as exc:
                raise BuildError(
                    f"joining the clips failed: {exc}. The clips are in {_display(clips_dir)}; "
                    "the previous video was left as it was."
                ) from exc
            ends = [*starts[1:], sum((r.duration for r in ordered), Fraction(0))]
            _write_text_atomic(
                subtitles, _merge_subtitles([(r.subtitles, s, e) for r, s, e in zip(ordered, starts, ends)])
            )
            table = {
                "hash": join_hash,
                "video_bytes": video.stat().st_size,
                "quality": quality,
                "voice": common.voice,
                "duration": float(ends[-1]),
                "chapters": [
                    {"number": r.chapter.number, "name": r.chapter.name, "title": r.chapter.title,
                     "start": float(s), "end": float(e), "clip": r.clip.name}
                    for r, s, e in zip(ordered, starts, ends)
                ],
            }
            _write_text_atomic(join_stamp_path, json.dumps(table, indent=2) + "\n")
        join_seconds = time.monotonic() - t_join
        if method != "skipped":
            log(f"[build] joined ({method}) in {join_seconds:.1f} s")
        return BuildReport(
            chapters=ordered,
            video=video,
            subtitles=subtitles,
            clips_dir=clips_dir,
            joined=method != "skipped",
            join_method=method,
            seconds=time.monotonic() - t0,
            join_seconds=join_seconds,
            log_dir=log_dir,
        )
    finally:
        lock.close()


def _render_all(
    todo: list[_Job],
    common: _Common,
    clips_dir: Path,
    jobs: int,
    log: Log,
    heartbeat: float,
    total: int,
    results: dict[str, ChapterResult],
) -> list[ChapterFailure]:
    progress = _Progress(log, total, jobs)
    progress.done = total - len(todo)
    if not todo:
        log(f"[build] all {total} chapter(s) up to date, nothing to render")
        return []
    log(f"[build] rendering {len(todo)} of {total} chapter(s) at -q{common.quality} "
        f"({QUALITIES[common.quality]}), voice {common.voice}, {min(jobs, len(todo))} at a time")
    # Longest first (by the last known render time) packs parallel jobs best.
    pending = sorted(todo, key=lambda j: -(j.estimate or 0.0))
    running: list[_Job] = []
    failures: list[ChapterFailure] = []
    python = sys.executable
    last_beat = time.monotonic()
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job = pending.pop(0)
                _start(job, common, python)
                running.append(job)
                progress.line(f"rendering {job.stem}  (log: {_display(job.log)})", pending, running)
            time.sleep(0.2)
            for job in list(running):
                code = job.proc.poll()
                if code is None:
                    continue
                running.remove(job)
                seconds = time.monotonic() - job.started
                _stop(job)  # closes the log
                if code != 0:
                    failures.append(ChapterFailure(job.stem, job.log, f"manim exited with code {code}: {_last_error(job.log)}"))
                    progress.done += 1
                    progress.line(f"FAILED {job.stem} after {_fmt_time(seconds)}  (log: {_display(job.log)})", pending, running)
                    continue
                try:
                    results[job.chapter.name] = _finish_clip(job, common, clips_dir, seconds)
                except Exception as exc:  # a broken or missing output file
                    with open(job.log, "a", encoding="utf-8") as f:
                        f.write(f"\n# build: could not make the clip: {exc!r}\n")
                    failures.append(ChapterFailure(job.stem, job.log, f"could not make the clip: {exc}"))
                    progress.done += 1
                    continue
                progress.done += 1
                progress.finished_seconds.append(seconds)
                progress.line(f"done {job.stem} in {_fmt_time(seconds)} ({float(results[job.chapter.name].duration):.1f} s of video)", pending, running)
            now = time.monotonic()
            if running and now - last_beat >= heartbeat:
                last_beat = now
                status = ", ".join(f"{j.stem}: {_live_status(j.log)}" for j in running)
                progress.line(f"rendering {status}", pending, running)
    finally:
        for job in running:  # interrupted (Ctrl-C, SIGTERM) or a bug: end the renders
            _stop(job)
    return failures


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum, frame):  # pragma: no cover - exercised via a subprocess
    raise _Terminated()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scenes", description="List or build the Earthquakes video's chapters.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print the chapters: number, name, file, Scene class (tab-separated)")
    b = sub.add_parser(
        "build",
        help="render the chapters that changed and join them into media/earthquakes.mp4",
        description="Render the chapters that changed (in parallel) and join them into one video "
        "with subtitles and chapter markers.",
    )
    b.add_argument("--quality", "-q", default=DEFAULT_QUALITY, metavar="|".join(QUALITIES),
                   help="manim quality: " + ", ".join(f"{k}={v}" for k, v in QUALITIES.items()) + " (default: h)")
    b.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                   help="build only these chapters (by name, see `list`); the video then holds only them")
    b.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help=f"renders at once (default: number of cores, {os.cpu_count()})")
    b.add_argument("--voice", default=None, help="narration voice: joe, espeak or path/to/voice.onnx "
                   "(default: $QUAKE_VOICE, else joe)")
    b.add_argument("--media-dir", "--media_dir", default=None, help="renders, caches and logs (default: media)")
    b.add_argument("--out-dir", default=None, help="video, subtitles and clips/ (default: the media dir)")
    return p


def main(argv: Sequence[str] | None = None, chapters: Sequence[Chapter] = CHAPTERS) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        sys.stdout.write(list_chapters(chapters))
        return 0
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        report = build(
            chapters, quality=args.quality, jobs=args.jobs, voice=args.voice,
            media_dir=args.media_dir, out_dir=args.out_dir, only=args.only,
        )
    except BuildInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        print(f"\nbuild {what}: the previous video was left as it was; finished clips are kept", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    rendered = ", ".join(report.rendered) or "none"
    print(
        f"\nBuilt in {_fmt_time(report.seconds)} (rendered: {rendered}; join: {report.join_method})\n"
        f"  video:     {_display(report.video)}  ({_fmt_time(float(report.duration))}, {len(report.chapters)} chapters)\n"
        f"  subtitles: {_display(report.subtitles)}\n"
        f"  clips:     {_display(report.clips_dir)}/  ({', '.join(r.clip.name for r in report.chapters)})\n"
        f"  logs:      {_display(report.log_dir)}/"
    )
    return 0
