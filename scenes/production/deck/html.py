"""The offline HTML deck: one file with reveal.js, every slide video and
every caption track inside it.

manim-slides' own converter (``RevealJS`` of ``manim-slides convert``, with
``offline`` and ``one_file``) renders our template, `revealjs.html` (its
``--use-template`` option), and inlines reveal.js's CSS and scripts from
its cache (checked first by `assets.check_assets`: nothing is downloaded).
The template differs from manim-slides' default in what a lecture needs:
each slide's video is a ``<video>`` with a WebVTT ``<track>`` (a background
video cannot carry captions), sound on, a chapter menu and title.

The converter would put every video into its page as text and parse the
whole page again to inline reveal.js; for a 1080p video that is hundreds of
megabytes. So the template leaves markers (``@@media:NAME@@``,
``@@vtt:STEM@@``, ``@@title:STEM@@``, ``@@index:deck@@``) and `embed`
streams the small page into the final file, writing each video and caption
file as a base64 ``data:`` URL where its marker stands.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

from scenes.production.deck.assets import REVEAL_VERSION, check_assets
from scenes.production.deck.model import ChapterSlides, DeckError
from scenes.production.files import partial_name

__all__ = ["MARKER", "TEMPLATE", "embed", "write_html"]

TEMPLATE = Path(__file__).with_name("revealjs.html")
MARKER = re.compile(r"@@(media|vtt|title|index):([^@<>\"\s]*)@@")
_CHUNK = 3 * (1 << 20)  # bytes of a file base64-encoded at once (a multiple of 3: no padding inside)


def _write_data_url(out, path: Path, mime: str) -> None:
    out.write(f"data:{mime};base64,")
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            out.write(base64.b64encode(block).decode("ascii"))


def _index(chapters: Sequence[ChapterSlides], folder: Path) -> str:
    def thumb(ch: ChapterSlides) -> str:
        p = folder / ch.thumb
        return "data:image/jpeg;base64," + base64.b64encode(p.read_bytes()).decode("ascii") if ch.thumb and p.is_file() else ""

    data = {"chapters": [{"number": ch.number, "name": ch.name, "stem": ch.stem, "title": ch.title,
                          "thumb": thumb(ch), "slides": [Path(s.video).stem for s in ch.slides]}
                         for ch in chapters]}
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def embed(shell: str, dest: Path, chapters: Sequence[ChapterSlides], folder: Path) -> None:
    """Write ``shell`` (the converted page) to ``dest`` with every marker
    replaced by what it stands for; atomically."""
    titles = {Path(s.video).stem: ch.title for ch in chapters for s in ch.slides}
    captions = {Path(s.video).stem: s.captions for ch in chapters for s in ch.slides}
    tmp = partial_name(dest)
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            pos = 0
            for m in MARKER.finditer(shell):
                out.write(shell[pos:m.start()])
                pos = m.end()
                kind, name = m.group(1), m.group(2)
                if kind == "media":
                    if not (folder / name).is_file():
                        raise DeckError(f"slide video {folder / name} is missing")
                    _write_data_url(out, folder / name, "video/mp4")
                elif kind == "vtt":
                    _write_data_url(out, folder / captions[name], "text/vtt")
                elif kind == "title":
                    out.write(html.escape(titles[name]))
                else:
                    out.write(_index(chapters, folder))
            out.write(shell[pos:])
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_html(dest: Path, config, chapters: Sequence[ChapterSlides], folder: Path, title: str) -> Path:
    """Convert ``config`` (manim-slides' PresentationConfig of the deck) into
    the offline page ``dest``."""
    from manim_slides.convert import RevealJS

    check_assets()  # never let the converter reach for the CDN
    first = chapters[0]
    converter = RevealJS(
        presentation_configs=[config], template=TEMPLATE, offline=True, one_file=True,
        reveal_version=REVEAL_VERSION, title=title, width=first.width, height=first.height, margin=0.0,
        controls="true", progress="true", slide_number="c/t", hash="true", transition="none",
        background_transition="none", background_color=first.background,
    )
    shell_path = partial_name(dest.with_name(dest.stem + "-shell.html"))
    try:
        try:
            converter.convert_to(shell_path)
        except RuntimeError as exc:  # manim-slides: "Missing Reveal.js asset: ..."
            raise DeckError(f"{exc}: run `make setup` (tools/setup.sh installs reveal.js {REVEAL_VERSION})") from None
        shell = shell_path.read_text(encoding="utf-8")
    finally:
        shell_path.unlink(missing_ok=True)
    leftovers = re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="(https?://[^"]*)"', shell)
    if leftovers:
        raise DeckError(f"the page still loads {leftovers[0]}: reveal.js was not inlined")
    embed(shell, dest, chapters, folder)
    return dest
