"""`make bench`: quake_math timing, then render speed of the chapters.

    python -m bench            # everything
    python -m bench math       # quake_math only
    python -m bench render     # render speed only (slow): surfaces, then every chapter
    python -m bench render surface mystery -qh   # some of them
"""

from __future__ import annotations

import os
import platform
import sys


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    print(f"machine  {machine()}")
    if what in ("all", "math"):
        from bench.math_bench import run
        r = run()
        print(f"quake_math  everything the story needs ({r['grid']}x{r['grid']} grid): "
              f"best {r['story_seconds_best']:.3f} s, median {r['story_seconds_median']:.3f} s")
        print(f"quake_math  filled contour bands of one in-between quake grid: {r['bands_ms_per_frame']:.2f} ms")
    if what in ("all", "render"):
        try:
            from bench.render_bench import run as run_render
        except ImportError:
            print("render  no render benchmark yet")
        else:
            run_render(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
