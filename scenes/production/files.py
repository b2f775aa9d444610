"""Small file helpers shared by the build's modules: atomic writes (a
temporary sibling, then ``os.replace``), JSON stamps, paths and times for
people to read."""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["PARTIAL", "display", "fmt_time", "partial_name", "read_json", "remove_stale_partials", "write_text_atomic"]

#: Marks a file being written; a finished file never carries it.
PARTIAL = ".partial-"


def partial_name(path: Path) -> Path:
    """A temporary sibling of ``path`` (same suffix, so formats are guessed)."""
    return path.with_name(f".{path.stem}{PARTIAL}{os.getpid()}{path.suffix}")


def remove_stale_partials(*folders: Path) -> None:
    """Remove temporary files left by a build that was killed (SIGKILL)."""
    for folder in folders:
        if folder.is_dir():
            for p in folder.glob(f".*{PARTIAL}*"):
                if p.is_file() or p.is_symlink():
                    p.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    tmp = partial_name(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def read_json(path: Path) -> dict:
    """The JSON object in ``path``; ``{}`` if missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def display(path: Path) -> str:
    """``path`` relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def fmt_time(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``, rounded to the second."""
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
