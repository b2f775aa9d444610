"""The build's joined video: streams, durations, sound in sync, subtitles
(.srt and .vtt), chapter markers and the chapter list; rebuilding nothing;
a failing chapter; where each kind of build writes (a preview never over
the final video, ``--only`` never writes a partial video under the whole
video's name); join errors reported with the old video kept. Renders tiny
fixture scenes (tests/fixtures/) at -ql with the espeak voice."""

import shutil
from fractions import Fraction

import numpy as np
import pytest

from scenes.production import BuildError
from scenes.production import media as pmedia
from scenes.production.cli import main
from scenes.production.media import AUDIO_RATE
from tests.fixtures.build_helpers import (
    FAIL, ONE, PREVIEW, THREE, TWO, partials, probe, quake_env, run_build, samples, snapshot, srt_cues,
)

__all__ = ["quake_env"]  # the fixture, imported for pytest


@pytest.fixture(scope="module")
def built(quake_env, tmp_path_factory):
    """One cold build of three fixture chapters (narrated, silent, narrated)."""
    from types import SimpleNamespace

    media = tmp_path_factory.mktemp("media")
    report, lines = run_build(THREE, media)
    return SimpleNamespace(report=report, lines=lines, media=media, out=media / PREVIEW, video=probe(report.video))


def copy_outputs(built, dest):
    """The preview's finished files (not manim's working folders) in another media folder."""
    shutil.copytree(built.out, dest / PREVIEW, ignore=shutil.ignore_patterns("build", "logs", ".build.lock"))
    return dest / PREVIEW


# --------------------------------------------------------------------------
# the joined video
# --------------------------------------------------------------------------


@pytest.mark.render
def test_cold_build_renders_every_chapter_in_its_own_media_folder(built):
    r, out = built.report, built.out
    assert r.rendered == ["one", "silent", "two"] and r.reused == []
    assert r.joined and r.join_method == "remux" and not r.partial
    assert r.video == out / "earthquakes.mp4" and r.video.is_file()
    for stem in ("01-one", "02-silent", "03-two"):
        for suffix in (".mp4", ".srt", ".vtt", ".json"):
            assert (out / "clips" / f"{stem}{suffix}").is_file()
        assert (out / "logs" / f"{stem}.log").is_file()
    # isolation: one manim media folder per chapter, inside this quality's folder
    assert (out / "build" / "01-one" / "voiceovers").is_dir()
    assert (out / "build" / "03-two" / "voiceovers").is_dir()
    assert not (built.media / "build").exists() and not (built.media / "clips").exists()
    # progress lines: chapters done of total, elapsed, and no guessed time left
    assert any("[build 3/3 done" in ln and "elapsed" in ln for ln in built.lines)
    assert any("time left unknown" in ln and "never rendered at 480p15" in ln for ln in built.lines)


@pytest.mark.render
def test_one_video_and_one_audio_stream(built):
    v = built.video
    assert (v.video_streams, v.audio_streams) == (1, 1)
    assert (v.video_codec, v.audio_codec) == ("h264", "aac")
    assert set(v.other_types) <= {"data"}  # the mp4 chapter track


@pytest.mark.render
def test_duration_is_the_sum_of_the_clips(built):
    clips = [probe(c.clip) for c in built.report.chapters]
    frame = 1 / built.video.fps
    assert built.video.frames == sum(c.frames for c in clips)
    assert abs(built.video.video_seconds - sum(c.video_seconds for c in clips)) <= frame
    assert abs(built.video.video_seconds - built.report.duration) <= frame
    assert built.report.duration > 3  # really three chapters of 1-2 s


@pytest.mark.render
def test_audio_lasts_exactly_as_long_as_the_video(built):
    v = built.video
    frame = 1 / v.fps
    assert abs(v.audio_seconds - v.video_seconds) <= frame
    assert abs(Fraction(len(v.samples), AUDIO_RATE) - v.video_seconds) <= frame
    for c in built.report.chapters:  # every clip too, including the silent one
        clip = probe(c.clip)
        assert clip.audio_streams == 1
        assert abs(clip.audio_seconds - clip.video_seconds) <= frame


@pytest.mark.render
def test_silent_chapter_is_filled_with_silence_and_speech_stays_in_sync(built):
    a = built.video.samples
    one, silent, two = built.report.chapters
    s1 = int(round(float(one.duration) * AUDIO_RATE))
    s2 = int(round(float(one.duration + silent.duration) * AUDIO_RATE))
    assert np.abs(a[:s1]).max() > 0.05  # speech in chapter 1
    assert np.abs(a[s1 + 200 : s2 - 200]).max() < 1e-3  # chapter 2: silence, not a gap
    assert np.abs(a[s2:]).max() > 0.05  # speech in chapter 3
    # The voice of chapter 3 lies exactly where manim put it in its own mix,
    # shifted by the chapter's start: no shift, no drift.
    wav = next((built.out / "build" / "03-two").rglob("TinyTwo.wav"))
    ref = samples(wav)
    n = len(ref) - 4000
    lags = range(-480, 481)  # +-10 ms
    scores = [float(np.dot(ref[2000:n], a[s2 + 2000 + k : s2 + n + k])) for k in lags]
    assert abs(lags[int(np.argmax(scores))]) <= 2


@pytest.mark.render
def test_subtitles_are_merged_with_each_chapters_offset(built):
    cues = srt_cues(built.report.subtitles)
    assert [c.content for c in cues] == ["One small quake.", "Then another."]
    end = float(built.video.video_seconds)
    for i, c in enumerate(cues):
        assert 0 <= c.start.total_seconds() < c.end.total_seconds() <= end + 1e-3
        if i:
            assert cues[i - 1].end <= c.start  # in order, no overlap
    one, silent, two = built.report.chapters
    [clip_cue] = srt_cues(two.subtitles)
    offset = float(one.duration + silent.duration)
    assert cues[1].start.total_seconds() == pytest.approx(clip_cue.start.total_seconds() + offset, abs=0.002)
    assert cues[1].end.total_seconds() == pytest.approx(clip_cue.end.total_seconds() + offset, abs=0.002)
    assert srt_cues(silent.subtitles) == []


@pytest.mark.render
def test_every_srt_has_a_vtt_with_the_same_cues(built):
    import webvtt

    pairs = [(built.report.files.srt, built.report.files.vtt)]
    pairs += [(r.subtitles, r.vtt) for r in built.report.chapters]
    for srt_path, vtt_path in pairs:
        assert vtt_path == srt_path.with_suffix(".vtt") and vtt_path.read_text().startswith("WEBVTT")
        vtt = webvtt.read(str(vtt_path))  # a WebVTT parser accepts it
        want = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in srt_cues(srt_path)]
        got = [(_secs(c.start), _secs(c.end), c.text) for c in vtt]
        assert len(got) == len(want)
        for (a0, a1, at), (b0, b1, bt) in zip(got, want):
            assert at == bt and a0 == pytest.approx(b0, abs=1e-3) and a1 == pytest.approx(b1, abs=1e-3)


def _secs(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.render
def test_chapter_markers_have_titles_and_start_times(built):
    marks = built.video.chapters
    assert [m["metadata"]["title"] for m in marks] == [c.title for c in THREE]
    starts = [float(m["start"] * m["time_base"]) for m in marks]
    expected = np.cumsum([0] + [float(c.duration) for c in built.report.chapters[:-1]])
    assert starts == pytest.approx(list(expected), abs=float(1 / built.video.fps))
    assert starts[1] > 1.5  # not all at zero


@pytest.mark.render
def test_chapter_list_for_video_sites(built):
    # Every fixture chapter is shorter than 10 s: they share the first line.
    assert built.report.files.chapters_txt.read_text() == "0:00 One small quake\n"
    assert built.report.folded == ["Silence", "Then another"]


# --------------------------------------------------------------------------
# incremental and safe
# --------------------------------------------------------------------------


@pytest.mark.render
def test_second_run_renders_nothing_and_keeps_the_video(built):
    before = snapshot(built.out), built.report.video.stat().st_mtime_ns
    report, lines = run_build(THREE, built.media)
    assert report.rendered == [] and report.reused == ["one", "silent", "two"]
    assert not report.joined and report.join_method == "skipped"
    assert any("nothing to render" in ln for ln in lines)
    assert (snapshot(built.out), report.video.stat().st_mtime_ns) == before


@pytest.mark.render
def test_failed_chapter_keeps_previous_video_byte_identical(built):
    before = snapshot(built.out)
    with pytest.raises(BuildError) as err:
        run_build([ONE, FAIL, TWO], built.media)
    [failure] = err.value.failures
    assert failure.chapter == "02-fail"
    assert "02-fail" in str(err.value) and str(failure.log) in str(err.value)
    assert "fixture chapter fails on purpose" in failure.log.read_text()
    assert snapshot(built.out) == before
    assert partials(built.out) == []
    report, _ = run_build(THREE, built.media)  # the good state is still current
    assert report.rendered == [] and report.join_method == "skipped"


# --------------------------------------------------------------------------
# issue 13 item 1: outputs per quality; --only
# --------------------------------------------------------------------------


@pytest.mark.render
def test_a_preview_never_touches_the_final_video(built, tmp_path):
    media = tmp_path / "media"
    final = {  # what a final (-qh, real voice) build left at the top of media/
        "earthquakes.mp4": b"final video", "earthquakes.srt": b"1\n", "earthquakes.json": b"{}",
        "clips/01-one.mp4": b"final clip", "clips/01-one.json": b"{}", "build/01-one/cache": b"manim cache",
    }
    for rel, data in final.items():
        (media / rel).parent.mkdir(parents=True, exist_ok=True)
        (media / rel).write_bytes(data)
    copy_outputs(built, media)
    report, _ = run_build(THREE, media)
    assert report.video == media / PREVIEW / "earthquakes.mp4"
    assert report.rendered == []  # the preview's own clips were current
    assert {rel: (media / rel).read_bytes() for rel in final} == final


@pytest.mark.render
def test_only_after_a_full_build_keeps_the_whole_video(built):
    before = snapshot(built.out), built.report.video.stat().st_mtime_ns
    report, lines = run_build(THREE, built.media, only=["two"])
    assert report.rendered == [] and not report.partial and report.join_method == "skipped"
    assert report.video == built.out / "earthquakes.mp4"
    assert (snapshot(built.out), report.video.stat().st_mtime_ns) == before
    assert probe(report.video).frames == built.video.frames
    assert [r.chapter.name for r in report.in_video] == ["one", "silent", "two"]
    assert report.video_duration == built.report.duration


@pytest.mark.render
def test_only_with_other_chapters_missing_writes_a_partial_video_under_its_own_name(built, tmp_path):
    out = copy_outputs(built, tmp_path)
    for suffix in (".mp4", ".json"):  # chapter two has no current clip at this quality
        (out / "clips" / f"03-two{suffix}").unlink()
    before = snapshot(out)
    report, lines = run_build(THREE, tmp_path, only=["one"])
    assert report.rendered == [] and report.partial and report.missing == ["two"]
    assert report.video == out / "earthquakes.partial.mp4"
    assert probe(report.video).frames == probe(out / "clips/01-one.mp4").frames
    assert [m["metadata"]["title"] for m in probe(report.video).chapters] == [ONE.title]
    for name in ("earthquakes.partial.srt", "earthquakes.partial.vtt", "earthquakes.partial.chapters.txt"):
        assert (out / name).is_file()
    # the whole video and its files are untouched
    assert {k: v for k, v in snapshot(out).items() if "partial" not in k} == before
    assert any("earthquakes.partial.mp4" in ln and "two" in ln for ln in lines)


# --------------------------------------------------------------------------
# issue 13 item 2: join errors reach the user; the old video stays
# --------------------------------------------------------------------------


@pytest.mark.render
def test_join_error_message_reaches_the_user(built, tmp_path, capsys):
    out = copy_outputs(built, tmp_path)
    (out / "earthquakes.json").unlink()  # force a join
    (out / "earthquakes.mp4").unlink()
    (out / "earthquakes.mp4").mkdir()  # the output path is a folder
    code = main(["build", "--quality", "l", "--voice", "espeak", "--media-dir", str(tmp_path)], chapters=THREE)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Joining the clips into" in err and "earthquakes.mp4" in err and "directory" in err.lower()
    assert "AttributeError" not in err and "Traceback" not in err
    assert partials(out) == []


@pytest.mark.render
def test_join_failing_midway_keeps_the_old_video_byte_identical(built, tmp_path, monkeypatch):
    out = copy_outputs(built, tmp_path)
    (out / "earthquakes.json").unlink()  # force a join
    before = snapshot(out)
    calls = []

    def full_disk(self, arr):
        calls.append(1)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        original(self, arr)

    original = pmedia._AudioOut.feed
    monkeypatch.setattr(pmedia._AudioOut, "feed", full_disk)
    with pytest.raises(BuildError) as err:
        run_build(THREE, tmp_path)
    assert "No space left on device" in str(err.value) and "previous video was left" in str(err.value)
    assert len(calls) > 2  # it failed while writing, not before
    assert snapshot(out) == before
    assert partials(out) == []
