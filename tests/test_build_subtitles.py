"""Subtitles and chapter lists without rendering: the .srt merge, the .vtt
beside it, and the chapter timestamps a video site reads."""

from fractions import Fraction

import pytest

from scenes.production.subtitles import chapter_lines, chapters_text, merge_srt, srt_to_vtt, write_subtitles
from tests.fixtures.build_helpers import srt_cues


def test_subtitle_merge_orders_clamps_and_shifts(tmp_path):
    a = tmp_path / "a.srt"
    a.write_text("1\n00:00:00,500 --> 00:00:02,000\nfirst\n\n2\n00:00:01,500 --> 00:00:09,000\noverlaps and overruns\n\n")
    b = tmp_path / "b.srt"
    b.write_text("1\n00:00:00,100 --> 00:00:00,900\nsecond clip\n\n")
    merged = tmp_path / "m.srt"
    merged.write_text(merge_srt([(a, Fraction(0), Fraction(3)), (None, Fraction(3), Fraction(4)),
                                 (b, Fraction(4), Fraction(5))]))
    cues = srt_cues(merged)
    assert [(c.start.total_seconds(), c.end.total_seconds()) for c in cues] == [(0.5, 1.5), (1.5, 3.0), (4.1, 4.9)]
    assert [c.index for c in cues] == [1, 2, 3]


def test_vtt_has_the_srts_cues_and_parses(tmp_path):
    import webvtt

    srt_text = ("1\n00:00:01,250 --> 00:00:02,000\nHere is a surface.\n\n"
                "2\n01:02:03,004 --> 01:02:04,500\nTwo lines,\nstill one cue.\n\n")
    vtt_path = write_subtitles(tmp_path / "x.srt", srt_text)
    assert vtt_path == tmp_path / "x.vtt" and (tmp_path / "x.srt").read_text() == srt_text
    cues = list(webvtt.read(str(vtt_path)))
    assert [(c.start, c.end, c.text) for c in cues] == [
        ("00:00:01.250", "00:00:02.000", "Here is a surface."),
        ("01:02:03.004", "01:02:04.500", "Two lines,\nstill one cue."),
    ]
    assert srt_to_vtt("").strip() == "WEBVTT"  # a chapter without speech: a valid, empty track


def test_chapter_list_starts_at_zero_with_one_line_per_chapter():
    chapters = [("The mystery", Fraction(125)), ("The landscape", Fraction(6001, 60)), ("Map", Fraction(3700))]
    text = chapters_text(chapter_lines(chapters))
    assert text == "0:00 The mystery\n2:05 The landscape\n3:45 Map\n"  # starts rounded down


def test_chapter_list_gives_short_chapters_no_line_of_their_own():
    lines = chapter_lines([("Intro", Fraction(4)), ("A", Fraction(30)), ("Blink", Fraction(9.5)),
                           ("B", Fraction(3600)), ("Outro", Fraction(2))])
    assert [line.text for line in lines] == ["0:00 A", "0:43 B"]
    assert [line.folded for line in lines] == [("Intro", "Blink"), ("Outro",)]


@pytest.mark.parametrize("seed", range(20))
def test_every_listed_chapter_lasts_at_least_ten_seconds(seed):
    import random

    rng = random.Random(seed)
    durations = [Fraction(rng.randint(1, 4000), rng.choice([1, 10, 60])) for _ in range(rng.randint(1, 12))]
    lines = chapter_lines([(f"c{i}", d) for i, d in enumerate(durations)])
    total = sum(durations)
    assert lines[0].seconds == 0
    ends = [line.seconds for line in lines[1:]] + [total]
    for line, end in zip(lines, ends):
        assert end - line.seconds >= 10 or len(lines) == 1
    assert len(lines) == max(1, sum(d >= 10 for d in durations))
