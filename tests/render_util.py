"""Render a chapter scene in a subprocess, small and fast, for the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]


def render(file: str, scene: str, media_dir: Path, *, width: int = 320, height: int = 180,
           fps: int = 6, voice: str = "espeak", extra_env: dict | None = None,
           timeout: float = 600) -> Path:
    """Render ``scene`` from ``file`` (path from the project root) at a tiny
    size and frame rate with the fast test voice; return the mp4 path."""
    env = dict(os.environ, QUAKE_VOICE=voice)
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "manim", "render", "-ql", "--disable_caching",
           "--resolution", f"{width},{height}", "--frame_rate", str(fps),
           "--media_dir", str(media_dir), "--progress_bar", "none", str(ROOT / file), scene]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"render of {scene} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    found = sorted(Path(media_dir).rglob(f"{scene}.mp4"))
    found = [p for p in found if "partial_movie_files" not in p.parts]
    assert found, f"no {scene}.mp4 under {media_dir}"
    return found[0]


def streams(mp4: Path) -> dict:
    """Durations (seconds) and stream counts of a video file."""
    with av.open(str(mp4)) as c:
        v = [s for s in c.streams if s.type == "video"]
        a = [s for s in c.streams if s.type == "audio"]
        info = {"video_streams": len(v), "audio_streams": len(a),
                "duration": float(c.duration / 1e6) if c.duration else 0.0}
        if v:
            info["frames"] = v[0].frames
            info["size"] = (v[0].codec_context.width, v[0].codec_context.height)
    return info


def frames_at(mp4: Path, times: list[float]):
    """RGB frames (numpy arrays) at the given times."""
    import numpy as np
    out = []
    with av.open(str(mp4)) as c:
        st = c.streams.video[0]
        want = sorted(times)
        for frame in c.decode(st):
            t = float(frame.pts * st.time_base)
            while want and t >= want[0]:
                out.append(np.asarray(frame.to_image().convert("RGB")))
                want.pop(0)
            if not want:
                break
    return out


def changed_share(a, b, level: int = 48) -> float:
    """Share of pixels whose colour differs by more than ``level`` (0-255) in
    some channel between two RGB frames. Encoder noise in a still picture
    (every partial movie starts on a re-coded keyframe) stays under about 46
    levels at the test size; a drawn change moves pixels by far more."""
    import numpy as np
    return float(np.count_nonzero(np.abs(a.astype(int) - b.astype(int)).max(axis=2) > level) / (a.shape[0] * a.shape[1]))


def subtitle_start(srt_text: str, words: str) -> float:
    """Start time (seconds) of the subtitle cue where ``words`` begin; the
    words may run on into the next cues (cues are split where the speech is)."""
    import re
    cues = []
    for block in srt_text.strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 3:
            h, m, s, ms = map(int, re.match(r"(\d+):(\d+):(\d+)[,.](\d+)", lines[1]).groups())
            cues.append((h * 3600 + m * 60 + s + ms / 1000, " ".join(lines[2:]).strip()))
    text, starts = "", []
    for start, words_in_cue in cues:
        starts.append((len(text), start))
        text += words_in_cue + " "
    at = text.find(words)
    if at < 0:
        raise AssertionError(f"{words!r} is in no subtitle cue")
    return [start for offset, start in starts if offset <= at][-1]


def render_chapter(file: str, scene: str, media_dir: Path, min_duration: float, **kwargs):
    """Render a narrated chapter small and fast and check what every chapter
    must have: one video and one audio stream, a real length, and subtitles
    beside the clip. Returns ``(mp4, info, srt_text)``."""
    mp4 = render(file, scene, media_dir, **kwargs)
    info = streams(mp4)
    assert info["video_streams"] == 1 and info["audio_streams"] == 1, info
    assert info["duration"] > min_duration, info
    srt = mp4.with_suffix(".srt")
    assert srt.exists(), f"no subtitles beside {mp4}"
    return mp4, info, srt.read_text()
