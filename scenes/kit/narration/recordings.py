"""Recordings in your own voice: where they are, reading them, checking them.

A block's recording is ``<recordings>/<block_id>.wav``, 16-bit PCM WAV, mono
or stereo, any sample rate. The folder is the ``QUAKE_RECORDINGS`` setting
(a relative path is taken from the folder the command was run in, or from an
explicit ``base``), else ``<project>/recordings``. `check_recordings` reads
every file's header and names each problem in words with its fix, so a bad
file is found before any render, not in the middle of one.
"""

from __future__ import annotations

import os
import wave
from dataclasses import dataclass
from pathlib import Path

from scenes.kit.narration._common import PROJECT_ROOT, RECORDINGS_ENV, NarrationError

__all__ = [
    "EXPORT_HINT",
    "Pcm",
    "check_recording",
    "check_recordings",
    "read_recording",
    "read_wav",
    "recordings_dir",
    "recordings_source",
    "write_wav_atomic",
]

EXPORT_HINT = (
    "Export the recording as 16-bit PCM WAV, mono or stereo (Audacity: File > Export Audio, type WAV, "
    "encoding Signed 16-bit PCM; sox: sox IN.wav -b 16 -e signed-integer -t wavpcm OUT.wav)."
)
# Sound files a user may drop here by mistake: only <id>.wav is ever read.
_OTHER_AUDIO = {".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".aif", ".aiff", ".wma", ".webm"}
_CODEC_WORDS = {
    "pcm_u8": "8-bit PCM",
    "pcm_s16le": "16-bit PCM",
    "pcm_s24le": "24-bit PCM",
    "pcm_s32le": "32-bit integer PCM",
    "pcm_f32le": "32-bit floating-point",
    "pcm_f64le": "64-bit floating-point",
    "pcm_alaw": "A-law compressed",
    "pcm_mulaw": "mu-law compressed",
    "mp3": "MP3 compressed",
    "flac": "lossless compressed",
    "vorbis": "Vorbis compressed",
    "opus": "Opus compressed",
    "aac": "AAC compressed",
}
_CONTAINER_WORDS = {"mp3": "an MP3 file", "flac": "a FLAC file", "ogg": "an Ogg file", "aiff": "an AIFF file",
                    "mov,mp4,m4a,3gp,3g2,mj2": "an MP4/M4A file", "asf": "a WMA file", "matroska,webm": "a WebM file"}


def recordings_dir(value: str | os.PathLike[str] | None = None,
                   base: str | os.PathLike[str] | None = None) -> Path:
    """The folder searched for recordings, absolute: ``value``, else
    ``QUAKE_RECORDINGS``, else ``<project root>/recordings``. A relative
    path is taken from ``base`` (default: the current folder), so a build
    resolves it once, where the user ran it, and hands renders the result."""
    if value is None or str(value) == "":
        value = os.environ.get(RECORDINGS_ENV) or (PROJECT_ROOT / "recordings")
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path(base if base is not None else Path.cwd()) / path
    return path.resolve()


def recordings_source(value: str | os.PathLike[str] | None = None) -> str:
    """Where the recordings folder came from, for messages."""
    if value is not None and str(value) != "":
        return "the recordings folder given"
    if os.environ.get(RECORDINGS_ENV):
        return f"set by the {RECORDINGS_ENV} environment variable"
    return "the default recordings folder"


@dataclass
class Pcm:
    """Integer PCM audio: ``width`` bytes a sample."""

    rate: int
    width: int
    channels: int
    frames: bytes = b""

    @property
    def nframes(self) -> int:
        return len(self.frames) // (self.width * self.channels)

    @property
    def seconds(self) -> float:
        return self.nframes / self.rate


def read_wav(path: Path) -> Pcm:
    with wave.open(str(path), "rb") as w:
        return Pcm(w.getframerate(), w.getsampwidth(), w.getnchannels(), w.readframes(w.getnframes()))


def write_wav_atomic(path: Path, pcm: Pcm) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(pcm.channels)
        w.setsampwidth(pcm.width)
        w.setframerate(pcm.rate)
        w.writeframes(pcm.frames)
    os.replace(tmp, path)


def _what_it_is(path: Path) -> str:
    """What a file that `wave` cannot read really holds, in words (PyAV probes it)."""
    import av

    try:
        with av.open(str(path)) as c:
            fmt = c.format.name
            if not c.streams.audio:
                return f"{_CONTAINER_WORDS.get(fmt, 'a ' + c.format.long_name + ' file')} without sound"
            cc = c.streams.audio[0].codec_context
            codec = _CODEC_WORDS.get(cc.name, cc.codec.long_name)
    except Exception:
        return "not a sound file that can be read"
    if fmt == "wav":
        if cc.name == "pcm_s16le":
            return ("16-bit PCM stored as WAVE_FORMAT_EXTENSIBLE (some programs write that for more than "
                    "two channels), which is not read")
        return f"{codec} WAV, not 16-bit PCM"
    return f"{_CONTAINER_WORDS.get(fmt, 'a ' + fmt + ' file')} ({codec}), not a WAV file"


def check_recording(path: Path) -> str | None:
    """``None`` if ``path`` is a usable recording, else the problem in words
    (without the file name)."""
    if path.is_dir():
        return "is a folder, not a sound file"
    try:
        size = path.stat().st_size
        if size == 0:
            return "is empty (0 bytes)"
        with wave.open(str(path), "rb") as w:
            width, channels, rate, n = w.getsampwidth(), w.getnchannels(), w.getframerate(), w.getnframes()
    except PermissionError:
        return "cannot be read (permission denied)"
    except EOFError:
        return "is cut off: the file ends inside its header"
    except wave.Error:
        return f"is {_what_it_is(path)}"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if width != 2:
        return f"is {8 * width}-bit PCM WAV, not 16-bit PCM"
    if channels > 2:
        return f"has {channels} channels; mono or stereo is read"
    if n == 0 or rate <= 0:
        return "holds no sound (0 samples)"
    return None


def check_recordings(folder: Path, source: str = "the recordings folder") -> list[Path]:
    """Check every sound file in ``folder``; return the usable recordings.

    Raises `NarrationError` listing every bad file with its problem and the
    fix. A folder that does not exist holds no recordings."""
    if not folder.exists():
        return []
    if not folder.is_dir():
        raise NarrationError(f"The recordings folder {folder} ({source}) is a file, not a folder. "
                             f"Point {RECORDINGS_ENV} at the folder that holds your <id>.wav recordings.")
    good: list[Path] = []
    problems: list[str] = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix
        if suffix == ".wav":
            problem = check_recording(path)
            if problem is None:
                good.append(path)
            else:
                problems.append(f"  {path.name}: {problem}.")
        elif suffix.lower() == ".wav":
            problems.append(f"  {path.name}: only names ending in lower-case .wav are read; "
                            f"rename it {path.stem}.wav.")
        elif suffix.lower() in _OTHER_AUDIO:
            problems.append(f"  {path.name}: only .wav recordings are read; export it as {path.stem}.wav.")
    if problems:
        raise NarrationError(
            f"Recordings in {folder} ({source}) cannot be used:\n" + "\n".join(problems)
            + f"\n{EXPORT_HINT} Or move the file out of the folder.")
    return good


def read_recording(path: Path) -> Pcm:
    """Read a recording, or raise `NarrationError` naming it, the problem and the fix."""
    problem = check_recording(path)
    if problem is None:
        pcm = read_wav(path)
        if pcm.nframes:
            return pcm
        problem = "holds no sound (0 samples)"
    raise NarrationError(f"Recording {path} {problem}. {EXPORT_HINT}")
