"""The render pool: one manim process per chapter, a few at a time.

Each render runs ``python -m scenes.production.manim_render render -q<x>
--media_dir <output>/build/NN-name <file> <Scene>`` in its own process group
with its own media folder (its partial movies, LaTeX cache and voiceover
cache never meet another render's), writing to ``<output>/logs/NN-name.log``.
A render dies with the build: the build ends its process group on Ctrl-C
or SIGTERM, and Linux sends it SIGTERM if the build itself is killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenes.production.errors import ChapterFailure
from scenes.production.files import display, fmt_time
from scenes.production.inputs import SharedInputs
from scenes.production.outputs import QUALITIES
from scenes.production.progress import Progress

__all__ = ["RenderJob", "render_all", "rendered_files"]


@dataclass(eq=False)
class RenderJob:
    chapter: object
    stem: str  # NN-name
    inputs_hash: str
    work: Path  # the chapter's own manim media folder
    log: Path
    estimate: float | None  # seconds of the last render at this quality
    proc: subprocess.Popen | None = None
    started: float = 0.0
    log_file: object = None


def rendered_files(job: RenderJob, quality: str) -> Path:
    """Where manim writes the chapter's movie (``<Scene>.mp4``; its ``.wav``,
    ``.srt`` and ``.beats.json`` beside it)."""
    ch = job.chapter
    return job.work / "videos" / Path(ch.file).stem / QUALITIES[quality] / f"{ch.scene}.mp4"


def _set_pdeathsig() -> None:  # pragma: no cover - runs in the child
    """Linux: the render gets SIGTERM when the build dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _start(job: RenderJob, shared: SharedInputs) -> None:
    out_mp4 = rendered_files(job, shared.quality)
    for suffix in (".mp4", ".srt", ".wav", ".beats.json"):
        out_mp4.with_name(out_mp4.stem + suffix).unlink(missing_ok=True)  # never mistake an old output for a new one
    env = dict(os.environ)
    env["QUAKE_VOICE"] = shared.voice
    env["QUAKE_RECORDINGS"] = str(shared.recordings)  # absolute: the render runs in another folder
    if shared.story:
        env["QUAKE_STORY"] = str(shared.story)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("COLUMNS", "160")  # readable, unwrapped log lines
    cmd = [
        sys.executable, "-m", "scenes.production.manim_render", "render", f"-q{shared.quality}",
        "--media_dir", str(job.work), str(shared.root / job.chapter.file), job.chapter.scene,
    ]
    job.log.parent.mkdir(parents=True, exist_ok=True)
    job.work.mkdir(parents=True, exist_ok=True)
    job.log_file = open(job.log, "w", encoding="utf-8")
    job.log_file.write(
        f"# {time.strftime('%Y-%m-%d %H:%M:%S')}  QUAKE_VOICE={shared.voice}  QUAKE_RECORDINGS={shared.recordings}"
        f"  QUAKE_STORY={shared.story or ''}\n# {' '.join(cmd)}\n"
    )
    job.log_file.flush()
    job.started = time.monotonic()
    job.proc = subprocess.Popen(
        cmd, cwd=shared.root, env=env, stdin=subprocess.DEVNULL, stdout=job.log_file,
        stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_set_pdeathsig if sys.platform.startswith("linux") else None,
    )


def _stop(job: RenderJob) -> None:
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


def last_error(log: Path) -> str:
    """The most telling line of a failed render's log."""
    try:
        lines = [ln.strip() for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "render failed"
    for ln in reversed(lines):
        if re.search(r"(Error|Exception)\b.*:", ln) and not ln.startswith("#"):
            return ln.strip("│ ").strip()
    return lines[-1][:200] if lines else "render failed"


def render_all(todo: list[RenderJob], shared: SharedInputs, jobs: int, progress: Progress,
               finish: Callable[[RenderJob, float], float]) -> list[ChapterFailure]:
    """Render ``todo``, at most ``jobs`` at once. ``finish(job, seconds)``
    turns a finished render into its clip and returns the clip's duration;
    it may raise. Returns the failures; on any exception (Ctrl-C, SIGTERM)
    every running render is ended first."""
    if not todo:
        progress.event(f"all {progress.total} chapter(s) up to date, nothing to render", [], [])
        progress.close()
        return []
    progress.log(f"[build] rendering {len(todo)} of {progress.total} chapter(s) at -q{shared.quality} "
                 f"({QUALITIES[shared.quality]}), voice {shared.voice}, {min(jobs, len(todo))} at a time")
    # Longest first (by the last render at this quality; never rendered first) packs parallel jobs best.
    pending = sorted(todo, key=lambda j: -(j.estimate if j.estimate is not None else float("inf")))
    running: list[RenderJob] = []
    failures: list[ChapterFailure] = []
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job = pending.pop(0)
                _start(job, shared)
                running.append(job)
                progress.event(f"rendering {job.stem}  (log: {display(job.log)})", pending, running)
            time.sleep(0.2)
            for job in list(running):
                code = job.proc.poll()
                if code is None:
                    continue
                running.remove(job)
                seconds = time.monotonic() - job.started
                _stop(job)  # closes the log
                progress.done += 1
                if code != 0:
                    failures.append(ChapterFailure(job.stem, job.log, f"manim exited with code {code}: {last_error(job.log)}"))
                    progress.event(f"FAILED {job.stem} after {fmt_time(seconds)}  (log: {display(job.log)})", pending, running)
                    continue
                try:
                    duration = finish(job, seconds)
                except Exception as exc:  # a broken or missing output file, a full disk
                    with open(job.log, "a", encoding="utf-8") as f:
                        f.write(f"\n# build: could not make the clip: {exc!r}\n")
                    failures.append(ChapterFailure(job.stem, job.log, f"could not make the clip: {exc}"))
                    progress.event(f"FAILED {job.stem}: could not make the clip", pending, running)
                    continue
                progress.event(f"done {job.stem} in {fmt_time(seconds)} ({duration:.1f} s of video)", pending, running)
            progress.tick(pending, running)
    finally:
        for job in running:  # interrupted (Ctrl-C, SIGTERM) or a bug: end the renders
            _stop(job)
        progress.close()
    return failures
