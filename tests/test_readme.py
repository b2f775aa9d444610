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


def test_make_help_lists_every_target_the_readme_names():
    import subprocess
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"\bmake ([a-z][a-z-]*)", readme))
    assert {"video", "test"} <= named
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"^make ([a-z][a-z-]*)", out, re.M))
    assert named <= listed, f"README names targets that make help does not list: {sorted(named - listed)}"
    makefile = (ROOT / "Makefile").read_text()
    for target in named:
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_files_the_docs_name_exist():
    """Paths written in the READMEs (scenes/..., tests/..., tools/...) exist."""
    docs = [ROOT / "README.md", ROOT / "scenes" / "README.md", ROOT / "recordings" / "README.md"]
    missing = []
    for doc in docs:
        for path in re.findall(r"`((?:scenes|tests|tools|examples|quake_math|bench|recordings)/[\w./-]+\.(?:py|md|toml))`",
                               doc.read_text()):
            if "<" not in path and not (ROOT / path).exists():
                missing.append(f"{doc.name}: {path}")
    assert not missing, missing


def test_frames_tool_answers_a_time_past_the_end_with_a_message(tmp_path):
    import subprocess
    import sys

    import av
    import numpy as np
    clip = tmp_path / "c.mp4"
    with av.open(str(clip), "w") as c:
        s = c.add_stream("libx264", rate=10)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for k in range(20):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), k * 10, np.uint8), format="rgb24")
            c.mux(s.encode(frame))
        c.mux(s.encode())
    run = subprocess.run([sys.executable, "tools/frames.py", str(clip), str(tmp_path / "s.png"), "--times", "1", "50"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "lasts 2.00 s" in run.stderr and "50" in run.stderr
    ok = subprocess.run([sys.executable, "tools/frames.py", str(clip), str(tmp_path / "s.png"), "--times", "0.5", "1.5"],
                        cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and (tmp_path / "s.png").is_file()
