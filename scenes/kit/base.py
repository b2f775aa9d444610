"""Scene base classes with narration: voice from QUAKE_VOICE, the project's
background colour, and subtitles (an .srt beside every rendered clip).

    class Quake(NarratedScene):
        def construct(self):
            with self.voiceover(text="The ground <bookmark mark='A'/> shakes."):
                self.wait_until_bookmark("A")
"""

from manim import ManimColor, ThreeDScene
from manim_voiceover import VoiceoverScene

from scenes.kit.narration import QuakeSpeechService
from scenes.kit.palette import BACKGROUND
from scenes.kit.surface import QuakeCamera

__all__ = ["NarratedScene", "Narrated3DScene"]


def _prepare(scene: VoiceoverScene) -> None:
    scene.camera.background_color = ManimColor(BACKGROUND)
    if hasattr(scene.camera, "init_background"):  # Cairo camera caches it
        scene.camera.init_background()
    # create_subcaption=True makes manim write <clip>.srt beside the video.
    scene.set_speech_service(QuakeSpeechService(), create_subcaption=True)


class NarratedScene(VoiceoverScene):
    """A 2-D scene with narration."""

    def setup(self) -> None:
        super().setup()
        _prepare(self)


class Narrated3DScene(VoiceoverScene, ThreeDScene):
    """A 3-D scene with narration. Its camera is :class:`QuakeCamera`, which
    draws :class:`LossSurface` fast."""

    def __init__(self, camera_class=QuakeCamera, **kwargs) -> None:
        super().__init__(camera_class=camera_class, **kwargs)

    def setup(self) -> None:
        super().setup()
        _prepare(self)

