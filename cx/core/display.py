"""How values are written for people: display names and number formats, in one place.

Screen, PowerPoint, Excel, images and the command line's table output all format through
these functions, so a number or a name reads the same everywhere.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Final

from cx.core import i18n
from cx.core.i18n import N_, _, ngettext
from cx.core.paths import DATA_DIR
from cx.core.schema import (
    DEMO_DATASET,
    FILTER_DIMENSIONS,
    GROUP_DIMENSIONS,
    ITEM_LABELS,
    NO_INDUSTRY,
    STAGE_LABELS,
    SWITCH_INTENTS,
)

#: Sales channels as people name them (English; :func:`name` shows them in the language).
CHANNEL_NAMES: Final[dict[str, str]] = {
    "dealer": N_("Dealer"),
    "direct": N_("Direct"),
    "agency": N_("Agency"),
    "mobility": N_("Mobility"),
    "hybrid": N_("Hybrid (dealer + direct)"),
}
SEGMENT_NAMES: Final[dict[str, str]] = {"mass": N_("Mass market"), "premium": N_("Premium")}
OWNERSHIP_NAMES: Final[dict[str, str]] = {"owner": N_("Owner"), "user": N_("User (not owner)")}

#: NPS groups by their score on "How likely are you to recommend" (0-10), in scale order.
NPS_GROUPS: Final[dict[str, str]] = {
    "detractor": N_("Detractors (0-6)"),
    "passive": N_("Passives (7-8)"),
    "promoter": N_("Promoters (9-10)"),
}

#: The placeholder industry of uploads without one, named in the language by :func:`name`.
#: Industries themselves are data values, shown as stored in every language (as brands, dealers
#: and datasets are): the demo's, from data/industries.csv, and an upload's alike; the same name
#: in the sidebar, the tables, the charts and the headlines.
INDUSTRY_NAMES: Final[dict[str, str]] = {NO_INDUSTRY: N_("All respondents")}

#: Display names per dimension (codes not listed here are shown as they are).
NAMES: Final[dict[str, dict[str, str]]] = {
    "channel": CHANNEL_NAMES,
    "channels": CHANNEL_NAMES,
    "sales_model": CHANNEL_NAMES,
    "sales_models": CHANNEL_NAMES,
    "segment": SEGMENT_NAMES,
    "segments": SEGMENT_NAMES,
    "ownership": OWNERSHIP_NAMES,
    "item": ITEM_LABELS,
    "switch_intent": SWITCH_INTENTS,
    "stage": STAGE_LABELS,
    "stages": STAGE_LABELS,
    "nps_group": NPS_GROUPS,
    "industry": INDUSTRY_NAMES,
    "industries": INDUSTRY_NAMES,
    "group_dimension": GROUP_DIMENSIONS,
    "filter": FILTER_DIMENSIONS,
}


#: What a group with fewer responses than the minimum shows instead of a number.
#: English, as tables name their column of suppressed rows; :func:`too_small` in the language.
TOO_SMALL: Final = N_("n too small")

#: Human names of machine columns: the header of every report's table on screen ("Show data"),
#: in CSV and in Excel (:func:`cx.reports.common.human_table`). A table in which a column means
#: something narrower names it there ("nps" of those mentioning a topic); the tables below
#: name the narrowings several tables share.
COLUMN_NAMES: Final[dict[str, str]] = {
    # who and when
    "scope": N_("Scope"),
    "brand": N_("Brand"),
    "industry": N_("Industry"),
    "wave": N_("Wave"),
    "channel": N_("Channel"),
    "country": N_("Country code"),
    "region": N_("Region"),
    "language": N_("Language"),
    # NPS
    "n": N_("Responses (n)"),
    "n_effective": N_("Effective n"),
    "nps": N_("NPS"),
    "ci_low": N_("Interval low"),
    "ci_high": N_("Interval high"),
    "promoters_pct": N_("Promoters %"),
    "passives_pct": N_("Passives %"),
    "detractors_pct": N_("Detractors %"),
    "rest_nps": N_("Benchmark NPS"),
    "gap": N_("Gap (points)"),
    "gap_low": N_("Gap interval low"),
    "gap_high": N_("Gap interval high"),
    "p_value": N_("p-value"),
    "q_value": N_("q-value (false discovery rate)"),
    "wave_change": N_("Change since first wave (points)"),
    "wave_change_q": N_("Change q-value"),
    "wave_change_significant": N_("Significant change"),
    "significant": N_("Significant"),
    "suppressed": TOO_SMALL,
    # satisfaction (top-2-box) and key drivers
    "top2_pct": N_("Satisfied %"),
    "top2_low": N_("Interval low"),
    "top2_high": N_("Interval high"),
    "mean": N_("Mean (1-5)"),
    "dissatisfied_pct": N_("Dissatisfied %"),
    "switch_if_dissatisfied_pct": N_("Dissatisfied who intend to switch %"),
    "rest_value": N_("Other brands %"),
    "importance_pct": N_("Importance (% of R²)"),
    "importance_low": N_("Interval low"),
    "importance_high": N_("Interval high"),
    "raw_weight": N_("Relative weight"),
    "correlation": N_("Correlation with NPS score"),
    "model_r2": N_("Model R²"),
    "model_n": N_("Complete answers"),
    # switching and the funnel
    "within_6m_pct": N_("Within 6 months %"),
    "6_18m_pct": N_("In 6-18 months %"),
    "later_pct": N_("Later %"),
    "no_pct": N_("No intention %"),
    "switch_18m_pct": N_("Within 18 months %"),
    "leads": N_("Leads"),
    "test_drives": N_("Test drives"),
    "orders": N_("Orders"),
    "deliveries": N_("Deliveries"),
    "service_retained": N_("Service retained"),
    "referrals": N_("Referrals"),
    # outlets
    "rank": N_("Rank"),
    "dealer_name": N_("Outlet"),
    "dealer_id": N_("Outlet id"),
    "dealer_group": N_("Dealer group"),
    "shrunk_nps": N_("Shrunk NPS"),
    "shrunk_low": N_("Shrunk interval low"),
    "shrunk_high": N_("Shrunk interval high"),
    "pool_nps": N_("Brand NPS"),
    "pool_mean": N_("Mean shrunk towards"),
    "weakest_label": N_("Weakest stage (vs rest of brand)"),
    "weakest_gap": N_("Weakest stage gap (points)"),
    "change": N_("Change, later vs earlier waves (points)"),
    "change_q": N_("Change q-value"),
    "change_significant": N_("Change significant"),
    "outlets": N_("Ranked outlets"),
    # comments
    "mentions": N_("Mentioning (n)"),
    "share_pct": N_("Share %"),
    "share_low": N_("Interval low"),
    "share_high": N_("Interval high"),
    "rest_pct": N_("Other brands %"),
    "side": N_("Over-represented among"),
    "term": N_("Term"),
    "y_i": N_("Count among detractors"),
    "y_j": N_("Count among promoters"),
    "delta": N_("Log-odds ratio"),
    "side_z": N_("z"),
    "signed_z": N_("z (negative: detractors)"),
    "terms": N_("Top terms"),
    "comments": N_("Comments (estimated)"),
    "unmatched_pct": N_("Share of unmatched %"),
    "example": N_("Example (masked)"),
    "text": N_("Comment"),
    "nps_score": N_("Score (0-10)"),
    "topics": N_("Topics"),
    # published figures
    "figure_id": N_("Figure id"),
    "topic": N_("Topic"),
    "unit": N_("Unit"),
    "base": N_("Base"),
    "seed_file": N_("Source file"),
    "study": N_("Study"),
    "year": N_("Year"),
    "entity": N_("Entity"),
    "role_name": N_("Role"),
    "segment": N_("Segment"),
    "value": N_("Value"),
    "scale": N_("Scale"),
    "metric": N_("Metric"),
    "ranked": N_("Of (published brands)"),
    "percentile": N_("Percentile rank"),
    "quartile": N_("Quartile"),
    "plotted": N_("Plotted"),
    "publisher": N_("Publisher"),
    "source_url": N_("Source"),
    "note": N_("Note"),
    "published_rank": N_("Rank"),
    "share_top5_pct": N_("% placing it in their top five"),
    # the revenue model
    "input": N_("Input"),
    "changed": N_("Changed from preset"),
    "source": N_("Source"),
    "low_value": N_("Input lowered to"),
    "high_value": N_("Input raised to"),
    "at_low": N_("Total, input lowered (USD)"),
    "at_high": N_("Total, input raised (USD)"),
    "swing": N_("Swing (USD)"),
    "component": N_("Component"),
    "usd": N_("USD a year"),
    "shown_usd": N_("USD a year, as labelled (whole millions that add up)"),
    "vehicles": N_("Vehicles a year"),
}
#: Satisfaction tables count answers to an item (not responses), one row a stage.
ANSWER_COLUMNS: Final[dict[str, str]] = {"n": N_("Answers (n)"), "label": N_("Stage")}
#: Outlet scorecards show each outlet's raw NPS beside the shrunk one.
RAW_COLUMNS: Final[dict[str, str]] = {
    "nps": N_("Raw NPS"),
    "ci_low": N_("Raw interval low"),
    "ci_high": N_("Raw interval high"),
}
#: Tables of what comments say count respondents who commented.
COMMENTER_COLUMNS: Final[dict[str, str]] = {"n": N_("Commenters (n)")}


def column_name(key: str) -> str:
    """The human name of a machine column in the language ("nps_score" -> "Score (0-10)");
    a key without one is returned as it is."""
    found = COLUMN_NAMES.get(key)
    return _(found) if found is not None else key


def column_names(names: dict[str, str]) -> dict[str, str]:
    """A column-name map (:data:`COLUMN_NAMES`, :data:`ANSWER_COLUMNS`...) in the language."""
    return {key: _(value) for key, value in names.items()}


#: English human name -> machine key (to find a column a caller names in English).
_KEYS: Final[dict[str, str]] = {
    v: k
    for names_ in (COLUMN_NAMES, ANSWER_COLUMNS, RAW_COLUMNS, COMMENTER_COLUMNS)
    for k, v in names_.items()
}


def column_in(columns: Iterable[str], column: str) -> str:
    """The name a table uses for ``column``: ``column`` itself when the table has it, else its
    human name in the language or in English (``column`` a machine key or an English human
    name), else the human name in the language (a table that lacks it)."""
    present = set(columns)
    if not column or column in present:
        return column
    english = COLUMN_NAMES.get(column) or (column if column in _KEYS else None)
    if english is None:
        return column
    for candidate in (_(english), english):
        if candidate in present:
            return candidate
    return _(english)


def too_small() -> str:
    """What a group with fewer responses than the minimum shows, in the language."""
    return _(TOO_SMALL)


#: Words reports pass into sentences made here and in :mod:`cx.claims` (nouns counted or
#: named, benchmarks, predicates), marked for the catalogs: :func:`noun` shows each in the
#: language. Other text (names from data, words already translated) is shown as given.
WORDS: Final[frozenset[str]] = frozenset(
    {
        # rows, one and several
        N_("brand"),
        N_("brands"),
        N_("published brands"),
        N_("stage"),
        N_("stages"),
        N_("competency"),
        N_("competencies"),
        N_("channel"),
        N_("channels"),
        N_("country"),
        N_("countries"),
        N_("industry"),
        N_("industries"),
        N_("industries for overall experience"),
        N_("input"),
        N_("inputs"),
        N_("topic"),
        N_("topics"),
        N_("most mentioned topics"),
        N_("pairs"),
        N_("brand-topic pairs"),
        N_("cell"),
        N_("cells"),
        N_("brand-stage cell"),
        N_("brand-stage cells"),
        N_("outlet"),
        N_("outlets"),
        N_("outlets with both halves"),
        N_("outlet waves tested"),
        N_("comparisons with dealer sales"),
        N_("term"),
        N_("terms"),
        N_("terms tested"),
        N_("detractor share"),
        N_("respondents"),
        # benchmarks
        N_("the rest of the sample"),
        N_("the other channels"),
        N_("the other brands"),
        N_("the rest of their brand"),
        N_("the rest of their industry"),
        # comparisons
        N_("more satisfied"),
        N_("less satisfied"),
        N_("with the purchase"),
        N_("intend to switch brand within 18 months"),
    }
)


def noun(text: str) -> str:
    """A word a report passed in (:data:`WORDS`) in the language; other text as it is."""
    return _(text) if text in WORDS else text


@functools.cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 -> short English name, from the reference files in ``data/``."""
    names: dict[str, str] = {}
    for file in ("world_countries.csv", "countries.csv"):  # survey countries win
        path = DATA_DIR / file
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    names[row["country"]] = row["name"]
    return names


def country_name(code: Any) -> str:
    """A country code's name in the language: English from ``data/``, else the CLDR's."""
    text = str(code)
    if i18n.language() != i18n.DEFAULT:
        found = i18n.territory(text) if len(text) == 2 else None
        if found:
            return found
    return country_names().get(text, text)


def names_of(dimension: str) -> dict[str, str]:
    """The display names of a dimension's codes, in the language."""
    return {code: _(label) for code, label in NAMES.get(dimension, {}).items()}


def name(dimension: str, code: Any) -> str:
    """The display name of a code in a dimension (country -> name, channel -> "Direct"), in
    the language; codes without one (data values) are shown as they are."""
    if code is None:
        return _("not stated")
    text = str(code)
    if dimension in ("country", "countries"):
        return country_name(text)
    found = NAMES.get(dimension, {}).get(text)
    return text if found is None else _(found)


def names(dimension: str, codes: Iterable[Any]) -> list[str]:
    """:func:`name` of each code."""
    return [name(dimension, c) for c in codes]


def name_column(dimension: str, column: str) -> Any:
    """A Polars expression: the display names of a code column (codes without one unchanged)."""
    import polars as pl

    return pl.col(column).replace_strict(names_of(dimension), default=pl.col(column))


def stage_label(key: str) -> str:
    """A journey stage's (or satisfaction item's) label in the language."""
    return name("item", key)


def group_label(key: str) -> str:
    """A grouping dimension's label (:data:`GROUP_DIMENSIONS`) in the language."""
    return name("group_dimension", key)


def filter_label(key: str) -> str:
    """A sidebar filter's label (:data:`FILTER_DIMENSIONS`) in the language."""
    return name("filter", key)


def lower_name(dimension: str, code: Any) -> str:
    """The display name inside a sentence ("direct customers"), keeping proper nouns."""
    text = name(dimension, code)
    if dimension in ("channel", "channels", "segment", "segments", "ownership"):
        return text[:1].lower() + text[1:]
    return text


# --------------------------------------------------------------------------------------------
# Numbers (English as written below; other languages through Babel: 1 234,5 in Russian)
# --------------------------------------------------------------------------------------------


def _english() -> bool:
    return i18n.language() == i18n.DEFAULT


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _percent(number: str) -> str:
    """A formatted number with the language's percent sign (54%, 54 %)."""
    return f"{number}\u00a0%" if i18n.language() == "ru" else f"{number}%"


def _plural_n(value: float, digits: int) -> int:
    """The count that picks a plural form for a number as shown (a fraction: the form of
    "2", which Russian uses for decimals)."""
    shown = abs(round(float(value), digits))
    return int(shown) if shown == int(shown) else 2


def signed(value: float, digits: int = 0) -> str:
    """A score with its sign, as NPS is written (+15, -6); a value that rounds to zero is "0"
    (never "-0" or "+0")."""
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        return "0"
    return text if _english() else i18n.number(float(text), digits, signed=True)


def nps(value: Any, digits: int = 0) -> str:
    """An NPS value (+15, -6, 0), or an en dash when there is none."""
    return "–" if _missing(value) else signed(float(value), digits)


def points(value: Any, digits: int = 0) -> str:
    """A difference in points with its sign (+2.3 points)."""
    return _difference(value, digits, percentage=False)


def pct_points(value: Any, digits: int = 0) -> str:
    """A difference of percentages with its sign (+2 percentage points)."""
    return _difference(value, digits, percentage=True)


def _difference(value: Any, digits: int, *, percentage: bool) -> str:
    """A signed difference with its unit, in the language's plural form."""
    if _missing(value):
        return "–"
    text = signed(float(value), digits)
    n = _plural_n(float(value), digits)
    if _english():  # "-1 point" ("-1 points" was on the Overview's tile), "+1.0 points"
        unit = "percentage point" if percentage else "point"
        return f"{text} {unit}" if n == 1 and digits == 0 else f"{text} {unit}s"
    if percentage:
        form = ngettext("{value} percentage point", "{value} percentage points", n)
    else:
        form = ngettext("{value} point", "{value} points", n)
    return form.format(value=text)


def pct(value: Any, digits: int = 0) -> str:
    """A percentage (54%)."""
    if _missing(value):
        return "–"
    if _english():
        return f"{float(value):.{digits}f}%"
    return _percent(i18n.number(float(value), digits))


def share(value: Any, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage (0.126 -> 12.6%)."""
    if _missing(value):
        return "–"
    if _english():
        return f"{float(value) * 100:.{digits}f}%"
    return _percent(i18n.number(float(value) * 100, digits))


def published(value: Any) -> str:
    """A published figure as it was published: no decimals added or dropped (86, 65.6, -9)."""
    if _missing(value):
        return "–"
    text = f"{float(value):g}"
    if _english() or "e" in text:
        return text
    digits = len(text.split(".", 1)[1]) if "." in text else 0
    return i18n.number(float(value), digits)


def published_pct(value: Any) -> str:
    """A published percentage as it was published (52%, 65.6%)."""
    return "–" if _missing(value) else _percent(published(value))


def count(value: Any) -> str:
    """A count with thousands separators (12,345)."""
    if _missing(value):
        return "–"
    return f"{float(value):,.0f}" if _english() else i18n.number(float(value))


def n(value: Any) -> str:
    """A sample size label (n = 12,345)."""
    return f"n = {count(value or 0)}"


def usd_m(value: Any, digits: int = 0) -> str:
    """USD as millions ($182M; zh 1.82 亿美元, 4,800 万美元; ru $182 млн)."""
    if _missing(value):
        return "–"
    if _english():
        return f"${float(value) / 1e6:,.{digits}f}M"
    millions = round(float(value) / 1e6, digits)
    if i18n.language() == "zh":
        if abs(millions) >= 100:
            return _("{amount} hundred million USD").format(
                amount=i18n.number(millions / 100, digits + 2)
            )
        return _("{amount} ten thousand USD").format(
            amount=i18n.number(millions * 100, max(digits - 2, 0))
        )
    return _("${amount}M").format(amount=i18n.number(millions, digits))


def usd(value: Any) -> str:
    """USD in full ($48,724)."""
    if _missing(value):
        return "–"
    if _english():
        return f"${float(value):,.0f}"
    return _("${amount}").format(amount=i18n.number(float(value)))


def interval(low: Any, high: Any, formatter: Any = nps) -> str:
    """An interval as "+12 to +18" in the value's own format."""
    return _("{low} to {high}").format(low=formatter(low), high=formatter(high))


def p_value(value: Any) -> str:
    """A p-value for people (p < 0.001, p = 0.04)."""
    if _missing(value):
        return _("p not available")
    if float(value) < 0.001:
        return "p < 0.001" if _english() else f"p < {i18n.number(0.001, 3)}"
    return f"p = {float(value):.3f}" if _english() else f"p = {i18n.number(float(value), 3)}"


def ordinal(n: int) -> str:
    """A rank: 1st, 2nd, 3rd, 11th, 82nd (zh 第1, ru 1-е место: "11-й из 13 (отрасли)" said no place)."""
    if not _english():
        return _("{n}th").format(n=n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (zh "A、B和C", ru "A, B и C"); ``conjunction`` "or" for
    alternatives."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    if _english():
        return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
    template = _("{items} or {last}") if conjunction == "or" else _("{items} and {last}")
    separator = "、" if i18n.language() == "zh" else ", "
    return template.format(items=separator.join(words[:-1]), last=words[-1])


#: Spaces numbers are written with in some languages (1 234,5; 54 %): kept where text is
#: cleaned of characters that do not print.
_NUMBER_SPACES: Final = frozenset("\u00a0\u202f")


def _printable(ch: str) -> bool:
    return ch.isprintable() or ch in _NUMBER_SPACES


def clip(text: Any, limit: int = 80) -> str:
    """Printable characters only, shortened with an ellipsis (for text from links or files)."""
    clean = "".join(ch for ch in str(text) if _printable(ch))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=\"'&")
#: Where Markdown (GitHub's autolink literals) would turn plain text into a link: ``://``
#: after a scheme, ``www.`` and the ``@`` of an address. Escaping does not stop these.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
#: Invisible, and not part of a URL: after it, no autolink matches.
_BREAK = "\u200b"


def plain(text: Any, limit: int | None = None) -> str:
    """Text from data, a file or a link, escaped so Markdown renders it literally.

    Every Markdown and HTML special character gets a backslash, so ``[x](http://…)`` shows as
    text (no link), ``![x](…)`` fetches no image and ``<b>`` stays literal; newlines become
    spaces so a value cannot start a heading or a list. A zero-width space after ``https:``,
    ``www`` and ``@`` keeps bare addresses from becoming links. ``limit`` clips first.
    """
    value = clip(text, limit) if limit else "".join(ch for ch in str(text) if _printable(ch))
    value = _AUTOLINK.sub(_BREAK, value)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)


def headers(columns: Sequence[str]) -> dict[str, str]:
    """Each human column name of a table -> its header in the current language, for display
    only (screen, CSV, Excel). A report's table keeps its English human names: its claims and
    checks, number formats (:func:`column_formats`) and column settings find columns by them.
    Headers stay distinct: a translation already taken keeps the English name."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        shown = _(column) if column else column
        if shown in taken:
            shown = column
        while shown in taken:  # an English name another column's translation took
            shown += "\u200b"
        taken.add(shown)
        out[column] = shown
    return out


def translated(frame: Any) -> Any:
    """``frame`` with its headers in the current language (:func:`headers`)."""
    return frame.rename(headers(frame.columns))


#: The demo dataset's label as the build writes it (in English, into the catalogue), and the
#: pattern that reads it back to say it in another language.
DEMO_LABEL_TEXT: Final = "Demo: synthetic survey ({rows} respondents, seed {seed})"
DEMO_LABEL: Final = re.compile(
    re.escape(DEMO_LABEL_TEXT)
    .replace(re.escape("{rows}"), r"(?P<rows>[\d,]+)")
    .replace(re.escape("{seed}"), r"(?P<seed>\d+)")
)


def dataset_label(dataset: str, label: str) -> str:
    """A dataset's label as shown (sidebar, decks, workbooks, briefs): the demo's in the current
    language (its label as the build wrote it, read back), an upload's as its analyst wrote it."""
    demo = DEMO_LABEL.fullmatch(label) if dataset == DEMO_DATASET else None
    if demo is None or _english():
        return label
    return _("Demo: synthetic survey ({rows} respondents, seed {seed})").format(
        rows=i18n.number(int(demo["rows"].replace(",", ""))), seed=demo["seed"]
    )


def width(text: str) -> int:
    """The columns ``text`` takes in a proportional font, roughly: Chinese, Japanese and Korean
    characters (East Asian wide and full-width) count two, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` (:func:`width`), broken at spaces, or between
    Chinese characters, which need none; a word longer than a line keeps a line of its own."""
    pieces = re.findall(
        r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef][，。；：、）》」]?|\S+|\s+", text
    )
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and not piece.isspace() and width(line + piece) > columns:
            lines.append(line.rstrip())
            line = ""
        if not (piece.isspace() and not line):
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def adding_up(values: Sequence[float]) -> list[int]:
    """Whole numbers for ``values`` and, last, for their total, such that the parts add up to
    the total, which is the total rounded: each part is rounded down, and the parts with the
    largest remainders are rounded up until they do (the largest-remainder method). A part is
    never more than one away from its value."""
    total = round(sum(values))
    floors = [math.floor(v) for v in values]
    short = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in order[: max(0, short)]:
        floors[i] += 1
    return [*floors, total]
