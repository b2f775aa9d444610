"""A camera mixin that draws what did not change since the last frame from a copy.

In a play, manim draws the mobjects in front of the first moving one once
(the still background) and redraws every mobject after it, moving or not, in
every frame: a colour bar, a column of text or a legend added after a
quaking map costs as much as the map, 60 times a second.

``StillLayers`` looks at what it is asked to draw. Each run of mobjects that
are exactly as they were in the last frame (the same points, colours and
stroke, checked every frame) is drawn once onto a transparent layer, and
from then on the layer is laid over the frame in their place, in the same
depth order. Anything that changes is drawn as usual, and a run that
changes gets a new layer. A frame from layers looks the same as one drawn
directly (tested: a few antialiased edge pixels round differently, by at
most a quarter of the colour range). In a 3-D scene (``QuakeCamera``) the
captions pinned over a shaking surface come from layers the same way; what
stands in 3-D is redrawn whenever the camera turns.
"""

from __future__ import annotations

import itertools as it

import cairo
import numpy as np
from manim import VMobject

__all__ = ["StillLayers"]

# Runs shorter than this are drawn directly: a layer costs a composite.
MIN_RUN = 4


def fingerprint(m) -> int | None:
    """Everything about a plain VMobject that changes how it is drawn, hashed;
    None for anything else (drawn as usual)."""
    if not isinstance(m, VMobject) or m.get_background_image() is not None:
        return None
    return hash((
        m.points.tobytes(), m.fill_rgbas.tobytes(), m.stroke_rgbas.tobytes(),
        m.background_stroke_rgbas.tobytes(), float(m.stroke_width), float(m.background_stroke_width),
        float(m.sheen_factor), tuple(np.asarray(m.sheen_direction, dtype=float).ravel()),
        str(getattr(m, "joint_type", "")), str(getattr(m, "cap_style", "")),
    ))


class StillLayers:
    """Camera mixin: runs of unchanged mobjects come from a layer.

    A layer is kept while the frame is the same (``view_key``) and each of
    its mobjects draws the same (``fingerprint`` plus ``mobject_key``, where
    a 3-D camera adds its orientation for what is not pinned to the frame)."""

    still_layers = True

    def view_key(self) -> tuple:
        """Everything about the frame that moves pixels: a layer made under
        another view is never laid."""
        return (self.pixel_array.shape, tuple(np.asarray(self.frame_center, dtype=float)),
                float(self.frame_width), float(self.frame_height))

    def mobject_key(self, m):
        """What the camera adds to how one mobject is drawn (nothing, in 2-D;
        a 3-D camera's orientation, for what is not pinned to the frame)."""
        return None

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        if not self.still_layers:
            return super().capture_mobjects(mobjects, **kwargs)
        mobs = self.get_mobjects_to_display(mobjects, **kwargs)
        prints = [fingerprint(m) if self.type_or_raise(m) is VMobject else None for m in mobs]
        prints = [p if p is None else (p, self.mobject_key(m)) for m, p in zip(mobs, prints)]
        last = getattr(self, "_last_prints", {})
        # frames each mobject has stood still: a layer is made for a run that
        # stood still for two frames (not for something that only paused)
        since = {}
        for m, p in zip(mobs, prints):
            if p is not None:
                before = last.get(id(m))
                since[id(m)] = (p, before[1] + 1 if before is not None and before[0] == p else 0)
        self._last_prints = since
        view = self.view_key()
        layers = getattr(self, "_layers", {})
        kept = {}
        frames_still = [since[id(m)][1] if p is not None else -1 for m, p in zip(mobs, prints)]
        for is_still, group in it.groupby(range(len(mobs)), key=lambda k: frames_still[k] > 0):
            idx = list(group)
            run = [mobs[k] for k in idx]
            layer = None
            if is_still and len(run) >= MIN_RUN:
                key = (view, tuple((id(mobs[k]), prints[k]) for k in idx))
                layer = layers.get(key)
                if layer is None and min(frames_still[k] for k in idx) >= 2:
                    layer = self._make_layer(run)
                if layer is not None:
                    kept[key] = layer
                    self._lay(layer)
            if layer is None:
                for group_type, same in it.groupby(run, self.type_or_raise):
                    self.display_funcs[group_type](list(same), self.pixel_array)
        self._layers = kept  # only the layers of this frame are kept

    def _make_layer(self, run):
        """Draw ``run`` onto a transparent surface as large as the run's
        bounding box (its points, widened by its strokes): (surface, x, y)."""
        ph, pw = self.pixel_array.shape[:2]
        m = self.get_cairo_context(self.pixel_array).get_matrix()
        pts = np.concatenate([self.transform_points_pre_display(r, r.points)[:, :2] for r in run])
        if len(pts) == 0:
            return None, 0, 0
        px = m.xx * pts[:, 0] + m.xy * pts[:, 1] + m.x0
        py = m.yx * pts[:, 0] + m.yy * pts[:, 1] + m.y0
        width = max(max(float(r.stroke_width), float(r.background_stroke_width)) for r in run)
        pad = 6 * width * self.cairo_line_width_multiple * abs(m.xx) + 3  # miter joins (limit 10 half widths), antialiasing
        x0, y0 = max(int(px.min() - pad), 0), max(int(py.min() - pad), 0)
        x1, y1 = min(int(px.max() + pad) + 1, pw), min(int(py.max() + pad) + 1, ph)
        if x1 <= x0 or y1 <= y0:
            return None, 0, 0
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, x1 - x0, y1 - y0)  # transparent
        ctx = cairo.Context(surface)
        ctx.set_matrix(cairo.Matrix(m.xx, m.yx, m.xy, m.yy, m.x0 - x0, m.y0 - y0))
        for r in run:
            self.display_vectorized(r, ctx)
        surface.flush()
        return surface, x0, y0

    def _lay(self, layer) -> None:
        surface, x0, y0 = layer
        if surface is None:
            return
        ctx = self.get_cairo_context(self.pixel_array)
        ctx.save()
        ctx.identity_matrix()
        ctx.rectangle(x0, y0, surface.get_width(), surface.get_height())
        ctx.clip()
        ctx.set_source_surface(surface, x0, y0)
        ctx.paint()
        ctx.restore()
