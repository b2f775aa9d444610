"""Issue 13 item 8: a chapter re-rendered from manim's cache gives the same
clip as a cold render: the same number of frames, speech at the same
times, the same subtitles. (The fault was manim's clock after a cached play;
see scenes/production/manim_render.py.)"""

import shutil

import pytest

from scenes.chapters import Chapter
from tests.fixtures.build_helpers import ROOT, TIMING, onsets, probe, quake_env, run_build, srt_cues

__all__ = ["quake_env"]


@pytest.mark.render
def test_a_rebuild_from_cache_equals_a_cold_build(quake_env, tmp_path):
    src = tmp_path / "tiny_timing.py"
    shutil.copyfile(ROOT / TIMING.file, src)
    chapter = Chapter(1, "timing", "Timing", str(src), TIMING.scene)
    media = tmp_path / "media"

    cold, _ = run_build([chapter], media)
    [c] = cold.chapters
    cold_clip = probe(c.clip)
    cold_cues = [(q.start, q.end, q.content) for q in srt_cues(c.subtitles)]
    cold_onsets = onsets(cold_clip.samples)
    assert len(cold_onsets) >= 3  # three voiceover blocks (and pauses inside them)

    # A change that does not change any animation: the chapter renders again,
    # and every play comes from manim's cache.
    src.write_text(src.read_text() + "\n# an edit that changes no animation\n")
    warm, _ = run_build([chapter], media)
    [w] = warm.chapters
    assert w.rendered
    log = (media / "480p15-espeak" / "logs" / "01-timing.log").read_text()
    assert log.count("Using cached data") >= 5  # really from the cache
    warm_clip = probe(w.clip)

    assert warm_clip.frames == cold_clip.frames
    assert [(q.start, q.end, q.content) for q in srt_cues(w.subtitles)] == cold_cues
    assert onsets(warm_clip.samples) == pytest.approx(cold_onsets, abs=0.002)
