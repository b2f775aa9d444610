"""The camera that draws :class:`~scenes.kit.surface.LossSurface` fast.

One vectorised pass per surface: project all vertices, sort the faces back
to front with one argsort, shade them with one Lambert product, then a tight
loop of cairo calls. Marks attached to the surface (``LossSurface.attach``)
are drawn right after the face they stand on, so the surface hides them
where it is in front of them.
"""

from __future__ import annotations

import cairo
import numpy as np
from manim import ThreeDCamera, VMobject
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP

from scenes.kit.fast_paths import StraightPaths
from scenes.kit.still_layers import StillLayers
from scenes.kit.surface import LossSurface

__all__ = ["QuakeCamera", "SurfacePrefix"]


def _same_pixels(a: np.ndarray, b: np.ndarray) -> bool:
    """Two frames' bytes are equal (compared 8 at a time: about 1 ms at 1080p)."""
    if a.shape != b.shape or a.nbytes % 8:
        return a.shape == b.shape and np.array_equal(a, b)
    return np.array_equal(a.reshape(-1).view(np.uint64), b.reshape(-1).view(np.uint64))


class SurfacePrefix:
    """The picture of a surface's farthest faces, kept while nothing about it changes.

    Marks attached to a surface are drawn in its depth order, so while a walk
    moves over a still surface the whole surface is drawn again every frame.
    But the faces behind every mark (the first ``k`` in depth order) come out
    the same each time: the same screen corners, colours and style, over the
    same pixels. Once the surface has stood still for a frame, the frame after
    those ``k`` faces is kept, and later frames start from that copy (after
    checking all of the above; any difference and the faces are drawn).
    """

    def __init__(self) -> None:
        self._last: dict[int, tuple] = {}
        self._saved: dict[int, tuple] = {}
        self._pending = None

    def restore(self, s, ctx, pixels, xy, rgb, style, k) -> int:
        """Copy the kept faces onto ``pixels`` if they are still right; returns
        how many faces (in depth order) are now drawn."""
        key = id(s)
        last, self._last[key] = self._last.get(key), (xy, rgb, style)
        self._pending = None
        if k == 0 or last is None or last[2] != style or not (np.array_equal(last[0], xy) and np.array_equal(last[1], rgb)):
            return 0  # the surface moves: nothing to keep
        target = ctx.get_target()
        target.flush()
        saved = self._saved.get(key)
        if saved is not None:
            under, image, n, sxy, srgb, sstyle = saved
            if (n <= k and sstyle == style and np.array_equal(sxy, xy[:n]) and np.array_equal(srgb, rgb[:n])
                    and _same_pixels(under, pixels)):
                np.copyto(pixels, image)
                target.mark_dirty()
                if n < k:  # more faces are behind every mark now: keep those too
                    self._pending = (key, under)
                return n
        self._pending = (key, pixels.copy())
        return 0

    def store(self, s, ctx, pixels, xy, rgb, style, k) -> None:
        """Keep the frame as it is after the first ``k`` faces (when
        :meth:`restore` asked for it)."""
        if self._pending is None:
            return
        key, under = self._pending
        self._pending = None
        ctx.get_target().flush()
        self._saved[key] = (under, pixels.copy(), k, xy[:k].copy(), rgb[:k].copy(), style)


class QuakeCamera(StillLayers, StraightPaths, ThreeDCamera):
    """ThreeDCamera that draws :class:`LossSurface` in one vectorised pass,
    with the mobjects attached to it (``LossSurface.attach``) drawn in the
    surface's own depth order, straight paths as lines (``StraightPaths``),
    and runs of unchanged captions and labels from a layer (``StillLayers``;
    a turn of the camera makes new layers of what is not pinned to the frame)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._prefix = SurfacePrefix()

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        self.reset_rotation_matrix()  # as ThreeDCamera does, before the layers look at the view
        light = self.light_source.points[0] if self.light_source is not None else ()
        self._orientation = (self.get_rotation_matrix().tobytes(), float(self.get_focal_distance()),
                             float(self.get_zoom()), bool(self.exponential_projection),
                             bool(self.should_apply_shading), tuple(np.asarray(light, dtype=float)))
        self._centers = {}  # the centre of each mobject facing the camera, once per frame
        super().capture_mobjects(mobjects, **kwargs)

    def mobject_key(self, m):
        """Pinned mobjects draw the same from any view; the rest only under
        the same orientation (and the same centre, if they face the camera)."""
        if m in self.fixed_in_frame_mobjects:
            return "pinned"
        func = self.fixed_orientation_mobjects.get(m)
        if func is None:
            return self._orientation, bool(getattr(m, "shade_in_3d", False)), None
        # every glyph of a label shares the label's centre function: call it once
        center = self._centers.get(id(func))
        if center is None:
            center = self._centers[id(func)] = (func, tuple(func()))
        return self._orientation, bool(getattr(m, "shade_in_3d", False)), center[1]

    def type_or_raise(self, mobject):
        kind = super().type_or_raise(mobject)
        self.display_funcs[LossSurface] = self.display_loss_surfaces
        return LossSurface if isinstance(mobject, LossSurface) else kind

    def get_mobjects_to_display(self, *args, **kwargs):
        mobjects = super().get_mobjects_to_display(*args, **kwargs)
        self._present = {id(m) for m in mobjects}
        on_surface = {id(a) for m in mobjects if isinstance(m, LossSurface)
                      for top in m.attached for a in top.get_family()}
        return [m for m in mobjects if id(m) not in on_surface]

    def display_loss_surfaces(self, surfaces, pixel_array) -> None:
        ctx = self.get_cairo_context(pixel_array)
        rot = self.get_rotation_matrix()
        light = self.light_source.points[0] if self.light_source is not None else np.array([-7, -9, 10.0])
        for s in surfaces:
            if len(s.points) == 0:
                continue
            self._draw_surface(ctx, s, rot, light, pixel_array)

    def _attached_items(self, s: LossSurface) -> list[tuple[int, object]]:
        """(face, drawable) for every attached mobject in the scene: a whole
        mobject, or one segment of a split path (a 4-point Bezier)."""
        present = getattr(self, "_present", set())
        items: list[tuple[int, object]] = []
        whole: list[int] = []  # places in items of whole mobjects, whose faces are found at once
        anchors = []
        for top in s.attached:
            for m in top.get_family():
                if id(m) not in present or not isinstance(m, VMobject) or len(m.points) == 0:
                    continue
                if getattr(top, "surface_split", False) and len(m.points) >= 8:
                    curves = m.points[: len(m.points) // 4 * 4].reshape(-1, 4, 3)
                    faces = s.face_of(s.to_weights(curves.mean(axis=1))).tolist()
                    strokes = self._split_strokes(m, curves) if self.fast_pieces else None
                    if strokes is None:
                        items.extend((f, (m, c)) for f, c in zip(faces, curves))
                    else:
                        items.extend((f, (strokes, k)) for k, f in enumerate(faces))
                else:
                    whole.append(len(items))
                    items.append((-1, m))
                    anchors.append(m.get_start() if getattr(m, "surface_anchor", "center") == "start" else m.get_center())
        if whole:  # one face look-up for all of them: dozens of marks cost one numpy call, not dozens
            for k, f in zip(whole, s.face_of(s.to_weights(np.array(anchors)))):
                items[k] = (int(f), items[k][1])
        return items

    # Segments of a split path are drawn straight to cairo (below), with the
    # calls manim's camera would make for each: tested pixel for pixel.
    fast_pieces = True

    def _split_strokes(self, m, curves):
        """Everything needed to stroke the segments of split path ``m`` as
        manim does, worked out once per frame: (projected segments, whether
        each closes, background stroke, stroke, join, cap); None when the
        path needs manim's own drawing (a gradient, a visible fill)."""
        piece = self._piece
        piece.match_style(m)
        self._piece_style = None  # the shared piece's style is no longer m's
        if (self.get_fill_rgbas(piece)[:, 3] > 0).any():
            return None
        strokes = []
        for background in (True, False):
            width = piece.get_stroke_width(background)
            if width == 0:
                strokes.append(None)
                continue
            rgbas = self.get_stroke_rgbas(piece, background=background)
            if len(rgbas) != 1:
                return None
            r, g, b, a = (float(v) for v in rgbas[0])
            strokes.append((b, g, r, a, width * self.cairo_line_width_multiple))
        proj = self.transform_points_pre_display(piece, curves.reshape(-1, 3))
        if len(proj) != 4 * len(curves):
            return None  # points that are not finite: manim draws nothing
        xy = proj[:, :2].reshape(-1, 4, 2)
        atol, rtol = piece.tolerance_for_point_equality, 1e-5
        closed = np.all(np.abs(xy[:, 0] - xy[:, 3]) <= atol + rtol * np.abs(xy[:, 3]), axis=1)
        return (xy.reshape(-1, 8).tolist(), closed.tolist(), strokes[0], strokes[1],
                LINE_JOIN_MAP[piece.joint_type], CAP_STYLE_MAP[piece.cap_style])

    @staticmethod
    def _stroke_piece(ctx, strokes, k) -> None:
        segments, closed, background, front, join, cap = strokes
        x0, y0, x1, y1, x2, y2, x3, y3 = segments[k]
        ctx.new_path()
        ctx.move_to(x0, y0)
        ctx.curve_to(x1, y1, x2, y2, x3, y3)
        if closed[k]:
            ctx.close_path()
        for stroke in (background, front):  # the fill is see-through: it would change no pixel
            if stroke is not None:
                b, g, r, a, width = stroke
                ctx.set_source_rgba(b, g, r, a)
                ctx.set_line_width(width)
                ctx.set_line_join(join)
                ctx.set_line_cap(cap)
                ctx.stroke_preserve()

    def _draw_item(self, ctx, item) -> None:
        if isinstance(item, tuple) and isinstance(item[0], tuple):  # a segment, drawn straight to cairo
            self._stroke_piece(ctx, *item)
        elif isinstance(item, tuple):  # one segment of a split path
            mob, curve = item
            piece = self._piece
            if self._piece_style is not mob:  # copy a path's style once per frame, not per segment
                piece.match_style(mob)
                self._piece_style = mob
            piece.points = curve
            self.display_vectorized(piece, ctx)
        else:
            self.display_vectorized(item, ctx)

    _piece = VMobject()
    _piece_style = None
    mesh_antialias = cairo.ANTIALIAS_FAST

    def _draw_surface(self, ctx, s: LossSurface, rot, light, pixel_array) -> None:
        self._piece_style = None  # styles may change from frame to frame
        P = s.points
        proj = self.transform_points_pre_display(s, P)  # (v, 3) screen coordinates
        F = s.faces
        quads = P[F]  # (f, 4, 3) in scene space
        depth = (quads.mean(axis=1) @ rot.T)[:, 2]
        order = np.argsort(depth, kind="stable")  # far faces first
        # attached mobjects, each drawn right after the face it stands on
        after: dict[int, list] = {}
        last: list = []
        for face, item in self._attached_items(s):
            (last if face < 0 else after.setdefault(face, [])).append(item)
        if s.opacity <= 0:
            for face in order:
                for item in after.get(int(face), ()):
                    self._draw_item(ctx, item)
            for item in last:
                self._draw_item(ctx, item)
            return
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
        # cairo's fast antialiasing draws these thin lines the same to the eye
        # at a third of the cost. Without a mesh the fill itself is antialiased.
        mesh_on = mesh_a > 0
        mr, mg, mb = mesh
        aa, set_aa = ctx.get_antialias(), ctx.set_antialias
        fill_aa = cairo.ANTIALIAS_NONE if mesh_on else aa
        mesh_aa = self.mesh_antialias
        faces, xys, rgbs = order.tolist(), xy.tolist(), rgb.tolist()

        def draw(i0, i1):
            for face, q, c in zip(faces[i0:i1], xys[i0:i1], rgbs[i0:i1]):
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
                    set_aa(mesh_aa)
                    src(mr, mg, mb, mesh_a)
                    stroke()
                else:
                    fill()
                if face in after:
                    set_aa(aa)
                    for item in after[face]:
                        self._draw_item(ctx, item)
                    ctx.set_line_join(0)
                    ctx.set_line_width(lw)

        # The faces behind every attached mark (the first k in depth order)
        # come from a copy while they and the pixels under them are unchanged.
        k = int(np.flatnonzero(np.isin(order, list(after)))[0]) if after else len(faces)
        style = (a, tuple(mesh), mesh_a, lw, fill_aa, mesh_aa, tuple(ctx.get_matrix()))
        start = self._prefix.restore(s, ctx, pixel_array, xy, rgb, style, k)
        draw(start, k)
        self._prefix.store(s, ctx, pixel_array, xy, rgb, style, k)
        draw(k, len(faces))
        set_aa(aa)
        for item in last:
            self._draw_item(ctx, item)
