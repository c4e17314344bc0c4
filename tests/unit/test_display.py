"""Text for the screen: data is escaped so no value draws markup, a link or an image."""

from __future__ import annotations

import re

import polars as pl
import pytest
from support.hostile_values import HOSTILE, IMAGE, LINK, MARKDOWN_LINK

from cx.charts import figures
from cx.core.display import plain


@pytest.mark.parametrize("value", HOSTILE)
def test_chart_text_and_markdown_are_escaped(value: str) -> None:
    fig = figures.bars(
        pl.DataFrame({"brand": [value, "B"], "v": [1.0, 2.0]}), "brand", "v", value, value
    )
    spec = fig.to_json()
    assert "<script>" not in spec and "<img" not in spec
    text = plain(value)
    assert "**" not in text.replace("\\*\\*", "") and "[link](" not in text


@pytest.mark.parametrize(
    "text",
    [LINK, IMAGE, "https://evil.example/x", "HTTP://evil.example", "www.evil.example/login",
     "mail ana@corp.example", "<https://evil.example>", "[x]: https://evil.example"],
)  # fmt: skip
def test_plain_text_keeps_addresses_from_becoming_links(text: str) -> None:
    """Escaping stops ``[x](…)``; GitHub's autolinks would still pick up a bare address."""
    shown = plain(text)
    assert not MARKDOWN_LINK.search(shown), shown
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u200b", "") == text  # reads the same
