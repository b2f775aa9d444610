"""Render speed at 1080p60 (-qh): the shaking surface against a plain manim
Surface, then each chapter of the video.

Reports frames per second and render time / video time. Chapters are timed
as a user runs them (the whole manim process), with the narration cache
warm (speech synthesis is measured separately by the narration tests).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]


def _manim(args, media_dir, env=None, timeout=3600):
    cmd = [sys.executable, "-m", "manim", "render", "--disable_caching", "--media_dir", str(media_dir),
           "--progress_bar", "none", *args]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"manim failed: {' '.join(args)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    return p.stdout + p.stderr, wall


def _video(media_dir, scene):
    mp4 = next(p for p in Path(media_dir).rglob(f"{scene}.mp4") if "partial" not in str(p))
    with av.open(str(mp4)) as c:
        st = c.streams.video[0]
        return st.frames, float(c.duration / 1e6)


def surfaces(quality="h"):
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for scene in ("PlainSurfaceBench", "FastSurfaceBench"):
            out, _ = _manim([f"-q{quality}", "bench/surface_scenes.py", scene], tmp)
            m = re.search(r"BENCH (\w+) frames=(\d+) seconds=([\d.]+)", out)
            name, frames, secs = m.group(1), int(m.group(2)), float(m.group(3))
            results[name] = frames / secs
            print(f"render  {name:14s} 26x26 faces, shaking, -q{quality}: {frames / secs:6.1f} fps")
        print(f"render  fast / plain surface: {results['fast_surface'] / results['plain_surface']:.2f}x")


def chapters(names=None, quality="h"):
    from scenes.chapters import CHAPTERS
    chosen = [c for c in CHAPTERS if not names or c.name in names]
    media = ROOT / "media" / "bench"
    media.mkdir(parents=True, exist_ok=True)
    # warm the shared narration cache (synthesis is not what is measured here)
    env = dict(os.environ)
    total_wall = total_video = 0.0
    for ch in chosen:
        out_dir = Path(tempfile.mkdtemp(dir=media))
        vo = media / "voiceovers"
        if vo.exists():
            shutil.copytree(vo, out_dir / "voiceovers")
        _manim(["-ql", "--resolution", "64,36", "--frame_rate", "1", ch.file, ch.scene], out_dir, env)
        shutil.copytree(out_dir / "voiceovers", vo, dirs_exist_ok=True)
        shutil.rmtree(out_dir / "videos", ignore_errors=True)
        _, wall = _manim([f"-q{quality}", ch.file, ch.scene], out_dir, env)
        frames, seconds = _video(out_dir, ch.scene)
        total_wall += wall
        total_video += seconds
        print(f"render  ch{ch.number:02d} {ch.name:16s} -q{quality}: {frames} frames, {seconds:6.1f} s video, "
              f"{wall:6.1f} s render: {frames / wall:5.1f} fps, render/video {wall / seconds:4.2f}")
        shutil.rmtree(out_dir, ignore_errors=True)
    if chosen:
        print(f"render  all {len(chosen)} chapters: {total_video:.1f} s video in {total_wall:.1f} s "
              f"(render/video {total_wall / total_video:.2f}, one process at a time)")


def run(argv):
    """``[surface] [chapter names...] [-q<l|m|h|k>]``; nothing = everything at -qh."""
    quality = "h"
    names = []
    for a in argv:
        if a.startswith("-q"):
            quality = a[2:]
        else:
            names.append(a)
    if not names or "surface" in names:
        surfaces(quality)
    rest = [n for n in names if n != "surface"]
    if not names or rest:
        chapters(rest or None, quality)
