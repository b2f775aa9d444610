"""Scene base classes with narration: voice from QUAKE_VOICE, the project's
background colour, subtitles (an .srt beside every rendered clip) and the
beats manifest (a ``<Scene>.beats.json`` beside it: every voiceover block,
when it starts and how long it lasts; see `scenes.kit.narration.beats`).

    class Quake(NarratedScene):
        def construct(self):
            with self.voiceover(text="The ground <bookmark mark='A'/> shakes."):
                self.wait_until_bookmark("A")
"""

from __future__ import annotations

import inspect
from pathlib import Path

from manim import ManimColor, ThreeDScene, config
from manim_voiceover import VoiceoverScene

from scenes.kit.narration import BeatRecorder, manifest_path, scene_speech_service, write_manifest
from scenes.kit.narration._common import shown
from scenes.kit.palette import BACKGROUND
from scenes.kit.fast_paths import FastPathCamera
from scenes.kit.quake_camera import QuakeCamera

__all__ = ["NarratedScene", "Narrated3DScene"]

_MOVIE_SUFFIXES = {".mp4", ".mov", ".webm", ".gif"}


def _source_file(cls: type) -> str:
    try:
        return shown(Path(inspect.getsourcefile(cls) or ""))
    except TypeError:  # a class without a source file
        return ""


class _Narration(VoiceoverScene):
    """What every narrated scene shares (not meant to be used directly)."""

    narration_beats: BeatRecorder

    def setup(self) -> None:
        super().setup()
        self.camera.background_color = ManimColor(BACKGROUND)
        if hasattr(self.camera, "init_background"):  # Cairo camera caches it
            self.camera.init_background()
        service = scene_speech_service()
        # create_subcaption=True makes manim write <clip>.srt beside the video.
        self.set_speech_service(service, create_subcaption=True)
        self.narration_beats = BeatRecorder(type(self).__name__, _source_file(type(self)), service.voice.name)

    def _add_voiceover_text(self, text, service_kwargs, subcaption=None, max_subcaption_len=70,
                            subcaption_buff=0.1):
        tracker = super()._add_voiceover_text(
            text, service_kwargs, subcaption=subcaption, max_subcaption_len=max_subcaption_len,
            subcaption_buff=subcaption_buff,
        )
        used = (tracker.data.get("input_data") or {}).get("service")
        self.narration_beats.add(text, tracker.start_t, tracker.duration, recorded=used == "quake-recording")
        return tracker

    def safe_wait(self, duration: float) -> None:
        """Wait until at least ``duration`` seconds of video have passed.

        manim-voiceover ends a block (and reaches a bookmark) with this. Its
        own version calls ``wait``, which keeps only whole frames, rounding
        down, and skips less than a frame: the next block's sound could then
        start up to a frame before this block's sound ends. Here the wait is
        topped up to the next whole frame instead."""
        fps = config.frame_rate
        target = self.renderer.time + duration
        if duration > 1 / fps:
            self.wait(duration)
        for _ in range(3):  # at most one frame is missing; never loop forever
            if self.renderer.time >= target - 1e-6:
                break
            self.wait(1.0001 / fps)

    def render(self, preview: bool = False) -> bool:
        rerun = super().render(preview)
        if not rerun:
            self.write_beats()
        return rerun

    def write_beats(self) -> Path | None:
        """Write ``<Scene>.beats.json`` beside the movie this render made
        (none when it made no movie, e.g. a dry run)."""
        movie = getattr(self.renderer.file_writer, "final_file_path", None)
        if movie is None or Path(movie).suffix not in _MOVIE_SUFFIXES:
            return None
        return write_manifest(manifest_path(movie), self.narration_beats.manifest)


class NarratedScene(_Narration):
    """A 2-D scene with narration. Its camera draws straight paths (contour
    maps) as lines: :class:`~scenes.kit.fast_paths.FastPathCamera`."""

    def __init__(self, camera_class=FastPathCamera, **kwargs) -> None:
        super().__init__(camera_class=camera_class, **kwargs)


class Narrated3DScene(_Narration, ThreeDScene):
    """A 3-D scene with narration. Its camera is :class:`QuakeCamera`, which
    draws :class:`LossSurface` fast."""

    def __init__(self, camera_class=QuakeCamera, **kwargs) -> None:
        super().__init__(camera_class=camera_class, **kwargs)
