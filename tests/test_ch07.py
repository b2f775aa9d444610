"""Chapter 7: the running average ends at the nine samples' batch landscape;
the arrows on screen are quake_math's per-sample gradients; their mean is the
gradient of the averaged landscape; it renders."""

import numpy as np
import pytest

import quake_math as qm
from scenes.ch07_averaging import Averaging
from scenes.kit import numbers
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
    maps = scene.get_sample_maps()
    small = scene.get_small_arrows(maps)
    assert len(small) == len(per)
    for m, a, g in zip(maps.maps, small, per):
        assert np.allclose(arrow_vectors([a], m.p2w, scene.arrow_scale)[0], g, atol=1e-6)
        assert np.allclose(m.p2w(a.get_start()), scene.get_probe())
    big = scene.get_average_map()
    arrows, mean_arrow = scene.get_big_arrows(big)
    drawn = arrow_vectors(arrows, big.p2w, scene.arrow_scale)
    assert np.allclose(drawn, per, atol=1e-6)
    drawn_mean = arrow_vectors([mean_arrow], big.p2w, scene.arrow_scale)[0]
    assert np.allclose(drawn_mean, drawn.mean(axis=0), atol=1e-6)  # the mean of the nine arrows
    assert np.allclose(drawn_mean, batch, atol=1e-6)  # = gradient of the averaged landscape
    # every arrow stays on the map
    lo, hi = big.window
    tips = scene.get_probe() + scene.arrow_scale * per
    assert tips.min() > lo and tips.max() < hi


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
