"""The speech service: voices, determinism, bookmarks, cache, recordings,
block ids, and a real (tiny) narrated render without network."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import pytest

from scenes.kit import narration as nar
from scenes.kit.narration import NarrationError, QuakeSpeechService, block_id, resolve_voice

AUDIO_RES = 10_000_000  # manim_voiceover.tracker.AUDIO_OFFSET_RESOLUTION


def wav_seconds(path):
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def bookmark_times(service, text):
    """Bookmark times exactly as manim-voiceover's tracker computes them."""
    from manim_voiceover.tracker import VoiceoverTracker

    class Renderer:
        time = 0.0

    class Scene:
        renderer = Renderer()

    data = service._wrap_generate_from_text(text)
    tracker = VoiceoverTracker(Scene(), data, service.cache_dir)
    return data, tracker


@pytest.fixture
def espeak(tmp_path):
    return QuakeSpeechService(voice="espeak", cache_dir=tmp_path / "cache", recordings=tmp_path / "rec")


def test_espeak_same_text_gives_identical_bytes(tmp_path):
    text = "The ground <bookmark mark='A'/> shakes."
    files = []
    for run in ("one", "two"):  # separate caches: really synthesised twice
        s = QuakeSpeechService(voice="espeak", cache_dir=tmp_path / run, recordings=tmp_path / "rec")
        data = s.generate_from_text(text)
        files.append((tmp_path / run / data["original_audio"]).read_bytes())
    assert files[0][:4] == b"RIFF" and len(files[0]) > 10_000
    assert files[0] == files[1]


def test_joe_same_text_gives_identical_bytes(tmp_path):
    text = "Every batch <bookmark mark='A'/> is a new landscape."
    audio = []
    for run in ("one", "two"):
        s = QuakeSpeechService(voice="joe", cache_dir=tmp_path / run, recordings=tmp_path / "rec")
        data = s.generate_from_text(text)
        path = tmp_path / run / data["original_audio"]
        assert path.suffix == ".wav"
        audio.append(path.read_bytes())
    assert audio[0] == audio[1]
    # the bookmark sits where the separately synthesised prefix ends
    prefix = s.synthesise("Every batch")
    assert data["word_boundaries"][1]["audio_offset"] == round(prefix.nframes * AUDIO_RES / prefix.rate)


def test_bookmarks_in_order_and_inside_audio(espeak):
    text = "<bookmark mark='S'/>One two. <bookmark mark='A'/>Three four five. <bookmark mark='B'/>Six.<bookmark mark='E'/>"
    data, tracker = bookmark_times(espeak, text)
    t = tracker.bookmark_times
    duration = wav_seconds(Path(espeak.cache_dir) / data["final_audio"])
    assert tracker.duration == pytest.approx(duration)
    assert t["S"] == 0.0
    assert 0 < t["A"] < t["B"] < t["E"]
    assert t["E"] == pytest.approx(duration, abs=1e-6)


def test_bookmark_time_is_duration_of_prefix(espeak):
    data, tracker = bookmark_times(espeak, "Loss goes down <bookmark mark='A'/> and the weights move.")
    prefix = espeak.synthesise("Loss goes down")
    prefix_seconds = prefix.nframes / prefix.rate
    assert prefix_seconds > 0.3
    assert tracker.bookmark_times["A"] == pytest.approx(prefix_seconds, abs=1e-6)
    # and the whole clip is prefix + rest, concatenated
    rest = espeak.synthesise("and the weights move.")
    assert tracker.duration == pytest.approx(prefix_seconds + rest.nframes / rest.rate, abs=1e-6)


def test_second_call_uses_cache(espeak, monkeypatch):
    text = "Cached words."
    first = espeak._wrap_generate_from_text(text)
    monkeypatch.setattr(espeak, "synthesise", lambda t: pytest.fail("synthesised again"))
    second = espeak._wrap_generate_from_text(text)
    assert second["original_audio"] == first["original_audio"]
    entries = json.loads((Path(espeak.cache_dir) / "cache.json").read_text())
    assert len(entries) == 1  # a cache hit does not append a repeat
    # a different voice never shares the cache entry
    assert nar.voice_identity(resolve_voice("espeak")) != nar.voice_identity(resolve_voice("joe"))


def test_recording_replaces_synthesis(tmp_path, monkeypatch):
    text = "My own <bookmark mark='A'/> voice."
    rec_dir = tmp_path / "rec"
    rec_dir.mkdir()
    rec = rec_dir / f"{block_id(text)}.wav"
    with wave.open(str(rec), "wb") as w:  # 2 s of a quiet 16 kHz signal
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(bytes([1, 0]) * 32000)
    monkeypatch.setenv("QUAKE_RECORDINGS", str(rec_dir))
    s = QuakeSpeechService(voice="espeak", cache_dir=tmp_path / "cache")
    monkeypatch.setattr(s, "synthesise", lambda t: pytest.fail("synthesised despite recording"))
    data, tracker = bookmark_times(s, text)
    assert (Path(s.cache_dir) / data["final_audio"]).read_bytes() == rec.read_bytes()
    assert tracker.duration == pytest.approx(2.0)
    # proportional placement: the bookmark follows "My own " (7 of 14 characters)
    assert tracker.bookmark_times["A"] == pytest.approx(2.0 * 7 / 14, abs=1e-6)


def test_block_id_is_stable_and_ignores_bookmarks_and_spacing():
    a = block_id("The ground <bookmark mark='A'/>shakes.")
    assert a == block_id("The   ground shakes.\n")
    assert a.startswith("the-ground-shakes-") and len(a.rsplit("-", 1)[1]) == 8
    assert a != block_id("The ground trembles.")


@pytest.mark.parametrize("text", [
    "The ground <bookmark mark='A'/>shakes.",
    'Two <bookmark mark="x1"/> marks <bookmark mark = \'y\' /> here.',
    "No marks at all.",
])
def test_plain_text_removes_bookmarks_as_manim_voiceover_does(text):
    from manim_voiceover.helper import remove_bookmarks

    assert nar.plain_text(text) == " ".join(remove_bookmarks(text).split())


@pytest.mark.parametrize(
    "value, needle",
    [("robot", "Unknown narration voice 'robot'"), ("/nonexistent/voice.onnx", "does not exist")],
)
def test_bad_voice_fails_at_construction_with_choices(tmp_path, value, needle):
    with pytest.raises(NarrationError) as err:
        QuakeSpeechService(voice=value, cache_dir=tmp_path)
    msg = str(err.value)
    assert needle in msg
    for choice in ("joe", "espeak", ".onnx"):
        assert choice in msg


def test_voice_from_env_and_onnx_without_json(tmp_path, monkeypatch):
    monkeypatch.setenv("QUAKE_VOICE", "espeak")
    assert resolve_voice().kind == "espeak"
    assert resolve_voice("joe").name == "joe"  # the argument wins
    monkeypatch.setenv("QUAKE_VOICE", "nope")
    with pytest.raises(NarrationError, match="QUAKE_VOICE"):
        resolve_voice()
    lonely = tmp_path / "v.onnx"
    lonely.write_bytes(b"x")
    with pytest.raises(NarrationError, match=r"v\.onnx\.json"):
        resolve_voice(str(lonely))


SCENE = '''
from manim import Dot
from scenes.kit.base import NarratedScene

class Tiny(NarratedScene):
    def construct(self):
        with self.voiceover(text="Hello <bookmark mark='A'/> quake.") as tracker:
            self.wait_until_bookmark("A")
            self.add(Dot())
'''


def render_tiny(tmp_path, prefix=()):
    (tmp_path / "tiny.py").write_text(SCENE)
    env = dict(os.environ, QUAKE_VOICE="espeak", QUAKE_RECORDINGS=str(tmp_path / "rec"))
    cmd = [*prefix, sys.executable, "-m", "manim", "-ql", "--media_dir", str(tmp_path / "media"), "tiny.py", "Tiny"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    videos = list((tmp_path / "media").rglob("Tiny.mp4"))
    assert len(videos) == 1
    return videos[0]


def check_clip(mp4):
    import av

    with av.open(str(mp4)) as container:
        audio = container.streams.audio
        assert len(audio) == 1
        assert container.duration / 1e6 > 0.5
    srt = mp4.with_suffix(".srt")
    assert srt.is_file()
    assert "Hello quake." in srt.read_text()


@pytest.mark.render
def test_render_without_network(tmp_path):
    """The whole narrated render works with no network at all."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("unshare -n is not available here")
    check_clip(render_tiny(tmp_path, prefix=("unshare", "-n")))
