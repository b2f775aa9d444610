"""The PowerPoint deck (python-pptx): one slide per deck slide, its video
embedded (with its sound) over the whole slide and playing as the slide
opens, its first frame as the picture shown before, the narration in the
speaker notes, and the chapter's title as the slide's title (behind the
video: PowerPoint's outline, slide list and screen readers show it, the
audience sees the video).

This is what manim-slides' own PowerPoint converter writes, plus titles;
the auto-play timing uses its helper. The videos are stored in the file as
they are (a zip entry without compression: an mp4 does not compress, and
deflating it would take most of the time).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from scenes.production.deck.model import ChapterSlides
from scenes.production.files import partial_name

__all__ = ["SLIDE_WIDTH_EMU", "write_pptx"]

SLIDE_WIDTH_EMU = 12_192_000  # 13.333 in: PowerPoint's widescreen slide
_TITLE_ONLY = 5  # the default template's "Title Only" layout


@contextmanager
def _media_stored() -> Iterator[None]:
    """While saving: python-pptx's zip writer stores ``ppt/media/*`` without
    deflating (its ``_ZipPkgWriter.write``, python-pptx 1.0; if that ever
    changes, the file is written as python-pptx does by default)."""
    from pptx.opc import serialized

    writer = getattr(serialized, "_ZipPkgWriter", None)
    original = getattr(writer, "write", None)
    if original is None:
        yield
        return

    def write(self, pack_uri, blob) -> None:
        if pack_uri.membername.startswith("ppt/media/"):
            self._zipf.writestr(pack_uri.membername, blob, compress_type=zipfile.ZIP_STORED)
        else:
            original(self, pack_uri, blob)

    writer.write = write
    try:
        yield
    finally:
        writer.write = original


def write_pptx(dest: Path, chapters: Sequence[ChapterSlides], folder: Path, title: str) -> Path:
    """Write the PowerPoint file ``dest`` atomically."""
    from manim_slides.convert import _auto_play_pptx_media
    from pptx import Presentation
    from pptx.util import Emu, Pt

    first = chapters[0]
    prs = Presentation()
    prs.core_properties.title = title
    width = Emu(SLIDE_WIDTH_EMU)
    height = Emu(round(SLIDE_WIDTH_EMU * first.height / first.width))
    prs.slide_width, prs.slide_height = width, height
    layout = prs.slide_layouts[_TITLE_ONLY]
    for ch in chapters:
        for s in ch.slides:
            slide = prs.slides.add_slide(layout)
            head = slide.shapes.title
            head.text = ch.title
            head.left, head.top, head.width, head.height = Emu(0), Emu(0), width, Emu(height // 8)
            head.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
            movie = slide.shapes.add_movie(str(folder / s.video), 0, 0, width, height,
                                           poster_frame_image=str(folder / s.poster), mime_type="video/mp4")
            _auto_play_pptx_media(movie)
            if s.text:
                slide.notes_slide.notes_text_frame.text = s.text
    tmp = partial_name(dest)
    try:
        with _media_stored():
            prs.save(str(tmp))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
