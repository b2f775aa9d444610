"""The storyboard: every chapter of a finished build on printable sheets, and
how long its picture stands still while the narrator speaks.

    python -m scenes storyboard [--quality h] [--voice joe] [--only NAME ...] [--media-dir DIR]

Reads the clips of a build (``clips/NN-name.mp4``, its ``.srt`` and, when
present, ``NN-name.beats.json``, whose voiceover blocks are the cues;
without it the subtitles are) and writes under ``storyboard/`` beside them:

- ``NN-name-1.png`` (``-2``, ... for long chapters): the frame at the middle
  of every narration cue, its time, and the cue's words beneath it;
- ``storyboard.pdf``: all sheets, A4, for teachers to print as lecture notes;
- ``NN-name.md`` / ``.json``: the chapter's report: speech seconds, the share
  of them over a still picture, every still stretch of 2 s or more (start,
  length, the words spoken over it), those over 6 s flagged;
- ``report.md`` / ``report.json``: the same for the whole video.

**Still** means that no frame changes: every frame is decoded and compared
with the first frame of the current still stretch on a grey picture about
480 pixels wide (see `storyboard_motion` for the threshold and why). Speech
time is the union of the cues; "over a still picture" counts the speech
inside still stretches of at least 2 s, the stretches the report lists.

A chapter whose clip and cues have not changed since its last storyboard is
not decoded again. Every file is written under a temporary name and moved
into place when complete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from scenes.chapters import CHAPTERS, Chapter
from scenes.production.files import partial_name, remove_stale_partials
from scenes.production.outputs import FINAL_QUALITY, MEDIA_DIR, QUALITIES, Outputs, clip_stem
from scenes.production.storyboard_report import (
    FLAG_STILL, LIST_STILL, Cue, chapter_markdown, chapter_numbers, fmt_time, video_markdown, video_numbers,
)

__all__ = ["StoryboardInputError", "add_parser", "main", "read_cues", "run", "storyboard"]

VERSION = 2  # bump when the analysis or the sheets change, to redo every chapter
PDF_NAME = "storyboard.pdf"
SILENT_STEP = 5.0  # a chapter without narration gets a frame every this many seconds


class StoryboardInputError(ValueError):
    """The build to read is missing or incomplete; the message says what to run."""


# --------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------


def build_command(out: Outputs, only: Sequence[str] = ()) -> str:
    cmd = f"python -m scenes build --quality {out.quality} --voice {out.voice}"
    if out.media != MEDIA_DIR:
        cmd += f" --media-dir {out.media}"
    if only:
        cmd += " --only " + " ".join(only)
    return cmd


def read_cues(srt_path: Path, beats_path: Path | None = None) -> list[Cue]:
    """The narration cues: the beats manifest's voiceover blocks when there is
    one, else the subtitles."""
    if beats_path is not None and beats_path.is_file():
        try:
            data = json.loads(beats_path.read_text(encoding="utf-8"))
            if data.get("format") != 1:
                raise ValueError(f"format {data.get('format')!r}, expected 1")
            return [Cue(i, float(b["start"]), float(b["start"]) + float(b["duration"]), str(b["text"]))
                    for i, b in enumerate(data["beats"])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoryboardInputError(f"{beats_path} is not a beats manifest ({exc}): delete it to use the "
                                       f"subtitles, or build the chapter again") from None
    import srt

    try:
        subs = sorted(srt.parse(srt_path.read_text(encoding="utf-8")), key=lambda s: s.start)
    except (srt.SRTParseError, UnicodeDecodeError, ValueError) as exc:
        raise StoryboardInputError(f"{srt_path} is not a readable .srt file ({exc}): build the chapter again") from None
    return [Cue(i, s.start.total_seconds(), s.end.total_seconds(), " ".join(s.content.split()))
            for i, s in enumerate(subs)]


@dataclass(frozen=True)
class Job:
    chapter: Chapter
    clip: Path
    srt: Path
    beats: Path | None
    out_dir: Path
    label: str
    cues: tuple[Cue, ...]
    source: dict  # what the chapter's storyboard was made from (reuse key)

    @property
    def stem(self) -> str:
        return clip_stem(self.chapter)


def _source_key(clip: Path, cue_file: Path) -> dict:
    st = clip.stat()
    return {
        "version": VERSION, "clip_bytes": st.st_size, "clip_mtime_ns": st.st_mtime_ns,
        "cues_file": cue_file.name, "cues_sha256": hashlib.sha256(cue_file.read_bytes()).hexdigest(),
        "min_still": LIST_STILL, "flag_still": FLAG_STILL,
    }


def _select(chapters: Sequence[Chapter], only: Sequence[str] | None) -> list[Chapter]:
    if not only:
        return list(chapters)
    names = {c.name: c for c in chapters}
    unknown = [n for n in only if n not in names]
    if unknown:
        raise StoryboardInputError(f"unknown chapter {', '.join(unknown)}: choose from {', '.join(names)}")
    return [c for c in chapters if c.name in set(only)]


def plan(out: Outputs, chapters: Sequence[Chapter] = CHAPTERS, only: Sequence[str] | None = None) -> list[Job]:
    """Check the build's files (before any long work) and read the cues."""
    selected = _select(chapters, only)
    clips = out.clips_dir
    if not clips.is_dir() or not any(clips.glob("*.mp4")):
        raise StoryboardInputError(
            f"no build of the video in {clips} (quality {out.quality}, voice {out.voice}): build it first with\n"
            f"  {build_command(out)}")
    missing = [c for c in selected if not out.clip(c).is_file() or not out.clip_file(c, ".srt").is_file()]
    if missing:
        names = ", ".join(out.clip(c).name for c in missing)
        have = [c.name for c in selected if c not in missing]
        hint = f"\nor make the storyboard of the built chapters only: --only {' '.join(have)}" if have else ""
        raise StoryboardInputError(
            f"the build in {clips} lacks {names} (or its .srt): finish the build with\n"
            f"  {build_command(out)}{hint}")
    jobs = []
    for ch in selected:
        clip, srt_path, beats = out.clip(ch), out.clip_file(ch, ".srt"), out.clip_file(ch, ".beats.json")
        beats = beats if beats.is_file() else None
        cues = read_cues(srt_path, beats)
        jobs.append(Job(ch, clip, srt_path, beats, out.storyboard_dir, out.label, tuple(cues),
                        _source_key(clip, beats or srt_path)))
    return jobs


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------


def _atomic(path: Path, write) -> None:
    """``write(tmp_path)`` then move it onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    _atomic(path, lambda t: t.write_text(text, encoding="utf-8"))


def write_json(path: Path, data) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _page_names(stem: str, n: int) -> list[str]:
    return [f"{stem}-{k}.png" for k in range(1, n + 1)]


def make_chapter(job: Job) -> dict:
    """Decode the clip, draw its sheets, write its report; return the report."""
    from scenes.production.storyboard_motion import analyse
    from scenes.production.storyboard_sheets import Cell, render_sheets

    cues = list(job.cues)
    grab = [c.mid for c in cues]
    if not cues:  # no narration: a frame every few seconds, no words
        import av

        with av.open(str(job.clip)) as c:
            dur = float(c.duration / 1e6) if c.duration else SILENT_STEP
        grab = [SILENT_STEP * (k + 0.5) for k in range(max(1, int(dur // SILENT_STEP)))]
    a = analyse(job.clip, grab)
    stills = a.stills()
    numbers = chapter_numbers(cues, stills, a.duration, blinks=a.blinks)
    listed = [s for s in stills if s.length >= LIST_STILL - 1e-9]

    cells, cue_rows = [], []
    items = cues or [Cue(k, t, t, "(no narration)") for k, t in enumerate(grab)]
    for cue in items:
        t = cue.mid
        stamp = f"{fmt_time(t)}  ·  cue {cue.index + 1}: {fmt_time(cue.start)}–{fmt_time(cue.end)}" if cues else fmt_time(t)
        around = next((s for s in listed if s.start <= t < s.end), None)
        tag, level = "", 0
        if around is not None:
            tag, level = f"still {around.length:.1f} s", 2 if around.length > FLAG_STILL else 1
        cells.append(Cell(a.tiles[t], stamp, cue.text, tag, level))
    ch = job.chapter
    share = numbers["still_speech_share"]
    subtitle = (f"{job.clip.name}  ·  {job.label}  ·  {fmt_time(a.duration)}  ·  speech {numbers['speech_seconds']:.0f} s, "
                + (f"{100 * share:.0f} % over a still picture" if share is not None else "no narration"))
    pages, places = render_sheets(cells, f"{ch.number}. {ch.title}", subtitle,
                                  "Earthquakes storyboard: the frame at the middle of each narration cue, its words beneath")
    names = _page_names(job.stem, len(pages))
    for page, name in zip(pages, names):
        _atomic(job.out_dir / name, lambda t, page=page: page.save(t, format="PNG", optimize=False))
    for stale in job.out_dir.glob(f"{job.stem}-*.png"):  # pages left from a longer version
        if stale.name not in names and stale.stem[len(job.stem) + 1:].isdigit():
            stale.unlink(missing_ok=True)
    for cue, place in zip(items, places):
        cue_rows.append({"index": cue.index, "start": round(cue.start, 3), "end": round(cue.end, 3),
                         "frame_time": round(cue.mid, 3), "text": cue.text, "page": names[place.page],
                         "box": [place.x, place.y, place.w, place.h]})
    report = {
        "format": 1,
        "chapter": {"number": ch.number, "name": ch.name, "title": ch.title},
        "stem": job.stem,
        "clip": job.clip.name,
        "cues_from": (job.beats or job.srt).name,
        "source": job.source,
        "analysis": {"fps": a.fps, "frames": a.frames, "width": a.width, "height": a.height,
                     "seconds": round(a.seconds, 2), "decode_fps": round(a.frames / a.seconds, 1) if a.seconds else None},
        "numbers": numbers,
        "pages": names,
        "cues": cue_rows,
    }
    write_text(job.out_dir / f"{job.stem}.md", chapter_markdown(report))
    write_json(job.out_dir / f"{job.stem}.json", report)
    return report


def _fresh(job: Job) -> dict | None:
    """The chapter's last report, if it was made from the same clip and cues."""
    path = job.out_dir / f"{job.stem}.json"
    try:
        rep = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if rep.get("source") != job.source or not all((job.out_dir / p).is_file() for p in rep.get("pages", ())):
        return None
    return rep


def write_pdf(path: Path, pages: Sequence[Path]) -> None:
    """All sheets in one PDF, an A4 page each."""
    from scenes.production.storyboard_sheets import write_pdf as pdf

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fp:
            pdf(fp, pages, title="Earthquakes storyboard")

    if pages:
        _atomic(path, write)


def storyboard(out: Outputs, chapters: Sequence[Chapter] = CHAPTERS, only: Sequence[str] | None = None,
               jobs: int | None = None, log=print) -> dict:
    """Make the storyboard of the build ``out``; return the whole-video report."""
    todo = plan(out, chapters, only)
    t0 = time.perf_counter()
    remove_stale_partials(out.storyboard_dir)  # left by a run that was killed
    reports: dict[str, dict] = {}
    redo = []
    for job in todo:
        rep = _fresh(job)
        if rep is None:
            redo.append(job)
        else:
            reports[job.stem] = rep
            log(f"  {job.stem}: unchanged since its last storyboard")
    workers = max(1, min(len(redo), jobs or os.cpu_count() or 1))

    def done(rep: dict) -> None:
        reports[rep["stem"]] = rep
        n, a = rep["numbers"], rep["analysis"]
        ls = n["longest_still"]
        log(f"  {rep['stem']}: {fmt_time(n['duration'])} of video decoded in {a['seconds']:.1f} s "
            f"({a['decode_fps'] or 0:.0f} frames/s); {len(rep['cues'])} cues on {len(rep['pages'])} page(s); "
            f"speech {n['speech_seconds']:.1f} s, "
            + (f"{100 * n['still_speech_share']:.0f} % over a still picture" if n["still_speech_share"] is not None else "none")
            + (f"; longest still {ls['length']:.1f} s at {fmt_time(ls['start'])}" if ls else ""))

    if workers == 1:
        for job in redo:
            done(make_chapter(job))
    elif redo:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for rep in pool.map(make_chapter, redo):
                done(rep)

    # the whole video: every chapter whose storyboard matches its current clip
    sb = out.storyboard_dir
    ordered, left_out = [], []
    for ch in chapters:
        stem = clip_stem(ch)
        if stem in reports:
            ordered.append(reports[stem])
            continue
        clip, srt_path, beats = out.clip(ch), out.clip_file(ch, ".srt"), out.clip_file(ch, ".beats.json")
        cue_file = beats if beats.is_file() else srt_path
        rep = None
        if clip.is_file() and cue_file.is_file():
            rep = _fresh(Job(ch, clip, srt_path, None, sb, out.label, (), _source_key(clip, cue_file)))
        (ordered.append(rep) if rep else left_out.append(stem))
    total = video_numbers(ordered)
    summary = {"format": 1, "build": out.label, "quality": out.quality, "voice": out.voice,
               "numbers": total, "left_out": left_out,
               "chapters": [{"stem": r["stem"], **r["chapter"], "report": f"{r['stem']}.json",
                             **{k: r["numbers"][k] for k in ("duration", "speech_seconds", "still_speech_seconds",
                                                              "still_speech_share", "flagged", "longest_still")}}
                            for r in ordered]}
    write_pdf(sb / PDF_NAME, [sb / p for r in ordered for p in r["pages"]])
    write_text(sb / "report.md", video_markdown(total, ordered, out.label, left_out))
    write_json(sb / "report.json", summary)
    share = total["still_speech_share"]
    log(f"Storyboard of {len(ordered)} chapter(s) in {time.perf_counter() - t0:.1f} s: speech {total['speech_seconds']:.0f} s, "
        + (f"{100 * share:.0f} % over a still picture" if share is not None else "no narration")
        + f"; {total['flagged']} still stretch(es) over {FLAG_STILL:g} s\n  sheets and reports: {sb}/\n  print: {sb / PDF_NAME}")
    return summary


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "storyboard",
        help="sheets of every chapter (frame + words of each narration cue) and the still-picture report",
        description="Read the clips of a finished build and write, under its storyboard/ folder, one sheet per "
        "chapter (the frame at the middle of every narration cue, its words beneath), a printable PDF, and "
        "reports of where the picture stands still while the narrator speaks.",
    )
    p.add_argument("--quality", "-q", default=FINAL_QUALITY, choices=list(QUALITIES),
                   help="the build's quality: " + ", ".join(f"{k}={v}" for k, v in QUALITIES.items()) + " (default: h)")
    p.add_argument("--voice", default=None, help="the build's voice: joe, espeak or path/to/voice.onnx "
                   "(default: $QUAKE_VOICE, else joe)")
    p.add_argument("--only", nargs="+", action="extend", metavar="NAME", help="only these chapters (by name)")
    p.add_argument("--media-dir", "--media_dir", default=None, help="the build's media folder (default: media)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help=f"chapters decoded at once (default: number of cores, {os.cpu_count()})")
    return p


def run(args: argparse.Namespace, chapters: Sequence[Chapter] | None = None) -> int:
    """Run ``python -m scenes storyboard`` (``args.chapters``, when set, replaces the chapter list)."""
    chapters = chapters or getattr(args, "chapters", None) or CHAPTERS
    voice = args.voice or os.environ.get("QUAKE_VOICE") or "joe"
    try:
        out = Outputs.for_build(args.quality, voice, args.media_dir)
        storyboard(out, chapters, only=args.only, jobs=args.jobs)
    except StoryboardInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenes")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(["storyboard", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
