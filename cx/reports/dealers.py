"""Dealer scorecards: outlets ranked on evidence (NPS shrunk towards their brand), dealer vs
direct at outlet level, dealer groups, and one outlet's scorecard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx import display, outlets
from cx.exports.chart import Chart, DeckMeta, Kpi
from cx.options import Options
from cx.reports.base import Choice, Pick, Report, Runner, Summary, one_of
from cx.reports.dealer_charts import ALL, OUTLET_CHARTS, charts
from cx.selection import Selection

#: An outlet's key in the page's pick (and URL): its id, with the brand when the id is shared.
KEY = (
    pl.when(pl.len().over("dealer_id") > 1)
    .then(pl.format("{}|{}", pl.col("dealer_id"), pl.col("brand")))
    .otherwise(pl.col("dealer_id"))
    .alias("key")
)


@dataclass(frozen=True)
class DealersResult:
    """The outlet network in view, ranked on evidence, and one outlet's scorecard.

    Attributes:
        options: statistical options.
        selection: the sidebar's selection with the country pick applied.
        tau: between-outlet standard deviation of NPS within a brand (points), the spread
            the shrinkage assumes (method of moments).
        network: every outlet of the chosen country (all brands): :func:`cx.outlets.league`
            columns plus weakest stage and trend; the distribution charts read it.
        league: the outlets of the chosen brand, channel and group, best shrunk NPS first,
            ``rank`` their position (null under the minimum n).
        periods: the earlier and later halves of the waves the trend compares (None: one wave).
        outlet: the chosen outlet's league row (None when there is none).
        outlet_stages: its top-2-box per outlet stage against the rest of its brand.
        outlet_waves: its NPS per wave beside its brand's (``series`` outlet / population).
        choices: the page's resolved picks.
    """

    options: Options
    selection: Selection
    tau: float
    network: pl.DataFrame
    league: pl.DataFrame
    periods: tuple[str, str] | None
    outlet: dict[str, Any] | None
    outlet_stages: pl.DataFrame
    outlet_waves: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)


def _one(value: Any, values: list[str], labels: dict[str, str], default: str = ALL) -> Choice:
    options = (ALL, *values)
    return Choice(options, one_of(value, options, default), labels)


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    brand: str | None = None,
    country: str | None = None,
    channel: str | None = None,
    group: str | None = None,
    outlet: str | None = None,
) -> DealersResult:
    """Outlets of the selection: the league for the picks and the chosen outlet's scorecard."""
    waves = outlets.wave_sums(run, sel).with_columns(outlets.POOL)
    countries = waves["country"].drop_nulls().unique().sort().to_list()
    busiest = (
        waves.group_by("country").agg(pl.col("dealer_id").n_unique()).sort("dealer_id", "country", descending=[True, False])
        if waves.height
        else pl.DataFrame({"country": [ALL]})
    )  # fmt: skip
    labels = {ALL: "All countries", **{c: display.name("country", c) for c in countries}}
    choices = {"country": _one(country, countries, labels, str(busiest["country"][0]))}
    page = sel
    if choices["country"].value != ALL:
        page = sel.with_filter("countries", [choices["country"].value])
        waves = waves.filter(pl.col("country") == choices["country"].value)
    network, tau = outlets.league(outlets.outlet_sums(waves), opts)
    stages = outlets.stage_table(outlets.stage_sums(waves), network, opts)
    trend, periods = outlets.trends(waves, opts)
    for extra in (outlets.weakest(stages), trend):
        if not extra.is_empty():
            network = network.join(extra, on=list(outlets.KEYS), how="left", nulls_equal=True)
    league = network
    picked = {"brand": brand, "channel": channel, "group": group}
    for name, column, label in (
        ("brand", "brand", "All brands"),
        ("channel", "channel", "All channels"),
        ("group", "dealer_group", "All groups"),
    ):
        values = league[column].drop_nulls().unique().sort().to_list() if league.height else []
        names = {ALL: label, **{v: display.name(column, v) for v in values}}
        choices[name] = _one(picked[name], values, names)
        if choices[name].value != ALL:
            league = league.filter(pl.col(column) == choices[name].value)
    if choices["brand"].value != ALL:
        network = network.filter(pl.col("brand") == choices["brand"].value)
    league = outlets.rank(league.drop("rank")).with_columns(key=KEY) if league.height else league
    keys = league["key"].to_list() if league.height else []
    named = {r["key"]: f"{r['dealer_name']} · {r['brand']}" for r in league.iter_rows(named=True)}
    # the first outlet shown is the best one that has others of its brand to compare with
    compared = league.filter(pl.col("pool_ranked") >= 3)["key"].to_list() if keys else []
    choices["outlet"] = Choice(tuple(keys), one_of(outlet, keys, *compared[:1]), named)
    chosen = _outlet(league, choices["outlet"].value)
    return DealersResult(
        options=opts,
        selection=page,
        tau=tau,
        network=network,
        league=league,
        periods=periods,
        outlet=chosen,
        outlet_stages=_of(stages, chosen),
        outlet_waves=outlets.wave_table(waves, chosen, opts) if chosen else pl.DataFrame(),
        choices=choices,
    )


def _outlet(league: pl.DataFrame, key: str | None) -> dict[str, Any] | None:
    """The league row of an outlet's key."""
    if not key or league.is_empty():
        return None
    rows = league.filter(pl.col("key") == key)
    return rows.row(0, named=True) if rows.height else None


def _of(frame: pl.DataFrame, row: dict[str, Any] | None) -> pl.DataFrame:
    """The rows of one outlet."""
    if row is None or frame.is_empty():
        return pl.DataFrame()
    return frame.filter(
        (pl.col("dealer_id") == row["dealer_id"]) & pl.col("brand").eq_missing(row["brand"])
    )


def _versus(o: dict[str, Any], opts: Options) -> str:
    if o.get("suppressed"):
        return "too few responses to test"
    if not o.get("significant"):
        return "not significant"
    return opts.significance


#: Quartiles in words (1 = the best quarter of the brand's ranked outlets).
QUARTER = {1: "top quarter", 2: "second quarter", 3: "third quarter", 4: "bottom quarter"}


def kpis(r: DealersResult) -> tuple[Kpi, ...]:
    """The chosen outlet's scorecard: rank, shrunk and raw NPS, gap to its brand, weakest
    stage and trend, each with its interval or test."""
    o = r.outlet
    if o is None:
        return ()
    brand = o["brand"] or "its population"
    if o.get("suppressed"):
        rank = Kpi(
            "Rank in brand",
            "not ranked",
            f"n = {o['n']:,.0f}, under the minimum of {r.options.min_n}",
        )
    else:
        rank = Kpi(
            "Rank in brand",
            f"{o['pool_rank']} of {o['pool_ranked']}",
            f"{brand} outlets in view · {QUARTER[o['quartile']]} · league position {o['rank']}",
        )
    out = [
        rank,
        Kpi(
            "Shrunk NPS",
            display.nps(o.get("shrunk_nps")),
            f"{display.interval(o.get('shrunk_low'), o.get('shrunk_high'))} "
            f"({r.options.interval}) · {brand} {display.nps(o.get('pool_nps'))}",
        ),
        Kpi(
            "Raw NPS",
            display.nps(o.get("nps")),
            f"{display.interval(o.get('ci_low'), o.get('ci_high'))} · {display.n(o['n'])}",
        ),
        Kpi(
            "Versus rest of brand, points",
            display.nps(o.get("gap")),
            f"{_versus(o, r.options)} · rest of {brand} {display.nps(o.get('rest_nps'))}",
        ),
    ]
    if o.get("weakest_label") is not None:
        out.append(
            Kpi(
                f"Weakest stage: {o['weakest_label']}",
                display.pct(o["weakest_top2"]),
                f"satisfied · {display.points(o['weakest_gap'])} vs rest of {brand} "
                f"({'significant' if o.get('weakest_significant') else 'not significant'})",
            )
        )
    if o.get("change") is not None and r.periods is not None:
        out.append(
            Kpi(
                "Change, points",
                display.nps(o["change"]),
                f"{r.periods[1]} against {r.periods[0]} "
                f"({'significant' if o.get('change_significant') else 'not significant'})",
            )
        )
    return tuple(out)


def findings(r: DealersResult) -> tuple[str, ...]:
    """What the deck's title slide says about the chosen outlet."""
    o = r.outlet
    if o is None:
        return ()
    name, brand = f"{o['dealer_name']} ({o['dealer_id']})", o["brand"] or "its population"
    if o.get("suppressed"):
        return (
            f"{name} has {o['n']:,.0f} responses, under the minimum of {r.options.min_n}: "
            "listed, not ranked.",
        )
    out = [
        f"{name} ranks {o['pool_rank']} of {o['pool_ranked']} {brand} outlets in view "
        f"({QUARTER[o['quartile']]}) on NPS shrunk towards the brand: {display.nps(o['shrunk_nps'])} "
        f"({display.interval(o['shrunk_low'], o['shrunk_high'])}, {r.options.interval}).",
        f"Its raw NPS of {display.nps(o['nps'])} ({display.n(o['n'])}) is {_phrase(o, brand)}.",
    ]
    if o.get("weakest_label") is not None:
        out.append(
            f"Weakest against the rest of {brand}: {o['weakest_label']}, "
            f"{display.pct(o['weakest_top2'])} satisfied ({display.points(o['weakest_gap'])}, "
            f"{'significant' if o.get('weakest_significant') else 'not significant'})."
        )
    return tuple(out)


def _phrase(o: dict[str, Any], brand: str) -> str:
    if not o.get("significant"):
        return f"not significantly different from the rest of {brand}"
    side = "above" if (o.get("gap") or 0) > 0 else "below"
    return f"significantly {side} the rest of {brand} ({display.nps(o['rest_nps'])})"


def summary(r: DealersResult) -> Summary:
    """The chosen outlet's key figures and findings (the deck's first slides)."""
    return Summary(kpis=kpis(r), findings=findings(r))


REPORT: Report[DealersResult] = Report(
    key="dealers",
    title="Dealer scorecards",
    nav="Dealer scorecards",
    icon=":material/leaderboard:",
    section="Automotive",
    lead=(
        "Outlets (dealers, agency outlets, direct stores) ranked on evidence: each outlet's NPS "
        "is pulled towards its brand's by how little its answers tell ({level} intervals), so "
        "a handful of enthusiastic answers cannot top the table."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("brand", "Brand"),
        Pick("country", "Country"),
        Pick("channel", "Channel"),
        Pick("group", "Dealer group"),
        Pick("outlet", "Outlet", help="The outlet whose scorecard is shown below and exported."),
    ),
    summary=summary,
    needs=("dealer_id", "dealer_name"),
)


def outlet_deck(r: DealersResult, made: list[Chart], dataset: str) -> bytes:
    """The chosen outlet's own deck: its key figures and its charts (to send to the outlet).

    Args:
        r: the computed report; made: its charts (those of the outlet are taken);
        dataset: the dataset's label for the footnotes.
    """
    from cx.exports.slides import pptx_deck  # python-pptx only when a deck is asked for

    o = r.outlet or {"dealer_name": "No outlet", "dealer_id": "", "brand": None}
    summary_ = summary(r)
    meta = DeckMeta(
        page=str(o["dealer_name"]),  # the title slide: the outlet's name, large
        filters=f"outlet scorecard of {o['dealer_id']} ({o['brand']}); {r.selection.describe()}",
        dataset=dataset,
        highlights=summary_.findings,
        kpis=summary_.kpis,
    )
    return pptx_deck([c for c in made if c.key in OUTLET_CHARTS], meta)
