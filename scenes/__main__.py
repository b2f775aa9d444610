"""``python -m scenes <command>`` (list, build, storyboard, deck, script):
see `scenes.production.cli`."""

import sys

from scenes.production.cli import main

if __name__ == "__main__":
    sys.exit(main())
