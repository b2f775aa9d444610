"""quake_math: every number of the Earthquakes video.

Pure numpy/scipy (and contourpy for contour lines); never imports manim.
Data flows one way: story settings -> quake_math -> scenes.
"""

from .contours import Band, band_edges, contour_bands, contour_lines
from .data import make_dataset, rng_for
from .landscape import (
    batch_landscape, full_landscape, gradient_field, interpolate, mean_landscape,
    sample_landscapes, weight_axes, weight_grid,
)
from .loss import (
    DEFAULT_CLIP, batch_gradient, batch_loss, logit_clip, per_sample_gradient,
    per_sample_loss, sigmoid, softplus, softplus_linear_beyond,
)
from .quakes import morph_times, quake_batches, quake_landscapes, single_samples
from .sampling import as_rng, batch_stream, class_counts, epoch_batches, possible_batches
from .settings import STORY_ENV, Story, StoryError, default_levels, load_story
from .stats import (
    expected_next_ones, fraction_correlation, fraction_correlation_theory,
    magnitude, magnitude_curve, magnitude_from_grids, magnitude_theory,
    statistics_grids, story_correlation, theory_from_grids,
)
from .training import Trajectory, gradient_descent, sgd, train_batches
from .quakes import demo_epoch  # chapter 9
from .stats import (  # chapters 8, 9
    fraction_pairs, magnitude_ratio, magnitude_theory_curve, pool_counts, story_fraction_pairs,
    story_magnitude_curve,
)
from .training import mean_turning_angle, momentum_sgd, path_length, turning_angles  # chapter 10

__all__ = [name for name in dir() if not name.startswith("_")]
