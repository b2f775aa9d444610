"""The beats manifest: what a render actually said, and when.

Every narrated render writes ``<Scene>.beats.json`` beside manim's movie file
``<Scene>.mp4`` (shared contract 2)::

    {"format": 1, "scene": "Mystery", "file": "scenes/ch01_mystery.py", "voice": "joe",
     "beats": [{"index": 0, "id": "here-is-a-surface-that-will-not-1a2b3c4d",
                "text": "Here is a surface that will not sit still. ...",
                "start": 0.0, "duration": 4.2,
                "recording": "here-is-a-surface-that-will-not-1a2b3c4d.wav", "recorded": false}]}

one beat per ``with self.voiceover(...)`` block in the order spoken: ``start``
is the scene's video time (seconds) when the block's sound starts,
``duration`` its sound's length, ``text`` the words without bookmarks. The
file is written under a temporary name, then moved into place. The build
copies it beside each clip; the storyboard, the deck and the narration script
read it. The narration script's fast runs add ``"dry_run": true`` (silent
voice, times from the text's length) and ``"inputs"`` (what they were made
from).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scenes.kit.narration._common import NarrationError
from scenes.kit.narration.blocks import block_id, plain_text

__all__ = ["MANIFEST_FORMAT", "Beat", "BeatRecorder", "BeatsManifest", "manifest_path", "read_manifest",
           "write_manifest"]

MANIFEST_FORMAT = 1
_BEAT_KEYS = ("index", "id", "text", "start", "duration", "recording", "recorded")


@dataclass(frozen=True)
class Beat:
    """One voiceover block as spoken."""

    index: int
    id: str
    text: str  # without bookmarks, whitespace collapsed
    start: float  # scene video time (s) when the block's sound starts
    duration: float  # length of the block's sound (s)
    recording: str  # file name a recording of this block must have
    recorded: bool  # a recording was used instead of the synthetic voice

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass
class BeatsManifest:
    """All beats of one render of one scene."""

    scene: str
    file: str  # the scene's source file, from the project root when inside it
    voice: str
    beats: list[Beat] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # e.g. "dry_run", "inputs"

    def to_dict(self) -> dict:
        return {"format": MANIFEST_FORMAT, "scene": self.scene, "file": self.file, "voice": self.voice,
                **self.extra, "beats": [asdict(b) for b in self.beats]}

    @classmethod
    def from_dict(cls, data: dict) -> "BeatsManifest":
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"not a format-{MANIFEST_FORMAT} beats manifest")
        beats = [Beat(**{k: b[k] for k in _BEAT_KEYS}) for b in data["beats"]]
        extra = {k: v for k, v in data.items() if k not in ("format", "scene", "file", "voice", "beats")}
        return cls(data["scene"], data["file"], data["voice"], beats, extra)


def manifest_path(movie: str | os.PathLike[str]) -> Path:
    """``<Scene>.beats.json`` beside a movie file ``<Scene>.mp4``."""
    movie = Path(movie)
    return movie.with_name(f"{movie.stem}.beats.json")


def write_manifest(path: str | os.PathLike[str], manifest: BeatsManifest) -> Path:
    """Write ``manifest`` to ``path`` atomically (temporary name, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(manifest.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_manifest(path: str | os.PathLike[str]) -> BeatsManifest:
    """Read a manifest; a missing or damaged file raises `NarrationError` naming it."""
    path = Path(path)
    try:
        return BeatsManifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise NarrationError(f"Beats manifest {path} does not exist: render the scene first.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NarrationError(f"Beats manifest {path} cannot be read ({exc}): render the scene again.") from None


class BeatRecorder:
    """Collects the beats of one render as the scene speaks them."""

    def __init__(self, scene: str, file: str, voice: str) -> None:
        self.manifest = BeatsManifest(scene, file, voice)

    @property
    def beats(self) -> list[Beat]:
        return self.manifest.beats

    def add(self, text: str, start: float, duration: float, recorded: bool) -> Beat:
        beat = Beat(
            index=len(self.manifest.beats),
            id=block_id(text),
            text=plain_text(text),
            start=round(float(start), 6),
            duration=round(float(duration), 6),
            recording=f"{block_id(text)}.wav",
            recorded=bool(recorded),
        )
        self.manifest.beats.append(beat)
        return beat
