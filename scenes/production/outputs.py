"""Where a build writes, per quality and voice.

The final video (1080p60, a real voice) lives at the top of ``media/``:
``media/earthquakes.mp4``, ``media/clips/``, ``media/storyboard/``,
``media/lecture/``. Any other quality, or the espeak test voice, is a
preview and writes beside it under a folder that says what it is, for
example ``media/480p15-espeak/earthquakes.mp4``: a preview never replaces
the final video.

    out = Outputs.for_build(quality="l", voice="espeak")
    out.video       # media/480p15-espeak/earthquakes.mp4
    out.clip(ch)    # media/480p15-espeak/clips/01-mystery.mp4

Each output folder also holds the build's own working files, so a preview
never touches the final build's caches: ``build/NN-name/`` (manim's media
folder for one chapter: partial movies, LaTeX, voiceover cache), ``logs/``
and ``.build.lock``. ``python -m scenes build --only NAME`` writes the whole
video when every other chapter's clip is current, else a partial video under
its own name (`Outputs.joined` with ``partial=True``:
``earthquakes.partial.mp4``), never a partial video under the full name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FINAL_QUALITY", "Joined", "MEDIA_DIR", "Outputs", "PROJECT_ROOT", "QUALITIES", "TEST_VOICES", "VIDEO_NAME",
    "clip_stem", "voice_label",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MEDIA_DIR = PROJECT_ROOT / "media"
#: manim's quality flags and the folder names (resolution + frame rate) they render into.
QUALITIES: dict[str, str] = {
    "l": "480p15",
    "m": "720p30",
    "h": "1080p60",
    "p": "1440p60",
    "k": "2160p60",
}
FINAL_QUALITY = "h"
#: Voices meant for tests and quick looks: their builds are always previews.
TEST_VOICES = frozenset({"espeak"})
VIDEO_NAME = "earthquakes"


def clip_stem(ch) -> str:
    """``NN-name``: a chapter's clip file name without extension."""
    return f"{ch.number:02d}-{ch.name}"


def voice_label(voice: str) -> str:
    """A short, file-name-safe name for a voice ("joe", "espeak", or a
    piper model's file stem)."""
    name = Path(voice).name
    if name.endswith(".onnx"):
        name = name[: -len(".onnx")]
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "voice"


@dataclass(frozen=True)
class Outputs:
    """The finished files of one kind of build (one quality, one voice)."""

    media: Path  # the media folder (default: <project>/media)
    quality: str  # a key of QUALITIES
    voice: str  # "joe", "espeak" or a path to a .onnx voice

    @classmethod
    def for_build(cls, quality: str = FINAL_QUALITY, voice: str = "joe",
                  media_dir: str | Path | None = None) -> "Outputs":
        if quality not in QUALITIES:
            raise ValueError(f"unknown quality {quality!r}: choose one of {', '.join(QUALITIES)}")
        media = Path(media_dir).resolve() if media_dir is not None else MEDIA_DIR
        return cls(media, quality, voice)

    @property
    def is_final(self) -> bool:
        """True for the one build whose files sit at the top of media/."""
        return self.quality == FINAL_QUALITY and voice_label(self.voice) not in TEST_VOICES

    @property
    def label(self) -> str:
        """"1080p60" for the final build; e.g. "480p15-espeak" for a preview."""
        res = QUALITIES[self.quality]
        return res if self.is_final else f"{res}-{voice_label(self.voice)}"

    @property
    def root(self) -> Path:
        return self.media if self.is_final else self.media / self.label

    # the whole video
    @property
    def video(self) -> Path:
        return self.root / f"{VIDEO_NAME}.mp4"

    @property
    def srt(self) -> Path:
        return self.root / f"{VIDEO_NAME}.srt"

    @property
    def vtt(self) -> Path:
        return self.root / f"{VIDEO_NAME}.vtt"

    @property
    def chapters_txt(self) -> Path:
        return self.root / f"{VIDEO_NAME}.chapters.txt"

    @property
    def stamp(self) -> Path:
        """The join's record (which clips, chapter times)."""
        return self.root / f"{VIDEO_NAME}.json"

    def joined(self, partial: bool = False) -> "Joined":
        """The joined video's files: the whole video, or (``partial``) the
        join of a ``--only`` build whose other chapters are not current."""
        return Joined(self.root, f"{VIDEO_NAME}.partial" if partial else VIDEO_NAME)

    # per chapter
    @property
    def clips_dir(self) -> Path:
        return self.root / "clips"

    def clip(self, ch) -> Path:
        return self.clips_dir / f"{clip_stem(ch)}.mp4"

    def clip_file(self, ch, suffix: str) -> Path:
        """A file beside the clip: ``.srt``, ``.vtt``, ``.json`` (its stamp:
        input hash, frames, render seconds) or ``.beats.json``."""
        return self.clips_dir / f"{clip_stem(ch)}{suffix}"

    # the build's own working files
    @property
    def work_dir(self) -> Path:
        """Holds one manim media folder per chapter (``build/NN-name``)."""
        return self.root / "build"

    def chapter_work_dir(self, ch) -> Path:
        return self.work_dir / clip_stem(ch)

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def lock_file(self) -> Path:
        return self.root / ".build.lock"

    # made from the clips
    @property
    def storyboard_dir(self) -> Path:
        return self.root / "storyboard"

    @property
    def lecture_dir(self) -> Path:
        return self.root / "lecture"


@dataclass(frozen=True)
class Joined:
    """The files of one joined video: ``<stem>.mp4``, ``.srt``, ``.vtt``,
    ``.chapters.txt`` (timestamps for a video site) and ``.json`` (the join's
    record: which clips, chapter times)."""

    folder: Path
    stem: str

    @property
    def video(self) -> Path:
        return self.folder / f"{self.stem}.mp4"

    @property
    def srt(self) -> Path:
        return self.folder / f"{self.stem}.srt"

    @property
    def vtt(self) -> Path:
        return self.folder / f"{self.stem}.vtt"

    @property
    def chapters_txt(self) -> Path:
        return self.folder / f"{self.stem}.chapters.txt"

    @property
    def stamp(self) -> Path:
        return self.folder / f"{self.stem}.json"

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.video, self.srt, self.vtt, self.chapters_txt, self.stamp)
