"""The 3-D stage: where the camera looks from, and the loss surface on its axes.

Every 3-D picture of the video is the same stage: W1, W2 and Loss axes along
the edges of a box, the loss surface on them, seen from a named view. Use
the view that shows what the words talk about; ``VALLEY`` looks along the
valley from its low side, so the walk down into it is never hidden::

    class MyScene(Narrated3DScene):
        def construct(self):
            stage = LossStage(numbers.full_landscape())
            set_view(self, VALLEY)
            stage.show(self)                       # axes and labels
            self.play(FadeIn(stage.surface))
            move_to_view(self, OVERVIEW, run_time=2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DEGREES, IN, Mobject

from scenes.kit import numbers
from scenes.kit.surface import LossAxes3D, LossSurface

__all__ = ["View", "VALLEY", "OVERVIEW", "AXES_SHIFT", "set_view", "move_to_view", "pin_to_frame", "LossStage",
           "frame_center_for"]


@dataclass(frozen=True)
class View:
    """A camera position for a 3-D scene: polar angle phi, azimuth theta
    (both in radians) and zoom."""

    phi: float
    theta: float
    zoom: float

    def as_kwargs(self) -> dict:
        return {"phi": self.phi, "theta": self.theta, "zoom": self.zoom}


#: Looking along the valley from its low side: the valley, its floor and a
#: walk down into it are all in sight.
VALLEY = View(60 * DEGREES, -20 * DEGREES, 0.82)
#: Higher and from the corner: the whole box at a glance.
OVERVIEW = View(64 * DEGREES, -55 * DEGREES, 0.74)
#: The stage sits a little low in the frame: room for captions at the top.
AXES_SHIFT = IN * 0.55


def set_view(scene, view: View) -> None:
    """Put the camera of a 3-D scene at ``view`` at once."""
    scene.set_camera_orientation(**view.as_kwargs())


def move_to_view(scene, view: View, **kwargs) -> None:
    """Move the camera of a 3-D scene to ``view`` (an animation: kwargs go
    to ``move_camera``, e.g. ``run_time``)."""
    scene.move_camera(**view.as_kwargs(), **kwargs)


def frame_center_for(view: View, point, at=(0.0, 0.0)) -> np.ndarray:
    """The camera's frame centre that shows scene ``point`` at screen
    position ``at`` (frame units from the middle) from ``view``: pass it as
    ``frame_center`` to ``move_to_view`` to frame a close-up off centre, to
    keep a corner free for captions. (The point keeps its depth, so
    perspective does not move it.)"""
    from manim.utils.space_ops import rotation_matrix

    rot = rotation_matrix(-view.phi, [1, 0, 0]) @ rotation_matrix(-view.theta - np.pi / 2, [0, 0, 1])
    offset = np.array([at[0], at[1], 0.0]) / view.zoom
    return np.asarray(point, dtype=float) - rot.T @ offset


def pin_to_frame(scene, *mobjects: Mobject) -> None:
    """Keep captions and readouts flat on the screen in a 3-D scene; they
    stay hidden until they are added or faded in."""
    scene.add_fixed_in_frame_mobjects(*mobjects)
    scene.remove(*mobjects)


class LossStage:
    """The axes, the surface of landscape ``Z`` and the axis labels.

    ``show(scene)`` adds the axes and labels (the labels face the camera);
    the surface is left for the scene to bring in (``FadeIn``).
    """

    def __init__(self, Z=None, story=None, shift=AXES_SHIFT, **surface_kwargs):
        self.story = story or numbers.story()
        Z = numbers.full_landscape() if Z is None else np.asarray(Z)
        w1, w2 = numbers.axes()
        self.axes = LossAxes3D(self.story).shift(shift)
        self.surface = LossSurface(self.axes, w1, w2, Z, self.story.levels, **surface_kwargs)
        self.labels = self.axes.axis_labels()

    def show(self, scene) -> "LossStage":
        scene.add(self.axes)
        scene.add_fixed_orientation_mobjects(*self.labels)
        return self

    def point(self, w, loss: float) -> np.ndarray:
        """Scene point of weights w at a loss height."""
        return self.axes.c2p(float(w[0]), float(w[1]), float(loss))
