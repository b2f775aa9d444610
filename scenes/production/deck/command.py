"""``python -m scenes deck``: build what is missing or stale, then make the deck.

    python -m scenes deck [--quality h] [--only NAME ...] [--voice V] [--silent] [--media-dir DIR]

The build runs first with the same options (so a deck is never made from a
clip whose sources changed: that chapter renders again), then the deck is
written into the build's ``lecture/`` folder. A missing reveal.js file is
reported before anything is built.
"""

from __future__ import annotations

import argparse
import signal
import sys

from scenes.production.deck.model import DeckError, DeckInputError

__all__ = ["add_parser", "run"]


def add_parser(sub) -> argparse.ArgumentParser:
    from scenes.production.cli import add_build_options

    p = sub.add_parser(
        "deck", help="the lecture deck: one slide per narration beat (HTML, PowerPoint, manim-slides)",
        description="Build the chapters that are missing or stale (the build's options), then write the lecture "
        "deck into the build's lecture/ folder: one slide per narration beat with its own sound and captions, "
        "as one offline HTML file (earthquakes.html), a PowerPoint file (earthquakes.pptx) and manim-slides' "
        "presentation (slides/earthquakes.json). A preview build's deck goes under its own folder, never over "
        "the final one.")
    add_build_options(p)
    p.add_argument("--silent", action="store_true",
                   help="the deck without narration sound, for a lecturer who speaks (the words stay in the speaker "
                   "notes): earthquakes-silent.html and .pptx, beside the narrated deck")
    return p


def _size(path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def run(args) -> int:
    from scenes.production.build import lock
    from scenes.production.cli import _on_sigterm, _Terminated, build_from_args
    from scenes.production.deck.assets import check_assets
    from scenes.production.deck.make import make_deck
    from scenes.production.errors import BuildError, BuildInputError
    from scenes.production.files import display, fmt_time

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        check_assets()  # before any long work
        print("[deck] building what is missing or stale first", flush=True)
        report = build_from_args(args, getattr(args, "chapters", None))
        what = "PARTIAL: only " + ", ".join(r.chapter.name for r in report.in_video) if report.partial else ""
        print(f"[deck] making the {'silent ' if args.silent else ''}deck of {len(report.in_video)} chapter(s)"
              + (f" ({what})" if what else ""), flush=True)
        held = lock(report.outputs)  # no build may replace a clip while it is cut
        try:
            deck = make_deck(report.outputs, [r.chapter for r in report.in_video], silent=args.silent,
                             partial=report.partial, jobs=args.jobs)
        finally:
            held.release()
    except (DeckInputError, BuildInputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DeckError, BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, _Terminated) else "interrupted"
        print(f"\ndeck {what}: the previous deck and video were left as they were", file=sys.stderr)
        return 143 if isinstance(exc, _Terminated) else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    f = deck.files
    t = deck.timings
    print(
        f"\nDeck made in {fmt_time(deck.seconds)} ({deck.seconds:.1f} s: slides {t['chapters']:.1f} s, html "
        f"{t['html']:.1f} s, pptx {t['pptx']:.1f} s; cut: {', '.join(deck.cut) or 'none, all reused'})\n"
        f"  {deck.slides} slides from {len(deck.chapters)} chapter(s)"
        + (" without narration sound" if deck.silent else "") + "\n"
        f"  open:         {display(f.html)}  ({_size(f.html)}, works offline; → next, C captions, M chapters)\n"
        f"  PowerPoint:   {display(f.pptx)}  ({_size(f.pptx)})\n"
        f"  manim-slides: manim-slides present --folder {display(f.slides_dir)} {f.config.stem}\n"
        f"  posters:      {display(report.outputs.clips_dir)}/NN-name.png"
    )
    if report.partial:
        print(f"  not current at this quality: {', '.join(report.missing)}; without --only the deck holds every chapter")
    return 0
