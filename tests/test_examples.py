"""A new explanation in five minutes: the README's minimal scene and the
examples render from the kit alone."""

import re
from pathlib import Path

import pytest

from tests.render_util import render, streams
from tests.test_house import allowed_for_chapter, imported

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def readme_minimal_scene() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- minimal-scene")[1].split("<!-- /minimal-scene -->")[0]
    return re.search(r"```python\n(.*?)```", block, re.S).group(1)


def test_examples_exist_stand_on_the_kit_and_stay_short():
    assert EXAMPLES
    for path in EXAMPLES:
        bad = sorted(m for m in imported(path) if not allowed_for_chapter(m))
        assert not bad, f"{path.name} imports {bad}"
        assert len(path.read_text().splitlines()) < 60, path.name


def test_readme_minimal_scene_is_complete_python(tmp_path):
    src = readme_minimal_scene()
    compile(src, "minimal.py", "exec")
    assert "class BatchOfTwenty(NarratedScene)" in src


@pytest.mark.render
def test_readme_minimal_scene_renders(tmp_path):
    f = tmp_path / "my_quake.py"
    f.write_text(readme_minimal_scene())
    mp4 = render(str(f), "BatchOfTwenty", tmp_path / "media")
    info = streams(mp4)
    assert info["video_streams"] == 1 and info["audio_streams"] == 1 and info["duration"] > 2


@pytest.mark.render
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_renders(tmp_path, path):
    scene = re.search(r"^class (\w+)\(", path.read_text(), re.M).group(1)
    mp4 = render(str(path.relative_to(ROOT)), scene, tmp_path)
    info = streams(mp4)
    assert info["video_streams"] == 1 and info["audio_streams"] == 1 and info["duration"] > 5
