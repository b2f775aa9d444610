"""The storyboard's numbers, as JSON for tools and Markdown for people.

A chapter's report: speech time (the union of the narration cues), the share
of it that runs over a still picture, and every still stretch of at least
`LIST_STILL` seconds, those over `FLAG_STILL` flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scenes.production.storyboard_motion import Stretch, intersection_seconds, union

__all__ = ["FLAG_STILL", "LIST_STILL", "Cue", "chapter_numbers", "chapter_markdown", "fmt_time",
           "video_markdown", "video_numbers"]

#: Still stretches this long or longer are listed and count as "speech over a still picture".
LIST_STILL = 2.0
#: Still stretches longer than this are flagged (the issue's "about 6 s").
FLAG_STILL = 6.0


@dataclass(frozen=True)
class Cue:
    """One narration cue: a voiceover block (beats file) or a subtitle."""

    index: int
    start: float
    end: float
    text: str

    @property
    def mid(self) -> float:
        return (self.start + self.end) / 2


def fmt_time(seconds: float) -> str:
    """``m:ss.s``"""
    seconds = max(0.0, seconds)
    m, s = divmod(round(seconds, 1), 60)
    return f"{int(m)}:{s:04.1f}"


def _words_during(cues: Sequence[Cue], a: float, b: float, limit: int = 90) -> str:
    said = " ".join(c.text for c in cues if c.end > a and c.start < b)
    said = " ".join(said.split())
    return said if len(said) <= limit else said[: limit - 1].rsplit(" ", 1)[0] + " …"


def chapter_numbers(cues: Sequence[Cue], stills: Sequence[Stretch], duration: float,
                    min_still: float = LIST_STILL, flag_still: float = FLAG_STILL,
                    blinks: Sequence[Stretch] = ()) -> dict:
    """Speech, still share and the listed stretches of one chapter (seconds,
    rounded to ms); ``blinks`` are the highlights that came and went inside
    still stretches."""
    speech = union((max(0.0, c.start), min(duration, c.end)) for c in cues)
    speech_s = sum(b - a for a, b in speech)
    listed = [s for s in stills if s.length >= min_still - 1e-9]
    still_speech = intersection_seconds(speech, [(s.start, s.end) for s in listed])
    rows = []
    for s in listed:
        rows.append({
            "start": round(s.start, 3), "length": round(s.length, 3), "end": round(s.end, 3),
            "flagged": s.length > flag_still,
            "speech_seconds": round(intersection_seconds(speech, [(s.start, s.end)]), 3),
            "blinks": sum(s.start <= b.start < s.end for b in blinks),
            "words": _words_during(cues, s.start, s.end),
        })
    longest = max(rows, key=lambda r: r["length"], default=None)
    return {
        "duration": round(duration, 3),
        "speech_seconds": round(speech_s, 3),
        "still_speech_seconds": round(still_speech, 3),
        "still_speech_share": round(still_speech / speech_s, 4) if speech_s > 0 else None,
        "still_seconds": round(sum(s.length for s in listed), 3),
        "min_still": min_still,
        "flag_still": flag_still,
        "longest_still": longest,
        "flagged": sum(r["flagged"] for r in rows),
        "stills": rows,
    }


def _pct(share) -> str:
    return "-" if share is None else f"{100 * share:.0f} %"


def chapter_markdown(rep: dict) -> str:
    ch, n = rep["chapter"], rep["numbers"]
    a = rep["analysis"]
    lines = [
        f"# {ch['number']}. {ch['title']}: storyboard report",
        "",
        f"- Clip: `{rep['clip']}` ({a['width']}x{a['height']}, {a['fps']:g} fps, {fmt_time(n['duration'])}); "
        f"cues from `{rep['cues_from']}` ({len(rep['cues'])} cues)",
        f"- Speech: {n['speech_seconds']:.1f} s, of which {n['still_speech_seconds']:.1f} s "
        f"(**{_pct(n['still_speech_share'])}**) over a still picture (still for {n['min_still']:g} s or more)",
    ]
    longest = n["longest_still"]
    lines.append(f"- Longest still: {longest['length']:.1f} s at {fmt_time(longest['start'])}" if longest
                 else f"- No still stretch of {n['min_still']:g} s or more")
    lines.append(f"- Still stretches over {n['flag_still']:g} s: {n['flagged']}")
    lines.append(f"- Sheets: {', '.join(rep['pages'])}")
    if n["stills"]:
        lines += ["", "| start | length | speech over it | words spoken |", "| --- | --- | --- | --- |"]
        for r in n["stills"]:
            flag = " **(over {:g} s)**".format(n["flag_still"]) if r["flagged"] else ""
            if r.get("blinks"):
                flag += f", {r['blinks']} highlight{'s' if r['blinks'] > 1 else ''} blinking"
            words = r["words"].replace("|", "/") or "(silence)"
            lines.append(f"| {fmt_time(r['start'])} | {r['length']:.1f} s{flag} | {r['speech_seconds']:.1f} s | {words} |")
    return "\n".join(lines) + "\n"


def video_numbers(reports: Sequence[dict]) -> dict:
    speech = sum(r["numbers"]["speech_seconds"] for r in reports)
    still = sum(r["numbers"]["still_speech_seconds"] for r in reports)
    longest = None
    for r in reports:
        ls = r["numbers"]["longest_still"]
        if ls and (longest is None or ls["length"] > longest["length"]):
            longest = dict(ls, chapter=r["chapter"]["name"])
    return {
        "duration": round(sum(r["numbers"]["duration"] for r in reports), 3),
        "speech_seconds": round(speech, 3),
        "still_speech_seconds": round(still, 3),
        "still_speech_share": round(still / speech, 4) if speech > 0 else None,
        "flagged": sum(r["numbers"]["flagged"] for r in reports),
        "longest_still": longest,
    }


def video_markdown(total: dict, reports: Sequence[dict], label: str, left_out: Sequence[str]) -> str:
    lines = [
        f"# Storyboard report: the whole video ({label})",
        "",
        f"Speech {total['speech_seconds']:.1f} s, of which {total['still_speech_seconds']:.1f} s "
        f"(**{_pct(total['still_speech_share'])}**) runs over a still picture; "
        f"{total['flagged']} still stretches over {reports[0]['numbers']['flag_still']:g} s." if reports else "No chapters.",
        "",
        "| # | chapter | speech | over a still picture | longest still | stretches over 6 s (start, length) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in reports:
        ch, n = r["chapter"], r["numbers"]
        ls = n["longest_still"]
        longest = f"{ls['length']:.1f} s at {fmt_time(ls['start'])}" if ls else "-"
        flagged = ", ".join(f"{fmt_time(s['start'])} {s['length']:.1f} s" for s in n["stills"] if s["flagged"]) or "-"
        lines.append(f"| {ch['number']} | [{ch['name']}]({r['stem']}.md) | {n['speech_seconds']:.1f} s | "
                     f"{_pct(n['still_speech_share'])} | {longest} | {flagged} |")
    if left_out:
        lines += ["", "Not in this report (no up-to-date storyboard; run `python -m scenes storyboard` "
                  "without --only): " + ", ".join(left_out)]
    return "\n".join(lines) + "\n"
