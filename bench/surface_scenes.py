"""Benchmark scenes: the shaking surface, ours against a plain manim Surface.

Both show the same quake (the story's batch landscapes, morphing through
interpolated grids) with the same camera, resolution and run time; each
prints the wall time of its animation so startup is not counted.
"""

from __future__ import annotations

import os
import time

import numpy as np
from manim import DEGREES, Surface, ThreeDScene, ValueTracker, linear, smooth

import quake_math as qm
from scenes.kit import numbers, palette
from scenes.kit.quake_camera import QuakeCamera
from scenes.kit.surface import LossAxes3D, LossSurface

RUN_TIME = float(os.environ.get("BENCH_RUN_TIME", "4"))
FACES = 26  # faces per side for both surfaces (stride 3 on the 79-interval grid gives 26)


def _report(name, scene, seconds):
    frames = int(round(RUN_TIME * scene.camera.frame_rate))
    print(f"BENCH {name} frames={frames} seconds={seconds:.3f}", flush=True)


class _Base(ThreeDScene):
    def quake(self):
        S = numbers.story()
        _, Zs = numbers.quake()
        return S, Zs

    def orient(self):
        self.set_camera_orientation(phi=64 * DEGREES, theta=-55 * DEGREES, zoom=0.74)


class FastSurfaceBench(_Base):
    """LossSurface (one mobject, vectorised drawing) rewriting its points."""

    def __init__(self, **kwargs):
        super().__init__(camera_class=QuakeCamera, **kwargs)

    def construct(self):
        S, Zs = self.quake()
        self.orient()
        w1, w2 = numbers.axes()
        axes = LossAxes3D(S)
        stride = (S.grid_points - 1) // FACES
        surf = LossSurface(axes, w1, w2, Zs[0], S.levels, stride=stride)
        self.add(axes, surf)
        t = ValueTracker(0)

        def move(m):
            x = t.get_value()
            k = min(int(x), len(Zs) - 2)
            m.set_between(Zs[k], Zs[k + 1], smooth(x - k))

        surf.add_updater(move)
        t0 = time.perf_counter()
        self.play(t.animate.set_value(len(Zs) - 1), run_time=RUN_TIME, rate_func=linear)
        _report("fast_surface", self, time.perf_counter() - t0)


class PlainSurfaceBench(_Base):
    """manim's Surface of the same resolution, its face points rewritten in
    place every frame (no rebuild), coloured by height once."""

    def construct(self):
        S, Zs = self.quake()
        self.orient()
        axes = LossAxes3D(S)
        lo, hi = S.grid_min, S.grid_max

        def height(u, v, Z):
            j = int(round((u - lo) / (hi - lo) * (S.grid_points - 1)))
            i = int(round((v - lo) / (hi - lo) * (S.grid_points - 1)))
            return Z[i, j]

        surf = Surface(lambda u, v: axes.c2p(u, v, height(u, v, Zs[0])), u_range=[lo, hi],
                       v_range=[lo, hi], resolution=(FACES, FACES), fill_opacity=1.0,
                       stroke_width=0.5, stroke_color=palette.BACKGROUND)
        surf.set_fill_by_value(axes=axes, colorscale=[palette.BACKGROUND, palette.ACCENT], axis=2)
        # each face's corner weights, to rewrite its points in place
        corners = []
        for face in surf:
            c = axes.point_to_coords(face.get_start_anchors()[:4])[:, :2]
            jj = np.rint((c[:, 0] - lo) / (hi - lo) * (S.grid_points - 1)).astype(int)
            ii = np.rint((c[:, 1] - lo) / (hi - lo) * (S.grid_points - 1)).astype(int)
            corners.append((c, ii, jj))
        self.add(axes, surf)
        t = ValueTracker(0)

        def move(m):
            x = t.get_value()
            k = min(int(x), len(Zs) - 2)
            Z = qm.interpolate(Zs[k], Zs[k + 1], smooth(x - k))
            for face, (c, ii, jj) in zip(m, corners):
                pts = axes.c2p(np.column_stack([c, Z[ii, jj]]))
                face.set_points_as_corners([*pts, pts[0]])

        surf.add_updater(move)
        t0 = time.perf_counter()
        self.play(t.animate.set_value(len(Zs) - 1), run_time=RUN_TIME, rate_func=linear)
        _report("plain_surface", self, time.perf_counter() - t0)
