"""``python -m scenes <command>``: the project's one command line.

    python -m scenes list
    python -m scenes build [--quality l|m|h|p|k] [--only NAME ...] [--jobs N] [--voice V] [--media-dir DIR]
    python -m scenes storyboard | deck | script ...   (provided by their own modules)

Adding a command: write a module with two functions and add one line to
`COMMANDS`::

    def add_parser(sub):            # sub: argparse's subparsers object
        p = sub.add_parser("deck", help="...")
        cli.add_build_options(p)    # optional: the build's --quality/--only/--voice/...
        return p

    def run(args) -> int:           # the exit code
        ...

Only the module of the command being run is imported, so ``list`` and
``--help`` stay fast and a command's heavy imports cost only that command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

from scenes.production.outputs import FINAL_QUALITY, QUALITIES

__all__ = ["COMMANDS", "add_build_options", "build_from_args", "main"]

#: command -> (module, or "module:object", with add_parser(sub) and run(args); one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("scenes.production.cli:LIST", "print the chapters: number, name, file, Scene class"),
    "build": ("scenes.production.cli:BUILD", "render the chapters that changed and join them into the video"),
    "storyboard": ("scenes.production.storyboard", "contact sheets of the chapters' beats"),
    "deck": ("scenes.production.deck", "the lecture deck: one slide per narration beat"),
    "script": ("scenes.kit.narration.script", "the narration script, for recording your own voice"),
}


# --------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------


def list_chapters(chapters=None) -> str:
    """One chapter a line, tab-separated: number, name, file, Scene class."""
    if chapters is None:
        from scenes.chapters import CHAPTERS as chapters
    return "".join(f"{c.number}\t{c.name}\t{c.file}\t{c.scene}\n" for c in chapters)


class _List:
    @staticmethod
    def add_parser(sub) -> argparse.ArgumentParser:
        return sub.add_parser("list", help=COMMANDS["list"][1] + " (tab-separated)")

    @staticmethod
    def run(args) -> int:
        sys.stdout.write(list_chapters(getattr(args, "chapters", None)))
        return 0


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The build's options, for any command that builds first."""
    p.add_argument("--quality", "-q", default=FINAL_QUALITY, metavar="|".join(QUALITIES),
                   help="manim quality: " + ", ".join(f"{k}={v}" for k, v in QUALITIES.items())
                   + f" (default: {FINAL_QUALITY}); only -qh with a real voice writes media/earthquakes.mp4, "
                   "others write under media/<resolution>-<voice>/")
    p.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                   help="render only these chapters if stale (names: `list`); the whole video is joined when "
                   "every other clip is current, else earthquakes.partial.mp4")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help=f"renders at once (default: number of cores, {os.cpu_count()})")
    p.add_argument("--voice", default=None, help="narration voice: joe, espeak or path/to/voice.onnx "
                   "(default: $QUAKE_VOICE, else joe)")
    p.add_argument("--media-dir", "--media_dir", default=None, help="the media folder (default: media)")


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum, frame):  # pragma: no cover - exercised via a subprocess
    raise _Terminated()


def build_from_args(args, chapters=None, log=None):
    """Run the build with the options of `add_build_options` (may raise
    `BuildInputError`, `BuildError`, KeyboardInterrupt)."""
    from scenes.production.build import build

    kw = {} if chapters is None else {"chapters": chapters}
    return build(quality=args.quality, jobs=args.jobs, voice=args.voice, media_dir=args.media_dir,
                 only=args.only, log=log, voice_source="--voice option" if args.voice is not None else None, **kw)


class _Build:
    @staticmethod
    def add_parser(sub) -> argparse.ArgumentParser:
        p = sub.add_parser("build", help=COMMANDS["build"][1],
                           description="Render the chapters that changed (in parallel) and join them into one "
                           "video with subtitles (.srt, .vtt), chapter markers and a chapter list.")
        add_build_options(p)
        return p

    @staticmethod
    def run(args) -> int:
        from scenes.production.errors import BuildError, BuildInputError
        from scenes.production.files import display, fmt_time

        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            report = build_from_args(args, getattr(args, "chapters", None))
        except BuildInputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except BuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt as exc:
            what = "terminated" if isinstance(exc, _Terminated) else "interrupted"
            print(f"\nbuild {what}: the previous video was left as it was; finished clips are kept", file=sys.stderr)
            return 143 if isinstance(exc, _Terminated) else 130
        finally:
            signal.signal(signal.SIGTERM, previous)
        f = report.files
        n = len(report.in_video)
        what = (f"PARTIAL: only {', '.join(r.chapter.name for r in report.in_video)}" if report.partial
                else f"{n} chapter{'s' if n != 1 else ''}")
        print(
            f"\nBuilt in {fmt_time(report.seconds)} (rendered: {', '.join(report.rendered) or 'none'}; "
            f"join: {report.join_method})\n"
            f"  video:     {display(f.video)}  ({fmt_time(float(report.video_duration))}, {what})\n"
            f"  subtitles: {display(f.srt)}, {display(f.vtt)}\n"
            f"  chapters:  {display(f.chapters_txt)}\n"
            f"  clips:     {display(report.clips_dir)}/\n"
            f"  logs:      {display(report.log_dir)}/"
        )
        if report.partial:
            again = f"python -m scenes build --quality {args.quality}" + (f" --voice {args.voice}" if args.voice else "")
            print(f"  not current at this quality: {', '.join(report.missing)}; `{again}` makes the whole video")
        return 0


LIST, BUILD = _List(), _Build()


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def _load(target: str):
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr) if attr else module


def main(argv: Sequence[str] | None = None, chapters=None) -> int:
    """Parse ``argv`` and run the command; ``chapters`` replaces the chapter
    list (for tests)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m scenes", description="Build the Earthquakes video and what is "
                                     "made from it.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    for name, (target, help_) in COMMANDS.items():
        if name != chosen:
            sub.add_parser(name, help=help_)
            continue
        module_name = target.partition(":")[0]
        try:
            command = _load(target)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                raise
            print(f"error: `python -m scenes {name}` is not available in this checkout "
                  f"(module {module_name} is missing).", file=sys.stderr)
            return 2
        if not (callable(getattr(command, "add_parser", None)) and callable(getattr(command, "run", None))):
            print(f"error: `python -m scenes {name}` is not available in this checkout "
                  f"({target} has no add_parser(sub) and run(args)).", file=sys.stderr)
            return 2
        command.add_parser(sub).set_defaults(_run=command.run, chapters=chapters)
    args = parser.parse_args(argv)
    return args._run(args)
