"""Chinese and Cyrillic survey text in exports is drawn as glyphs, never as empty boxes.

Uploaded comments, the Voice page's terms, outlet and brand names may be Chinese or Russian:
the font stack names faces with their glyphs (one stack, :data:`cx.charts.theme.FONT`, for
images and the printed digest), and the machine that renders images has such a face.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops

from cx.charts import theme
from cx.charts.figures import titled
from cx.exports import brief
from cx.exports.images import figure_image, image_export_status, print_figure

NEEDS_CHROMIUM = pytest.mark.skipif(
    image_export_status() is not None, reason="no Chromium for kaleido here"
)


def test_the_font_stack_is_one_fact_with_a_cjk_fallback() -> None:
    faces = [f.strip() for f in theme.FONT.split(",")]
    assert faces == [*theme.LATIN_FONTS, *theme.CJK_FONTS, "sans-serif"]
    assert "Noto Sans CJK SC" in faces  # Debian's fonts-noto-cjk, installed where images render
    # the digest prints with the same stack, no list of its own
    assert f"font-family: {theme.FONT};" in brief.CSS
    assert brief.CSS.count("font-family") == 1


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="no fontconfig here")
def test_fontconfig_resolves_a_face_of_the_stack_to_a_chinese_font() -> None:
    """The machine that renders images has one of the stack's CJK faces (fonts-noto-cjk)."""
    found = []
    for face in theme.CJK_FONTS:
        out = subprocess.run(
            ["fc-match", "--format=%{family}\n%{lang}", face],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
        families, _, langs = out.partition("\n")
        if face in families.split(",") and "zh-cn" in langs.split("|"):
            found.append(face)
    assert found, "no Chinese face of the font stack is installed (Debian: fonts-noto-cjk)"


def _figure(title: str, labels: list[str]) -> Any:
    fig = go.Figure(go.Bar(x=[3.0, 2.0], y=labels, orientation="h", marker_color=theme.ACCENT))
    return print_figure(titled(fig, title, "Survey sample · n = 120", height=300))


def _png(title: str, labels: list[str]) -> Image.Image:
    png = figure_image(_figure(title, labels), "png", "chart", 1.0)
    return Image.open(io.BytesIO(png)).convert("L")


def _ink(image: Image.Image) -> int:
    """Pixels darker than the white ground."""
    return sum(image.point(lambda v: 255 if v < 200 else 0).histogram()[255:])


def _differ(a: Image.Image, b: Image.Image) -> int:
    """Pixels that differ between two renders."""
    return sum(ImageChops.difference(a, b).point(lambda v: 255 if v > 40 else 0).histogram()[255:])


@NEEDS_CHROMIUM
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("经销商让我等了三周", ["售后服务", "价格透明"]),
            ("交车时间一再推迟了", ["交车准时", "试驾体验"]),
        ),
        (("Дилер не перезвонил", ["Цена", "Сервис"]), ("Отличная машина, да", ["Ждём", "Машина"])),
    ],
    ids=["chinese", "cyrillic"],
)
def test_chart_images_draw_glyphs_not_boxes(
    first: tuple[str, list[str]], second: tuple[str, list[str]]
) -> None:
    """Missing glyphs are drawn as the same box whatever the character: two texts of the same
    length in boxes render alike, in real glyphs they do not."""
    # same lengths, so boxes would line up exactly
    assert [len(first[0]), *map(len, first[1])] == [len(second[0]), *map(len, second[1])]
    title = (0, 0, 1000, 40)  # the band the title is drawn in
    blank = _png("", first[1]).crop(title)
    one, two = _png(*first), _png(*second)
    assert _differ(one, two) > 200, "different characters rendered alike: boxes, not glyphs"
    assert min(_ink(one.crop(title)), _ink(two.crop(title))) > _ink(blank) + 300  # text drawn
