import dataclasses
import math
import random

import numpy as np
import pytest

import quake_math as qm
from quake_math import story_checks


def test_defaults_reproduce_reference_setting():
    s = qm.Story()
    assert s.n_samples == 600
    assert s.grid_min == -20 and s.grid_max == 20
    assert s.clip == 1e-7
    assert s.max_loss == pytest.approx(16.118, abs=1e-3)
    assert s.batch_sizes == (10, 100)
    assert s.correlation_batch_size == 100
    assert s.magnitude_batch_sizes == (1, 2, 5, 10, 20, 50, 100, 200, 300, 600)
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


# -- defaults that follow the data size and the grid --------------------------

@pytest.mark.parametrize("n_per_class", [10, 11, 17, 37, 50, 99, 100, 101, 150, 200, 299, 1000])
def test_data_size_defaults_follow_the_data(n_per_class):
    """Any data size loads; the derived batch sizes fit it as the chapters
    need (checked here independently of the validation)."""
    s = qm.Story(n_per_class=n_per_class)
    N = 2 * n_per_class
    small, large = s.batch_sizes
    assert 1 <= small < large < N
    assert 1 <= s.correlation_batch_size and 2 * s.correlation_batch_size <= N
    m = s.magnitude_batch_sizes
    assert len(m) >= 2 and list(m) == sorted(set(m)) and m[0] >= 1 and m[-1] == N
    # the reference numbers wherever they fit
    assert (s.batch_sizes == (10, 100)) == (N >= 200)
    assert (s.correlation_batch_size == 100) == (N >= 400)


def test_explicit_values_are_kept_and_bad_ones_still_fail():
    s = qm.Story(n_per_class=50, batch_sizes=(4, 40), correlation_batch_size=25)
    assert s.batch_sizes == (4, 40) and s.correlation_batch_size == 25
    for field, value, needle in [
        ("magnitude_batch_sizes", (1, 2, 300), "1..100"),
        ("batch_sizes", (10, 100), "1..99"),
        ("correlation_batch_size", 60, "1..50"),
    ]:
        with pytest.raises(qm.StoryError) as e:
            qm.Story(n_per_class=50, **{field: value})
        msg = str(e.value)
        assert field in msg and repr(value) in msg and needle in msg and "N = 2 * n_per_class = 100" in msg


def test_replace_derives_again():
    s = qm.Story()
    small = s.replace(n_per_class=40)
    assert small.magnitude_batch_sizes[-1] == 80 and small.batch_sizes == (4, 40)
    assert small == qm.Story(n_per_class=40)
    # a value that was given stays given
    kept = qm.Story(batch_sizes=(5, 50)).replace(n_per_class=200)
    assert kept.batch_sizes == (5, 50) and kept.magnitude_batch_sizes[-1] == 400
    assert s.replace(seed=3).grid_points == s.grid_points


def test_grid_points_follow_the_weight_range():
    wide = qm.Story(grid_min=-40.0, grid_max=40.0)
    assert wide.grid_points == max(qm.settings.GRID_POINTS, 161)  # at most 0.5 apart
    widest = qm.Story(grid_min=-250.0, grid_max=250.0, n_per_class=10, start=(0.0, 0.0))
    assert widest.grid_points == 1001
    assert qm.Story(grid_min=-12.0, grid_max=12.0).grid_points == qm.settings.GRID_POINTS
    assert qm.Story(grid_points=241).grid_points == 241  # a finer default is allowed


# -- what the chapters need ----------------------------------------------------

def test_grid_points_3_is_rejected_with_field_value_and_range():
    with pytest.raises(qm.StoryError) as e:
        qm.Story(grid_points=3)
    msg = str(e.value)
    assert "'grid_points' = 3" in msg and "81..1001" in msg and "0.5 weight units" in msg


def random_valid_grid(rnd):
    lo = -rnd.uniform(10, 60)
    hi = rnd.uniform(10, 60)
    min_points = math.ceil((hi - lo) / story_checks.MAX_GRID_SPACING - 1e-9) + 1
    return qm.Story(grid_min=lo, grid_max=hi, grid_points=rnd.randint(min_points, min_points + 40),
                    start=(0.0, 0.0), n_per_class=20)


def test_every_map_window_holds_enough_grid_points():
    """Whatever grid loads: the fixed window of chapters 5 to 7 lies in it,
    and every window 1 weight unit wide inside it (chapters 3 and 10 fit
    windows of at least that width) holds at least 2 grid points per side;
    2 units, at least 4. The 3-D surface (every 3rd point) keeps >= 2 vertices."""
    rnd = random.Random(5)
    stories = [random_valid_grid(rnd) for _ in range(60)]
    stories.append(qm.Story(grid_min=-10.0, grid_max=10.0, grid_points=41, n_per_class=20))
    for s in stories:
        w1, _ = qm.weight_axes(s)
        lo, hi = story_checks.SAMPLE_WINDOW
        assert s.grid_min <= lo and hi <= s.grid_max
        for a in np.linspace(s.grid_min, s.grid_max - 1.0, 400):
            inside = np.sum((w1 >= a - 1e-9) & (w1 <= a + 1.0 + 1e-9))
            assert inside >= 2, (s.grid_min, s.grid_max, s.grid_points, a)
        for a in np.linspace(s.grid_min, s.grid_max - 2.0, 100):
            assert np.sum((w1 >= a - 1e-9) & (w1 <= a + 2.0 + 1e-9)) >= 4
        assert len(w1[::3]) >= 2


@pytest.mark.parametrize("field,value,needle", [
    ("n_single", 0, "1..16"),
    ("n_single", 17, "1..16"),
    ("grid_min", -5.0, "[-10000, -10]"),
    ("grid_max", 8.0, "[10, 10000]"),
    ("grid_max", 9000.0, "narrow grid_min and grid_max"),
    ("quake_batches", 10, "11..1000"),
    ("train_steps", 2, "3..100000"),
    ("batch_sizes", (100, 10), "smaller than the second"),
    ("batch_sizes", (10, 600), "1..599"),
    ("softplus_range", (1.0, 10.0), "lo in [-30, -3]"),
    ("softplus_range", (-10.0, 1e6), "hi in [3, 30]"),
    ("n_per_class", 5, "10..100000"),
])
def test_chapter_needs_are_validated(field, value, needle):
    with pytest.raises(qm.StoryError) as e:
        qm.Story(**{field: value})
    msg = str(e.value)
    assert f"'{field}' = {value!r}" in msg and needle in msg


def test_memory_of_a_render_is_bounded():
    with pytest.raises(qm.StoryError) as e:
        qm.Story(n_per_class=100_000)
    msg = str(e.value)
    assert "n_per_class = 100000" in msg and f"grid_points = {qm.Story().grid_points}" in msg and "GB" in msg
    ok = qm.Story(n_per_class=800, grid_points=241)  # the planned finer default still loads
    assert story_checks.render_memory(ok) <= story_checks.MEMORY_LIMIT


# -- field checks ---------------------------------------------------------------

@pytest.mark.parametrize("field,value,needle", [
    ("quake_batch_size", 0, "1..600"),
    ("quake_batch_size", 601, "1..600"),
    ("batch_sizes", (10, 1000), "1..599"),
    ("magnitude_batches", 0, "1..100000"),
    ("grid_points", 1, "81..1001"),
    ("grid_points", 81.0, "whole number"),
    ("clip", 0.5, "(0, 0.5)"),
    ("clip", 0.0, "(0, 0.5)"),
    ("levels", (0.0, 1.0, 1.0), "increasing"),
    ("levels", (1.0,), "at least 2"),
    ("levels", "0 1 2", "at least 2"),
    ("seed", -1, "0.."),
    ("seed", 1.5, "whole number"),
    ("sigma", 0.0, "(0, 100]"),
    ("momentum", 1.0, "[0, 1)"),
    ("final_walk_steps", 1, "2..100000"),
    ("learning_rate", float("nan"), "finite"),
    ("start", (0.0, 50.0), "grid"),
    ("center0", (0.0,), "pair"),
    ("center1", ("a", 1.0), "finite"),
    ("magnitude_batch_sizes", (10, 5), "increasing"),
    ("correlation_batch_size", 400, "1..300"),
])
def test_validation_names_field_value_and_range(field, value, needle):
    with pytest.raises(qm.StoryError) as e:
        qm.Story(**{field: value})
    msg = str(e.value)
    assert field in msg and repr(value) in msg and needle in msg


# -- loading TOML -------------------------------------------------------------

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
    assert "batchsize" in msg and "seed" in msg and "quake_batch_size" in msg and "_derived" not in msg


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(qm.StoryError, match="does not exist"):
        qm.load_story(tmp_path / "nope.toml")
    f = tmp_path / "bad.toml"
    f.write_text("seed = = 3")
    with pytest.raises(qm.StoryError, match="not valid TOML"):
        qm.load_story(f)


def test_story_file_not_utf8_names_the_file_and_the_fix(tmp_path):
    f = tmp_path / "latin1.toml"
    f.write_bytes("seed = 11\n# caf\u00e9 au lait\n".encode("latin-1"))
    with pytest.raises(qm.StoryError) as e:
        qm.load_story(f)
    msg = str(e.value)
    assert str(f) in msg and "not UTF-8" in msg and "line 2" in msg and "save it as UTF-8" in msg
    # UTF-8, with or without a byte-order mark, is fine
    f.write_bytes("\ufeffseed = 11\n# caf\u00e9\n".encode("utf-8"))
    assert qm.load_story(f).seed == 11


def test_story_file_that_is_a_directory(tmp_path, monkeypatch):
    with pytest.raises(qm.StoryError) as e:
        qm.load_story(tmp_path)
    msg = str(e.value)
    assert str(tmp_path) in msg and "is a directory" in msg and "does not exist" not in msg
    monkeypatch.setenv(qm.STORY_ENV, str(tmp_path))
    with pytest.raises(qm.StoryError, match=r"is a directory.*unset QUAKE_STORY"):
        qm.load_story()


def test_validation_applies_to_toml_values_and_names_the_file(tmp_path, monkeypatch):
    f = tmp_path / "s.toml"
    f.write_text("quake_batch_size = 0\n")
    with pytest.raises(qm.StoryError) as e:
        qm.load_story(f)
    assert str(f) in str(e.value) and "'quake_batch_size' = 0" in str(e.value)
    monkeypatch.setenv(qm.STORY_ENV, str(f))
    with pytest.raises(qm.StoryError, match=r"named by \$QUAKE_STORY"):
        qm.load_story()


def test_settings_cites_only_files_that_exist():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for module in ("settings.py", "story_checks.py"):
        text = (root / "quake_math" / module).read_text()
        for name in re.findall(r"[\w/.-]+\.(?:md|py|toml)\b", text):
            if name.startswith("my_story"):  # the example's own name
                continue
            assert (root / name).exists() or (root / "quake_math" / name).exists(), (module, name)
