"""Chapter 4 shows quake_math's batches, count and training runs; its
equations compile and share the parts TransformMatchingTex moves; it renders."""

import math

import numpy as np
import pytest

import quake_math as qm
from scenes.ch04_one_function import GRAD_PARTS, MEAN_PARTS, OneFunctionPerBatch, sci_tex
from scenes.kit import numbers
from tests.render_util import frames_at, render_chapter


@pytest.fixture(scope="module")
def scene():
    return OneFunctionPerBatch.__new__(OneFunctionPerBatch)  # builders only, no renderer


def test_batch_maps_are_quake_math_batches(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    batches, Zs = qm.quake_landscapes(X, y, S)
    maps = scene.get_batch_maps()
    assert len(maps) == scene.maps_shown
    for k, m in enumerate(maps):
        assert np.allclose(m.Z, m.crop(Zs[k]))
        assert np.allclose(m.Z, m.crop(qm.batch_landscape(X, y, batches[k], S)))
    # three different functions
    assert not np.allclose(maps[0].Z, maps[1].Z) and not np.allclose(maps[1].Z, maps[2].Z)


def test_batch_count(scene):
    S = numbers.story()
    n, tex = scene.get_batch_count()
    assert n == math.comb(S.n_samples, S.quake_batch_size)
    s = tex.get_tex_string()
    assert str(S.n_samples) in s and sci_tex(n) in s
    assert sci_tex(1545269050621668869640) == r"1.5 \times 10^{21}"


def test_training_numbers(scene):
    S = numbers.story()
    X, y = qm.make_dataset(S)
    gd, sgd, losses = scene.get_training()
    ref_sgd = qm.sgd(X, y, S)
    assert np.array_equal(sgd.weights, ref_sgd.weights)
    assert losses["sgd"] == pytest.approx(float(qm.batch_loss(ref_sgd.weights[-1], X, y, S.clip)))
    assert losses["gd"] == pytest.approx(float(qm.batch_loss(qm.gradient_descent(X, y, S).weights[-1], X, y, S.clip)))
    assert losses["start"] == pytest.approx(float(qm.batch_loss(np.array(S.start), X, y, S.clip)))
    # the story's claim: the shaky run ends low, close to full-batch descent
    assert losses["sgd"] < 0.2 * losses["start"] and losses["sgd"] < 1.2 * losses["gd"]


def test_identity_parts_match_and_compile(scene):
    mean, grad = scene.get_equations()
    assert len(mean) == len(MEAN_PARTS) and len(grad) == len(GRAD_PARTS)
    # every part of the mean formula reappears in the gradient formula, so it moves
    assert set(MEAN_PARTS) <= set(GRAD_PARTS)
    assert [p.tex_string for p in grad] == list(GRAD_PARTS)


def test_identity_holds_numerically():
    S = numbers.story()
    X, y = qm.make_dataset(S)
    b = qm.quake_batches(S)[0]
    w = np.array([1.5, -2.0])
    assert np.allclose(qm.batch_gradient(w, X[b], y[b]), qm.per_sample_gradient(w, X[b], y[b]).mean(axis=0))


@pytest.mark.render
def test_one_function_renders_with_audio_and_subtitles(tmp_path):
    mp4, info, srt = render_chapter("scenes/ch04_one_function.py", "OneFunctionPerBatch", tmp_path, 30)
    assert "gradient of a sum" in srt
    a, b = frames_at(mp4, [2.0, info["duration"] - 5.0])
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0
