"""Chapter 1 renders with sound and subtitles, and shows quake_math's quake."""

import numpy as np
import pytest

from tests.render_util import frames_at, render, streams


@pytest.mark.render
def test_mystery_renders_with_audio_and_subtitles(tmp_path):
    mp4 = render("scenes/ch01_mystery.py", "Mystery", tmp_path)
    info = streams(mp4)
    assert info["video_streams"] == 1 and info["audio_streams"] == 1
    assert info["duration"] > 20
    srt = mp4.with_suffix(".srt")
    assert srt.exists() and "Pause the video" in srt.read_text()
    # the surface shakes: frames during the first quake differ
    a, b = frames_at(mp4, [1.5, 3.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0
