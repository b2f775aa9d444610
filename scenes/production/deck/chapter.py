"""One chapter's slides: plan them from its beats and keyframes, cut the
clip, write each slide's captions and first frame, and the chapter's poster.

A chapter whose clip, beats and captions are the ones its slides were cut
from (its record ``NN-name.deck.json`` says so, and every file is there) is
not cut again. New slide files carry a short key of what they were cut from
in their names, so the files the previous deck uses stay in place until the
new deck is written (`make` removes them after).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from scenes.production.deck.beats import beats_from_srt, plan_slides, read_beats
from scenes.production.deck.captions import read_cues, slide_vtt
from scenes.production.deck.cuts import SliceOut, clip_audio, cut, scan
from scenes.production.deck.model import DECK_FORMAT, ChapterSlides, DeckInputError, Slide
from scenes.production.deck.posters import stills
from scenes.production.files import read_json, write_json_atomic, write_text_atomic

__all__ = ["ChapterJob", "make_chapter", "record_path"]


@dataclass(frozen=True)
class ChapterJob:
    number: int
    name: str
    stem: str  # NN-name
    title: str
    clip: Path
    beats: Path  # .beats.json (may be missing: an old build, or no narration)
    srt: Path
    vtt: Path
    poster: Path  # clips/NN-name.png
    folder: Path  # the slide files of this deck variant
    silent: bool


def record_path(job: ChapterJob) -> Path:
    return job.folder / f"{job.stem}.deck.json"


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def source_key(job: ChapterJob) -> dict:
    if not job.clip.is_file():
        raise DeckInputError(f"{job.clip} is missing: build the chapter first (python -m scenes build)")
    st = job.clip.stat()
    src = {"format": DECK_FORMAT, "silent": job.silent, "clip": job.clip.name, "clip_bytes": st.st_size,
           "clip_mtime_ns": st.st_mtime_ns, "beats_sha256": _sha(job.beats), "srt_sha256": _sha(job.srt),
           "vtt_sha256": _sha(job.vtt)}
    src["key"] = hashlib.sha256(json.dumps(src, sort_keys=True).encode()).hexdigest()[:10]
    return src


def _reusable(job: ChapterJob, source: dict) -> ChapterSlides | None:
    data = read_json(record_path(job))
    if data.get("source") != source:
        return None
    try:
        rec = ChapterSlides.from_dict(data)
    except (TypeError, KeyError):
        return None
    names = [rec.thumb, *(n for s in rec.slides for n in (s.video, s.captions, s.poster))]
    if not all((job.folder / n).is_file() for n in names) or not job.poster.is_file():
        return None
    return rec


def make_chapter(job: ChapterJob) -> tuple[ChapterSlides, bool]:
    """The chapter's slides (cut now, or reused: the flag says which)."""
    source = source_key(job)
    old = _reusable(job, source)
    if old is not None:  # the chapter list may have renamed or renumbered it
        old.number, old.name, old.title = job.number, job.name, job.title
        return old, False
    job.folder.mkdir(parents=True, exist_ok=True)
    info = scan(job.clip)
    if job.beats.is_file():
        beats, beats_from = read_beats(job.beats), ".beats.json"
    elif job.srt.is_file():
        beats, beats_from = beats_from_srt(job.srt, info.keyframes, info.fps), ".srt"
    else:
        beats, beats_from = [], "none"
    cuts = plan_slides(beats, info.keyframes, info.frames, info.fps)
    key = source["key"]
    texts = {b.index: b.text for b in beats}
    slides = []
    for i, c in enumerate(cuts):
        base = f"{job.stem}-{i + 1:02d}-{key}"
        slides.append(Slide(i, c.first, c.frames, str(info.fps), list(c.beats),
                            "\n".join(texts[b] for b in c.beats), f"{base}.mp4", f"{base}.vtt", f"{base}.jpg"))
    audio = None if job.silent else clip_audio(job.clip)
    for s in slides:
        s.has_audio = audio is not None
    firsts = cut(job.clip, [SliceOut(job.folder / s.video, s.first, s.frames) for s in slides], audio)
    cues = read_cues(job.vtt)
    for s in slides:
        write_text_atomic(job.folder / s.captions, slide_vtt(cues, s.start, s.end))
    thumb = job.folder / f"{job.stem}-poster-{key}.jpg"
    still = stills(firsts, {s.first: job.folder / s.poster for s in slides}, job.poster, thumb)
    rec = ChapterSlides(job.number, job.name, job.stem, job.title, job.clip.name, source, info.width, info.height,
                        still.background, float(still.poster_frame / info.fps), beats_from, thumb.name, slides)
    write_json_atomic(record_path(job), rec.to_dict())
    return rec, True
