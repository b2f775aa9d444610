"""Offline, deterministic narration for the Earthquakes video.

One idea a module:

- ``voices``: voice choice and validation (``joe``, ``espeak``, a piper ``.onnx``).
- ``blocks``: a block's text, bookmarks and id (the name of its recording).
- ``recordings``: the recordings folder, reading and checking WAV files.
- ``service``: the manim-voiceover speech service (piper/espeak, cache, exact bookmarks).
- ``beats``: the beats manifest every narrated render writes (``<Scene>.beats.json``).
- ``preflight``: every voice and recordings problem, before any render.
- ``dryrun``: run a scene without pictures or speech, to learn what it says.
- ``script``: the narration script for recording your own voice.
- ``source``: literal blocks read from source text (for the build's cheap hash).

Command line::

    python -m scenes.kit.narration script [chapters or FILE.py[:Scene] ...] [-o out.md]
    python -m scenes.kit.narration voice [joe|espeak|path.onnx]
    python -m scenes.kit.narration check [--voice V] [--recordings DIR]
"""

import importlib

from scenes.kit.narration._common import PROJECT_ROOT, RECORDINGS_ENV, VOICE_ENV, NarrationError

# Names re-exported from the submodules, imported on first use, so that
# `python -m scenes.kit.narration script` does not load manim in its parent.
_EXPORTS = {
    "beats": ["MANIFEST_FORMAT", "Beat", "BeatRecorder", "BeatsManifest", "manifest_path", "read_manifest",
              "write_manifest"],
    "blocks": ["block_id", "plain_text", "recording_name"],
    "preflight": ["preflight"],
    "recordings": ["check_recordings", "read_recording", "recordings_dir"],
    "service": ["QuakeSpeechService", "scene_speech_service"],
    "source": ["ScriptBlock", "extract_blocks"],
    "voices": ["DEFAULT_VOICE", "VOICE_CHOICES", "VoiceSpec", "check_voice_speaks", "resolve_voice",
               "voice_identity"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
# The old private name, still used by the build's hash until it moves to voice_identity.
_WHERE["_voice_identity"] = "voices"

__all__ = ["NarrationError", "PROJECT_ROOT", "RECORDINGS_ENV", "VOICE_ENV", *sorted(n for ns in _EXPORTS.values()
                                                                                      for n in ns)]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"),
                    "voice_identity" if name == "_voice_identity" else name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
