import numpy as np
import pytest

import quake_math as qm


@pytest.fixture(scope="session")
def story():
    """The default story (what the video renders)."""
    return qm.Story()


@pytest.fixture(scope="session")
def data(story):
    return qm.make_dataset(story)


@pytest.fixture(scope="session")
def grid_story():
    """The default data on an explicit 81-point grid over [-20, 20], so
    tests of grids neither slow down nor change meaning when the default
    grid_points changes."""
    return qm.Story(grid_points=81)


@pytest.fixture(scope="session")
def small_story():
    """A small data set (N = 80) on a small square, for fast Monte-Carlo checks."""
    return qm.Story(
        n_per_class=40, grid_min=-10.0, grid_max=10.0, grid_points=41, magnitude_grid_points=21,
        magnitude_batches=800, quake_batch_size=8, batch_sizes=(8, 40), train_batch_size=8,
        magnitude_batch_sizes=(1, 4, 10, 40, 80), correlation_batch_size=20,
    )


@pytest.fixture(scope="session")
def small_data(small_story):
    return qm.make_dataset(small_story)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
