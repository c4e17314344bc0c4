"""Colours and the Plotly template: one colour per meaning, the same on screen, in PNG/SVG and
in PowerPoint.

Colour families never share a colour, so no colour means two things:

- significance (:data:`BETTER`, :data:`WORSE`, :data:`NEUTRAL`) is used only to say that a
  difference is significant (or not);
- NPS groups (promoters, passives, detractors) have their own three colours;
- each sales channel has one colour (:data:`CHANNEL_COLOURS`) on every chart of every page;
- series of other dimensions (brands in a trend, studies) take :data:`SERIES` in order;
- provenance (published, model, self-assessment) and the highlight of a named group have their own.

Ink, rules, surfaces and the maps' land and sea are here too: no colour is written anywhere
else (a test scans the code), so the screen, images, decks and workbooks cannot drift apart.

All colours are from colour-blind-safe sets (Okabe-Ito, Paul Tol's muted scheme).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import plotly.graph_objects as go
import plotly.io as pio
from babel.numbers import get_decimal_symbol, get_group_symbol

from cx.core import i18n
from cx.core.i18n import N_, _

# --- significance: reserved for "significantly above / below", never for a category --------
BETTER: Final = "#0072B2"  # significantly above the benchmark (Okabe-Ito blue)
WORSE: Final = "#D55E00"  # significantly below (Okabe-Ito vermillion)
NEUTRAL: Final = "#8C959F"  # not significant: never coloured as a win or a loss
SUPPRESSED: Final = "#D0D4D9"  # n too small

# --- NPS groups ------------------------------------------------------------------------------
PROMOTER: Final = "#117733"  # Tol green
PASSIVE: Final = "#C9CED6"
DETRACTOR: Final = "#882255"  # Tol wine
#: The groups' colours by code (names: :data:`cx.core.display.NPS_GROUPS`), in scale order.
NPS_GROUP_COLOURS: Final[dict[str, str]] = {
    "detractor": DETRACTOR,
    "passive": PASSIVE,
    "promoter": PROMOTER,
}

# --- provenance and emphasis -----------------------------------------------------------------
PUBLISHED: Final = "#AA4499"  # published figures (Tol purple)
PUBLISHED_REFERENCE: Final = "#DDB8D6"  # published averages and groups shown beside brands
MODEL: Final = "#996600"  # model estimates (revenue at risk)
ACCENT: Final = "#0B6E99"  # the one series of a single-series survey chart
HIGHLIGHT: Final = "#DDAA33"  # a named group the finding is about (e.g. automotive)
BENCHMARK: Final = "#9DB9D3"  # the population a unit is compared with (e.g. the rest of a brand)
#: The revenue model's tornado: the total with an input lowered, and raised.
INPUT_LOWERED: Final = "#88CCEE"
INPUT_RAISED: Final = MODEL

SELF_ASSESSED: Final = "#009E73"  # an organisation's own self-assessment (Okabe-Ito green)
RECORDS: Final = "#6E7F91"  # a dataset's operational records (dealer CRM), not survey answers

# --- ink, rules and surfaces -----------------------------------------------------------------
INK: Final = "#1B1F24"
MUTED: Final = "#5F6B7A"
GRID: Final = "#E5E8EC"
LABEL: Final = "#3A4452"  # value labels beside bars and points
WHISKER: Final = "#4A5563"  # interval whiskers and the tornado's base line
RULE: Final = "#9AA0A6"  # zero lines and the waterfall's connectors
GUIDE: Final = "#C3CBD4"  # dotted guides (the quadrant's medians)
ON_DARK: Final = "#FFFFFF"  # text on a dark fill
RIM: Final = "#FFFFFF"  # the rim of a marker drawn over others
PAPER: Final = "#FFFFFF"  # the ground of exported images
TRANSPARENT: Final = "rgba(0,0,0,0)"  # on screen the app's ground shows through
CARD: Final = "#F3F5F8"  # key-figure cards on slides
CARD_EDGE: Final = "#D5DAE1"
TABLE_HEAD: Final = "#E8EDF2"  # header cells of workbook sheets
LINK: Final = ACCENT  # links in workbooks

# --- categories ------------------------------------------------------------------------------
#: One colour per sales channel (and sales model), on every chart and in every export.
CHANNEL_COLOURS: Final[dict[str, str]] = {
    "dealer": "#44AA99",  # teal
    "direct": "#332288",  # indigo
    "agency": "#DDCC77",  # sand
    "mobility": "#88CCEE",  # cyan
    "hybrid": "#999933",  # olive
}

#: Switching intent, most urgent darkest (a sequence, not significance).
SWITCH_COLOURS: Final[dict[str, str]] = {
    "within_6m": "#4B2991",
    "6_18m": "#8F6BBD",
    "later": "#CDBDE3",
    "no": "#E4E7EB",
}

#: IBM's CX archetypes: published figures, darkest for the Elite (a sequence, not significance).
ARCHETYPE_COLOURS: Final[dict[str, str]] = {
    "Elite": PUBLISHED,
    "Pro": "#C68AB9",
    "Amateur": PUBLISHED_REFERENCE,
}

#: Series of other dimensions (brands in a trend, studies), in order of appearance.
SERIES: Final[tuple[str, ...]] = (
    "#332288",
    "#44AA99",
    "#CC6677",
    "#999933",
    "#88CCEE",
    "#AA4499",
    "#DDCC77",
    "#661100",
)

#: Diverging scale for heatmaps around a centre (below -> above), colour-blind safe (PuOr).
DIVERGING: Final = [
    [0.0, "#B35806"],
    [0.25, "#F1A340"],
    [0.5, "#F7F7F7"],
    [0.75, "#998EC3"],
    [1.0, "#542788"],
]

#: The NPS colour scale of maps (low orange, high purple; not the significance colours): the
#: diverging scale's ends and middle, on screen (pydeck, via :func:`map_rgba`) and in exports.
MAP_SCALE: Final = DIVERGING[::2]
LAND: Final = "#E8EDF2"  # country outlines (Natural Earth) and their coasts
COAST: Final = "#B9C2CC"
SEA: Final = "#F7F9FB"  # the ground of the on-screen map


@dataclass(frozen=True)
class Provenance:
    """Where a chart's numbers come from, in the words and colour every surface uses.

    ``label`` and ``short`` are marked messages (:func:`cx.core.i18n.N_`): every place that
    shows them translates them with :func:`cx.core.i18n._`.

    Attributes:
        label: what the numbers are: the badge on screen, the kicker of a slide, the
            Provenance column of a workbook, and the start of a footnote or an exported
            image's subtitle when the subtitle does not already open with ``short``.
        short: the words a chart's subtitle opens with ("Model · ...").
        icon: the screen badge's icon.
        colour: the kind's colour (a slide's kicker).
        badge: Streamlit's named badge colour nearest to ``colour`` (the screen's badge).
    """

    label: str
    short: str
    icon: str
    colour: str
    badge: str


#: The kinds of numbers a chart can show, by :attr:`cx.exports.chart.Chart.kind`.
#: Streamlit's badge colours as the prose names them.
BADGE_COLOURS: Final[dict[str, str]] = {
    "blue": N_("blue"),
    "violet": N_("violet"),
    "orange": N_("orange"),
    "green": N_("green"),
    "red": N_("red"),
    "gray": N_("gray"),
}

PROVENANCE: Final[dict[str, Provenance]] = {
    "survey": Provenance(
        N_("Survey sample"), N_("Survey sample"), ":material/groups:", ACCENT, "blue"
    ),
    "published": Provenance(
        N_("Published figures"),
        N_("Published figures"),
        ":material/menu_book:",
        PUBLISHED,
        "violet",
    ),
    "model": Provenance(N_("Model estimate"), N_("Model"), ":material/calculate:", MODEL, "orange"),
    "assessment": Provenance(
        N_("Self-assessment"), N_("Self-assessment"), ":material/checklist:", SELF_ASSESSED, "green"
    ),
    "records": Provenance(
        N_("Dealer-CRM records"), N_("Dealer-CRM records"), ":material/database:", RECORDS, "gray"
    ),
}


def provenance_line(kind: str, subtitle: str) -> str:
    """A chart's subtitle that says where its numbers come from: as it is when it opens with
    the kind's short words, else with the kind's label in front (slide footnotes, exported
    images and workbooks all read it here), in the current language."""
    kind_ = PROVENANCE[kind]
    if subtitle.startswith((_(kind_.short), kind_.short)):
        return subtitle
    return f"{_(kind_.label)} · {subtitle}"


def separators(lang: str | None = None) -> str:
    """Plotly's ``layout.separators`` for a language (the current one by default): its
    decimal mark, then its thousands mark, as :func:`cx.core.i18n.number` writes them
    ("." and "," in English and Chinese; "," and a no-break space in Russian)."""
    where = i18n.locale(lang)
    return get_decimal_symbol(where) + get_group_symbol(where)


def localised(text: str, lang: str | None = None) -> str:
    """A number formatted by Python (``f"{v:,.1f}"``) with the language's decimal and
    thousands marks instead of "." and "," (English and Chinese: unchanged; Russian:
    ``12 345,5``), for the value labels and hover texts charts write themselves."""
    marks = separators(lang)
    decimal, group = marks[0], marks[1:]
    if marks == ".,":
        return text
    return text.translate({ord("."): decimal, ord(","): group})


#: Latin faces of charts, images and the printed digest, first found wins (Cyrillic too).
LATIN_FONTS: Final = ("Inter", "Segoe UI", "Helvetica Neue", "Arial", "Noto Sans", "DejaVu Sans")
#: Faces with Chinese glyphs after them, so Chinese survey text (comments, terms, outlet and
#: brand names) is drawn, never as empty boxes: Debian's ``fonts-noto-cjk`` where images and the
#: digest are rendered, Windows' and macOS' own faces for charts drawn in a viewer's browser.
CJK_FONTS: Final = ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC")
#: The CSS font stack (Plotly's ``font.family``, the digest's ``font-family``).
FONT: Final = ", ".join((*LATIN_FONTS, *CJK_FONTS, "sans-serif"))
#: Decks name one face per script (PowerPoint takes no stack): the Latin face of PowerPoint's
#: own default theme, and the East Asian face Office has on Windows and macOS (LibreOffice
#: replaces it with an installed CJK face such as Noto Sans CJK SC).
DECK_LATIN_FONT: Final = "Calibri"
DECK_EAST_ASIAN_FONT: Final = "Microsoft YaHei"

#: Colours per dimension that has a fixed mapping.
CATEGORY_COLOURS: Final[dict[str, dict[str, str]]] = {
    "channel": CHANNEL_COLOURS,
    "sales_model": CHANNEL_COLOURS,
    "switch_intent": SWITCH_COLOURS,
}


def colours_for(dimension: str, values: Iterable[str]) -> list[str]:
    """The colour of each value: its fixed colour where the dimension has one, else
    :data:`SERIES` by position (the same function serves screen, images and decks)."""
    fixed = CATEGORY_COLOURS.get(dimension, {})
    out = []
    for i, value in enumerate(values):
        out.append(fixed.get(str(value), SERIES[i % len(SERIES)]))
    return out


def colour_map(dimension: str, values: Sequence[str]) -> dict[str, str]:
    """:func:`colours_for` as a mapping value -> colour."""
    return dict(zip(values, colours_for(dimension, values), strict=True))


#: The marks beside a value whose gap to its benchmark is significant.
ABOVE: Final = "▲"
BELOW: Final = "▼"
MARKS: Final = f"{ABOVE}{BELOW}"  # the two as a subtitle's legend names them


class Significance(NamedTuple):
    """How a gap to a benchmark is drawn: the colour of its bar or point, and the mark beside
    its value (:data:`ABOVE`, :data:`BELOW`, or empty when not significant)."""

    colour: str
    mark: str


def significance(significant: object, gap: object, suppressed: object = False) -> Significance:
    """The colour and mark of a group against its benchmark: blue and ▲ for a significant gap
    above, vermillion and ▼ below, grey and no mark otherwise (light grey when n is too
    small). Every figure builder and every native chart of a deck asks here."""
    if suppressed:
        return Significance(SUPPRESSED, "")
    if not significant or gap is None:
        return Significance(NEUTRAL, "")
    if float(gap) > 0:  # type: ignore[arg-type]
        return Significance(BETTER, ABOVE)
    return Significance(WORSE, BELOW)


def highlighted(labels: Iterable[object], named: Iterable[object], base: str) -> list[str]:
    """The colour of each bar: :data:`HIGHLIGHT` for the groups a finding names, ``base`` for
    the others (a figure and its deck's native chart both ask here)."""
    chosen = set(named)
    return [HIGHLIGHT if label in chosen else base for label in labels]


def is_dark(hex_colour: str) -> bool:
    """Whether white text reads better than ink on this colour (relative luminance); screen
    charts and slides both ask here."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.55


def text_on(hex_colour: str) -> str:
    """The label colour that reads on a bar of this colour: white or ink."""
    return ON_DARK if is_dark(hex_colour) else INK


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as red, green and blue from 0 to 255 (pydeck and PowerPoint want numbers)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as an ``rgba()`` string."""
    r, g, b = rgb(hex_colour)
    return f"rgba({r},{g},{b},{alpha})"


def scale_rgb(scale: Sequence[Sequence[Any]], t: float) -> tuple[int, int, int]:
    """The colour at ``t`` (0 to 1) of a Plotly colour scale, interpolated as Plotly does, so
    a map drawn by pydeck matches its Plotly twin."""
    t = max(0.0, min(1.0, t))
    stops = [(float(at), rgb(str(colour))) for at, colour in scale]
    for (a, low), (b, high) in itertools.pairwise(stops):
        if t <= b:
            f = (t - a) / ((b - a) or 1.0)
            red, green, blue = (round(lo + (hi - lo) * f) for lo, hi in zip(low, high, strict=True))
            return red, green, blue
    return stops[-1][1]


def map_rgba(value: float | None, low: float, high: float) -> list[int]:
    """The on-screen map's colour of an NPS value (RGBA, 0-255): :data:`MAP_SCALE` from
    ``low`` to ``high``, :data:`SUPPRESSED` where n is too small (``None``)."""
    if value is None:
        return [*rgb(SUPPRESSED), 200]
    return [*scale_rgb(MAP_SCALE, (value - low) / ((high - low) or 1.0)), 220]


#: A figure's margins in pixels (the template's; a screen figure keeps its right one, which
#: Streamlit's theme would drop: :func:`cx.charts.figures.screen`).
MARGIN: Final = {"l": 10, "r": 20, "t": 80, "b": 40}


def register() -> None:
    """Register and select the ``cxbench`` Plotly template (idempotent)."""
    template = go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": INK},
            title={"font": {"size": 16}, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
            colorway=list(SERIES),
            paper_bgcolor=TRANSPARENT,
            plot_bgcolor=TRANSPARENT,
            margin=dict(MARGIN),
            xaxis={"gridcolor": GRID, "zerolinecolor": RULE, "automargin": True},
            yaxis={"gridcolor": GRID, "zerolinecolor": RULE, "automargin": True},
            legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "title": None},
            hoverlabel={"font": {"family": FONT}},
        )
    )
    # Merge with plotly_white once: a "plotly_white+cxbench" default would be merged again
    # for every figure built (a measurable share of server time under load). Only the trace
    # types the app draws keep their defaults, and no polar, 3D or ternary axes: every figure
    # copies its template as it is made and carries it to the browser (7 KB of 24 trace types'
    # defaults, now 3 KB).
    merged = pio.templates.merge_templates(pio.templates["plotly_white"], template)
    spec = merged.to_plotly_json()
    spec["data"] = {k: v for k, v in spec.get("data", {}).items() if k in TRACE_TYPES}
    spec["layout"] = {k: v for k, v in spec["layout"].items() if k not in UNUSED_AXES}
    pio.templates["cxbench"] = go.layout.Template(spec)
    pio.templates.default = "cxbench"


#: The trace types the app's figures are made of (the template keeps their defaults only;
#: ``tests/unit/test_charts.py`` holds every trace the code makes to this list).
TRACE_TYPES: Final = frozenset(
    {"bar", "box", "choropleth", "heatmap", "scatter", "scattergeo", "waterfall"}
)
#: Layout sections of the base template for axes no figure has.
UNUSED_AXES: Final = frozenset({"polar", "scene", "ternary"})


register()
