"""Chapter 6: every state of the derivation is the same loss (numpy, term by
term), every step moves its terms instead of dissolving them, the plots draw
quake_math's numbers (softplus and its asymptotes, the tilted plane x^T w,
the example's straight contours and its clipped plateau), and every picture
stays inside the frame."""

import numpy as np
import pytest
from manim import MathTex, VGroup, config

import quake_math as qm
from scenes.ch06_softplus import LOOKS, SAYS, SoftplusDerivation
from scenes.kit import numbers
from scenes.kit.logistic_loss import (
    HELPER_MOVES, HELPERS, HINTS, MOVES, STATES, level_line, line_in_window, plateau,
)
from scenes.kit.tex_steps import TexStep
from tests.render_util import render_chapter

MARGIN = 0.3  # keep this clear of the frame edge


@pytest.fixture(scope="module")
def scene():
    return SoftplusDerivation.__new__(SoftplusDerivation)


@pytest.fixture(scope="module")
def built(scene):
    h, defs = scene.get_helpers(), scene.get_definition()
    return scene.get_derivation(), h, defs, scene.get_terms(h, defs)


def inside_frame(mob, margin=MARGIN):
    w, h = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    lo, hi = mob.get_corner([-1, -1, 0]), mob.get_corner([1, 1, 0])
    return lo[0] >= -w and lo[1] >= -h and hi[0] <= w and hi[1] <= h


def overlap(a, b):
    (a0, a1), (b0, b1) = [(m.get_corner([-1, -1, 0])[:2], m.get_corner([1, 1, 0])[:2]) for m in (a, b)]
    return bool(np.all(a0 < b1) and np.all(b0 < a1))


# Every state as numpy, with z = x^T w, p = sigma(z), sp = ln(1 + e^-z).
def _sp(z):
    return np.log1p(np.exp(-z))


ALGEBRA = (
    lambda y, z, p: -y * np.log(p) - (1 - y) * np.log(1 - p),
    lambda y, z, p: -y * (-_sp(z)) - (1 - y) * np.log(1 - p),
    lambda y, z, p: -y * (-_sp(z)) - (1 - y) * (-z - _sp(z)),
    lambda y, z, p: y * _sp(z) - (1 - y) * (-z - _sp(z)),
    lambda y, z, p: y * _sp(z) + (1 - y) * (z + _sp(z)),
    lambda y, z, p: y * _sp(z) + (1 - y) * z + (1 - y) * _sp(z),
    lambda y, z, p: (1 - y) * z + (y + (1 - y)) * _sp(z),
    lambda y, z, p: (1 - y) * z + 1 * _sp(z),
    lambda y, z, p: (1 - y) * z + _sp(z),
)


def test_every_state_is_the_same_loss_and_quake_maths():
    assert len(ALGEBRA) == len(STATES) - 1  # the last state only writes z out
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    for y in (0.0, 1.0):
        ref = ALGEBRA[0](y, z, p)
        for f in ALGEBRA[1:]:
            assert np.allclose(f(y, z, p), ref)
        w = np.stack([z, np.zeros_like(z)], axis=1)  # x = (1, 0): x^T w = z
        assert np.allclose(qm.per_sample_loss(w, np.array([[1.0, 0.0]]), np.array([y]))[:, 0], ref)


def test_the_helper_lines_are_right():
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    assert np.allclose(np.log(p), np.log(1 / (1 + np.exp(-z))))  # h1a
    assert np.allclose(np.log(p), -_sp(z))  # h1b
    assert np.allclose(1 - p, np.exp(-z) / (1 + np.exp(-z)))  # h2a
    assert np.allclose(np.log(1 - p), np.log(np.exp(-z)) - _sp(z))  # h2b
    assert np.allclose(np.log(1 - p), -z - _sp(z))  # h2c
    assert set(HELPER_MOVES) <= set(HELPERS)


def test_states_compile_with_their_parts(built):
    d = built[0]
    assert len(STATES) == len(MOVES) + 1 == len(HINTS) + 1
    for mob, parts in zip(d.states, STATES):
        assert [p.tex_string for p in mob] == list(parts)
        assert all(len(p.submobjects) > 0 for p in mob)  # every part has glyphs


def test_every_step_moves_its_terms(built):
    d, h, defs, terms = built
    for k in range(len(MOVES)):
        step = d.get_step(k, terms)
        # nearly every glyph of the new line arrives by moving; few vanish without a reason
        assert step.moved_share >= 0.85, (k, step.moved_share)
        assert len(step.faded_out) <= 3, k
        for i in step.cancel:  # what cancels is a sign, a y, a replaced log, a factor of one or a z
            assert STATES[k][i] in ("-", "y", "-y", r"\ln p", r"\ln(1-p)", r"\big(", "1", r"\big)", "z"), (k, i)
    # the first two steps bring in the helper lines' right sides, the last x^T w from the definition
    for k, src in ((0, h["h1b"]), (1, h["h2c"]), (8, defs[0])):
        step = d.get_step(k, terms)
        family = set(map(id, src.get_family()))
        assert step.copy_moves and all(id(g) in family for g, _ in step.copy_moves)
    for name, mv in HELPER_MOVES.items():
        src = {"h1b": "h1a", "h2b": "h2a", "h2c": "h2b"}[name]
        assert TexStep(h[src], h[name], **mv).moved_share >= 0.5  # taking logs writes new "ln"s


def test_the_narration_plays_every_step_once_in_order():
    import re

    marks = [m for text in SAYS for m in re.findall(r"mark='(\w+)'", text)]
    steps = [int(m[1:]) for m in marks if m not in LOOKS]
    assert steps == list(range(len(MOVES)))
    assert all(m in marks for m in LOOKS)


def test_derivation_fits_the_frame(built, scene):
    d, h, defs, _ = built
    for mob in [*d.states, *h.values(), defs]:
        assert inside_frame(mob), mob
    assert defs.get_bottom()[1] > max(m.get_top()[1] for m in h.values())
    assert min(m.get_bottom()[1] for m in h.values()) > max(s.get_top()[1] for s in d.states)


def test_softplus_plot_is_quake_math_softplus(scene):
    S = numbers.story()
    p = scene.get_softplus_plot()
    axes = p["axes"]
    assert p["zs"][0] == S.softplus_range[0] and p["zs"][-1] == S.softplus_range[1]
    assert np.array_equal(p["values"], qm.softplus(-p["zs"]))
    pts = np.array([axes.p2c(q)[:2] for q in p["curve"]["line_graph"].get_anchors()])
    assert np.allclose(pts[:, 1], qm.softplus(-pts[:, 0]), atol=1e-6)
    # asymptotes y = 0 and y = -z, labelled with their equations
    for line, f in ((p["flat"], lambda z: 0 * z), (p["ramp"], lambda z: -z)):
        ends = np.array([axes.p2c(line.get_start())[:2], axes.p2c(line.get_end())[:2]])
        assert np.allclose(ends[:, 1], f(ends[:, 0]), atol=1e-6)
    assert p["flat_lab"].tex_string == "y = 0" and p["ramp_lab"].tex_string == "y = -z"
    assert p["x0"] == qm.softplus_linear_beyond(scene.near_linear_tol)
    # centred, typeset, nothing on the ticks
    assert abs(axes.c2p(0, 0)[0]) < 0.05
    assert all(isinstance(m, MathTex) for m in p["note"])
    labels = [p["note"], p["flat_lab"], p["ramp_lab"], p["curve_lab"]]
    for lab in labels:
        assert not any(overlap(lab, t) for t in axes.tick_labels), lab
    assert axes.p2c(p["note"].get_left())[0] > p["x0"]  # right of the bend's edge
    assert all(inside_frame(m) for m in (axes, *labels))


def test_the_plane_is_x_transpose_w(scene):
    x = scene.get_example()[0]
    plane, bar, arrow, levels = scene.get_plane(x)
    step = np.diff(levels)
    assert np.allclose(step, step[0]) and np.allclose(np.array(levels) / step[0], np.round(np.array(levels) / step[0]))
    assert levels[0] <= plane.Z.min() and plane.Z.max() <= levels[-1]
    drawn = 0
    for level, segs in zip(levels, plane.lines_in_weights()):
        if len(segs):
            assert np.allclose(segs.reshape(-1, 2) @ x, level, atol=1e-6 * max(1.0, abs(level)))
            drawn += 1
    assert drawn >= 5
    tip = plane.p2w(arrow.get_end()) - plane.p2w(arrow.get_start())
    assert np.allclose(tip / np.linalg.norm(tip), x / np.linalg.norm(x), atol=1e-3)
    assert inside_frame(VGroup(plane, bar))


def test_example_contours_are_perpendicular_to_x(scene):
    S = numbers.story()
    x, lab, Z, m = scene.get_example()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    same = [k for k in idx if y[k] == scene.example_label]
    k = max(same, key=lambda i: float(np.hypot(*X[i])))  # the longest x of its class
    assert np.array_equal(x, X[k]) and lab == y[k] == scene.example_label
    assert np.allclose(Z, qm.sample_landscapes(X, y, S, idx=[k])[0])
    u, perp, w0, a, b = level_line(x, scene.dot_z, scene.along_range)  # where the dot slides
    assert abs(u @ perp) < 1e-12 and x @ w0 == pytest.approx(scene.dot_z)
    t = np.linspace(0, 1, 21)[:, None]
    along = qm.per_sample_loss(a + t * (b - a), x[None], np.array([lab]), S.clip)[:, 0]
    across = qm.per_sample_loss(a + (t - 0.5) * 4 * u, x[None], np.array([lab]), S.clip)[:, 0]
    assert np.ptp(along) < 1e-9  # constant along the line at a right angle to x
    assert np.ptp(across) > 1.0  # and not across it
    lo, hi = m.window
    assert lo <= min(a.min(), b.min()) and max(a.max(), b.max()) <= hi
    ends = line_in_window(x, scene.dot_z, m.window)  # the ruler laid along that contour, across the map
    assert np.allclose(ends @ x, scene.dot_z) and np.all(np.isclose(np.abs(ends), hi).any(axis=1))


def test_the_plateau_is_clipped_and_its_edge_is_straight(scene):
    S = numbers.story()
    x, lab, _, m = scene.get_example()
    (e0, e1), region, spot = plateau(x, lab, m.windows[0], S.clip)
    loss = lambda w: qm.per_sample_loss(np.atleast_2d(w), x[None], np.array([lab]), S.clip)[:, 0]  # noqa: E731
    assert np.allclose(loss(region), S.max_loss) and loss(spot)[0] == pytest.approx(S.max_loss)
    t = np.linspace(0, 1, 11)[:, None]
    assert np.allclose(loss(e0 + t * (e1 - e0)), S.max_loss)  # the straight edge is on the plateau ...
    inward = (m.window[0] + m.window[1]) / 2 - (e0 + e1) / 2
    assert np.all(loss(e0 + t * (e1 - e0) + 0.2 * inward) < S.max_loss - 1e-3)  # ... and off it, lower
    lo, hi = m.window
    assert np.all((region >= lo - 1e-9) & (region <= hi + 1e-9))


@pytest.mark.render
def test_softplus_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch06_softplus.py", "SoftplusDerivation", tmp_path, 60)
    assert "Minus times minus" in srt
