"""Storyboard sheets: printable A4 pages, two columns of frames with the
words spoken under each.

A page is 1920 x 2715 pixels (A4 portrait at 232 dpi): frames 890 pixels
wide, so a 1080p frame keeps about half its size and its labels stay
readable on screen and on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["PAGE_DPI", "PAGE_H", "PAGE_W", "TILE_W", "Cell", "Placement", "render_sheets", "wrap", "write_pdf"]

PAGE_W = 1920
PAGE_H = round(PAGE_W * 297 / 210)  # A4 proportions
PAGE_DPI = PAGE_W / (210 / 25.4)  # A4 width in inches
MARGIN = 50
GUTTER = 40
TILE_W = (PAGE_W - 2 * MARGIN - GUTTER) // 2
HEADER_H = 120
FOOTER_H = 50
ROW_GAP = 40
STAMP_SIZE, WORDS_SIZE, TITLE_SIZE, SUB_SIZE = 26, 28, 44, 26
WORDS_LINE = 36
INK, GREY, PAPER = (17, 17, 17), (90, 90, 90), (255, 255, 255)
RED, AMBER = (192, 41, 43), (176, 112, 0)

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu",
              "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")


@lru_cache(maxsize=None)
def font(size: int, bold: bool = False):
    """DejaVu Sans (installed by `make setup`), else Pillow's built-in font."""
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@dataclass(frozen=True)
class Cell:
    """One frame and what is said over it."""

    image: object  # PIL image, TILE_W wide (resized if not)
    stamp: str  # e.g. "0:13.7  ·  cue 4, 0:12.9-0:14.6"
    words: str
    tag: str = ""  # e.g. "still 8.3 s"
    tag_level: int = 0  # 0 none, 1 over the listing threshold, 2 flagged


@dataclass(frozen=True)
class Placement:
    """Where a cell landed: page number (0-based) and the frame's box."""

    page: int
    x: int
    y: int
    w: int
    h: int
    lines: tuple[str, ...]


def wrap(text: str, width: float, fnt) -> list[str]:
    """Greedy word wrap to ``width`` pixels (a word longer than a line stays whole)."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if line and fnt.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return [ln for ln in lines if ln] or [""]


def _frame_h(image) -> int:
    w, h = image.size
    return round(TILE_W * h / w)


def layout(cells: Sequence[Cell]) -> list[Placement]:
    """Two cells a row, rows top to bottom, a new page when a row would not fit."""
    words_font = font(WORDS_SIZE)
    out: list[Placement] = []
    page, y = 0, MARGIN + HEADER_H
    bottom = PAGE_H - MARGIN - FOOTER_H
    for r in range(0, len(cells), 2):
        row = cells[r:r + 2]
        wrapped = [tuple(wrap(c.words, TILE_W, words_font)) for c in row]
        heights = [_frame_h(c.image) + 12 + STAMP_SIZE + 12 + len(ls) * WORDS_LINE for c, ls in zip(row, wrapped)]
        row_h = max(heights)
        if y + row_h > bottom and y > MARGIN + HEADER_H:
            page, y = page + 1, MARGIN + HEADER_H
        for col, (c, ls) in enumerate(zip(row, wrapped)):
            out.append(Placement(page, MARGIN + col * (TILE_W + GUTTER), y, TILE_W, _frame_h(c.image), ls))
        y += row_h + ROW_GAP
    return out


def render_sheets(cells: Sequence[Cell], title: str, subtitle: str, footer: str) -> tuple[list, list[Placement]]:
    """The pages (PIL images) and where each cell's frame is on them."""
    from PIL import Image, ImageDraw

    places = layout(cells)
    n_pages = max((p.page for p in places), default=0) + 1
    pages = [Image.new("RGB", (PAGE_W, PAGE_H), PAPER) for _ in range(n_pages)]
    for k, page in enumerate(pages):
        d = ImageDraw.Draw(page)
        d.text((MARGIN, MARGIN), title, font=font(TITLE_SIZE, True), fill=INK)
        d.text((MARGIN, MARGIN + TITLE_SIZE + 18), subtitle, font=font(SUB_SIZE), fill=GREY)
        d.line([(MARGIN, MARGIN + HEADER_H - 16), (PAGE_W - MARGIN, MARGIN + HEADER_H - 16)], fill=GREY, width=2)
        d.text((MARGIN, PAGE_H - MARGIN - SUB_SIZE), f"{footer}  ·  page {k + 1} of {n_pages}",
               font=font(SUB_SIZE - 4), fill=GREY)
    for c, p in zip(cells, places):
        page = pages[p.page]
        d = ImageDraw.Draw(page)
        img = c.image if c.image.size == (p.w, p.h) else c.image.resize((p.w, p.h))
        page.paste(img.convert("RGB"), (p.x, p.y))
        d.rectangle([p.x - 1, p.y - 1, p.x + p.w, p.y + p.h], outline=GREY, width=1)
        y = p.y + p.h + 12
        stamp_font = font(STAMP_SIZE, True)
        d.text((p.x, y), c.stamp, font=stamp_font, fill=GREY)
        if c.tag:
            x = p.x + p.w - stamp_font.getlength(c.tag)
            d.text((x, y), c.tag, font=stamp_font, fill=RED if c.tag_level >= 2 else AMBER)
        y += STAMP_SIZE + 12
        for line in p.lines:
            d.text((p.x, y), line, font=font(WORDS_SIZE), fill=INK)
            y += WORDS_LINE
    return pages, places


def _png_rgb(data: bytes) -> tuple[int, int, bytes] | None:
    """Width, height and the zlib stream of an 8-bit RGB, non-interlaced PNG (else None)."""
    import struct

    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, size = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour != 2 or interlace != 0:
                return None
            size = (w, h)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    return (*size, b"".join(idat)) if size and idat else None


def write_pdf(fp, pages: Sequence[Path], title: str = "", dpi: float = PAGE_DPI) -> None:
    """A PDF of the PNG ``pages``, one image a page at ``dpi`` (A4 for our sheets).

    The PNGs' compressed pixels go into the PDF as they are (PDF reads PNG
    row filters), so this is lossless, fast, and holds one page in memory at
    a time; Pillow's own multi-page PDF would decode every page and keep them
    all (over a gigabyte for the whole video) and re-compress them as JPEG."""
    import io

    from PIL import Image

    offsets: list[int] = []
    pos = 0

    def put(b: bytes) -> None:
        nonlocal pos
        fp.write(b)
        pos += len(b)

    def obj(num: int, body: bytes, stream: bytes | None = None) -> None:
        offsets.append(pos)
        assert len(offsets) == num
        if stream is None:
            put(b"%d 0 obj\n%s\nendobj\n" % (num, body))
        else:
            put(b"%d 0 obj\n%s\nstream\n" % (num, body) + stream + b"\nendstream\nendobj\n")

    def text(s: str) -> bytes:
        return b"(" + s.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    put(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 3 * k) for k in range(n))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n))
    obj(3, b"<< /Title %s /Producer (Earthquakes storyboard) >>" % text(title))
    for k, page in enumerate(pages):
        data = Path(page).read_bytes()
        png = _png_rgb(data)
        if png is None:  # not a plain RGB PNG: make it one
            buf = io.BytesIO()
            with Image.open(page) as im:
                im.convert("RGB").save(buf, format="PNG")
            png = _png_rgb(buf.getvalue())
        w, h, pixels = png
        pw, ph = w * 72 / dpi, h * 72 / dpi
        obj(4 + 3 * k, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (pw, ph, 5 + 3 * k, 6 + 3 * k))
        obj(5 + 3 * k, b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
            b"/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns %d >> "
            b"/Length %d >>" % (w, h, w, len(pixels)), pixels)
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im Do Q" % (pw, ph)
        obj(6 + 3 * k, b"<< /Length %d >>" % len(content), content)
    xref = pos
    put(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    put(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    put(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
