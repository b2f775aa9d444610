"""One algebra step: parts with the same TeX move, mapped parts morph.

:class:`TexStep` is TransformMatchingTex with a sturdier ``key_map``: in
manim 0.22 a key-mapped pair goes through ``FadeTransformPieces``, which fails
("zip() argument 2 is shorter than argument 1") when the two parts hold
different numbers of glyphs, as they usually do in a derivation
(``\\ln p`` becoming ``-\\ln(1+e^{-z})``). Here a mapped pair morphs with a
plain ``Transform`` of its shapes, which handles any glyph counts.

    self.play(TexStep(MathTex("L", "=", r"\\ln p"), MathTex("L", "=", r"-\\ln(1+e^{-z})"),
                      key_map={r"\\ln p": r"-\\ln(1+e^{-z})"}))
"""

from __future__ import annotations

from manim import AnimationGroup, FadeIn, FadeOut, MathTex, Transform, VGroup

__all__ = ["TexStep", "tex_parts"]


def tex_parts(mob: MathTex) -> dict[str, VGroup]:
    """The parts of a MathTex grouped by their TeX string, in order."""
    out: dict[str, VGroup] = {}
    for sm in mob.submobjects:
        out.setdefault(sm.tex_string, VGroup()).add(sm)
    return out


class TexStep(AnimationGroup):
    """Move parts whose TeX matches, morph the parts named in ``key_map``
    (source TeX -> target TeX), fade the rest out and in.

    After the step the scene holds ``target`` (not the source), exactly as
    with TransformMatchingTex.
    """

    def __init__(self, mobject: MathTex, target: MathTex, key_map: dict | None = None, **kwargs):
        src, dst = tex_parts(mobject), tex_parts(target)
        key_map = dict(key_map or {})
        for k1, k2 in key_map.items():
            if k1 not in src or k2 not in dst:
                raise KeyError(f"key_map pair {k1!r} -> {k2!r}: part missing from the "
                               f"{'source' if k1 not in src else 'target'}")
        pairs = [(k, k) for k in src if k in dst and k not in key_map and k not in key_map.values()]
        pairs += list(key_map.items())
        used_src = {a for a, _ in pairs}
        used_dst = {b for _, b in pairs}
        anims = [Transform(src[a], dst[b], **kwargs) for a, b in pairs]
        gone = VGroup(*[g for k, g in src.items() if k not in used_src])
        new = VGroup(*[g for k, g in dst.items() if k not in used_dst])
        self.pairs = pairs
        self.faded_out = [k for k in src if k not in used_src]
        self.faded_in = [k for k in dst if k not in used_dst]
        new_copy = new.copy()
        if len(gone):
            anims.append(FadeOut(gone, **kwargs))
        if len(new):
            anims.append(FadeIn(new_copy, **kwargs))
        super().__init__(*anims)
        self.source, self.target, self._new_copy = mobject, target, new_copy

    def clean_up_from_scene(self, scene) -> None:
        for anim in self.animations:
            anim.interpolate(0)  # leave the source unchanged, as TransformMatchingTex does
        scene.remove(self.mobject)
        scene.remove(self.source, self._new_copy)
        scene.add(self.target)
