"""A chapter's build hash follows its imports: it covers every project
module the chapter imports, transitively, plus manim.cfg, story, voice,
quality, versions and its recordings, and nothing else. So editing a kit
module re-renders exactly the chapters that use it, and a chapter that
imports another re-renders when that one changes."""

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from scenes.chapters import Chapter
from scenes.production import inputs as pin
from scenes.production.inputs import chapter_inputs_hash, module_closure, shared_inputs

ROOT = Path(__file__).resolve().parents[1]
ESPEAK = SimpleNamespace(kind="espeak", name="espeak")


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


# A small project: two kit modules (b imports a, relatively), quake_math,
# and four chapters. c4 imports chapter c1, as chapters 2 and 3 once
# imported chapter 1.
PROJECT = {
    "manim.cfg": "[CLI]\n",
    "scenes/__init__.py": "",
    "scenes/kit/__init__.py": "",
    "scenes/kit/a.py": "A = 1\n",
    "scenes/kit/b.py": "from .a import A\nB = A + 1\n",
    "scenes/kit/unused.py": "U = 0\n",
    "scenes/kit/lazy.py": "L = 0\n",
    "quake_math/__init__.py": "from quake_math.core import f\n",
    "quake_math/core.py": "import numpy as np\ndef f():\n    return np.zeros(1)\n",
    "scenes/c1.py": "from manim import Scene\nfrom scenes.kit.a import A\nclass C1(Scene):\n    pass\n",
    "scenes/c2.py": "from scenes.kit import b\nclass C2:\n    pass\n",
    "scenes/c3.py": "import quake_math as qm\nclass C3:\n    def construct(self):\n"
                    "        from scenes.kit import lazy  # imported at run time: counts too\n",
    "scenes/c4.py": "from scenes.c1 import C1\nclass C4(C1):\n    pass\n",
    # a package whose __init__ loads its modules on first use, by names built at run time
    "scenes/lazy/__init__.py": "import importlib\n\ndef __getattr__(name):\n"
                               "    return getattr(importlib.import_module(f'{__name__}.impl'), name)\n",
    "scenes/lazy/impl.py": "THING = 1\n",
    "scenes/c5.py": "from scenes.lazy import THING\n",
    # the same, with a table of the names it loads: only the modules it names count
    "scenes/table/__init__.py": "import importlib\n_WHERE = {'THING': 'impl'}\n\ndef __getattr__(name):\n"
                                "    return getattr(importlib.import_module(f'{__name__}.{_WHERE[name]}'), name)\n",
    "scenes/table/impl.py": "THING = 1\n",
    "scenes/table/tool.py": "import scenes.c1\n",
    "scenes/c6.py": "from scenes.table import THING\n",
}
CHAPTERS = {n: Chapter(i, n, n.upper(), f"scenes/{n}.py", n.upper())
            for i, n in enumerate(["c1", "c2", "c3", "c4", "c5", "c6"], 1)}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    write(root, PROJECT)
    (tmp_path / "rec").mkdir()
    return root


def hashes(root: Path, quality: str = "l", story: Path | None = None) -> dict[str, str]:
    shared = shared_inputs(root, quality, ESPEAK, root.parent / "rec", story)
    return {n: chapter_inputs_hash(ch, shared) for n, ch in CHAPTERS.items()}


def changed(before: dict, after: dict) -> set[str]:
    return {n for n in before if before[n] != after[n]}


def edit(root: Path, rel: str) -> None:
    p = root / rel
    p.write_text(p.read_text() + "\n# edited\n")


def test_module_closure_follows_absolute_relative_package_and_run_time_imports(project):
    rel = lambda paths: [p.relative_to(project.resolve()).as_posix() for p in paths]  # noqa: E731
    assert rel(module_closure(project / "scenes/c2.py", project)) == [
        "scenes/c2.py", "scenes/__init__.py", "scenes/kit/__init__.py", "scenes/kit/a.py", "scenes/kit/b.py",
    ]
    assert rel(module_closure(project / "scenes/c3.py", project)) == [
        "scenes/c3.py", "quake_math/__init__.py", "quake_math/core.py", "scenes/__init__.py",
        "scenes/kit/__init__.py", "scenes/kit/lazy.py",
    ]
    c4 = rel(module_closure(project / "scenes/c4.py", project))
    assert "scenes/c1.py" in c4 and "scenes/kit/a.py" in c4  # through chapter c1
    assert "scenes/kit/unused.py" not in c4


def test_editing_a_kit_module_changes_exactly_the_chapters_that_use_it(project):
    base = hashes(project)
    edit(project, "scenes/kit/a.py")  # used by c1, by c2 through b, by c4 through c1
    after_a = hashes(project)
    assert changed(base, after_a) == {"c1", "c2", "c4"}
    edit(project, "scenes/kit/b.py")
    after_b = hashes(project)
    assert changed(after_a, after_b) == {"c2"}
    edit(project, "scenes/kit/lazy.py")
    assert changed(after_b, hashes(project)) == {"c3"}
    before_unused = hashes(project)
    edit(project, "scenes/kit/unused.py")  # nobody imports it
    assert changed(before_unused, hashes(project)) == set()
    edit(project, "quake_math/core.py")
    assert changed(before_unused, hashes(project)) == {"c3"}


def test_modules_loaded_by_a_name_built_at_run_time_count(project):
    base = hashes(project)
    edit(project, "scenes/lazy/impl.py")
    assert changed(base, hashes(project)) == {"c5"}


def test_a_lazy_package_counts_only_the_modules_its_table_names(project):
    base = hashes(project)
    edit(project, "scenes/table/impl.py")
    assert changed(base, hashes(project)) == {"c6"}
    base = hashes(project)
    edit(project, "scenes/table/tool.py")  # named nowhere in the table: c6 does not load it
    assert changed(base, hashes(project)) == set()


def test_a_chapter_importing_another_changes_with_it(project):
    base = hashes(project)
    edit(project, "scenes/c1.py")
    assert changed(base, hashes(project)) == {"c1", "c4"}


def test_settings_change_every_chapter(project, tmp_path):
    base = hashes(project)
    assert hashes(project) == base  # deterministic
    assert changed(base, hashes(project, quality="m")) == set(CHAPTERS)
    story = tmp_path / "story.toml"
    story.write_text("seed = 11\n")
    with_story = hashes(project, story=story)
    assert changed(base, with_story) == set(CHAPTERS)
    story.write_text("seed = 12\n")
    assert changed(with_story, hashes(project, story=story)) == set(CHAPTERS)
    edit(project, "manim.cfg")
    assert changed(base, hashes(project)) == set(CHAPTERS)
    joe = SimpleNamespace(kind="piper", name="joe")
    other = {n: chapter_inputs_hash(ch, shared_inputs(project, "l", joe, tmp_path / "rec", None))
             for n, ch in CHAPTERS.items()}
    assert changed(hashes(project), other) == set(CHAPTERS)


def test_the_scene_name_and_the_build_format_count(project, monkeypatch):
    shared = shared_inputs(project, "l", ESPEAK, project.parent / "rec", None)
    c1 = CHAPTERS["c1"]
    assert chapter_inputs_hash(c1, shared) != chapter_inputs_hash(Chapter(1, "c1", "C1", c1.file, "Other"), shared)
    monkeypatch.setattr(pin, "BUILD_FORMAT", pin.BUILD_FORMAT + 1)
    assert shared_inputs(project, "l", ESPEAK, project.parent / "rec", None).digest != shared.digest


def test_recordings_state_counts_only_the_blocks_named(tmp_path):
    rec = tmp_path / "rec"
    rec.mkdir()
    names = ["block-one-00000001.wav"]
    empty = pin.recordings_state(rec, names)
    assert empty == {"block-one-00000001.wav": None}
    (rec / "unrelated-00000002.wav").write_bytes(b"RIFF")
    assert pin.recordings_state(rec, names) == empty
    (rec / "block-one-00000001.wav").write_bytes(b"RIFF1")
    one = pin.recordings_state(rec, names)
    assert one != empty
    (rec / "block-one-00000001.wav").write_bytes(b"RIFF2")
    assert pin.recordings_state(rec, names) != one
    # unknown blocks (no beats manifest, texts built at run time): every recording counts
    every = pin.recordings_state(rec, None)
    (rec / "another-00000003.wav").write_bytes(b"RIFF")
    assert pin.recordings_state(rec, None) != every


# --------------------------------------------------------------------------
# The same, with real renders: a copy of the project with a fixture kit module
# --------------------------------------------------------------------------


@pytest.mark.render
def test_build_rerenders_exactly_the_chapters_a_kit_edit_touches(tmp_path, monkeypatch):
    from scenes.production import build

    fake = tmp_path / "project"
    for folder in ("scenes/kit", "quake_math"):
        shutil.copytree(ROOT / folder, fake / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "scenes/__init__.py", fake / "scenes/__init__.py")
    shutil.copyfile(ROOT / "scenes/chapters.py", fake / "scenes/chapters.py")
    shutil.copyfile(ROOT / "manim.cfg", fake / "manim.cfg")
    (fake / "scenes/production").symlink_to(ROOT / "scenes/production")
    shutil.copytree(ROOT / "tests/fixtures/project", fake, dirs_exist_ok=True)
    monkeypatch.setenv("QUAKE_RECORDINGS", str(tmp_path / "no-recordings"))
    monkeypatch.delenv("QUAKE_STORY", raising=False)
    chapters = [Chapter(1, "uses-kit", "Uses the kit", "scenes/fx_uses_kit.py", "UsesKit"),
                Chapter(2, "plain", "Plain", "scenes/fx_plain.py", "Plain")]

    def run():
        return build(chapters, quality="l", voice="espeak", media_dir=tmp_path / "media", root=fake, jobs=2,
                     log=lambda line: None)

    assert run().rendered == ["uses-kit", "plain"]
    assert run().rendered == []
    edit(fake, "scenes/kit/fx_shake.py")
    assert run().rendered == ["uses-kit"]
    edit(fake, "scenes/fx_plain.py")
    report = run()
    assert report.rendered == ["plain"] and report.joined and not report.partial
