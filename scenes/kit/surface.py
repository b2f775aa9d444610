"""A fast loss surface for the Cairo renderer, updated in place.

Manim's ``Surface`` is a VGroup of one VMobject per face: every frame it
projects, depth-sorts and draws each face through the generic VMobject path,
and a morph rebuilds or rewrites hundreds of mobjects. Here the whole surface
is one mobject holding a vertex grid; :class:`QuakeCamera` draws it in one
vectorised pass (project all vertices, sort faces back to front with one
argsort, shade with one Lambert product) followed by a tight loop of cairo
calls. Moving the surface to another landscape rewrites one column of its
point array.
"""

from __future__ import annotations

import cairo
import numpy as np
from manim import (
    IN, OUT, Mobject, ThreeDAxes, ThreeDCamera, VGroup,
)

from scenes.kit import palette

__all__ = ["LossSurface", "QuakeCamera", "LossAxes3D", "SurfacePin"]


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
    stride
        Use every ``stride``-th grid point as a vertex (vertices sit exactly
        on grid points, so the drawn heights are the landscape's values).
    """

    def __init__(self, axes, w1, w2, Z, levels, stride: int = 3, opacity: float = 1.0,
                 mesh_color=palette.BACKGROUND, mesh_opacity: float = 0.35,
                 mesh_width: float = 0.6, shade: float = 0.55, **kwargs):
        self.axes = axes
        self.stride = int(stride)
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


class LossAxes3D(ThreeDAxes):
    """3-D axes for (W1, W2, Loss).

    The Loss axis stands at the back corner (W1, W2) = (min, max) instead of
    the centre, where the surface would hide it. ``c2p`` is ThreeDAxes' own.
    """

    def __init__(self, story, loss_max: float = 17.0, x_length: float = 7.0,
                 z_length: float = 2.8, tick: float = 10.0, **kwargs):
        super().__init__(
            x_range=[story.grid_min, story.grid_max, tick],
            y_range=[story.grid_min, story.grid_max, tick],
            z_range=[0, loss_max, 5],
            x_length=x_length, y_length=x_length, z_length=z_length,
            axis_config={"color": palette.MUTED, "stroke_width": 2, "include_tip": False},
            z_axis_config={"color": palette.MUTED, "stroke_width": 2, "include_tip": False},
            tips=False,
            **kwargs,
        )
        self.story = story
        lo, hi = story.grid_min, story.grid_max
        # Axes along the box's edges, where the surface does not hide them:
        # W1 along the front edge (W2 = lo), W2 along the right edge (W1 = hi),
        # Loss standing at the back corner (lo, hi). The centred originals
        # stay (invisible) because c2p uses them.
        self.w1_axis = self.x_axis.copy().shift(self.c2p(0, lo, 0) - self.c2p(0, 0, 0))
        self.w2_axis = self.y_axis.copy().shift(self.c2p(hi, 0, 0) - self.c2p(0, 0, 0))
        self.loss_axis = self.z_axis.copy().shift(self.c2p(lo, hi, 0) - self.c2p(0, 0, 0))
        for axis in (self.x_axis, self.y_axis, self.z_axis):
            axis.set_opacity(0)
        self.add(self.w1_axis, self.w2_axis, self.loss_axis)
        self.shift(IN * z_length / 2)  # centre the box on the origin

    # ThreeDAxes cuts every axis into 20 depth-sorted, shaded pieces for the
    # Cairo renderer. Shaded pieces are drawn with a gradient whose end points
    # are searched over the whole axis family every frame the camera moves;
    # that was half of chapter 2's render time. Our axes lie on the box's
    # edges, below and behind the surface: plain lines drawn in scene order
    # (before the surface) look the same.
    def _add_3d_pieces(self) -> None:
        pass

    def _set_axis_shading(self) -> None:
        pass

    def axis_labels(self, font_size: float = 34) -> VGroup:
        """W1, W2 and Loss labels, for ``add_fixed_orientation_mobjects``."""
        from manim import MathTex, Text
        s = self.story
        lo, hi = s.grid_min, s.grid_max
        pad = 0.18 * (hi - lo)
        lx = MathTex("W_1", font_size=font_size, color=palette.TEXT)
        ly = MathTex("W_2", font_size=font_size, color=palette.TEXT)
        lz = Text("Loss", font=palette.FONT, font_size=font_size * 0.75, color=palette.TEXT)
        lx.move_to(self.c2p((lo + hi) / 2, lo - pad, 0))
        ly.move_to(self.c2p(hi + pad, (lo + hi) / 2, 0))
        lz.move_to(self.loss_axis.get_end() + OUT * 0.3)
        return VGroup(lx, ly, lz)


class QuakeCamera(ThreeDCamera):
    """ThreeDCamera that draws :class:`LossSurface` in one vectorised pass."""

    def type_or_raise(self, mobject):
        kind = super().type_or_raise(mobject)
        self.display_funcs[LossSurface] = self.display_loss_surfaces
        return LossSurface if isinstance(mobject, LossSurface) else kind

    def display_loss_surfaces(self, surfaces, pixel_array) -> None:
        ctx = self.get_cairo_context(pixel_array)
        rot = self.get_rotation_matrix()
        light = self.light_source.points[0] if self.light_source is not None else np.array([-7, -9, 10.0])
        for s in surfaces:
            if s.opacity <= 0 or len(s.points) == 0:
                continue
            self._draw_surface(ctx, s, rot, light)

    def _draw_surface(self, ctx, s: LossSurface, rot, light) -> None:
        P = s.points
        proj = self.transform_points_pre_display(s, P)  # (v, 3) screen coordinates
        F = s.faces
        quads = P[F]  # (f, 4, 3) in scene space
        depth = (quads.mean(axis=1) @ rot.T)[:, 2]
        order = np.argsort(depth, kind="stable")  # far faces first
        # Lambert shading with the face normal
        n = np.cross(quads[:, 2] - quads[:, 0], quads[:, 3] - quads[:, 1])
        n /= np.linalg.norm(n, axis=1, keepdims=True) + 1e-12
        to_light = light - quads.mean(axis=1)
        to_light /= np.linalg.norm(to_light, axis=1, keepdims=True)
        lam = np.abs(np.sum(n * to_light, axis=1))
        rgb = s.face_rgb() * ((1 - s.shade) + s.shade * lam)[:, None]
        rgb = np.clip(rgb, 0, 1)
        xy = proj[:, :2][F][order]  # (f, 4, 2)
        rgb = rgb[order][:, ::-1]  # cairo's pixel order is BGRA
        a = s.opacity
        mesh = s.mesh_rgb[::-1]
        mesh_a = s.mesh_opacity * a
        lw = s.mesh_width * self.cairo_line_width_multiple
        ctx.set_line_join(0)
        ctx.set_line_width(lw)
        move, line, close, newp = ctx.move_to, ctx.line_to, ctx.close_path, ctx.new_path
        src, fill, fill_p, stroke = ctx.set_source_rgba, ctx.fill, ctx.fill_preserve, ctx.stroke
        # Faces are filled without antialiasing (3x cheaper than with it) and
        # every edge is then stroked, antialiased, with the mesh line: the
        # stroke is the antialiasing, and it hides the seams between faces.
        # Without a mesh the fill itself is antialiased.
        mesh_on = mesh_a > 0
        mr, mg, mb = mesh
        aa, set_aa = ctx.get_antialias(), ctx.set_antialias
        fill_aa = cairo.ANTIALIAS_NONE if mesh_on else aa
        for q, c in zip(xy.tolist(), rgb.tolist()):
            newp()
            move(*q[0])
            line(*q[1])
            line(*q[2])
            line(*q[3])
            close()
            src(c[0], c[1], c[2], a)
            set_aa(fill_aa)
            if mesh_on:
                fill_p()
                set_aa(aa)
                src(mr, mg, mb, mesh_a)
                stroke()
            else:
                fill()
        set_aa(aa)


class SurfacePin(VGroup):
    """A marker at one grid point of the weight plane: a dot at the height of
    the landscape there and a short flag pole above it, so it stays visible
    over the surface. It rides the surface as it shakes.

    The dot is flat; add it with ``add_fixed_orientation_mobjects(pin.ball)``
    so it faces the camera.
    """

    def __init__(self, axes, w1, w2, index, Z, color=palette.ACCENT, radius: float = 0.09,
                 pole: float = 1.2, **kwargs):
        from manim import Dot, Line
        super().__init__(**kwargs)
        self.axes = axes
        self.index = tuple(index)
        self.w = (float(w1[self.index[1]]), float(w2[self.index[0]]))
        self.pole_height = pole
        self.stem = Line(axes.c2p(*self.w, 0), axes.c2p(*self.w, 1), color=color, stroke_width=4)
        self.ball = Dot(axes.c2p(*self.w, 0), radius=radius, color=color)
        self.add(self.stem, self.ball)
        self.set_landscape(Z)

    def set_height(self, value: float) -> "SurfacePin":
        self.value = float(value)
        at = self.axes.c2p(*self.w, self.value)
        self.stem.put_start_and_end_on(at, at + OUT * self.pole_height)
        self.ball.move_to(at)
        return self

    def set_landscape(self, Z) -> "SurfacePin":
        return self.set_height(float(np.asarray(Z)[self.index]))

    def set_between(self, Z0, Z1, t: float) -> "SurfacePin":
        a, b = float(np.asarray(Z0)[self.index]), float(np.asarray(Z1)[self.index])
        return self.set_height((1 - t) * a + t * b)
