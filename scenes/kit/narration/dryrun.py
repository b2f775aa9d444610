"""Run a narrated scene fast, to learn what it says.

The scene's ``construct`` runs as in a render, so every voiceover block is
met with the text the scene really builds (f-strings, numbers from the story,
texts chosen in loops), but nothing slow happens: manim's dry run writes no
file, every animation is skipped (no frame is drawn), and a silent voice
gives each block a length from its number of characters instead of
synthesising speech. The result is the scene's beats manifest (see
`scenes.kit.narration.beats`) with ``"dry_run": true``, plus the project
files the run imported and the story file, so a later run can tell whether
the result is still current.

`run_target` is what the narration script's worker processes call.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path

from scenes.kit.narration._common import PROJECT_ROOT, shown

__all__ = ["DRY_RUN_FORMAT", "current_inputs", "inputs_are_current", "run_target"]

#: Bump when what a dry run records changes, to make old results stale.
DRY_RUN_FORMAT = 1
_MODULE_PREFIX = "_quake_dryrun_"
_STORY_ENV = "QUAKE_STORY"  # quake_math.settings.STORY_ENV (not imported: it is cheap to keep apart)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions() -> dict[str, str]:
    return {d: metadata.version(d) for d in ("manim", "manim-voiceover")}


def _story() -> dict[str, str]:
    value = os.environ.get(_STORY_ENV)
    if not value:
        return {"story": "(defaults)"}
    path = Path(value).expanduser().resolve()
    return {"story": str(path), "story_sha256": _sha(path) if path.is_file() else "(missing)"}


def current_inputs(files: list[str]) -> dict:
    """The inputs of a dry run now: the given project files' hashes, the
    story file and the library versions."""
    hashes = {}
    for rel in files:
        p = Path(rel) if Path(rel).is_absolute() else PROJECT_ROOT / rel
        hashes[rel] = _sha(p) if p.is_file() else "(missing)"
    return {"format": DRY_RUN_FORMAT, "files": hashes, **_story(), **_versions()}


def inputs_are_current(recorded: dict) -> bool:
    """True when nothing a recorded dry run depended on has changed."""
    try:
        return current_inputs(list(recorded["files"])) == recorded
    except (KeyError, TypeError, OSError):
        return False


def _project_files(scene_module: str) -> list[str]:
    """Project source files loaded in this process, except other dry-run
    scene modules: the scene's own imports, transitively (a superset if an
    earlier scene in this process imported more: a result is then re-made
    more often than needed, never kept when stale)."""
    out = set()
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None)
        if not f or (name.startswith(_MODULE_PREFIX) and name != scene_module):
            continue
        p = Path(f).resolve()
        if p.suffix == ".py" and PROJECT_ROOT in p.parents and not {".venv", "site-packages"} & set(p.parts):
            out.add(shown(p))
    return sorted(out)


def _load(file: Path):
    name = _MODULE_PREFIX + hashlib.sha1(str(file).encode()).hexdigest()[:10] + "_" + file.stem
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _narrated_scenes(module) -> list[str]:
    """Narrated Scene classes defined in ``module``, in source order."""
    from scenes.kit.base import _Narration

    found = [c for c in vars(module).values()
             if inspect.isclass(c) and issubclass(c, _Narration) and c.__module__ == module.__name__
             and not c.__name__.startswith("_")]
    found.sort(key=lambda c: inspect.getsourcelines(c)[1])
    return [c.__name__ for c in found]


_SLOT: tuple[Path, object] | None = None


def _slot() -> Path:
    """This process's own folder for manim's LaTeX and text caches, kept
    between runs: ``media/narration/slot-N``, held with a lock for the
    process's life. manim writes and reads those cache files without
    locking, so two processes sharing one folder can read a half-written
    SVG; one folder per process cannot."""
    global _SLOT
    if _SLOT is None:
        import fcntl

        root = PROJECT_ROOT / "media" / "narration"
        root.mkdir(parents=True, exist_ok=True)
        for k in range(64):
            f = open(root / f"slot-{k}.lock", "a")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                f.close()
                continue
            _SLOT = (root / f"slot-{k}", f)  # the open file keeps the lock
            break
        else:  # pragma: no cover - 64 dry runs at once
            _SLOT = (Path(tempfile.mkdtemp(prefix="quake-dryrun-slot-")), None)
    return _SLOT[0]


def _run_scene(cls, cache_dir: Path) -> dict:
    from manim import tempconfig

    slot = _slot()
    settings = {
        "dry_run": True, "media_dir": str(cache_dir / "media"), "tex_dir": str(slot / "Tex"),
        "text_dir": str(slot / "texts"), "pixel_width": 64, "pixel_height": 36, "frame_rate": 15,
        "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
    }
    with tempconfig(settings):
        scene = cls()
        renderer = scene.renderer
        # Skip every animation and draw nothing: manim draws frames even
        # while skipping (update_frame ignores skipping by default).
        renderer._original_skipping_status = renderer.skip_animations = True
        renderer.update_frame = lambda *args, **kwargs: None
        scene.render()
    manifest = scene.narration_beats.manifest
    manifest.extra["dry_run"] = True
    return manifest.to_dict()


def run_target(file: str, scene: str | None, cache_dir: str | None = None) -> dict:
    """Dry-run ``scene`` of ``file`` (``None``: every narrated scene defined
    there). Returns ``{"manifests": [...], "inputs": {...}, "seconds": s}``
    or ``{"error": text}``; never raises, so a worker pool stays usable."""
    start = time.monotonic()
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from scenes.kit.narration import service
        from scenes.kit.narration.voices import SILENT

        path = Path(file) if Path(file).is_absolute() else PROJECT_ROOT / file
        with tempfile.TemporaryDirectory(prefix="quake-dryrun-") as tmp:
            # Silent voice and no recordings: the run's result depends on the
            # source only; the script checks the recordings folder itself.
            service.SCENE_SERVICE_ARGS.update(voice=SILENT, cache_dir=Path(tmp) / "voiceovers",
                                              recordings=Path(tmp) / "no-recordings")
            module = _load(path)
            names = [scene] if scene else _narrated_scenes(module)
            if not names:
                return {"error": f"{file} defines no narrated scene (a subclass of NarratedScene "
                                 "or Narrated3DScene)."}
            manifests = []
            for name in names:
                cls = getattr(module, name, None)
                if cls is None:
                    return {"error": f"{file} has no scene class {name!r}."}
                manifests.append(_run_scene(cls, Path(tmp)))
            inputs = current_inputs(sorted(set(_project_files(module.__name__)) | {shown(path)}))
        return {"manifests": manifests, "inputs": inputs, "seconds": round(time.monotonic() - start, 2)}
    except BaseException as exc:  # noqa: BLE001 - reported to the parent with its traceback
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {"error": "".join(traceback.format_exception(exc))[-4000:]}
    finally:
        from scenes.kit.narration import service

        service.SCENE_SERVICE_ARGS.clear()
