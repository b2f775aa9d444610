"""Grab frames from a rendered video to look at them.

    python tools/frames.py media/videos/.../Mystery.mp4 out.png [--times 1 5 9] [--count 9] [--cols 3]

Writes one contact sheet (a grid of frames, each stamped with its time).
"""

from __future__ import annotations

import argparse

import av
from PIL import Image, ImageDraw


def grab(path: str, times: list[float]) -> list[tuple[float, Image.Image]]:
    out = []
    with av.open(path) as c:
        stream = c.streams.video[0]
        want = sorted(times)
        k = 0
        for frame in c.decode(stream):
            t = float(frame.pts * stream.time_base)
            while k < len(want) and t >= want[k]:
                out.append((t, frame.to_image()))
                k += 1
            if k == len(want):
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Grab frames from a video into one contact sheet.")
    ap.add_argument("video")
    ap.add_argument("out")
    ap.add_argument("--times", type=float, nargs="*", help="seconds (default: --count evenly spread)")
    ap.add_argument("--count", type=int, default=9)
    ap.add_argument("--cols", type=int, default=3)
    ap.add_argument("--width", type=int, default=640)
    a = ap.parse_args(argv)
    try:
        with av.open(a.video) as c:
            dur = float(c.duration / 1e6) if c.duration else 0.0
    except (OSError, av.error.FFmpegError) as exc:
        ap.error(f"cannot read {a.video} as a video: {exc}")
    if not a.times:
        a.times = [dur * (k + 0.5) / a.count for k in range(a.count)]
    late = [t for t in a.times if t < 0 or t >= dur]
    if late:
        ap.error(f"{a.video} lasts {dur:.2f} s; these times are outside it: "
                 f"{', '.join(f'{t:g}' for t in late)} (give times from 0 to {dur:.2f})")
    shots = grab(a.video, a.times)
    if not shots:
        ap.error(f"no frames found in {a.video} at {a.times}")
    w = a.width
    h = int(w * shots[0][1].height / shots[0][1].width)
    rows = -(-len(shots) // a.cols)
    sheet = Image.new("RGB", (w * a.cols, h * rows), "black")
    for n, (t, img) in enumerate(shots):
        img = img.resize((w, h))
        ImageDraw.Draw(img).text((6, 4), f"{t:.1f}s", fill="red")
        sheet.paste(img, ((n % a.cols) * w, (n // a.cols) * h))
    sheet.save(a.out)
    print(a.out, [round(t, 1) for t, _ in shots])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
