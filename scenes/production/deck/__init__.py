"""The lecture deck (``python -m scenes deck``): every narration beat of the
video a slide with its own sound, as one offline HTML file, a PowerPoint
file and manim-slides' presentation, made from the clips of a build.

One small module a job:

    command.py     the command line: build first, then the deck
    make.py        `make_deck`: the steps below in order
    chapter.py     one chapter's slides (reused while its clip is unchanged)
    beats.py       beats -> slides, cut at the clip's keyframes
    cuts.py        PyAV: keyframes, slide videos with packets copied, sound
    captions.py    each slide's WebVTT track (webvtt-py)
    posters.py     slide thumbnails and the chapter's poster frame
    config.py      manim-slides' presentation file, checked with its model
    html.py        the one-file offline page (manim-slides' RevealJS converter)
    revealjs.html  its template: video, captions, chapter menu
    powerpoint.py  the PowerPoint file (python-pptx)
    assets.py      reveal.js in manim-slides' cache, installed by make setup
    model.py       names, folders, records, errors
"""

from __future__ import annotations

from scenes.production.deck.command import add_parser, run

__all__ = ["add_parser", "run"]
