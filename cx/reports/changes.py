"""What changed: the latest wave against the previous one (or two waves picked), for every cell
a user could look at, one family of tests; and each outlet's control chart.

The statistics are :func:`cx.metrics.changes.compare_waves` (the cells, the tests, the
false-discovery control) and :func:`cx.metrics.control.detractor_charts` (the p-charts); this
module names the cells, links each to the page and filters that show it, and builds the charts
whose headlines are claims of :mod:`cx.claims`. The digest (``python -m cx digest``) is built
from the same result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

import polars as pl

from cx.charts import changes as figures
from cx.claims import changes as changes_claims
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import cell, headline
from cx.core import display, i18n
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, Finding
from cx.metrics import changes, control, kept, measures, outlets
from cx.reports import brands, channels, countries, dealers, journey, overview, voice
from cx.reports.base import (
    Choice,
    Pick,
    Report,
    Runner,
    Source,
    Summary,
    filter_values,
    one_of,
)
from cx.reports.common import human_table, industries_scope, wave_change_claim, wave_table
from cx.text import topics

#: Changes drawn on the chart (the table has every cell tested).
MAX_DRAWN = 12
#: Outlets drawn on the outlets chart.
MAX_OUTLETS = 12
#: What each metric's values are, in the tables.
MEASURES: dict[str, str] = {
    "nps": N_("NPS"),
    "outlet_nps": N_("NPS"),
    "satisfied": N_("Satisfied %"),
    "topic_share": N_("% of commenters"),
}
#: The unit of each metric's figures (claims and labels).
UNITS: dict[str, claims.Unit] = {
    "nps": "nps",
    "outlet_nps": "nps",
    "satisfied": "pct",
    "topic_share": "pct",
}
#: Human columns of the changes table, in order: whether a change counts next to its size (at
#: 1366 the table showed eight columns, cut at "q-value (false…", and the verdict was off-screen).
COLUMNS: dict[str, str] = {
    "label": N_("Change in"),
    "link": N_("Shown on"),
    "before": N_("From"),
    "after": N_("To"),
    "shown": N_("Change (points)"),
    "significant": N_("Significant change"),
    "q_value": N_("q-value (false discovery rate)"),
    "ci_low": N_("Interval low"),
    "ci_high": N_("Interval high"),
    "p_value": N_("p-value"),
    "n_before": N_("n before"),
    "n_after": N_("n after"),
    "measure": N_("Measure"),
}
#: Human columns of an outlet's control chart.
CONTROL_COLUMNS: dict[str, str] = {
    "wave": N_("Wave"),
    "share_pct": N_("Detractors %"),
    "baseline_pct": N_("Baseline %"),
    "lower_pct": N_("Lower limit %"),
    "upper_pct": N_("Upper limit %"),
    "n": N_("Responses (n)"),
    "watched": N_("Tested"),
    "q_value": N_("q-value (false discovery rate)"),
    "beyond": N_("Beyond limits"),
    "hidden": N_("n too small"),
}


@dataclass(frozen=True)
class ChangesResult:
    """Every cell's change between two waves, and the outlets' control charts.

    Attributes:
        options: statistical options; selection: the sidebar's selection.
        waves: the waves of the selection, oldest first.
        family: the family of tests (None when there are not two waves to compare).
        table: the family's cells (:data:`cx.metrics.changes.COLUMNS`) with ``label`` (the cell
            in words), ``measure``, ``unit`` and ``link`` (the page and filters showing it).
        control: the outlets' p-charts (None without two waves).
        outlet: the chosen outlet's row of ``control.outlets`` (None when there is none).
        choices: the page's resolved picks.
        overall: the selection's NPS in the later wave against the earlier one, tested on its
            own as the Overview tests it (None when either wave is too small).
        overall_table: its two waves as the Overview's trend table has them (:func:`wave_table`).
        scope: whose NPS ``overall`` is ("all 13 industries").
    """

    options: Options
    selection: Selection
    waves: tuple[str, ...]
    family: changes.Family | None
    table: pl.DataFrame
    control: control.ControlCharts | None
    outlet: dict[str, Any] | None
    choices: dict[str, Choice] = field(default_factory=dict)
    overall: measures.WaveChange | None = None
    overall_table: pl.DataFrame = field(default_factory=pl.DataFrame)
    scope: str = ""

    @property
    def pair(self) -> tuple[str, str] | None:
        """The earlier and the later wave compared."""
        return (self.family.start, self.family.end) if self.family else None


def outlet_key(row: dict[str, Any]) -> str:
    """An outlet's pick value: its id and brand (an outlet selling two brands is two)."""
    return f"{row['dealer_id']}|{row['brand']}"


def figure_text(value: float, unit: str) -> str:
    """A cell's figure as its labels show it (+23 for NPS, 54% for shares)."""
    return display.nps(value) if unit == "nps" else display.pct(value)


def outlet_name(row: dict[str, Any]) -> str:
    """An outlet in words: its name, and its brand when the name does not say it."""
    name = str(row.get("dealer_name") or row["dealer_id"])
    brand = row.get("brand")
    return name if not brand or str(brand) in name else f"{name} · {brand}"


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    wave: str | None = None,
    since: str | None = None,
    outlet: str | None = None,
) -> ChangesResult:
    """The selection's latest wave (or ``wave``) against the one before (or ``since``)."""
    values = filter_values(run, sel.dataset)
    waves = tuple(sorted(w for w in values.get("waves", []) if not sel.waves or w in sel.waves))
    pair = changes.pair_of(waves, wave, since)
    if pair is None:
        choices = {"wave": Choice(waves, waves[-1] if waves else None, disabled=True)}
        return ChangesResult(opts, sel, waves, None, pl.DataFrame(), None, None, choices)
    start, end = pair
    upto = [w for w in waves if w <= end]
    until = sel.with_filter("waves", upto)
    sql.prefetch(  # every read of the page at once
        run, [outlets.wave_sums_read(until), *changes.compare_waves_reads(sel, start, end)]
    )
    outlet_waves = outlets.wave_sums(run, until)
    family = changes.compare_waves(run, sel, start, end, opts, outlet_waves)
    # the wave compared, against a baseline up to the one it is compared with: waves between
    # two picked apart are neither (their points were drawn as the "latest" under a title
    # naming the wave picked)
    charts = control.detractor_charts(outlet_waves, [w for w in upto if w <= start], [end], opts)
    rows = list(charts.outlets.iter_rows(named=True)) if charts.outlets.height else []
    keys = [outlet_key(r) for r in rows]
    choices = {
        "wave": Choice(waves[1:], end),
        "since": Choice(tuple(w for w in waves if w < end), start),
        "outlet": Choice(
            tuple(keys), one_of(outlet, keys), {outlet_key(r): outlet_name(r) for r in rows}
        ),
    }
    chosen = next((r for r in rows if outlet_key(r) == choices["outlet"].value), None)
    table = labelled(family, sel)
    scope = industries_scope(values.get("industries", []), sel)
    by_wave = measures.nps_ranked(family.by_wave, opts)
    overall = measures.wave_change(by_wave.sort("wave"), opts)
    return ChangesResult(
        opts, sel, waves, family, table, charts, chosen, choices,
        overall, wave_table(by_wave.sort("wave"), overall, scope), scope,
    )  # fmt: skip


def overall_claim(r: ChangesResult) -> claims.Change | None:
    """The selection's NPS from the earlier wave to the later one, worded and tested as the
    Overview's finding words and tests it (one NPS, on its own, at the chosen level)."""
    if r.overall is None:
        return None
    return wave_change_claim(r.overall_table, r.overall, r.scope, "rose", r.options.level)


def overall_note(r: ChangesResult) -> str | None:
    """The overall NPS change beside the family, so the page and the Overview agree: the
    Overview tests one NPS on its own; here every cell is one of a family, so a cell must move
    further to count and "no significant change in any cell" can stand beside a significant
    overall change."""
    said = overall_claim(r)
    if said is None or r.family is None:
        return None
    tested = r.family.tested
    return ngettext(
        "Overall ({scope}): {change}, tested on its own as on the Overview. The {n} cell below "
        "is tested together ({controlled}), so each must move further to count.",
        "Overall ({scope}): {change}, tested on its own as on the Overview. The {n} cells below "
        "are tested together ({controlled}), so each must move further to count.",
        tested,
    ).format(
        scope=r.scope,
        change=headline((said,)),
        n=display.count(tested),
        controlled=r.options.controlled(tested, "cells"),
    )


#: The app's first page (``cx.reports.registry.REPORTS[0]``), served at the root: its link is
#: ``./`` (``/overview`` opens it too, by way of a redirect: the root is its own address).
HOME = "overview"


#: The pages a cell links to, by key.
LINKED: dict[str, Report[Any]] = {
    r.key: r
    for r in (overview.REPORT, countries.REPORT, channels.REPORT, brands.REPORT,
              journey.REPORT, dealers.REPORT, voice.REPORT)
}  # fmt: skip


def href(page: str, query: str) -> str:
    """A page's link with its query, relative to the app's root, ending in ``#`` and the
    page's name in the sidebar, in the current language (the table shows that name; the home
    page's own address is ``./``)."""
    where = "./" if page == HOME else page
    name = _(LINKED[page].nav)
    return f"{where}?{query}#{name}" if query else f"{where}#{name}"


def _target(row: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The page that shows a cell and its pick values there: its report's key and pick names."""
    return _target_of(
        row["metric"], row["dimension"], row.get("industry"), row["group"], row.get("brand"),
        row.get("country"),
    )  # fmt: skip


def _target_of(
    metric: str,
    dimension: str,
    industry: str | None,
    group: Any,
    brand: str | None,
    country: str | None,
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """:func:`_target` of a cell given by its columns."""
    picks: dict[str, Any] = {}
    page: Report[Any]
    if metric == "nps" and dimension == "brand":
        page = brands.REPORT
        picks = {"industry": industry, "focus": group}
    elif metric == "nps":
        return {"all": "overview", "country": "countries", "channel": "channels"}[dimension], ()
    elif metric == "satisfied":
        page, picks = journey.REPORT, {"industry": industry}
    elif metric == "outlet_nps":
        page = dealers.REPORT
        picks = {"brand": brand, "country": country, "outlet": group}
    else:
        page, picks = voice.REPORT, {"topic": group}
    return page.key, tuple((page.pick(k).name, str(v)) for k, v in picks.items() if v is not None)


def links(rows: Sequence[Mapping[str, Any]], base: dict[str, str]) -> list[str]:
    """Each cell's link: the page and filters that show it (``page?filters&picks#page``,
    :func:`href`)."""
    return _links([_target(row) for row in rows], base)


def _links(
    targets: Sequence[tuple[str, tuple[tuple[str, str], ...]]], base: dict[str, str]
) -> list[str]:
    """The links of cells' :func:`_target`.

    Cells share targets (every stage of one industry links to the same Journey view), so each
    target is encoded once, and the filters once for all.
    """
    encoded = urlencode(base)
    quoted: dict[str, str] = {}  # each name and value quoted once (urlencode's quote_plus)
    made: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    out = []
    for target in targets:
        if target not in made:
            page, named = target
            if any(k in base for k, _v in named):  # a pick overrides a filter of that name
                query = urlencode({**base, **dict(named)})
            else:
                for text in (t for pair in named for t in pair if t not in quoted):
                    quoted[text] = quote_plus(text)
                picks = "&".join(f"{quoted[k]}={quoted[v]}" for k, v in named)
                query = "&".join(q for q in (encoded, picks) if q)
            made[target] = href(page, query)
        out.append(made[target])
    return out


def _group_name(
    metric: str, dimension: str, group: Any, name: str | None, brand: str | None
) -> str:
    """The group of a cell in words (a country's name, a topic's label, an outlet's name)."""
    if metric == "outlet_nps":
        return outlet_name({"dealer_id": group, "dealer_name": name, "brand": brand})
    if metric == "topic_share":
        return topics.label(str(group))
    if dimension in ("country", "channel"):
        return display.name(dimension, group)
    return str(group)


#: The columns of a family's cell that say which cell it is (its label and its link).
_CELL = ("metric", "dimension", "group", "item", "industry", "brand", "country", "name")


def labelled(family: changes.Family, sel: Selection) -> pl.DataFrame:
    """The family's cells with ``label`` (the cell in words, unique), ``measure``, ``unit`` and
    ``link``, kept by the family, the selection and the language (another outlet picked labels
    nothing again).

    Read from the columns, a cell at a time (a thousand cells made a dict each, the page's
    largest share of Python time); what cells share (a stage's label, a page's link) is made
    once."""
    key = (kept.Same(family), sel, i18n.language())
    return _LABELLED.get(key, lambda: _labelled(family, sel))


_LABELLED: kept.Kept[pl.DataFrame] = kept.Kept(32, per_selection=True)


def _labelled(family: changes.Family, sel: Selection) -> pl.DataFrame:
    """:func:`labelled` made."""
    table = family.table
    if table.is_empty():
        return table.with_columns(
            *[pl.lit(None, pl.String).alias(c) for c in ("label", "measure", "unit", "link")],
            shown=pl.lit(None, pl.Float64),
        )
    base = sel.with_filter("waves", [family.start, family.end]).to_query_params()
    cells = list(zip(*(table.get_column(c).to_list() for c in _CELL), strict=True))
    stages: dict[str, str] = {}
    labels = []
    targets = []
    for metric, dimension, group, item, industry, brand, country, name in cells:
        if item and item not in stages:
            stages[item] = display.stage_label(item)
        named = _group_name(metric, dimension, group, name, brand)
        labels.append(cell(metric, named, stages[item] if item else ""))
        targets.append(_target_of(metric, dimension, industry, group, brand, country))
    seen = Counter(labels)
    labels = [
        f"{label} ({c[2]})" if seen[label] > 1 else label
        for label, c in zip(labels, cells, strict=True)
    ]
    units = [UNITS[c[0]] for c in cells]
    shown = [
        claims.rounded(after, unit) - claims.rounded(before, unit)
        for before, after, unit in zip(
            table.get_column("before").to_list(), table.get_column("after").to_list(), units,
            strict=True,
        )
    ]  # fmt: skip
    return table.with_columns(
        label=pl.Series(labels, dtype=pl.String),
        measure=pl.col("metric").replace_strict(
            {k: _(v) for k, v in MEASURES.items()}, default=None
        ),
        unit=pl.Series(units, dtype=pl.String),
        link=pl.Series(_links(targets, base), dtype=pl.String),
        # the change as the two figures' labels show it (they round to whole points)
        shown=pl.Series(shown, dtype=pl.Float64),
    )


def human(table: pl.DataFrame) -> pl.DataFrame:
    """The changes table people read (every cell tested, significant changes first)."""
    return table.select(list(COLUMNS)).rename(COLUMNS)


def change_claims(r: ChangesResult, table: pl.DataFrame, most: int = 2) -> tuple[Claim, ...]:
    """The headline of the changes: how many cells changed significantly, and the largest."""
    if r.family is None:
        return (claims.statement("one_wave_compare"),)
    if r.family.tested == 0 and r.family.suppressed == 0:
        return (claims.statement("nothing"),)
    start, end = r.family.start, r.family.end
    said: list[Claim] = [
        changes_claims.flagged(
            table, "Change in", "Significant change", "cells", "cell", start, end
        )
    ]
    for row in r.table.filter(pl.col("significant")).head(most).iter_rows(named=True):
        moved = changes_claims.shift(
            table, "Change in", row["label"], UNITS[row["metric"]], start, end
        )
        if moved is not None:
            said.append(moved)
    return tuple(said)


def _changes_chart(r: ChangesResult, source: Source) -> Chart:
    table = human(r.table)
    said = change_claims(r, table)
    title = headline(said)
    drawn = r.table.filter(pl.col("significant")).head(MAX_DRAWN)
    if drawn.is_empty():
        drawn = r.table.sort(pl.col("change").abs(), descending=True).head(MAX_DRAWN)
    subtitle = _subtitle(r, source)
    return Chart(
        "what_changed",
        title,
        subtitle,
        figures.changes(drawn, title, subtitle, interval_text(r)),
        table,
        label=_("What changed"),
        claims=said,
        formats={"p-value": "0.0000", "q-value (false discovery rate)": "0.0000"},
        app_links=COLUMNS["link"],
    )


def interval_text(r: ChangesResult) -> str:
    """How the changes' intervals are named (their level, adjusted for the family)."""
    if r.family is None:
        return r.options.interval
    shown = f"{r.family.interval_level * 100:.2f}".rstrip("0").rstrip(".")
    digits = len(shown.partition(".")[2])
    level = i18n.number(r.family.interval_level * 100, digits)
    tested = r.family.tested
    return ngettext(
        "{level}% interval, adjusted for the {n} cell tested",
        "{level}% interval, adjusted for the {n} cells tested",
        tested,
    ).format(level=level, n=display.count(tested))


def _subtitle(r: ChangesResult, source: Source) -> str:
    if r.family is None:
        return source.survey
    f = r.family
    shown = (
        _("the significant changes, largest first")
        if len(f.significant)
        else _("the largest moves, none significant")
    )
    left_out = ngettext(
        "{n} cell under n or effective n = {min_n} in a wave left out",
        "{n} cells under n or effective n = {min_n} in a wave left out",
        f.suppressed,
    ).format(n=display.count(f.suppressed), min_n=r.options.min_n)
    if f.tested == 0:  # not "0 cells tested, changes (none tested) · drawn: …, none significant"
        return " · ".join(
            (
                source.survey,
                _("{end} against {start}").format(end=f.end, start=f.start),
                _("no cell has enough answers in both waves to test"),
                left_out,
            )
        )
    parts = (
        source.survey,
        _("{end} against {start}").format(end=f.end, start=f.start),
        ngettext(
            "{n} cell tested, changes {controlled}", "{n} cells tested, changes {controlled}",
            f.tested,
        ).format(n=display.count(f.tested), controlled=r.options.controlled(f.tested, "cells")),
        left_out,
        _("drawn: {shown}").format(shown=shown),
    )  # fmt: skip
    return " · ".join(parts)


def control_table(r: ChangesResult) -> pl.DataFrame:
    """The chosen outlet's control chart as a table (one row per wave)."""
    if r.control is None or r.outlet is None:
        return pl.DataFrame()
    points = r.control.points.filter(
        (pl.col("dealer_id") == r.outlet["dealer_id"])
        & pl.col("brand").eq_missing(r.outlet["brand"])
    )
    return (
        points.with_columns(hidden=pl.col("share_pct").is_null())
        .select(list(CONTROL_COLUMNS))
        .rename(CONTROL_COLUMNS)
    )


def _control_chart(r: ChangesResult, source: Source) -> Chart | None:
    if r.control is None or r.outlet is None:
        return None
    o = r.outlet
    table = control_table(r)
    latest = claims.figure(table, "Wave", o["latest_wave"], "Detractors %", "pct")
    base = claims.figure(table, "Wave", o["latest_wave"], "Baseline %", "pct")
    if latest is None or base is None:
        return None
    said: tuple[Claim, ...] = (
        changes_claims.Control(
            "Wave",
            "Detractors %",
            outlet_name(o),
            o["latest_wave"],
            latest,
            base,
            bool(o["beyond"]),
        ),
    )
    title = headline(said)
    c = r.control
    baseline = f"{c.baseline[0]}-{c.baseline[-1]}" if len(c.baseline) > 1 else c.baseline[0]
    subtitle = _(
        "{source} · detractors (0-6) per wave, n = {n} tested · baseline: {baseline} · limits "
        "widen with each wave's n; a point beyond them is {controlled}"
    ).format(
        source=source.survey,
        n=display.count(o["n"]),
        baseline=baseline,
        controlled=r.options.controlled(c.tested, "outlet waves tested"),
    )
    return Chart(
        "outlet_control",
        title,
        subtitle,
        figures.p_chart(r.control.points.filter(
            (pl.col("dealer_id") == o["dealer_id"]) & pl.col("brand").eq_missing(o["brand"])
        ), title, subtitle, set(c.watched)),
        table,
        label=_("Outlet control chart"),
        claims=said,
    )  # fmt: skip


#: Headers of the outlets' table that :data:`cx.core.display.COLUMN_NAMES` does not name.
OUTLET_NAMES = {
    "outlet": N_("Outlet"),
    "country": N_("Country"),
    "baseline_pct": N_("Baseline %"),
    "latest_wave": display.COLUMN_NAMES["wave"],
    "latest_q": display.COLUMN_NAMES["q_value"],
    "beyond": N_("Beyond limits"),
}


def outlets_table(r: ChangesResult) -> pl.DataFrame:
    """Every outlet tested on its control chart, those beyond their limits first."""
    if r.control is None or r.control.outlets.is_empty():
        return pl.DataFrame()
    names = [outlet_name(row) for row in r.control.outlets.iter_rows(named=True)]
    frame = r.control.outlets.with_columns(
        pl.Series("outlet", names, dtype=pl.String), detractors_pct=pl.col("latest_pct")
    )
    columns = (
        "outlet",
        "country",
        "baseline_pct",
        "detractors_pct",
        "latest_wave",
        "latest_q",
        "beyond",
    )
    return human_table(frame, columns, OUTLET_NAMES)


def _outlets_chart(r: ChangesResult, source: Source) -> Chart | None:
    if r.control is None or r.control.outlets.is_empty() or r.family is None:
        return None
    table = outlets_table(r)
    said: tuple[Claim, ...] = (
        changes_claims.flagged(
            table,
            "Outlet",
            "Beyond limits",
            "outlets",
            "outlet",
            r.family.start,
            r.family.end,
            "beyond",
        ),
    )
    title = headline(said)
    left_out = r.control.suppressed
    subtitle = " · ".join(
        (
            source.survey,
            _("detractor share in {end} against each outlet's baseline (waves up to {start})")
            .format(end=r.family.end, start=r.family.start),
            r.options.controlled(r.control.tested, "outlet waves tested"),
            ngettext(  # points of outlets, not outlets: "2,497 outlets" of some 550
                "{n} outlet wave under n or effective n = {min_n} left out",
                "{n} outlet waves under n or effective n = {min_n} left out",
                left_out,
            ).format(n=display.count(left_out), min_n=r.options.min_n),
        )
    )  # fmt: skip
    return Chart(
        "outlet_flags",
        title,
        subtitle,
        figures.dumbbell(table.head(MAX_OUTLETS), title, subtitle),
        table,
        label=_("Outlets beyond their limits"),
        claims=said,
    )  # fmt: skip


def charts(r: ChangesResult, source: Source) -> list[Chart]:
    """The changes, the outlets against their control limits, the chosen outlet's chart. The
    first two do not depend on the outlet picked: they are kept by what they are made from
    (the result but the outlet, the source and the language)."""
    if r.family is None:
        return []
    source = source.within(r.selection.industries)  # their source names the industries chosen

    def made() -> tuple[Chart | None, ...]:
        return _changes_chart(r, source), _outlets_chart(r, source)

    # the family, its labelled table and the control charts are kept results (the same object
    # for the same inputs); the rest is small
    shared = (kept.Same(r.family), kept.Same(r.table), kept.Same(r.control))
    rest = kept.fingerprint(r, leave_out=("family", "table", "control", "outlet", "choices"))
    picked_alike = _CHARTS.get((*shared, rest, source, i18n.language()), made)
    out = [*picked_alike, _control_chart(r, source)]
    return [c for c in out if c is not None]


_CHARTS: kept.Kept[tuple[Chart | None, ...]] = kept.Kept(32, per_selection=True)


def summary(r: ChangesResult) -> Summary:
    """The deck's findings: the overall change, as the page states it above its chart."""
    said = overall_claim(r)
    if said is None:
        return Summary()
    return Summary.of((), (Finding((said,), r.overall_table, _("NPS by wave")),))


REPORT: Report[ChangesResult] = Report(
    key="changes",
    title=N_("What changed"),
    nav=N_("What changed"),
    icon=":material/notifications_active:",
    section=N_("Summary"),
    lead=N_(
        "The latest wave against the one before, for every brand, stage, country, channel, "
        "outlet and topic, tested together: only changes that survive the false-discovery "
        "control ({level} level) are called significant."
    ),
    compute=compute,
    charts=charts,
    summary=summary,
    picks=(
        Pick("wave", N_("Wave")),
        Pick("since", N_("Compared with")),
        Pick(
            "outlet", N_("Outlet"), help=N_("The outlet whose control chart is shown."), named=False
        ),
    ),
)
