"""reveal.js for the offline deck: which files, where manim-slides looks for
them, and a check that names the set-up step when one is missing.

manim-slides' ``convert --offline`` reads reveal.js's files from its cache
folder (``~/.cache/manim-slides/revealjs<version>/``: `cache_dir`) and would
download them from a CDN when one is missing. The deck never lets it: every
file is checked here first, and a missing one stops the deck before any
work, with the command that installs it (``make setup``, i.e.
``tools/setup.sh``, which unpacks the npm registry's ``reveal.js`` package
into that folder).

    python -m scenes.production.deck.assets   # prints the folder, then "missing: <path in the package>" lines
"""

from __future__ import annotations

import sys
from pathlib import Path

from scenes.production.deck.model import DeckInputError

__all__ = ["ASSETS", "REVEAL_VERSION", "SETUP_STEP", "cache_dir", "check_assets", "missing_assets"]

#: manim-slides 5.7's RevealJS default (``reveal_version``); tools/setup.sh installs the same.
REVEAL_VERSION = "6.0.1"
#: The files of the npm package that manim-slides' templates (ours and its own) load,
#: by their path in the package; the cache keeps each under its base name.
ASSETS = (
    "dist/reveal.css",
    "dist/theme/black.css",
    "dist/plugin/highlight/zenburn.css",
    "dist/reveal.js",
    "dist/plugin/notes.js",
    "dist/plugin/markdown.js",
)
SETUP_STEP = "make setup"


def cache_dir(version: str = REVEAL_VERSION) -> Path:
    """manim-slides' reveal.js cache folder (the one ``convert --offline`` reads)."""
    from platformdirs import user_cache_path

    return user_cache_path("manim-slides") / f"revealjs{version}"


def missing_assets(folder: Path | None = None) -> list[str]:
    """The package paths of the assets that are not in ``folder`` (default: the cache)."""
    folder = cache_dir() if folder is None else folder
    return [a for a in ASSETS if not (folder / Path(a).name).is_file() or (folder / Path(a).name).stat().st_size == 0]


def check_assets(folder: Path | None = None) -> Path:
    """Return the cache folder, or raise `DeckInputError` naming each
    missing file and the set-up step that provides it."""
    folder = cache_dir() if folder is None else folder
    missing = missing_assets(folder)
    if missing:
        raise DeckInputError(
            f"reveal.js {REVEAL_VERSION} is not installed for the offline deck: missing "
            + ", ".join(f"{Path(a).name} ({a} of the npm package reveal.js@{REVEAL_VERSION})" for a in missing)
            + f" in {folder}.\nRun `{SETUP_STEP}` (tools/setup.sh): it unpacks reveal.js@{REVEAL_VERSION} from the "
            "npm registry into that folder. The deck never downloads anything while it is made or shown."
        )
    return folder


def main() -> int:
    folder = cache_dir()
    missing = missing_assets(folder)
    print(folder)
    for a in missing:
        print(f"missing: {a}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
