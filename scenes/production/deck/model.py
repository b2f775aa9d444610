"""What a deck is made of: its names and folders, one slide, one chapter's
slides, and the errors the deck command reports.

A deck lives in a build's ``lecture/`` folder (`Outputs.lecture_dir`)::

    lecture/earthquakes.html                the offline deck (reveal.js inside)
    lecture/earthquakes.pptx                PowerPoint: a video per slide, notes
    lecture/slides/earthquakes.json         manim-slides' presentation file
    lecture/slides/files/earthquakes/       one mp4 (+ .vtt, .jpg) per slide
    lecture/earthquakes-silent.*            the same without narration (--silent)

A ``--only`` deck whose other chapters have no current clip is written as
``earthquakes.partial.*`` (like the build's partial video), never under the
whole deck's name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

from scenes.production.outputs import VIDEO_NAME, Outputs

__all__ = ["DECK_FORMAT", "ChapterSlides", "DeckError", "DeckFiles", "DeckInputError", "Slide", "deck_files",
           "files_dir", "variant"]

#: Bump when the slides a chapter gives change, to cut every chapter again.
DECK_FORMAT = 1


class DeckInputError(ValueError):
    """Something the deck needs is missing (a set-up step, a build); the
    message names it and the command that provides it. Found before any
    long work."""


class DeckError(RuntimeError):
    """Making the deck failed; the previous deck files were left as they were."""


@dataclass
class Slide:
    """One slide: a slice of a chapter clip, whole frames ``[first, first + frames)``."""

    index: int  # within the chapter, from 0
    first: int  # first frame in the clip
    frames: int
    fps: str  # a fraction, e.g. "60" or "30000/1001"
    beats: list[int]  # indices of the narration beats it holds (several when a short one joined)
    text: str  # the narration of those beats: the speaker notes
    video: str = ""  # file name in the chapter's slide folder
    captions: str = ""  # its WebVTT file name
    poster: str = ""  # its first frame (JPEG), the PowerPoint thumbnail
    has_audio: bool = True

    @property
    def rate(self) -> Fraction:
        return Fraction(self.fps)

    @property
    def start(self) -> float:
        return float(self.first / self.rate)

    @property
    def end(self) -> float:
        return float((self.first + self.frames) / self.rate)


@dataclass
class ChapterSlides:
    """One chapter's slides and what they were cut from."""

    number: int
    name: str
    stem: str  # NN-name
    title: str
    clip: str  # the clip's file name
    source: dict  # what the slides were made from (reuse key)
    width: int
    height: int
    background: str  # "#rrggbb", the clip's background colour
    poster_time: float  # when the chapter's poster frame was taken (s)
    beats_from: str  # ".beats.json", ".srt" (an old build without beats) or "none"
    thumb: str = ""  # a small JPEG of the poster, for the deck's chapter menu
    slides: list[Slide] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ChapterSlides":
        data = dict(data)
        data["slides"] = [Slide(**s) for s in data.get("slides", [])]
        return cls(**data)


@dataclass(frozen=True)
class DeckFiles:
    """The files of one deck (narrated or silent, whole or partial)."""

    folder: Path  # lecture/
    name: str  # earthquakes, earthquakes-silent, earthquakes.partial, ...

    @property
    def html(self) -> Path:
        return self.folder / f"{self.name}.html"

    @property
    def pptx(self) -> Path:
        return self.folder / f"{self.name}.pptx"

    @property
    def slides_dir(self) -> Path:
        """manim-slides' folder (``--folder`` of ``manim-slides present``)."""
        return self.folder / "slides"

    @property
    def config(self) -> Path:
        """manim-slides' presentation file."""
        return self.slides_dir / f"{self.name}.json"


def variant(silent: bool) -> str:
    """``earthquakes`` or ``earthquakes-silent``: also the folder of its slide files."""
    return f"{VIDEO_NAME}-silent" if silent else VIDEO_NAME


def deck_files(out: Outputs, *, silent: bool = False, partial: bool = False) -> DeckFiles:
    return DeckFiles(out.lecture_dir, variant(silent) + (".partial" if partial else ""))


def files_dir(out: Outputs, silent: bool) -> Path:
    """Where the slide files of one variant live (shared by whole and partial decks)."""
    return out.lecture_dir / "slides" / "files" / variant(silent)
