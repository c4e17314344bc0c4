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


# ---- numbers and names in the interface's languages -----------------------------------------


def _catalog(lang: str) -> bool:
    """Whether the language's catalog is built (``make messages``); else only formats apply."""
    from cx.core import i18n

    return i18n.translations(lang).gettext("n too small") != "n too small"


def test_english_numbers_are_written_as_before() -> None:
    from cx.core import display

    assert [display.nps(15.2), display.nps(-0.4), display.points(2.26, 1)] == [
        "+15", "0", "+2.3 points"]  # fmt: skip
    assert [display.pct(54.4), display.share(0.126), display.count(12345)] == [
        "54%", "12.6%", "12,345"]  # fmt: skip
    assert [display.usd_m(182e6), display.usd(48724), display.p_value(0.04)] == [
        "$182M", "$48,724", "p = 0.040"]  # fmt: skip
    assert [display.ordinal(n) for n in (1, 2, 3, 11, 82)] == ["1st", "2nd", "3rd", "11th", "82nd"]
    assert display.join(["A", "B", "C"]) == "A, B and C"
    assert display.interval(12, 18) == "+12 to +18"
    assert display.name("channel", "direct") == "Direct"
    assert display.name("country", "DE") == display.country_names()["DE"]


def test_russian_numbers_use_a_decimal_comma_and_space_grouping() -> None:
    from cx.core import display, i18n

    with i18n.use("ru"):
        assert display.count(12345) == "12\u00a0345"
        assert display.share(0.126) == "12,6\u00a0%"
        assert display.pct(54.4) == "54\u00a0%"
        assert display.nps(15.2) == "+15" and display.nps(-0.4) == "0"
        assert display.p_value(0.04) == "p = 0,040"
        assert display.ordinal(1) == "1-е место" or not _catalog("ru")  # a rank is a place
        if _catalog("ru"):
            assert [display.points(v) for v in (1, 2, 5, 21)] == [
                "+1 пункт", "+2 пункта", "+5 пунктов", "+21 пункт"]  # fmt: skip
            assert display.points(2.5, 1) == "+2,5 пункта"
            assert display.join(["A", "B", "C"]) == "A, B и C"
            assert display.interval(12, 18) == "от +12 до +18"
            assert display.name("channel", "direct") == "Прямые продажи"
        assert display.name("country", "DE") == "Германия"  # CLDR, without a catalog too


def test_chinese_numbers_read_as_english_digits_with_chinese_words() -> None:
    from cx.core import display, i18n
    from cx.core.schema import NO_INDUSTRY

    with i18n.use("zh"):
        assert display.count(12345) == "12,345"
        assert display.pct(54.4) == "54%"
        assert display.name("country", "DE") == "德国"
        if _catalog("zh"):
            assert display.ordinal(1) == "第 1 名"
            assert display.join(["A", "B", "C"]) == "A、B和C"
            assert display.points(-2) == "-2 分"
            assert display.name("segment", "premium") == "高端"
            # industries are data values: as stored in every language, everywhere
            assert display.name("industry", "Automakers") == "Automakers"
            assert display.name("industry", NO_INDUSTRY) != NO_INDUSTRY  # a word, translated
    assert display.name("industry", "Automakers") == "Automakers"


def test_a_link_value_matches_in_any_language() -> None:
    from cx.core import i18n
    from cx.core.selection import from_query_params

    options = {"channels": ["dealer", "direct"]}
    for lang in ("en", "ru", "zh"):
        with i18n.use(lang):
            sel, notices = from_query_params({"channels": "Direct"}, options, ["demo"])
        assert sel.channels == ("direct",) and not notices, lang


def test_escaped_text_keeps_the_spaces_numbers_are_written_with() -> None:
    """Russian numbers group and end with no-break spaces (12 345, 54 %): escaping keeps them."""
    from cx.core import display, i18n

    with i18n.use("ru"):
        text = f"{display.count(12345)} · {display.pct(54)}"
    assert display.plain(text) == "12\u00a0345 · 54\u00a0%"
