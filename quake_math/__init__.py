"""quake_math: every number of the Earthquakes video.

Pure numpy/scipy (and contourpy for contour lines); never imports manim.
Data flows one way: story settings -> quake_math -> scenes.

Modules (each name below is also available as ``quake_math.<name>``):

- settings: the Story, its defaults and loading it from TOML
- story_checks: the allowed range of every setting (what the chapters need)
- data: the two Gaussian clouds; one random stream per purpose
- loss: softplus, the clipped loss and its gradients
- landscape: losses over the whole weight grid
- contours: contour lines and filled bands (contourpy)
- sampling: epochs and batches; the one batch-size check
- quakes: the batch sequences and landscapes the scenes play
- magnitude: how hard a batch size shakes (measured and closed form)
- correlation: how the batches of one epoch depend on each other
- training: gradient descent, SGD, momentum; how steady a walk is
"""

from . import (
    contours, correlation, data, landscape, loss, magnitude, quakes, sampling, settings, story_checks,
    training,
)
from .contours import *  # noqa: F401,F403
from .correlation import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .landscape import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .magnitude import *  # noqa: F401,F403
from .quakes import *  # noqa: F401,F403
from .sampling import *  # noqa: F401,F403
from .settings import *  # noqa: F401,F403
from .story_checks import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403

_MODULES = (settings, story_checks, data, loss, landscape, contours, sampling, quakes, magnitude,
            correlation, training)
__all__ = [name for module in _MODULES for name in module.__all__]
