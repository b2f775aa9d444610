"""Build the narrated video from the chapter list: the public entry point.

    from scenes.production import build
    report = build(quality="l", voice="espeak", only=["mystery"])

What a build does:

1. **Check** (`plan`): chapter names, quality, voice and recordings (the
   narration pre-flight), story settings, and that every output folder can
   be written. Any problem is a `BuildInputError` before anything renders.
2. **Decide** (`plan`, `inputs`): a chapter renders again only if the hash of
   its inputs changed (its file and every project module it imports, manim.cfg,
   story, voice, quality, versions, its recordings) or its clip files are not
   the ones its stamp recorded.
3. **Render** (`pool`, `progress`): the stale chapters, in parallel, each in
   its own manim media folder under the output folder.
4. **Clip** (`clips`): each render becomes ``clips/NN-name.mp4`` with
   ``.srt``, ``.vtt``, ``.beats.json`` and its stamp ``.json``.
5. **Join** (`clips`, `media`, `subtitles`): the clips become
   ``earthquakes.mp4`` with chapter markers, ``.srt``, ``.vtt`` and
   ``.chapters.txt``; skipped when the same clips were joined already.

Where files go (`outputs`): the final build (``-qh``, a real voice) writes
at the top of ``media/``; any other quality or the espeak voice writes under
``media/<resolution>-<voice>/``, so a preview never replaces the final video.

``--only NAME``: the named chapters render if stale. If every other
chapter's clip of this quality is current too, the whole video is joined
(or kept, if nothing changed); else the named chapters are joined into
``earthquakes.partial.mp4`` (and its ``.srt``, ``.vtt``, ``.chapters.txt``),
never under the whole video's name.

Every final file is written under a temporary name and moved into place with
``os.replace`` only when complete: a failed or interrupted build leaves the
previous files as they were.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from scenes.chapters import CHAPTERS
from scenes.production.clips import ChapterResult, JoinResult, finish_clip, join, reused_clip
from scenes.production.errors import BuildError, BuildInputError, ChapterFailure
from scenes.production.files import remove_stale_partials
from scenes.production.outputs import FINAL_QUALITY, PROJECT_ROOT, QUALITIES, Joined, Outputs, clip_stem
from scenes.production.plan import check_files, check_quality, check_writable, clip_state, prepare, select
from scenes.production.pool import RenderJob, render_all
from scenes.production.progress import Progress

__all__ = ["BuildError", "BuildInputError", "BuildReport", "ChapterFailure", "ChapterResult", "build", "lock"]

Log = Callable[[str], None]


@dataclass
class BuildReport:
    chapters: list[ChapterResult]  # the selected chapters, in story order
    outputs: Outputs
    files: Joined  # the video written or kept: whole, or partial (see `partial`)
    partial: bool  # True: --only, and other chapters were not current
    missing: list[str]  # with partial: chapters whose clip was not current
    joined: bool  # False: the same clips were joined already; files kept
    join_method: str  # "remux", "encode" or "skipped"
    seconds: float
    join_seconds: float
    folded: list[str] = field(default_factory=list)  # titles without a line in .chapters.txt
    in_video: list[ChapterResult] = field(default_factory=list)  # the chapters the video holds, in order

    @property
    def video(self) -> Path:
        return self.files.video

    @property
    def subtitles(self) -> Path:
        return self.files.srt

    @property
    def clips_dir(self) -> Path:
        return self.outputs.clips_dir

    @property
    def log_dir(self) -> Path:
        return self.outputs.logs_dir

    @property
    def rendered(self) -> list[str]:
        return [r.chapter.name for r in self.chapters if r.rendered]

    @property
    def reused(self) -> list[str]:
        return [r.chapter.name for r in self.chapters if not r.rendered]

    @property
    def duration(self) -> Fraction:
        """Length of the selected chapters."""
        return sum((r.duration for r in self.chapters), Fraction(0))

    @property
    def video_duration(self) -> Fraction:
        """Length of the video written or kept."""
        return sum((r.duration for r in self.in_video), Fraction(0))


def lock(out: Outputs):
    """Hold the output folder's build lock (a `filelock.FileLock`), or raise
    `BuildError` at once if another build holds it."""
    from filelock import FileLock, Timeout

    lk = FileLock(str(out.lock_file), timeout=0)
    try:
        lk.acquire()
    except Timeout:
        raise BuildError(message=(
            f"Another build is writing {out.root} right now (it holds {out.lock_file}). "
            "Wait for it to finish, or stop it, then build again."
        )) from None
    return lk


def build(
    chapters: Sequence = CHAPTERS,
    quality: str = FINAL_QUALITY,
    jobs: int | None = None,
    voice: str | None = None,
    media_dir: str | os.PathLike[str] | None = None,
    *,
    only: Iterable[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    log: Log | None = None,
    heartbeat: float = 15.0,
    video_mode: str = "auto",
    voice_source: str | None = None,
) -> BuildReport:
    """Render the chapters that changed and join the clips into the video.

    Args:
        chapters: the whole chapter list, in story order (default ``CHAPTERS``).
        quality: manim quality flag, a key of ``QUALITIES`` (default ``h``, 1080p60).
        jobs: renders at once (default: number of CPU cores).
        voice: ``joe``, ``espeak`` or ``path.onnx``; ``None`` reads ``QUAKE_VOICE``.
        media_dir: the media folder (default ``<project>/media``); see `Outputs`.
        only: names of the chapters to render if stale (see the module doc).
        root: the project root: chapter files, modules, ``manim.cfg``; manim runs there.
        log: where progress lines go (default: a rich display on a terminal, else lines).
        heartbeat: seconds between manim status lines when not on a terminal.
        video_mode: ``auto`` (copy video packets when possible), ``remux`` or ``encode``.
        voice_source: where ``voice`` came from, for messages ("--voice option").

    Raises:
        BuildInputError: bad input, found before anything is rendered.
        BuildError: a chapter or the join failed, or another build is running;
            the previous files were left as they were.
    """
    t0 = time.monotonic()
    say = log or (lambda line: print(line, flush=True))
    root_p = Path(root).resolve() if root is not None else PROJECT_ROOT
    check_quality(quality)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if not isinstance(jobs, int) or jobs < 1:
        raise BuildInputError(f"--jobs must be a whole number of at least 1, not {jobs!r}.")
    if video_mode not in ("auto", "remux", "encode"):
        raise BuildInputError(f"video_mode must be auto, remux or encode, not {video_mode!r}.")
    chapters = list(chapters)
    selected = select(chapters, [only] if isinstance(only, str) else only)
    shared = prepare(root_p, quality, voice, voice_source)  # voice, recordings, story
    check_files(selected, root_p)
    out = Outputs.for_build(quality, shared.voice, media_dir)
    check_writable([out.root, out.clips_dir, out.work_dir, out.logs_dir])

    lk = lock(out)
    try:
        remove_stale_partials(out.root, out.clips_dir)
        results: dict[str, ChapterResult] = {}
        todo: list[RenderJob] = []
        for ch in selected:
            state = clip_state(ch, shared, out)
            if state.current:
                results[ch.name] = reused_clip(ch, out, state.stamp)
                continue
            todo.append(RenderJob(ch, clip_stem(ch), state.inputs_hash, out.chapter_work_dir(ch),
                                  out.logs_dir / f"{clip_stem(ch)}.log", state.estimate))

        def finish(job: RenderJob, seconds: float) -> float:
            results[job.chapter.name] = r = finish_clip(job, shared, out, seconds)
            return float(r.duration)

        progress = Progress(len(selected), len(selected) - len(todo), jobs, QUALITIES[quality], log, heartbeat)
        failures = render_all(todo, shared, jobs, progress, finish)
        if failures:
            raise BuildError(failures)

        # The whole video when every chapter's clip is current, else a partial one.
        selected_names = {c.name for c in selected}
        missing: list[str] = []
        for ch in chapters:
            if ch.name in selected_names:
                continue
            try:
                state = clip_state(ch, shared, out)
            except (OSError, SyntaxError, ValueError):
                state = None
            if state is not None and state.current:
                results[ch.name] = reused_clip(ch, out, state.stamp)
            else:
                missing.append(ch.name)
        partial = bool(missing)
        ordered = [results[c.name] for c in (selected if partial else chapters)]
        try:
            joined = join(ordered, out, partial=partial, video_mode=video_mode, log=say)
        except Exception as exc:  # a full disk, a folder in the way, a PyAV error
            raise BuildError(message=(
                f"Joining the clips into {out.joined(partial).video} failed: {exc}. "
                f"The clips are in {out.clips_dir}; the previous video was left as it was."
            )) from exc
        _report_join(say, joined, partial, missing)
        return BuildReport(
            chapters=[results[c.name] for c in selected], outputs=out, files=joined.files, partial=partial,
            missing=missing, joined=joined.method != "skipped", join_method=joined.method,
            seconds=time.monotonic() - t0, join_seconds=joined.seconds, folded=joined.folded, in_video=ordered,
        )
    finally:
        lk.release()


def _report_join(say: Log, joined: JoinResult, partial: bool, missing: list[str]) -> None:
    if joined.method == "skipped":
        say(f"[build] nothing changed since the last join: {joined.files.video} kept")
    else:
        say(f"[build] joined ({joined.method}) in {joined.seconds:.1f} s")
    if partial:
        say(f"[build] not the whole video: {len(missing)} other chapter(s) have no current clip at this quality "
            f"({', '.join(missing)}), so the chosen chapters are in {joined.files.video}; "
            "the whole video, if any, was left as it was")
    if joined.folded:
        say(f"[build] {joined.files.chapters_txt.name}: chapters shorter than 10 s share the line before them: "
            + ", ".join(joined.folded))
