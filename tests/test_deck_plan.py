"""The deck's decisions, without rendering: where slides are cut (beats,
keyframes, short beats), beats rebuilt from an old build's subtitles, each
slide's captions, the poster frame, and the reveal.js check that names the
set-up step."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.production.deck.assets import ASSETS, REVEAL_VERSION, check_assets, missing_assets
from scenes.production.deck.beats import Beat, beats_from_srt, plan_slides
from scenes.production.deck.captions import Cue, read_cues, slide_cues, slide_vtt
from scenes.production.deck.model import DeckInputError
from scenes.production.deck.posters import detail, stills

ROOT = Path(__file__).resolve().parents[1]
FPS = Fraction(30)


def cuts(beats, keyframes, total):
    return [(c.first, c.frames, c.beats) for c in plan_slides(beats, keyframes, total, FPS)]


# --------------------------------------------------------------------------
# slides from beats and keyframes (30 fps: a 2 s slide is 60 frames)
# --------------------------------------------------------------------------


def test_one_slide_per_beat_cut_where_each_beat_starts():
    beats = [Beat(0, "a", 0.0, 2.5), Beat(1, "b", 3.0, 2.0), Beat(2, "c", 6.0, 3.0)]
    assert cuts(beats, [0, 90, 180, 250], 300) == [(0, 90, [0]), (90, 90, [1]), (180, 120, [2])]


def test_what_comes_before_the_first_beat_belongs_to_the_first_slide():
    beats = [Beat(0, "a", 1.5, 2.0), Beat(1, "b", 4.0, 2.0)]
    assert cuts(beats, [0, 45, 120], 200) == [(0, 120, [0]), (120, 80, [1])]


def test_a_short_beat_joins_the_slide_before_it():
    beats = [Beat(0, "a", 0.0, 3.0), Beat(1, "yes", 3.0, 0.5), Beat(2, "c", 4.0, 3.0)]
    # slide of beat 1 would be 30 frames (1 s): it joins beat 0's slide
    assert cuts(beats, [0, 90, 120], 240) == [(0, 120, [0, 1]), (120, 120, [2])]


def test_a_short_first_slide_joins_the_next_one():
    beats = [Beat(0, "hi", 0.0, 0.5), Beat(1, "b", 1.0, 3.0), Beat(2, "c", 4.5, 3.0)]
    assert cuts(beats, [0, 30, 135], 250) == [(0, 135, [0, 1]), (135, 115, [2])]


def test_a_short_last_slide_joins_the_one_before():
    beats = [Beat(0, "a", 0.0, 3.0), Beat(1, "end", 4.0, 0.4)]
    assert cuts(beats, [0, 120], 150) == [(0, 150, [0, 1])]


def test_a_beat_off_every_keyframe_stays_in_the_slide_before():
    beats = [Beat(0, "a", 0.0, 3.0), Beat(1, "b", 3.0, 3.0), Beat(2, "c", 7.0, 3.0)]
    # beat 1 starts at frame 90, but the nearest keyframe is 100 (more than 1.5 frames away)
    assert cuts(beats, [0, 100, 210], 300) == [(0, 210, [0, 1]), (210, 90, [2])]


def test_a_beat_a_frame_from_its_keyframe_is_cut_at_the_keyframe():
    beats = [Beat(0, "a", 0.0, 3.0), Beat(1, "b", 3.0 + 1 / 30, 3.0)]
    assert cuts(beats, [0, 90], 200) == [(0, 90, [0]), (90, 110, [1])]


def test_no_narration_gives_one_slide_of_the_whole_clip():
    assert cuts([], [0, 50], 100) == [(0, 100, [])]


@pytest.mark.parametrize("seed", range(20))
def test_slides_cover_every_frame_once_and_keep_every_beat_in_order(seed):
    rng = np.random.default_rng(seed)
    total = int(rng.integers(200, 2000))
    keyframes = sorted({0, *rng.integers(1, total, size=int(rng.integers(1, 30))).tolist()})
    starts = sorted(rng.uniform(0, total / 30, size=int(rng.integers(0, 12))).tolist())
    beats = [Beat(i, str(i), s, 1.0) for i, s in enumerate(starts)]
    out = plan_slides(beats, keyframes, total, FPS)
    assert out[0].first == 0 and sum(c.frames for c in out) == total
    assert all(a.first + a.frames == b.first for a, b in zip(out, out[1:]))
    assert all(c.first in keyframes for c in out)
    assert [b for c in out for b in c.beats] == list(range(len(beats)))
    assert len(out) == 1 or all(c.frames >= 60 for c in out)


# --------------------------------------------------------------------------
# beats from an old build's subtitles
# --------------------------------------------------------------------------


def test_subtitle_cues_are_grouped_into_blocks_at_keyframes(tmp_path):
    srt = tmp_path / "c.srt"
    srt.write_text(
        "1\n00:00:00,000 --> 00:00:02,000\nHere is a surface that will\n\n"
        "2\n00:00:02,100 --> 00:00:04,000\nnot sit still.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nIt shakes.\n\n"
        "4\n00:00:08,533 --> 00:00:09,000\nAgain.\n", encoding="utf-8")
    # keyframes at 0 s, 5 s and 8.5 s (frame 256 = 8.533 s); 2.1 s is inside a block
    got = beats_from_srt(srt, [0, 150, 200, 256], FPS)
    assert [(b.text, b.start) for b in got] == [
        ("Here is a surface that will not sit still.", 0.0), ("It shakes.", 5.0), ("Again.", 8.533)]
    assert got[0].duration == pytest.approx(4.0)


# --------------------------------------------------------------------------
# captions of one slide
# --------------------------------------------------------------------------


def test_a_slides_cues_are_the_clips_cues_inside_it_on_its_own_clock(tmp_path):
    cues = [Cue(0.5, 2.0, ("one",)), Cue(2.1, 3.9, ("two", "lines")), Cue(4.2, 6.0, ("three",))]
    got = [(round(c.start, 9), round(c.end, 9), c.lines) for c in slide_cues(cues, 2.0, 5.0)]
    assert got == [(0.1, 1.9, ("two", "lines")), (2.2, 3.0, ("three",))]
    vtt = tmp_path / "s.vtt"
    vtt.write_text(slide_vtt(cues, 2.0, 5.0), encoding="utf-8")
    back = read_cues(vtt)
    assert [(c.start, c.end, c.text) for c in back] == [(0.1, 1.9, "two lines"), (2.2, 3.0, "three")]
    assert vtt.read_text().startswith("WEBVTT")


def test_a_slide_without_words_gets_an_empty_track(tmp_path):
    vtt = tmp_path / "s.vtt"
    vtt.write_text(slide_vtt([Cue(0.5, 1.0, ("x",))], 2.0, 5.0), encoding="utf-8")
    assert read_cues(vtt) == [] and vtt.read_text().strip() == "WEBVTT"


# --------------------------------------------------------------------------
# the poster frame
# --------------------------------------------------------------------------


def frame(rgb: np.ndarray):
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(format="yuv420p")


def test_detail_is_zero_for_a_flat_picture_and_grows_with_edges():
    flat = np.full((40, 60), 30, np.uint8)
    stripes = flat.copy()
    stripes[:, ::6] = 230
    assert detail(flat) == 0.0
    assert detail(stripes) > 10 * detail(flat + 1) + 1


def test_the_poster_is_the_slide_start_with_the_most_drawn_on_it(tmp_path):
    bg = np.full((90, 160, 3), (12, 16, 21), np.uint8)
    some = bg.copy()
    some[40:50, 20:140] = 240  # one bar
    more = bg.copy()
    for y in range(10, 80, 8):
        more[y:y + 3, 10:150] = (250, 200, 60)  # many lines
    firsts = {0: frame(bg), 30: frame(more), 75: frame(some)}
    posters = {i: tmp_path / f"{i}.jpg" for i in firsts}
    got = stills(firsts, posters, tmp_path / "p.png", tmp_path / "t.jpg")
    assert got.poster_frame == 30
    assert all(p.is_file() for p in posters.values())
    from PIL import Image

    assert Image.open(tmp_path / "p.png").size == (160, 90)
    r, g, b = (int(got.background[i:i + 2], 16) for i in (1, 3, 5))
    assert abs(r - 12) <= 3 and abs(g - 16) <= 3 and abs(b - 21) <= 3


# --------------------------------------------------------------------------
# reveal.js, installed by make setup
# --------------------------------------------------------------------------


def test_a_missing_reveal_js_file_names_the_setup_step(tmp_path):
    (tmp_path / "reveal.css").write_text("x")
    missing = missing_assets(tmp_path)
    assert "dist/reveal.css" not in missing and "dist/reveal.js" in missing
    with pytest.raises(DeckInputError) as err:
        check_assets(tmp_path)
    msg = str(err.value)
    assert "make setup" in msg and "tools/setup.sh" in msg and f"reveal.js@{REVEAL_VERSION}" in msg
    assert "reveal.js (dist/reveal.js" in msg and str(tmp_path) in msg


def test_setup_installs_the_reveal_js_that_manim_slides_uses():
    from manim_slides.convert import RevealJS

    assert RevealJS.model_fields["reveal_version"].default == REVEAL_VERSION
    setup = (ROOT / "tools" / "setup.sh").read_text()
    assert re.search(rf"^REVEAL_VERSION={re.escape(REVEAL_VERSION)}$", setup, re.M)
    template = (ROOT / "scenes" / "production" / "deck" / "revealjs.html").read_text()
    for url in re.findall(r"\{\{ cdn_url \}\}(/[^\"]+)", template):
        asset = url.lstrip("/").replace("{{ reveal_theme }}", "black")
        assert asset in ASSETS, f"the template loads {asset}, which setup does not install"
