"""The narration script: every block the scenes say, with its recording's name.

The blocks come from what the scenes really say, not from their source text:
each scene is dry-run (`scenes.kit.narration.dryrun`: no frames, silent
voice), which records its beats manifest, f-strings and texts built at run
time included. Results are kept in ``media/narration/`` with the files they
were made from and re-used while those are unchanged, so a second
``make script`` takes seconds.

    python -m scenes.kit.narration script                  # -> media/narration_script.md
    python -m scenes.kit.narration script map final -o -   # some chapters, to stdout
    python -m scenes.kit.narration script examples/x.py    # every narrated scene of a file
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from scenes.kit.narration._common import PROJECT_ROOT, NarrationError, shown
from scenes.kit.narration.beats import BeatsManifest
from scenes.kit.narration.dryrun import inputs_are_current, run_target
from scenes.kit.narration.recordings import check_recording, check_recordings, recordings_dir, recordings_source

__all__ = ["DEFAULT_CACHE", "DEFAULT_OUT", "Part", "Script", "Target", "add_parser", "collect", "export_script",
           "parse_targets", "run", "script_markdown"]

DEFAULT_OUT = PROJECT_ROOT / "media" / "narration_script.md"
DEFAULT_CACHE = PROJECT_ROOT / "media" / "narration"


@dataclass(frozen=True)
class Target:
    """What to dry-run: a scene of a file (``scene=None``: all of its
    narrated scenes), with a title for the sheet."""

    file: str  # from the project root when inside it, else absolute
    scene: str | None = None
    title: str = ""

    @property
    def key(self) -> str:
        path = Path(self.file)
        stem = path.stem if not path.is_absolute() else f"{path.stem}-{hashlib.sha1(self.file.encode()).hexdigest()[:8]}"
        return f"{stem}.{self.scene or 'all'}"


@dataclass
class Part:
    """The collected beats of one target."""

    target: Target
    manifests: list[BeatsManifest]
    reused: bool = False
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return sum(len(m.beats) for m in self.manifests)


@dataclass
class Script:
    parts: list[Part] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(p.count for p in self.parts)


def parse_targets(args: Sequence[str]) -> list[Target]:
    """Chapter names or numbers, ``FILE.py`` or ``FILE.py:Scene``; none: all chapters."""
    from scenes.chapters import CHAPTERS

    if not args:
        return [Target(c.file, c.scene, f"{c.number}. {c.title}") for c in CHAPTERS]
    by_key = {c.name: c for c in CHAPTERS} | {str(c.number): c for c in CHAPTERS}
    out = []
    for arg in args:
        if arg in by_key:
            c = by_key[arg]
            out.append(Target(c.file, c.scene, f"{c.number}. {c.title}"))
            continue
        file, _, scene = arg.partition(":")
        path = Path(file).expanduser().resolve()
        if not file.endswith(".py") or not path.is_file():
            names = ", ".join(c.name for c in CHAPTERS)
            raise NarrationError(f"{arg!r} is neither a chapter ({names}) nor a Python file "
                                 "(FILE.py or FILE.py:Scene).")
        out.append(Target(shown(path), scene or None, shown(path) + (f" ({scene})" if scene else "")))
    return out


def _cache_file(cache: Path, t: Target) -> Path:
    return cache / f"{t.key}.json"


def _reuse(cache: Path, t: Target) -> Part | None:
    try:
        data = json.loads(_cache_file(cache, t).read_text(encoding="utf-8"))
        if not inputs_are_current(data["inputs"]):
            return None
        return Part(t, [BeatsManifest.from_dict(m) for m in data["manifests"]], True, data.get("seconds", 0.0))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _previous_seconds(cache: Path, t: Target) -> float:
    try:
        return float(json.loads(_cache_file(cache, t).read_text(encoding="utf-8")).get("seconds", 0.0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0.0


def _store(cache: Path, t: Target, result: dict) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    path = _cache_file(cache, t)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def collect(targets: Sequence[Target], *, jobs: int | None = None, cache: Path | None = DEFAULT_CACHE,
            log: Callable[[str], None] = lambda line: None) -> Script:
    """The beats of every target, in the given order: re-used from ``cache``
    while current, else dry-run in ``jobs`` worker processes (default: one
    per core). Raises `NarrationError` naming the scene if a run fails."""
    parts: dict[Target, Part] = {}
    todo = []
    for t in targets:
        part = _reuse(cache, t) if cache is not None else None
        if part is not None:
            parts[t] = part
        else:
            todo.append(t)
    if todo:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        log(f"Running {len(todo)} scene(s) without pictures or speech to collect their narration "
            f"({jobs} at a time)...")
        if cache is not None:  # longest first (as last time), so the workers finish together
            todo.sort(key=lambda t: -_previous_seconds(cache, t))
        failures = []
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            futures = {pool.submit(run_target, t.file, t.scene): t for t in todo}
            for fut in as_completed(futures):
                t = futures[fut]
                result = fut.result()
                if "error" in result:
                    failures.append(f"{t.title or t.file} ({t.file}):\n{result['error']}")
                    log(f"  {t.title or t.file}: FAILED")
                    continue
                if cache is not None:
                    _store(cache, t, result)
                part = Part(t, [BeatsManifest.from_dict(m) for m in result["manifests"]], False,
                            result["seconds"])
                parts[t] = part
                log(f"  {t.title or t.file}: {part.count} blocks ({part.seconds:.1f} s)")
        if failures:
            raise NarrationError("Collecting the narration of " + "\n\n".join(failures)
                                 + "\nFix the scene (it fails the same way in a render), then run the script again: "
                                   "the scenes that worked are re-used.")
    return Script([parts[t] for t in targets])


def script_markdown(script: Script, folder: Path, folder_source: str = "the recordings folder") -> str:
    """The narration sheet (Markdown) of ``script`` for the recordings ``folder``."""
    problems = ""
    try:
        usable = {p.name for p in check_recordings(folder, folder_source)}
    except NarrationError as exc:
        problems = str(exc)
        usable = {p.name for p in folder.glob("*.wav") if check_recording(p) is None}
    beats = [b for p in script.parts for m in p.manifests for b in m.beats]
    n_rec = sum(b.recording in usable for b in beats)
    lines = [
        "# Narration script",
        "",
        f"Every voiceover block the scenes say, in story order: {len(beats)} blocks.",
        f"Recordings folder: `{shown(folder)}` ({n_rec} of {len(beats)} blocks recorded).",
        "",
        "To narrate in your own voice, record each block as a WAV file (16-bit PCM,",
        "mono or stereo, any sample rate) named exactly as shown and put it in the",
        "recordings folder. The next render uses your recording instead of the",
        "synthetic voice. If the words of a block change, its name changes and it",
        "needs a new recording.",
        "",
    ]
    for part in script.parts:
        for m in part.manifests:
            title = part.target.title if len(part.manifests) == 1 else f"{part.target.title} {m.scene}"
            lines += [f"## {title}", "", f"`{m.file}`, scene `{m.scene}`: {len(m.beats)} blocks.", ""]
            prefix = title.split(".")[0] if title[:1].isdigit() else ""
            for b in m.beats:
                status = "recorded" if b.recording in usable else "not recorded yet"
                number = f"{prefix}.{b.index + 1}" if prefix else f"{b.index + 1}"
                lines += [f"### {number}", "", f"- file: `{b.recording}` ({status})", "", f"> {b.text}", ""]
    orphans = sorted(usable - {b.recording for b in beats})
    if orphans:
        lines += ["## Recordings that match no block (words changed?)", ""]
        lines += [f"- `{name}`" for name in orphans] + [""]
    if problems:
        lines += ["## Recordings that cannot be used", "", "```", problems, "```", ""]
    return "\n".join(lines)


def export_script(targets: Sequence[Target] | None = None, out: str | os.PathLike[str] | None = DEFAULT_OUT,
                  recordings: str | os.PathLike[str] | None = None, *, jobs: int | None = None,
                  cache: Path | None = DEFAULT_CACHE, log: Callable[[str], None] = lambda line: None) -> Script:
    """Collect the beats of ``targets`` (default: every chapter) and write the
    sheet to ``out`` (``None`` or ``"-"``: stdout), atomically. Returns the
    collected script."""
    script = collect(parse_targets([]) if targets is None else targets, jobs=jobs, cache=cache, log=log)
    text = script_markdown(script, recordings_dir(recordings), recordings_source(recordings))
    if out is None or str(out) == "-":
        sys.stdout.write(text)
    else:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return script


# --------------------------------------------------------------------------
# Command line: `python -m scenes script` and `python -m scenes.kit.narration script`
# --------------------------------------------------------------------------


def add_parser(sub):
    """Add the ``script`` command to argparse subparsers ``sub``."""
    p = sub.add_parser(
        "script", help="write the narration script: every block the scenes say, with its recording's file name",
        description="Write the narration script: every voiceover block the scenes say, in story order, with the "
                    "file name its recording needs and whether it exists. Each scene is run quickly without "
                    "pictures or speech; results are re-used while its files and the story are unchanged.")
    p.add_argument("targets", nargs="*",
                   help="chapter names or numbers, FILE.py (its narrated scenes) or FILE.py:Scene "
                        "(default: every chapter, in story order)")
    p.add_argument("-o", "--out", default=str(DEFAULT_OUT),
                   help=f"output file, '-' for stdout (default: {shown(DEFAULT_OUT)})")
    p.add_argument("--jobs", type=int, default=None, help="scenes run at a time (default: one per core)")
    p.add_argument("--fresh", action="store_true", help="run every scene again, re-use nothing")
    p.add_argument("--recordings", default=None,
                   help="recordings folder (default: $QUAKE_RECORDINGS or recordings/)")
    return p


def run(args) -> int:
    """Run the ``script`` command; the exit code (2: bad input or a scene failed)."""
    import time

    start = time.monotonic()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        if args.jobs is not None and args.jobs < 1:
            raise NarrationError(f"--jobs must be 1 or more, not {args.jobs}.")
        script = export_script(parse_targets(args.targets), args.out, args.recordings, jobs=args.jobs,
                               cache=None if args.fresh else DEFAULT_CACHE, log=log)
    except NarrationError as exc:
        log(str(exc))
        return 2
    except KeyboardInterrupt:
        log("Interrupted: nothing was written.")
        return 130
    counts = ", ".join(f"{p.target.title.split('.')[0] if p.target.title[:1].isdigit() else p.target.file}: "
                       f"{p.count}" for p in script.parts)
    reused = sum(p.reused for p in script.parts)
    where = "stdout" if args.out == "-" else shown(Path(args.out))
    log(f"{script.count} voiceover blocks ({counts}) written to {where} in {time.monotonic() - start:.1f} s"
        + (f"; {reused} of {len(script.parts)} re-used from {shown(DEFAULT_CACHE)}/" if reused else ""))
    return 0
