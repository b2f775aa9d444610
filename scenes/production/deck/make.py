"""`make_deck`: the chapters of a finished build become the lecture deck.

1. every chapter's slides (`chapter.make_chapter`: cut, captions, stills),
   a few chapters at once, each reused when its clip has not changed;
2. manim-slides' presentation file (`config`), loaded back to check it;
3. the offline HTML page (`html`) and the PowerPoint file (`powerpoint`);
4. slide files no deck uses any more are removed.

Every file is written under a temporary name and moved into place when
complete, so an interrupted deck leaves the previous one as it was.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from scenes.production.deck.assets import check_assets
from scenes.production.deck.chapter import ChapterJob, make_chapter
from scenes.production.deck.config import write_config
from scenes.production.deck.html import write_html
from scenes.production.deck.model import ChapterSlides, DeckFiles, DeckInputError, deck_files, files_dir
from scenes.production.deck.powerpoint import write_pptx
from scenes.production.files import remove_stale_partials
from scenes.production.outputs import Outputs, clip_stem

__all__ = ["DeckReport", "make_deck"]

TITLE = "Earthquakes"


@dataclass
class DeckReport:
    files: DeckFiles
    chapters: list[ChapterSlides]
    cut: list[str]  # chapters whose slides were cut now (the others were reused)
    silent: bool
    partial: bool
    seconds: float
    timings: dict[str, float]

    @property
    def slides(self) -> int:
        return sum(len(ch.slides) for ch in self.chapters)


def chapter_jobs(out: Outputs, chapters: Sequence, silent: bool) -> list[ChapterJob]:
    """One job per chapter (objects with number, name, title), in order."""
    folder = files_dir(out, silent)
    return [ChapterJob(ch.number, ch.name, clip_stem(ch), ch.title, out.clip(ch), out.clip_file(ch, ".beats.json"),
                       out.clip_file(ch, ".srt"), out.clip_file(ch, ".vtt"), out.clip_file(ch, ".png"), folder, silent)
            for ch in chapters]


def _referenced(slides_dir: Path) -> set[Path]:
    """Every slide file a presentation file in ``slides_dir`` points at."""
    keep: set[Path] = set()
    for cfg in slides_dir.glob("*.json"):
        try:
            data = json.loads(cfg.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for s in data.get("slides", []) if isinstance(data, dict) else []:
            for k in ("file", "rev_file"):
                if isinstance(s, dict) and isinstance(s.get(k), str):
                    keep.add((slides_dir.parent / s[k]).resolve())
    return keep


def remove_unused(folder: Path, slides_dir: Path) -> list[Path]:
    """Remove the slide files in ``folder`` that no chapter record
    (``*.deck.json``) and no presentation file uses (left by earlier cuts)."""
    keep = _referenced(slides_dir)
    for record in folder.glob("*.deck.json"):
        try:
            rec = ChapterSlides.from_dict(json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            continue
        keep.add((folder / rec.thumb).resolve())
        for s in rec.slides:
            keep.update((folder / n).resolve() for n in (s.video, s.captions, s.poster))
    gone = []
    for p in folder.glob("*"):
        if p.suffix in (".mp4", ".vtt", ".jpg") and p.is_file() and p.resolve() not in keep:
            # a slide's captions and picture go with its video
            if p.suffix != ".mp4" and p.with_suffix(".mp4").resolve() in keep:
                continue
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def make_deck(out: Outputs, chapters: Sequence, *, silent: bool = False, partial: bool = False,
              jobs: int | None = None, log: Callable[[str], None] = print) -> DeckReport:
    """Make the deck of ``chapters`` (built, in story order) from the clips in ``out``."""
    t0 = time.perf_counter()
    if not chapters:
        raise DeckInputError("no chapters to make a deck of: build some first (python -m scenes build)")
    check_assets()
    timings: dict[str, float] = {}
    todo = chapter_jobs(out, chapters, silent)
    folder = files_dir(out, silent)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(out.lecture_dir, folder, out.clips_dir)
    workers = max(1, min(len(todo), jobs or os.cpu_count() or 1))
    records: list[ChapterSlides] = []
    cut: list[str] = []
    if workers == 1:
        results = [make_chapter(j) for j in todo]
    else:  # longest clips first, so no worker is left with a long one at the end
        order = sorted(range(len(todo)), key=lambda i: -(todo[i].clip.stat().st_size if todo[i].clip.is_file() else 0))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {i: pool.submit(make_chapter, todo[i]) for i in order}
            results = [futures[i].result() for i in range(len(todo))]
    for rec, fresh in results:
        records.append(rec)
        if fresh:
            cut.append(rec.stem)
        note = {".srt": "; beats read from its subtitles (a build older than the beats manifest)",
                "none": "; no narration: one slide"}.get(rec.beats_from, "")
        log(f"  {rec.stem}: {len(rec.slides)} slide(s)" + (" (cut)" if fresh else " (unchanged)") + note)
    timings["chapters"] = time.perf_counter() - t0

    deck = deck_files(out, silent=silent, partial=partial)
    title = TITLE + (" (silent)" if silent else "")
    t = time.perf_counter()
    config = write_config(deck, records, folder)
    timings["manim-slides"] = time.perf_counter() - t
    t = time.perf_counter()
    write_html(deck.html, config, records, folder, title)
    timings["html"] = time.perf_counter() - t
    t = time.perf_counter()
    write_pptx(deck.pptx, records, folder, title)
    timings["pptx"] = time.perf_counter() - t
    remove_unused(folder, deck.slides_dir)
    return DeckReport(deck, records, cut, silent, partial, time.perf_counter() - t0, timings)
