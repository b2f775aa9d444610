"""A voiceover block's text: its bookmarks, its plain words and its id.

The id names the block's recording (``<id>.wav``): the first words slugified
plus 8 hex digits of the SHA-1 of the text with bookmarks removed and
whitespace collapsed. Changing the words, punctuation or capitals gives a new
id; moving a bookmark or re-wrapping lines does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

__all__ = ["Segment", "block_id", "has_words", "plain_text", "recording_name", "split_segments"]

# The exact patterns manim_voiceover uses (tracker, helper.remove_bookmarks), so
# our offsets match its own; kept here so the script's parent process need not
# import manim.
_BOOKMARK_SPLIT = re.compile(r"(<bookmark\s*mark\s*=[\'\"]\w*[\"\']\s*/>)")
_BOOKMARK_MARK = re.compile(r"<bookmark\s*mark\s*=[\'\"](.*)[\"\']\s*/>")
_HAS_WORD = re.compile(r"\w")


@dataclass
class Segment:
    """The text from one bookmark to the next."""

    offset: int  # position in the text with bookmarks removed
    text: str = ""
    marks: list[str] = field(default_factory=list)


def split_segments(text: str) -> tuple[list[Segment], str]:
    """Cut ``text`` at its bookmarks the way manim_voiceover's tracker does.

    Returns the segments (each starting where a bookmark sits) and the text
    with bookmarks removed (the tracker's ``content``)."""
    content = ""
    segments = [Segment(0)]
    for part in _BOOKMARK_SPLIT.split(text):
        matched = _BOOKMARK_MARK.match(part)
        if matched:
            if segments[-1].text:
                segments.append(Segment(len(content)))
            segments[-1].marks.append(matched.group(1))
        else:
            segments[-1].text += part
            content += part
    return segments, content


def has_words(text: str) -> bool:
    return bool(_HAS_WORD.search(text))


def plain_text(text: str) -> str:
    """The words a listener hears: bookmarks removed, whitespace collapsed."""
    return " ".join(_BOOKMARK_SPLIT.sub("", text).split())


def block_id(text: str) -> str:
    """Stable id of a voiceover block (see the module docstring)."""
    norm = plain_text(text)
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(norm.split()[:6]).lower()).strip("-")
    slug = slug[:40].rstrip("-") or "block"
    return f"{slug}-{hashlib.sha1(norm.encode('utf-8')).hexdigest()[:8]}"


def recording_name(text: str) -> str:
    """The file name a recording of this block must have."""
    return f"{block_id(text)}.wav"
