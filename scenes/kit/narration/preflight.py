"""Narration pre-flight: every voice and recordings problem, found before
any render starts (shared contract 3).

The build resolves paths once, where the user ran it, and hands the renders
absolute paths::

    folder = recordings_dir(None, base=Path.cwd())        # QUAKE_RECORDINGS or <project>/recordings
    spec = preflight(args.voice, folder, source="--voice option")
    env[RECORDINGS_ENV] = str(folder); env[VOICE_ENV] = spec.name
"""

from __future__ import annotations

import os

from scenes.kit.narration._common import VOICE_ENV
from scenes.kit.narration.recordings import check_recordings, recordings_dir, recordings_source
from scenes.kit.narration.voices import VoiceSpec, check_voice_speaks, resolve_voice

__all__ = ["preflight"]


def preflight(voice: str | None, recordings: str | os.PathLike[str] | None, source: str, *,
              base: str | os.PathLike[str] | None = None, speak: bool | None = None) -> VoiceSpec:
    """Check the voice and every recording; return the voice.

    Args:
        voice: ``"joe"``, ``"espeak"``, a path to a piper ``.onnx`` voice, or
            ``None`` for ``QUAKE_VOICE`` (default ``joe``).
        recordings: the recordings folder, or ``None`` for ``QUAKE_RECORDINGS``
            or ``<project>/recordings``.
        source: where ``voice`` came from, named in messages (e.g. "--voice
            option", "QUAKE_VOICE environment variable").
        base: folder that relative paths are taken from (default: the
            current folder, i.e. where the user ran the command).
        speak: load the voice and speak a word. Default: for piper voices
            other than the packaged ``joe``, whose files the package checks.

    Raises `NarrationError` (a ``ValueError``) naming the file or setting,
    the problem and the fix: an unknown voice, a missing or broken model or
    config, a recording that is not readable 16-bit PCM WAV.
    """
    if voice is None and not os.environ.get(VOICE_ENV, "").strip():
        source = "default"  # nothing was set: the message should not blame a setting
    spec = resolve_voice(voice, source=source, base=base)
    if speak is None:
        speak = spec.kind == "piper" and spec.name != "joe"
    if speak:
        check_voice_speaks(spec, source)
    folder = recordings_dir(recordings, base=base)
    check_recordings(folder, recordings_source(recordings))
    return spec
