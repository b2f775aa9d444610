"""Production: everything that turns the chapters into finished files.

One small module a job:

    outputs.py       where each build writes (per quality and voice)
    plan.py          chapter selection, every input check, is a clip current?
    inputs.py        what a clip is made from: the import graph and the hash
    pool.py          the render processes, a few at a time
    progress.py      progress and time left (rich), from same-quality renders
    manim_render.py  manim's command line with exact timing for cached plays
    media.py         PyAV: frame counts, audio, laying clips end to end
    clips.py         a render becomes a clip (+ stamp); the join
    subtitles.py     .srt merge, .vtt, the chapter list for video sites
    build.py         `build()`: the steps above in order
    cli.py           ``python -m scenes <command>``

The public API, importable from here::

    from scenes.production import build, BuildError, BuildInputError, BuildReport
"""

from __future__ import annotations

__all__ = ["BuildError", "BuildInputError", "BuildReport", "ChapterFailure", "ChapterResult", "Outputs", "build"]

# Light: nothing here imports manim, PyAV or rich at import time. (The
# function `build` is bound after its module, so `from scenes.production
# import build` is the function, not the module scenes/production/build.py.)
from scenes.production.build import BuildReport, build  # noqa: E402
from scenes.production.clips import ChapterResult  # noqa: E402
from scenes.production.errors import BuildError, BuildInputError, ChapterFailure  # noqa: E402
from scenes.production.outputs import Outputs  # noqa: E402
