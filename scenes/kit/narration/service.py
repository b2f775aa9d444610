"""The speech service: a manim-voiceover ``SpeechService`` that never touches
the network and never needs ffmpeg.

* **Determinism.** piper runs with ``noise_scale = 0`` and
  ``noise_w_scale = 0`` (no random sampling), so the same text gives
  byte-identical WAV files.
* **Exact bookmarks.** The text between ``<bookmark mark='X'/>`` tags is
  synthesised segment by segment and the audio concatenated; a bookmark's
  time is the start of the segment that follows it, i.e. exactly the
  duration of the audio before it. No Whisper transcription is involved.
* **Cache.** WAV files and their metadata go into manim-voiceover's cache
  folder (``<media_dir>/voiceovers``). The cache key holds the text (with its
  bookmarks) and the voice identity (engine, version, model checksum), so a
  second render re-uses the audio and a different voice never does.
* **Your own voice.** If ``<recordings>/<block_id(text)>.wav`` exists it is
  used instead of synthesis. A recording has no segment timing, so its
  bookmark times are spread in proportion to character position (a
  bookmark after 40 % of the characters sits at 40 % of the recording).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from manim import logger
from manim_voiceover.defaults import DEFAULT_VOICEOVER_CACHE_JSON_FILENAME
from manim_voiceover.services.base import SpeechService
from manim_voiceover.tracker import AUDIO_OFFSET_RESOLUTION

from scenes.kit.narration._common import NarrationError
from scenes.kit.narration.blocks import Segment, block_id, has_words, split_segments
from scenes.kit.narration.recordings import (
    Pcm,
    check_recordings,
    read_recording,
    read_wav,
    recordings_dir,
    recordings_source,
    write_wav_atomic,
)
from scenes.kit.narration.voices import (
    ESPEAK_VOICE,
    VoiceSpec,
    file_sha256,
    load_piper,
    resolve_voice,
    voice_identity,
)

__all__ = ["QuakeSpeechService", "scene_speech_service", "synthesise"]

#: Silent voice: samples a second and characters spoken a second.
_SILENT_RATE = 16000
_SILENT_CHARS_PER_SECOND = 15.0

#: Arguments for the service every narrated scene of this process gets
#: (`scene_speech_service`). Empty for renders; the narration script's fast
#: runs (`scenes.kit.narration.dryrun`) put the silent voice here.
SCENE_SERVICE_ARGS: dict[str, object] = {}


def scene_speech_service() -> "QuakeSpeechService":
    """The speech service a narrated scene uses (voice from ``QUAKE_VOICE``)."""
    return QuakeSpeechService(**SCENE_SERVICE_ARGS)  # type: ignore[arg-type]


def synthesise(spec: VoiceSpec, text: str) -> Pcm:
    """Synthesise plain text (no bookmarks) with a voice."""
    if spec.kind == "piper":
        from piper import SynthesisConfig

        voice = load_piper(spec)
        syn = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        pcm: Pcm | None = None
        for chunk in voice.synthesize(text, syn_config=syn):
            if pcm is None:
                pcm = Pcm(chunk.sample_rate, chunk.sample_width, chunk.sample_channels)
            pcm.frames += chunk.audio_int16_bytes
        if pcm is None:
            pcm = Pcm(voice.config.sample_rate, 2, 1)
        return pcm
    if spec.kind == "silent":
        n = round(len(text) / _SILENT_CHARS_PER_SECOND * _SILENT_RATE)
        return Pcm(_SILENT_RATE, 2, 1, bytes(2 * n))
    with tempfile.TemporaryDirectory(prefix="quake-espeak-") as tmp:
        wav_path = Path(tmp) / "out.wav"
        subprocess.run(
            ["espeak-ng", "-v", ESPEAK_VOICE, "-w", str(wav_path)],
            input=text, text=True, check=True, capture_output=True,
        )
        return read_wav(wav_path)


class QuakeSpeechService(SpeechService):
    """Offline, deterministic speech service (see the module docstring).

    Args:
        voice: ``"joe"``, ``"espeak"``, a path to a piper ``.onnx`` voice, or
            a `VoiceSpec`; ``None`` reads ``QUAKE_VOICE`` (default ``joe``).
        recordings: folder of ``<block_id>.wav`` recordings; ``None`` reads
            ``QUAKE_RECORDINGS`` (default ``<project root>/recordings``).
        cache_dir: audio cache; ``None`` is ``<media_dir>/voiceovers``.

    A bad voice or a bad recording fails here, before the scene is built.
    """

    def __init__(
        self,
        voice: str | VoiceSpec | None = None,
        recordings: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.voice = voice if isinstance(voice, VoiceSpec) else resolve_voice(voice)
        self.recordings_dir = recordings_dir(recordings)
        self._recordings = {p.name for p in check_recordings(self.recordings_dir, recordings_source(recordings))}
        # global_speed stays 1: any other value makes manim-voiceover call sox.
        SpeechService.__init__(self, global_speed=1.0, cache_dir=cache_dir)

    # -- manim-voiceover entry points -------------------------------------

    def _wrap_generate_from_text(self, text: str, **kwargs: object):
        # manim-voiceover rewrites cache.json without locking; hold a file lock
        # so parallel renders sharing one media folder cannot corrupt it.
        # It also appends an entry on every call, cache hits included; drop
        # such repeats so cache.json does not grow with every render.
        cache = Path(self.cache_dir)
        with _file_lock(cache / ".cache.lock"):
            data = super()._wrap_generate_from_text(text, **kwargs)
            _drop_repeated_last_entry(cache / DEFAULT_VOICEOVER_CACHE_JSON_FILENAME)
            return data

    def generate_from_text(
        self,
        text: str,
        cache_dir: str | os.PathLike[str] | None = None,
        path: str | os.PathLike[str] | None = None,
        **kwargs: object,
    ) -> dict:
        """Return manim-voiceover's data dict for ``text`` (WAV audio, exact
        bookmark word boundaries), from a recording, the cache, or synthesis."""
        cache = Path(cache_dir if cache_dir is not None else self.cache_dir)
        cache.mkdir(parents=True, exist_ok=True)
        text = " ".join(text.split())
        segments, content = split_segments(text)
        if not has_words(content):
            raise NarrationError(f"Voiceover text has nothing to say: {text!r}")

        recording = self.recording_path(text)
        if recording.is_file():
            return self._from_recording(text, recording, segments, content, cache)
        if self._recordings:
            logger.info(f"No recording {recording.name} for {content[:50]!r}: synthesising.")

        input_data = {
            "input_text": text,
            "service": "quake",
            "config": {"voice": voice_identity(self.voice)},
        }
        cached = self.get_cached_result(input_data, cache)
        if cached is not None and (cache / cached["original_audio"]).is_file():
            return cached

        pcm, starts = self._synthesise_segments(segments)
        audio_name = str(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        write_wav_atomic(cache / audio_name, pcm)
        return {
            "input_text": text,
            "input_data": input_data,
            "original_audio": audio_name,
            "word_boundaries": _boundaries(segments, content, starts, pcm.nframes, pcm.rate),
        }

    # -- recordings --------------------------------------------------------

    def recording_path(self, text: str) -> Path:
        """Where a recording of this block is looked for."""
        return self.recordings_dir / f"{block_id(text)}.wav"

    def _from_recording(
        self, text: str, recording: Path, segments: list[Segment], content: str, cache: Path
    ) -> dict:
        pcm = read_recording(recording)
        digest = file_sha256(recording)
        audio_name = f"recording-{recording.stem}-{digest[:8]}.wav"
        if not (cache / audio_name).is_file():
            tmp = cache / f".{audio_name}.{os.getpid()}.tmp"
            shutil.copyfile(recording, tmp)
            os.replace(tmp, cache / audio_name)
        # Bookmarks are placed proportionally to their character position.
        starts = [round(s.offset / len(content) * pcm.nframes) for s in segments]
        logger.info(f"Using recording {recording}")
        return {
            "input_text": text,
            "input_data": {"input_text": text, "service": "quake-recording", "recording_sha256": digest},
            "original_audio": audio_name,
            "word_boundaries": _boundaries(segments, content, starts, pcm.nframes, pcm.rate),
        }

    # -- synthesis ---------------------------------------------------------

    def _synthesise_segments(self, segments: list[Segment]) -> tuple[Pcm, list[int]]:
        out: Pcm | None = None
        starts: list[int] = []
        pieces: list[bytes] = []
        nframes = 0
        for seg in segments:
            starts.append(nframes)
            if not has_words(seg.text):
                continue  # empty or punctuation only: no sound, no time
            pcm = self.synthesise(seg.text.strip())
            if out is None:
                out = Pcm(pcm.rate, pcm.width, pcm.channels)
            elif (pcm.rate, pcm.width, pcm.channels) != (out.rate, out.width, out.channels):
                raise NarrationError("Voice produced segments in different audio formats.")
            pieces.append(pcm.frames)
            nframes += pcm.nframes
        assert out is not None
        out.frames = b"".join(pieces)
        return out, starts

    def synthesise(self, text: str) -> Pcm:
        """Synthesise plain text (no bookmarks) with this service's voice."""
        return synthesise(self.voice, text)


def _offset_units(frames: int, rate: int) -> int:
    return round(frames * AUDIO_OFFSET_RESOLUTION / rate)


def _boundaries(segments: list[Segment], content: str, starts: list[int], nframes: int, rate: int) -> list[dict]:
    """One word boundary per segment start (= per bookmark) plus the end.

    The tracker interpolates bookmark times over (text_offset, audio_offset)
    pairs and looks a bookmark up at its offset in ``content``, so a boundary
    sitting exactly at that offset yields the segment start exactly."""
    out = [
        {
            "audio_offset": _offset_units(start, rate),
            "text_offset": seg.offset,
            "word_length": len(seg.text),
            "text": seg.text,
            "boundary_type": "Word",
        }
        for seg, start in zip(segments, starts)
    ]
    if out[-1]["text_offset"] < len(content):
        out.append(
            {
                "audio_offset": _offset_units(nframes, rate),
                "text_offset": len(content),
                "word_length": 0,
                "text": "",
                "boundary_type": "Word",
            }
        )
    return out


def _drop_repeated_last_entry(json_path: Path) -> None:
    try:
        entries = json.loads(json_path.read_text())
    except (OSError, ValueError):
        return
    if isinstance(entries, list) and len(entries) > 1 and entries[-1] in entries[:-1]:
        json_path.write_text(json.dumps(entries[:-1], indent=2))


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no cross-process lock
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
