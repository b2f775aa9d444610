"""Names every narration module shares: the error type, the project root and
the two environment variables a user sets."""

from __future__ import annotations

from pathlib import Path

__all__ = ["NarrationError", "PROJECT_ROOT", "RECORDINGS_ENV", "VOICE_ENV"]

PROJECT_ROOT = Path(__file__).resolve().parents[3]
VOICE_ENV = "QUAKE_VOICE"
RECORDINGS_ENV = "QUAKE_RECORDINGS"


class NarrationError(ValueError):
    """A narration setting or input is wrong; the message says how to fix it."""


def shown(path: Path) -> str:
    """``path`` relative to the project root when it lies inside, else as is."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
