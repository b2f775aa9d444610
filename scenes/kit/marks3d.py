"""Marks on the 3-D loss surface that move: a ball at any weights, an arrow
lying on the ground, and numbers that follow them on the screen.

All of them are drawn in the surface's depth order (``LossSurface.attach``):
a hill in front of a mark hides it, as the ground would. They follow the
surface when it quakes (an updater reads ``height_at`` every frame)::

    ball = SurfaceBall(stage.surface, walk.weights[0])
    face_camera(self, ball)                     # a round dot from any view
    trail = SurfaceTrail(stage.surface, walk.weights[:1])
    self.add(trail, ball)
    ball.set_weights(walk.weights[3])           # lands on the drawn faces

    loss = Number(0.0)
    follow(self, loss, lambda: ...)             # a pinned readout that keeps changing
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import OUT, Dot, Mobject, Polygon, VGroup, VMobject

from scenes.kit import palette, text
from scenes.kit.surface import LossSurface, OnSurface, SurfaceTrail

__all__ = ["SurfaceBall", "SurfaceArrow", "axis_ticks", "face_camera", "follow", "keep_still", "refix"]


class SurfaceBall(OnSurface, Dot):
    """A dot lying on the drawn surface at weights ``w`` (any weights, not
    only grid points), ``lift`` loss units above the faces, drawn in the
    surface's depth order. ``set_weights`` moves it; it rides the surface
    when the surface moves."""

    def __init__(self, surface: LossSurface, w, radius: float = 0.09, color=palette.ACCENT,
                 lift: float = 0.08, outline: float = 2.0, **kwargs):
        super().__init__(radius=radius, color=color, **kwargs)
        self.set_stroke(palette.BACKGROUND, width=outline)
        self.surface = surface
        self.lift = float(lift)
        self.w = np.asarray(w, dtype=float).reshape(2)
        surface.attach(self)
        self.add_updater(lambda m: m.refresh())
        self.refresh()

    def height(self) -> float:
        """The drawn surface's height (loss units) under the ball."""
        return float(self.surface.height_at(self.w))

    def set_weights(self, w) -> "SurfaceBall":
        self.w = np.asarray(w, dtype=float).reshape(2)
        return self.refresh()

    def refresh(self) -> "SurfaceBall":
        key = (float(self.w[0]), float(self.w[1]), self.lift)
        if not self.placed_for(key):  # skipped while the ball and the ground stand still
            self.move_to(self.surface.axes.c2p(self.w[0], self.w[1], self.height() + self.lift))
            self.remember_place(key)
        return self


class SurfaceArrow(OnSurface, VGroup):
    """An arrow lying on the surface from weights ``w0`` to ``w1``: a trail
    along the faces and a flat tip at ``w1``, both in the surface's depth
    order. ``set_progress(t)`` draws it up to a fraction t of its length (for
    growing it)."""

    def __init__(self, surface: LossSurface, w0, w1, color=palette.GRADIENT_COLOR, stroke_width: float = 6,
                 tip_length: float = 0.28, tip_width: float = 0.24, lift: float = 0.12, **kwargs):
        super().__init__(**kwargs)
        self.surface = surface
        self.w0, self.w1 = (np.asarray(w, dtype=float).reshape(2) for w in (w0, w1))
        self.tip_length, self.tip_width, self.lift = float(tip_length), float(tip_width), float(lift)
        self.shaft = SurfaceTrail(surface, None, color=color, stroke_width=stroke_width, lift=lift)
        self.tip = Polygon(*[np.zeros(3)] * 3, color=color, fill_opacity=1.0, stroke_width=1)
        surface.attach(self.tip)
        self.add(self.shaft, self.tip)
        self.progress = 1.0
        self.tip.add_updater(lambda m: self._place_tip())
        self.set_progress(1.0)

    def point(self, w) -> np.ndarray:
        w = np.asarray(w, dtype=float)
        return self.surface.axes.c2p(w[0], w[1], float(self.surface.height_at(w)) + self.lift)

    def head(self) -> np.ndarray:
        """Weights of the arrow's tip at its current progress."""
        return self.w0 + self.progress * (self.w1 - self.w0)

    def set_progress(self, t: float) -> "SurfaceArrow":
        self.progress = float(np.clip(t, 1e-3, 1.0))
        head = self.head()
        # the shaft stops where the tip begins
        back = head - (head - self.w0) * min(1.0, self._tip_share())
        self.shaft.set_weights(np.array([self.w0, back]))
        self._place_tip()
        return self

    def _tip_share(self) -> float:
        """The share of the current arrow that the tip covers (in scene length)."""
        length = np.linalg.norm(self.point(self.head()) - self.point(self.w0))
        return self.tip_length / max(length, 1e-9)

    def _place_tip(self) -> None:
        head = self.head()
        p1 = self.point(head)
        back = self.point(head - (head - self.w0) * min(1.0, self._tip_share()))
        d = p1 - back
        d /= np.linalg.norm(d) + 1e-12
        side = np.cross(d, OUT)
        side /= np.linalg.norm(side) + 1e-12
        base = p1 - d * self.tip_length
        self.tip.set_points_as_corners([p1, base + side * self.tip_width / 2, base - side * self.tip_width / 2, p1])


def axis_ticks(axes, pad: float = 0.07, size="tick") -> tuple[VGroup, VGroup, VGroup]:
    """Tick labels for the W1, W2 and Loss axes of a :class:`LossAxes3D`
    (the edges of its box), at its tick values, ``pad`` of the weight range
    outside the box. Add them with :func:`face_camera` so they stay upright."""
    s = axes.story
    lo, hi = s.grid_min, s.grid_max
    out = pad * (hi - lo)
    step = axes.x_range[2]
    weights = np.arange(np.ceil(lo / step) * step, hi + 1e-9, step)
    losses = np.arange(0.0, axes.z_range[1] + 1e-9, axes.z_range[2])

    def label(v, at):
        t = text.caption(f"{v:g}".replace("-", "\u2212"), size, palette.MUTED).move_to(at)
        t.value = float(v)
        return t
    return (VGroup(*[label(v, axes.c2p(v, lo - out, 0)) for v in weights]),
            VGroup(*[label(v, axes.c2p(hi + out, v, 0)) for v in weights]),
            VGroup(*[label(v, axes.c2p(lo, hi + out, v)) for v in losses]))


def face_camera(scene, *mobjects: Mobject) -> None:
    """Let dots and labels placed in 3-D face the camera from any view; they
    stay hidden until they are added or faded in."""
    scene.add_fixed_orientation_mobjects(*mobjects)
    scene.remove(*mobjects)


def keep_still(scene, *mobjects: Mobject) -> None:
    """Put mobjects that will stay still for a while at the back of the scene.

    In a play, manim draws the mobjects before the first moving one once,
    into a still background, and redraws the rest every frame; in a 3-D
    scene the surface almost always moves, so captions, diagrams and tick
    labels added after it are redrawn 60 times a second. At the back they
    are drawn once per animation. They are then drawn before the surface:
    use it for things that do not overlap it (pinned captions, labels
    beside the axes)."""
    scene.bring_to_back(*mobjects)


def refix(scene, *mobjects: Mobject) -> None:
    """Keep mobjects pinned to the frame after their parts were rebuilt
    (``Number.set_value`` makes new digits)."""
    scene.camera.add_fixed_in_frame_mobjects(*mobjects)


def follow(scene, number: VMobject, value: Callable[[], float], rate: float = 20.0) -> VMobject:
    """An updater that shows ``value()`` in a pinned ``Number``, keeping the
    new digits pinned to the frame. It refreshes at most ``rate`` times a
    second (a number that changes every frame cannot be read anyway, and
    rebuilding its digits is the costliest part of a frame) and only when
    the shown digits change. ``number.follow_now()`` brings it up to date at
    once (call it before fading in a readout that was off screen while its
    value changed)."""
    state = {"shown": None, "since": np.inf}

    def show(m):
        v = float(value())
        if round(v, m.num_decimal_places) != state["shown"]:
            m.set_value(v)
            state["shown"] = round(v, m.num_decimal_places)
            refix(scene, m)
        state["since"] = 0.0

    def update(m, dt):
        if m is not number:  # animations copy the number with its updaters: leave the copies alone
            return
        state["since"] += dt
        if state["since"] >= 1.0 / rate - 1e-9:
            show(m)

    number.add_updater(update)
    number.follow_now = lambda: show(number)
    return number
