"""How values are written for people: display names and number formats, in one place.

Screen, PowerPoint, Excel, images and the command line's table output all format through
these functions, so a number or a name reads the same everywhere.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable
from typing import Any, Final

from cx.core.paths import DATA_DIR
from cx.core.schema import ITEM_LABELS, SWITCH_INTENTS

#: Sales channels as people name them.
CHANNEL_NAMES: Final[dict[str, str]] = {
    "dealer": "Dealer",
    "direct": "Direct",
    "agency": "Agency",
    "mobility": "Mobility",
    "hybrid": "Hybrid (dealer + direct)",
}
SEGMENT_NAMES: Final[dict[str, str]] = {"mass": "Mass market", "premium": "Premium"}
OWNERSHIP_NAMES: Final[dict[str, str]] = {"owner": "Owner", "user": "User (not owner)"}

#: NPS groups by their score on "How likely are you to recommend" (0-10), in scale order.
NPS_GROUPS: Final[dict[str, str]] = {
    "detractor": "Detractors (0-6)",
    "passive": "Passives (7-8)",
    "promoter": "Promoters (9-10)",
}

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
}


#: What a group with fewer responses than the minimum shows instead of a number.
TOO_SMALL: Final = "n too small"

#: Human names of machine columns: the header of every report's table on screen ("Show data"),
#: in CSV and in Excel (:func:`cx.reports.common.human_table`). A table in which a column means
#: something narrower names it there ("nps" of those mentioning a topic); the tables below
#: name the narrowings several tables share.
COLUMN_NAMES: Final[dict[str, str]] = {
    # who and when
    "scope": "Scope",
    "brand": "Brand",
    "industry": "Industry",
    "wave": "Wave",
    "channel": "Channel",
    "country": "Country code",
    "region": "Region",
    "language": "Language",
    # NPS
    "n": "Responses (n)",
    "n_effective": "Effective n",
    "nps": "NPS",
    "ci_low": "Interval low",
    "ci_high": "Interval high",
    "promoters_pct": "Promoters %",
    "passives_pct": "Passives %",
    "detractors_pct": "Detractors %",
    "rest_nps": "Benchmark NPS",
    "gap": "Gap (points)",
    "gap_low": "Gap interval low",
    "gap_high": "Gap interval high",
    "p_value": "p-value",
    "q_value": "q-value (false discovery rate)",
    "wave_change": "Change since first wave (points)",
    "wave_change_q": "Change q-value",
    "wave_change_significant": "Significant change",
    "significant": "Significant",
    "suppressed": TOO_SMALL,
    # satisfaction (top-2-box) and key drivers
    "top2_pct": "Satisfied %",
    "top2_low": "Interval low",
    "top2_high": "Interval high",
    "mean": "Mean (1-5)",
    "dissatisfied_pct": "Dissatisfied %",
    "switch_if_dissatisfied_pct": "Dissatisfied who intend to switch %",
    "rest_value": "Other brands %",
    "importance_pct": "Importance (% of R²)",
    "importance_low": "Interval low",
    "importance_high": "Interval high",
    "raw_weight": "Relative weight",
    "correlation": "Correlation with NPS score",
    "model_r2": "Model R²",
    "model_n": "Complete answers",
    # switching and the funnel
    **{f"{code}_pct": f"{label} %" for code, label in SWITCH_INTENTS.items()},
    "switch_18m_pct": "Within 18 months %",
    "leads": "Leads",
    "test_drives": "Test drives",
    "orders": "Orders",
    "deliveries": "Deliveries",
    "service_retained": "Service retained",
    "referrals": "Referrals",
    # outlets
    "rank": "Rank",
    "dealer_name": "Outlet",
    "dealer_id": "Outlet id",
    "dealer_group": "Dealer group",
    "shrunk_nps": "Shrunk NPS",
    "shrunk_low": "Shrunk interval low",
    "shrunk_high": "Shrunk interval high",
    "pool_nps": "Brand NPS",
    "pool_mean": "Brand mean (shrunk towards)",
    "weakest_label": "Weakest stage (vs rest of brand)",
    "weakest_gap": "Weakest stage gap (points)",
    "change": "Change, later vs earlier waves (points)",
    "change_q": "Change q-value",
    "change_significant": "Change significant",
    "outlets": "Ranked outlets",
    # comments
    "mentions": "Mentioning (n)",
    "share_pct": "Share %",
    "share_low": "Interval low",
    "share_high": "Interval high",
    "rest_pct": "Other brands %",
    "side": "Over-represented among",
    "term": "Term",
    "y_i": "Count among detractors",
    "y_j": "Count among promoters",
    "delta": "Log-odds ratio",
    "side_z": "z",
    "signed_z": "z (negative: detractors)",
    "terms": "Top terms",
    "comments": "Comments (estimated)",
    "unmatched_pct": "Share of unmatched %",
    "example": "Example (masked)",
    "text": "Comment",
    "nps_score": "Score (0-10)",
    "topics": "Topics",
    # published figures
    "figure_id": "Figure id",
    "study": "Study",
    "year": "Year",
    "entity": "Entity",
    "role_name": "Role",
    "segment": "Segment",
    "value": "Value",
    "scale": "Scale",
    "metric": "Metric",
    "ranked": "Of (published brands)",
    "percentile": "Percentile rank",
    "quartile": "Quartile",
    "plotted": "Plotted",
    "publisher": "Publisher",
    "source_url": "Source",
    "note": "Note",
    "published_rank": "Rank",
    "share_top5_pct": "% placing it in their top five",
    # the revenue model
    "input": "Input",
    "changed": "Changed from preset",
    "source": "Source",
    "low_value": "Input lowered to",
    "high_value": "Input raised to",
    "at_low": "Total, input lowered (USD)",
    "at_high": "Total, input raised (USD)",
    "swing": "Swing (USD)",
    "component": "Component",
    "usd": "USD a year",
    "vehicles": "Vehicles a year",
}
#: Satisfaction tables count answers to an item (not responses), one row a stage.
ANSWER_COLUMNS: Final[dict[str, str]] = {"n": "Answers (n)", "label": "Stage"}
#: Outlet scorecards show each outlet's raw NPS beside the shrunk one.
RAW_COLUMNS: Final[dict[str, str]] = {
    "nps": "Raw NPS",
    "ci_low": "Raw interval low",
    "ci_high": "Raw interval high",
}
#: Tables of what comments say count respondents who commented.
COMMENTER_COLUMNS: Final[dict[str, str]] = {"n": "Commenters (n)"}


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


def name(dimension: str, code: Any) -> str:
    """The display name of a code in a dimension (country -> name, channel -> "Direct")."""
    if code is None:
        return "not stated"
    text = str(code)
    if dimension in ("country", "countries"):
        return country_names().get(text, text)
    return NAMES.get(dimension, {}).get(text, text)


def names(dimension: str, codes: Iterable[Any]) -> list[str]:
    """:func:`name` of each code."""
    return [name(dimension, c) for c in codes]


def name_column(dimension: str, column: str) -> Any:
    """A Polars expression: the display names of a code column (codes without one unchanged)."""
    import polars as pl

    return pl.col(column).replace_strict(NAMES.get(dimension, {}), default=pl.col(column))


def lower_name(dimension: str, code: Any) -> str:
    """The display name inside a sentence ("direct customers"), keeping proper nouns."""
    text = name(dimension, code)
    if dimension in ("channel", "channels", "segment", "segments", "ownership"):
        return text[:1].lower() + text[1:]
    return text


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def signed(value: float, digits: int = 0) -> str:
    """A score with its sign, as NPS is written (+15, -6); a value that rounds to zero is "0"
    (never "-0" or "+0")."""
    text = f"{value:+.{digits}f}"
    return "0" if float(text) == 0 else text


def nps(value: Any, digits: int = 0) -> str:
    """An NPS value (+15, -6, 0), or an en dash when there is none."""
    return "–" if _missing(value) else signed(float(value), digits)


def points(value: Any, digits: int = 0) -> str:
    """A difference in points with its sign (+2.3 points)."""
    return "–" if _missing(value) else f"{signed(float(value), digits)} points"


def pct(value: Any, digits: int = 0) -> str:
    """A percentage (54%)."""
    return "–" if _missing(value) else f"{float(value):.{digits}f}%"


def share(value: Any, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage (0.126 -> 12.6%)."""
    return "–" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def published(value: Any) -> str:
    """A published figure as it was published: no decimals added or dropped (86, 65.6, -9)."""
    return "–" if _missing(value) else f"{float(value):g}"


def published_pct(value: Any) -> str:
    """A published percentage as it was published (52%, 65.6%)."""
    return "–" if _missing(value) else f"{published(value)}%"


def count(value: Any) -> str:
    """A count with thousands separators (12,345)."""
    return "–" if _missing(value) else f"{float(value):,.0f}"


def n(value: Any) -> str:
    """A sample size label (n = 12,345)."""
    return f"n = {count(value or 0)}"


def usd_m(value: Any, digits: int = 0) -> str:
    """USD as millions ($182M)."""
    return "–" if _missing(value) else f"${float(value) / 1e6:,.{digits}f}M"


def usd(value: Any) -> str:
    """USD in full ($48,724)."""
    return "–" if _missing(value) else f"${float(value):,.0f}"


def interval(low: Any, high: Any, formatter: Any = nps) -> str:
    """An interval as "+12 to +18" in the value's own format."""
    return f"{formatter(low)} to {formatter(high)}"


def p_value(value: Any) -> str:
    """A p-value for people (p < 0.001, p = 0.04)."""
    if _missing(value):
        return "p not available"
    return "p < 0.001" if float(value) < 0.001 else f"p = {float(value):.3f}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 82nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def clip(text: Any, limit: int = 80) -> str:
    """Printable characters only, shortened with an ellipsis (for text from links or files)."""
    clean = "".join(ch for ch in str(text) if ch.isprintable())
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
    value = clip(text, limit) if limit else "".join(ch for ch in str(text) if ch.isprintable())
    value = _AUTOLINK.sub(_BREAK, value)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in value)
