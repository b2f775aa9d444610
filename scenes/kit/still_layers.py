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
most a quarter of the colour range).
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
    """Camera mixin (2-D cameras): runs of unchanged mobjects come from a layer."""

    still_layers = True

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        if not self.still_layers:
            return super().capture_mobjects(mobjects, **kwargs)
        mobs = self.get_mobjects_to_display(mobjects, **kwargs)
        prints = [fingerprint(m) for m in mobs]
        last = getattr(self, "_last_prints", {})
        self._last_prints = {id(m): p for m, p in zip(mobs, prints) if p is not None}
        view = (self.pixel_array.shape, tuple(np.asarray(self.frame_center, dtype=float)),
                float(self.frame_width), float(self.frame_height))
        layers = getattr(self, "_layers", {})
        kept = {}
        still = [p is not None and last.get(id(m)) == p for m, p in zip(mobs, prints)]
        for is_still, group in it.groupby(range(len(mobs)), key=lambda k: still[k]):
            idx = list(group)
            run = [mobs[k] for k in idx]
            if is_still and len(run) >= MIN_RUN:
                key = (view, tuple((id(mobs[k]), prints[k]) for k in idx))
                layer = layers.get(key) or self._make_layer(run)
                kept[key] = layer
                self._lay(layer)
            else:
                for group_type, same in it.groupby(run, self.type_or_raise):
                    self.display_funcs[group_type](list(same), self.pixel_array)
        self._layers = kept  # only the layers of this frame are kept

    def _make_layer(self, run):
        """Draw ``run`` onto a transparent frame: (surface, pixels, clip box)."""
        pixels = np.zeros_like(self.pixel_array)
        h, w = pixels.shape[:2]
        surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, w, h)
        ctx = cairo.Context(surface)
        ctx.set_matrix(self.get_cairo_context(self.pixel_array).get_matrix())
        for m in run:
            self.display_vectorized(m, ctx)
        surface.flush()
        rows = np.flatnonzero(pixels[..., 3].any(axis=1))
        cols = np.flatnonzero(pixels[..., 3].any(axis=0))
        box = None if len(rows) == 0 else (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
        return surface, pixels, box

    def _lay(self, layer) -> None:
        surface, _pixels, box = layer
        if box is None:
            return
        ctx = self.get_cairo_context(self.pixel_array)
        ctx.save()
        ctx.identity_matrix()
        x0, y0, x1, y1 = box
        ctx.rectangle(x0, y0, x1 - x0, y1 - y0)
        ctx.clip()
        ctx.set_source_surface(surface, 0, 0)
        ctx.paint()
        ctx.restore()
