"""Clips and the joined video.

A finished render becomes ``clips/NN-name.mp4`` (manim's video packets
copied, with an AAC track made from manim's own WAV mix fitted to exactly
the video's duration; a chapter without speech gets silence), ``.srt`` and
``.vtt`` beside it, ``.beats.json`` (the render's beats manifest, when the
scene wrote one) and last ``.json``, the stamp: input hash, recordings used,
frames, render seconds and the size of every file above. The stamp is
written last, so a clip without a matching stamp is never taken as current.

The join lays the clips end to end into one video with chapter markers,
subtitles (``.srt``, ``.vtt``) and ``.chapters.txt``; it is skipped when its
record (``.json``) says the same clips were joined already.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from scenes.production.files import partial_name, read_json, write_json_atomic, write_text_atomic
from scenes.production.inputs import BUILD_FORMAT, Hasher, clip_hash, recordings_state
from scenes.production.media import Segment, video_info, write_segments
from scenes.production.outputs import Joined, Outputs
from scenes.production.plan import beat_recordings
from scenes.production.pool import RenderJob, rendered_files
from scenes.production.subtitles import chapter_lines, chapters_text, merge_srt, write_subtitles

__all__ = ["ChapterResult", "JoinResult", "finish_clip", "join", "reused_clip"]

_CLIP_FILES = (".mp4", ".srt", ".vtt", ".beats.json")


@dataclass
class ChapterResult:
    chapter: object
    clip: Path
    subtitles: Path  # .srt
    vtt: Path
    beats: Path | None  # .beats.json, when the render wrote one
    rendered: bool  # False: the clip of an earlier build was reused
    seconds: float  # time spent rendering (0 when reused)
    frames: int
    fps: Fraction

    @property
    def duration(self) -> Fraction:
        return self.frames / self.fps


def reused_clip(ch, out: Outputs, stamp: dict) -> ChapterResult:
    beats = out.clip_file(ch, ".beats.json")
    return ChapterResult(ch, out.clip(ch), out.clip_file(ch, ".srt"), out.clip_file(ch, ".vtt"),
                         beats if beats.is_file() else None, False, 0.0, int(stamp["frames"]), Fraction(stamp["fps"]))


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = partial_name(dst)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def finish_clip(job: RenderJob, shared, out: Outputs, seconds: float) -> ChapterResult:
    """Turn a finished render into the chapter's clip files, stamp last."""
    ch = job.chapter
    rendered = rendered_files(job, shared.quality)
    if not rendered.is_file():
        raise FileNotFoundError(f"manim wrote no video at {rendered} (does the scene play any animation?)")
    wav = rendered.with_suffix(".wav")
    # manim's WAV is its exact mix; its mp4's AAC starts 1024 samples late.
    audio = wav if wav.is_file() else rendered
    clip = out.clip(ch)
    write_segments([Segment(rendered, audio, ch.title)], clip, title=ch.title, video_mode="remux")
    frames, fps = video_info(clip)
    duration = Fraction(frames) / fps
    srt_in = rendered.with_suffix(".srt")
    srt_path = out.clip_file(ch, ".srt")
    vtt_path = write_subtitles(srt_path, merge_srt([(srt_in if srt_in.is_file() else None, Fraction(0), duration)]))
    beats_in = rendered.with_name(f"{ch.scene}.beats.json")
    beats = out.clip_file(ch, ".beats.json")
    if beats_in.is_file():
        _copy_atomic(beats_in, beats)
    else:
        beats.unlink(missing_ok=True)  # an old manifest would describe another render
    names = beat_recordings(beats) if beats.is_file() else _literal_recordings(shared.root / ch.file)
    recordings = recordings_state(shared.recordings, names)
    files = {sfx: ({"bytes": out.clip_file(ch, sfx).stat().st_size} if out.clip_file(ch, sfx).is_file() else None)
             for sfx in _CLIP_FILES}
    stamp = {
        "hash": clip_hash(job.inputs_hash, recordings),
        "inputs_hash": job.inputs_hash,
        "recordings": recordings,
        "recordings_folder": str(shared.recordings),
        "chapter": ch.name,
        "number": ch.number,
        "scene": ch.scene,
        "file": ch.file,
        "quality": shared.quality,
        "voice": shared.voice,
        "frames": frames,
        "fps": str(fps),
        "duration": float(duration),
        "render_seconds": round(seconds, 2),
        "files": files,
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    write_json_atomic(out.clip_file(ch, ".json"), stamp)
    return ChapterResult(ch, clip, srt_path, vtt_path, beats if beats.is_file() else None, True, seconds, frames, fps)


def _literal_recordings(path: Path) -> list[str] | None:
    """Without a beats manifest: the recordings the chapter's literal
    voiceover texts would use, or None (every recording counts) when a text
    is built at run time or the narration module cannot tell."""
    try:
        from scenes.kit.narration import extract_blocks
    except ImportError:
        return None
    skipped: list[str] = []
    try:
        names = [b.filename for b in extract_blocks([path], skipped)]
    except Exception:
        return None
    return None if skipped else names


# --------------------------------------------------------------------------
# The join
# --------------------------------------------------------------------------


@dataclass
class JoinResult:
    files: Joined
    method: str  # "remux", "encode" or "skipped"
    seconds: float
    folded: list[str]  # chapter titles without their own line in .chapters.txt (shorter than 10 s)


def _join_hash(ordered: Sequence[ChapterResult], out: Outputs, video_mode: str) -> str:
    h = Hasher()
    h.add("format", str(BUILD_FORMAT))
    h.add("video_mode", video_mode)
    for r in ordered:
        st = read_json(out.clip_file(r.chapter, ".json"))
        h.add("clip", json.dumps([r.chapter.number, r.chapter.title, st.get("hash"), st.get("files")], sort_keys=True))
    return h.hexdigest()


def join(ordered: Sequence[ChapterResult], out: Outputs, *, partial: bool, video_mode: str = "auto",
         log=print) -> JoinResult:
    """Join the clips into ``out.joined(partial)``. Raises what writing
    raised (the caller reports it); the previous files stay in place."""
    files = out.joined(partial)
    t0 = time.monotonic()
    join_hash = _join_hash(ordered, out, video_mode)
    old = read_json(files.stamp)
    durations = [(r.chapter.title, r.duration) for r in ordered]
    lines = chapter_lines(durations)
    folded = [t for line in lines for t in line.folded]
    if (
        old.get("hash") == join_hash
        and all(f.is_file() for f in files.files)
        and files.video.stat().st_size == old.get("video_bytes")
    ):
        return JoinResult(files, "skipped", 0.0, folded)
    log(f"[build] joining {len(ordered)} clip(s) into {files.video}")
    segments = [Segment(r.clip, r.clip, r.chapter.title) for r in ordered]
    method, starts = write_segments(segments, files.video, title="Earthquakes", markers=True, video_mode=video_mode)
    ends = [*starts[1:], sum((r.duration for r in ordered), Fraction(0))]
    write_subtitles(files.srt, merge_srt([(r.subtitles, s, e) for r, s, e in zip(ordered, starts, ends)]))
    write_text_atomic(files.chapters_txt, chapters_text(lines))
    write_json_atomic(files.stamp, {
        "hash": join_hash,
        "video_bytes": files.video.stat().st_size,
        "partial": partial,
        "quality": out.quality,
        "voice": out.voice,
        "duration": float(ends[-1]),
        "chapters": [
            {"number": r.chapter.number, "name": r.chapter.name, "title": r.chapter.title,
             "start": float(s), "end": float(e), "clip": r.clip.name}
            for r, s, e in zip(ordered, starts, ends)
        ],
    })
    return JoinResult(files, method, time.monotonic() - t0, folded)
