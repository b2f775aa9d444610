"""Axes for the 3-D loss surface: W1, W2 and Loss along the edges of a box."""

from __future__ import annotations

from manim import IN, OUT, ThreeDAxes, VGroup

from scenes.kit import palette
from scenes.kit.text import W, caption, math

__all__ = ["LossAxes3D"]


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

    def axis_labels(self, size="heading") -> VGroup:
        """w1, w2 (bold, as everywhere) and Loss labels, for ``add_fixed_orientation_mobjects``."""
        s = self.story
        lo, hi = s.grid_min, s.grid_max
        pad = 0.18 * (hi - lo)
        lx = math(W + "_1", size=size)
        ly = math(W + "_2", size=size)
        lz = caption("Loss", size)
        lx.move_to(self.c2p((lo + hi) / 2, lo - pad, 0))
        ly.move_to(self.c2p(hi + pad, (lo + hi) / 2, 0))
        lz.move_to(self.loss_axis.get_end() + OUT * 0.3)
        return VGroup(lx, ly, lz)
