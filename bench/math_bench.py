"""Time quake_math computing everything the story needs."""

from __future__ import annotations

import time

import numpy as np

import quake_math as qm


def story_numbers(story: qm.Story) -> dict:
    """Everything the scenes ask quake_math for, computed once."""
    X, y = qm.make_dataset(story)
    grids = qm.sample_landscapes(X, y, story)
    out = {"full": qm.mean_landscape(grids)}
    for b in {story.quake_batch_size, *story.batch_sizes}:
        out[f"quake-{b}"] = qm.quake_landscapes(X, y, story, batch_size=b, grids=grids)
    Zs = out[f"quake-{story.quake_batch_size}"][1]
    out["bands"] = [qm.contour_bands(qm.interpolate(Zs[0], Zs[1], t), story) for t in qm.morph_times(story)]
    idx = qm.single_samples(story)
    out["single"] = grids[idx]
    out["single_lines"] = [qm.contour_lines(g, story) for g in grids[idx]]
    out["gd"] = qm.gradient_descent(X, y, story)
    out["sgd"] = qm.sgd(X, y, story)
    out["momentum"] = qm.sgd(X, y, story, momentum=story.momentum)
    out["magnitude"] = qm.magnitude_curve(X, y, story)
    out["correlation"] = qm.story_correlation(y, story)
    return out


def run(repeats: int = 5) -> dict:
    story = qm.load_story()
    story_numbers(story)  # warm up imports and caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        story_numbers(story)
        times.append(time.perf_counter() - t0)
    X, y = qm.make_dataset(story)
    _, Zs = qm.quake_landscapes(X, y, story)
    ts = np.linspace(0, 1, 50)
    t0 = time.perf_counter()
    for k in range(len(Zs) - 1):
        for t in ts:
            qm.contour_bands(qm.interpolate(Zs[k], Zs[k + 1], t), story)
    per_frame = (time.perf_counter() - t0) / (len(ts) * (len(Zs) - 1))
    return {"story_seconds_best": min(times), "story_seconds_median": float(np.median(times)),
            "bands_ms_per_frame": per_frame * 1000, "grid": story.grid_points}
