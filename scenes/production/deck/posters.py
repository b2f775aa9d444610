"""Still pictures of a chapter, from the first frame of each of its slides
(keyframes, decoded while the clip is cut: nothing else is decoded):

- each slide's first frame as a JPEG (at most `POSTER_WIDTH` wide):
  PowerPoint shows it until the slide's video plays, and as the slide's
  thumbnail;
- the chapter's poster frame ``clips/NN-name.png``: of those first frames,
  the one with the most detail, i.e. the largest mean brightness step
  between neighbouring pixels (on every 4th pixel of the luma plane). An
  empty or black frame, a fade or a single colour has almost none; a frame
  full of axes, contours, points and words has the most. A slide starts
  where the narration moves on, so its first frame shows what the beat
  before it built, complete. Ties go to the earlier frame;
- a small JPEG of that poster, for the deck's chapter menu;
- the clip's background colour (the median of the first frame's corners),
  for the space around the video when a screen's shape differs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scenes.production.files import partial_name

__all__ = ["POSTER_WIDTH", "THUMB_WIDTH", "Stills", "detail", "stills"]

THUMB_WIDTH = 320
POSTER_WIDTH = 1280
JPEG_QUALITY = 88


@dataclass
class Stills:
    poster_frame: int  # frame index of the chapter's poster
    background: str  # "#rrggbb"


def detail(luma) -> float:
    """Mean absolute brightness step between neighbours (0 for a flat picture)."""
    import numpy as np

    y = np.asarray(luma, dtype=np.float32)
    if y.ndim != 2 or y.shape[0] < 2 or y.shape[1] < 2:
        return 0.0
    return float(np.abs(np.diff(y, axis=0)).mean() + np.abs(np.diff(y, axis=1)).mean())


def _save(image, path: Path, **kw) -> None:
    tmp = partial_name(path)
    try:
        image.save(tmp, **kw)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _luma(frame):
    """Every 4th pixel of a frame's brightness: its Y plane, read in place."""
    import numpy as np

    if frame.format.name in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "nv12", "gray"):
        plane = frame.planes[0]
        y = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]
    else:
        y = frame.to_ndarray(format="gray")
    return y[::4, ::4]


def _resized(image, width: int):
    if image.width <= width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))))


def _rgb(frame):
    """An RGB picture of a video frame (PIL), through numpy: much faster than to_image."""
    from PIL import Image

    return Image.fromarray(frame.to_ndarray(format="rgb24"))


def _corners_colour(rgb) -> str:
    import numpy as np

    a = np.asarray(rgb)
    k = max(1, min(a.shape[0], a.shape[1]) // 40)
    corners = np.concatenate([a[:k, :k], a[:k, -k:], a[-k:, :k], a[-k:, -k:]]).reshape(-1, 3)
    r, g, b = (int(v) for v in np.median(corners, axis=0))
    return f"#{r:02x}{g:02x}{b:02x}"


def stills(firsts: dict, slide_posters: dict[int, Path], poster: Path, thumb: Path) -> Stills:
    """Write each slide's first picture (``firsts``: frame index ->
    ``av.VideoFrame``) to its JPEG in ``slide_posters`` (frame index -> path),
    the chapter's ``poster`` (PNG) and its ``thumb`` (JPEG); return the
    poster's frame index and the background colour."""
    if not firsts:
        raise ValueError("no pictures to choose a poster from")
    pictures = {i: _rgb(f) for i, f in sorted(firsts.items()) if f is not None}
    if not pictures:
        raise ValueError("no slide's first frame could be decoded")
    for i, path in slide_posters.items():
        if i in pictures:
            _save(_resized(pictures[i], POSTER_WIDTH), path, format="JPEG", quality=JPEG_QUALITY)
    scores = {i: detail(_luma(f)) for i, f in firsts.items() if f is not None}
    best = max(scores, key=lambda i: (scores[i], -i))
    image = pictures[best]
    _save(image, poster, format="PNG", compress_level=3)
    _save(_resized(image, THUMB_WIDTH), thumb, format="JPEG", quality=JPEG_QUALITY)
    return Stills(best, _corners_colour(pictures[min(pictures)]))
