"""What a story must satisfy: the allowed range of every setting, including
what the chapters need, so a story that loads never fails in a render.

What the chapters assume, and the rule that guarantees it:

- Maps show windows of the weight grid and need at least 2 grid points per
  side of a window (``scenes/kit/contour_map.py``). Chapters 5 to 7 show the
  fixed square SAMPLE_WINDOW; chapters 3 and 10 fit a window around the
  training paths, at least 1 weight unit wide. So the grid must cover
  SAMPLE_WINDOW, and its spacing is at most MAX_GRID_SPACING (0.5): then any
  window 1 unit wide holds 2 or more points, and a window 2 units wide 4 or
  more. The 3-D surface takes every 3rd grid point; the same rule leaves it
  at least 14 vertices per side.
- The per-sample picture lays out ``n_single`` maps: 1 to MAX_SINGLE.
- The side-by-side quake compares two batch sizes, small < large < N (at
  N the magnitude is 0, and the ratio of the two would be infinite).
- Chapter 9 pairs consecutive batches of one epoch: correlation_batch_size
  is at most N / 2.
- Chapter 10 plays the quake in three parts of five batch changes
  (quake_batches >= MIN_QUAKE_BATCHES); chapter 3 shows the first three
  training steps slowly (train_steps >= MIN_TRAIN_STEPS).
- One render holds the per-sample landscapes of all N samples (and needs
  as much again while computing them), three quakes of ``quake_batches``
  landscapes and ``final_walk_steps`` landscapes of the closing walk: all
  of it must stay under MEMORY_LIMIT bytes.
"""

from __future__ import annotations

import math

# StoryError and validate are used through quake_math.settings (Story, load_story)
__all__ = [
    "SAMPLE_WINDOW", "MAX_GRID_SPACING", "MAX_GRID_POINTS", "MAX_SINGLE", "MIN_QUAKE_BATCHES",
    "MIN_TRAIN_STEPS", "MIN_PER_CLASS", "MEMORY_LIMIT", "render_memory",
]

SAMPLE_WINDOW = (-10.0, 10.0)  # the square of weights chapters 5 to 7 show
MAX_GRID_SPACING = 0.5  # weight units between neighbouring grid points, at most
MAX_GRID_POINTS = 1001
MAX_SINGLE = 16  # single-sample maps the per-sample picture lays out, at most
MIN_QUAKE_BATCHES = 11
MIN_TRAIN_STEPS = 3
MIN_PER_CLASS = 10  # the chapters draw 9 single samples and compare two batch sizes below N
MEMORY_LIMIT = 2.0e9  # bytes of landscapes one render may hold


class StoryError(ValueError):
    """A story setting is invalid; the message names the field and the fix."""


def _fail(name: str, value, allowed: str) -> None:
    raise StoryError(f"story setting '{name}' = {value!r} is invalid: {allowed}")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_int(name, value, lo, hi=None, why: str = ""):
    if not _is_int(value):
        _fail(name, value, "it must be a whole number")
    if value < lo or (hi is not None and value > hi):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        _fail(name, value, f"allowed range is {rng}{why}")


def _check_float(name, value, lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False, why: str = ""):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(name, value, "it must be a finite number")
    bad_lo = value <= lo if lo_open else value < lo
    bad_hi = value >= hi if hi_open else value > hi
    if bad_lo or bad_hi:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        _fail(name, value, f"allowed range is {left}{lo:g}, {hi:g}{right}{why}")


def _check_seq(name, value, min_len, what):
    if not isinstance(value, (tuple, list)) or len(value) < min_len:
        _fail(name, value, what)


def _check_pair(name, value):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        _fail(name, value, "it must be a pair of numbers, like [0.0, 3.0]")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            _fail(name, value, "both entries must be finite numbers")


def _check_sizes(name, values, lo, hi, why):
    for v in values:
        if not _is_int(v) or not lo <= v <= hi:
            _fail(name, values, f"each entry must be a whole number in {lo}..{hi}{why}")


def render_memory(s) -> float:
    """Bytes of landscapes one render holds at most (see the module's notes)."""
    grids = 2 * s.n_samples + 3 * s.quake_batches + s.final_walk_steps
    return 8.0 * (grids * s.grid_points ** 2 + s.n_samples * s.magnitude_grid_points ** 2)


def validate(s, derive) -> None:
    """Check story ``s``; first fill its fields that are None with
    ``derive(n_samples, grid_min, grid_max)`` (a dict of field values)."""
    _check_int("seed", s.seed, 0, 2**32 - 1)
    _check_int("n_per_class", s.n_per_class, MIN_PER_CLASS, 100_000,
               f" (the chapters draw 9 single samples and compare two batch sizes below N)")
    n = 2 * s.n_per_class
    nd = f" (N = 2 * n_per_class = {n})"
    lo_w, hi_w = SAMPLE_WINDOW
    _check_float("grid_min", s.grid_min, -1e4, lo_w, why=f": the grid must cover the weights {lo_w:g} to "
                 f"{hi_w:g} that chapters 5 to 7 show")
    _check_float("grid_max", s.grid_max, hi_w, 1e4, why=f": the grid must cover the weights {lo_w:g} to "
                 f"{hi_w:g} that chapters 5 to 7 show")
    span = s.grid_max - s.grid_min
    min_points = math.ceil(span / MAX_GRID_SPACING - 1e-9) + 1
    if min_points > MAX_GRID_POINTS:
        _fail("grid_max", s.grid_max,
              f"the grid [{s.grid_min:g}, {s.grid_max:g}] is {span:g} weight units wide, which needs "
              f"{min_points} grid points per side at {MAX_GRID_SPACING:g} apart, more than {MAX_GRID_POINTS}; "
              "narrow grid_min and grid_max")

    derived = {k: v for k, v in derive(n, s.grid_min, s.grid_max).items() if getattr(s, k) is None}
    for k, v in derived.items():
        object.__setattr__(s, k, v)
    object.__setattr__(s, "_derived", frozenset(derived))

    _check_pair("center0", s.center0)
    _check_pair("center1", s.center1)
    _check_float("sigma", s.sigma, 0.0, 100.0, lo_open=True)
    _check_float("clip", s.clip, 0.0, 0.5, lo_open=True, hi_open=True)
    _check_int("grid_points", s.grid_points, min_points, MAX_GRID_POINTS,
               f" for the grid [{s.grid_min:g}, {s.grid_max:g}]: at most {MAX_GRID_SPACING:g} weight units "
               "between grid points, so every map window holds enough of them")
    lv = s.levels
    _check_seq("levels", lv, 2, "it must be a list of at least 2 increasing numbers")
    for v in lv:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            _fail("levels", lv, "every level must be a finite number")
    if any(b <= a for a, b in zip(lv, lv[1:])):
        _fail("levels", lv, "levels must be strictly increasing")
    _check_int("quake_batch_size", s.quake_batch_size, 1, n, nd)
    _check_int("quake_batches", s.quake_batches, MIN_QUAKE_BATCHES, 1000,
               " (chapter 10 plays the quake in three parts of five batch changes)")
    _check_int("morph_frames", s.morph_frames, 1, 1000)
    bs = s.batch_sizes
    if not isinstance(bs, (tuple, list)) or len(bs) != 2:
        _fail("batch_sizes", bs, "it must be a pair [small, large]")
    _check_sizes("batch_sizes", bs, 1, n - 1, nd)
    if not bs[0] < bs[1]:
        _fail("batch_sizes", bs, "the first (small) batch size must be smaller than the second (large)")
    _check_int("n_single", s.n_single, 1, MAX_SINGLE, " (single-sample maps in the per-sample picture)")
    _check_pair("softplus_range", s.softplus_range)
    lo, hi = s.softplus_range
    if not (-30 <= lo <= -3 and 3 <= hi <= 30):
        _fail("softplus_range", s.softplus_range,
              "it must be [lo, hi] with lo in [-30, -3] and hi in [3, 30], so the plot shows both "
              "straight parts of the curve, with a tick every 2 units")
    _check_pair("start", s.start)
    for v in s.start:
        if not s.grid_min <= v <= s.grid_max:
            _fail("start", s.start, f"both weights must lie in the grid [{s.grid_min:g}, {s.grid_max:g}]")
    _check_float("learning_rate", s.learning_rate, 0.0, 1e3, lo_open=True)
    _check_int("train_steps", s.train_steps, MIN_TRAIN_STEPS, 100_000,
               " (chapter 3 shows the first three steps one by one)")
    _check_int("train_batch_size", s.train_batch_size, 1, n, nd)
    _check_float("momentum", s.momentum, 0.0, 1.0, hi_open=True)
    _check_int("final_walk_steps", s.final_walk_steps, 2, 100_000)
    mbs = s.magnitude_batch_sizes
    _check_seq("magnitude_batch_sizes", mbs, 2, "it must be a list of at least 2 batch sizes")
    _check_sizes("magnitude_batch_sizes", mbs, 1, n, nd)
    if any(b <= a for a, b in zip(mbs, mbs[1:])):
        _fail("magnitude_batch_sizes", mbs, "batch sizes must be strictly increasing")
    _check_int("magnitude_batches", s.magnitude_batches, 1, 100_000)
    _check_int("magnitude_grid_points", s.magnitude_grid_points, 2, MAX_GRID_POINTS)
    _check_int("correlation_batch_size", s.correlation_batch_size, 1, n // 2,
               f"{nd}: chapter 9 pairs two batches of one epoch")
    _check_int("correlation_epochs", s.correlation_epochs, 1, 1_000_000)

    need = render_memory(s)
    if need > MEMORY_LIMIT:
        raise StoryError(
            f"story settings n_per_class = {s.n_per_class}, grid_points = {s.grid_points}, "
            f"quake_batches = {s.quake_batches}, final_walk_steps = {s.final_walk_steps} and "
            f"magnitude_grid_points = {s.magnitude_grid_points} are invalid together: one render would "
            f"hold about {need / 1e9:.1f} GB of landscapes, more than the {MEMORY_LIMIT / 1e9:.1f} GB "
            "allowed; lower n_per_class or grid_points (or narrow grid_min and grid_max)"
        )
