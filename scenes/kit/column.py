"""A column of words beside a picture: a heading at its top, lines under it.

Chapters with a map on the left and words on the right place every caption,
counter and rule through one :class:`TextColumn`, so they line up::

    col = TextColumn(left=2.0, width=4.8)
    head = col.heading("Training on the quake", "batches of 10")
    counter = col.place(caption("step 1 of 30"), head.get_bottom()[1] - 0.45)
    self.play(*col.swap(old_head, head))
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Animation, FadeIn, FadeOut, Mobject, VGroup

from scenes.kit import palette
from scenes.kit.text import caption

__all__ = ["TextColumn"]


class TextColumn:
    """Left-aligned placement in a column ``left`` .. ``left + width``; the
    heading's top at ``top``."""

    def __init__(self, left: float, width: float, top: float = 3.6):
        self.left, self.width, self.top = float(left), float(width), float(top)

    def place(self, mob: Mobject, y: float) -> Mobject:
        """Put ``mob`` in the column, left-aligned, its top at height y
        (shrunk to the column's width if wider)."""
        if mob.width > self.width:
            mob.scale_to_fit_width(self.width)
        return mob.move_to(np.array([self.left + mob.width / 2, y - mob.height / 2, 0]))

    def heading(self, title: str, sub: str | None = None) -> VGroup:
        """A heading, with a muted line under it."""
        head = VGroup(caption(title, "heading"))
        if sub:
            head.add(caption(sub, "note", palette.MUTED))
        head.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return self.place(head, self.top)

    @staticmethod
    def swap(old: Mobject | None, new: Mobject) -> list[Animation]:
        """Animations that replace one heading by the next."""
        return [FadeIn(new, shift=0.1 * DOWN)] + ([FadeOut(old)] if old is not None else [])
