"""The story settings: one frozen, validated object holding every number.

Defaults reproduce the reference setting of STORY.md. Users override fields
with a TOML file whose keys are the field names, named by the environment
variable ``QUAKE_STORY`` or passed to :func:`load_story`::

    # my_story.toml
    seed = 11
    n_per_class = 200
    batch_sizes = [5, 50]

Bad values fail at once with a :class:`StoryError` that names the field, the
value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Story", "StoryError", "load_story", "default_levels", "STORY_ENV"]

STORY_ENV = "QUAKE_STORY"


def default_levels() -> tuple[float, ...]:
    """0 to 5 in steps of 0.25, then 5 to 15 in steps of 1: 31 levels, 30 bands."""
    fine = [0.25 * k for k in range(21)]  # 0 .. 5
    coarse = [float(v) for v in range(6, 16)]  # 6 .. 15
    return tuple(fine + coarse)


class StoryError(ValueError):
    """A story setting is invalid; the message names the field and the fix."""


@dataclass(frozen=True)
class Story:
    """Every number the video uses. Edit through a TOML file, not code."""

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
    grid_points: int = 81

    # contour levels (increasing); bands lie between consecutive levels
    levels: tuple[float, ...] = field(default_factory=default_levels)

    # the earthquake animation
    quake_batch_size: int = 10
    quake_batches: int = 15
    morph_frames: int = 20

    # the side-by-side comparison: small batch (left), large batch (right)
    batch_sizes: tuple[int, int] = (10, 100)

    # per-sample picture: a 3x3 grid of single-sample landscapes
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
    magnitude_batch_sizes: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 300, 600)
    magnitude_batches: int = 120  # batches measured per batch size
    magnitude_grid_points: int = 41  # the statistics' grid over the same square
    correlation_batch_size: int = 100
    correlation_epochs: int = 400

    def __post_init__(self) -> None:
        _validate(self)

    # derived quantities -------------------------------------------------
    @property
    def n_samples(self) -> int:
        return 2 * self.n_per_class

    @property
    def max_loss(self) -> float:
        """Largest loss of one sample: -ln(clip), about 16.1 for clip = 1e-7."""
        return -math.log(self.clip)

    def replace(self, **changes) -> "Story":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


def _fail(name: str, value, allowed: str) -> None:
    raise StoryError(f"story setting '{name}' = {value!r} is invalid: {allowed}")


def _check_int(name, value, lo, hi=None):
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(name, value, "it must be a whole number")
    if value < lo or (hi is not None and value > hi):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        _fail(name, value, f"allowed range is {rng}")


def _check_each_int(name, values, lo, hi):
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            _fail(name, values, f"each entry must be a whole number in {lo}..{hi}")


def _check_float(name, value, lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(name, value, "it must be a finite number")
    bad_lo = value <= lo if lo_open else value < lo
    bad_hi = value >= hi if hi_open else value > hi
    if bad_lo or bad_hi:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        _fail(name, value, f"allowed range is {left}{lo}, {hi}{right}")


def _check_pair(name, value):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        _fail(name, value, "it must be a pair of numbers, like [0.0, 3.0]")
    for v in value:
        _check_float(name, v)


def _validate(s: Story) -> None:
    _check_int("seed", s.seed, 0, 2**32 - 1)
    _check_int("n_per_class", s.n_per_class, 1, 100_000)
    n = 2 * s.n_per_class
    _check_pair("center0", s.center0)
    _check_pair("center1", s.center1)
    _check_float("sigma", s.sigma, 0.0, 100.0, lo_open=True)
    _check_float("clip", s.clip, 0.0, 0.5, lo_open=True, hi_open=True)
    _check_float("grid_min", s.grid_min, -1e4, 1e4)
    _check_float("grid_max", s.grid_max, -1e4, 1e4)
    if not s.grid_max > s.grid_min:
        _fail("grid_max", s.grid_max, f"it must be larger than grid_min = {s.grid_min}")
    _check_int("grid_points", s.grid_points, 2, 1001)
    lv = s.levels
    if not isinstance(lv, (tuple, list)) or len(lv) < 2:
        _fail("levels", lv, "it must be a list of at least 2 increasing numbers")
    for v in lv:
        _check_float("levels", v)
    if any(b <= a for a, b in zip(lv, lv[1:])):
        _fail("levels", lv, "levels must be strictly increasing")
    _check_int("quake_batch_size", s.quake_batch_size, 1, n)
    _check_int("quake_batches", s.quake_batches, 2, 1000)
    _check_int("morph_frames", s.morph_frames, 1, 1000)
    if not isinstance(s.batch_sizes, (tuple, list)) or len(s.batch_sizes) != 2:
        _fail("batch_sizes", s.batch_sizes, "it must be a pair [small, large]")
    _check_each_int("batch_sizes", s.batch_sizes, 1, n)
    _check_int("n_single", s.n_single, 1, n)
    _check_pair("softplus_range", s.softplus_range)
    if not s.softplus_range[1] > s.softplus_range[0]:
        _fail("softplus_range", s.softplus_range, "the second number must be larger than the first")
    _check_pair("start", s.start)
    for v in s.start:
        if not s.grid_min <= v <= s.grid_max:
            _fail("start", s.start, f"both weights must lie in the grid [{s.grid_min}, {s.grid_max}]")
    _check_float("learning_rate", s.learning_rate, 0.0, 1e3, lo_open=True)
    _check_int("train_steps", s.train_steps, 1, 100_000)
    _check_int("train_batch_size", s.train_batch_size, 1, n)
    _check_float("momentum", s.momentum, 0.0, 1.0, hi_open=True)
    _check_int("final_walk_steps", s.final_walk_steps, 2, 100_000)
    mbs = s.magnitude_batch_sizes
    if not isinstance(mbs, (tuple, list)) or len(mbs) < 2:
        _fail("magnitude_batch_sizes", mbs, "it must be a list of at least 2 batch sizes")
    _check_each_int("magnitude_batch_sizes", mbs, 1, n)
    if any(b <= a for a, b in zip(mbs, mbs[1:])):
        _fail("magnitude_batch_sizes", mbs, "batch sizes must be strictly increasing")
    _check_int("magnitude_batches", s.magnitude_batches, 1, 100_000)
    _check_int("magnitude_grid_points", s.magnitude_grid_points, 2, 1001)
    _check_int("correlation_batch_size", s.correlation_batch_size, 1, n // 2)
    _check_int("correlation_epochs", s.correlation_epochs, 1, 1_000_000)


_TUPLE_FIELDS = {f.name for f in dataclasses.fields(Story) if "tuple" in str(f.type)}


def load_story(path: str | os.PathLike | None = None) -> Story:
    """The story settings: defaults, overridden by a TOML file.

    ``path`` names the TOML file; when it is None the environment variable
    ``QUAKE_STORY`` is used if set. Keys are :class:`Story` field names.
    """
    if path is None:
        path = os.environ.get(STORY_ENV) or None
    if path is None:
        return Story()
    p = Path(path)
    if not p.is_file():
        raise StoryError(
            f"story file {str(p)!r} does not exist"
            + (f" (named by ${STORY_ENV})" if os.environ.get(STORY_ENV) == str(path) else "")
            + "; give the path of a TOML file or unset the variable to use the defaults"
        )
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(f"story file {str(p)!r} is not valid TOML: {exc}") from None
    known = [f.name for f in dataclasses.fields(Story)]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise StoryError(
            f"story file {str(p)!r} has unknown key(s) {', '.join(unknown)}; "
            f"known keys are: {', '.join(known)}"
        )
    values = {k: tuple(v) if k in _TUPLE_FIELDS and isinstance(v, list) else v for k, v in data.items()}
    return Story(**values)
