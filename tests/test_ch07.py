"""Chapter 7: the running average ends at the samples' batch landscape; the
arrows on screen are quake_math's per-sample gradients, in class colours; added
tip to tail and divided by their count they give the gradient of the averaged
landscape; it renders."""

import numpy as np
import pytest
from manim import ManimColor

import quake_math as qm
from scenes.ch07_averaging import Averaging
from scenes.kit import numbers, palette
from scenes.kit.sample_maps import arrow_vectors
from tests.render_util import render_chapter


@pytest.fixture(scope="module")
def scene():
    return Averaging.__new__(Averaging)


@pytest.fixture(scope="module")
def data():
    S = numbers.story()
    X, y = qm.make_dataset(S)
    return S, X, y, qm.single_samples(S)


def test_running_means_end_at_the_batch_landscape(scene, data):
    S, X, y, idx = data
    means = scene.get_running_means()
    grids = qm.sample_landscapes(X, y, S, idx=idx)
    assert len(means) == len(idx)
    assert np.allclose(means[0], grids[0])
    for k in range(1, len(idx) + 1):
        assert np.allclose(means[k - 1], grids[:k].mean(axis=0))
    assert np.allclose(means[-1], qm.batch_landscape(X, y, idx, S))


def test_probe_is_a_grid_point(scene):
    w1, w2 = numbers.axes()
    w = scene.get_probe()
    assert np.allclose(w, scene.probe)
    i, j = scene.get_probe_index()
    assert (w1[j], w2[i]) == tuple(w)


def test_gradients_are_quake_math_and_mean_is_gradient_of_average(scene, data):
    S, X, y, idx = data
    w = scene.get_probe()
    per, mean, batch = scene.get_gradients()
    assert np.allclose(per, qm.per_sample_gradient(w, X[idx], y[idx], S.clip))
    assert np.all(np.linalg.norm(per, axis=1) > 0.5)  # nine visible arrows at this point
    assert np.allclose(mean, per.mean(axis=0))
    assert np.allclose(batch, qm.batch_gradient(w, X[idx], y[idx], S.clip))
    assert np.allclose(mean, batch)
    # and it is the slope of the averaged grid (central differences)
    Z = scene.get_running_means()[-1]
    i, j = scene.get_probe_index()
    h = numbers.axes()[0][1] - numbers.axes()[0][0]
    fd = np.array([(Z[i, j + 1] - Z[i, j - 1]) / (2 * h), (Z[i + 1, j] - Z[i - 1, j]) / (2 * h)])
    assert np.allclose(fd, batch, atol=0.05 * np.linalg.norm(batch))


def test_arrows_on_screen(scene):
    per, mean, batch = scene.get_gradients()
    a = scene.get_arrow_scale()
    maps = scene.get_sample_maps()
    small = scene.get_small_arrows(maps)
    ys = scene.get_samples()[2]
    assert len(small) == len(per)
    small_scale = scene.get_small_scale()
    for m, arrow, g, c in zip(maps.maps, small, per, ys):
        assert np.allclose(arrow_vectors([arrow], m.p2w, small_scale)[0], g, atol=1e-6)
        tip = scene.get_probe() + small_scale * g
        assert tip.min() > scene.window[0] and tip.max() < scene.window[1]  # on its map
        assert np.allclose(m.p2w(arrow.get_start()), scene.get_probe())
        assert ManimColor(arrow.get_color()).to_hex().lower() == palette.class_color(c).lower()  # coloured by class
    big = scene.get_average_map()
    arrows, mean_arrow = scene.get_big_arrows(big)
    drawn = arrow_vectors(arrows, big.p2w, a)
    assert np.allclose(drawn, per, atol=1e-6)
    drawn_mean = arrow_vectors([mean_arrow], big.p2w, a)[0]
    assert np.allclose(drawn_mean, drawn.mean(axis=0), atol=1e-6)  # the mean of the arrows
    assert np.allclose(drawn_mean, batch, atol=1e-6)  # = gradient of the averaged landscape
    # every arrow stays on the map; the scale is one of the offered ones
    lo, hi = big.window
    tips = scene.get_probe() + a * per
    assert tips.min() > lo and tips.max() < hi
    assert a in scene.scales


def test_arrows_add_tip_to_tail_then_divide(scene):
    """The chain holds the arrows at the map's scale, each starting at the tip
    of the one before; the sum runs from the first tail to the last tip; divided
    by the count it is the mean arrow, i.e. the gradient of the average."""
    per, mean, batch = scene.get_gradients()
    a = scene.get_arrow_scale()
    big = scene.get_average_map()
    arrows, mean_arrow = scene.get_big_arrows(big)
    chain, total, scaled = scene.get_chain(arrows)
    assert np.allclose(arrow_vectors(chain, big.p2w, a), per, atol=1e-6)  # same arrows, same scale
    for prev, nxt in zip(chain, chain[1:]):
        assert np.allclose(prev.get_end(), nxt.get_start(), atol=1e-6)  # tip to tail
    assert np.allclose(total.get_start(), chain[0].get_start(), atol=1e-6)
    assert np.allclose(total.get_end(), chain[-1].get_end(), atol=1e-6)
    assert np.allclose(arrow_vectors([total], big.p2w, a)[0], per.sum(axis=0), atol=1e-6)
    assert np.allclose(arrow_vectors([scaled], big.p2w, a)[0], batch, atol=1e-6)
    assert np.allclose(scaled.get_end() - scaled.get_start(), mean_arrow.get_end() - mean_arrow.get_start(),
                       atol=1e-6)  # moving it back to the point is a pure shift
    # the chain fits the screen, clear of the frame edge, left of the colour bar
    top = max(c.get_top()[1] for c in chain)
    bottom = min(c.get_bottom()[1] for c in chain)
    assert top - bottom <= scene.chain_height + 0.2 and top < 3.7 and bottom > -3.7
    assert max(c.get_right()[0] for c in chain) < scene.get_color_bar().get_left()[0]


def test_level_line_through_probe_is_perpendicular_to_mean(scene):
    big = scene.get_average_map()
    line = scene.get_level_line(big)
    pts = big.p2w(line.points.reshape(-1, 4, 3)[:, [0, 3]].reshape(-1, 3))
    w = scene.get_probe()
    d = np.linalg.norm(pts - w, axis=1)
    assert d.min() < 0.05  # the line passes through the probe
    k = int(np.argmin(d))
    near = pts[np.abs(np.arange(len(pts)) - k) <= 3]
    tangent = near[-1] - near[0]
    _, _, batch = scene.get_gradients()
    cos = abs(tangent @ batch) / (np.linalg.norm(tangent) * np.linalg.norm(batch))
    assert cos < 0.1


@pytest.mark.render
def test_averaging_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch07_averaging.py", "Averaging", tmp_path, 30)
    assert "average of the gradients" in srt


def test_step_is_learning_rate_times_the_gradient_of_the_average(scene):
    """The closing step: from the probe to w - learning_rate * gradient of the
    batch (checked against central differences of the batch loss), on the map."""
    S = numbers.story()
    X, y = qm.make_dataset(S)
    idx = qm.single_samples(S)
    big = scene.get_average_map()
    step = scene.get_step(big)
    w = scene.get_probe()
    h = 1e-5
    loss = lambda v: qm.batch_loss(v, X[idx], y[idx], S.clip)  # noqa: E731
    fd = np.array([(loss(w + e) - loss(w - e)) / (2 * h) for e in (np.array([h, 0.0]), np.array([0.0, h]))])
    assert np.allclose(big.p2w(step.get_start()), w, atol=1e-9)
    assert np.allclose(big.p2w(step.get_end()), w - S.learning_rate * fd, atol=1e-4)
    lo, hi = big.window
    assert lo < big.p2w(step.get_end()).min() and big.p2w(step.get_end()).max() < hi
