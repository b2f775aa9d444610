"""From the 3-D surface down to the map, into a window of it, and a closer look at one spot.

Continuous moves between pictures of a landscape, so the viewer never has to
take on trust that two pictures show the same thing. Each comes as pieces
(for tests and variations) and as one call that plays it:

- **Down to the map** (a 3-D scene). :func:`top_view` gives the camera that
  looks straight down on the floor of a stage and shows it as a square of a
  chosen size and place; :class:`PressFlat` lowers the surface onto that
  floor while its faces keep the colours of their true heights (the height is
  left as colour alone); :func:`map_on_floor` builds the
  :class:`ContourMap` lying exactly where the flat surface is seen. Played::

      look_down(self, stage, center, side, tilt_time=3, press_time=2)
      cmap = hand_over(self, stage, Z)   # the map fades in over the surface; camera back to 2-D

- **Into a window.** :func:`window_outline` marks a window of a map;
  :class:`WindowZoom` magnifies the map about it until the window lies on the
  frame of the map that shows it, the outside fading into the background.
  Played: ``play_zoom(self, whole, outline, window_map, run_time=3)``.
  :func:`grow_into` moves and scales a map onto a larger copy of itself.
- **A closer look.** :class:`MapInset` is a magnifier: a small map of a few
  weight units around one point, a box marking that spot on the main map and
  two lines joining them. Draw arrows on it with its own ``map.w2p``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES, DL, DR, ORIGIN, UL, UR, Animation, Cutout, FadeIn, FadeOut, Line, Mobject, Rectangle, VGroup,
    smooth,
)

from scenes.kit import palette
from scenes.kit.contour_map import ContourMap
from scenes.kit.view import View, move_to_view

__all__ = ["top_view", "PressFlat", "floor_corners", "map_on_floor", "window_outline", "WindowZoom",
           "MapInset", "remove_all", "look_down", "hand_over", "finish_zoom", "play_zoom", "grow_into"]

#: Straight down, W1 to the right and W2 up: the orientation of a 2-D scene.
_DOWN_PHI, _DOWN_THETA = 0.0, -90 * DEGREES


def _floor_z(axes) -> float:
    return float(axes.c2p(axes.story.grid_min, axes.story.grid_min, 0)[2])


def top_view(scene, axes, center, side: float) -> tuple[View, np.ndarray]:
    """``(view, frame_center)``: the camera that looks straight down on the
    floor (loss 0) of ``axes`` and shows it as a square of ``side`` units
    centred at screen point ``center``. Pass both to ``move_camera`` (or
    :func:`move_to_view` with ``frame_center=``)."""
    s = axes.story
    lo, hi = axes.c2p(s.grid_min, s.grid_min, 0), axes.c2p(s.grid_max, s.grid_max, 0)
    focal = scene.camera.get_focal_distance()
    f = focal / (focal - _floor_z(axes))  # perspective scale of the floor's depth
    zoom = side / ((hi - lo)[0] * f)
    mid = (lo + hi) / 2
    c = np.asarray(center, dtype=float)
    frame_center = np.array([mid[0] - c[0] / (f * zoom), mid[1] - c[1] / (f * zoom), 0.0])
    return View(_DOWN_PHI, _DOWN_THETA, zoom), frame_center


class PressFlat(Animation):
    """Press a :class:`~scenes.kit.surface.LossSurface` onto the floor of its
    axes: every vertex sinks to loss 0 while the faces keep the colours of
    their true heights, and the shading and mesh fade. Seen from above, what
    is left is the landscape told by colour alone, a map."""

    def __init__(self, surface, **kwargs):
        self.surface = surface
        self.shade0, self.mesh0 = surface.shade, surface.mesh_opacity
        super().__init__(surface, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()

    def interpolate_mobject(self, alpha: float) -> None:
        s = self.surface
        a = self.rate_func(alpha)
        W1, W2 = np.meshgrid(s.w1, s.w2)
        h = (1.0 - a) * s.heights
        s.points[:] = s.axes.c2p(np.column_stack([W1.ravel(), W2.ravel(), h.ravel()]))
        s.shade = (1.0 - a) * self.shade0
        s.mesh_opacity = (1.0 - a) * self.mesh0


def floor_corners(scene, axes) -> np.ndarray:
    """Where the camera shows the floor's lower-left and upper-right corners
    (screen points, shape (2, 3))."""
    s = axes.story
    pts = np.array([axes.c2p(s.grid_min, s.grid_min, 0), axes.c2p(s.grid_max, s.grid_max, 0)])
    out = scene.camera.project_points(pts)
    out[:, 2] = 0
    return out


def map_on_floor(scene, axes, Z, **kwargs) -> ContourMap:
    """A :class:`ContourMap` of landscape Z over the whole grid, lying exactly
    where the camera now shows the floor of ``axes`` (use it after
    :func:`top_view`, to hand over from the pressed surface to the map)."""
    dl, ur = floor_corners(scene, axes)
    m = ContourMap(axes.story, Z, side=float(ur[0] - dl[0]), **kwargs)
    return m.shift((dl + ur) / 2 - m.frame.get_center())


def window_outline(cmap: ContourMap, windows, color=palette.ACCENT, stroke_width: float = 4) -> Rectangle:
    """A rectangle around the weights ``windows`` ((lo1, hi1), (lo2, hi2)) on ``cmap``."""
    (lo1, hi1), (lo2, hi2) = windows
    dl, ur = cmap.w2p([lo1, lo2]), cmap.w2p([hi1, hi2])
    rect = Rectangle(width=ur[0] - dl[0], height=ur[1] - dl[1], stroke_color=color, stroke_width=stroke_width)
    return rect.move_to((dl + ur) / 2)


class WindowZoom(Animation):
    """Magnify the map ``full`` (its bands, lines and frame) about the window
    marked by ``outline`` until that window covers the frame of ``target``
    (the map of the window, not yet shown), as a camera would: the scale
    grows at an even pace (exponentially) about the one point that stays
    put. A background mask with the window cut out grows with it and turns
    opaque in the first ``mask_share`` of the zoom, so the outside fades
    into the background instead of spilling over the frame.

    Fade the full map's ticks and labels out first: they are not part of
    the zoom. Afterwards the scene holds ``zoom.group`` (the moved pieces,
    the mask and the outline): swap it for ``target``.
    """

    def __init__(self, full: ContourMap, outline: Rectangle, target: ContourMap, mask_share: float = 0.45,
                 margin: float = 30.0, **kwargs):
        self.k = target.frame.width / outline.width
        c0, c1 = outline.get_center(), target.frame.get_center()
        # the point the zoom leaves in place (none for a mere move, k = 1)
        self.fixed = None if abs(self.k - 1.0) < 1e-9 else (c1 - self.k * c0) / (1.0 - self.k)
        self.move = c1 - c0
        big = Rectangle(width=outline.width + 2 * margin, height=outline.height + 2 * margin).move_to(outline)
        self.mask = Cutout(big, outline.copy(), fill_color=palette.BACKGROUND, fill_opacity=0.0, stroke_width=0)
        self.mask_share = float(mask_share)
        self.group = VGroup(full.bands, full.level_lines, full.frame, self.mask, outline)
        self.start = [(m, m.points.copy()) for m in self.group.get_family() if len(m.points)]
        kwargs.setdefault("rate_func", smooth)
        super().__init__(self.group, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()

    def scale_at(self, alpha: float) -> float:
        return float(self.k ** self.rate_func(alpha))

    def interpolate_mobject(self, alpha: float) -> None:
        s = self.scale_at(alpha)
        for m, p0 in self.start:
            if self.fixed is None:
                m.points[:] = p0 + self.rate_func(alpha) * self.move
            else:
                m.points[:] = self.fixed + s * (p0 - self.fixed)
        self.mask.set_fill(opacity=min(self.rate_func(alpha) / self.mask_share, 1.0))


class MapInset(VGroup):
    """A magnifier on a :class:`ContourMap`: a small map of the weights
    ``center`` +/- ``half`` (the same landscape, its own ``w2p``), a box
    around that spot on the main map, and two lines from the box to the
    inset's near corners.

    ``magnification`` is how much larger the inset shows a weight step than
    the main map does. Quake both maps together (``quakes([cmap, inset.map],
    Zs)``) so they show the same landscape.
    """

    def __init__(self, cmap: ContourMap, Z, center, half: float, side: float, color=palette.ACCENT,
                 stroke_width: float = 3, **kwargs):
        super().__init__(**kwargs)
        c = np.asarray(center, dtype=float)
        window = ((c[0] - half, c[0] + half), (c[1] - half, c[1] + half))
        self.main = cmap
        self.map = ContourMap(cmap.story, Z, side=side, window=window, ticks=False, axis_labels=False,
                              line_width=1.2, line_opacity=0.8)
        self.map.frame.set_stroke(color, width=stroke_width)
        # a dark rim keeps the inset apart from the map under it, however alike their colours
        self.rim = self.map.frame.copy().set_stroke(palette.BACKGROUND, width=stroke_width + 8)
        self.map.add_to_back(self.rim)
        self.box = window_outline(cmap, self.map.windows, color=color, stroke_width=stroke_width)
        self.links = VGroup(*[Line(stroke_color=color, stroke_width=2.5) for _ in range(2)])
        for mob in (self.box, *self.links):
            mob.set_stroke(palette.BACKGROUND, width=mob.get_stroke_width() + 4, background=True)
        self.add(self.box, self.links, self.map)
        self.join()

    @property
    def magnification(self) -> float:
        return self.map.frame.width / self.box.width

    def place(self, point) -> "MapInset":
        """Move the inset (not the box) to a screen point and re-join the lines."""
        self.map.shift(np.asarray(point, dtype=float) - self.map.frame.get_center())
        return self.join()

    def join(self) -> "MapInset":
        """Join the box's corners to the inset's facing corners."""
        d = self.map.frame.get_center() - self.box.get_center()
        if abs(d[0]) >= abs(d[1]):
            near, far = ((UR, DR), (UL, DL)) if d[0] > 0 else ((UL, DL), (UR, DR))
        else:
            near, far = ((UL, UR), (DL, DR)) if d[1] > 0 else ((DL, DR), (UL, UR))
        for line, a, b in zip(self.links, near, far):
            line.put_start_and_end_on(self.box.get_corner(a), self.map.frame.get_corner(b))
        return self


# -- the moves, played ---------------------------------------------------------
def remove_all(scene, *mobjects: Mobject) -> None:
    """Remove mobjects with every part of them (fading out a part of a group
    dissolves the group into its parts, which would otherwise stay)."""
    scene.remove(*[f for mob in mobjects for f in mob.get_family()])


def look_down(scene, stage, center, side: float, tilt_time: float, press_time: float,
              tilt_side: float = 0.85) -> None:
    """Turn a 3-D scene's camera to look straight down on ``stage``, then
    press the surface flat while coming to a square of ``side`` at screen
    point ``center``. The raised surface seen from above looms larger than
    its floor, so the turn ends a little further away (``tilt_side``)."""
    tilt, tilt_center = top_view(scene, stage.axes, center, tilt_side * side)
    view, frame_center = top_view(scene, stage.axes, center, side)
    scene.play(FadeOut(stage.labels), stage.axes.loss_axis.animate.set_stroke(opacity=0), run_time=0.6)
    move_to_view(scene, tilt, frame_center=tilt_center, run_time=tilt_time)
    move_to_view(scene, view, frame_center=frame_center, added_anims=[PressFlat(stage.surface)],
                 run_time=press_time)


def hand_over(scene, stage, Z, run_time: float = 1.0) -> ContourMap:
    """Fade in the map of Z exactly over the pressed surface (after
    :func:`look_down`), then take the stage away and put the camera back to
    the plain 2-D view: from here on the scene draws like a 2-D scene."""
    cmap = map_on_floor(scene, stage.axes, Z)
    scene.add_fixed_in_frame_mobjects(cmap)
    scene.remove(cmap)
    scene.play(FadeIn(cmap), run_time=run_time)
    remove_all(scene, stage.surface, stage.axes)
    scene.set_camera_orientation(phi=_DOWN_PHI, theta=_DOWN_THETA, gamma=0, zoom=1, frame_center=ORIGIN)
    scene.remove_fixed_in_frame_mobjects(cmap)
    scene.add(cmap)
    return cmap


def finish_zoom(scene, zoom: "WindowZoom", target: ContourMap, outline: Rectangle, run_time: float = 0.6) -> None:
    """After a :class:`WindowZoom`: ``target`` takes the place of the zoomed
    pieces; its ticks and labels fade in as the outline fades out."""
    scene.add(target.bands, target.level_lines, target.frame)
    remove_all(scene, zoom.group)
    scene.add(outline)
    scene.play(FadeIn(target.ticks), FadeIn(target.labels), FadeOut(outline), run_time=run_time)
    remove_all(scene, target)
    scene.add(target)


def grow_into(scene, source: ContourMap, target: ContourMap, run_time: float = 1.0) -> None:
    """Move and scale map ``source`` onto the frame of ``target`` (a map of
    the same landscape and window, elsewhere and larger), then swap in
    ``target``: its ticks and labels, set at their own size, fade in."""
    scene.play(FadeOut(source.ticks), FadeOut(source.labels), run_time=0.4)
    moving = VGroup(source.bands, source.level_lines, source.frame)
    k = target.frame.width / source.frame.width
    scene.play(moving.animate.scale(k).move_to(target.frame), run_time=run_time)
    remove_all(scene, source)
    scene.add(target.bands, target.level_lines, target.frame)
    scene.play(FadeIn(target.ticks), FadeIn(target.labels), run_time=0.4)
    remove_all(scene, target)
    scene.add(target)


def play_zoom(scene, source: ContourMap, outline: Rectangle, target: ContourMap, run_time: float,
              keep=()) -> None:
    """The whole zoom, played: the source's ticks and labels fade, the map
    grows about the outlined window (:class:`WindowZoom`) under the mobjects
    ``keep`` (a colour bar, a heading), and ``target`` takes its place."""
    scene.play(FadeOut(source.ticks), FadeOut(source.labels), run_time=0.4)
    zoom = WindowZoom(source, outline, target, run_time=run_time)
    scene.add(zoom.group)
    if keep:
        scene.bring_to_front(*keep)
    scene.play(zoom)
    finish_zoom(scene, zoom, target, outline)
