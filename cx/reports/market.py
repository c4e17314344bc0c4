"""Market benchmarks: real brands' published scores beside the survey, each study on its scale.

The published figures (ACSI, J.D. Power, Temkin, UKCSI: ``published_benchmarks``) are shown as
published with the page each was read from. A study-year's ranking marks the published
segment averages; one brand is followed across every study that has it, each study in its own
panel and on its own scale, with lines broken where the study's method changed; its
percentile rank (0-100, the same meaning everywhere) compares studies. Survey figures appear
only beside studies on the same scale (NPS, percent), in their own panel, never averaged in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.charts import market as market_figures
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display, i18n
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi, native_columns
from cx.metrics import kept
from cx.models import market as market_model
from cx.models.market import Break
from cx.reports.base import Choice, Pick, Report, Runner, Source, Summary, one_of
from cx.reports.common import human_table
from cx.reports.market_survey import SurveyBeside, survey_beside, survey_chart

#: The words and colour of published figures (subtitles open with its short words).
PUBLISHED_KIND = theme.PROVENANCE["published"]

#: Most panels in a brand's small multiples (the file has at most seven studies per brand).
MAX_PANELS = 8
VALUE_FORMAT = "General"  # published figures keep their own decimals in decks
#: The survey's industry preferred beside a study of car dealers (else the report's default).
DEALER_INDUSTRY = "Car dealers"


@dataclass(frozen=True)
class MarketResult:
    """Published benchmarks for a study-year and a brand, and the survey on the same scale.

    Attributes:
        options: statistical options (the survey panel's intervals).
        selection: the sidebar's selection with the survey panel's industry (survey only:
            published figures are not filtered).
        study: the chosen study ("" when the database holds no published benchmarks).
        year: the chosen year of the study (None when there is none).
        brand: the brand followed across studies (None when there is none).
        total: published figures in the database; studies: studies they come from.
        ranking: every figure of the study-year (``market_figures`` columns: the figure's
            columns plus role, plotted, sources, low, high, rank, ranked, percentile).
        brand_figures: every figure of the brand in every study (same columns).
        breaks: method changes, declared and detected, of the studies shown.
        survey: the dataset's own figures on the study's scale (an empty table when the
            scales differ or the dataset has no brands), with the reason.
        choices: the page's resolved picks.
    """

    options: Options
    selection: Selection
    study: str
    year: int | None
    brand: str | None
    total: int
    studies: int
    ranking: pl.DataFrame
    brand_figures: pl.DataFrame
    breaks: tuple[Break, ...]
    survey: SurveyBeside
    choices: dict[str, Choice] = field(default_factory=dict)


def _figures(run: Runner) -> pl.DataFrame:
    """Every published figure with its role and its position in its study and year."""
    return market_model.ranked_once(run("market_figures", {}))


def _study_choices(everything: pl.DataFrame, study: Any) -> tuple[Choice, str]:
    """The studies with their markets and years; the chosen one (default: the report's)."""
    summary = (
        everything.group_by("study")
        .agg(
            pl.col("country").unique().sort().str.join(", ").alias("markets"),
            pl.col("year").min().alias("first"),
            pl.col("year").max().alias("last"),
        )
        .sort("study")
    )
    options = tuple(summary["study"].to_list())
    labels = {
        r["study"]: f"{r['study']} ({r['markets']}, {r['first']}-{r['last']})"
        if r["first"] != r["last"]
        else f"{r['study']} ({r['markets']}, {r['first']})"
        for r in summary.iter_rows(named=True)
    }
    chosen = one_of(study, options, REPORT.defaults["study"]) or ""
    return Choice(options, chosen, labels), chosen


def _brand_choices(everything: pl.DataFrame, brand: Any, fallback: str | None) -> Choice:
    """Brands (not averages or groups) with how many studies publish them; a brand given in
    any case resolves to its name as published."""
    brands = (
        everything.filter(pl.col("role").is_in(["brand", "unranked"]))
        .group_by("entity")
        .agg(pl.col("study").n_unique().alias("studies"))
        .sort(pl.col("entity").str.to_lowercase())
    )
    options = tuple(brands["entity"].to_list())
    by_lower = {o.lower(): o for o in options}
    wanted = by_lower.get(str(brand).strip().lower()) if brand else None
    chosen = one_of(wanted, options, REPORT.defaults["brand"], fallback)
    labels = {
        r["entity"]: ngettext(
            "{brand} ({n} study)", "{brand} ({n} studies)", int(r["studies"])
        ).format(brand=r["entity"], n=r["studies"])
        for r in brands.iter_rows(named=True)
        if r["studies"] > 1
    }
    return Choice(options, chosen, labels)


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    study: Any = None,
    year: Any = None,
    brand: Any = None,
    industry: Any = None,
) -> MarketResult:
    """The chosen study-year's figures, the chosen brand everywhere, and the survey beside."""
    everything = _figures(run)
    if everything.is_empty():
        empty = pl.DataFrame()
        nothing = SurveyBeside(empty, "", _("No published benchmarks are loaded."), sel, None, Choice((), None))  # fmt: skip
        return MarketResult(opts, sel, "", None, None, 0, 0, empty, empty, (), nothing)
    study_choice, chosen_study = _study_choices(everything, study)
    in_study = everything.filter(pl.col("study") == chosen_study)
    years = tuple(str(y) for y in sorted(set(in_study["year"].to_list()), reverse=True))
    chosen_year = int(one_of(str(year) if year is not None else None, years) or years[0])
    ranking = in_study.filter(pl.col("year") == chosen_year)
    ranked = ranking.filter(pl.col("role") == "brand").sort("value", descending=True)
    top = str(ranked["entity"][0]) if ranked.height else None
    brand_choice = _brand_choices(everything, brand, top)
    chosen_brand = brand_choice.value
    brand_figures = (
        everything.filter(pl.col("entity").str.to_lowercase() == chosen_brand.lower())
        if chosen_brand
        else pl.DataFrame()
    )
    shown = {chosen_study, *(brand_figures["study"].to_list() if brand_figures.height else [])}
    breaks = tuple(b for b in market_model.every_break(everything) if b.study in shown)
    scale = str(in_study["scale"][0])
    about_dealers = "dealer" in chosen_study.lower() or bool(
        in_study["segment"].fill_null("").str.to_lowercase().str.contains("dealer").any()
    )
    preferred = DEALER_INDUSTRY if about_dealers else REPORT.defaults["industry"]
    survey = survey_beside(run, sel, opts, scale, industry, preferred)
    choices = {
        "study": study_choice,
        "year": Choice(years, str(chosen_year)),
        "brand": brand_choice,
        "industry": survey.choice,
    }
    return MarketResult(
        opts, survey.selection, chosen_study, chosen_year, chosen_brand, everything.height,
        len(study_choice.options), ranking, brand_figures, breaks, survey, choices,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def _market(code: str) -> str:
    return display.name("country", code)


def _positions(frame: pl.DataFrame) -> pl.DataFrame:
    """Rank, percentile rank and quartile as people read them."""
    quartiles = [  # Python over the rows, not map_elements (tests/scale/test_replicas.py)
        market_model.quartile(percentile, ranked)
        for percentile, ranked in frame.select("percentile", "ranked").iter_rows()
    ]
    return frame.with_columns(
        pl.Series("quartile", quartiles, dtype=pl.String),
        # the publishers' words for averages and groups in the language shown (brands as named)
        pl.when(pl.col("role").is_in(["average", "group"]))
        .then(pl.col("entity").replace({k: _(v) for k, v in market_model.AVERAGE_NAMES.items()}))
        .otherwise(pl.col("entity"))
        .alias("entity"),
        # in the language shown (the claims read it so): the workbook said "Brand" in Chinese
        pl.col("role").replace_strict({k: _(v) for k, v in market_model.ROLE_NAMES.items()}, default=pl.col("role")).alias("role_name"),
    )  # fmt: skip


#: The columns of a table of published figures, in order (the source link last).
FIGURE_TABLE = (
    "figure_id", "study", "year", "entity", "role_name", "segment", "value", "scale", "metric",
    "rank", "ranked", "percentile", "quartile", "method", "plotted", "country", "publisher",
    "source_url",
)  # fmt: skip
#: Published figures are per market; a brand's trend names the method period of each year.
FIGURE_NAMES = {"country": N_("Market"), "method": N_("Method period")}
#: The figure tables' names the claims read (rows are narrowed to the brands plotted).
PLOTTED, ROLE = display.COLUMN_NAMES["plotted"], display.COLUMN_NAMES["role_name"]


def _figure_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Every figure with human column names and its source link (the last column)."""
    return human_table(
        frame.with_columns(pl.col("percentile").round(1)), FIGURE_TABLE, FIGURE_NAMES
    )


def _axis_range(scale: str, values: list[float]) -> tuple[float, float]:
    """Bars start at the scale's zero (or its minimum) and the axis ends at the scale's top."""
    low, high = market_model.scale_range(scale) or (min([*values, 0.0]), max([*values, 1.0]))
    floor = low if low >= 0 else min(0.0, math.floor(min([*values, 0.0]) / 10) * 10 - 10)
    return (max(low, floor), high)


def _ranking_table(r: MarketResult) -> pl.DataFrame:
    """The study-year's figures as the ranking chart's table shows them (plotted first)."""
    return _figure_table(_positions(r.ranking).sort(["plotted", "value"], descending=[True, True]))


def ranking_claims(r: MarketResult, table: pl.DataFrame) -> tuple[Claim, ...]:
    """The ranking's finding, from its table: who leads (ties named together), and where the
    followed brand ranks among the published brands."""
    short = f"{market_model.short_study(r.study)} {r.year}"
    brands = {ROLE: _(market_model.ROLE_NAMES["brand"]), PLOTTED: str(True)}
    lead = claims.top(table, "entity", "value", "published", phrase="leads_study", scope=short,
                      where=brands)  # fmt: skip
    if lead is None:
        return (claims.statement("averages_only", study=short),)
    if not r.brand or r.brand in lead.subjects:
        return (lead,)
    # placed on the figures as published (the chart's order), not as their labels round them
    place = claims.rank(
        table, "entity", "value", None, r.brand, _("published brands"), where=brands
    )
    if place is None:
        return (lead, claims.statement("no_figure_that_year", brand=r.brand))
    return (lead, place)


def _ranking_chart(r: MarketResult) -> Chart | None:
    if r.ranking.is_empty():
        return None
    frame = _positions(r.ranking)
    rows = frame.filter(pl.col("plotted")).sort("value", descending=True)
    first = rows.row(0, named=True)
    scale, metric = str(first["scale"]), str(first["metric"])
    short = market_model.short_study(r.study)

    def label(row: dict[str, Any]) -> str:
        if row["role"] == "unranked":
            return _("{brand} (not ranked)").format(brand=row["entity"])
        return str(row["entity"])

    def text(row: dict[str, Any]) -> str:  # short: it sits beside the bar, inside the chart
        if row["low"] != row["high"]:  # sources differ by a point: both, the plotted first
            other = row["low"] if row["value"] == row["high"] else row["high"]
            return f"{display.published(row['value'])} / {display.published(other)}"
        return display.published(row["value"])

    def hover(row: dict[str, Any]) -> str:
        value, pct, host = display.published(row["value"]), row["percentile"], figures.esc(market_model.host(row["source_url"]))  # fmt: skip
        parts = [
            f"<b>{figures.esc(row['entity'])}</b> · {figures.esc(row['segment'] or '')}",
            _("{metric}: {value} (scale {scale})").format(metric=figures.esc(market_model.metric_words(metric)), value=value, scale=figures.esc(market_model.scale_words(scale))),
            f"{figures.esc(short)} {row['year']}, {figures.esc(_market(row['country']))}",
        ]  # fmt: skip
        if row["rank"] is not None:
            place = _rank_words(row["rank"], row["ranked"])
            parts.append(place if pct is None else _("{rank} · percentile rank {percentile}").format(rank=place, percentile=i18n.number(pct)))  # fmt: skip
        if row["low"] != row["high"]:
            parts.append(_("sources differ: {low} to {high}").format(low=display.published(row["low"]), high=display.published(row["high"])))  # fmt: skip
        more = row["sources"] - 1
        parts.append(_("source: {host} (+{n} more, see table)").format(host=host, n=more) if more else _("source: {host}").format(host=host))  # fmt: skip
        return "<br>".join(parts)

    def colour(row: dict[str, Any]) -> str:
        if row["role"] != "brand":
            return theme.PUBLISHED_REFERENCE
        return theme.HIGHLIGHT if row["entity"] == r.brand else theme.PUBLISHED

    records = list(rows.iter_rows(named=True))
    chart_rows = pl.DataFrame(
        {
            "label": [label(x) for x in records],
            "value": [x["value"] for x in records],
            "colour": [colour(x) for x in records],
            "text": [text(x) for x in records],
            "hover": [hover(x) for x in records],
            "url": [x["source_url"] for x in records],
            "reference": [x["role"] != "brand" for x in records],
        }
    )
    brands = rows.filter(pl.col("role") == "brand")
    table = _ranking_table(r)
    said = ranking_claims(r, table)
    title = headline(said)
    kinds = rows.filter(pl.col("role") != "brand")["role"].unique().sort().to_list()
    sites = market_model.hosts(frame["source_url"].to_list())
    parts = [
        _(PUBLISHED_KIND.short), f"{r.study}, {r.year}, {_market(first['country'])}",
        _("{metric}, scale {scale}").format(metric=market_model.metric_words(metric), scale=market_model.scale_words(scale)),
        _("{publisher} via {sites}").format(publisher=first["publisher"], sites=sites),
    ]  # fmt: skip
    named = display.join(_(STRIPED[k]) for k in kinds)
    striped, pale = (
        _("striped: {kinds}").format(kinds=named),
        _("pale: {kinds}").format(kinds=named),
    )
    if kinds:
        parts.append(striped)
    if (rows["low"] != rows["high"]).any():
        parts.append(_("a / b: two sources differ, a is drawn"))
    if r.brand and r.brand in brands["entity"].to_list():
        parts.append(_("gold: {brand}").format(brand=r.brand))
    subtitle = " · ".join(parts)
    value_range = _axis_range(scale, chart_rows["value"].to_list())
    value_title = market_model.metric_words(metric, scale)
    ordered = frame.sort(["plotted", "value"], descending=[True, True])
    return Chart(
        "market_ranking",
        title,
        subtitle,
        market_figures.ranking(chart_rows, title, subtitle, value_title, value_range),
        table,
        kind="published",
        label=_("Published ranking"),
        links=ordered["source_url"].to_list(),
        native=native_columns(
            chart_rows,
            "label",
            [(value_title, "value")],
            "bar",
            blank=None,
            number_format=VALUE_FORMAT,
            colours=chart_rows["colour"].to_list(),
            value_title=value_title,
            value_range=value_range,
        ),
        claims=said,
        on_slides={striped: pale},  # the slide's averages are pale, not striped
    )


#: What the ranking's striped bars are, by role.
STRIPED = {
    "average": N_("published averages"),
    "group": N_("manufacturers and groups"),
    "unranked": N_("brands the publisher did not rank"),
}


def _rank_words(rank: Any, ranked: Any) -> str:
    """A published rank in words ("rank 3 of 12 published brands")."""
    return _("rank {rank} of {total} published brands").format(rank=rank, total=ranked)


def _panel(study: str, part: pl.DataFrame, study_breaks: list[Break]) -> market_figures.Panel:
    """One study of the brand: its points by year and the method changes between them."""
    part = part.sort("year")
    years = [int(y) for y in part["year"].to_list()]
    values = [float(v) for v in part["value"].to_list()]
    first = part.row(0, named=True)
    bounds = market_model.scale_range(str(first["scale"])) or (min(values), max(values))
    span = bounds[1] - bounds[0]
    pad = max(span * 0.03, (max(values) - min(values)) * 0.3)
    y_range = (max(bounds[0], min(values) - pad), min(bounds[1], max(values) + pad))
    hovers = []
    for row in part.iter_rows(named=True):
        rank = f"<br>{_rank_words(row['rank'], row['ranked'])}" if row["rank"] is not None else ""  # fmt: skip
        source = _("source: {host}").format(host=figures.esc(market_model.host(row["source_url"])))
        hovers.append(
            f"<b>{row['year']}: {display.published(row['value'])}</b> ({figures.esc(market_model.scale_words(row['scale']))})"
            f"{rank}<br>{source}"
        )
    marks = []
    for b in study_breaks:
        before = [y for y in years if y < b.first_year]
        after = [y for y in years if y >= b.first_year]
        if before and after:  # the rule sits just before the new method's first year
            marks.append((b.first_year - 0.5, b.label, b.detected))
    return market_figures.Panel(
        name=f"{market_model.short_study(study)} · {_market(first['country'])}",
        axis_title=market_model.metric_words(str(first["metric"]), str(first["scale"])),
        years=years,
        values=values,
        periods=market_model.periods(years, study_breaks),
        hovers=hovers,
        urls=part["source_url"].to_list(),
        breaks=marks,
        y_range=y_range,
    )


def _changes_note(shown: list[Break]) -> str:
    """One line naming each method change drawn, grouped by study, with its source's site."""
    parts: dict[str, list[str]] = {}
    for b in sorted(shown, key=lambda b: (b.study, b.first_year)):
        what = (
            _("{year} possible ({shift} points across the study)").format(
                year=b.first_year, shift=i18n.number(b.shift or 0, 1, signed=True)
            )
            if b.detected
            else f"{b.first_year} ({market_model.host(b.source_url)})"
        )
        parts.setdefault(market_model.short_study(b.study), []).append(what)
    listed = "; ".join(f"{study} {', '.join(items)}" for study, items in parts.items())
    return _(
        "Method changes: {listed}. Details and links: the page's list of method changes."
    ).format(listed=listed)


def _study_order(frame: pl.DataFrame) -> list[str]:
    """Studies with the most years of the brand first."""
    counts = frame.group_by("study").agg(pl.col("year").n_unique().alias("years"))
    return counts.sort(["years", "study"], descending=[True, False])["study"].to_list()


def _trend_chart(r: MarketResult) -> Chart | None:
    if not r.brand or r.brand_figures.is_empty():
        return None
    frame = _positions(r.brand_figures)
    plotted = frame.filter(pl.col("plotted"))
    studies = _study_order(plotted)
    by_study = {s: [b for b in r.breaks if b.study == s] for s in studies}
    panels = [
        _panel(s, plotted.filter(pl.col("study") == s), by_study[s]) for s in studies[:MAX_PANELS]
    ]
    longest = plotted.filter(pl.col("study") == studies[0]).sort("year")
    shown = [  # the changes drawn in a panel: the brand has years on both sides
        b
        for s, p in zip(studies, panels, strict=False)
        for b in by_study[s]
        if min(p.years) < b.first_year <= max(p.years)
    ]
    subtitle = " · ".join((
        _(PUBLISHED_KIND.short), _("each study on its own scale, in its own panel"),
        _("lines join years of one method (dashed rule: method changed; dotted: possible change)"),
        _("sources: {sites}").format(sites=market_model.hosts(frame["source_url"].to_list(), limit=3)),
    ))  # fmt: skip
    notes = [_changes_note(shown)] if shown else []
    if len(studies) > MAX_PANELS:
        notes.append(_("{n} more studies are in the table.").format(n=len(studies) - MAX_PANELS))
    ordered = frame.sort(["study", "year", "plotted"], descending=[False, False, True])
    periods_col = [
        market_model.period_label(by_study.get(s, []), int(y))
        for s, y in zip(ordered["study"].to_list(), ordered["year"].to_list(), strict=True)
    ]
    table = _figure_table(ordered.with_columns(pl.Series("method", periods_col)))
    said = trend_claims(r.brand, studies[0], longest, by_study[studies[0]], table)
    title = headline(said)
    return Chart(
        "market_trend",
        title,
        subtitle,
        market_figures.small_multiples(panels, title, subtitle),
        table,
        kind="published",
        notes=notes,
        label=_("Brand across studies"),
        links=ordered["source_url"].to_list(),
        claims=said,
    )


def trend_claims(
    brand: str, study: str, longest: pl.DataFrame, breaks: list[Break], table: pl.DataFrame
) -> tuple[Claim, ...]:
    """The brand's trend across studies, from the chart's table: how many studies publish it,
    and the first and last figure of the study with the most years within its latest method."""
    plotted = {PLOTTED: str(True)}
    said: list[Claim] = [
        claims.distinct(table, "study", phrase="studies", where=plotted, values={"brand": brand})
    ]
    if longest.height >= 2:
        periods = market_model.periods(longest["year"].to_list(), breaks)
        same = longest.filter(pl.Series(periods) == periods[-1])
        if same.height >= 2:
            first, last = str(same["year"][0]), str(same["year"][-1])
            change = claims.change(
                table, "study", "value", "published", study, first, last, significant=None,
                wave="year", name=market_model.short_study(study), where=plotted,
            )  # fmt: skip
            if change is not None:
                said.append(change)
    return tuple(said)


def method_changes(r: MarketResult) -> pl.DataFrame:
    """The method changes of the studies shown, in words, with their source."""
    return pl.DataFrame(
        {
            "Study": [market_model.short_study(b.study) for b in r.breaks],
            "From": [b.first_year for b in r.breaks],
            N_("Change"): [_("possible (detected)") if b.detected else _("declared") for b in r.breaks],
            "Source": [b.source_url or None for b in r.breaks],
            "What changed": [b.change for b in r.breaks],
        },
        schema={"Study": pl.String, "From": pl.Int64, "Change": pl.String,
                "Source": pl.String, "What changed": pl.String},
    )  # fmt: skip


def _ranked_figures(r: MarketResult) -> pl.DataFrame:
    """The brand's latest ranked figure in each study, best percentile rank first, with a
    label (study and year), the rank in words, a hover text and the source link."""
    if not r.brand or r.brand_figures.is_empty():
        return pl.DataFrame()
    ranked = _positions(r.brand_figures).filter(
        pl.col("plotted") & pl.col("percentile").is_not_null()
    )
    if ranked.is_empty():
        return ranked
    latest = (
        ranked.sort("year", descending=True)
        .unique("study", keep="first", maintain_order=True)
        .sort("percentile", descending=True)
    )
    labels = [
        f"{market_model.short_study(s)} {y}" for s, y in latest.select("study", "year").iter_rows()
    ]
    places = latest.select("rank", "ranked", pl.col("percentile").round(0)).iter_rows()
    texts, hovers = [], []
    for (rank, total, percentile), label in zip(places, labels, strict=True):
        texts.append(_("rank {rank} of {total}").format(rank=rank, total=total))
        hovers.append(_("{study} · percentile rank {percentile}<br>{rank}").format(
            study=label, percentile=i18n.number(percentile, 1), rank=texts[-1]))  # fmt: skip
    return latest.with_columns(
        pl.Series("label", labels, dtype=pl.String),
        pl.Series("text", texts, dtype=pl.String),
        pl.Series("hover", hovers, dtype=pl.String),
        url=pl.col("source_url"),
    )


def _position_table(rows: pl.DataFrame) -> pl.DataFrame:
    return _figure_table(rows.drop("text", "hover", "url", "plotted"))


def position_claims(brand: str | None, table: pl.DataFrame) -> tuple[Claim, ...]:
    """How many studies place the brand in their top quartile, or its best placing, from the
    position chart's table (one row per study, its latest year)."""
    who = brand or _("The brand")
    top = claims.tally(
        table, "study", "quartile", market_model.QUARTILES[-1], phrase="top_quartile",
        values={"brand": who},
    )  # fmt: skip
    if top.count:
        return (top,)
    if top.total:
        # the best percentile rank the chart draws, quartile or not: a study of fewer brands
        # than quartiles need still draws its rank (its best bar was left out before)
        best = claims.top(table, "study", "percentile", "count", phrase="best_placing",
                          scope=who)  # fmt: skip
        return (top, best) if best else (top,)
    return (claims.statement("too_few_published", brand=who),)


DOTTED_QUARTILES = N_("dotted: quartile boundaries")  # the position chart's quartile rules


def _position_chart(r: MarketResult) -> Chart | None:
    rows = _ranked_figures(r)
    if rows.is_empty():
        return None
    table = _position_table(rows)
    said = position_claims(r.brand, table)
    title = headline(said)
    percentile = display.COLUMN_NAMES["percentile"]
    subtitle = " · ".join((
        _(PUBLISHED_KIND.short),
        _("percentile rank among the brands published for that study and year (100 = above all; "
          "press coverage often lists only the top brands, so a low rank can still be a good "
          "score)"),
        _(DOTTED_QUARTILES), _("quartiles from 4 brands"),
        _("sources: {sites}").format(sites=market_model.hosts(rows["source_url"].to_list())),
    ))  # fmt: skip
    return Chart(
        "market_position",
        title,
        subtitle,
        market_figures.positions(rows, title, subtitle),
        table,
        kind="published",
        label=_("Percentile rank by study"),
        links=rows["source_url"].to_list(),
        native=native_columns(
            rows, "label", [(_(percentile), "percentile")], "bar", blank=None, number_format="0",
            series_colours=[theme.PUBLISHED], value_range=(0, 100),
            value_title=_("Percentile rank among published brands"),
            texts=rows["text"].to_list(),  # "rank 2 of 7", as the screen labels the bars
        ),
        claims=said,
        on_slides={_(DOTTED_QUARTILES): ""},  # the slide draws no quartile rules
    )  # fmt: skip


def charts(r: MarketResult, source: Source) -> list[Chart]:
    """The study-year's ranking, the survey on its scale, the brand everywhere, its ranks."""
    beside = f"{market_model.short_study(r.study)} {r.year}"
    key = (
        r.study,
        r.year,
        r.brand,
        r.breaks,
        kept.digest(r.ranking),
        kept.digest(r.brand_figures),
        i18n.language(),
    )
    ranking, trend, position = _PUBLISHED.get(
        key, lambda: (_ranking_chart(r), _trend_chart(r), _position_chart(r))
    )
    survey = survey_chart(r.survey, r.options, beside, source)  # the page's order, as read:
    return [c for c in (ranking, survey, position, trend) if c is not None]


#: The charts of published figures alone (the ranking, the brand's trend and its positions),
#: by what they show and the language: they depend on neither the sidebar's data nor its
#: filters, so another selection (or session) with the same picks reads them from memory.
_PUBLISHED: kept.Kept[tuple[Chart | None, Chart | None, Chart | None]] = kept.Kept(32)


def summary(r: MarketResult) -> Summary:
    """Key figures and the charts' findings for a deck."""
    on_file = _("from {n} studies").format(n=r.studies)
    kpis = [Kpi(_("Published figures on file"), display.count(r.total), on_file)]
    if r.brand and r.brand_figures.height:
        n = r.brand_figures["study"].n_unique()
        kpis.append(Kpi(_("Studies publishing {brand}").format(brand=r.brand), str(n)))
        mine = r.ranking.filter((pl.col("entity") == r.brand) & pl.col("rank").is_not_null())
        if mine.height:
            row = mine.row(0, named=True)
            kpis.append(
                Kpi(
                    _("{brand} in {study} {year}").format(
                        brand=r.brand, study=market_model.short_study(r.study), year=r.year
                    ),
                    _("{rank} of {total}").format(rank=row["rank"], total=row["ranked"]),
                    _("rank among the published brands"),
                )
            )
    findings = [headline(ranking_claims(r, _ranking_table(r)))] if r.ranking.height else []
    positions = _ranked_figures(r)
    if positions.height:
        findings.append(headline(position_claims(r.brand, _position_table(positions))))
    return Summary(kpis=tuple(kpis), findings=tuple(findings))


REPORT: Report[MarketResult] = Report(
    key="market",
    title=N_("Market benchmarks"),
    nav=N_("Market benchmarks"),
    icon=":material/leaderboard:",
    section=N_("Benchmarks"),
    lead=N_(
        "Real brands' scores as published by ACSI, J.D. Power, Temkin and the UKCSI, each with "
        "its source. Every study keeps its own scale; your survey appears beside studies on "
        "its scale only, as a separate panel with {level} intervals, never averaged in."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("study", N_("Study")),
        Pick("year", N_("Year")),
        Pick(
            "brand",
            N_("Brand to follow"),
            help=N_("A real brand as published; followed across every study that publishes it."),
        ),
        Pick(
            "industry",
            N_("Your survey: industry"),
            help=N_("Which brands of your dataset to set beside the published figures."),
        ),
    ),
    defaults={"study": "ACSI Automobile Study", "brand": "Toyota", "industry": "Automakers"},
    summary=summary,
)
