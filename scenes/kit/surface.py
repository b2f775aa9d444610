"""A fast loss surface for the Cairo renderer, updated in place.

Manim's ``Surface`` is a VGroup of one VMobject per face: every frame it
projects, depth-sorts and draws each face through the generic VMobject path,
and a morph rebuilds or rewrites hundreds of mobjects. Here the whole surface
is one mobject holding a vertex grid; ``quake_camera.QuakeCamera`` draws it in one
vectorised pass (project all vertices, sort faces back to front with one
argsort, shade with one Lambert product) followed by a tight loop of cairo
calls. Moving the surface to another landscape rewrites one column of its
point array.
"""

from __future__ import annotations

import numpy as np
from manim import (
    OUT, Mobject, VGroup, VMobject,
)

from scenes.kit import palette
from scenes.kit.axes3d import LossAxes3D  # noqa: F401  (the surface's axes, importable from here)

__all__ = ["LossSurface", "LossAxes3D", "SurfacePin", "SurfaceTrail", "OnSurface", "grid_stride"]


def grid_stride(points: int, vertices: int) -> int:
    """The step k through a grid of ``points`` per side that gives about
    ``vertices`` per side with both edges kept: k divides points - 1."""
    n = int(points) - 1
    if n < 1:
        raise ValueError(f"a grid needs at least 2 points per side, not {points}")
    want = n / max(int(vertices) - 1, 1)
    divisors = [k for k in range(1, n + 1) if n % k == 0]
    return min(divisors, key=lambda k: (abs(k - want), k))


class LossSurface(Mobject):
    """The loss over the weight grid as a shaded 3-D surface.

    Parameters
    ----------
    axes
        3-D axes whose x, y, z are W1, W2 and Loss.
    w1, w2
        Grid coordinates of the landscapes (quake_math.weight_axes).
    Z
        A landscape, shape (len(w2), len(w1)): ``Z[i, j]`` at (w1[j], w2[i]).
    levels
        The story's contour levels (they set the colour scale).
    vertices
        About how many vertices per side: the surface uses every k-th grid
        point, with k dividing the grid so the edges are vertices too
        (vertices sit exactly on grid points, so the drawn heights are the
        landscape's values). ``stride`` sets k directly.
    """

    def __init__(self, axes, w1, w2, Z, levels, vertices: int = 25, stride: int | None = None,
                 opacity: float = 1.0,
                 mesh_color=palette.BACKGROUND, mesh_opacity: float = 0.35,
                 mesh_width: float = 0.6, shade: float = 0.55, **kwargs):
        self.axes = axes
        self.stride = int(stride) if stride is not None else grid_stride(len(w1), vertices)
        self.w1 = np.asarray(w1, dtype=float)[:: self.stride]
        self.w2 = np.asarray(w2, dtype=float)[:: self.stride]
        self.levels = np.asarray(levels, dtype=float)
        self.opacity = float(opacity)
        self.mesh_rgb = np.array(palette.colormap(0)[:3]) * 0 + np.array(
            [int(str(mesh_color)[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        )
        self.mesh_opacity = float(mesh_opacity)
        self.mesh_width = float(mesh_width)
        self.shade = float(shade)
        self.heights = np.zeros((len(self.w2), len(self.w1)))
        self.attached: list[Mobject] = []
        super().__init__(**kwargs)
        ny, nx = self.heights.shape
        # quad corners as vertex indices, (faces, 4), counter-clockwise
        i, j = np.meshgrid(np.arange(ny - 1), np.arange(nx - 1), indexing="ij")
        a = (i * nx + j).ravel()
        self.faces = np.stack([a, a + 1, a + nx + 1, a + nx], axis=1)
        self.set_landscape(Z)

    # -- data -> points -------------------------------------------------
    def sample(self, Z) -> np.ndarray:
        """The landscape's values at the vertices (every stride-th point)."""
        return np.asarray(Z, dtype=float)[:: self.stride, :: self.stride]

    def set_landscape(self, Z) -> "LossSurface":
        """Move the surface to landscape Z, rewriting the point array in place."""
        h = self.sample(Z)
        if h.shape != self.heights.shape:
            raise ValueError(f"landscape has shape {np.shape(Z)}, which does not match this surface's grid")
        self.heights = h
        # the axes are linear: one affine map, from four c2p calls
        o = self.axes.c2p(0, 0, 0)
        e = np.array([self.axes.c2p(1, 0, 0), self.axes.c2p(0, 1, 0), self.axes.c2p(0, 0, 1)]) - o
        W1, W2 = np.meshgrid(self.w1, self.w2)
        coords = np.stack([W1.ravel(), W2.ravel(), h.ravel()], axis=1)
        pts = o + coords @ e
        if self.points.shape == pts.shape:
            self.points[:] = pts
        else:
            self.points = pts
        return self

    def set_between(self, Z0, Z1, t: float) -> "LossSurface":
        """The in-between landscape (1 - t) Z0 + t Z1 (see quake_math.interpolate)."""
        return self.set_landscape((1.0 - t) * np.asarray(Z0) + t * np.asarray(Z1))

    def height_at(self, weights) -> np.ndarray:
        """The drawn surface's height (loss units) at weights (..., 2):
        bilinear between the vertices, so marks placed there lie on the faces."""
        w = np.asarray(weights, dtype=float)
        flat = w.reshape(-1, 2)
        j = np.clip(np.searchsorted(self.w1, flat[:, 0]) - 1, 0, len(self.w1) - 2)
        i = np.clip(np.searchsorted(self.w2, flat[:, 1]) - 1, 0, len(self.w2) - 2)
        u = np.clip((flat[:, 0] - self.w1[j]) / (self.w1[j + 1] - self.w1[j]), 0, 1)
        v = np.clip((flat[:, 1] - self.w2[i]) / (self.w2[i + 1] - self.w2[i]), 0, 1)
        h = self.heights
        out = ((1 - u) * (1 - v) * h[i, j] + u * (1 - v) * h[i, j + 1]
               + (1 - u) * v * h[i + 1, j] + u * v * h[i + 1, j + 1])
        return out.reshape(w.shape[:-1])

    def face_of(self, weights) -> np.ndarray:
        """Index of the face under weights (..., 2); -1 outside the grid."""
        w = np.asarray(weights, dtype=float).reshape(-1, 2)
        nx = len(self.w1) - 1
        j = np.searchsorted(self.w1, w[:, 0]) - 1
        i = np.searchsorted(self.w2, w[:, 1]) - 1
        j = np.where(w[:, 0] == self.w1[0], 0, j)
        i = np.where(w[:, 1] == self.w2[0], 0, i)
        inside = (j >= 0) & (j < nx) & (i >= 0) & (i < len(self.w2) - 1)
        return np.where(inside, i * nx + j, -1)

    def attach(self, *mobjects: Mobject, split: bool = False) -> "LossSurface":
        """Draw these mobjects (a dot, a trail, a pin) with the surface, in its
        depth order: each is drawn right after the face it stands on, so the
        faces in front of it hide it, as the ground would. With ``split`` a
        path is cut into its segments, each drawn after its own face (use it
        for trails that cross many faces). Attached mobjects are still added,
        animated and removed as usual; they are drawn only while in the scene."""
        for m in mobjects:
            m.surface_split = split
            if m not in self.attached:
                self.attached.append(m)
        # A mark moving over a still surface must be drawn with the surface,
        # in its depth order: while marks are attached the surface counts as
        # moving (a no-op updater), so manim never freezes it into the static
        # background and paints the marks on top of it.
        if _redraw_with_marks not in self.updaters:
            self.add_updater(_redraw_with_marks)
        return self

    def detach(self, *mobjects: Mobject) -> "LossSurface":
        for m in mobjects:
            if m in self.attached:
                self.attached.remove(m)
        if not self.attached:
            self.remove_updater(_redraw_with_marks)
        return self

    def to_weights(self, points) -> np.ndarray:
        """Scene points back to weights (W1, W2), ignoring height."""
        o = self.axes.c2p(0, 0, 0)
        e = np.array([self.axes.c2p(1, 0, 0), self.axes.c2p(0, 1, 0), self.axes.c2p(0, 0, 1)]) - o
        coords = (np.asarray(points, dtype=float).reshape(-1, 3) - o) @ np.linalg.inv(e)
        return coords[:, :2]

    def vertex_heights(self) -> np.ndarray:
        """The drawn heights read back from the points, in loss units."""
        return self.axes.point_to_coords(self.points)[:, 2].reshape(self.heights.shape)

    # -- looks ------------------------------------------------------------
    def face_rgb(self) -> np.ndarray:
        """Base colour of every face from its mean height, shape (faces, 3)."""
        return palette.loss_rgb(self.heights.ravel()[self.faces].mean(axis=1), self.levels)

    def set_opacity(self, opacity: float, family: bool = True) -> "LossSurface":
        self.opacity = float(opacity)
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> "LossSurface":
        return self.set_opacity(self.opacity * (1.0 - darkness))

    def interpolate_color(self, mobject1, mobject2, alpha) -> None:
        self.opacity = (1 - alpha) * mobject1.opacity + alpha * mobject2.opacity

    def interpolate(self, mobject1, mobject2, alpha, path_func=None):
        super().interpolate(mobject1, mobject2, alpha, path_func) if path_func else super().interpolate(
            mobject1, mobject2, alpha)
        self.heights = (1 - alpha) * mobject1.heights + alpha * mobject2.heights
        return self


def _redraw_with_marks(surface: "LossSurface") -> None:
    """The updater that keeps a surface with attached marks redrawn every frame."""


class OnSurface:
    """A mark that lies on a :class:`LossSurface`: its copies (every fade and
    transform makes some) share the surface and axes instead of copying them
    and everything attached to them.

    Its updater places it every frame; ``placed_for(key)`` tells it that the
    work can be skipped: it was placed for the same ``key`` (its weights) over
    the very same surface points, and nothing has moved it since. A walk's
    31 step dots on a still surface then cost microseconds, not 7 ms a frame."""

    _placed = None

    def __deepcopy__(self, memo):
        for ground in (getattr(self, "surface", None), getattr(self, "axes", None)):
            if ground is not None:
                memo.setdefault(id(ground), ground)
        return super().__deepcopy__(memo)

    def placed_for(self, key) -> bool:
        last = self._placed
        return (last is not None and last[0] == key and np.array_equal(last[1], self.surface.points)
                and np.array_equal(last[2], self.points))

    def remember_place(self, key) -> None:
        self._placed = (key, self.surface.points.copy(), self.points.copy())


class SurfaceTrail(OnSurface, VMobject):
    """A path on a :class:`LossSurface` through weights (k, 2), lying on the
    drawn faces (heights from ``LossSurface.height_at``, lifted a little),
    cut finely so that each piece is drawn after its own face: hills in front
    of it hide it. It follows the surface when the surface moves.

    ``set_weights`` redraws it (for a walk that grows, call it every frame).
    """

    def __init__(self, surface: LossSurface, weights=None, color=palette.ACCENT, stroke_width: float = 5,
                 lift: float = 0.08, pieces_per_face: int = 3, **kwargs):
        super().__init__(stroke_color=color, stroke_width=stroke_width, fill_opacity=0, **kwargs)
        self.surface = surface
        self.lift = float(lift)
        self.pieces_per_face = int(pieces_per_face)
        self.weights = np.zeros((0, 2))
        surface.attach(self, split=True)
        self.add_updater(lambda m: m.refresh())
        if weights is not None:
            self.set_weights(weights)

    def set_weights(self, weights) -> "SurfaceTrail":
        self.weights = np.asarray(weights, dtype=float).reshape(-1, 2)
        return self.refresh()

    def refresh(self) -> "SurfaceTrail":
        W = self.weights
        if len(W) < 2:
            self.clear_points()
            return self
        key = (W.tobytes(), self.lift, self.pieces_per_face)
        if self.placed_for(key):
            return self
        s = self.surface
        step = min(np.diff(s.w1).min(), np.diff(s.w2).min()) / self.pieces_per_face
        dense = [W[:1]]
        for a, b in zip(W[:-1], W[1:]):
            n = max(int(np.ceil(np.linalg.norm(b - a) / step)), 1)
            t = np.arange(1, n + 1)[:, None] / n
            dense.append(a + t * (b - a))
        D = np.concatenate(dense)
        h = s.height_at(D) + self.lift
        self.set_points_as_corners(s.axes.c2p(np.column_stack([D, h])))
        self.remember_place(key)
        return self


class SurfacePin(OnSurface, VGroup):
    """A marker at one grid point of the weight plane: a dot at the height of
    the landscape there and a short flag pole above it. It rides the surface
    as it shakes (``set_landscape`` / ``set_between``, so ``Quake`` moves it).

    ``value`` is the landscape's value at the grid point (for readouts). Give
    ``surface`` to draw the pin in the surface's depth order (hills in front
    hide it) at the drawn surface's height; the dot is flat: add it with
    ``add_fixed_orientation_mobjects(pin.ball)`` so it faces the camera.
    """

    def __init__(self, axes, w1, w2, index, Z, color=palette.ACCENT, radius: float = 0.09,
                 pole: float = 1.2, surface: LossSurface | None = None, **kwargs):
        from manim import Dot, Line
        super().__init__(**kwargs)
        self.axes = axes
        self.surface = surface
        self.index = tuple(index)
        self.w = (float(w1[self.index[1]]), float(w2[self.index[0]]))
        self.pole_height = pole
        self.stem = Line(axes.c2p(*self.w, 0), axes.c2p(*self.w, 1), color=color, stroke_width=4)
        self.stem.surface_anchor = "start"
        self.ball = Dot(axes.c2p(*self.w, 0), radius=radius, color=color)
        self.add(self.stem, self.ball)
        if surface is not None:
            surface.attach(self.stem, self.ball)
        self.set_landscape(Z)

    def set_height(self, value: float) -> "SurfacePin":
        self.value = float(value)
        drawn = self.value if self.surface is None else float(self.surface.height_at(np.array(self.w)))
        at = self.axes.c2p(*self.w, drawn)
        self.stem.put_start_and_end_on(at, at + OUT * self.pole_height)
        self.ball.move_to(at)
        return self

    def set_landscape(self, Z) -> "SurfacePin":
        return self.set_height(float(np.asarray(Z)[self.index]))

    def set_between(self, Z0, Z1, t: float) -> "SurfacePin":
        a, b = float(np.asarray(Z0)[self.index]), float(np.asarray(Z1)[self.index])
        return self.set_height((1 - t) * a + t * b)
