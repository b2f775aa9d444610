"""The deck in manim-slides' own format: ``lecture/slides/<deck>.json``, a
``PresentationConfig`` whose slides point at the slide videos under
``lecture/slides/files/<deck>/``, with paths relative to ``lecture/`` (as
``manim-slides render`` writes them: the folder can move as a whole).

It is made with manim-slides' own models (`SlideConfig`,
`PresentationConfig`) and checked by loading the written file back with
``PresentationConfig.from_file``, as ``manim-slides present`` and
``manim-slides convert`` do::

    manim-slides present --folder media/lecture/slides earthquakes
    manim-slides convert --folder media/lecture/slides earthquakes deck.html --offline --one-file

Each slide's notes are its narration. Reversed videos (manim-slides'
"play backwards" key) are not made: ``rev_file`` is the slide itself, as
``manim-slides render --skip-reversing`` does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from scenes.production.deck.model import ChapterSlides, DeckError, DeckFiles
from scenes.production.files import write_json_atomic

__all__ = ["load_config", "write_config"]


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path, base)).as_posix()


def write_config(deck: DeckFiles, chapters: Sequence[ChapterSlides], folder: Path):
    """Write ``deck.config`` for the slides of ``chapters`` (their files in
    ``folder``) and return it as loaded back by manim-slides."""
    from manim_slides.config import PresentationConfig, SlideConfig

    first = chapters[0]
    slides = []
    for ch in chapters:
        for s in ch.slides:
            video = (folder / s.video).resolve()
            slides.append(SlideConfig(file=video, rev_file=video, notes=s.text, dedent_notes=False))
    config = PresentationConfig(slides=slides, resolution=(first.width, first.height),
                                background_color=first.background)
    data = json.loads(config.model_dump_json())
    base = deck.folder.resolve()  # manim-slides reads paths relative to the slides folder's parent
    for entry in data["slides"]:
        entry["file"] = _relative(Path(entry["file"]), base)
        entry["rev_file"] = _relative(Path(entry["rev_file"]), base)
    deck.slides_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(deck.config, data)
    return load_config(deck.config)


def load_config(path: Path):
    """``PresentationConfig.from_file(path)``; a file manim-slides rejects raises `DeckError`."""
    from manim_slides.config import PresentationConfig
    from pydantic import ValidationError

    try:
        return PresentationConfig.from_file(path)
    except (OSError, ValueError, ValidationError) as exc:
        raise DeckError(f"manim-slides cannot read {path}: {exc}") from None
