"""LaTeX works: one equation typeset by MathTex and rendered at low quality."""

import numpy as np
import pytest
from PIL import Image

manim = pytest.importorskip("manim")


@pytest.mark.render
def test_mathtex_renders(tmp_path):
    from manim import MathTex, Scene, WHITE, tempconfig

    class OneEquation(Scene):
        def construct(self):
            self.add(MathTex(r"\nabla E = \frac{1}{N}\sum_i \nabla e_i", color=WHITE).scale(2))

    with tempconfig({"media_dir": str(tmp_path), "quality": "low_quality",
                     "save_last_frame": True, "write_to_movie": False,
                     "background_color": "#000000", "disable_caching": True}):
        scene = OneEquation()
        scene.render()
        png = scene.renderer.file_writer.image_file_path
    img = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert img.shape == (480, 854)
    lit = img > 128
    # glyphs: a reasonable amount of white ink, centred on the frame
    assert 0.005 < lit.mean() < 0.2
    rows, cols = np.nonzero(lit)
    assert abs(cols.mean() - 427) < 60 and abs(rows.mean() - 240) < 40
