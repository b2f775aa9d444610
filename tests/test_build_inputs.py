"""What the build checks before it renders, and what it reads: bad names,
qualities, voices and jobs; an output folder it cannot write; a relative
QUAKE_RECORDINGS; the beats manifest beside each clip; the time estimate
(only from earlier renders at the same quality); the command line."""

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from scenes.chapters import CHAPTERS, Chapter
from scenes.production import BuildInputError, build
from scenes.production.outputs import Outputs
from scenes.production.plan import clip_state, prepare
from scenes.production.progress import left_text, time_left
from tests.fixtures.build_helpers import BEATS, ONE, PREVIEW, ROOT, THREE, quake_env, run_build, samples

__all__ = ["quake_env"]


def nothing_rendered(media: Path) -> bool:
    return not any((media / PREVIEW / sub).is_dir() and any((media / PREVIEW / sub).iterdir())
                   for sub in ("build", "logs"))


# --------------------------------------------------------------------------
# bad input: named, with the choices, exit code 2, nothing rendered
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
    assert nothing_rendered(tmp_path)


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
        # issue 13 item 7: a bad --voice names --voice, not QUAKE_VOICE
        (["--voice", "robot"], ["'robot'", "--voice", "joe", "espeak", ".onnx"]),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, args, needles):
    env = {k: v for k, v in os.environ.items() if k != "QUAKE_VOICE"}
    proc = subprocess.run([sys.executable, "-m", "scenes", "build", "--media-dir", str(tmp_path), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for needle in needles:
        assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not any(tmp_path.iterdir())


def test_cli_list_matches_chapters():
    proc = subprocess.run([sys.executable, "-m", "scenes", "list"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert rows == [[str(c.number), c.name, c.file, c.scene] for c in CHAPTERS]


def test_cli_help_names_every_command():
    proc = subprocess.run([sys.executable, "-m", "scenes", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    for command in ("list", "build", "storyboard", "deck", "script"):
        assert command in proc.stdout


# --------------------------------------------------------------------------
# issue 13 item 7: an output folder the build cannot write, before any render
# --------------------------------------------------------------------------


def test_output_folder_in_the_way_is_named_before_any_render(quake_env, tmp_path):
    clips = tmp_path / PREVIEW / "clips"
    clips.parent.mkdir(parents=True)
    clips.write_text("not a folder")
    with pytest.raises(BuildInputError) as err:
        run_build(THREE, tmp_path)
    assert str(clips) in str(err.value) and "not a folder" in str(err.value)
    assert nothing_rendered(tmp_path)


@pytest.fixture
def read_only_folder():
    """A folder nobody can write, not even root (chattr +i), or skip."""
    made = []

    def make(path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            path.chmod(0o555)
        elif not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)],
                                                          capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: cannot make a read-only folder")
        made.append(path)
        return path

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o755)


def test_unwritable_clips_folder_is_named_before_any_render(quake_env, tmp_path, read_only_folder):
    clips = read_only_folder(tmp_path / PREVIEW / "clips")
    with pytest.raises(BuildInputError) as err:
        run_build(THREE, tmp_path)
    assert str(clips) in str(err.value) and "cannot be written" in str(err.value)
    assert nothing_rendered(tmp_path)


# --------------------------------------------------------------------------
# issue 13 item 6: a relative QUAKE_RECORDINGS means the user's folder
# --------------------------------------------------------------------------


def write_tone(path: Path, hz: float = 440.0, seconds: float = 1.0, rate: int = 22050) -> None:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.5 * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


@pytest.mark.render
def test_relative_recordings_folder_is_the_users_and_is_used(quake_env, tmp_path, monkeypatch):
    from scenes.kit.narration import block_id

    rec = tmp_path / "my-recordings"
    rec.mkdir()
    name = f"{block_id('One small quake.')}.wav"
    write_tone(rec / name)
    monkeypatch.chdir(tmp_path)  # the user's folder, not the project root
    monkeypatch.setenv("QUAKE_RECORDINGS", "my-recordings")
    report, _ = run_build([ONE], tmp_path / "media")
    [r] = report.chapters
    stamp = __import__("json").loads(r.clip.with_suffix(".json").read_text())
    assert stamp["recordings_folder"] == str(rec)
    assert stamp["recordings"].get(name)  # the checksum of the recording that was used
    # The clip speaks the recording: a 440 Hz tone, not espeak's voice.
    a = samples(r.clip)[: int(0.9 * 48_000)]
    spectrum = np.abs(np.fft.rfft(a)) ** 2
    freqs = np.fft.rfftfreq(len(a), 1 / 48_000)
    assert spectrum[(freqs > 420) & (freqs < 460)].sum() > 0.8 * spectrum.sum()


# --------------------------------------------------------------------------
# beats manifests (shared contract 2) travel with the clip
# --------------------------------------------------------------------------


@pytest.mark.render
def test_beats_manifest_is_copied_beside_the_clip_and_makes_it_current(quake_env, tmp_path, monkeypatch):
    import json

    from scenes.kit.narration import block_id

    rec = tmp_path / "rec"
    rec.mkdir()
    monkeypatch.setenv("QUAKE_RECORDINGS", str(rec))
    report, _ = run_build([BEATS], tmp_path)
    [r] = report.chapters
    out = tmp_path / PREVIEW
    rendered = next((out / "build").rglob("TinyBeats.beats.json"))
    assert r.beats == out / "clips" / "04-beats.beats.json"
    assert r.beats.read_bytes() == rendered.read_bytes()
    name = f"{block_id('A beat with its own record.')}.wav"
    assert json.loads(r.clip.with_suffix(".json").read_text())["recordings"] == {name: None}

    outputs = Outputs.for_build("l", "espeak", tmp_path)

    def current() -> bool:
        return clip_state(BEATS, prepare(ROOT, "l", "espeak", None), outputs).current

    assert current()
    write_tone(rec / "some-other-block-00000000.wav")  # not one of its blocks
    assert current()
    write_tone(rec / name)  # a recording for its block: render again
    assert not current()
    (rec / name).unlink()
    assert current()
    r.beats.unlink()  # its manifest is part of the clip
    assert not current()
    report, _ = run_build([BEATS], tmp_path)
    assert report.rendered == ["beats"] and r.beats.is_file()


# --------------------------------------------------------------------------
# the time estimate: earlier renders at the same quality, or none
# --------------------------------------------------------------------------


def test_estimate_comes_only_from_a_render_at_the_same_quality(quake_env, tmp_path):
    import json

    shared_h = prepare(ROOT, "h", "joe", None)
    final = Outputs.for_build("h", "joe", tmp_path)
    final.clips_dir.mkdir(parents=True)
    stamp = final.clip_file(ONE, ".json")
    stamp.write_text(json.dumps({"quality": "l", "render_seconds": 3.0}))  # e.g. left by an old -ql build here
    assert clip_state(ONE, shared_h, final).estimate is None
    stamp.write_text(json.dumps({"quality": "h", "render_seconds": 300.0}))
    assert clip_state(ONE, shared_h, final).estimate == 300.0


def test_time_left_says_unknown_instead_of_guessing():
    from types import SimpleNamespace as J

    done_before = J(stem="01-one", estimate=60.0, started=0.0)
    never = J(stem="02-two", estimate=None, started=0.0)
    seconds, unknown = time_left([never], [done_before], jobs=2, now=10.0)
    assert seconds is None and unknown == ["02-two"]
    assert left_text(seconds, unknown, "1080p60") == "time left unknown: 02-two never rendered at 1080p60"
    seconds, unknown = time_left([J(stem="03-x", estimate=100.0, started=0.0)], [done_before], jobs=2, now=10.0)
    assert (seconds, unknown) == (pytest.approx((50.0 + 100.0) / 2), [])
    assert left_text(seconds, unknown, "1080p60") == "~1:15 left"
