"""What the build shows while it renders: chapters done of total, time
elapsed, time left, and manim's own progress for each running render.

The time left comes only from earlier renders of the same chapters at the
same quality (the ``render_seconds`` in each clip's stamp, which lives in
that quality's own folder). A chapter never rendered at this quality has no
estimate, and the display says so instead of guessing from other chapters
or other qualities.

On a terminal this is a live `rich` progress display; otherwise (a log
file, a pipe, or a ``log`` callback) it is one plain line per event.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from scenes.production.files import fmt_time

__all__ = ["Progress", "live_status", "time_left"]

Log = Callable[[str], None]
_ANIMATION = re.compile(r"(Animation \d+|Waiting \d+)[^\r\n|]*?:\s*(\d+)%")


def live_status(log: Path) -> str:
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


def time_left(pending: Sequence, running: Sequence, jobs: int, now: float) -> tuple[float | None, list[str]]:
    """(seconds left, stems without an estimate). Seconds is None when any
    remaining chapter has never been rendered at this quality."""
    unknown = [j.stem for j in [*running, *pending] if j.estimate is None]
    if unknown:
        return None, unknown
    work = sum(max(j.estimate - (now - j.started), 1.0) for j in running) + sum(j.estimate for j in pending)
    return work / max(1, min(jobs, len(pending) + len(running))), []


def left_text(seconds: float | None, unknown: Sequence[str], resolution: str) -> str:
    if seconds is not None:
        return f"~{fmt_time(seconds)} left"
    names = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more" if len(unknown) > 3 else "")
    return f"time left unknown: {names} never rendered at {resolution}"


class Progress:
    """Progress of one build's renders. ``log`` given: plain lines to it;
    else a live rich display on a terminal, plain lines elsewhere."""

    def __init__(self, total: int, done: int, jobs: int, resolution: str, log: Log | None = None,
                 heartbeat: float = 15.0) -> None:
        self.total, self.done, self.jobs, self.resolution = total, done, jobs, resolution
        self.t0 = time.monotonic()
        self.heartbeat = heartbeat
        self._last_beat = self.t0
        self._live = None
        if log is None:
            from rich.console import Console

            console = Console(highlight=False)
            if console.is_terminal:
                self._start_live(console)
            log = lambda line: console.print(line, markup=False, soft_wrap=True)  # noqa: E731
        self.log = log

    # -- rich -------------------------------------------------------------

    def _start_live(self, console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, SpinnerColumn, TextColumn, \
            TimeElapsedColumn

        self._live = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[left]}"), console=console, transient=True,
        )
        self._overall = self._live.add_task("chapters", total=self.total, completed=self.done, left="")
        self._tasks: dict[str, int] = {}
        self._live.start()

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    # -- events -----------------------------------------------------------

    def _status(self, pending, running) -> str:
        if not (pending or running):
            return "0:00 left"
        seconds, unknown = time_left(pending, running, self.jobs, time.monotonic())
        return left_text(seconds, unknown, self.resolution)

    def event(self, text: str, pending: Sequence, running: Sequence) -> None:
        left = self._status(pending, running)
        elapsed = fmt_time(time.monotonic() - self.t0)
        self.log(f"[build {self.done}/{self.total} done | {elapsed} elapsed | {left}] {text}")
        if self._live is not None:
            self._live.update(self._overall, completed=self.done, left=left)
            running_stems = {j.stem for j in running}
            for stem_, task in list(self._tasks.items()):
                if stem_ not in running_stems:
                    self._live.remove_task(task)
                    del self._tasks[stem_]
            for j in running:
                if j.stem not in self._tasks:
                    self._tasks[j.stem] = self._live.add_task(j.stem, total=None, left="")

    def tick(self, pending: Sequence, running: Sequence) -> None:
        """Called often while renders run: refresh the live display, and
        every ``heartbeat`` seconds write manim's status as a line."""
        now = time.monotonic()
        if self._live is not None:
            self._live.update(self._overall, left=self._status(pending, running))
            for j in running:
                if j.stem in self._tasks:
                    self._live.update(self._tasks[j.stem], description=f"{j.stem}: {live_status(j.log)}")
            return
        if running and now - self._last_beat >= self.heartbeat:
            self._last_beat = now
            self.event("rendering " + ", ".join(f"{j.stem}: {live_status(j.log)}" for j in running), pending, running)
