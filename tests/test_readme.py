"""The README tells the truth: its chapter table is the chapter list, and
its two commands exist."""

import re
from pathlib import Path

from scenes.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]


def test_readme_chapter_table_matches_chapter_list():
    text = (ROOT / "README.md").read_text()
    table = text.split("<!-- chapters")[1].split("<!-- /chapters -->")[0]
    rows = re.findall(r"^\| (\d+) \| (\S+) \| `([^`]+)` \| `([^`]+)` \|$", table, re.M)
    assert [(int(n), name, f, s) for n, name, f, s in rows] == \
        [(c.number, c.name, c.file, c.scene) for c in CHAPTERS]


def test_chapter_list_is_ordered_and_files_exist():
    assert [c.number for c in CHAPTERS] == list(range(1, len(CHAPTERS) + 1))
    assert len({c.name for c in CHAPTERS}) == len(CHAPTERS)
    for c in CHAPTERS:
        src = (ROOT / c.file).read_text()
        assert f"class {c.scene}(" in src, c


def test_readme_commands_are_make_targets():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("video", "test", "bench", "script", "setup"):
        assert f"make {target}" in readme or target == "setup"
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text()
