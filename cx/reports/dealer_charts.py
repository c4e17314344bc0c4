"""The charts of the dealer scorecards (:mod:`cx.reports.dealers`): the outlet league, outlets
by channel and by dealer group, and the chosen outlet's stages and trend."""

from __future__ import annotations

from typing import Any

import polars as pl

from cx.charts import dealers as dealer_figures
from cx.charts import figures, theme
from cx.core import display
from cx.core.schema import ITEM_LABELS, OUTLET_ITEMS
from cx.exports.chart import Chart, native_columns, native_pivot
from cx.reports.base import Source
from cx.reports.common import NPS_FORMAT, PCT_FORMAT, SATISFIED_AXIS, human_table
from cx.reports.dealer_scores import ALL, DealersResult

#: The league chart shows every outlet up to this many, else the best and worst half each.
CHART_OUTLETS = 20
#: Quantiles of the distribution charts (native slides and tables), with their names.
QUANTILES = (
    ("p10", 0.10, "10th percentile"),
    ("p25", 0.25, "Lower quartile"),
    ("p50", 0.50, "Median"),
    ("p75", 0.75, "Upper quartile"),
    ("p90", 0.90, "90th percentile"),
)
INDEPENDENT = "Independent dealers"
#: The charts of the chosen outlet (its own deck).
OUTLET_CHARTS = ("dealer_outlet_stages", "dealer_outlet_trend")
#: The columns of the league table (screen, CSV, Excel), in order.
LEAGUE_TABLE = (
    "rank", "dealer_name", "dealer_id", "brand", "country", "channel", "dealer_group", "n",
    "shrunk_nps", "shrunk_low", "shrunk_high", "nps", "ci_low", "ci_high", "pool_nps", "gap",
    "significant", "quartile", "weakest_label", "weakest_gap", "change", "change_significant",
    "suppressed",
)  # fmt: skip
#: What the league's columns mean there: the raw NPS beside the shrunk one, gaps to the rest
#: of the brand.
LEAGUE_NAMES = {
    **display.RAW_COLUMNS,
    "country": "Country",
    "gap": "Gap to rest of brand (points)",
    "quartile": "Quartile in brand",
    "suppressed": "n too small to rank",
}


def _brand_words(r: DealersResult) -> str:
    brand = r.choices["brand"].value if "brand" in r.choices else ALL
    country = r.choices["country"].value if "country" in r.choices else ALL
    who = "outlets" if brand == ALL else f"{brand} outlets"
    return who if country == ALL else f"{who} in {display.name('country', country)}"


def league_table(league: pl.DataFrame) -> pl.DataFrame:
    """The league with human column names (every outlet, unranked ones last), scores to one
    decimal."""
    if league.is_empty():
        return human_table(pl.DataFrame({c: [] for c in LEAGUE_TABLE}), LEAGUE_TABLE, LEAGUE_NAMES)
    frame = league.with_columns(
        display.name_column("channel", "channel"),
        pl.col("dealer_group").fill_null("–"),
        *[pl.col(c).round(1) for c, t in league.schema.items() if t == pl.Float64 and c != "n"],
    )
    return human_table(frame, LEAGUE_TABLE, LEAGUE_NAMES)


#: League columns left empty for an outlet that is not ranked (its n is under the minimum).
UNRANKED = ("rank", "shrunk_nps", "shrunk_low", "shrunk_high", "quartile")


def league_screen(league: pl.DataFrame, min_n: int) -> pl.DataFrame:
    """The league as the page shows it: every empty cell a dash, with why where it is the
    minimum n ("– n under 30"); numbers as the table shows them (a table widget would print
    "None" for an empty cell)."""
    table = league_table(league)
    why = f"– n under {min_n}"
    unranked = [{**display.COLUMN_NAMES, **LEAGUE_NAMES}[c] for c in UNRANKED]
    out = []
    for name, kind in table.schema.items():
        col = pl.col(name)
        if kind.is_numeric() and table[name].null_count():
            text = (
                col.cast(pl.Int64).cast(pl.String)
                if kind.is_integer() or name in unranked[::4]
                else col.round(1).cast(pl.String)
            )
            out.append(text.fill_null(why if name in unranked else "–").alias(name))
        elif kind == pl.String:
            out.append(col.fill_null("–"))
        else:
            out.append(col)
    return table.select(out)


def _league_chart(r: DealersResult, source: Source) -> Chart | None:
    ranked = r.league.filter(~pl.col("suppressed")) if r.league.height else r.league
    if ranked.is_empty():
        return None
    shown, cut, gap_after, gap_label = ranked, "", None, ""
    if ranked.height > CHART_OUTLETS:
        half = CHART_OUTLETS // 2
        shown = pl.concat([ranked.head(half), ranked.tail(half)])
        cut = f" · best {half} and weakest {half} of {ranked.height} shown, all in the table"
        gap_after, gap_label = half, f"⋯ {ranked.height - 2 * half} more outlets ⋯"
    above = ranked.filter(pl.col("significant") & (pl.col("gap") > 0)).height
    below = ranked.filter(pl.col("significant") & (pl.col("gap") < 0)).height
    top = ranked.row(0, named=True)
    title = (
        f"{top['dealer_name']} leads {ranked.height} ranked {_brand_words(r)} "
        f"({display.nps(top['shrunk_nps'])}); {above} {'is' if above == 1 else 'are'} "
        f"significantly above their brand, {below} below"
    )
    unranked = r.league.height - ranked.height
    subtitle = (
        f"{source.survey} · {display.n(r.league['n'].sum())} · ranked on NPS shrunk towards the "
        f"brand (empirical Bayes, between-outlet SD {r.tau:.1f} points) · whiskers: "
        f"{r.options.interval} · ring: raw NPS · tick: brand NPS · colour: outlet vs rest of its "
        f"brand {r.options.significance} (grey: not significant){cut}"
        + (
            f" · {unranked} outlet{'s' if unranked > 1 else ''} under n = {r.options.min_n} "
            "listed, not ranked"
            if unranked
            else ""
        )
    )
    labelled = shown.with_columns(label=pl.format("{} {}", pl.col("rank"), pl.col("dealer_name")))
    colours = [
        theme.significance(x["significant"], x["gap"]).colour
        for x in labelled.iter_rows(named=True)
    ]
    return Chart(
        "dealer_league",
        title,
        subtitle,
        dealer_figures.league(
            labelled, "label", title, subtitle, r.options.level, gap_after, gap_label
        ),
        league_table(r.league),
        label="Outlet league",
        native=native_columns(
            labelled, "label", [(display.COLUMN_NAMES["shrunk_nps"], "shrunk_nps")], "bar", blank=None,
            interval=("shrunk_low", "shrunk_high"), colours=colours, value_title="NPS (shrunk)",
            number_format=NPS_FORMAT, series_colours=[theme.ACCENT],
        ),
    )  # fmt: skip


def quantile_table(frame: pl.DataFrame, category: str, value: str) -> pl.DataFrame:
    """Outlets, mean and quantiles of ``value`` per category (ranked outlets only)."""
    return (
        frame.group_by(category)
        .agg(
            outlets=pl.len(),
            mean=pl.col(value).mean(),
            **{key: pl.col(value).quantile(q, "linear") for key, q, _ in QUANTILES},
        )
        .sort("p50", descending=True)
    )


#: What the distribution charts' marks mean, on screen and on slides.
BOX_WORDS = (
    "box: the middle half of the outlets, line: their median (on slides: bar = median, "
    "whiskers = quartiles)"
)


def _quantile_native(q: pl.DataFrame, label: str, colours: list[str] | None = None) -> Any:
    """Median bars with the quartiles as whiskers: the box plot in an editable form."""
    return native_columns(
        q, label, [("Median", "p50")], "bar", blank=None, interval=("p25", "p75"),
        value_title="NPS of the outlet (shrunk)", number_format=NPS_FORMAT, colours=colours,
        series_colours=[theme.ACCENT],
    )  # fmt: skip


def _quantile_human(q: pl.DataFrame, label: str, name: str) -> pl.DataFrame:
    quantiles = {key: text for key, _, text in QUANTILES}
    return human_table(
        q,
        (label, "outlets", "mean", *quantiles),
        {label: name, "mean": "Mean (shrunk NPS)", **quantiles},
    )


def _channel_chart(r: DealersResult, source: Source) -> Chart | None:
    ranked = (
        r.network.filter(~pl.col("suppressed") & pl.col("channel").is_not_null())
        if r.network.height
        else r.network
    )
    if ranked.is_empty():
        return None
    q = quantile_table(ranked, "channel", "shrunk_nps")
    stats = {row["channel"]: row for row in q.iter_rows(named=True)}
    reference = None
    if "dealer" in stats and "direct" in stats and stats["dealer"]["outlets"] >= 4:
        best, direct = stats["dealer"]["p75"], stats["direct"]["mean"]
        verb = "beats" if best > direct else "does not reach"
        title = (
            f"The best quarter of dealer outlets (shrunk NPS {display.nps(best)} and above) "
            f"{verb} the average direct store ({display.nps(direct)})"
        )
        reference = ("average direct store", float(direct))
    elif q.height > 1:
        top = q.row(0, named=True)
        title = (
            f"{display.name('channel', top['channel'])} outlets have the highest median NPS "
            f"({display.nps(top['p50'])}) of {q.height} channels"
        )
    else:
        one = q.row(0, named=True)
        title = (
            f"{display.name('channel', one['channel'])} outlets: median NPS "
            f"{display.nps(one['p50'])}, the middle half from {display.nps(one['p25'])} to "
            f"{display.nps(one['p75'])}"
        )
    subtitle = (
        f"{source.survey} · {ranked.height} ranked outlets ({_brand_words(r)}), each a point at "
        f"its shrunk NPS · {BOX_WORDS} · a comparison of outlet estimates, not a significance "
        "test"
    )
    order = q["channel"].to_list()
    names = {c: display.name("channel", c) for c in order}
    human = q.with_columns(name=display.name_column("channel", "channel"))
    return Chart(
        "dealer_channels",
        title,
        subtitle,
        dealer_figures.distribution(
            ranked.with_columns(label=pl.col("dealer_name")), "channel", "shrunk_nps", title,
            subtitle, order=order, names=names, colours=theme.colour_map("channel", order),
            reference=reference,
        ),
        _quantile_human(human, "name", display.COLUMN_NAMES["channel"]),
        label="Outlets by channel",
        native=_quantile_native(human, "name", theme.colours_for("channel", order)),
    )  # fmt: skip


def _group_chart(r: DealersResult, source: Source) -> Chart | None:
    if r.network.is_empty():
        return None
    dealers = r.network.filter(
        ~pl.col("suppressed") & (pl.col("channel").fill_null("") != "direct")
    )
    dealers = dealers.with_columns(group=pl.col("dealer_group").fill_null(INDEPENDENT))
    counts = dealers.group_by("group").len()
    kept = counts.filter(pl.col("len") >= 2)["group"].to_list()
    if len([g for g in kept if g != INDEPENDENT]) < 1 or len(kept) < 2:
        return None
    rows = dealers.filter(pl.col("group").is_in(kept))
    q = quantile_table(rows, "group", "shrunk_nps")
    groups = q.filter(pl.col("group") != INDEPENDENT)
    best, worst = groups.row(0, named=True), groups.row(-1, named=True)
    title = f"{best['group']} has the best median outlet ({display.nps(best['p50'])})"
    if groups.height > 1:
        title += (
            f" of {groups.height} dealer groups, {worst['group']} the weakest "
            f"({display.nps(worst['p50'])})"
        )
    alone = q.filter(pl.col("group") == INDEPENDENT)
    if alone.height:
        title += f"; independent dealers' median {display.nps(alone['p50'][0])}"
    subtitle = (
        f"{source.survey} · {rows.height} ranked dealer and agency outlets ({_brand_words(r)}), "
        f"each a point at its shrunk NPS · {BOX_WORDS} · groups with two or more "
        "ranked outlets · brands differ between groups: compare within a brand for a fair test"
    )
    return Chart(
        "dealer_groups",
        title,
        subtitle,
        dealer_figures.distribution(
            rows.with_columns(label=pl.col("dealer_name")), "group", "shrunk_nps", title, subtitle,
            order=q["group"].to_list(),
        ),
        _quantile_human(q, "group", display.COLUMN_NAMES["dealer_group"]),
        label="Dealer groups",
        native=_quantile_native(q, "group"),
    )  # fmt: skip


def _outlet_stage_chart(r: DealersResult, source: Source) -> Chart | None:
    o, stages = r.outlet, r.outlet_stages
    if o is None or stages.is_empty():
        return None
    long = pl.concat(
        [
            stages.select("label", "order", value="top2_pct", low="top2_low", high="top2_high", suppressed="suppressed", series=pl.lit("outlet")),
            stages.select("label", "order", value="rest_top2", low="rest_low", high="rest_high", suppressed="rest_suppressed", series=pl.lit("rest")),
        ]
    ).sort("order")  # fmt: skip
    title = _stage_title(o, stages)
    brand = o["brand"] or "its population"
    subtitle = (
        f"{source.survey} · % satisfied (4-5 of 5) at the stages an outlet delivers, "
        f"{display.n(o['n'])} · whiskers: {r.options.interval} · gaps tested "
        f"{r.options.significance}"
    )
    order = [ITEM_LABELS[i] for i in OUTLET_ITEMS if ITEM_LABELS[i] in set(stages["label"])]
    names = {"outlet": str(o["dealer_name"]), "rest": f"Rest of {brand}"}
    colours = {"outlet": theme.ACCENT, "rest": theme.BENCHMARK}
    value_title = SATISFIED_AXIS
    return Chart(
        "dealer_outlet_stages",
        title,
        subtitle,
        figures.grouped_bars(
            long, "label", "series", "value", title, subtitle, value_title, "%",
            category_order=order, colours=colours, names=names, lo="low", hi="high",
        ),
        human_table(
            stages, ("label", "n", "top2_pct", "top2_low", "top2_high", "rest_top2", "gap", "significant"),
            {**display.ANSWER_COLUMNS, "rest_top2": f"Rest of {brand}, satisfied %"},
        ),
        label="Outlet stages",
        native=native_pivot(
            long, "label", "series", "value", "clustered_column", category_order=order,
            series_order=["outlet", "rest"], series_names=[names["outlet"], names["rest"]],
            series_colours=[colours["outlet"], colours["rest"]], number_format=PCT_FORMAT,
            value_title=value_title, interval=("low", "high"), value_range=(0, 100),
        ),
    )  # fmt: skip


def _stage_title(o: dict[str, Any], stages: pl.DataFrame) -> str:
    """The finding of an outlet's stage chart: where it trails its brand most, in words that
    claim only what the test supports."""
    name, brand = o["dealer_name"], o["brand"] or "its population"
    weak, gap = o.get("weakest_label"), o.get("weakest_gap")
    verdict = "significant" if o.get("weakest_significant") else "not significant"
    if weak is not None and gap is not None and gap < 0:
        return (
            f"{name} trails the rest of {brand} most at {weak}: "
            f"{display.pct(o['weakest_top2'])} satisfied, {display.points(gap)} ({verdict})"
        )
    if weak is not None:
        return (
            f"{name} is at or above the rest of {brand} at every stage it delivers; its "
            f"smallest lead is at {weak} ({display.points(gap)}, {verdict})"
        )
    rated = stages.filter(pl.col("top2_pct").is_not_null()).sort("top2_pct")
    if rated.is_empty():
        return f"Too few answers at {name} to rate its stages"
    low = rated.row(0, named=True)
    return (
        f"{name}'s lowest stage is {low['label']} ({display.pct(low['top2_pct'])} satisfied); "
        f"too few other {brand} answers in view to compare"
    )


def _outlet_trend_chart(r: DealersResult, source: Source) -> Chart | None:
    o, part = r.outlet, r.outlet_waves
    if o is None or part.is_empty() or part["period"].n_unique() < 2:
        return None
    brand = o["brand"] or "its population"
    change = o.get("change")
    if change is not None and r.periods is not None:
        verdict = (
            "a significant change" if o.get("change_significant") else "not a significant change"
        )
        title = (
            f"{o['dealer_name']} changed by {display.points(change)} from {r.periods[0]} to "
            f"{r.periods[1]}, {verdict}"
        )
    else:
        title = f"Too few answers at {o['dealer_name']} per half of the waves to show a trend"
    pooled = (
        " (waves pooled so each point has enough answers)" if "-" in str(part["period"][0]) else ""
    )
    subtitle = (
        f"{source.survey} · NPS by wave{pooled} of the outlet and of all {brand} outlets in "
        f"view · whiskers: {r.options.interval} · change of the later against the earlier half "
        f"of the waves tested {r.options.significance} · gaps: n too small"
    )
    names = {"outlet": str(o["dealer_name"]), "population": f"All {brand} outlets"}
    named = part.with_columns(name=pl.col("series").replace_strict(names))
    colours = {names["outlet"]: theme.ACCENT, names["population"]: theme.BENCHMARK}
    y_range = figures.honest_range(part["ci_low"].to_list(), part["ci_high"].to_list())
    return Chart(
        "dealer_outlet_trend",
        title,
        subtitle,
        figures.trend(
            named, "period", "name", title, subtitle, r.options.level, colours=colours,
            y_range=y_range,
        ),
        human_table(
            named, ("name", "period", "n", "nps", "ci_low", "ci_high", "suppressed"),
            {"name": "Series", "period": "Waves"},
        ),
        label="Outlet trend",
        native=native_pivot(
            named.sort("period"), "period", "name", "nps", "line",
            series_order=[names["outlet"], names["population"]], value_title="NPS",
            number_format=NPS_FORMAT, series_colours=[theme.ACCENT, theme.BENCHMARK],
            interval=("ci_low", "ci_high"), value_range=(y_range[0], y_range[1]),
        ),
    )  # fmt: skip


def charts(r: DealersResult, source: Source) -> list[Chart]:
    """League, outlets by channel and by dealer group, the chosen outlet's stages and trend."""
    out = [
        _league_chart(r, source),
        _channel_chart(r, source),
        _group_chart(r, source),
        _outlet_stage_chart(r, source),
        _outlet_trend_chart(r, source),
    ]
    return [c for c in out if c is not None]
