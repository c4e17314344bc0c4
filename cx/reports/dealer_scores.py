"""The dealer scorecards' result: outlets of the selection ranked on evidence (NPS shrunk
towards their brand) and the chosen outlet's scorecard. Charts: :mod:`cx.reports.dealer_charts`;
the page: :mod:`cx.reports.dealers`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.core import display, i18n
from cx.core.i18n import _
from cx.core.options import Options
from cx.core.selection import Selection
from cx.metrics import kept, outlets
from cx.reports.base import Choice, Runner, one_of

#: The "all" option of the page's picks.
ALL = "all"
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
        tau: the pooled between-outlet standard deviation of NPS within a brand (points):
            the spread the shrinkage assumes for brands with too few outlets of their own
            (each other brand's is its ``pool_tau``).
        network: every outlet of the chosen country (of the chosen brand when one is picked):
            :func:`cx.metrics.outlets.league` columns plus weakest stage and trend; the
            distribution charts read it.
        league: the outlets of the chosen brand, channel and group, best shrunk NPS first,
            ``rank`` their position (null under the minimum n), ``pool_rank``,
            ``pool_ranked`` and ``quartile`` their place among the brand's outlets shown.
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
    codes = waves["country"].drop_nulls().unique().to_list()
    busiest = _busiest(waves, opts)
    labels = {ALL: _("All countries"), **{c: display.name("country", c) for c in codes}}
    countries = sorted(codes, key=lambda c: labels[c])  # by name, as read (DE came before FR)
    choices = {"country": _one(country, countries, labels, str(busiest["country"][0]))}
    page = sel
    if choices["country"].value != ALL:
        page = sel.with_filter("countries", [choices["country"].value])
        waves = waves.filter(pl.col("country") == choices["country"].value)
    network, tau, stages, periods = _NETWORKS.get(
        (kept.fingerprint(waves, opts), i18n.language()), lambda: _network(waves, opts)
    )
    league = network
    picked = {"brand": brand, "channel": channel, "group": group}
    for name, column, label in (
        ("brand", "brand", _("All brands")),
        ("channel", "channel", _("All channels")),
        ("group", "dealer_group", _("All groups")),
    ):
        values = league[column].drop_nulls().unique().sort().to_list() if league.height else []
        names = {ALL: label, **{v: display.name(column, v) for v in values}}
        choices[name] = _one(picked[name], values, names)
        if choices[name].value != ALL:
            league = league.filter(pl.col(column) == choices[name].value)
    if choices["brand"].value != ALL:
        network = network.filter(pl.col("brand") == choices["brand"].value)
    if league.height:  # ranks, places in the brand and quartiles among the outlets shown
        league = outlets.rank(outlets.positions(league.drop("rank"))).with_columns(key=KEY)
    keys = league["key"].to_list() if league.height else []
    named = {
        r["key"]: r["dealer_name"]
        if f" · {r['brand']}" in str(r["dealer_name"])  # told apart by brand already
        else f"{r['dealer_name']} · {r['brand']}"
        for r in league.iter_rows(named=True)
    }
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


def _network(
    waves: pl.DataFrame, opts: Options
) -> tuple[pl.DataFrame, float, pl.DataFrame, tuple[str, str] | None]:
    """The outlets of ``waves`` (one country, or all) ranked with their weakest stage and trend,
    the between-outlet spread of NPS (``tau``), their stage table and the trend's periods: what
    the brand, channel, group and outlet picks only filter."""
    network, tau = outlets.league(outlets.outlet_sums(waves), opts)
    network = distinct_names(network)
    stages = outlets.stage_table(outlets.stage_sums(waves), network, opts)
    trend, periods = outlets.trends(waves, opts)
    for extra in (outlets.weakest(stages), trend):
        if not extra.is_empty():
            network = network.join(extra, on=list(outlets.KEYS), how="left", nulls_equal=True)
    return network, tau, stages, periods


def distinct_names(network: pl.DataFrame) -> pl.DataFrame:
    """The outlets' names told apart: a dealer that sells several brands is an outlet of each
    (its answers are ranked within each brand), so its name stood four times down the league
    and "D0520 and D0520 lead" the title; a name shared is followed by the brand (when it
    does not say it), then by the dealer's code."""
    if network.is_empty() or "dealer_name" not in network.columns:
        return network
    rows = network.select("dealer_id", "dealer_name", "brand").rows()
    names = [str(name if name is not None else dealer) for dealer, name, _b in rows]
    seen = Counter(names)
    names = [
        n if seen[n] == 1 or not brand or str(brand) in n else f"{n} · {brand}"
        for n, (_d, _n, brand) in zip(names, rows, strict=True)
    ]
    seen = Counter(names)
    names = [
        n if seen[n] == 1 else f"{n} ({dealer})"
        for n, (dealer, _n, _b) in zip(names, rows, strict=True)
    ]
    return network.with_columns(dealer_name=pl.Series(names, dtype=pl.String))


#: The networks of a country of a selection, by the content of their sums, the options and the
#: language (the stage table's labels): another pick on them ranks nothing again.
_NETWORKS: kept.Kept[tuple[pl.DataFrame, float, pl.DataFrame, tuple[str, str] | None]] = kept.Kept(
    32, per_selection=True
)


def _busiest(waves: pl.DataFrame, opts: Options) -> pl.DataFrame:
    """Countries by how many outlets can be ranked there (n at least the minimum), then by
    outlets and answers: the page opens on the first, where the league has most to show."""
    if waves.is_empty():
        return pl.DataFrame({"country": [ALL]})
    per_outlet = waves.group_by("country", *outlets.KEYS).agg(pl.col("n").sum())
    return (
        per_outlet.group_by("country")
        .agg(
            ranked=(pl.col("n") >= opts.min_n).sum(),
            outlets=pl.len(),
            answers=pl.col("n").sum(),
        )
        .sort(["ranked", "outlets", "answers", "country"], descending=[True, True, True, False])
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
