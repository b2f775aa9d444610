"""The algebra of one sample's logistic loss, as MathTex parts and TexStep moves.

With z = x^T w and p = sigma(z), the cross-entropy of one sample,
l = -y ln p - (1 - y) ln(1 - p), becomes l = (1 - y) x^T w + ln(1 + e^(-x^T w))
in nine steps. ``STATES`` holds every equation along the way as a list of
parts; ``MOVES[k]`` the :class:`~scenes.kit.tex_steps.TexStep` arguments that
turn state k into state k + 1 (part indices); ``HINTS[k]`` the hint shown
with step k. Play them with :class:`~scenes.kit.derivation.Derivation`::

    d = Derivation(STATES, MOVES, HINTS, paint=paint)
    d.play_step(scene, k, terms={"h1": ..., "h2": ..., "xw": ...})

The first two steps put in the two logs worked out on helper lines
(``HELPERS``, ``HELPER_MOVES``), the last writes z out again: their copies
name those terms ("h1", "h2": the helpers' right sides; "xw": x^T w on the
definition line) for the scene to pass as ``terms``. The log term
ln(1+e^{-z}) is split in three parts (``P``, "z", ``Q``) so its z can move
on its own; ``paint`` colours it wherever it is. Chapter 6 plays all of it,
and tests check every state against numpy.

The geometry that follows from the last state: one sample's loss depends on
w only through x^T w, so ``level_line`` (where x^T w is constant) is a
straight line at a right angle to x, and ``plateau`` (where the clip holds
the loss at its largest) is the part of a map window beyond one such line.
"""

from __future__ import annotations

import numpy as np

import quake_math as qm
from scenes.kit import palette
from scenes.kit.text import W, X

__all__ = ["XW", "P", "Q", "P9", "Q9", "BL", "BR", "STATES", "MOVES", "HINTS", "HELPERS", "HELPER_MOVES", "paint",
           "level_line", "line_in_window", "plateau"]

XW = X + r"^\top" + W
P, Q = r"\ln(1+e^{-", "})"  # the log term ln(1+e^{-z}) in three parts: its z can be named
P9, Q9 = r"\ln\big(1+e^{-", r"}\big)"
BL, BR = r"\big(", r"\big)"
SOFT = (P, P9, Q, Q9)

# The derivation, one state per line (each a list of MathTex parts) ...
STATES = (
    (r"\ell", "=", "-", "y", r"\ln p", "-", "(1-y)", r"\ln(1-p)"),
    (r"\ell", "=", "-", "y", BL, "-", P, "z", Q, BR, "-", "(1-y)", r"\ln(1-p)"),
    (r"\ell", "=", "-", "y", BL, "-", P, "z", Q, BR, "-", "(1-y)", BL, "-", "z", "-", P, "z", Q, BR),
    (r"\ell", "=", "y", P, "z", Q, "-", "(1-y)", BL, "-", "z", "-", P, "z", Q, BR),
    (r"\ell", "=", "y", P, "z", Q, "+", "(1-y)", BL, "z", "+", P, "z", Q, BR),
    (r"\ell", "=", "y", P, "z", Q, "+", "(1-y)", "z", "+", "(1-y)", P, "z", Q),
    (r"\ell", "=", "(1-y)", "z", "+", BL, "y", "+", "(1", "-y", ")", BR, P, "z", Q),
    (r"\ell", "=", "(1-y)", "z", "+", BL, "1", BR, P, "z", Q),
    (r"\ell", "=", "(1-y)", "z", "+", P, "z", Q),
    (r"\ell", "=", "(1-y)", XW, "+", P9, XW, Q9),
)
# ... and how each step moves (TexStep arguments, part indices before -> after);
# "h1", "h2" and "xw" name terms of the helper lines and of the definition of z.
MOVES = (
    dict(cancel=[4], cancel_color=palette.ACCENT, copies=[("h1", (5, 6, 7, 8))]),
    dict(cancel=[12], cancel_color=palette.ACCENT, copies=[("h2", (13, 14, 15, 16, 17, 18))]),
    dict(cancel=[2, 5]),
    dict(cancel=[6, 9], mark=[11], pairs=[(11, 10)]),
    dict(copies=[(7, 10)], arc=1.2),
    dict(mark=[2, 10], mark_color=palette.GD_COLOR, arc=1.0, pairs=[(2, 6), (10, (8, 9, 10)), ((3, 4, 5), (12, 13, 14)),
                                                           ((11, 12, 13), (12, 13, 14)), (6, 7), (9, 4), (7, 2),
                                                           (8, 3)]),
    dict(cancel=[6, 9], pairs=[(8, 6)]),
    dict(cancel=[5, 6, 7], cancel_color=palette.MUTED),
    dict(cancel=[3, 6], cancel_color=palette.GD_COLOR, copies=[("xw", 3), ("xw", 6)], pairs=[(5, 5), (7, 7)]),
)
# The hint under the equation, per step: words, or maths between $ signs.
HINTS = ("put in the two logs", "put in the two logs", "minus times minus is plus", "minus times minus is plus",
         "multiply out the bracket", "gather the log terms", "$y + (1-y) = 1$", "$y + (1-y) = 1$",
         r"$z = \mathbf{x}^\top\mathbf{w}$")
# The two logs, each worked out on its own line (the states of each helper, in order) ...
HELPERS = {
    "h1a": (r"\ln p", "=", r"\ln", r"\frac{1}{1+e^{-z}}"),
    "h1b": (r"\ln p", "=", "-", P, "z", Q),
    "h2a": ("1-p", "=", r"\frac{e^{-z}}{1+e^{-z}}"),
    "h2b": (r"\ln(1-p)", "=", r"\ln e^{", "-z", "}", "-", P, "z", Q),
    "h2c": (r"\ln(1-p)", "=", "-", "z", "-", P, "z", Q),
}
# ... and how they move: h1a -> h1b, h2a -> h2b -> h2c.
HELPER_MOVES = {"h1b": dict(pairs=[((2, 3), (3, 4, 5))]), "h2b": dict(pairs=[(0, 0), (2, (2, 3, 4, 5, 6, 7, 8))]),
                "h2c": dict(pairs=[(3, (2, 3))])}


def paint(m):
    """The log term in the accent colour, wherever it is (its z too)."""
    for k, part in enumerate(m):
        if part.tex_string in SOFT or (k and m[k - 1].tex_string in (P, P9)):
            part.set_color(palette.ACCENT)
    return m


def level_line(x, z: float, half_length: float):
    """The straight line x^T w = z: the unit direction u of x, the direction
    perp at a right angle to it, the point w0 of the line nearest the origin,
    and the ends w0 -/+ half_length * perp."""
    x = np.asarray(x, dtype=float)
    u = x / np.linalg.norm(x)
    perp = np.array([-u[1], u[0]])
    w0 = z * x / float(x @ x)
    return u, perp, w0, w0 - half_length * perp, w0 + half_length * perp


def line_in_window(x, z: float, window):
    """The two ends of the straight line x^T w = z inside the square window
    (lo, hi) of weights, on its border (ValueError if it misses the window)."""
    x = np.asarray(x, dtype=float)
    lo, hi = window
    corners = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], dtype=float)
    side = corners @ x - z
    ends = [corners[i] + (corners[j] - corners[i]) * side[i] / (side[i] - side[j])
            for i, j in ((0, 1), (1, 2), (2, 3), (3, 0)) if side[i] * side[j] < 0]
    if len(ends) != 2:
        raise ValueError(f"the line x^T w = {z:.3g} does not cross the window {window}")
    return np.array(ends)


def plateau(x, label, window, clip: float):
    """Where one sample's clipped loss is flat at its largest inside the
    square map window (lo, hi): beyond the line x^T w = z_c (label 0) or
    x^T w = -z_c (label 1), z_c = quake_math.logit_clip(clip). Returns the two
    ends of that straight edge on the window's border, the corners of the
    region (weights, in order around it), and a spot well inside it."""
    x = np.asarray(x, dtype=float)
    zc = qm.logit_clip(clip) * (1 - 2 * int(label))
    ends = line_in_window(x, zc, window)
    lo, hi = window
    corners = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]], dtype=float)
    region = np.concatenate([corners[(corners @ x - zc) * np.sign(zc) >= 0], ends])
    region = region[np.argsort(np.arctan2(*(region - region.mean(axis=0)).T[::-1]))]
    spot = (region.mean(axis=0) + ends.mean(axis=0)) / 2
    return ends, region, spot
