"""One typography for the whole video: words, numbers and maths.

Prose, tick labels and on-screen numbers are set in one family (``FONT``) on
one size scale, named by role rather than by number; maths is LaTeX
(``MathTex``) on the same scale. Pick a role, not a size::

    title = caption("Batch size is the magnitude", "title")
    note = caption("only the direction matters", "note", palette.MUTED)
    loss = Number(2.47, size="body")            # a number that can change
    rule = math(W, r"\\leftarrow", W, "-", r"\\eta", r"\\nabla", LOSS_BATCH)

Notation is fixed here too, so every chapter writes the weights, an input
and the three losses the same way: bold ``w`` and ``x``; ``L(w)`` the loss on
all the data, ``L_B(w)`` the loss of a mini-batch, ``ℓ_i(w)`` the loss of one
sample.
"""

from __future__ import annotations

from manim import DecimalNumber, MathTex, Text, VGroup, VMobject

from scenes.kit import palette

__all__ = [
    "FONT", "SIZES", "MATH_SCALE", "size_of", "caption", "math", "Number",
    "W", "X", "LOSS_FULL", "LOSS_BATCH", "LOSS_SAMPLE", "sci_tex", "grouped_tex",
]

FONT = "DejaVu Sans"

#: The size scale, by role (font sizes at manim's default 14.2 x 8 frame).
SIZES: dict[str, float] = {
    "title": 40,  # a chapter's title line
    "heading": 32,  # the heading over a panel
    "body": 28,  # a sentence on screen, a readout
    "note": 24,  # a side remark, a legend entry
    "label": 22,  # labels on a picture (map titles, marks)
    "tick": 20,  # tick labels on axes and colour bars
}
#: LaTeX glyphs look smaller than the text font at the same size: maths is
#: set this much larger so the two match side by side.
MATH_SCALE = 1.3

# Notation (TeX)
W = r"\mathbf{w}"
X = r"\mathbf{x}"
LOSS_FULL = r"L(\mathbf{w})"
LOSS_BATCH = r"L_B(\mathbf{w})"
LOSS_SAMPLE = r"\ell_i(\mathbf{w})"


def size_of(size: str | float) -> float:
    """The font size of a role (a number is taken as it is)."""
    if isinstance(size, str):
        try:
            return SIZES[size]
        except KeyError:
            raise ValueError(f"unknown text size {size!r}: choose one of {', '.join(SIZES)}") from None
    return float(size)


def caption(text: str, size: str | float = "body", color=palette.TEXT, **kwargs) -> Text:
    """Words on screen in the house font."""
    return Text(text, font=FONT, font_size=size_of(size), color=color, **kwargs)


def math(*tex: str, size: str | float = "body", color=palette.TEXT, **kwargs) -> MathTex:
    """Maths on the house scale; several strings make separately addressable
    parts (for TransformMatchingTex and highlighting)."""
    return MathTex(*tex, font_size=size_of(size) * MATH_SCALE, color=color, **kwargs)


class _Digits(Text):
    """The glyphs of a :class:`Number`: the house font, a true minus sign."""

    def __init__(self, string: str, **kwargs) -> None:
        super().__init__(string.replace("-", "\u2212"), font=FONT, **kwargs)


class Number(DecimalNumber):
    """A number in the house font that can change (``set_value``), for
    readouts and counters. ``decimals`` digits after the point."""

    def __init__(self, value: float = 0.0, decimals: int = 2, size: str | float = "body",
                 color=palette.ACCENT, **kwargs) -> None:
        self._digit_cache: dict[str, VMobject] = {}
        super().__init__(value, num_decimal_places=decimals, mob_class=_Digits, font_size=size_of(size),
                         color=color, **kwargs)

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        # manim's cache is shared with MathTex numbers and keyed by the string
        # alone: keep our own, so a "2" here is always a house-font "2". The
        # cache holds the glyph's outline at this number's size as plain
        # VMobjects: copying those takes 35 us, copying the Text 460 us (a
        # readout that follows a walk sets its value 20 times a second).
        if string not in self._digit_cache:
            glyph = _Digits(string, **kwargs)
            glyph.font_size = self._font_size
            outline = VGroup()
            for part in glyph.family_members_with_points():
                piece = VMobject()
                piece.points = part.points.copy()
                outline.add(piece.match_style(part, family=False))
            self._digit_cache[string] = outline
        return self._digit_cache[string].copy()


def sci_tex(n: int, digits: int = 1) -> str:
    """TeX for a large whole number in powers of ten, like ``1.5 \\times 10^{21}``."""
    exp = len(str(int(n))) - 1
    return rf"{n / 10**exp:.{digits}f} \times 10^{{{exp}}}"


def grouped_tex(n: int) -> str:
    """TeX for a whole number with thin spaces between groups of three digits."""
    return r"\,".join(f"{int(n):,}".split(","))
