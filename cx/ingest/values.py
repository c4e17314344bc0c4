"""Answer values: labels, numbers, scales, countries, dates and the categories of answers.

Each parser is a Polars expression (or a function of a column) that returns null for what it
cannot read, so validation can name every row it rejects.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import polars as pl

from cx.core.i18n import _
from cx.core.schema import NOT_ANSWERED
from cx.ingest.model import FIRST_YEAR, YEARS_AHEAD

SATISFACTION_LABELS = {
    "very satisfied": 5,
    "extremely satisfied": 5,
    "completely satisfied": 5,
    "satisfied": 4,
    "somewhat satisfied": 4,
    "fairly satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neither satisfied or dissatisfied": 3,
    "neutral": 3,
    "neither": 3,
    "somewhat dissatisfied": 2,
    "dissatisfied": 2,
    "fairly dissatisfied": 2,
    "very dissatisfied": 1,
    "extremely dissatisfied": 1,
    "completely dissatisfied": 1,
    # German, Chinese and Russian, as field teams' exports write them (the other fields'
    # wordings are read in these languages too: cx.ingest.categories)
    "sehr zufrieden": 5,
    "äußerst zufrieden": 5,
    "äusserst zufrieden": 5,
    "vollkommen zufrieden": 5,
    "völlig zufrieden": 5,
    "zufrieden": 4,
    "eher zufrieden": 4,
    "ziemlich zufrieden": 4,
    "weder noch": 3,
    "weder zufrieden noch unzufrieden": 3,
    "teils, teils": 3,
    "teils/teils": 3,
    "eher unzufrieden": 2,
    "unzufrieden": 2,
    "ziemlich unzufrieden": 2,
    "sehr unzufrieden": 1,
    "äußerst unzufrieden": 1,
    "äusserst unzufrieden": 1,
    "völlig unzufrieden": 1,
    "非常满意": 5,
    "很满意": 5,
    "满意": 4,
    "比较满意": 4,
    "一般": 3,
    "中立": 3,
    "既不满意也不不满意": 3,
    "比较不满意": 2,
    "不太满意": 2,
    "不满意": 2,
    "非常不满意": 1,
    "很不满意": 1,
    "очень доволен": 5,
    "очень довольна": 5,
    "полностью удовлетворен": 5,
    "полностью удовлетворён": 5,
    "полностью доволен": 5,
    "доволен": 4,
    "довольна": 4,
    "скорее доволен": 4,
    "скорее довольна": 4,
    "удовлетворен": 4,
    "удовлетворён": 4,
    "нейтрально": 3,
    "ни то ни другое": 3,
    "ни то, ни другое": 3,
    "скорее недоволен": 2,
    "скорее недовольна": 2,
    "недоволен": 2,
    "недовольна": 2,
    "не удовлетворен": 2,
    "не удовлетворён": 2,
    "очень недоволен": 1,
    "очень недовольна": 1,
    "совершенно не удовлетворен": 1,
    "совершенно не удовлетворён": 1,
}

SWITCH_LABELS: tuple[tuple[str, str], ...] = (
    (
        r"^(within_6m|within 6 months|in the next 6 months|less than 6 months|<\s*6|0\s*-\s*6)",
        "within_6m",
    ),
    (r"^(6_18m|6\s*-\s*18|6 to 18|in 6-18|in 6 to 18|within 18 months|between 6 and 18)", "6_18m"),
    (r"^(later|more than 18|after 18|>\s*18|in more than)", "later"),
    (r"^(no|none|never|not|no intention|i do not|i don't)", "no"),
)

CHANNEL_LABELS: tuple[tuple[str, str], ...] = (
    (r"agen(t|cy)", "agency"),
    (r"dealer|retailer|showroom|franchise", "dealer"),
    (r"direct|brand('s)? (website|store|app)|online from|manufacturer|oem", "direct"),
    (r"mobility|subscription|car[- ]?shar|rental|ride", "mobility"),
)


#: Invisible characters that reorder or hide text: bidirectional embeddings, overrides,
#: isolates and marks, the zero-width space, a stray byte-order mark. A brand written
#: "\u202eSUNOB" read backwards in every slide and sheet it reached, and reversed the figures
#: after it. They are removed from every answer as it is read; zero-width joiners are kept
#: (emoji and some scripts need them).
INVISIBLE = "[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]"


def clean(col: str) -> pl.Expr:
    """An answer as read: without :data:`INVISIBLE` characters and surrounding spaces."""
    return pl.col(col).str.replace_all(INVISIBLE, "").str.strip_chars()


def cleaned(series: pl.Series) -> pl.Series:
    """:func:`clean` of a series (the distinct answers a mapping lists)."""
    return series.to_frame("v").select(clean("v")).to_series().alias(series.name)


def blank(col: str) -> pl.Expr:
    return clean(col).str.to_lowercase().is_in(list(NOT_ANSWERED))


def number(col: str) -> pl.Expr:
    """Numbers with a decimal point or comma (``7``, ``7.0``, ``7,5``); else null."""
    text = clean(col)
    return (
        pl.when(text.str.contains(r"^[+-]?\d+([.,]\d+)?$"))
        .then(text.str.replace(",", ".", literal=True))
        .otherwise(None)
        .cast(pl.Float64, strict=False)
    )


def fractional(col: str) -> pl.Expr:
    """Whether a cell is a number with a fraction other than zero (``7.5``, ``9.99…9``).

    Decided on the text, not on the float: ``9.999999999999999999`` is the float 10.0 but not
    a whole-number answer; ``7.0`` and ``7,00`` are whole.
    """
    return clean(col).str.contains(r"^[+-]?\d+[.,]\d*[1-9]\d*$")


def parse_nps(frame: pl.DataFrame, col: str) -> pl.Series:
    """0-10 integers from numbers or labels such as ``10 - Extremely likely``; else null.

    A number with a non-zero fraction is not an answer, however close to a whole one.
    """
    text = clean(col).str.to_lowercase()
    value = pl.coalesce(
        pl.when(fractional(col)).then(None).otherwise(number(col)),
        text.str.extract(r"^(\d{1,2})\s*(?:[-–:=(]|\s)\s*\D", 1).cast(pl.Float64, strict=False),
        pl.when(text.str.contains(r"^not at all likely")).then(pl.lit(0.0)),
        pl.when(text.str.contains(r"^extremely likely")).then(pl.lit(10.0)),
    )
    out = pl.when((value == value.round(0)) & value.is_between(0, 10)).then(value).otherwise(None)
    return frame.select(out.alias("v"))["v"]


#: A scale named in a question ("(0-5)", "1 to 7", "von 1 bis 5", "1-5分", "от 0 до 5").
_SCALE = re.compile(
    r"(?<![A-Za-z0-9_.])([01])(?:\s*(?:-|–|—|~|到|至)\s*|\s+(?:to|bis|à|a|до)\s+)(\d{1,2})(?![\d.])",
    re.IGNORECASE,
)
#: Readable answers a column needs before its highest answer says its scale.
SCALE_ANSWERS = 30


def other_scale(frame: pl.DataFrame, column: str, question: str = "") -> str:
    """Why ``column`` is not a 0-10 likelihood to recommend, or "": its header or question
    names another scale, or of at least :data:`SCALE_ANSWERS` answers none is above 5. A 0-5
    "recommend" question was read as 0-10 and every respondent counted a detractor (NPS
    -100)."""
    named = [(low, high) for text in (column, question) for low, high in _SCALE.findall(text or "")]
    # a 0-10 named anywhere is the scale ("(0-10), 0-5 = detractor"; "customer for 1 to 3 years")
    if named and not any(int(high) == 10 for _low, high in named):
        low, high = named[0]
        return _("it says {low}-{high}").format(low=low, high=high)
    answers = parse_nps(frame, column).drop_nulls()
    if answers.len() >= SCALE_ANSWERS and float(answers.max() or 0) <= 5:  # type: ignore[arg-type]
        return _("none of its {n} answers is above 5").format(n=answers.len())
    return ""


def scale_values(frame: pl.DataFrame, col: str) -> pl.Series:
    """Satisfaction answers as numbers: labels to 1-5, numbers as given (scale found later)."""
    text = clean(col).str.to_lowercase()
    label = text.replace_strict(SATISFACTION_LABELS, default=None, return_dtype=pl.Float64)
    leading = text.str.extract(r"^(\d{1,2})\s*[-–:=(]\s*\D", 1).cast(pl.Float64, strict=False)
    return frame.select(pl.coalesce(number(col), leading, label).alias("v"))["v"]


def scale_of(values: pl.Series) -> tuple[int, int] | None:
    """The answer scale implied by the values: (1, 5), (1, 7), (1, 10) or (0, 10)."""
    answered = values.drop_nulls()
    if answered.is_empty():
        return (1, 5)
    lo, hi = float(answered.min() or 0), float(answered.max() or 0)  # type: ignore[arg-type]
    if lo < 0 or hi > 10:
        return None
    if lo >= 1 and hi <= 5:
        return (1, 5)
    if lo >= 1 and hi <= 7:
        return (1, 7)
    if lo >= 1:
        return (1, 10)
    return (0, 10)


def to_five_point(value: pl.Expr, scale: tuple[int, int]) -> pl.Expr:
    """Map a k-point answer to 1-5 keeping the top two and bottom two boxes.

    The two highest points become 5 and 4, the two lowest 2 and 1, everything between 3, so
    top-2-box satisfaction and bottom-2-box dissatisfaction mean the same as on the source
    scale. (Means on the normalised scale are not comparable across scales.)
    """
    lo, hi = scale
    if scale == (1, 5):
        return value
    return (
        pl.when(value == hi)
        .then(5.0)
        .when(value == hi - 1)
        .then(4.0)
        .when(value == lo)
        .then(1.0)
        .when(value == lo + 1)
        .then(2.0)
        .otherwise(pl.when(value.is_not_null()).then(3.0))
    )


#: Languages whose country names are recognised (from the Unicode CLDR, through Babel).
COUNTRY_NAME_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "zh", "ru", "ja")


def _folded(text: str) -> str:
    """A name compared case- and accent-insensitively: "ÖSTERREICH" and "osterreich" alike."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _country_index() -> dict[str, str]:
    """Folded name / alpha-2 / alpha-3 / common and official names, the names of
    :data:`COUNTRY_NAME_LANGUAGES` and :data:`COUNTRY_ALIASES` -> ISO alpha-2."""
    import pycountry
    from babel import Locale

    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                index[_folded(str(value))] = c.alpha_2
    iso = set(index.values())
    for language in COUNTRY_NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in iso:  # countries only: not regions ("001"), "EU" or private codes
                index.setdefault(_folded(name), code)
    index.update({_folded(name): code for name, code in COUNTRY_ALIASES.items()})
    return index


#: Names neither pycountry nor the CLDR names of :data:`COUNTRY_NAME_LANGUAGES` know:
#: informal English names and the survey countries' own names in other languages.
COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "sverige": "SE",
    "nippon": "JP",
    "korea": "KR",
    "turkey": "TR",
    "holland": "NL",
}


def country_code(value: str) -> str | None:
    """ISO 3166 alpha-2 for a country name (in :data:`COUNTRY_NAME_LANGUAGES`, any case or
    accents) or code, or None when unknown."""
    return _country_index().get(_folded(value))


def map_values(col: str, patterns: Sequence[tuple[str, str]]) -> pl.Expr:
    text = clean(col).str.to_lowercase()
    expr: Any = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for pattern, code in patterns:
        expr = expr.when(text.str.contains(pattern)).then(pl.lit(code))
    return expr.otherwise(None)


def year_range() -> tuple[int, int]:
    """The years a response date or wave may have (earlier or later ones are typing errors)."""
    return FIRST_YEAR, dt.date.today().year + YEARS_AHEAD


def wave_year(col: str) -> pl.Expr:
    """The year of a wave written as a quarter (``2024Q4``, ``-1Q1``); null for other waves."""
    return clean(col).str.extract(r"^([+-]?\d+)\s*-?\s*[Qq][1-4]$", 1).cast(pl.Int64, strict=False)


def parse_dates(col: str) -> pl.Expr:
    text = clean(col)
    formats = (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y",
        "%Y/%m/%d",
    )
    return pl.coalesce(
        [text.str.strptime(pl.Datetime, f, strict=False) for f in formats]
        + [text.str.slice(0, 19).str.strptime(pl.Datetime, "%Y-%m-%dT%H:%M:%S", strict=False)]
    )
