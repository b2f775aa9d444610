"""The house rules an editor relies on: a chapter stands on the kit and
quake_math alone (never on another chapter), the kit never reaches into a
chapter, quake_math never imports manim, and no file in scenes/ grows past
about 400 lines."""

import ast
import sys
from pathlib import Path

import pytest

from scenes.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)
CHAPTER_DEPS = {"manim", "numpy", "quake_math", "scenes.kit"}


def imported(path: Path) -> set[str]:
    """Every module a file imports (absolute names)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def allowed_for_chapter(module: str) -> bool:
    top = module.split(".")[0]
    return top in STDLIB or any(module == d or module.startswith(d + ".") for d in CHAPTER_DEPS)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_chapter_imports_only_the_kit_and_quake_math(chapter):
    bad = sorted(m for m in imported(ROOT / chapter.file) if not allowed_for_chapter(m))
    assert not bad, f"{chapter.file} imports {bad}: move what it needs into scenes/kit"


def test_the_rule_catches_a_chapter_importing_a_chapter(tmp_path):
    f = tmp_path / "ch99_x.py"
    f.write_text("from scenes.ch01_mystery import Mystery\nimport scenes.ch02_landscape\nfrom scenes.kit import text\n")
    assert sorted(m for m in imported(f) if not allowed_for_chapter(m)) == [
        "scenes.ch01_mystery", "scenes.ch01_mystery.Mystery", "scenes.ch02_landscape"]


def test_kit_never_imports_a_chapter_or_the_production_rooms():
    # (the chapter list itself is plain data the kit may read)
    for path in sorted((ROOT / "scenes" / "kit").rglob("*.py")):
        bad = [m for m in imported(path)
               if m.startswith("scenes.") and not m.startswith(("scenes.kit", "scenes.chapters"))]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_quake_math_never_imports_manim_or_scenes():
    for path in sorted((ROOT / "quake_math").rglob("*.py")):
        bad = [m for m in imported(path) if m.split(".")[0] in ("manim", "manim_voiceover", "scenes")]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_no_file_in_scenes_is_longer_than_about_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "scenes").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, f"split these into smaller files: {long}"


def test_the_benchmarks_still_import():
    """make bench is run rarely: a kit module that moves must not break it unnoticed."""
    import importlib
    for name in ("bench.math_bench", "bench.render_bench", "bench.surface_scenes"):
        importlib.import_module(name)
