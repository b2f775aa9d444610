"""``python -m scenes.production.manim_render render ...``: manim's own
command line, with one fix that makes a render from manim's cache equal a
cold render.

The fault (manim 0.22, Cairo renderer): the scene clock ``renderer.time``
advances by the frames a play writes, ``ceil(run_time * fps) / fps`` for an
animation and ``floor(duration * fps) / fps`` for a still wait, but a play
whose partial movie is taken from the cache advances it by the exact
``run_time``. manim-voiceover reads that clock: a voiceover block starts its
sound at ``renderer.time`` and its closing wait lasts ``end - renderer.time``.
So in a re-render that reuses cached animations the clock drifts by up to a
frame per play, every closing wait comes out a few frames different (a new,
uncached partial movie), the sound sits somewhere else, and the chapter ends
up with a different number of frames (763-764 instead of a cold 766 for one
chapter at 60 fps). The voiceover cache is not at fault: it gives back the
same audio file and word boundaries.

The fix: after a cached play, set the clock to what a cold render would
have: advance it by the frames in the cached partial movie, the same way
the renderer does when it writes them (one ``dt`` per frame for an
animation, ``n * dt`` at once for a still wait), so even the floating-point
sums are equal. The build runs every chapter through this module.
"""

from __future__ import annotations

import sys

__all__ = ["exact_cached_time", "main"]


def _frames_in(path: str) -> int:
    import av

    with av.open(path) as c:
        return sum(1 for p in c.demux(c.streams.video[0]) if p.dts is not None)


def exact_cached_time() -> None:
    """Patch manim's Cairo renderer so a cached play moves the scene clock
    exactly as rendering it would. Safe to call more than once."""
    from manim.renderer.cairo_renderer import CairoRenderer

    if getattr(CairoRenderer.play, "_exact_cached_time", False):
        return
    original = CairoRenderer.play

    def play(self, scene, *args, **kwargs):
        t0 = self.time
        original(self, scene, *args, **kwargs)
        hashes = self.animations_hashes
        # After a cache hit, skip_animations stays True and the play has a
        # hash; a play skipped for other reasons (sections, -n) has none.
        if not (self.skip_animations and hashes and hashes[-1] is not None):
            return
        files = getattr(self.file_writer, "partial_movie_files", None)
        if not files or files[-1] is None:
            return
        n = _frames_in(files[-1])
        dt = 1 / self.camera.frame_rate
        t = t0
        if scene.is_current_animation_frozen_frame():
            t += n * dt  # freeze_current_frame: one add_frame of n frames
        else:
            for _ in range(n):  # play_internal: one add_frame per frame
                t += dt
        self.time = t

    play._exact_cached_time = True
    CairoRenderer.play = play


def main(argv: list[str] | None = None) -> int:
    exact_cached_time()
    from manim.__main__ import main as manim_main

    try:
        manim_main(args=list(sys.argv[1:] if argv is None else argv), prog_name="manim", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
