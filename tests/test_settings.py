import dataclasses

import pytest

import quake_math as qm


def test_defaults_reproduce_reference_setting():
    s = qm.Story()
    assert s.grid_min == -20 and s.grid_max == 20
    assert s.clip == 1e-7
    assert s.max_loss == pytest.approx(16.118, abs=1e-3)
    assert s.batch_sizes == (10, 100)
    assert s.n_single == 9
    assert s.softplus_range == (-10, 10)
    assert s.quake_batches >= 15 and s.morph_frames == 20
    # 0..5 by 0.25 then 5..15 by 1: 30 bands
    lv = s.levels
    assert len(lv) - 1 == 30
    assert lv[0] == 0 and lv[20] == 5 and lv[-1] == 15
    assert all(b - a == 0.25 for a, b in zip(lv[:20], lv[1:21]))
    assert all(b - a == 1 for a, b in zip(lv[20:], lv[21:]))


def test_story_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        qm.Story().seed = 3


def test_load_story_defaults_without_env(monkeypatch):
    monkeypatch.delenv(qm.STORY_ENV, raising=False)
    assert qm.load_story() == qm.Story()


def test_load_story_from_path_and_env(tmp_path, monkeypatch):
    f = tmp_path / "s.toml"
    f.write_text("seed = 11\nbatch_sizes = [5, 50]\nlevels = [0, 1, 2]\n")
    s = qm.load_story(f)
    assert s.seed == 11 and s.batch_sizes == (5, 50) and s.levels == (0, 1, 2)
    monkeypatch.setenv(qm.STORY_ENV, str(f))
    assert qm.load_story() == s


def test_unknown_key_lists_known_keys(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("batchsize = 3\n")
    with pytest.raises(qm.StoryError) as e:
        qm.load_story(f)
    msg = str(e.value)
    assert "batchsize" in msg and "seed" in msg and "quake_batch_size" in msg


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(qm.StoryError, match="does not exist"):
        qm.load_story(tmp_path / "nope.toml")
    f = tmp_path / "bad.toml"
    f.write_text("seed = = 3")
    with pytest.raises(qm.StoryError, match="not valid TOML"):
        qm.load_story(f)


@pytest.mark.parametrize("field,value,needle", [
    ("quake_batch_size", 0, "1..600"),
    ("quake_batch_size", 601, "1..600"),
    ("batch_sizes", (10, 1000), "1..600"),
    ("magnitude_batches", 0, "1..100000"),
    ("grid_points", 1, "2..1001"),
    ("clip", 0.5, "(0.0, 0.5)"),
    ("clip", 0.0, "(0.0, 0.5)"),
    ("levels", (0.0, 1.0, 1.0), "increasing"),
    ("levels", (1.0,), "at least 2"),
    ("grid_max", -30.0, "larger than grid_min"),
    ("seed", -1, "0.."),
    ("seed", 1.5, "whole number"),
    ("sigma", 0.0, "(0.0, 100.0]"),
    ("momentum", 1.0, "[0.0, 1.0)"),
    ("final_walk_steps", 1, "2..100000"),
    ("learning_rate", float("nan"), "finite"),
    ("start", (0.0, 50.0), "grid"),
    ("center0", (0.0,), "pair"),
    ("magnitude_batch_sizes", (10, 5), "increasing"),
    ("correlation_batch_size", 400, "1..300"),
])
def test_validation_names_field_value_and_range(field, value, needle):
    with pytest.raises(qm.StoryError) as e:
        qm.Story(**{field: value})
    msg = str(e.value)
    assert field in msg and repr(value) in msg and needle in msg


def test_validation_applies_to_toml_values(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("quake_batch_size = 0\n")
    with pytest.raises(qm.StoryError, match="quake_batch_size"):
        qm.load_story(f)
