"""TexStep moves terms glyph by glyph: matching glyphs travel to their new
places, cancelled parts turn colour and fade before anything else moves,
copies leave their original, and the scene ends holding the target. The
Derivation plays its hints one at a time and its steps at their bookmarks."""

import numpy as np
import pytest
from manim import RIGHT, MathTex, Scene, Succession, VGroup

from scenes.kit.derivation import Derivation
from scenes.kit.tex_steps import CANCEL_COLOR, TexStep, glyphs, match_glyphs


def centre(mob):
    return mob.get_center()


def run(step, alpha):
    step.interpolate(alpha)
    return step


def same_place(a, b, tol=1e-6):
    return np.allclose(a.points, b.points, atol=tol)


def test_parts_that_trade_places_slide_glyph_for_glyph():
    a = MathTex("a", "+", "b").shift(RIGHT)
    b = MathTex("b", "+", "a").shift(RIGHT)
    step = TexStep(a, b)
    assert not step.faded_in and not step.faded_out and step.moved_share == 1.0
    step.begin()
    # at the start every piece sits on its source glyph, at the end on its target glyph
    for t in step.tracks:
        assert same_place(t.piece, t.source)
    run(step, 1.0)
    for t in step.tracks:
        assert same_place(t.piece, t.target)
    # and "a" went to where "a" is in the target (not to "b")
    a_track = next(t for t in step.tracks if t.source is glyphs(a[0])[0])
    assert a_track.target is glyphs(b[2])[0]


def test_cancelled_parts_turn_colour_and_fade_before_the_rest_moves():
    src = MathTex("x", "=", "-", "y", r"\big(", "-", "q", r"\big)")
    dst = MathTex("x", "=", "y", "q").shift(0.5 * RIGHT)
    step = TexStep(src, dst, cancel=[2, 5])
    step.begin()
    cancel = [t for t in step.tracks if t.kind == "cancel"]
    moving = [t for t in step.tracks if t.kind == "move" and not same_place(t.source, t.target)]
    assert len(cancel) == 2 and moving
    run(step, step.lead / 2)  # coloured, still visible, nothing has moved
    for t in cancel:
        assert t.piece.get_fill_color().to_hex().lower() == CANCEL_COLOR.lower()
        assert t.piece.get_fill_opacity() == pytest.approx(1.0)
    assert all(same_place(t.piece, t.source) for t in moving)
    run(step, step.lead)  # gone, and still nothing has moved
    assert all(t.piece.get_fill_opacity() == pytest.approx(0.0) for t in cancel)
    assert all(same_place(t.piece, t.source) for t in moving)
    run(step, 0.5 * (1 + step.lead))  # now they travel
    assert not any(same_place(t.piece, t.source) for t in moving)
    run(step, 1.0)
    assert all(same_place(t.piece, t.target) for t in moving)


def test_a_sign_changed_in_place_morphs_and_new_glyphs_fade_in():
    src = MathTex("a", "-", "b")
    dst = MathTex("a", "+", "b", "+", "c")
    step = TexStep(src, dst, pairs=[(1, 1)])
    assert any(g is glyphs(src[1])[0] and t is glyphs(dst[1])[0] for g, t in step.moved)
    assert [g for g in step.faded_in] == glyphs(dst[3]) + glyphs(dst[4])
    assert step.faded_out == []


def test_glyphs_pair_in_reading_order_and_the_fraction_loses_its_numerator():
    src = MathTex(r"\ln", r"\frac{1}{1+e^{-z}}")
    dst = MathTex("-", r"\ln(1+e^{-z})")
    gs, gd = glyphs(src), glyphs(dst)
    pairs, lost, new = match_glyphs(gs, gd)
    assert len(pairs) == 7  # l n 1 + e - z
    one = next(gs[i] for i, j in pairs if gd[j] is gd[4])  # the target's "1"
    bar = max(gs, key=lambda g: g.width / max(g.height, 1e-9))  # the fraction bar
    assert centre(one)[1] < centre(bar)[1]  # the denominator's 1, not the numerator's
    assert len(lost) == 2 and len(new) == 3  # numerator and bar go; -, (, ) come


def test_copies_fly_from_elsewhere_and_leave_the_original():
    helper = MathTex("q", "=", "-", "r").shift(2 * RIGHT)
    before = [g.points.copy() for g in glyphs(helper)]
    line = MathTex("L", "=", "q")
    target = MathTex("L", "=", "-", "r")
    step = TexStep(line, target, cancel=[2], copies=[(VGroup(*helper[2:]), (2, 3))])
    assert len(step.copy_moves) == 2 and not step.faded_in
    step.begin()
    run(step, 1.0)
    copies = [t for t in step.tracks if t.kind == "copy"]
    assert all(same_place(t.piece, t.target) for t in copies)
    assert all(np.array_equal(g.points, p) for g, p in zip(glyphs(helper), before))


def test_arcs_send_rightward_glyphs_above_and_leftward_below():
    a = MathTex("a", "+", "b")
    b = MathTex("b", "+", "a")
    step = TexStep(a, b, arc=1.2)
    step.begin()
    run(step, 0.5)
    for t in step.tracks:
        dx = centre(t.target)[0] - centre(t.source)[0]
        if abs(dx) > 0.5:
            straight = 0.5 * (centre(t.source)[1] + centre(t.target)[1])
            assert np.sign(centre(t.piece)[1] - straight) == np.sign(dx)


def test_the_scene_holds_the_target_after_the_step_even_if_the_source_came_in_pieces():
    scene = Scene()
    src = MathTex("a", "+", "b")
    dst = MathTex("b", "+", "a")
    scene.add(VGroup(*src[:2]), src[2])  # as FadeIn(src[:2]) and a TransformFromCopy leave it
    step = TexStep(src, dst)
    step._setup_scene(scene)
    step.begin()
    step.finish()
    step.clean_up_from_scene(scene)
    family = scene.get_mobject_family_members()
    assert dst in scene.mobjects
    assert not any(p in family for p in src) and step.mobject not in scene.mobjects


def test_a_wrong_part_index_names_the_parts():
    with pytest.raises(IndexError, match=r"parts 0 to 2 \(a \| \+ \| b\)"):
        TexStep(MathTex("a", "+", "b"), MathTex("b"), pairs=[(5, 0)])
    with pytest.raises(KeyError, match="missing from the target"):
        TexStep(MathTex("a", "+", "b"), MathTex("b"), key_map={"a": "c"})


class FakeScene:
    """Records what a Derivation plays and which bookmarks it waits for."""

    def __init__(self):
        self.log = []

    def play(self, *anims, **kwargs):
        self.calls = getattr(self, "calls", []) + [anims]
        for a in anims:  # a Succession is one play call: log what it plays, in order
            self.log += [type(c).__name__ for c in a.animations] if isinstance(a, Succession) else [type(a).__name__]
        self.plays = getattr(self, "plays", 0) + 1

    def wait_until_bookmark(self, mark):
        self.log.append(f"@{mark}")


STATES = (("a", "+", "b"), ("b", "+", "a"), ("b", "+", "a", "+", "0"), ("b", "+", "a"))
MOVES = (dict(), dict(), dict(cancel=[3, 4]))


def test_a_derivation_fades_the_old_hint_out_before_the_new_one_in_and_only_when_it_changes():
    d = Derivation(STATES, MOVES, ("swap", "swap", "$+0$"))
    scene = FakeScene()
    for k in range(3):
        d.play_step(scene, k)
    assert scene.log == ["FadeIn", "TexStep", "TexStep", "AnimationGroup", "FadeIn", "TexStep"]
    # the step plays on its own: inside a Succession its source would stay drawn under the moving glyphs
    steps = [call for call in scene.calls if any(isinstance(a, TexStep) for a in call)]
    assert len(steps) == 3 and all(len(call) == 1 for call in steps)
    assert not any(isinstance(c, TexStep) for call in scene.calls for a in call if isinstance(a, Succession)
                   for c in a.animations)
    assert d.hint.tex_string == "+0"


def test_a_derivation_plays_steps_and_points_at_parts_at_their_bookmarks():
    d = Derivation(STATES, MOVES)
    scene = FakeScene()
    text = "One <bookmark mark='s0'/>two <bookmark mark='look'/>three <bookmark mark='s1'/>."
    d.play_marks(scene, text, looks={"look": (1, (0,))}, lights={1: MathTex("q")})
    # the look draws a line under the part and colours it; the next step clears the line first
    assert scene.log == ["@s0", "TexStep", "@look", "Create", "_AnimationBuilder", "@s1", "AnimationGroup",
                         "_MethodAnimation", "TexStep", "_MethodAnimation"]
    assert d.clear_looks() is None
    # a new block clears the lines of the last one before anything else
    d.look_at(scene, 2, (4,))
    scene.log.clear()
    d.play_marks(scene, "Then <bookmark mark='s2'/>.")
    assert scene.log == ["FadeOut", "@s2", "TexStep"]


def test_a_step_played_in_a_scene_ends_with_the_target_and_its_hint():
    scene = Scene()
    d = Derivation(STATES, MOVES, ("swap", "swap", "$+0$"))
    scene.add(d.states[0])
    for k in range(3):
        for anim in d.step_animations(k):
            if anim is None:
                continue
            scene.add_mobjects_from_animations([anim])
            anim._setup_scene(scene)
            anim.begin()
            anim.finish()
            anim.clean_up_from_scene(scene)
    on_screen = scene.get_mobject_family_members()
    assert d.states[3] in scene.mobjects and d.hint in on_screen
    assert not any(s in on_screen for s in d.states[:3])


def test_a_derivation_needs_one_move_per_step():
    with pytest.raises(ValueError, match="3 states needs 2 moves"):
        Derivation(STATES[:3], MOVES)


def test_a_named_copy_must_be_given():
    d = Derivation((("a",), ("b",)), (dict(copies=[("helper", 0)]),))
    with pytest.raises(KeyError, match="helper"):
        d.get_step(0)
    assert d.get_step(0, {"helper": MathTex("b")}).copy_moves
