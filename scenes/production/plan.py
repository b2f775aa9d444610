"""Before any render: choose the chapters, check every input, and decide
which chapters must render.

Every problem a user can cause (a chapter name, the quality, the voice, the
recordings folder, the story file, an output folder that cannot be written)
is found here, before the first render starts, as a `BuildInputError` that
names the option, file or folder and the fix.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenes.production.errors import BuildInputError
from scenes.production.files import read_json
from scenes.production.inputs import (
    SharedInputs, chapter_inputs_hash, clip_hash, recordings_state, shared_inputs,
)
from scenes.production.outputs import QUALITIES, Outputs

__all__ = [
    "ClipState", "check_files", "check_quality", "check_writable", "clip_state", "narration_preflight",
    "prepare", "recordings_folder", "select",
]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
VOICE_ENV = "QUAKE_VOICE"


# --------------------------------------------------------------------------
# Chapters, quality, files
# --------------------------------------------------------------------------


def select(chapters: Sequence, only: Iterable[str] | None) -> list:
    """The chapters to build, in story order; ``only`` names some of them."""
    chapters = list(chapters)
    if not chapters:
        raise BuildInputError("The chapter list is empty: nothing to build.")
    names: set[str] = set()
    numbers: set[int] = set()
    for c in chapters:
        if not _NAME_RE.match(c.name):
            raise BuildInputError(f"Chapter {c.number}: name {c.name!r} must be letters, digits, '-' or '_'.")
        if c.name in names or c.number in numbers:
            raise BuildInputError(f"Chapter {c.number} {c.name!r}: its number or name is used twice.")
        names.add(c.name)
        numbers.add(c.number)
    if only is None:
        return chapters
    wanted = list(only)
    if not wanted:
        raise BuildInputError("--only needs at least one chapter name.")
    unknown = [w for w in wanted if w not in names]
    if unknown:
        valid = "\n".join(f"  {c.name:<16} {c.number:>2}. {c.title}" for c in chapters)
        raise BuildInputError(f"Unknown chapter name(s): {', '.join(map(repr, unknown))}. Valid names:\n{valid}")
    return [c for c in chapters if c.name in wanted]  # story order, no duplicates


def check_quality(quality: str) -> str:
    if quality not in QUALITIES:
        choices = "\n".join(f"  {k}  {v}" for k, v in QUALITIES.items())
        raise BuildInputError(f"Unknown quality {quality!r}. Choose one of:\n{choices}")
    return quality


def _defines(path: Path, name: str) -> bool:
    """Whether the module at ``path`` binds ``name`` at top level (class,
    import or assignment), read with ``ast`` so nothing is imported."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
    return False


def check_files(chapters: Sequence, root: Path) -> None:
    problems = []
    for c in chapters:
        path = root / c.file
        if not path.is_file():
            problems.append(f"chapter {c.number} {c.name!r}: file {c.file} does not exist")
            continue
        try:
            if not _defines(path, c.scene):
                problems.append(f"chapter {c.number} {c.name!r}: {c.file} defines no {c.scene}")
        except SyntaxError as exc:
            problems.append(f"chapter {c.number} {c.name!r}: {c.file} line {exc.lineno}: {exc.msg}")
    if problems:
        raise BuildInputError("Cannot build:\n  " + "\n  ".join(problems))


def check_writable(folders: Iterable[Path]) -> None:
    """Create each folder if needed and write a file in it: a folder the
    build cannot write is reported now, with its path, not after a render."""
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            what = "is not a folder" if folder.exists() and not folder.is_dir() else "cannot be written"
            raise BuildInputError(
                f"Output folder {folder} {what} ({exc.strerror or exc}). Fix its permissions, remove what is in "
                "the way, or choose another media folder with --media-dir."
            ) from None


# --------------------------------------------------------------------------
# Voice, recordings, story
# --------------------------------------------------------------------------


def recordings_folder() -> Path:
    """``QUAKE_RECORDINGS`` resolved against the current folder (the user's),
    else ``<project>/recordings``: the renders get this absolute path, so a
    relative setting means the same folder in every render as here."""
    from scenes.kit.narration import recordings_dir

    return recordings_dir(None, base=Path.cwd())


def narration_preflight(voice: str | None, source: str):
    """Check the voice and every recording with the narration pre-flight
    (shared contract 3) and return its ``VoiceSpec``."""
    from scenes.kit.narration import preflight

    try:
        return preflight(voice, None, source=source, base=Path.cwd())
    except ValueError as exc:  # NarrationError is a ValueError
        raise BuildInputError(str(exc)) from None


def story_file() -> Path | None:
    """Validate the story settings now (not in every render); return the
    absolute path of the ``QUAKE_STORY`` file, if one is set."""
    from quake_math.settings import STORY_ENV, StoryError, load_story

    value = os.environ.get(STORY_ENV) or None
    try:
        load_story(value)
    except StoryError as exc:
        raise BuildInputError(f"Story settings: {exc}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildInputError(f"Story file {value} (from ${STORY_ENV}): {exc}") from None
    return Path(value).resolve() if value else None


def voice_source(voice: str | None) -> str:
    if voice is not None:
        return "--voice option"
    if os.environ.get(VOICE_ENV, "").strip():
        return f"{VOICE_ENV} environment variable"
    return "default voice"


def prepare(root: Path, quality: str, voice: str | None, source: str | None) -> SharedInputs:
    """Check voice, recordings and story; read what all chapters share."""
    spec = narration_preflight(voice, source or voice_source(voice))
    recordings = recordings_folder()
    story = story_file()
    return shared_inputs(root, quality, spec, recordings, story)


# --------------------------------------------------------------------------
# Is a chapter's clip current?
# --------------------------------------------------------------------------


@dataclass
class ClipState:
    chapter: object
    inputs_hash: str
    stamp: dict
    current: bool
    estimate: float | None  # seconds of the last render at this quality, if any


def beat_recordings(beats_file: Path) -> list[str] | None:
    """The recording file names a render's voiceover blocks looked for, from
    its beats manifest; None if there is no readable manifest."""
    beats = read_json(beats_file).get("beats")
    if not isinstance(beats, list):
        return None
    names = [b.get("recording") for b in beats if isinstance(b, dict)]
    return [n for n in names if isinstance(n, str) and n] if all(names) else None


def _same_file(path: Path, entry) -> bool:
    if entry is None:
        return not path.exists()
    return path.is_file() and isinstance(entry, dict) and path.stat().st_size == entry.get("bytes")


def clip_state(ch, shared: SharedInputs, out: Outputs) -> ClipState:
    """Whether ``out``'s clip of ``ch`` was made from today's inputs and is
    intact: its stamp's hash matches (sources, settings and the recordings
    its blocks use) and every file beside it (mp4, srt, vtt, beats) is the
    one the stamp recorded."""
    inputs = chapter_inputs_hash(ch, shared)
    stamp = read_json(out.clip_file(ch, ".json"))
    estimate = stamp.get("render_seconds") if stamp.get("quality") == shared.quality else None
    estimate = float(estimate) if isinstance(estimate, (int, float)) else None
    current = False
    if stamp.get("inputs_hash") == inputs and isinstance(stamp.get("recordings"), dict):
        names = [n for n in stamp["recordings"] if n != "*"]
        state = recordings_state(shared.recordings, None if "*" in stamp["recordings"] else names)
        files = stamp.get("files") or {}
        current = (
            stamp.get("hash") == clip_hash(inputs, state)
            and all(_same_file(out.clip_file(ch, sfx), files.get(sfx, False))
                    for sfx in (".mp4", ".srt", ".vtt", ".beats.json"))
        )
    return ClipState(ch, inputs, stamp, current, estimate)
