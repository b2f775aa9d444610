"""Cameras that hand cairo straight segments as lines, not as cubic curves.

A contour map is thousands of straight segments, each a cubic Bezier with
its handles at a third and two thirds of the way (``polylines_to_points``).
Manim's camera builds a path one ``curve_to`` call at a time, in a Python
loop, and cairo then flattens each curve back into the line it is: at
1080p that loop was over half of a quaking map's cost. Here a VMobject
whose curves are all straight is drawn with one ``move_to`` per subpath and
one ``line_to`` per segment, the same subpaths and closings as manim's own
path (the same pixels, tested), in a fraction of the time. Other long
paths (a cloud of 600 dots is one path of rings) get the very ``curve_to``
calls manim makes, read from one list; short ones go through manim. Long
straight paths and clouds of small shapes are drawn with cairo's fast
antialiasing, which looks the same at their sizes for half the cost.

``FastPathCamera`` is the 2-D camera of every narrated scene;
``QuakeCamera`` (3-D) mixes in :class:`StraightPaths` too.
"""

from __future__ import annotations

import cairo
import numpy as np
from manim import Camera

from scenes.kit.still_layers import StillLayers

__all__ = ["StraightPaths", "FastPathCamera", "pieces", "straight_segments"]

# Below this many curves manim's own loop is as fast as the numpy set-up
# (letters have 10 to 40 curves; a contour band or line has hundreds).
MIN_CURVES = 64
# A long path of at least this many separate pieces is a cloud of small
# shapes (a sample cloud is 300 rings in one path).
MIN_PIECES = 32


def pieces(points: np.ndarray) -> int:
    """How many separate pieces (subpaths) a path of cubic curves has: a new
    one wherever a curve does not start where the last one ended."""
    n = len(points)
    if n == 0 or n % 4:
        return 0
    c = points.reshape(-1, 4, points.shape[-1])
    with np.errstate(invalid="ignore"):
        gaps = np.any(np.abs(c[1:, 0, :2] - c[:-1, 3, :2]) > 1e-6, axis=1)
    return int(np.count_nonzero(gaps)) + 1


def straight_segments(points: np.ndarray, atol: float = 1e-7) -> bool:
    """True when every cubic in ``points`` (manim's 4 points per curve) is a
    straight segment with its handles at one and two thirds of the way: the
    curve is the segment itself, so drawing it as a line changes nothing."""
    n = len(points)
    if n == 0 or n % 4:
        return False
    c = points.reshape(-1, 4, points.shape[-1])
    d = (c[:, 3] - c[:, 0]) / 3
    with np.errstate(invalid="ignore"):
        off = np.abs(c[:, 1] - c[:, 0] - d).max(initial=0.0), np.abs(c[:, 2] - c[:, 3] + d).max(initial=0.0)
    return bool(off[0] <= atol and off[1] <= atol)


class StraightPaths:
    """Camera mixin: long paths are handed to cairo from one array, straight
    segments as lines (see the module's docstring). Paths with other curves
    get the same ``curve_to`` calls as from manim, read from a list instead
    of point by point."""

    straight_antialias = cairo.ANTIALIAS_FAST
    # cairo's fast antialiasing draws a cloud of 300 small dots in half the
    # time; at 4x zoom the dots look the same (0.3 % of pixels differ by
    # more than a tenth of the range, tested)
    cloud_antialias = cairo.ANTIALIAS_FAST
    _known = (None, False)  # (the path being drawn, whether it is straight)

    def display_vectorized(self, vmobject, ctx):
        points = vmobject.points
        if len(points) < 4 * MIN_CURVES:
            return super().display_vectorized(vmobject, ctx)
        straight = straight_segments(points)
        self._known = (vmobject, straight)  # checked once per draw, not once per pass
        aa = ctx.get_antialias()
        if straight:
            ctx.set_antialias(self.straight_antialias)
        elif pieces(points) >= MIN_PIECES:
            ctx.set_antialias(self.cloud_antialias)
        try:
            return super().display_vectorized(vmobject, ctx)
        finally:
            ctx.set_antialias(aa)
            self._known = (None, False)

    def set_cairo_context_path(self, ctx, vmobject):
        points = vmobject.points
        if len(points) < 4 * MIN_CURVES or len(points) % 4:
            return super().set_cairo_context_path(ctx, vmobject)
        known, straight = self._known
        if known is not vmobject:
            straight = straight_segments(points)
        proj = self.transform_points_pre_display(vmobject, points)
        ctx.new_path()
        curves = proj.reshape(-1, 4, proj.shape[-1])
        a, b = curves[:, 0, :2], curves[:, 3, :2]
        # manim's rule (VMobject.get_subpath_split_indices_from_points, in 2-D):
        # a new subpath wherever a curve does not start where the last one ended
        atol, rtol = vmobject.tolerance_for_point_equality, 1e-5
        with np.errstate(invalid="ignore"):
            joined = np.all(np.abs(b[:-1] - a[1:]) <= atol + rtol * np.abs(a[1:]), axis=1)
        starts = np.concatenate([[0], np.flatnonzero(~joined) + 1])
        stops = np.append(starts[1:], len(curves))
        # and closes a subpath whose last point is its first
        first, last = a[starts], b[stops - 1]
        with np.errstate(invalid="ignore"):
            closed = np.all(np.abs(first - last) <= atol + rtol * np.abs(last), axis=1)
        # a line to each segment's end, or a curve through both handles to the
        # curve's end, as manim passes them
        move, close = ctx.move_to, ctx.close_path
        if straight:
            draw, steps = ctx.line_to, b.tolist()
        else:
            draw, steps = ctx.curve_to, curves[:, 1:, :2].reshape(len(curves), 6).tolist()
        for (x, y), s, e, c in zip(first.tolist(), starts.tolist(), stops.tolist(), closed.tolist()):
            move(x, y)
            for step in steps[s:e]:
                draw(*step)
            if c:
                close()
        return self


class FastPathCamera(StillLayers, StraightPaths, Camera):
    """manim's 2-D Camera with :class:`StraightPaths`, and runs of mobjects
    that did not change since the last frame laid from a copy
    (:class:`~scenes.kit.still_layers.StillLayers`)."""
