"""``python -m scenes.kit.narration``: the narration script, and voice and
recordings checks. (``python -m scenes script`` runs the same script command.)"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scenes.kit.narration._common import VOICE_ENV, NarrationError, shown


def main(argv: Sequence[str] | None = None) -> int:
    from scenes.kit.narration import script

    parser = argparse.ArgumentParser(prog="python -m scenes.kit.narration",
                                     description="Narration: the script sheet, voice and recordings checks.")
    sub = parser.add_subparsers(dest="command", required=True)
    script.add_parser(sub)
    p_voice = sub.add_parser("voice", help=f"check a voice choice (default: ${VOICE_ENV})")
    p_voice.add_argument("value", nargs="?", default=None)
    p_check = sub.add_parser("check", help="check the voice and every recording, as a build does first")
    p_check.add_argument("--voice", default=None)
    p_check.add_argument("--recordings", default=None)
    args = parser.parse_args(argv)

    if args.command == "script":
        return script.run(args)
    try:
        if args.command == "voice":
            from scenes.kit.narration.voices import resolve_voice

            spec = resolve_voice(args.value, source="voice given on the command line" if args.value is not None
                                 else None)
            print(f"{spec.name} ({spec.kind}{', ' + str(spec.model) if spec.model else ''})")
            return 0
        from scenes.kit.narration.preflight import preflight
        from scenes.kit.narration.recordings import check_recordings, recordings_dir

        spec = preflight(args.voice, args.recordings,
                         "--voice option" if args.voice is not None else f"{VOICE_ENV} environment variable")
        folder = recordings_dir(args.recordings)
        n = len(check_recordings(folder))
        print(f"voice {spec.name}: ok; {n} recording(s) in {shown(folder)}: ok")
        return 0
    except NarrationError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
