"""quake_math's house: one __all__ per module that lists its public names,
every name the chapters, kit, bench and tests use exists, and no manim."""

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import quake_math as qm

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.stem for p in (ROOT / "quake_math").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_module_lists_its_public_names_once(name):
    module = importlib.import_module(f"quake_math.{name}")
    text = (ROOT / "quake_math" / f"{name}.py").read_text()
    assert text.count("__all__") == 1, "one __all__, no additions further down"
    assert len(module.__all__) == len(set(module.__all__))
    for n in module.__all__:
        assert hasattr(module, n) and getattr(qm, n) is getattr(module, n), n
    defined = {n for n, v in vars(module).items()
               if not n.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v))
               and v.__module__ == module.__name__}
    assert defined <= set(module.__all__) | {"StoryError", "validate"}, defined - set(module.__all__)


def test_every_name_used_from_quake_math_exists():
    used = set()
    for folder in ("scenes", "bench", "tests", "tools", "examples"):
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).exists() else ():
            used |= set(re.findall(r"\bqm\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")))
    missing = sorted(n for n in used if not hasattr(qm, n))
    assert not missing, missing


def test_quake_math_never_imports_manim():
    code = "import sys, quake_math; sys.exit(1 if any(m.split('.')[0] == 'manim' for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
