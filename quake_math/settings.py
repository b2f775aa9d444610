"""The story settings: one frozen, validated object holding every number.

The defaults are the reference setting of the original figures (two clouds
of 300 points, weights in [-20, 20], clip 1e-7, batches of 10 and 100, ...).
Users override fields with a TOML file whose keys are the field names, named
by the environment variable ``QUAKE_STORY`` or passed to :func:`load_story`::

    # my_story.toml
    seed = 11
    n_per_class = 200
    batch_sizes = [5, 50]

A few defaults follow other settings instead of being fixed numbers (see
:func:`derived_defaults`): the batch sizes follow the data size, the number
of grid points follows the weight range. A value set in the file is never
changed; if it does not fit, the story fails.

Bad values fail at once with a :class:`StoryError` that names the field,
the value and what is allowed. The checks cover what the chapters need (see
:mod:`quake_math.story_checks`), so a story that loads renders.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .story_checks import StoryError, validate

__all__ = ["Story", "StoryError", "load_story", "default_levels", "derived_defaults", "STORY_ENV"]

STORY_ENV = "QUAKE_STORY"

GRID_POINTS = 241  # grid points per side by default, 1/6 weight unit apart for smooth maps (more where the range needs them)


def default_levels() -> tuple[float, ...]:
    """0 to 5 in steps of 0.25, then 5 to 15 in steps of 1: 31 levels, 30 bands."""
    fine = [0.25 * k for k in range(21)]  # 0 .. 5
    coarse = [float(v) for v in range(6, 16)]  # 6 .. 15
    return tuple(fine + coarse)


@dataclass(frozen=True)
class Story:
    """Every number the video uses. Edit through a TOML file, not code.

    Fields whose default is None follow other settings (see
    :func:`derived_defaults`); after construction they hold numbers like
    every other field. Change fields with :meth:`replace`, which derives
    them again.
    """

    # data: two isotropic Gaussian clouds, class 0 and class 1
    seed: int = 2024
    n_per_class: int = 300
    center0: tuple[float, float] = (0.0, 0.0)
    center1: tuple[float, float] = (0.0, 3.0)
    sigma: float = 1.0

    # loss
    clip: float = 1e-7

    # weight grid: W1 and W2 both in [grid_min, grid_max]
    grid_min: float = -20.0
    grid_max: float = 20.0
    grid_points: int | None = None  # default: GRID_POINTS, or more if the range needs them

    # contour levels (increasing); bands lie between consecutive levels
    levels: tuple[float, ...] = field(default_factory=default_levels)

    # the earthquake animation
    quake_batch_size: int = 10
    quake_batches: int = 15
    morph_frames: int = 20

    # the side-by-side comparison: small batch (left), large batch (right)
    batch_sizes: tuple[int, int] | None = None  # default (10, 100), smaller for small data

    # per-sample picture: a grid of single-sample landscapes
    n_single: int = 9

    # softplus plot range
    softplus_range: tuple[float, float] = (-10.0, 10.0)

    # training
    start: tuple[float, float] = (8.0, -8.0)
    learning_rate: float = 2.0
    train_steps: int = 30
    train_batch_size: int = 10
    momentum: float = 0.9  # the averaging form: v = mu v + (1 - mu) g (training.momentum_sgd)
    final_walk_steps: int = 90  # the closing walk of SGD and momentum on the shaking map

    # statistics
    magnitude_batch_sizes: tuple[int, ...] | None = None  # default 1, 2, 5, ... up to N
    magnitude_batches: int = 120  # batches measured per batch size
    magnitude_grid_points: int = 41  # the statistics' grid over the same square
    correlation_batch_size: int | None = None  # default 100, at most N / 4
    correlation_epochs: int = 400

    # which fields were derived (not given): replace() derives them again
    _derived: frozenset = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        validate(self, derived_defaults)

    # derived quantities -------------------------------------------------
    @property
    def n_samples(self) -> int:
        return 2 * self.n_per_class

    @property
    def max_loss(self) -> float:
        """Largest loss of one sample: -ln(clip), about 16.1 for clip = 1e-7."""
        return -math.log(self.clip)

    def replace(self, **changes) -> "Story":
        """A copy with some fields changed (validated again). Fields that
        were derived, and are not among ``changes``, are derived again."""
        kept = {f.name: getattr(self, f.name) for f in _fields() if f.name not in self._derived}
        return Story(**{**kept, **changes})


def derived_defaults(n_samples: int, grid_min: float, grid_max: float) -> dict:
    """The values of the fields whose default follows other settings:

    - ``batch_sizes``: (10, 100), or (L // 10, L) with L = N // 2 when N < 200
      (never below 1), so the large batch is at most half the data;
    - ``correlation_batch_size``: 100, at most N // 4 (four or more batches
      per epoch);
    - ``magnitude_batch_sizes``: 1, 2, 5, 10, 20, 50, ... up to N / 3, then
      N / 2 and N (for N = 600: 1, 2, 5, ..., 200, 300, 600);
    - ``grid_points``: GRID_POINTS, or the fewest points that keep the grid
      spacing within ``story_checks.MAX_GRID_SPACING`` for a wider range.
    """
    from .story_checks import MAX_GRID_SPACING

    N = int(n_samples)
    large = min(100, N // 2)
    steps = [m * 10 ** k for k in range(7) for m in (1, 2, 5)]
    sizes = sorted({b for b in steps if 3 * b <= N} | {N // 2, N})
    spacing_points = math.ceil((grid_max - grid_min) / MAX_GRID_SPACING - 1e-9) + 1
    return {
        "batch_sizes": (max(1, min(10, large // 10)), large),
        "correlation_batch_size": max(1, min(100, N // 4)),
        "magnitude_batch_sizes": tuple(b for b in sizes if b >= 1),
        "grid_points": max(GRID_POINTS, spacing_points),
    }


def _fields():
    return [f for f in dataclasses.fields(Story) if f.init]


_TUPLE_FIELDS = {f.name for f in _fields() if "tuple" in str(f.type)}


def load_story(path: str | os.PathLike | None = None) -> Story:
    """The story settings: defaults, overridden by a TOML file.

    ``path`` names the TOML file; when it is None the environment variable
    ``QUAKE_STORY`` is used if set. Keys are :class:`Story` field names.
    Every problem is a :class:`StoryError` naming the file and the fix.
    """
    from_env = path is None
    if path is None:
        path = os.environ.get(STORY_ENV) or None
    if path is None:
        return Story()
    p = Path(path)
    where = f"story file {str(p)!r}" + (f" (named by ${STORY_ENV})" if from_env else "")
    if p.is_dir():
        raise StoryError(f"{where} is a directory, not a file; give the path of a TOML file"
                         + (f" or unset {STORY_ENV} to use the defaults" if from_env else ""))
    if not p.is_file():
        raise StoryError(f"{where} does not exist; give the path of a TOML file"
                         + (f" or unset {STORY_ENV} to use the defaults" if from_env else ""))
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise StoryError(f"{where} cannot be read: {exc.strerror or exc}; check its permissions") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is fine
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise StoryError(
            f"{where} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save it as UTF-8 (in your editor: Save As, encoding UTF-8) and try again"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(f"{where} is not valid TOML: {exc}") from None
    known = [f.name for f in _fields()]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise StoryError(
            f"{where} has unknown key(s) {', '.join(unknown)}; known keys are: {', '.join(known)}"
        )
    values = {k: tuple(v) if k in _TUPLE_FIELDS and isinstance(v, list) else v for k, v in data.items()}
    try:
        return Story(**values)
    except StoryError as exc:
        raise StoryError(f"{where}: {exc}") from None
