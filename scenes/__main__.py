"""``python -m scenes list`` and ``python -m scenes build``: see `scenes.build`."""

import sys

from scenes.build import main

if __name__ == "__main__":
    sys.exit(main())
