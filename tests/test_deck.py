"""The lecture deck from a tiny build (two fixture chapters at -ql, espeak):
made by ``python -m scenes deck`` on an empty media folder (it builds
first), one slide per beat, slide videos that are the clip's own packets
and sound, manim-slides' format, the PowerPoint file, poster frames, and
what happens when a clip's sources change or reveal.js is missing.
(The offline HTML in a real browser: tests/test_deck_browser.py.)"""

from __future__ import annotations

import io
import os
import shutil
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from scenes.chapters import Chapter
from scenes.production.media import AUDIO_RATE
from tests.fixtures.build_helpers import onsets, samples
from tests.fixtures.deck_helpers import (
    CHAPTERS, MORE, TALK, beats, deck_env, record, run_deck, slide_paths, tiny_build, words,
)

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_build(tmp_path_factory)


def video_packets(path: Path) -> list[tuple[bytes, bool]]:
    with av.open(str(path)) as c:
        return [(bytes(p), bool(p.is_keyframe)) for p in c.demux(c.streams.video[0]) if p.dts is not None]


def streams(data) -> tuple[int, int]:
    """(video streams, audio streams) of an mp4 file or bytes."""
    src = io.BytesIO(data) if isinstance(data, bytes) else str(data)
    with av.open(src) as c:
        return len(c.streams.video), len(c.streams.audio)


# --------------------------------------------------------------------------
# building first, one slide per beat
# --------------------------------------------------------------------------


def test_a_deck_asked_for_before_any_build_builds_first(tiny):
    rc, out, _ = tiny.first
    assert "rendering 01-talk" in out and "rendering 02-more" in out
    for ch in CHAPTERS:
        assert tiny.out.clip(ch).is_file()
    lecture = tiny.media / "480p15-espeak" / "lecture"
    assert lecture == tiny.out.lecture_dir  # a preview's deck: never media/lecture/
    for name in ("earthquakes.html", "earthquakes.pptx", "slides/earthquakes.json",
                 "earthquakes-silent.html", "earthquakes-silent.pptx", "slides/earthquakes-silent.json"):
        assert (lecture / name).is_file(), name
    assert not (tiny.media / "lecture").exists()
    # the silent deck reused the build: nothing rendered again
    assert "rendering" not in tiny.silent[1]


def test_one_slide_per_beat_and_a_short_beat_joins_its_neighbour(tiny):
    talk = beats(tiny.out, TALK)
    # the fixture's design: a long beat, "Yes." (well under 2 s), a long beat
    assert [b["text"] for b in talk][1] == "Yes."
    assert talk[1]["duration"] < 1.5 and talk[0]["duration"] > 2.5 and talk[2]["duration"] > 2.5
    assert [s["beats"] for s in record(tiny.out, TALK)["slides"]] == [[0, 1], [2]]
    assert [s["beats"] for s in record(tiny.out, MORE)["slides"]] == [[0], [1]]


def test_manim_slides_loads_the_deck_with_its_own_model(tiny):
    from manim_slides.config import PresentationConfig

    for name, silent in (("earthquakes", False), ("earthquakes-silent", True)):
        config = PresentationConfig.from_file(tiny.out.lecture_dir / "slides" / f"{name}.json")
        expected = [s for ch in CHAPTERS for s in record(tiny.out, ch, silent)["slides"]]
        assert len(config.slides) == len(expected) == 4
        texts = {ch.name: [b["text"] for b in beats(tiny.out, ch)] for ch in CHAPTERS}
        assert [words(s.notes) for s in config.slides] == [
            words(" ".join(texts["talk"][:2])), texts["talk"][2], texts["more"][0], texts["more"][1]]
        paths = [p for ch in CHAPTERS for p in slide_paths(tiny.out, ch, silent)]
        assert [s.file.resolve() for s in config.slides] == [p.resolve() for p in paths]
        with av.open(str(tiny.out.clip(TALK))) as c:
            s = c.streams.video[0]
            assert config.resolution == (s.codec_context.width, s.codec_context.height)


def test_manim_slides_converts_the_deck_offline_as_any_deck(tiny, tmp_path):
    import re
    import subprocess
    import sys

    dest = tmp_path / "converted.html"
    proc = subprocess.run([sys.executable, "-m", "manim_slides", "convert", "--folder",
                           str(tiny.out.lecture_dir / "slides"), "earthquakes", str(dest), "--offline", "--one-file"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = dest.read_text(encoding="utf-8")
    assert page.count("data-background-video=") == 4
    assert not re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="https?://', page), "reveal.js came from its cache"


# --------------------------------------------------------------------------
# slides are the clip, cut: same packets, same length, sound in place
# --------------------------------------------------------------------------


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.name)
def test_a_chapters_slides_joined_are_its_clip(tiny, ch):
    clip = tiny.out.clip(ch)
    slides = slide_paths(tiny.out, ch)
    joined = [p for s in slides for p in video_packets(s)]
    whole = video_packets(clip)
    assert joined == whole, "the slides' video packets are the clip's, copied (not encoded again)"
    assert all(video_packets(s)[0][1] for s in slides), "every slide starts at a keyframe"
    with av.open(str(clip)) as c:
        fps = Fraction(c.streams.video[0].average_rate)
    lengths = []
    for s in slides:
        with av.open(str(s)) as c:
            v = c.streams.video[0]
            pkts = [p for p in c.demux(v) if p.dts is not None]
            lengths.append(Fraction(max(p.pts + p.duration for p in pkts) - min(p.pts for p in pkts)) * v.time_base)
    assert abs(sum(lengths) - len(whole) / fps) <= len(slides) / fps


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.name)
def test_each_slide_has_its_own_narration_and_it_lines_up_with_the_clip(tiny, ch):
    clip = samples(tiny.out.clip(ch))
    parts = []
    for s, info in zip(slide_paths(tiny.out, ch), record(tiny.out, ch)["slides"]):
        assert streams(s) == (1, 1)
        x = samples(s)
        want = round(Fraction(info["first"] + info["frames"], int(info["fps"])) * AUDIO_RATE) - round(
            Fraction(info["first"], int(info["fps"])) * AUDIO_RATE)
        assert abs(len(x) - want) <= 1024, "a slide's sound is as long as its picture (within one AAC frame)"
        parts.append(np.pad(x[:want], (0, max(0, want - len(x)))))
        # its own narration: sound starts within the slide
        assert np.abs(x).max() > 0.05
    joined = np.concatenate(parts)
    n = min(len(joined), len(clip))
    assert abs(len(joined) - len(clip)) <= 1024 * len(parts)
    a, b = onsets(joined[:n]), onsets(clip[:n])
    assert len(a) == len(b) and np.allclose(a, b, atol=0.02), (a, b)
    # the loudness over time is the clip's (AAC again changes the waveform, not its shape)
    win = AUDIO_RATE // 100
    env = [np.sqrt((y[: n // win * win].reshape(-1, win) ** 2).mean(axis=1)) for y in (joined, clip)]
    assert np.corrcoef(env[0], env[1])[0, 1] > 0.97


def test_the_silent_deck_has_the_same_pictures_and_no_sound(tiny):
    for ch in CHAPTERS:
        loud, quiet = slide_paths(tiny.out, ch), slide_paths(tiny.out, ch, silent=True)
        assert len(loud) == len(quiet)
        for a, b in zip(loud, quiet):
            assert streams(b) == (1, 0)
            assert video_packets(a) == video_packets(b)
        assert [s["text"] for s in record(tiny.out, ch, True)["slides"]] == [
            s["text"] for s in record(tiny.out, ch)["slides"]]


# --------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------


@pytest.mark.parametrize("silent", [False, True], ids=["narrated", "silent"])
def test_the_pptx_has_a_slide_per_beat_with_its_video_sound_notes_and_title(tiny, silent):
    from pptx import Presentation

    name = "earthquakes-silent.pptx" if silent else "earthquakes.pptx"
    prs = Presentation(str(tiny.out.lecture_dir / name))
    expected = [(ch, s) for ch in CHAPTERS for s in record(tiny.out, ch, silent)["slides"]]
    assert len(prs.slides) == len(expected) == 4
    texts = {ch.name: [b["text"] for b in beats(tiny.out, ch)] for ch in CHAPTERS}
    for slide, (ch, info) in zip(prs.slides, expected):
        media = {r.target_part.partname: r.target_part for r in slide.part.rels.values()
                 if not r.is_external and r.target_part.content_type.startswith("video/")}
        assert len(media) == 1, "one embedded video per slide"
        video = next(iter(media.values())).blob
        assert streams(video) == ((1, 0) if silent else (1, 1))
        assert words(slide.notes_slide.notes_text_frame.text) == words(" ".join(texts[ch.name][b] for b in info["beats"]))
        assert slide.shapes.title.text == ch.title


# --------------------------------------------------------------------------
# poster frames
# --------------------------------------------------------------------------


def ink(grey) -> float:
    """The share of pixels that stand out from the background (the median)."""
    grey = np.asarray(grey, dtype=np.float32)
    return float((np.abs(grey - np.median(grey)) > 40).mean())


def test_each_chapter_has_a_poster_frame_that_is_not_its_empty_first_frame(tiny):
    from PIL import Image

    for ch in CHAPTERS:
        png = tiny.out.clip_file(ch, ".png")
        poster = np.asarray(Image.open(png).convert("L"), dtype=np.float32)
        with av.open(str(tiny.out.clip(ch))) as c:
            frames = [f.to_ndarray(format="gray") for f in c.decode(video=0)]
            fps = float(c.streams.video[0].average_rate)
        assert poster.shape == frames[0].shape
        at = round(record(tiny.out, ch)["poster_time"] * fps)
        assert np.abs(poster - frames[at]).mean() < 3, "the poster is the clip's frame at poster_time"
        assert ink(poster) > 0.002 and ink(poster) > ink(frames[0]), "something drawn, more than at the start"
        if ch is TALK:
            assert ink(frames[0]) == 0, "(the fixture's first frame is empty)"
            # the circle and the square both stand: the picture of the first beats, complete
            assert ink(poster) >= 0.9 * max(ink(f) for f in frames[: round(5.3 * fps)])


# --------------------------------------------------------------------------
# again, stale sources, missing reveal.js
# --------------------------------------------------------------------------


def test_a_second_deck_with_nothing_changed_cuts_nothing(tiny, monkeypatch):
    for k, v in deck_env(tiny.base).items():
        monkeypatch.setenv(k, v)
    before = {p: p.stat().st_mtime_ns for p in (tiny.out.lecture_dir / "slides" / "files").rglob("*.mp4")}
    rc, out, err = run_deck(tiny.media, CHAPTERS)
    assert rc == 0, err
    assert "cut: none" in out and "rendering" not in out
    assert {p: p.stat().st_mtime_ns for p in (tiny.out.lecture_dir / "slides" / "files").rglob("*.mp4")} == before


def test_a_clip_whose_sources_changed_is_rendered_again_never_reused(tmp_path, monkeypatch):
    for k, v in deck_env(tmp_path).items():
        monkeypatch.setenv(k, v)
    src = tmp_path / "deck_more_copy.py"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "deck_more.py", src)
    ch = Chapter(1, "more", "More", str(src), "DeckMore")  # an absolute path: the build reads it as is
    rc, out, err = run_deck(tmp_path / "media", [ch])
    assert rc == 0, err
    text = src.read_text()
    src.write_text(text.replace("one after another", "again and again"))
    rc, out, err = run_deck(tmp_path / "media", [ch])
    assert rc == 0, err
    assert "rendering 01-more" in out and "cut: 01-more" in out
    from scenes.production.outputs import Outputs

    notes = [s["text"] for s in record(Outputs.for_build("l", "espeak", tmp_path / "media"), ch)["slides"]]
    assert any("again and again" in t for t in notes) and not any("one after another" in t for t in notes)


def test_a_missing_reveal_js_file_stops_the_deck_before_any_build(tmp_path, monkeypatch):
    for k, v in deck_env(tmp_path).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    rc, out, err = run_deck(tmp_path / "media", CHAPTERS)
    assert rc == 2
    assert "make setup" in err and "reveal.js" in err and "reveal.css" in err
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.mp4"))
    assert os.environ["XDG_CACHE_HOME"] in err


def test_a_deck_that_fails_half_way_leaves_the_previous_deck_as_it_was(tiny, monkeypatch):
    import hashlib

    from scenes.production.deck import html as deck_html
    from scenes.production.deck.make import make_deck
    from scenes.production.files import PARTIAL

    lecture = tiny.out.lecture_dir
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in lecture.rglob("*") if p.is_file()}
    calls = []
    real = deck_html._write_data_url

    def failing(out, path, mime):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")  # half-way through the page
        real(out, path, mime)

    monkeypatch.setattr(deck_html, "_write_data_url", failing)
    with pytest.raises(OSError):
        make_deck(tiny.out, CHAPTERS, jobs=1, log=lambda line: None)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in lecture.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in lecture.rglob(f"*{PARTIAL}*")]


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.name)
def test_beats_rebuilt_from_subtitles_are_the_beats_manifest(tiny, ch):
    """The fallback for builds older than the beats manifest gives the same beats."""
    from scenes.production.deck.beats import beats_from_srt
    from scenes.production.deck.cuts import scan

    info = scan(tiny.out.clip(ch))
    got = beats_from_srt(tiny.out.clip_file(ch, ".srt"), info.keyframes, info.fps)
    want = beats(tiny.out, ch)
    assert [b.text for b in got] == [words(b["text"]) for b in want]
    assert np.allclose([b.start for b in got], [b["start"] for b in want], atol=0.002)
