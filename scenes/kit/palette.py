"""Colours shared by every chapter (text styles: ``scenes.kit.text``).

One sequential colormap colours the loss everywhere (surfaces, contour bands,
colour bar), so the same loss has the same colour in every picture. It is
indexed by contour band, not by raw value: the story's levels are fine near
the minimum (steps of 0.25 up to 5) and coarse above, and each band gets its
own step of the map.
"""

from __future__ import annotations

import numpy as np
from manim import ManimColor

BACKGROUND = "#0e1117"
TEXT = "#e8e6e3"
MUTED = "#9aa0a6"
ACCENT = "#ffd166"  # highlights, the current weights
SGD_COLOR = "#ff6b6b"  # mini-batch SGD path and its arrows
GD_COLOR = "#4cc9f0"  # full-batch gradient descent
MOMENTUM_COLOR = "#80ed99"  # SGD with momentum
GRADIENT_COLOR = "#ffffff"  # gradient arrows
CLASS0 = "#4cc9f0"
CLASS1 = "#f4a261"
SMALL_BATCH = "#ff6b6b"
LARGE_BATCH = "#4cc9f0"

# A dark-to-light sequential map (deep indigo -> teal -> green -> sand):
# perceptually ordered, readable on the dark background, colour-blind safe
# in its lightness ramp.
_ANCHORS = np.array([
    [0.00, 0x1b, 0x0c, 0x41],
    [0.15, 0x2c, 0x2f, 0x7a],
    [0.32, 0x21, 0x66, 0x8e],
    [0.50, 0x1f, 0x9a, 0x8a],
    [0.68, 0x5e, 0xc9, 0x62],
    [0.84, 0xc2, 0xdf, 0x23],
    [1.00, 0xfb, 0xf2, 0xc0],
], dtype=float)


def colormap(u) -> np.ndarray:
    """RGB in [0, 1] for u in [0, 1] (any shape; returns shape (..., 3))."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    rgb = [np.interp(u, _ANCHORS[:, 0], _ANCHORS[:, k] / 255.0) for k in (1, 2, 3)]
    return np.stack(rgb, axis=-1)


def level_position(values, levels) -> np.ndarray:
    """Where each loss value sits on the colour scale, in [0, 1]: the
    fractional band index among ``levels`` (piecewise linear)."""
    levels = np.asarray(levels, dtype=float)
    idx = np.interp(np.asarray(values, dtype=float), levels, np.arange(len(levels)))
    return idx / (len(levels) - 1)


def loss_rgb(values, levels) -> np.ndarray:
    """RGB colour of loss values on the shared scale."""
    return colormap(level_position(values, levels))


def band_color(lo: float, hi: float, levels) -> ManimColor:
    """The colour of the band between two levels (its middle)."""
    u = level_position(0.5 * (lo + min(hi, levels[-1] + (levels[-1] - levels[-2]))), levels)
    return ManimColor.from_rgb(tuple(colormap(u)))


def class_color(label) -> str:
    """The colour of class 0 or class 1 (a label 0/1, or 0.0/1.0)."""
    return CLASS1 if int(label) == 1 else CLASS0
