"""The beats manifest every narrated render writes, and the narration script
collected from what the scenes really say (f-strings and loops included),
whose file names a next render really uses."""

import json
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from scenes.kit.narration import (
    Beat,
    BeatsManifest,
    NarrationError,
    QuakeSpeechService,
    block_id,
    manifest_path,
    read_manifest,
    write_manifest,
)
from scenes.kit.narration.script import Target, export_script
from tests.render_util import render

ROOT = Path(__file__).resolve().parents[1]

SCENE = '''
from manim import Dot, FadeIn
from scenes.kit.base import NarratedScene

SAMPLES = 3 * 7


class Beats(NarratedScene):
    def construct(self):
        self.wait(0.5)
        with self.voiceover(text="Hello <bookmark mark='A'/> quake."):
            self.wait_until_bookmark("A")
            self.play(FadeIn(Dot()), run_time=0.3)
        self.wait(0.7)
        for n in (SAMPLES, SAMPLES + 1):
            with self.voiceover(text=f"We have {n} samples."):
                pass
'''
TEXTS = ["Hello quake.", "We have 21 samples.", "We have 22 samples."]


@pytest.fixture
def scene_file(tmp_path):
    path = tmp_path / "beats_scene.py"
    path.write_text(SCENE)
    return path


def render_beats(scene_file, media, recordings):
    mp4 = render(str(scene_file), "Beats", media, extra_env={"QUAKE_RECORDINGS": str(recordings)})
    return mp4, read_manifest(manifest_path(mp4))


def wav_seconds(path):
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def decoded_audio(mp4):
    """The clip's sound as mono samples from time 0, and its sample rate."""
    import av

    with av.open(str(mp4)) as c:
        stream = c.streams.audio[0]
        frames = list(c.decode(stream))
        rate = stream.rate
    t0 = float(frames[0].time or 0.0)
    audio = np.concatenate([f.to_ndarray().reshape(len(f.layout.channels), -1).mean(axis=0) for f in frames])
    return np.concatenate([np.zeros(max(0, round(t0 * rate))), audio]), rate


def onset(audio, rate, ref, ref_rate, near):
    """Where ``ref`` sits in ``audio`` (seconds), searched within 0.5 s of ``near``."""
    from math import gcd

    from scipy.signal import correlate, resample_poly

    g = gcd(rate, ref_rate)
    ref = resample_poly(ref.astype(float), rate // g, ref_rate // g)
    lo = max(0, round((near - 0.5) * rate))
    seg = audio[lo: round((near + 0.5) * rate) + len(ref)]
    corr = correlate(seg, ref, mode="valid")
    return (lo + int(np.argmax(corr))) / rate


@pytest.mark.render
def test_render_writes_beats_that_match_subtitles_and_sound(tmp_path, scene_file):
    import srt

    mp4, m = render_beats(scene_file, tmp_path / "media", tmp_path / "no-recordings")
    assert (m.scene, m.voice, m.file) == ("Beats", "espeak", str(scene_file))
    assert [b.text for b in m.beats] == TEXTS
    assert [b.index for b in m.beats] == [0, 1, 2]
    assert [b.id for b in m.beats] == [block_id(t) for t in TEXTS]
    assert [b.recording for b in m.beats] == [f"{block_id(t)}.wav" for t in TEXTS]
    assert not any(b.recorded for b in m.beats)
    raw = json.loads(manifest_path(mp4).read_text())
    assert set(raw) == {"format", "scene", "file", "voice", "beats"} and raw["format"] == 1
    assert mp4.parent == manifest_path(mp4).parent and manifest_path(mp4).name == "Beats.beats.json"

    # starts: manim-voiceover's own subtitle cues (one per block: short texts)
    cues = list(srt.parse(mp4.with_suffix(".srt").read_text()))
    assert [c.content for c in cues] == TEXTS
    for cue, beat in zip(cues, m.beats):
        assert beat.start == pytest.approx(cue.start.total_seconds(), abs=1e-3)
    assert m.beats[0].start == pytest.approx(0.5)  # after wait(0.5)
    for before, after in zip(m.beats, m.beats[1:]):  # a block's sound ends before the next starts
        assert after.start >= before.end - 1e-6

    # durations: the length of each block's sound file
    service = QuakeSpeechService(voice="espeak", recordings=tmp_path / "no-recordings",
                                 cache_dir=mp4.parents[3] / "voiceovers")
    audio, rate = decoded_audio(mp4)
    lags = []
    for beat, text in zip(m.beats, ["Hello <bookmark mark='A'/> quake.", *TEXTS[1:]]):
        data = service.generate_from_text(text)
        sound = Path(service.cache_dir) / data["original_audio"]
        assert beat.duration == pytest.approx(wav_seconds(sound), abs=1e-6)
        # and the sound really starts at `start` in the clip (cross-correlation)
        with wave.open(str(sound), "rb") as w:
            ref = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
            ref_rate = w.getframerate()
        lags.append(onset(audio, rate, ref, ref_rate, beat.start) - beat.start)
    # The AAC encoder's priming (1024 samples, 21 ms at 48 kHz) shifts the
    # whole track alike; the beats themselves sit where the sound is.
    assert 0 <= lags[0] < 0.025
    assert max(lags) - min(lags) < 0.003, lags
    assert m.beats[-1].end <= len(audio) / rate + 0.05


@pytest.mark.render
def test_script_lists_fstring_blocks_and_their_recordings_are_used(tmp_path, scene_file):
    rec = tmp_path / "rec"
    rec.mkdir()
    sheet = tmp_path / "script.md"
    proc = subprocess.run(
        [sys.executable, "-m", "scenes.kit.narration", "script", str(scene_file), "-o", str(sheet),
         "--recordings", str(rec), "--fresh"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "3 voiceover blocks" in proc.stderr
    text = sheet.read_text()
    for t in TEXTS:  # every block, the loop's f-strings included, in order
        assert f"> {t}" in text
        assert f"`{block_id(t)}.wav` (not recorded yet)" in text
    assert text.index("Hello quake.") < text.index("21 samples") < text.index("22 samples")

    # record the first f-string block under the listed name: the next render uses it
    name = f"{block_id('We have 21 samples.')}.wav"
    with wave.open(str(rec / name), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.sin(np.arange(24000) * 0.2) * 8000).astype(np.int16).tobytes())  # 1.5 s
    _, m = render_beats(scene_file, tmp_path / "media", rec)
    assert [b.recorded for b in m.beats] == [False, True, False]
    assert m.beats[1].duration == pytest.approx(1.5, abs=1e-3)
    assert m.beats[2].start >= m.beats[1].start + 1.5 - 1e-6

    # the sheet now shows it recorded; a second collection is re-used while current
    target = [Target(str(scene_file), "Beats", "fixture")]
    first = export_script(target, sheet, rec, cache=tmp_path / "cache")
    assert first.count == 3 and not first.parts[0].reused
    again = export_script(target, sheet, rec, cache=tmp_path / "cache")
    assert again.parts[0].reused
    text = sheet.read_text()
    assert f"`{name}` (recorded)" in text and "1 of 3 blocks recorded" in text
    # editing the scene makes the kept result stale: the new words are listed
    scene_file.write_text(SCENE.replace("SAMPLES = 3 * 7", "SAMPLES = 40"))
    edited = export_script(target, sheet, rec, cache=tmp_path / "cache")
    assert not edited.parts[0].reused
    assert [b.text for b in edited.parts[0].manifests[0].beats][1:] == ["We have 40 samples.", "We have 41 samples."]
    assert f"`{name}`" in sheet.read_text().split("match no block")[1]


def test_script_names_a_bad_target():
    proc = subprocess.run([sys.executable, "-m", "scenes.kit.narration", "script", "nonsense", "-o", "-"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "'nonsense' is neither a chapter" in proc.stderr and "mystery" in proc.stderr


@pytest.mark.render  # runs a scene (without frames)
def test_script_names_a_failing_scene_with_its_error(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text(SCENE.replace("self.wait(0.7)", "1 / 0"))
    pattern = r"(?s)Collecting the narration of broken \(.*broken.py\):.*ZeroDivisionError.*Fix the scene"
    with pytest.raises(NarrationError, match=pattern):
        export_script([Target(str(broken), "Beats", "broken")], None, tmp_path, cache=None)


def test_manifest_round_trip_and_damaged_file(tmp_path):
    beat = Beat(0, "a-00000000", "A.", 0.5, 1.25, "a-00000000.wav", False)
    m = BeatsManifest("S", "scenes/x.py", "joe", [beat])
    path = write_manifest(tmp_path / "S.beats.json", m)
    assert read_manifest(path).beats == [beat]
    assert [p.name for p in tmp_path.iterdir()] == ["S.beats.json"]  # no temporary left
    path.write_text("{")
    with pytest.raises(NarrationError, match="S.beats.json cannot be read"):
        read_manifest(path)
    with pytest.raises(NarrationError, match="render the scene first"):
        read_manifest(tmp_path / "missing.beats.json")


def test_sheet_counts_only_usable_recordings_and_lists_the_rest(tmp_path):
    from scenes.kit.narration.script import Part, Script, script_markdown

    texts = ["One block.", "Two block."]
    beats = [Beat(i, block_id(t), t, float(i), 1.0, f"{block_id(t)}.wav", False) for i, t in enumerate(texts)]
    script = Script([Part(Target("scenes/x.py", "X", "1. Example"), [BeatsManifest("X", "scenes/x.py", "joe", beats)])])
    rec = tmp_path / "rec"
    rec.mkdir()
    with wave.open(str(rec / beats[0].recording), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\1\0" * 1600)
    (rec / beats[1].recording).write_bytes(b"not a wav")  # bad: not counted as recorded
    (rec / "old-words-00000000.wav").write_bytes((rec / beats[0].recording).read_bytes())
    sheet = script_markdown(script, rec)
    assert "1 of 2 blocks recorded" in sheet
    assert f"`{beats[0].recording}` (recorded)" in sheet and f"`{beats[1].recording}` (not recorded yet)" in sheet
    assert "### 1.1" in sheet and "### 1.2" in sheet
    assert "`old-words-00000000.wav`" in sheet.split("match no block")[1]
    assert f"{beats[1].recording}: is not a sound file" in sheet.split("## Recordings that cannot be used")[1]


@pytest.mark.render  # runs every chapter (without frames): about a minute on two cores
def test_the_script_lists_every_chapter_and_at_least_every_block_written_in_it(tmp_path):
    import re

    from scenes.chapters import CHAPTERS
    out = tmp_path / "script.md"
    proc = subprocess.run([sys.executable, "-m", "scenes", "script", "--fresh", "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    said = re.search(r"voiceover blocks \(([^)]*)\)", proc.stdout + proc.stderr)  # the summary goes to stderr
    assert said, proc.stdout[-2000:] + proc.stderr[-2000:]
    counts = dict(re.findall(r"(\d+): (\d+)", said.group(1)))
    assert sorted(int(k) for k in counts) == [c.number for c in CHAPTERS]
    for c in CHAPTERS:  # a block inside a loop is written once and spoken several times
        written = (ROOT / c.file).read_text(encoding="utf-8").count("self.voiceover(")
        assert int(counts[str(c.number)]) >= written > 0, c.name
    assert out.read_text(encoding="utf-8").count("### ") == sum(int(n) for n in counts.values())
