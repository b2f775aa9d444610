"""Chapter 4 shows quake_math's batches (their samples and their landscapes),
the count of possible batches, a stream of training batches with a count of
different ones, the two training runs with their loss on all the data, and
the averaging identity as arrows on a batch's map and a sample's map; its
equations share the parts TransformMatchingTex moves; it renders."""

import math as pymath

import numpy as np
import pytest

import quake_math as qm
from scenes.ch04_one_function import GRAD_PARTS, MEAN_PARTS, MID_PARTS, OneFunctionPerBatch
from scenes.kit.text import grouped_tex, sci_tex
from scenes.kit import numbers, text
from tests.render_util import frames_at, render_chapter, subtitle_start


@pytest.fixture(scope="module")
def scene():
    return OneFunctionPerBatch.__new__(OneFunctionPerBatch)  # builders only, no renderer


def test_batch_columns_show_each_batch_samples_and_landscape(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    batches = qm.train_batches(S, batch_size=S.quake_batch_size, steps=scene.stream_batches)
    cols = scene.get_batch_columns()
    assert len(cols) == scene.maps_shown
    for k, c in enumerate(cols):
        assert np.allclose(c.map.Z, c.map.crop(qm.batch_landscape(X, y, batches[k], S)))
        assert sorted(c.cloud.lit_indices) == sorted(batches[k])
        lit = c.cloud.lit_centers()
        assert np.allclose(np.sort(lit[:, 0]), np.sort(c.cloud.x2p(X[batches[k]])[:, 0]))
        # the valley ring drawn on each map is inside it: the floor lies in the window
        floor = numbers.lowest_point(qm.batch_landscape(X, y, batches[k], S))
        (a, b), (d, e) = c.map.windows
        assert a < floor[0] < b and d < floor[1] < e
    # three different functions, with valleys in different places
    assert not np.allclose(cols[0].map.Z, cols[1].map.Z) and not np.allclose(cols[1].map.Z, cols[2].map.Z)


def test_batch_count(scene):
    S = numbers.story()
    n = scene.get_batch_count()
    assert n == pymath.comb(S.n_samples, S.quake_batch_size)
    assert sci_tex(1545269050621668869640) == r"1.5 \times 10^{21}"
    assert grouped_tex(1545269050621668869640) == r"1\,545\,269\,050\,621\,668\,869\,640"
    assert grouped_tex(n).replace(r"\,", "") == str(n)


def test_stream_is_training_batches_with_a_true_count_of_different_ones(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    batches, Zs, distinct = scene.get_stream()
    ref = qm.train_batches(S, batch_size=S.quake_batch_size, steps=scene.stream_batches)
    assert len(batches) == scene.stream_batches
    assert all(np.array_equal(a, b) for a, b in zip(batches, ref))
    for k in (0, len(batches) // 2, len(batches) - 1):
        assert np.allclose(Zs[k], qm.batch_landscape(X, y, batches[k], S))
    brute = [len({tuple(sorted(int(i) for i in b)) for b in batches[: k + 1]}) for k in range(len(batches))]
    assert list(distinct) == brute
    # the counter can count a repeat (same samples, another order) as no new landscape
    assert list(numbers.distinct_so_far([[1, 2], [3, 4], [2, 1], [5, 6]])) == [1, 2, 2, 3]


def test_training_curves_are_the_loss_on_all_the_data(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    gd, sgd, gd_loss, sgd_loss = scene.training
    assert np.array_equal(sgd.weights, qm.sgd(X, y, S).weights)
    assert np.array_equal(gd.weights, qm.gradient_descent(X, y, S).weights)
    for w, v in ((gd.weights, gd_loss), (sgd.weights, sgd_loss)):
        assert np.allclose(v, [qm.batch_loss(wk, X, y, S.clip) for wk in w])
    axes, curves = scene.get_loss_plot()
    for curve, v in zip(curves, (gd_loss, sgd_loss)):
        corners = np.vstack([curve.get_start_anchors(), curve.get_end_anchors()[-1:]])
        back = np.array([axes.p2c(p) for p in corners])
        assert np.allclose(back[:, 0], np.arange(len(v))) and np.allclose(back[:, 1], v)
    # the story's claim: the shaky run ends low, close to full-batch descent
    assert sgd_loss[-1] < 0.2 * sgd_loss[0] and sgd_loss[-1] < 1.2 * gd_loss[-1]


def test_identity_arrows_are_the_gradients_and_the_chain_lands_on_the_batch_arrow(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    b, w, g, g_batch, shown, k = scene.get_identity()
    assert np.array_equal(w, qm.sgd(X, y, S).weights[scene.identity_step])
    # one sample's gradient and the batch's, by finite differences of quake_math's losses
    h = 1e-6
    e = np.eye(2) * h
    fd = lambda Xb, yb: np.array([(qm.batch_loss(w + d, Xb, yb, S.clip) - qm.batch_loss(w - d, Xb, yb, S.clip)) / (2 * h)
                                  for d in e])  # noqa: E731
    i = b[shown]
    assert np.allclose(g[shown], fd(X[i:i + 1], y[i:i + 1]), atol=1e-5)
    assert np.allclose(g_batch, fd(X[b], y[b]), atol=1e-5)
    left, right = scene.get_identity_maps()
    assert np.allclose(left.Z, left.crop(qm.batch_landscape(X, y, b, S)))
    assert np.allclose(right.Z, right.crop(numbers.sample_grids()[i]))
    up_L, up_l, chain = scene.get_identity_arrows(left, right)
    assert 0 < k <= scene.arrow_scale
    assert np.allclose(left.p2w(up_L.get_end()) - left.p2w(up_L.get_start()), k * g_batch)
    assert np.allclose(right.p2w(up_l.get_end()) - right.p2w(up_l.get_start()), k * g[shown])
    # both drawn arrows stay inside their maps; the sample's is the longest that does
    (a, c), (d, f) = right.windows
    for mp, arrow in ((left, up_L), (right, up_l)):
        tip = mp.p2w(arrow.get_end())
        assert a < tip[0] < c and d < tip[1] < f
    tips = w + k * g
    inside = np.all((tips > [a, d]) & (tips < [c, f]), axis=1)
    assert np.linalg.norm(g[shown]) == pytest.approx(np.linalg.norm(g[inside], axis=1).max())
    assert np.linalg.norm(g[shown]) > 0
    # each link of the chain is one sample's arrow divided by B; the chain ends on the batch arrow's tip
    links = np.array([left.p2w(a.get_end()) - left.p2w(a.get_start()) for a in chain])
    assert np.allclose(links, k * g / len(b))
    assert np.allclose(chain[-1].get_end(), up_L.get_end(), atol=1e-9)


def test_identity_parts_match_and_use_the_house_notation(scene):
    mean, mid, grad = scene.get_equations()
    assert [len(e) for e in (mean, mid, grad)] == [len(MEAN_PARTS), len(MID_PARTS), len(GRAD_PARTS)]
    # every part of one step reappears in the next, so TransformMatchingTex moves it
    assert set(MEAN_PARTS) <= set(MID_PARTS) and set(GRAD_PARTS) <= set(MID_PARTS)
    assert [p.tex_string for p in grad] == list(GRAD_PARTS)
    assert text.LOSS_BATCH in MEAN_PARTS and text.LOSS_SAMPLE in MEAN_PARTS
    assert "".join(GRAD_PARTS) == r"\nabla" + text.LOSS_BATCH + r"=\frac{1}{B}\sum_{i\in B}\nabla" + text.LOSS_SAMPLE


@pytest.mark.render
def test_one_function_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch04_one_function.py", "OneFunctionPerBatch", tmp_path, 30)
    assert "gradient of a sum" in srt
    a, b = frames_at(mp4, [2.0, info["duration"] - 5.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0
    # while the arrows are named, maps fill the lower half of the picture (not the equation alone)
    t = subtitle_start(srt, "On the left, the gradient")
    (frame,) = frames_at(mp4, [t + 1.0])
    lower = frame[frame.shape[0] // 2:].astype(int)
    assert (np.abs(lower - frame[2, 2].astype(int)).sum(axis=2) > 60).mean() > 0.2
    # the stream of batches moves: the map changes while the batches are counted
    t = subtitle_start(srt, "Shuffling picks")
    c, d = frames_at(mp4, [t + 4.0, t + 6.0])
    assert np.abs(c.astype(int) - d.astype(int)).mean() > 0.5
