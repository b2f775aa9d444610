"""Chapter 1 renders with sound and subtitles, and shows quake_math's quake."""

import numpy as np
import pytest

from tests.render_util import frames_at, render_chapter


@pytest.mark.render
def test_mystery_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch01_mystery.py", "Mystery", tmp_path, 20)
    assert "Pause the video" in srt
    # the surface shakes: frames during the first quake differ
    a, b = frames_at(mp4, [1.5, 3.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0
