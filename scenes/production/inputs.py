"""What a chapter's clip is made from, and its hash.

A chapter renders again only when this hash changes. It covers:

* the chapter file and **every project module it imports, transitively**
  (modules under ``scenes/`` and ``quake_math/``, found by reading the files
  with `ast`: nothing is imported), including the ``__init__.py`` of every
  package on the way and imports inside functions; so editing a kit module
  re-renders exactly the chapters that use it, and a chapter that imports
  another chapter re-renders when that one changes. A module that imports
  by a name built at run time (``importlib.import_module(f"...")``, as a
  package's lazy ``__init__`` does) counts as importing the modules of its
  package that it names in a string (its table of lazy names), or every
  module of the package when it names none;
* the Scene class name;
* ``manim.cfg``, the story settings (the ``QUAKE_STORY`` file's bytes), the
  voice (engine and model checksums), the quality, the versions of manim,
  manim-voiceover, PyAV and piper, and `BUILD_FORMAT`;
* the recordings its voiceover blocks use (see `recordings_state`).

Nothing else: editing a module no chapter imports re-renders nothing.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = [
    "BUILD_FORMAT", "PROJECT_PACKAGES", "Hasher", "SharedInputs", "chapter_inputs_hash", "clip_hash",
    "module_closure", "recordings_state", "shared_inputs",
]

#: Bump when the way clips or the joined video are made changes.
BUILD_FORMAT = 3
#: Top-level packages whose modules count as the project's own code.
PROJECT_PACKAGES = ("scenes", "quake_math")
_VERSIONED = ("manim", "manim-voiceover", "av", "piper-tts")


class Hasher:
    """SHA-256 over labelled parts (length-prefixed, so parts cannot run together)."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, label: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        for part in (label.encode("utf-8"), data):
            self._h.update(len(part).to_bytes(8, "little"))
            self._h.update(part)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# --------------------------------------------------------------------------
# The import graph
# --------------------------------------------------------------------------


def _module_file(root: Path, dotted: str) -> Path | None:
    """The file of project module ``dotted`` under ``root`` (None if it is not one)."""
    parts = dotted.split(".")
    if parts[0] not in PROJECT_PACKAGES:
        return None
    base = root.joinpath(*parts)
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _package_of(path: Path, root: Path) -> str | None:
    """The dotted package a file inside ``root`` belongs to (for relative imports)."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    parts = list(rel.parts[:-1])
    return ".".join(parts) if parts else None


def _imported_names(path: Path, root: Path) -> set[str]:
    """Dotted names that ``path`` imports, with every parent package
    (``import a.b.c`` runs ``a``, ``a.b`` and ``a.b.c``). ``from p import x``
    counts ``p`` and, when it is a module, ``p.x``."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError):
        return set()  # the render will report it; the file's bytes are hashed anyway
    names: set[str] = set()
    package = _package_of(path, root)
    strings = {n.value.strip(".") for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None:
                    continue
                # "." is the file's own package (for a module and for an __init__)
                pkg = package.split(".")
                up = node.level - 1
                if up >= len(pkg):
                    continue
                base = ".".join([*pkg[: len(pkg) - up], *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            if not base:
                continue
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not arg.value.startswith("."):
                names.add(arg.value)
            else:  # a name built at run time: any module of this package the file names
                # in a string (a lazy __init__'s table), else any module of the package
                modules = _package_modules(path, root)
                named = {m for m in modules if m.rsplit(".", 1)[-1] in strings}
                names.update(named or modules)
    out: set[str] = set()
    for name in names:
        parts = name.split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return out


def _is_dynamic_import(node: ast.Call) -> bool:
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name in ("import_module", "__import__")


def _package_modules(path: Path, root: Path) -> set[str]:
    """Dotted names of every module in the package folder of ``path``
    (its own folder), subpackages included."""
    folder = path.resolve().parent
    try:
        rel = folder.relative_to(root.resolve())
    except ValueError:
        return set()
    out = set()
    for f in folder.rglob("*.py"):
        if "__pycache__" in f.parts:
            continue
        parts = [*rel.parts, *f.relative_to(folder).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.add(".".join(parts))
    return out


def module_closure(path: Path, root: Path) -> list[Path]:
    """``path`` and every project module it imports, transitively, sorted
    (``path`` first). Modules are files under ``root/<package>`` for the
    packages in `PROJECT_PACKAGES`."""
    path = path.resolve()
    seen: dict[Path, None] = {path: None}
    todo = [path]
    while todo:
        current = todo.pop()
        for name in sorted(_imported_names(current, root)):
            found = _module_file(root, name)
            if found is not None:
                found = found.resolve()
                if found not in seen:
                    seen[found] = None
                    todo.append(found)
    rest = sorted((p for p in seen if p != path), key=lambda p: _label(p, root))
    return [path, *rest]


def _label(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------------
# Inputs shared by all chapters of a build
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedInputs:
    """Read once per build."""

    root: Path  # the project root: chapter files, modules and manim.cfg
    quality: str
    voice: str  # what QUAKE_VOICE is set to in the renders
    recordings: Path  # absolute; QUAKE_RECORDINGS in the renders
    story: Path | None  # absolute path of the QUAKE_STORY file, if any
    digest: str  # manim.cfg, story, voice, quality, versions, format


def voice_identity(spec) -> dict[str, str]:
    """What makes a voice sound as it does: for piper voices the model and
    config checksums, for espeak the program's version."""
    ident = {"kind": str(spec.kind), "name": Path(str(spec.name)).name}
    for attr in ("model", "config"):
        f = getattr(spec, attr, None)
        if f is not None and Path(f).is_file():
            ident[f"{attr}_sha256"] = file_sha256(Path(f))
    if spec.kind == "espeak":
        try:
            ident["engine"] = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True,
                                             timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            ident["engine"] = "espeak-ng"
    return ident


def shared_inputs(root: Path, quality: str, spec, recordings: Path, story: Path | None) -> SharedInputs:
    h = Hasher()
    h.add("build-format", str(BUILD_FORMAT))
    for dist in _VERSIONED:
        try:
            h.add(dist, metadata.version(dist))
        except metadata.PackageNotFoundError:
            h.add(dist, "(not installed)")
    h.add("quality", quality)
    h.add("voice", json.dumps(voice_identity(spec), sort_keys=True))
    h.add("story", story.read_bytes() if story else b"(defaults)")
    cfg = root / "manim.cfg"
    h.add("manim.cfg", cfg.read_bytes() if cfg.is_file() else b"")
    return SharedInputs(root, quality, str(spec.name), recordings, story, h.hexdigest())


def chapter_inputs_hash(ch, shared: SharedInputs) -> str:
    """The hash of everything but the recordings (those depend on which
    blocks a render speaks: see `clip_hash`)."""
    h = Hasher()
    h.add("shared", shared.digest)
    h.add("scene", ch.scene)
    for p in module_closure(shared.root / ch.file, shared.root):
        h.add(_label(p, shared.root), p.read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------
# Recordings
# --------------------------------------------------------------------------


def recordings_state(folder: Path, names: Iterable[str] | None) -> dict[str, str | None]:
    """Checksums of the recordings a chapter uses: ``names`` are the file
    names its voiceover blocks look for (from its beats manifest); ``None``
    means unknown, and then every ``*.wav`` in the folder counts. A name
    without a file maps to None, so adding that recording changes the state."""
    state: dict[str, str | None] = {}
    if names is None:
        if folder.is_dir():
            for wav in sorted(folder.glob("*.wav")):
                state[wav.name] = file_sha256(wav)
        state["*"] = None  # marks "every recording counts"
        return state
    for name in sorted(set(names)):
        f = folder / name
        state[name] = file_sha256(f) if f.is_file() else None
    return state


def clip_hash(inputs_hash: str, recordings: dict[str, str | None]) -> str:
    h = Hasher()
    h.add("inputs", inputs_hash)
    h.add("recordings", json.dumps(recordings, sort_keys=True))
    return h.hexdigest()
