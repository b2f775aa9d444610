"""The full-video build (`python -m scenes build`): joined mp4, subtitles,
chapter markers, incremental rebuilds, safety on failure and interruption,
and input errors. Renders tiny fixture scenes (tests/fixtures/) at -ql with
the espeak voice."""

import os
import shutil
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import scenes.build as sb
from scenes.build import BuildError, BuildInputError, build
from scenes.chapters import CHAPTERS, Chapter

ROOT = Path(__file__).resolve().parents[1]
FIX = "tests/fixtures"

ONE = Chapter(1, "one", "One small quake", f"{FIX}/tiny_one.py", "TinyOne")
SILENT = Chapter(2, "silent", "Silence", f"{FIX}/tiny_silent.py", "TinySilent")
TWO = Chapter(3, "two", "Then another", f"{FIX}/tiny_two.py", "TinyTwo")
FAIL = Chapter(2, "fail", "Broken", f"{FIX}/tiny_fail.py", "TinyFail")
SLOW = Chapter(2, "slow", "Slow", f"{FIX}/tiny_slow.py", "TinySlow")
THREE = [ONE, SILENT, TWO]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def probe(path):
    """Streams, packet-exact durations, decoded audio and chapter markers."""
    import av

    with av.open(str(path)) as c:
        v, a = c.streams.video, c.streams.audio
        info = SimpleNamespace(
            video_streams=len(v),
            audio_streams=len(a),
            other_types=[s.type for s in c.streams if s.type not in ("video", "audio")],
            video_codec=v[0].codec_context.name if v else None,
            audio_codec=a[0].codec_context.name if a else None,
            fps=Fraction(v[0].average_rate) if v else None,
            chapters=c.chapters(),
        )
        pkts = [p for p in c.demux(v[0]) if p.dts is not None]
        info.frames = len(pkts)
        tb = v[0].time_base
        info.video_seconds = Fraction(max(p.pts + p.duration for p in pkts) - min(p.pts for p in pkts)) * tb
    if info.audio_streams:
        with av.open(str(path)) as c:
            s = c.streams.audio[0]
            pkts = [p for p in c.demux(s) if p.dts is not None]
            info.audio_seconds = Fraction(max(p.pts + p.duration for p in pkts) - min(p.pts for p in pkts)) * s.time_base
        chunks = list(sb._audio_chunks(Path(path)))
        info.samples = np.concatenate(chunks, axis=1)[0] if chunks else np.zeros(0, np.float32)
    return info


def srt_cues(path):
    import srt

    return list(srt.parse(Path(path).read_text(encoding="utf-8")))


def partials(*folders):
    return [p for f in folders if f.is_dir() for p in f.rglob(f"*{sb._PARTIAL}*")]


def run_build(chapters, media, **kw):
    lines = []
    kw.setdefault("jobs", 2)
    report = build(chapters, quality="l", voice="espeak", media_dir=media, log=lines.append, **kw)
    return report, lines


@pytest.fixture(scope="module")
def quake_env(tmp_path_factory):
    """espeak voice, no recordings, default story, for this module."""
    mp = pytest.MonkeyPatch()
    mp.setenv("QUAKE_VOICE", "espeak")
    mp.setenv("QUAKE_RECORDINGS", str(tmp_path_factory.mktemp("no-recordings")))
    mp.delenv("QUAKE_STORY", raising=False)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def built(quake_env, tmp_path_factory):
    """One cold build of three fixture chapters (narrated, silent, narrated)."""
    media = tmp_path_factory.mktemp("media")
    report, lines = run_build(THREE, media)
    return SimpleNamespace(report=report, lines=lines, media=media, video=probe(report.video))


# --------------------------------------------------------------------------
# the joined video
# --------------------------------------------------------------------------


@pytest.mark.render
def test_cold_build_renders_every_chapter_in_its_own_media_folder(built):
    r = built.report
    assert r.rendered == ["one", "silent", "two"] and r.reused == []
    assert r.joined and r.join_method == "remux"
    assert r.video == built.media / "earthquakes.mp4" and r.video.is_file()
    assert r.subtitles == built.media / "earthquakes.srt" and r.subtitles.is_file()
    for stem in ("01-one", "02-silent", "03-two"):
        assert (built.media / "clips" / f"{stem}.mp4").is_file()
        assert (built.media / "clips" / f"{stem}.srt").is_file()
        assert (built.media / "logs" / f"{stem}.log").is_file()
    # isolation: separate voiceover caches, one per narrated chapter
    assert (built.media / "build" / "01-one" / "voiceovers").is_dir()
    assert (built.media / "build" / "03-two" / "voiceovers").is_dir()
    # progress lines: chapters done of total, elapsed, time left
    assert any("[build 3/3 done" in ln and "elapsed" in ln and "left]" in ln for ln in built.lines)


@pytest.mark.render
def test_one_video_and_one_audio_stream(built):
    v = built.video
    assert (v.video_streams, v.audio_streams) == (1, 1)
    assert (v.video_codec, v.audio_codec) == ("h264", "aac")
    # the only other track allowed is the mp4 chapter track (a data stream)
    assert set(v.other_types) <= {"data"}


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
    assert abs(Fraction(len(v.samples), sb.AUDIO_RATE) - v.video_seconds) <= frame
    for c in built.report.chapters:  # every clip too, including the silent one
        clip = probe(c.clip)
        assert clip.audio_streams == 1
        assert abs(clip.audio_seconds - clip.video_seconds) <= frame


@pytest.mark.render
def test_silent_chapter_is_filled_with_silence_and_speech_stays_in_sync(built):
    a = built.video.samples
    one, silent, two = built.report.chapters
    s1, s2 = (int(round(float(one.duration) * sb.AUDIO_RATE)),
              int(round(float(one.duration + silent.duration) * sb.AUDIO_RATE)))
    assert np.abs(a[: s1]).max() > 0.05  # speech in chapter 1
    assert np.abs(a[s1 + 200 : s2 - 200]).max() < 1e-3  # chapter 2: silence, not a gap
    assert np.abs(a[s2:]).max() > 0.05  # speech in chapter 3
    # The voice of chapter 3 lies exactly where manim put it in its own mix,
    # shifted by the chapter's start: no shift, no drift.
    wav = next((built.media / "build" / "03-two").rglob("TinyTwo.wav"))
    ref = np.concatenate(list(sb._audio_chunks(wav)), axis=1)[0]
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
def test_chapter_markers_have_titles_and_start_times(built):
    marks = built.video.chapters
    assert [m["metadata"]["title"] for m in marks] == [c.title for c in THREE]
    starts = [float(m["start"] * m["time_base"]) for m in marks]
    expected = np.cumsum([0] + [float(c.duration) for c in built.report.chapters[:-1]])
    assert starts == pytest.approx(list(expected), abs=float(1 / built.video.fps))
    assert starts[1] > 1.5  # not all at zero


def test_subtitle_merge_orders_clamps_and_shifts(tmp_path):
    a = tmp_path / "a.srt"
    a.write_text("1\n00:00:00,500 --> 00:00:02,000\nfirst\n\n2\n00:00:01,500 --> 00:00:09,000\noverlaps and overruns\n\n")
    b = tmp_path / "b.srt"
    b.write_text("1\n00:00:00,100 --> 00:00:00,900\nsecond clip\n\n")
    merged = tmp_path / "m.srt"
    merged.write_text(sb._merge_subtitles([(a, Fraction(0), Fraction(3)), (None, Fraction(3), Fraction(4)), (b, Fraction(4), Fraction(5))]))
    cues = srt_cues(merged)
    times = [(c.start.total_seconds(), c.end.total_seconds()) for c in cues]
    assert times == [(0.5, 1.5), (1.5, 3.0), (4.1, 4.9)]
    assert [c.index for c in cues] == [1, 2, 3]


# --------------------------------------------------------------------------
# incremental and safe
# --------------------------------------------------------------------------


@pytest.mark.render
def test_second_run_renders_nothing_and_keeps_the_video(built):
    before = built.report.video.stat().st_mtime_ns, built.report.video.read_bytes()
    report, lines = run_build(THREE, built.media)
    assert report.rendered == [] and report.reused == ["one", "silent", "two"]
    assert not report.joined and report.join_method == "skipped"
    assert any("nothing to render" in ln for ln in lines)
    assert (report.video.stat().st_mtime_ns, report.video.read_bytes()) == before


@pytest.mark.render
def test_failed_chapter_keeps_previous_video_byte_identical(built):
    video, subs = built.report.video, built.report.subtitles
    before = video.read_bytes(), subs.read_bytes()
    with pytest.raises(BuildError) as err:
        run_build([ONE, FAIL, TWO], built.media)
    [failure] = err.value.failures
    assert failure.chapter == "02-fail"
    assert "02-fail" in str(err.value) and str(failure.log) in str(err.value)
    assert "fixture chapter fails on purpose" in failure.log.read_text()
    assert (video.read_bytes(), subs.read_bytes()) == before
    assert partials(built.media) == []
    # the failure left the good state alone: the old chapter list is still up to date
    report, _ = run_build(THREE, built.media)
    assert report.rendered == [] and report.join_method == "skipped"


@pytest.mark.render
def test_sigterm_during_a_render_keeps_previous_video(built, tmp_path):
    out = tmp_path / "media"
    out.mkdir()
    previous = out / "earthquakes.mp4"
    shutil.copyfile(built.report.video, previous)
    before = previous.read_bytes()
    pidfile = tmp_path / "slow.pid"
    code = (
        "import sys\n"
        "from scenes.build import main\n"
        "from scenes.chapters import Chapter\n"
        f"chapters = [Chapter(*{tuple(vars(ONE).values())!r}), Chapter(*{tuple(vars(SLOW).values())!r})]\n"
        "sys.exit(main(sys.argv[1:], chapters=chapters))\n"
    )
    env = dict(os.environ, TINY_SLOW_PIDFILE=str(pidfile))
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "build", "--quality", "l", "--voice", "espeak", "--jobs", "1", "--media-dir", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pidfile.is_file() and pidfile.read_text()) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.1)
        assert pidfile.is_file(), "the slow chapter never started"
        assert (out / "clips" / "01-one.json").is_file()  # first chapter finished
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, output
    assert "previous video was left as it was" in output
    assert previous.read_bytes() == before
    assert not (out / "earthquakes.srt").exists()
    assert partials(out) == []
    assert (out / "clips" / "01-one.mp4").is_file()  # finished work is kept
    # the render of the slow chapter was ended too
    child = int(pidfile.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"render process {child} still running after the build was terminated")


@pytest.mark.render
def test_editing_one_chapter_rerenders_only_that_chapter(quake_env, tmp_path):
    files = {}
    for name in ("tiny_one", "tiny_two"):
        files[name] = tmp_path / f"{name}.py"
        shutil.copyfile(ROOT / FIX / f"{name}.py", files[name])
    chapters = [
        Chapter(1, "a", "A", str(files["tiny_one"]), "TinyOne"),
        Chapter(2, "b", "B", str(files["tiny_two"]), "TinyTwo"),
    ]
    media = tmp_path / "media"
    first, _ = run_build(chapters, media)
    assert first.rendered == ["a", "b"]
    src = files["tiny_two"].read_text()
    files["tiny_two"].write_text(src.replace("self.wait(0.5)", "self.wait(1)"))
    second, _ = run_build(chapters, media)
    assert second.rendered == ["b"] and second.reused == ["a"]
    assert second.joined
    assert second.duration == pytest.approx(float(first.duration) + 0.5, abs=0.1)
    assert probe(second.video).frames == sum(c.frames for c in second.chapters)


def test_hash_covers_the_declared_inputs(quake_env, tmp_path, monkeypatch):
    fake = tmp_path / "project"
    for folder in ("scenes/kit", "quake_math"):
        shutil.copytree(ROOT / folder, fake / folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sb, "PROJECT_ROOT", fake)
    rec = tmp_path / "rec"
    rec.mkdir()
    monkeypatch.setenv("QUAKE_RECORDINGS", str(rec))

    def h(ch=ONE, quality="l", voice="espeak"):
        return sb._chapter_hash(ch, sb._common_inputs(ROOT, quality, voice))

    base = h()
    assert h() == base  # deterministic
    assert h(quality="m") != base
    assert h(voice="joe") != base
    assert h(TWO) != base
    (fake / "scenes/kit/base.py").write_text((fake / "scenes/kit/base.py").read_text() + "\n# edit\n")
    kit_edit = h()
    assert kit_edit != base
    (fake / "quake_math/loss.py").write_text((fake / "quake_math/loss.py").read_text() + "\n# edit\n")
    math_edit = h()
    assert math_edit != kit_edit
    story = tmp_path / "story.toml"
    story.write_text("seed = 11\n")
    monkeypatch.setenv("QUAKE_STORY", str(story))
    with_story = h()
    assert with_story != math_edit
    story.write_text("seed = 12\n")
    assert h() != with_story
    with_story = h()
    (rec / "unrelated-block-00000000.wav").write_bytes(b"RIFF")  # not a block of ONE
    assert h() == with_story
    from scenes.kit.narration import block_id

    (rec / f"{block_id('One small quake.')}.wav").write_bytes(b"RIFF")
    assert h() != with_story


# --------------------------------------------------------------------------
# bad input: listed choices, exit code 2, nothing rendered
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, needles",
    [
        ({"only": ["nope"]}, ["'nope'", "one", "silent", "two"]),
        ({"quality": "x"}, ["'x'", "l ", "m ", "h ", "k ", "1080p60"]),
        ({"voice": "robot"}, ["'robot'", "joe", "espeak", ".onnx"]),
        ({"jobs": 0}, ["--jobs"]),
    ],
)
def test_bad_input_lists_the_choices_before_rendering(quake_env, tmp_path, kwargs, needles):
    args = {"quality": "l", "voice": "espeak", **kwargs}
    with pytest.raises(BuildInputError) as err:
        build(THREE, media_dir=tmp_path, log=lambda line: None, **args)
    for needle in needles:
        assert needle in str(err.value)
    assert not (tmp_path / "build").exists() and not (tmp_path / "logs").exists()


def test_missing_chapter_file_or_scene_is_an_input_error(quake_env, tmp_path):
    with pytest.raises(BuildInputError, match="does not exist"):
        build([Chapter(1, "x", "X", "scenes/nope.py", "Nope")], quality="l", voice="espeak", media_dir=tmp_path)
    with pytest.raises(BuildInputError, match="defines no Nope"):
        build([Chapter(1, "x", "X", ONE.file, "Nope")], quality="l", voice="espeak", media_dir=tmp_path)


@pytest.mark.parametrize(
    "args, needles",
    [
        (["--only", "nope"], ["'nope'"] + [c.name for c in CHAPTERS]),
        (["--quality", "x"], ["'x'", "1080p60", "2160p60"]),
        (["--voice", "robot"], ["'robot'", "joe", "espeak", ".onnx"]),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, args, needles):
    proc = subprocess.run(
        [sys.executable, "-m", "scenes", "build", "--media-dir", str(tmp_path), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for needle in needles:
        assert needle in proc.stderr
    assert not (tmp_path / "build").exists()


def test_cli_list_matches_chapters():
    proc = subprocess.run([sys.executable, "-m", "scenes", "list"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert rows == [[str(c.number), c.name, c.file, c.scene] for c in CHAPTERS]
