"""Chapter 6: every step of the derivation compiles, is correct algebra, and
keeps its matching parts; the plot draws quake_math.softplus over the story's
range; one sample's loss is constant along lines perpendicular to x."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch06_softplus import KEYS, REASONS, STEPS, TAGS, SoftplusDerivation
from scenes.kit import numbers
from tests.render_util import render_chapter


@pytest.fixture(scope="module")
def scene():
    return SoftplusDerivation.__new__(SoftplusDerivation)


def test_steps_compile_with_their_parts(scene):
    steps = scene.get_steps()
    assert len(steps) == len(STEPS) == len(KEYS) + 1 == len(REASONS) + 1 == len(TAGS) + 1
    for mob, parts in zip(steps, STEPS):
        assert [p.tex_string for p in mob] == list(parts)
        assert all(len(p.submobjects) > 0 for p in mob)  # every part has glyphs


def test_key_maps_name_real_parts():
    for k, keys in enumerate(KEYS):
        for a, b in keys.items():
            assert a in STEPS[k], (k, a)
            assert b in STEPS[k + 1], (k, b)
        # every step keeps most of its parts: the eye can follow it
        moved = set(STEPS[k]) & set(STEPS[k + 1]) | set(keys)
        assert len(moved) >= 3


# The same steps as numpy, term by term, with z = x^T w and p = sigma(z).
def _sp(z):
    return np.log1p(np.exp(-z))


ALGEBRA = (
    lambda y, z, p: -y * np.log(p) - (1 - y) * np.log(1 - p),
    lambda y, z, p: -y * (-_sp(z)) - (1 - y) * (-z - _sp(z)),
    lambda y, z, p: y * _sp(z) + (1 - y) * (z + _sp(z)),
    lambda y, z, p: y * _sp(z) + (1 - y) * z + (1 - y) * _sp(z),
    lambda y, z, p: (1 - y) * z + (y + (1 - y)) * _sp(z),
    lambda y, z, p: (1 - y) * z + _sp(z),
)


def test_each_step_is_the_same_loss():
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    for y in (0.0, 1.0):
        ref = ALGEBRA[0](y, z, p)
        for f in ALGEBRA[1:]:
            assert np.allclose(f(y, z, p), ref)
        # and it is quake_math's loss (inside the clip)
        X = np.array([[1.0, 0.0]])
        w = np.stack([z, np.zeros_like(z)], axis=1)
        assert np.allclose(qm.per_sample_loss(w, X, np.array([y]))[:, 0], ref)
    assert len(ALGEBRA) == len(STEPS) - 1  # the last step only writes z out


def test_softplus_plot_is_quake_math_softplus(scene):
    S = numbers.story()
    p = scene.get_softplus_plot()
    assert p["zs"][0] == S.softplus_range[0] and p["zs"][-1] == S.softplus_range[1]
    assert np.array_equal(p["values"], qm.softplus(-p["zs"]))
    axes = p["axes"]
    pts = np.array([axes.p2c(q)[:2] for q in p["curve"]["line_graph"].get_anchors()])
    assert np.allclose(np.unique(np.round(pts[:, 0], 6)), np.round(p["zs"], 6))
    assert np.allclose(pts[:, 1], qm.softplus(-pts[:, 0]), atol=1e-6)
    # asymptotes: y = 0 and y = -z
    for line, f in ((p["flat"], lambda z: 0 * z), (p["ramp"], lambda z: -z)):
        ends = np.array([axes.p2c(line.get_start())[:2], axes.p2c(line.get_end())[:2]])
        assert np.allclose(ends[:, 1], f(ends[:, 0]), atol=1e-6)
    assert p["x0"] == qm.softplus_linear_beyond(scene.near_linear_tol)


def test_example_contours_are_perpendicular_to_x(scene):
    S = numbers.story()
    x, lab, Z, m = scene.get_example()
    X, y = qm.make_dataset(S)
    k = qm.single_samples(S)[scene.example]
    assert np.array_equal(x, X[k]) and lab == y[k]
    assert np.allclose(Z, qm.sample_landscapes(X, y, S, idx=[k])[0])
    u, perp, w0, a, b = scene.get_slide(x)
    assert abs(u @ perp) < 1e-12 and x @ w0 == pytest.approx(scene.dot_z)
    t = np.linspace(0, 1, 21)[:, None]
    along = qm.per_sample_loss(a + t * (b - a), x[None], np.array([lab]), S.clip)[:, 0]
    across = qm.per_sample_loss(a + (t - 0.5) * 4 * u, x[None], np.array([lab]), S.clip)[:, 0]
    assert np.ptp(along) < 1e-9  # constant along the line at a right angle to x
    assert np.ptp(across) > 1.0  # and not across it
    # both ends of the slide are on the map
    lo, hi = m.window
    assert lo <= min(a.min(), b.min()) and max(a.max(), b.max()) <= hi


@pytest.mark.render
def test_softplus_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch06_softplus.py", "SoftplusDerivation", tmp_path, 60)
    assert "Minus times minus" in srt
