"""Chinese and Cyrillic survey text in exports is drawn as glyphs, never as empty boxes.

Uploaded comments, the Voice page's terms, outlet and brand names may be Chinese or Russian:
the font stack names faces with their glyphs (one stack, :data:`cx.charts.theme.FONT`, for
images and the printed digest), the machine that renders images has such a face, and decks
name an East Asian face on every run and on their native charts.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image, ImageChops
from pptx import Presentation

from cx.charts import theme
from cx.charts.figures import titled
from cx.exports import brief
from cx.exports.chart import Chart, DeckMeta, Native, SlideTable
from cx.exports.images import figure_image, image_export_status, print_figure
from cx.exports.slides import pptx_deck

NEEDS_CHROMIUM = pytest.mark.skipif(
    image_export_status() is not None, reason="no Chromium for kaleido here"
)
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
HAN = re.compile(r"[\u3400-\u9fff]")


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


def _deck() -> bytes:
    native = Native(
        "bar",
        ["北京朝阳经销商", "Москва Север", "Citroën Nord"],
        [("NPS", [12.0, -4.0, 30.0])],
        value_title="NPS 净推荐值",
    )
    chart = Chart(
        "dealers",
        "北京朝阳经销商 ranks last: NPS 12",
        "Survey sample (uploaded survey: 中文) · n = 600",
        go.Figure(),
        pl.DataFrame({"经销商": ["北京朝阳经销商"], "NPS": [12.0]}),
        native=native,
    )
    table = SlideTable("评论", pl.DataFrame({"Comment": ["售后服务很好。", "Отлично."]}))
    meta = DeckMeta(
        "Voice", "国家: CN", "中文 upload", highlights=("比亚迪 leads.",), tables=(table,)
    )
    return pptx_deck([chart], meta)


def test_every_deck_run_names_a_latin_and_an_east_asian_face() -> None:
    prs = Presentation(io.BytesIO(_deck()))
    runs = []
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            runs += [r for f in frames for p in f.paragraphs for r in p.runs if r.text]
    chinese = [r for r in runs if HAN.search(r.text)]
    assert len(chinese) >= 6  # title, finding, dataset, filters, table, footnote
    for run in runs:
        props = run._r.rPr
        assert props.find(f"{_A}latin").get("typeface") == theme.DECK_LATIN_FONT, run.text
        assert props.find(f"{_A}ea").get("typeface") == theme.DECK_EAST_ASIAN_FONT, run.text


def test_native_chart_text_names_an_east_asian_face() -> None:
    with zipfile.ZipFile(io.BytesIO(_deck())) as deck:
        (name,) = [n for n in deck.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        xml = deck.read(name).decode()
    # the chart's own text (legend, labels) and each axis's tick labels and title
    faces = re.findall(r'<a:latin typeface="([^"]+)"/><a:ea typeface="([^"]+)"/>', xml)
    assert len(faces) >= 4
    assert set(faces) == {(theme.DECK_LATIN_FONT, theme.DECK_EAST_ASIAN_FONT)}
    assert "北京朝阳经销商" in xml
