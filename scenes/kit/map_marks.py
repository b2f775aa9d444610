"""Marks that point at parts of a contour map: its level lines, its level steps, a legend.

- :func:`lit_levels`: copies of some level lines, lit, each with its value
  written where it passes closest to a point ("the contour lines around the
  dot are far apart").
- :func:`level_steps`: for the fine and the coarse level steps of the story,
  the level lines of that step lit on the map and a brace on the colour bar
  naming the step.
- :func:`legend`: rows of a coloured line and its words; :func:`map_title`: a
  map's name and a few words over it.
- :func:`draw_map`: a map comes in as if drawn, its level lines traced.
- :func:`ring`: a ring around a spot of a map (a valley floor), dashed for
  "the same weights, on another map".
"""

from __future__ import annotations

import numpy as np
from manim import (
    DL, DOWN, LEFT, ORIGIN, RIGHT, UP, UR, AnimationGroup, Brace, Circle, Create, DashedVMobject, FadeIn,
    LaggedStart, Line, Succession, VGroup,
)

import quake_math as qm
from scenes.kit import palette
from scenes.kit.text import caption, math

__all__ = ["lit_levels", "level_steps", "legend", "ring", "draw_map", "map_title"]


def lit_levels(cmap, indices, near, color=palette.ACCENT, width: float = 3, margin: float = 0.35) -> VGroup:
    """The level lines ``indices`` (into the story's levels) of ``cmap``,
    lit (with a dark edge, so they read on pale ground as on dark), each with
    its level's value beside the point of the line nearest to screen point
    ``near`` that lies ``margin`` inside the map's frame. A level with no
    line there is left out."""
    out = VGroup()
    levels = cmap.story.levels
    lo, hi = cmap.frame.get_corner(DL) + margin, cmap.frame.get_corner(UR) - margin
    for i in indices:
        line = cmap.level_lines[i].copy().set_stroke(color, width=width, opacity=1)
        line.set_stroke(palette.BACKGROUND, width=width + 3, opacity=1, background=True)
        pts = line.points[np.all((line.points[:, :2] > lo[:2]) & (line.points[:, :2] < hi[:2]), axis=1)]
        if not len(pts):
            continue
        spot = pts[np.argmin(np.linalg.norm(pts - np.asarray(near), axis=1))]
        side = LEFT if spot[0] > cmap.frame.get_center()[0] else RIGHT
        label = caption(f"{levels[i]:g}", "label", color).next_to(spot, side + 0.6 * UP, buff=0.08)
        out.add(VGroup(line, label.set_stroke(palette.BACKGROUND, width=4, background=True)))
    return out


def level_steps(cmap, bar, color=palette.ACCENT) -> list[tuple[VGroup, Brace, VGroup]]:
    """``[(lines, brace, note), ...]`` for the finest level step and then the
    others: the map's level lines of those bands, lit; a brace beside those
    cells of the colour bar; "steps of 0.25" (the step, from the story)."""
    steps = np.diff(np.asarray(cmap.story.levels, dtype=float))
    # band k (and the level line at its bottom) is fine when its step is the
    # smallest; the open band above the last level counts with the coarse ones
    fine = np.append(steps <= steps.min() + 1e-9, False)[: len(qm.band_edges(cmap.story))]
    out = []
    for want in (True, False):
        cells = VGroup(*[c for c, f in zip(bar.cells, fine) if f == want])
        brace = Brace(cells, RIGHT, buff=0.5, color=color)
        step = steps[fine[: len(steps)] == want].max()
        note = caption(f"steps of {step:g}", "note", color).next_to(brace, RIGHT, buff=0.12)
        lines = VGroup(*[ln for ln, f in zip(cmap.level_lines, fine) if f == want]).copy()
        out.append((lines.set_stroke(color, width=2.5, opacity=1), brace, note))
    return out


def legend(*entries) -> VGroup:
    """Rows of a short coloured line and its words: ``legend((color, words), ...)``."""
    rows = [VGroup(Line(ORIGIN, RIGHT * 0.6, color=c, stroke_width=6), caption(w, "note")).arrange(RIGHT, buff=0.2)
            for c, w in entries]
    return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.25)


def ring(point, radius: float = 0.22, color=palette.ACCENT, dashed: bool = False):
    """A ring around a screen point, with a dark edge so it reads on any ground."""
    c = Circle(radius=radius, color=color, stroke_width=4).move_to(point)
    c.set_stroke(palette.BACKGROUND, width=7, background=True)
    return DashedVMobject(c, num_dashes=10) if dashed else c


def draw_map(cmap, run_time: float = 2.0):
    """Bring a contour map in as if drawn: its frame, ticks and coloured bands
    fade in, then its level lines are traced one after another."""
    rest = VGroup(cmap.bands, cmap.frame, cmap.ticks, *([cmap.labels] if hasattr(cmap, "labels") else []))
    lines = [ln for ln in cmap.level_lines if len(ln.points)]
    return Succession(FadeIn(rest, run_time=0.35 * run_time),
                      AnimationGroup(LaggedStart(*[Create(ln) for ln in lines], lag_ratio=0.15),
                                     run_time=0.65 * run_time))


def map_title(tex: str, words: str, frame) -> VGroup:
    """A map's name (TeX, like ``L_B(\\mathbf{w})``) and a few muted words, over its frame."""
    title = VGroup(math(tex, size="label"), caption(words, "label", palette.MUTED)).arrange(RIGHT, buff=0.15)
    return title.next_to(frame, UP, buff=0.15)
