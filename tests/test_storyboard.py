"""The storyboard (`python -m scenes storyboard`): still stretches found in
synthetic H.264 clips whose motion is known frame by frame, the share of
speech over a still picture, the sheets (one frame per cue, the words under
it), the reports, and the messages for a missing build."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from scenes.chapters import Chapter
from scenes.production import storyboard as sbm
from scenes.production.outputs import Outputs
from scenes.production.storyboard import StoryboardInputError, add_parser, plan, run, storyboard
from scenes.production.storyboard_motion import analyse, intersection_seconds, union
from scenes.production.storyboard_sheets import PAGE_H, PAGE_W, font

W, H, FPS = 480, 270, 30
BG = (12, 16, 21)  # manim's dark background, roughly
FRAME = 1 / FPS
ONE = Chapter(1, "one", "One small quake", "tests/fixtures/storyboard_tiny.py", "StoryboardTiny")
TWO = Chapter(2, "two", "Then another", "tests/fixtures/storyboard_tiny.py", "StoryboardTiny")


# --------------------------------------------------------------------------
# synthetic clips: every frame's state is known, so are the still stretches
# --------------------------------------------------------------------------


def encode(path: Path, frames, *, gop: int | None = None) -> Path:
    """H.264 the way manim writes it (libx264, crf 23, yuv420p)."""
    opts = {"crf": "23"}
    if gop:
        opts["g"] = str(gop)
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=FPS, options=opts)
        s.width, s.height, s.pix_fmt = W, H, "yuv420p"
        for rgb in frames:
            for p in s.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def blank() -> np.ndarray:
    return np.broadcast_to(np.array(BG, np.uint8), (H, W, 3)).copy()


def coverage(x0: float, x1: float, n: int) -> np.ndarray:
    """How much of each pixel column [c, c+1) the span [x0, x1) covers (anti-aliased edges)."""
    c = np.arange(n)
    return np.clip(np.minimum(c + 1, x1) - np.maximum(c, x0), 0, 1)


def square(x: float, y: int = 120, size: int = 24, colour=(250, 200, 60)) -> np.ndarray:
    img = blank().astype(float)
    cov = coverage(x, x + size, W)[None, :, None]
    band = img[y:y + size]
    img[y:y + size] = band * (1 - cov) + np.array(colour, float) * cov
    return img.round().astype(np.uint8)


def expected_stills(states, min_seconds: float) -> list[tuple[float, float]]:
    """(start, length) of every run of identical frame states."""
    out, a = [], 0
    for i in range(1, len(states) + 1):
        if i == len(states) or states[i] != states[i - 1]:
            if (i - a) / FPS >= min_seconds - 1e-9:
                out.append((a / FPS, (i - a) / FPS))
            a = i
    return out


def assert_stills(found, expected):
    got = [(s.start, s.length) for s in found]
    assert len(got) == len(expected), f"found {got}, expected {expected}"
    for (s, n), (es, en) in zip(got, expected):
        assert abs(s - es) <= FRAME + 1e-6 and abs(n - en) <= FRAME + 1e-6, f"found {got}, expected {expected}"


def square_states():
    """Moves 2 s, stands 3 s, moves 1 s, stands 2 s."""
    xs = []
    for i in range(240):
        if i < 150:
            xs.append(40 + 2 * min(i, 60))
        else:
            xs.append(160 + 3 * min(i - 149, 30))
    return xs


def test_square_moves_and_stands(tmp_path):
    xs = square_states()
    clip = encode(tmp_path / "square.mp4", (square(x) for x in xs))
    a = analyse(clip)
    assert a.frames == len(xs) and a.fps == FPS
    expected = expected_stills(xs, 0.5)
    assert expected == [(2.0, 3.0), (179 / 30, 61 / 30)]  # the design, spelled out
    assert_stills(a.stills(0.5), expected)
    # while it moves, no frame-to-frame stillness longer than a frame or two
    assert all(s.length <= 2 * FRAME + 1e-6 for s in a.stills() if s.start < 1.9)


def test_a_one_pixel_block_dot_moving_is_motion(tmp_path):
    """A 2x2-pixel dot (one pixel of the analysis picture; 4x4 pixels at
    1080p, a fifth of manim's default Dot) moving one pixel a frame."""
    xs = [100 + min(max(i - 29, 0), 60) for i in range(150)]

    def frame(x):
        img = blank()
        img[134:136, x:x + 2] = 255
        return img

    a = analyse(encode(tmp_path / "dot.mp4", (frame(x) for x in xs)))
    assert_stills(a.stills(0.5), expected_stills(xs, 0.5))
    assert expected_stills(xs, 0.5) == [(0.0, 1.0), (89 / 30, 61 / 30)]


def test_a_number_changing_once(tmp_path):
    """A label in a 12-pixel font (a 24-pixel label at 1080p) turns 2.47 into 2.48."""
    def frame(text):
        img = Image.fromarray(blank())
        ImageDraw.Draw(img).text((300, 60), text, font=font(12), fill=(230, 230, 230))
        return np.asarray(img)

    states = ["loss there: 2.47"] * 75 + ["loss there: 2.48"] * 75
    a = analyse(encode(tmp_path / "number.mp4", (frame(t) for t in states)))
    assert_stills(a.stills(), [(0.0, 2.5), (2.5, 2.5)])


def test_h264_noise_is_not_motion(tmp_path):
    """A busy still picture (sharp lines, text, a colour ramp) re-coded as a
    keyframe every 10 frames: one still stretch from start to end."""
    img = Image.fromarray(blank())
    d = ImageDraw.Draw(img)
    for k in range(0, W, 9):
        d.line([(k, 0), (W - k, H)], fill=(40 + k % 200, 120, 255 - k % 200), width=1)
    d.text((20, 20), "Loss  w1  w2  0.5 1.0 1.5 2.0", font=font(14), fill=(255, 255, 255))
    ramp = np.linspace(0, 255, W, dtype=np.uint8)
    arr = np.asarray(img).copy()
    arr[200:240, :, 1] = ramp
    a = analyse(encode(tmp_path / "noise.mp4", (arr for _ in range(120)), gop=10))
    assert_stills(a.stills(), [(0.0, 4.0)])


def test_slow_drift_is_motion(tmp_path):
    """A square drifting a tenth of a pixel a frame changes each frame less
    than the threshold; against the stretch's first frame it still moves."""
    xs = [100 + 0.1 * i for i in range(120)]
    a = analyse(encode(tmp_path / "drift.mp4", (square(x) for x in xs)))
    assert a.stills(1.0) == []
    # compared frame to frame instead, the drift would pass for a still picture
    grey = [np.asarray(Image.fromarray(square(x)).convert("L").resize((W // 2, H // 2), Image.BOX), np.int16)
            for x in xs[:3]]
    assert np.abs(grey[1] - grey[0]).max() <= 16


def test_a_blinking_highlight_is_not_motion(tmp_path):
    """A square that lights up and dims back (0.6 s, like manim's Indicate)
    in a still picture: the picture it comes back to is the one it left, so
    the whole clip is one still stretch, with one blink in it."""
    base, lit = np.array((90, 140, 250)), np.array((255, 220, 80))
    glow = [0.0] * 60 + [min(k, 18 - k) / 9 for k in range(19)] + [0.0] * 71  # 2 s, 0.63 s blink, 2.37 s
    states = [round(g, 3) for g in glow]
    a = analyse(encode(tmp_path / "blink.mp4", (square(200, colour=tuple(base + g * (lit - base))) for g in states)))
    assert_stills(a.stills(0.5), [(0.0, 5.0)])
    assert len(a.blinks) == 1
    assert 2.0 - FRAME <= a.blinks[0].start and a.blinks[0].end <= 79 / 30 + FRAME  # within the blink's frames


def test_a_highlight_that_stays_is_motion(tmp_path):
    """Lit for longer than RETURN_SECONDS, then dimmed: three still pictures."""
    colours = [(90, 140, 250)] * 45 + [(255, 220, 80)] * 75 + [(90, 140, 250)] * 45
    a = analyse(encode(tmp_path / "lit.mp4", (square(200, colour=c) for c in colours)))
    assert_stills(a.stills(0.5), expected_stills(colours, 0.5))
    assert a.blinks == []


def test_a_quake_that_comes_back_is_motion(tmp_path):
    """A whole landscape that changes for half a second and comes back is a
    quake (most of the picture changes), not a highlight."""
    yy, xx = np.mgrid[0:H, 0:W]

    def landscape(k):
        z = np.sin(xx / (30 + 12 * k)) * np.cos(yy / (25 + 7 * k))
        return np.stack([(z * 90 + 120).astype(np.uint8)] * 3, axis=-1)

    states = [0] * 60 + [1] * 15 + [0] * 60
    a = analyse(encode(tmp_path / "quake.mp4", (landscape(k) for k in states)))
    assert_stills(a.stills(0.4), expected_stills(states, 0.4))
    assert a.blinks == []


def test_interval_arithmetic():
    assert union([(3, 4), (0, 1), (0.5, 2), (4, 5)]) == [(0, 2), (3, 5)]
    assert intersection_seconds([(0, 2), (3, 5)], [(1, 4)]) == pytest.approx(2.0)
    assert intersection_seconds([(0, 1)], [(1, 2)]) == 0


# --------------------------------------------------------------------------
# a build's folder: clips, subtitles, beats
# --------------------------------------------------------------------------


def srt_text(cues) -> str:
    def ts(t):
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
    return "".join(f"{k + 1}\n{ts(a)} --> {ts(b)}\n{text}\n\n" for k, (a, b, text) in enumerate(cues))


def put_clip(out: Outputs, ch: Chapter, clip: Path, cues, beats=None) -> None:
    out.clips_dir.mkdir(parents=True, exist_ok=True)
    dest = out.clip(ch)
    shutil.copy(clip, dest)
    dest.with_suffix(".srt").write_text(srt_text(cues), encoding="utf-8")
    if beats is not None:
        dest.with_name(dest.stem + ".beats.json").write_text(json.dumps(beats), encoding="utf-8")


@pytest.fixture(scope="module")
def square_clip(tmp_path_factory):
    return encode(tmp_path_factory.mktemp("clips") / "square.mp4", (square(x) for x in square_states()))


COLOURS = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (220, 220, 40), (40, 200, 200), (200, 40, 200)]


@pytest.fixture(scope="module")
def colour_clip(tmp_path_factory):
    """Six seconds, one flat colour a second."""
    def frame(i):
        return np.broadcast_to(np.array(COLOURS[i // FPS], np.uint8), (H, W, 3)).copy()
    return encode(tmp_path_factory.mktemp("clips") / "colours.mp4", (frame(i) for i in range(6 * FPS)))


def test_share_of_speech_over_a_still_picture(tmp_path, square_clip):
    out = Outputs.for_build("l", "espeak", tmp_path)
    cues = [(0.5, 2.5, "It moves, then it stands."), (4.0, 7.0, "It moves again and stands again.")]
    put_clip(out, ONE, square_clip, cues)
    summary = storyboard(out, [ONE], log=lambda *a: None)
    rep = json.loads((out.storyboard_dir / "01-one.json").read_text())
    n = rep["numbers"]
    # stills of 2 s or more: [2, 5) and [179/30, 8); speech [0.5, 2.5) and [4, 7)
    still_speech = (2.5 - 2.0) + (5.0 - 4.0) + (7.0 - 179 / 30)
    assert n["speech_seconds"] == pytest.approx(5.0, abs=1e-3)
    assert n["still_speech_seconds"] == pytest.approx(still_speech, abs=2 * FRAME)
    assert n["still_speech_share"] == pytest.approx(still_speech / 5.0, abs=2 * FRAME / 5)
    got = [x for s in n["stills"] for x in (s["start"], s["length"])]
    assert got == pytest.approx([2.0, 3.0, 179 / 30, 61 / 30], abs=FRAME + 1e-3)
    assert n["longest_still"]["length"] == pytest.approx(3.0, abs=FRAME) and n["flagged"] == 0
    assert summary["numbers"]["still_speech_share"] == pytest.approx(n["still_speech_share"], abs=1e-3)
    md = (out.storyboard_dir / "01-one.md").read_text()
    assert "0:02.0" in md and "It moves, then it stands." in md
    assert (out.storyboard_dir / "storyboard.pdf").is_file() and (out.storyboard_dir / "report.md").is_file()


def test_long_stills_are_flagged(tmp_path):
    xs = [40 + 2 * min(i, 30) for i in range(9 * FPS)]  # moves 1 s, then stands 8 s
    clip = encode(tmp_path / "long.mp4", (square(x) for x in xs))
    out = Outputs.for_build("l", "espeak", tmp_path)
    put_clip(out, ONE, clip, [(0.2, 8.8, "A long sentence over a still picture.")])
    storyboard(out, [ONE], log=lambda *a: None)
    n = json.loads((out.storyboard_dir / "01-one.json").read_text())["numbers"]
    assert n["flagged"] == 1 and n["stills"][0]["flagged"]
    assert n["stills"][0]["length"] == pytest.approx(8.0, abs=FRAME)
    assert "over 6 s" in (out.storyboard_dir / "01-one.md").read_text()


def test_sheet_has_each_cue_frame_with_its_words(tmp_path, colour_clip):
    out = Outputs.for_build("l", "espeak", tmp_path)
    long_words = " ".join(["Every mini-batch defines its own loss function, so the landscape shakes."] * 3)
    cues = [(0.0, 1.0, "red"), (1.1, 1.4, "green"), (2.5, 3.3, long_words), (3.4, 3.8, "yellow"),
            (4.2, 5.0, "cyan"), (5.1, 5.9, "magenta"), (5.0, 6.0, "magenta again"), (0.2, 0.6, "red again")]
    put_clip(out, ONE, colour_clip, cues)
    storyboard(out, [ONE], log=lambda *a: None)
    rep = json.loads((out.storyboard_dir / "01-one.json").read_text())
    assert len(rep["cues"]) == len(cues)
    pages = {}
    for row in rep["cues"]:
        page = pages.setdefault(row["page"], np.asarray(Image.open(out.storyboard_dir / row["page"]).convert("RGB")))
        assert page.shape == (PAGE_H, PAGE_W, 3)
        x, y, w, h = row["box"]
        assert w >= 850 and h == pytest.approx(w * H / W, abs=1)  # about 900 px wide frames
        tile = page[y + 4:y + h - 4, x + 4:x + w - 4].reshape(-1, 3).mean(axis=0)
        want = COLOURS[int(row["frame_time"] * FPS) // FPS]
        assert np.abs(tile - np.array(want)).max() < 20, (row, tile, want)
        # the words sit under the frame: ink on white, more lines for more words
        lines, top = 0, y + h + 50
        while (page[top:top + 36, x:x + w].min(axis=2) < 100).sum() > 50:
            lines, top = lines + 1, top + 36
        assert lines >= 3 if row["text"] == long_words else lines == 1, (row["text"], lines)
    # cues are spoken in order: read left to right, top to bottom
    srt_order = sorted(range(len(cues)), key=lambda k: cues[k][0])
    assert [r["text"] for r in rep["cues"]] == [cues[k][2] for k in srt_order]
    # the PDF holds every page
    pdf = (out.storyboard_dir / "storyboard.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(rep["pages"])
    # ... and its cross-reference table points at every object
    xref = int(re.search(rb"startxref\s+(\d+)", pdf).group(1))
    assert pdf[xref:xref + 4] == b"xref"
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", pdf[xref:])]
    assert len(offsets) == 3 + 3 * len(rep["pages"])
    for num, off in enumerate(offsets, start=1):
        assert pdf[off:].startswith(b"%d 0 obj" % num)


def test_beats_file_is_preferred_to_subtitles(tmp_path, colour_clip):
    out = Outputs.for_build("l", "espeak", tmp_path)
    beats = {"format": 1, "scene": "X", "file": "x.py", "voice": "espeak",
             "beats": [{"index": 0, "id": "a", "text": "The first block, whole.", "start": 0.5, "duration": 2.0},
                       {"index": 1, "id": "b", "text": "The second block.", "start": 4.0, "duration": 1.0}]}
    put_clip(out, ONE, colour_clip, [(0, 1, "The first"), (1, 2.5, "block, whole."), (4, 5, "The second block.")], beats)
    storyboard(out, [ONE], log=lambda *a: None)
    rep = json.loads((out.storyboard_dir / "01-one.json").read_text())
    assert rep["cues_from"] == "01-one.beats.json"
    assert [(c["start"], c["end"], c["text"]) for c in rep["cues"]] == [(0.5, 2.5, "The first block, whole."),
                                                                        (4.0, 5.0, "The second block.")]
    assert rep["numbers"]["speech_seconds"] == pytest.approx(3.0)


def test_a_chapter_without_narration(tmp_path, colour_clip):
    """No cues: a frame every 5 s on the sheet, no speech, no share."""
    out = Outputs.for_build("l", "espeak", tmp_path)
    put_clip(out, ONE, colour_clip, [])
    storyboard(out, [ONE], log=lambda *a: None)
    rep = json.loads((out.storyboard_dir / "01-one.json").read_text())
    assert [c["frame_time"] for c in rep["cues"]] == [2.5]
    assert rep["numbers"]["speech_seconds"] == 0 and rep["numbers"]["still_speech_share"] is None
    assert "No chapters" not in (out.storyboard_dir / "report.md").read_text()


def test_unchanged_clips_are_not_decoded_again(tmp_path, colour_clip):
    out = Outputs.for_build("l", "espeak", tmp_path)
    put_clip(out, ONE, colour_clip, [(0, 1, "red")])
    storyboard(out, [ONE], log=lambda *a: None)
    said = []
    storyboard(out, [ONE], log=said.append)
    assert "unchanged" in said[0]
    out.clip(ONE).with_suffix(".srt").write_text(srt_text([(1, 2, "green")]), encoding="utf-8")
    said.clear()
    storyboard(out, [ONE], log=said.append)
    assert "decoded" in said[0]
    assert json.loads((out.storyboard_dir / "01-one.json").read_text())["cues"][0]["text"] == "green"


def test_a_failed_write_leaves_the_previous_files(tmp_path, colour_clip, monkeypatch):
    out = Outputs.for_build("l", "espeak", tmp_path)
    put_clip(out, ONE, colour_clip, [(0, 1, "red")])
    storyboard(out, [ONE], log=lambda *a: None)
    before = {p.name: p.read_bytes() for p in out.storyboard_dir.iterdir()}
    out.clip(ONE).with_suffix(".srt").write_text(srt_text([(1, 2, "green")]), encoding="utf-8")

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(sbm, "chapter_markdown", broken)
    with pytest.raises(OSError):
        storyboard(out, [ONE], log=lambda *a: None)
    after = {p.name: p.read_bytes() for p in out.storyboard_dir.iterdir()}
    assert set(after) == set(before)  # no partial files left behind
    assert after["01-one.json"] == before["01-one.json"] and after["01-one.md"] == before["01-one.md"]


# --------------------------------------------------------------------------
# bad input: say which build to run
# --------------------------------------------------------------------------


def run_cli(argv, chapters, capsys):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    code = run(parser.parse_args(["storyboard", *argv]), chapters)
    return code, capsys.readouterr().err


def test_no_build_names_the_build_command(tmp_path, capsys):
    code, err = run_cli(["--media-dir", str(tmp_path), "--quality", "l", "--voice", "espeak"], [ONE, TWO], capsys)
    assert code == 2
    assert f"python -m scenes build --quality l --voice espeak --media-dir {tmp_path.resolve()}" in err
    assert not (tmp_path / "480p15-espeak" / "storyboard").exists()


def test_final_build_command_has_no_media_dir_by_default():
    out = Outputs.for_build("h", "joe")
    assert sbm.build_command(out) == "python -m scenes build --quality h --voice joe"


def test_missing_clips_are_named(tmp_path, capsys, colour_clip):
    out = Outputs.for_build("h", "joe", tmp_path)
    put_clip(out, ONE, colour_clip, [(0, 1, "red")])
    code, err = run_cli(["--media-dir", str(tmp_path), "--voice", "joe"], [ONE, TWO], capsys)
    assert code == 2
    assert "02-two.mp4" in err and "01-one.mp4" not in err
    assert f"python -m scenes build --quality h --voice joe --media-dir {tmp_path.resolve()}" in err
    assert "--only one" in err
    code, err = run_cli(["--media-dir", str(tmp_path), "--voice", "joe", "--only", "one"], [ONE, TWO], capsys)
    assert code == 0 and (out.storyboard_dir / "01-one-1.png").is_file()


def test_unknown_chapter_and_bad_beats(tmp_path, colour_clip):
    out = Outputs.for_build("l", "espeak", tmp_path)
    put_clip(out, ONE, colour_clip, [(0, 1, "red")], beats={"format": 1, "beats": [{"text": "no times"}]})
    with pytest.raises(StoryboardInputError, match="unknown chapter nine: choose from one"):
        plan(out, [ONE], only=["nine"])
    with pytest.raises(StoryboardInputError, match=r"01-one\.beats\.json is not a beats manifest"):
        plan(out, [ONE])


# --------------------------------------------------------------------------
# a tiny real build (manim, espeak)
# --------------------------------------------------------------------------


@pytest.mark.render
def test_tiny_rendered_chapter(tmp_path):
    from tests.render_util import render

    mp4 = render(ONE.file, ONE.scene, tmp_path / "render", fps=6)
    out = Outputs.for_build("l", "espeak", tmp_path / "media")
    out.clips_dir.mkdir(parents=True)
    for src in mp4.parent.glob(f"{ONE.scene}.*"):
        if src.suffix in (".mp4", ".srt") or src.name.endswith(".beats.json"):
            shutil.copy(src, out.clips_dir / ("01-one" + src.name[len(ONE.scene):]))
    storyboard(out, [ONE], log=lambda *a: None)
    rep = json.loads((out.storyboard_dir / "01-one.json").read_text())
    n = rep["numbers"]
    words = " ".join(c["text"] for c in rep["cues"])
    assert "circle is drawn" in words and "nothing moves" in words
    # the first block is spoken over the circle being drawn, the second over a still picture
    moving = [c for c in rep["cues"] if "circle is drawn" in c["text"]]
    still = [c for c in rep["cues"] if c not in moving]
    still_s = sum(c["end"] - c["start"] for c in still)
    assert n["still_speech_seconds"] == pytest.approx(still_s, abs=2 / 6)
    assert n["speech_seconds"] > still_s + 1
