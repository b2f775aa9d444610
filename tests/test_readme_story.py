"""Every story file the README shows loads (issue: the README's own example
was rejected on a field it never set)."""

import re
from pathlib import Path

import pytest

import quake_math as qm

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```toml[ \t]*\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"),
                    re.S | re.M)


def test_the_readme_shows_a_story_file():
    assert BLOCKS, "README.md has no ```toml block"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{k + 1}" for k in range(len(BLOCKS))])
def test_readme_story_blocks_load(block, tmp_path):
    f = tmp_path / "story.toml"
    f.write_text(block, encoding="utf-8")
    story = qm.load_story(f)
    assert isinstance(story, qm.Story)
