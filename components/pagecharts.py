"""The charts of each page, built from the page's view data (no Streamlit).

Pages render these; exports (PowerPoint, images) can build the very same list. Titles are
findings computed from the data; subtitles carry n and source.
"""

from __future__ import annotations

from typing import Any, cast

import polars as pl

from components import charts, theme
from cx import revenue, stats
from cx.deck import Chart, Native, native_columns, native_pivot
from cx.schema import ITEM_LABELS, STAGE_LABELS, STAGES, SWITCH_INTENTS
from cx.stats import signed

AUTOMOTIVE_HIGHLIGHT = {"Automakers", "Car dealers"}


def _n(value: Any) -> str:
    return f"n = {float(value or 0):,.0f}"


NPS_FORMAT = "+0;-0;0"
PCT_FORMAT = '0"%"'


def _nps_native(df: pl.DataFrame, label: str, significance: bool = True) -> Native:
    """NPS bars best first, empty where suppressed, significance colours as on screen."""
    rows = df.sort("nps", descending=True, nulls_last=True)
    colours = None
    if significance and "significant" in rows.columns:
        colours = [
            charts.significance_colour(r.get("significant"), r.get("gap"), r.get("suppressed"))
            for r in rows.iter_rows(named=True)
        ]
    return native_columns(
        rows,
        label,
        [("NPS", "nps")],
        "bar",
        value_title="NPS",
        number_format=NPS_FORMAT,
        colours=colours,
        series_colours=[theme.ACCENT],
    )


def _sig_phrase(row: dict[str, Any], others: str) -> str:
    """How a group compares with ``others``, in words that only claim what the test supports."""
    if row.get("suppressed"):
        return "too few responses to tell"
    if not row.get("significant"):
        return f"not significantly different from {others}"
    side = "above" if (row.get("gap") or 0) > 0 else "below"
    return f"significantly {side} {others}"


def industries(data: dict[str, pl.DataFrame], source: str) -> list[Chart]:
    """Published ranking and survey NPS by industry."""
    out: list[Chart] = []
    ranking = data["ranking"]
    if not ranking.is_empty():
        auto_row = ranking.filter(pl.col("industry") == "Automakers").row(0, named=True)
        dealers = ranking.filter(pl.col("industry") == "Car dealers").row(0, named=True)
        title = (
            f"Automakers rank {auto_row['published_rank']}th and car dealers "
            f"{dealers['published_rank']}th of 13 industries for overall experience"
        )
        out.append(
            Chart(
                "industry_ranking_published",
                title,
                "Published: % of consumers placing the industry in their top five · Capgemini "
                "Research Institute 2024, 10,000 consumers in 11 countries (fig. 2)",
                charts.bars(
                    ranking,
                    "industry",
                    "share_top5_pct",
                    title,
                    "Published · Capgemini Research Institute 2024 (fig. 2), 10,000 consumers",
                    highlight=AUTOMOTIVE_HIGHLIGHT,
                    colour=theme.PUBLISHED,
                    suffix="%",
                    value_title="% ranking the industry in their top five",
                ),
                ranking.select(
                    "published_rank",
                    "industry",
                    "share_top5_pct",
                    "figure_id",
                    "publisher",
                    "year",
                    "seed_file",
                ),
                kind="published",
                native=native_columns(
                    ranking.sort("published_rank"),
                    "industry",
                    [("% ranking the industry in their top five", "share_top5_pct")],
                    "bar",
                    number_format=PCT_FORMAT,
                    colours=[
                        theme.HIGHLIGHT if i in AUTOMOTIVE_HIGHLIGHT else theme.PUBLISHED
                        for i in ranking.sort("published_rank")["industry"].to_list()
                    ],
                    value_title="% of consumers (top five)",
                ),
            )
        )
    nps = data["nps"]
    if not nps.is_empty():
        shown = nps.filter(~pl.col("suppressed"))
        best = shown.row(0, named=True) if shown.height else None
        auto = nps.filter(pl.col("industry") == "Automakers")
        if best is not None and auto.height and not auto["suppressed"][0]:
            a = auto.row(0, named=True)
            gap = best["nps"] - a["nps"]
            title = f"Automakers' NPS of {signed(a['nps'])} trails {best['industry']} by {gap:.0f} points"
        elif best is not None:
            title = f"{best['industry']} leads the sample with an NPS of {signed(best['nps'])}"
        else:
            title = "No industry has enough responses to report"
        subtitle = f"{source} · {_n(nps['n'].sum())} · bars: 95% interval"
        fig = charts.nps_ranking(
            nps.with_columns(
                pl.lit(False).alias("significant"), pl.lit(None).cast(pl.Float64).alias("gap")
            ),
            "industry",
            title,
            subtitle,
            colour="plain",
        )
        out.append(
            Chart(
                "industry_nps",
                title,
                subtitle,
                fig,
                nps.drop("se"),
                kind="survey",
                native=_nps_native(nps, "industry", significance=False),
            )
        )
    return out


def brands(
    data: dict[str, pl.DataFrame], source: str, focus: list[str], benchmark_name: str
) -> list[Chart]:
    """Brand ranking with significance, NPS split, and trends of focus brands."""
    out: list[Chart] = []
    table = data["versus_industry"]
    if table.is_empty():
        return out
    shown = table.filter(~pl.col("suppressed")).sort("nps", descending=True)
    sig_better = shown.filter(pl.col("significant") & (pl.col("gap") > 0))
    if shown.height:
        top = shown.row(0, named=True)
        title = f"{top['brand']} leads with an NPS of {signed(top['nps'])}"
        title += (
            f"; {sig_better.height} of {shown.height} brands beat their industry significantly"
            if sig_better.height
            else "; no brand beats the rest of its industry significantly"
        )
    else:
        title = "No brand has enough responses to report"
    subtitle = (
        f"{source} · {_n(table['n'].sum())} · colour: significant gap vs {benchmark_name} "
        "(blue above, orange below, grey not significant) · 95% intervals"
    )
    out.append(
        Chart(
            "brand_nps_ranking",
            title,
            subtitle,
            charts.nps_ranking(table, "brand", title, subtitle),
            table.select(
                "brand",
                "industry",
                "n",
                "n_effective",
                "nps",
                "ci_low",
                "ci_high",
                "rest_nps",
                "gap",
                "p_value",
                "significant",
                "suppressed",
                "promoters_pct",
                "passives_pct",
                "detractors_pct",
            ),
            native=_nps_native(table, "brand"),
        )
    )
    if shown.height:
        most_det = shown.sort("detractors_pct", descending=True).row(0, named=True)
        t2 = f"{most_det['brand']} has the largest detractor share: {most_det['detractors_pct']:.0f}%"
        s2 = f"{source} · promoters 9-10, passives 7-8, detractors 0-6 · suppressed brands omitted"
        out.append(
            Chart(
                "brand_nps_split",
                t2,
                s2,
                charts.nps_split(table, "brand", t2, s2),
                table.select(
                    "brand", "n", "promoters_pct", "passives_pct", "detractors_pct", "nps"
                ),
                native=native_columns(
                    table.filter(~pl.col("suppressed")).sort("nps", descending=True),
                    "brand",
                    [
                        ("Promoters (9-10)", "promoters_pct"),
                        ("Passives (7-8)", "passives_pct"),
                        ("Detractors (0-6)", "detractors_pct"),
                    ],
                    "stacked_bar",
                    number_format="0",
                    value_title="% of respondents",
                    series_colours=[theme.PROMOTER, theme.PASSIVE, theme.DETRACTOR],
                ),
            )
        )
    trend = data["trend"]
    if focus and not trend.is_empty():
        part = trend.filter(pl.col("brand").is_in(focus))
        first_last = []
        for b in focus:
            rows = part.filter((pl.col("brand") == b) & ~pl.col("suppressed")).sort("wave")
            if rows.height >= 2:
                first, last = rows.row(0, named=True), rows.row(-1, named=True)
                _, _, sig = stats.difference_test(
                    last["nps"], last["se"], first["nps"], first["se"]
                )
                first_last.append(
                    (b, last["nps"] - first["nps"], first["wave"], last["wave"], bool(sig))
                )
        significant = [r for r in first_last if r[4]]
        if significant:
            b, change, w0, w1, _ = max(significant, key=lambda r: abs(r[1]))
            t3 = f"{b} moved {signed(change)} NPS points from {w0} to {w1}, a significant change"
        elif first_last:
            t3 = f"No significant change for {', '.join(r[0] for r in first_last)} from {first_last[0][2]} to {first_last[0][3]}"
        else:
            t3 = "Too few responses per wave to show a trend"
        s3 = f"{source} · NPS by wave, whiskers: 95% interval · gaps: n too small"
        out.append(
            Chart(
                "brand_trend",
                t3,
                s3,
                charts.trend(part, "wave", "brand", t3, s3),
                part.select("brand", "wave", "n", "nps", "ci_low", "ci_high", "suppressed"),
                native=native_pivot(
                    part.sort("wave"),
                    "wave",
                    "brand",
                    "nps",
                    "line",
                    series_order=[b for b in focus if b in set(part["brand"].to_list())],
                    value_title="NPS",
                    number_format=NPS_FORMAT,
                ),
            )
        )
    return out


def countries(data: dict[str, pl.DataFrame], source: str, brand: str | None) -> list[Chart]:
    """Country ranking (table/map companion) and one brand across countries."""
    out: list[Chart] = []
    by_country = data["by_country"].join(
        data["reference"].select("country", "name"), on="country", how="left"
    )
    if by_country.is_empty():
        return out
    shown = by_country.filter(~pl.col("suppressed"))
    if shown.height >= 2:
        hi, lo = shown.row(0, named=True), shown.row(-1, named=True)
        title = f"{hi['name']} scores highest ({signed(hi['nps'])}) and {lo['name']} lowest ({signed(lo['nps'])}): partly response style"
    else:
        title = "Too few countries with enough responses to compare"
    subtitle = (
        f"{source} · {_n(by_country['n'].sum())} · 95% intervals · compare brands within a country"
    )
    out.append(
        Chart(
            "country_nps",
            title,
            subtitle,
            charts.nps_ranking(
                by_country.with_columns(label=pl.col("name")),
                "label",
                title,
                subtitle,
                colour="plain",
            ),
            by_country.select(
                "country", "name", "n", "n_effective", "nps", "ci_low", "ci_high", "suppressed"
            ),
            native=_nps_native(by_country, "name", significance=False),
        )
    )
    bc = data["brand_country"]
    if brand and not bc.is_empty():
        part = bc.filter(pl.col("brand") == brand).join(
            data["reference"].select("country", "name"), on="country", how="left"
        )
        ok = part.filter(~pl.col("suppressed")).sort("nps", descending=True)
        t2 = (
            f"{brand} does best in {ok['name'][0]} ({signed(ok['nps'][0])}) and worst in {ok['name'][-1]} ({signed(ok['nps'][-1])})"
            if ok.height >= 2
            else f"{brand}: too few responses per country to rank"
        )
        s2 = f"{source} · {brand} by country · 95% intervals · response styles differ by country"
        out.append(
            Chart(
                "brand_by_country",
                t2,
                s2,
                charts.nps_ranking(
                    part.with_columns(label=pl.col("name")), "label", t2, s2, colour="plain"
                ),
                part.select(
                    "brand", "country", "name", "n", "nps", "ci_low", "ci_high", "suppressed"
                ),
                native=_nps_native(part, "name", significance=False),
            )
        )
    return out


def journey(data: dict[str, pl.DataFrame], source: str) -> list[Chart]:
    """Stage satisfaction, brand x stage heatmap, gap to best-in-class, key drivers."""
    out: list[Chart] = []
    stages = data["stages"]
    if stages.is_empty():
        return out
    stage_rows = stages.filter(pl.col("item").is_in(list(STAGES)))
    shown = stage_rows.filter(~pl.col("suppressed")).sort("top2_pct")
    if shown.height:
        worst, best = shown.row(0, named=True), shown.row(-1, named=True)
        title = f"{worst['label']} is the weakest stage ({worst['top2_pct']:.0f}% satisfied) and {best['label']} the strongest ({best['top2_pct']:.0f}%)"
    else:
        title = "Too few responses to rate the journey stages"
    subtitle = f"{source} · top-2-box (4-5 of 5) with 95% interval · n = answers per stage"
    ordered = stage_rows.sort("order")
    out.append(
        Chart(
            "stage_top2",
            title,
            subtitle,
            charts.bars(
                ordered,
                "label",
                "top2_pct",
                title,
                subtitle,
                lo="top2_low",
                hi="top2_high",
                suffix="%",
                value_title="Satisfied (4-5 of 5), %",
                sort=False,
                horizontal=False,
                highlight={worst["label"]} if shown.height else None,
            ),
            ordered.select(
                "item",
                "label",
                "n",
                "top2_pct",
                "top2_low",
                "top2_high",
                "mean",
                "dissatisfied_pct",
                "suppressed",
            ),
            native=native_columns(
                ordered,
                "label",
                [("Satisfied (4-5 of 5), %", "top2_pct")],
                "column",
                number_format=PCT_FORMAT,
                value_title="Satisfied (4-5 of 5), %",
                colours=[
                    theme.HIGHLIGHT if shown.height and lbl == worst["label"] else theme.ACCENT
                    for lbl in ordered["label"].to_list()
                ],
            ),
        )
    )
    by_brand = data["by_brand"]
    if not by_brand.is_empty():
        bb = by_brand.filter(pl.col("item").is_in(list(STAGES)))
        brands_ok = (
            bb.group_by("brand")
            .agg(pl.col("suppressed").all().alias("all_supp"))
            .filter(~pl.col("all_supp"))["brand"]
        )
        bb = bb.filter(pl.col("brand").is_in(brands_ok.to_list()))
        if bb.height:
            wide = bb.pivot(on="item", index="brand", values="top2_pct").sort("brand")
            cols = [s for s in STAGES if s in wide.columns]
            z = [[row[c] for c in cols] for row in wide.iter_rows(named=True)]
            asked = (
                bb.with_columns(
                    cell=pl.when(pl.col("suppressed"))
                    .then(pl.lit("n too small"))
                    .otherwise(pl.col("top2_pct").round(0).cast(pl.Int64).cast(pl.String))
                )
                .pivot(on="item", index="brand", values="cell")
                .sort("brand")
            )
            text = [
                [row.get(c) or "not asked" for c in cols] for row in asked.iter_rows(named=True)
            ]
            best_per_stage = (
                bb.filter(~pl.col("suppressed"))
                .group_by("item")
                .agg(pl.col("top2_pct").max().alias("best"))
            )
            gaps = bb.join(best_per_stage, on="item").with_columns(
                gap_to_best=pl.col("best") - pl.col("top2_pct")
            )
            widest = (
                gaps.drop_nulls("gap_to_best")
                .group_by("item")
                .agg(pl.col("gap_to_best").mean())
                .sort("gap_to_best", descending=True)
            )
            spread_item = widest["item"][0] if widest.height else None
            t2 = (
                f"Brands differ most in {STAGE_LABELS.get(spread_item, spread_item)}: average gap to the best brand "
                f"{widest['gap_to_best'][0]:.0f} points"
                if spread_item
                else "Satisfaction by brand and stage"
            )
            s2 = f"{source} · % satisfied (4-5 of 5) · 'not asked': stage does not apply"
            out.append(
                Chart(
                    "brand_stage_heatmap",
                    t2,
                    s2,
                    charts.heatmap(
                        z,
                        [STAGE_LABELS[c] for c in cols],
                        wide["brand"].to_list(),
                        t2,
                        s2,
                        text=text,
                        zmid=float(cast(float, bb["top2_pct"].drop_nulls().median() or 50)),
                        colorbar_title="% satisfied",
                    ),
                    gaps.select(
                        "brand",
                        "item",
                        "label",
                        "n",
                        "top2_pct",
                        "best",
                        "gap_to_best",
                        "suppressed",
                    ),
                )
            )
    drivers = data["drivers"]
    if not drivers.is_empty():
        perf = stage_rows.select("item", "top2_pct")
        d = drivers.join(perf, on="item", how="left")
        cand = d.filter(pl.col("top2_pct").is_not_null())
        med_perf = cand["top2_pct"].median() or 0
        fix = cand.filter(pl.col("top2_pct") <= med_perf).sort("importance_pct", descending=True)
        first = (
            fix.row(0, named=True)
            if fix.height
            else d.sort("importance_pct", descending=True).row(0, named=True)
        )
        t3 = (
            f"Fix {first['label']} first: it explains {first['importance_pct']:.0f}% of what drives NPS "
            f"and only {first['top2_pct']:.0f}% are satisfied"
        )
        s3 = (
            f"{source} · relative importance (Johnson's relative weights) of stage scores for the 0-10 score · "
            f"R² = {d['r2'][0]:.2f}, {_n(d['n'][0])} complete answers"
        )
        out.append(
            Chart(
                "key_drivers",
                t3,
                s3,
                charts.quadrant(
                    d,
                    "importance_pct",
                    "top2_pct",
                    "label",
                    t3,
                    s3,
                    "Importance for NPS (% of explained variance)",
                    "Satisfied (4-5 of 5), %",
                ),
                d.select(
                    "item",
                    "label",
                    "importance_pct",
                    "raw_weight",
                    "correlation",
                    "top2_pct",
                    "r2",
                    "n",
                ),
                native=native_columns(
                    d,
                    "label",
                    [
                        ("Importance for NPS, %", "importance_pct"),
                        ("Satisfied (4-5 of 5), %", "top2_pct"),
                    ],
                    "scatter",
                    blank=None,
                    number_format="0",
                    value_title="Satisfied (4-5 of 5), %",
                    x_title="Importance for NPS (% of explained variance)",
                ),
            )
        )
    return out


def channels(data: dict[str, pl.DataFrame], source: str) -> list[Chart]:
    """Dealer vs direct vs agency: NPS, stages, switching intent and funnel."""
    out: list[Chart] = []
    nps = data["nps"]
    if not nps.is_empty():
        shown = nps.filter(~pl.col("suppressed")).sort("nps", descending=True)
        if shown.height:
            top = shown.row(0, named=True)
            verb = "lead" if top.get("significant") else "score highest"
            title = f"{top['channel'].capitalize()} sales {verb} on NPS ({signed(top['nps'])}), {_sig_phrase(top, 'the other channels')}"
        else:
            title = "Too few responses per channel"
        subtitle = f"{source} · automotive respondents by how they bought or use · gap vs all other channels · 95% intervals"
        out.append(
            Chart(
                "channel_nps",
                title,
                subtitle,
                charts.nps_ranking(nps, "channel", title, subtitle),
                nps.select(
                    "channel",
                    "n",
                    "nps",
                    "ci_low",
                    "ci_high",
                    "rest_nps",
                    "gap",
                    "p_value",
                    "significant",
                    "suppressed",
                ),
                native=_nps_native(nps, "channel"),
            )
        )
    stages = data["stages"]
    if not stages.is_empty():
        st_rows = stages.filter(
            pl.col("channel").is_in(["dealer", "direct", "agency"])
            & pl.col("item").is_in(["purchase", "price_transparency", "receive", "maintain"])
        )
        if st_rows.height:
            pur = {
                r["channel"]: r["top2_pct"]
                for r in st_rows.filter(pl.col("item") == "purchase").iter_rows(named=True)
            }
            if pur.get("direct") is not None and pur.get("dealer") is not None:
                t2 = f"Direct buyers are {signed(pur['direct'] - pur['dealer'])} points more satisfied with the purchase than dealer buyers"
            else:
                t2 = "Purchase, price transparency, delivery and after-sales by channel"
            s2 = f"{source} · % satisfied (4-5 of 5)"
            out.append(
                Chart(
                    "channel_stages",
                    t2,
                    s2,
                    charts.grouped_bars(
                        st_rows,
                        "label",
                        "channel",
                        "top2_pct",
                        t2,
                        s2,
                        "Satisfied (4-5 of 5), %",
                        "%",
                        category_order=[
                            ITEM_LABELS[i]
                            for i in ["purchase", "price_transparency", "receive", "maintain"]
                        ],
                        colours=theme.CHANNEL_COLOURS,
                    ),
                    st_rows.select(
                        "channel",
                        "item",
                        "label",
                        "n",
                        "top2_pct",
                        "top2_low",
                        "top2_high",
                        "suppressed",
                    ),
                    native=native_pivot(
                        st_rows,
                        "label",
                        "channel",
                        "top2_pct",
                        "clustered_column",
                        category_order=[
                            ITEM_LABELS[i]
                            for i in ["purchase", "price_transparency", "receive", "maintain"]
                        ],
                        series_order=[
                            c
                            for c in ["dealer", "direct", "agency"]
                            if c in set(st_rows["channel"].to_list())
                        ],
                        number_format=PCT_FORMAT,
                        value_title="Satisfied (4-5 of 5), %",
                        series_colours=[
                            theme.CHANNEL_COLOURS.get(c, theme.NEUTRAL)
                            for c in ["dealer", "direct", "agency"]
                            if c in set(st_rows["channel"].to_list())
                        ],
                    ),
                )
            )
    switch = data["switch"]
    if not switch.is_empty():
        sw = switch.filter(~pl.col("suppressed") & pl.col("channel").is_not_null()).sort(
            "switch_18m_pct", descending=True
        )
        if sw.height:
            top = sw.row(0, named=True)
            t3 = f"{top['switch_18m_pct']:.0f}% of {top['channel']} customers intend to switch brand within 18 months"
            s3 = f"{source} · switching intent, % of those answering"
            parts = [
                (f"{code}_pct", label, colour)
                for (code, label), colour in zip(
                    SWITCH_INTENTS.items(),
                    [theme.WORSE, theme.HIGHLIGHT, theme.PASSIVE, theme.BETTER],
                    strict=True,
                )
            ]
            out.append(
                Chart(
                    "channel_switching",
                    t3,
                    s3,
                    charts.stacked_share(sw, "channel", parts, t3, s3),
                    sw.select(
                        "channel", "n", *[f"{c}_pct" for c in SWITCH_INTENTS], "switch_18m_pct"
                    ),
                    native=native_columns(
                        sw,
                        "channel",
                        [(label, col) for col, label, _ in parts],
                        "stacked_bar",
                        number_format="0",
                        value_title="% of those answering",
                        series_colours=[c for _, _, c in parts],
                    ),
                )
            )
    funnel = data["funnel"]
    if not funnel.is_empty():
        steps = [
            ("lead_to_test_drive_pct", "Lead → test drive"),
            ("test_drive_to_order_pct", "Test drive → order"),
            ("order_to_delivery_pct", "Order → delivery"),
            ("service_retention_pct", "Delivery → service retained"),
            ("referral_rate_pct", "Delivery → referral"),
        ]
        long = funnel.unpivot(
            index="channel", on=[s for s, _ in steps], variable_name="step", value_name="rate"
        ).with_columns(pl.col("step").replace_strict(dict(steps)))
        best = funnel.sort("lead_to_order_pct", descending=True).row(0, named=True)
        t4 = f"{best['channel'].capitalize()} converts {best['lead_to_order_pct']:.1f}% of leads into orders, the most of any channel"
        s4 = f"{source} · demo funnel (dealer-CRM lifecycle: lead, test drive, order, delivery, retention, referral) · {int(funnel['leads'].sum()):,} leads"
        out.append(
            Chart(
                "channel_funnel",
                t4,
                s4,
                charts.grouped_bars(
                    long,
                    "step",
                    "channel",
                    "rate",
                    t4,
                    s4,
                    "Conversion, %",
                    "%",
                    category_order=[s for _, s in steps],
                    colours=theme.CHANNEL_COLOURS,
                ),
                funnel,
                native=native_pivot(
                    long,
                    "step",
                    "channel",
                    "rate",
                    "clustered_column",
                    category_order=[s for _, s in steps],
                    series_order=[
                        c
                        for c in ["dealer", "direct", "agency"]
                        if c in set(funnel["channel"].to_list())
                    ],
                    blank=None,
                    series_colours=[
                        theme.CHANNEL_COLOURS.get(c, theme.NEUTRAL)
                        for c in ["dealer", "direct", "agency"]
                        if c in set(funnel["channel"].to_list())
                    ],
                    number_format='0.0"%"',
                    value_title="Conversion, %",
                ),
            )
        )
    return out


def revenue_charts(
    result: dict[str, float], sens: pl.DataFrame, inputs: dict[str, float], label: str
) -> list[Chart]:
    """Waterfall of the components and tornado of sensitivities."""
    comps = [
        ("Lost repurchases", result["switching_loss_usd"]),
        ("Lost after-sales", result["aftersales_loss_usd"]),
        ("Lost referrals", result["referral_loss_usd"]),
    ]
    total = result["total_at_risk_usd"]
    title = f"USD {total / 1e6:,.0f}M a year at risk; USD {result['uplift_usd'] / 1e6:,.0f}M could be kept by better CX"
    subtitle = f"Model · {label} · profit at risk USD {result['profit_at_risk_usd'] / 1e6:,.1f}M"
    table = pl.DataFrame(
        {
            "component": [c for c, _ in comps]
            + ["Total at risk", "Uplift (kept)", "Profit at risk"],
            "usd": [v for _, v in comps]
            + [total, result["uplift_usd"], result["profit_at_risk_usd"]],
        }
    )
    out = [
        Chart(
            "revenue_waterfall",
            title,
            subtitle,
            charts.waterfall(
                [c for c, _ in comps], [v / 1e6 for _, v in comps], title, subtitle, "Total at risk"
            ),
            table,
            kind="model",
            native=native_columns(
                table.with_columns(usd_m=pl.col("usd") / 1e6).filter(
                    pl.col("component") != "Profit at risk"
                ),
                "component",
                [("USD million", "usd_m")],
                "column",
                number_format="#,##0",
                value_title="USD million a year",
                colours=[theme.WORSE, theme.WORSE, theme.WORSE, "#7A2E00", theme.PROMOTER],
            ),
        )
    ]
    if not sens.is_empty():
        top = sens.row(0, named=True)
        t2 = f"{top['label']} moves the result most: USD {top['at_low'] / 1e6:,.0f}M to {top['at_high'] / 1e6:,.0f}M"
        s2 = "Model · each input at the ends of its plausible range, the others as set"
        out.append(
            Chart(
                "revenue_tornado",
                t2,
                s2,
                charts.tornado(
                    sens.with_columns(pl.col("at_low", "at_high") / 1e6), total / 1e6, t2, s2
                ),
                sens,
                kind="model",
                native=native_columns(
                    sens.with_columns(pl.col("at_low", "at_high") / 1e6),
                    "label",
                    [("Input at low end", "at_low"), ("Input at high end", "at_high")],
                    "clustered_bar",
                    number_format="#,##0",
                    value_title="Total at risk, USD million",
                    series_colours=[theme.BETTER, theme.WORSE],
                ),
            )
        )
    return out


def input_sources_table(inputs: dict[str, float], sources: dict[str, str]) -> pl.DataFrame:
    """The model inputs with units and sources, as a table."""
    return pl.DataFrame(revenue.inputs_table(inputs, sources))


def overview(data: dict[str, Any], summary: dict[str, Any], source: str) -> list[Chart]:
    """The executive summary's charts: NPS by wave and satisfaction by journey stage."""
    out: list[Chart] = []
    overall = summary["overall"]
    by_wave = data["by_wave"]
    if overall is not None and not by_wave.is_empty():
        change = summary["change"]
        title = f"NPS by wave: {signed(overall['nps'])} overall"
        if change:
            title += f", {change['change']:+.1f} vs {change['previous_wave']}" + (
                "" if change["significant"] else " (not significant)"
            )
        subtitle = f"{source} · {_n(overall['n'])} · shaded: 95% interval · gaps: n too small"
        out.append(
            Chart(
                "overview_trend",
                title,
                subtitle,
                charts.trend(by_wave, "wave", None, title, subtitle),
                by_wave.drop("se"),
                native=native_columns(
                    by_wave,
                    "wave",
                    [("NPS", "nps")],
                    "line",
                    value_title="NPS",
                    number_format=NPS_FORMAT,
                    series_colours=[theme.ACCENT],
                ),
            )
        )
    stages = summary["stages"]
    if not stages.is_empty():
        out.extend(
            journey(
                {"stages": stages, "by_brand": pl.DataFrame(), "drivers": pl.DataFrame()}, source
            )[:1]
        )
    return out


def country_map(data: dict[str, pl.DataFrame], source: str) -> Chart | None:
    """A static map of NPS by country (the export twin of the page's interactive pydeck map)."""
    geo = data["by_country"].join(data["reference"], on="country", how="inner")
    if geo.is_empty():
        return None
    shown = geo.filter(~pl.col("suppressed"))["nps"]
    lo, hi = (
        (float(cast(float, shown.min())), float(cast(float, shown.max())))
        if shown.len() >= 2
        else (-40.0, 40.0)
    )
    title = "NPS by country: circle size is n, colour is NPS (orange low, purple high)"
    subtitle = f"{source} · {_n(geo['n'].sum())} · response styles differ by country"
    return Chart(
        "country_map",
        title,
        subtitle,
        charts.static_map(geo, title, subtitle, lo, hi),
        geo.select("country", "name", "latitude", "longitude", "n", "nps", "suppressed"),
    )


#: Page short names for exports (the CLI's --page) and their titles.
PAGE_TITLES = {
    "overview": "Customer experience at a glance",
    "industries": "Industries",
    "brands": "Brands",
    "countries": "Countries",
    "journey": "Customer journey",
    "channels": "Dealer vs direct sales",
    "revenue": "Revenue at risk",
}


def page_defaults(page: str, sel: Any, industries: list[str]) -> Any:
    """The selection a page shows before anyone touches its own pickers (as on screen).

    ``industries`` are the dataset's industries. Brands compare within one industry
    (automakers unless the filters say otherwise); the journey shows automakers when they are
    in the selection; dealer vs direct shows automakers unless industries are chosen.
    """
    allowed = [i for i in industries if not sel.industries or i in sel.industries]
    if page == "brands" and len(sel.industries) != 1 and allowed:
        return sel.with_filter(
            "industries", ["Automakers" if "Automakers" in allowed else allowed[0]]
        )
    if page == "journey" and "Automakers" in allowed:
        return sel.with_filter("industries", ["Automakers"])
    if page == "channels" and not sel.industries and "Automakers" in industries:
        return sel.with_filter("industries", ["Automakers"])
    return sel


def view(
    page: str,
    run: Any,
    sel: Any,
    opts: Any,
    source: str,
    *,
    brand: str | None = None,
    focus: tuple[str, ...] | None = None,
    benchmark: str | None = None,
) -> tuple[dict[str, Any], list[Chart]]:
    """What a page shows for a selection: its view data and its charts, in page order.

    One function serves the app (which caches the result per selection, so a rerun does not
    rebuild figures) and the command line. ``brand`` is the countries page's brand ranked
    across countries; ``focus`` the brands trended on the brands page (default: top three);
    ``benchmark`` a brand that every other brand is tested against instead of the rest of its
    industry.
    """
    from cx import views

    if page == "overview":
        data = views.overview_page(run, sel, opts)
        data["summary"] = views.overview_summary(data, opts)
        return data, overview(data, data["summary"], source)
    if page == "industries":
        data = views.industries_page(run, sel, opts)
        return data, industries(data, source)
    if page == "brands":
        data = views.brands_page(run, sel, opts)
        table = data["versus_industry"]
        benchmark_name = "the rest of the industry"
        if benchmark and not table.is_empty() and benchmark in table["brand"].to_list():
            data["versus_industry"] = versus_brand(table, benchmark, opts.confidence)
            benchmark_name = benchmark
        ranked = (
            table.sort("nps", descending=True, nulls_last=True)["brand"].to_list()
            if not table.is_empty()
            else []
        )
        data["ranked"] = ranked
        chosen = list(focus) if focus is not None else ranked[:3]
        return data, brands(data, source, chosen, benchmark_name)
    if page == "countries":
        data = views.countries_page(run, sel, opts)
        bc = data["brand_country"]
        names = bc["brand"].unique().sort().to_list() if not bc.is_empty() else []
        data["brands"] = names
        chosen = (
            brand
            if brand in names
            else ("Voltara" if "Voltara" in names else next(iter(names), None))
        )
        data["brand"] = chosen
        static = country_map(data, source)
        return data, ([static] if static else []) + countries(data, source, chosen)
    if page == "journey":
        data = views.journey_page(run, sel, opts)
        return data, journey(data, source)
    if page == "channels":
        data = views.channels_page(run, sel, opts)
        return data, channels(data, source)
    raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGE_TITLES)}")


def versus_brand(table: pl.DataFrame, benchmark: str, confidence: float) -> pl.DataFrame:
    """The brand table with every brand tested against ``benchmark`` instead of its industry."""
    ref = table.filter(pl.col("brand") == benchmark).row(0, named=True)
    _, p, sig = stats.difference_test(
        table["nps"].fill_null(float("nan")).to_numpy(),
        table["se"].fill_null(float("nan")).to_numpy(),
        ref["nps"] if ref["nps"] is not None else float("nan"),
        ref["se"] if ref["se"] is not None else float("nan"),
        confidence,
    )
    return table.with_columns(
        rest_nps=pl.lit(ref["nps"]),
        gap=pl.col("nps") - ref["nps"],
        p_value=pl.Series(p).fill_nan(None),
        significant=pl.Series(sig).cast(pl.Boolean) & (pl.col("brand") != benchmark),
    )


def for_page(
    page: str,
    run: Any,
    sel: Any,
    opts: Any,
    source: str,
    *,
    dataset_industries: list[str] | None = None,
    brand: str | None = None,
    revenue_overrides: dict[str, Any] | None = None,
) -> tuple[list[Chart], list[str]]:
    """The charts of ``page`` with the page's defaults, and its highlights (for exports).

    The app exports the charts it has on screen; this builds the same charts without
    Streamlit, for the command line and tests.
    """
    if page not in PAGE_TITLES:
        raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGE_TITLES)}")
    if page == "revenue":
        inputs = revenue.resolve(overrides=revenue_overrides or {})
        result = revenue.compute(inputs)
        label = str(revenue.PRESETS["capgemini-midsize"]["label"])
        if revenue_overrides:
            label += " with " + ", ".join(
                f"{k} = {v}" for k, v in sorted(revenue_overrides.items())
            )
        return revenue_charts(result, revenue.sensitivity(inputs), inputs, label), []
    sel = page_defaults(page, sel, dataset_industries or [])
    data, page_charts = view(page, run, sel, opts, source, brand=brand)
    highlights = data["summary"]["findings"] if page == "overview" else []
    return page_charts, highlights
