"""The charts of the dealer scorecards (:mod:`cx.reports.dealers`): the outlet league, outlets
by channel and by dealer group, and the chosen outlet's stages and trend."""

from __future__ import annotations

from typing import Any

import polars as pl

from cx.charts import dealers as dealer_figures
from cx.charts import figures, theme
from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display, i18n
from cx.core.i18n import N_, _, ngettext
from cx.core.schema import OUTLET_ITEMS
from cx.exports.chart import Chart, Native, native_columns, native_pivot, with_gap
from cx.metrics import kept, outlets, shrinkage
from cx.reports.base import Source
from cx.reports.channels import stage_names
from cx.reports.common import NPS_FORMAT, PCT_FORMAT, human_table, satisfied_axis
from cx.reports.dealer_scores import ALL, DealersResult
from cx.reports.dealer_words import alone_spread, gap_words, spread, untested_reason

#: The league chart shows every outlet up to this many, else the best and worst half each.
CHART_OUTLETS = 20
#: Quantiles of the distribution charts (native slides and tables), with their names.
QUANTILES = (
    ("p10", 0.10, N_("10th percentile")),
    ("p25", 0.25, N_("Lower quartile")),
    ("p50", 0.50, N_("Median")),
    ("p75", 0.75, N_("Upper quartile")),
    ("p90", 0.90, N_("90th percentile")),
)
#: The quantiles' names by key; the median is what the distribution charts' claims compare.
QUANTILE_NAMES = {key: text for key, _q, text in QUANTILES}
MEDIAN = QUANTILE_NAMES["p50"]
#: The dealer group of outlets without one (a category of the group chart, in its language).
INDEPENDENT = N_("Independent dealers")
#: The charts of the chosen outlet (its own deck).
OUTLET_CHARTS = ("dealer_outlet_stages", "dealer_outlet_trend")
#: The columns of the league table (screen, CSV, Excel), in order.
LEAGUE_TABLE = (
    "rank", "dealer_name", "dealer_id", "brand", "country", "channel", "dealer_group", "n",
    "shrunk_nps", "shrunk_low", "shrunk_high", "nps", "ci_low", "ci_high", "pool_nps",
    "pool_mean", "rest_nps", "gap", "p_value", "q_value", "significant", "quartile",
    "weakest_label", "weakest_gap", "change", "change_q", "change_significant", "suppressed",
)  # fmt: skip
#: What the league's columns mean there: the raw NPS beside the shrunk one, gaps to the rest
#: of the brand.
LEAGUE_NAMES = {
    **display.RAW_COLUMNS,
    "country": N_("Country"),
    "rest_nps": N_("Rest of brand NPS"),
    "gap": N_("Gap to rest of brand (points)"),
    "quartile": N_("Quartile in brand"),
    "suppressed": N_("n too small to rank"),
}
#: The league's names its claims read (the outlet, its shrunk and raw NPS, the gap).
OUTLET, SHRUNK = display.COLUMN_NAMES["dealer_name"], display.COLUMN_NAMES["shrunk_nps"]
RAW, REST, GAP = LEAGUE_NAMES["nps"], LEAGUE_NAMES["rest_nps"], LEAGUE_NAMES["gap"]


def _pick(r: DealersResult, name: str) -> str:
    return str(r.choices[name].value) if name in r.choices else ALL


def _brand_words(r: DealersResult, *extra: str) -> str:
    """Whose outlets a chart shows, in words: the brand and country picked, and the channel
    and dealer group picks named in ``extra`` ("Brenner dealer outlets of Summit in Germany")."""
    brand, country = _pick(r, "brand"), _pick(r, "country")
    channel = _pick(r, "channel") if "channel" in extra else ALL
    group = _pick(r, "group") if "group" in extra else ALL
    kind = "" if channel == ALL else display.lower_name("channel", channel)
    if brand != ALL and kind:
        who = _("{brand} {channel} outlets").format(brand=brand, channel=kind)
    elif brand != ALL:
        who = _("{brand} outlets").format(brand=brand)
    elif kind:
        who = _("{channel} outlets").format(channel=kind)
    else:
        who = _("outlets")
    if group != ALL:
        who = _("{outlets} of {group}").format(outlets=who, group=group)
    if country == ALL:
        return who
    return _("{outlets} in {country}").format(outlets=who, country=display.name("country", country))


def _scope(r: DealersResult, *keep: str) -> pl.DataFrame:
    """The network's ranked outlets with the league's picks applied, except the ones a chart
    compares (``keep`` names the picks it applies: ``channel``, ``group``), so a distribution
    chart describes the outlets the league ranks."""
    rows = r.network.filter(~pl.col("suppressed")) if r.network.height else r.network
    for pick, column in (("channel", "channel"), ("group", "dealer_group")):
        if pick in keep and _pick(r, pick) != ALL and rows.height:
            rows = rows.filter(pl.col(column) == _pick(r, pick))
    return rows


def league_table(league: pl.DataFrame) -> pl.DataFrame:
    """The league with human column names (every outlet, unranked ones last), scores exact:
    the claims read them as the labels round them (scores rounded here first made 44.53, drawn
    "+45", a tie at "+44" with 43.69 in the title); the page's table and the workbook show one
    decimal."""
    if league.is_empty():
        return human_table(pl.DataFrame({c: [] for c in LEAGUE_TABLE}), LEAGUE_TABLE, LEAGUE_NAMES)
    frame = league.with_columns(
        display.name_column("channel", "channel"), pl.col("dealer_group").fill_null("–")
    )
    return human_table(frame, LEAGUE_TABLE, LEAGUE_NAMES)


#: League columns that are not scores (kept as they are on the page's table).
NOT_SCORES = ("n", "p_value", "q_value", "change_q")


#: The minus sign of a number written as text: a hyphen-minus first would make a spreadsheet
#: (and the tables' formula neutraliser) take "-14.9" for a formula.
MINUS = "\u2212"

#: League columns left empty for an outlet that is not ranked (its n is under the minimum).
UNRANKED = ("rank", "shrunk_nps", "shrunk_low", "shrunk_high", "quartile")


def league_screen(league: pl.DataFrame, min_n: int) -> pl.DataFrame:
    """The league as the page shows it: every empty cell a dash, with why where it is the
    minimum n ("– n under 30"); numbers as the table shows them (a table widget would print
    "None" for an empty cell)."""
    table = league_table(league)
    why = _("– n under {min_n}").format(min_n=min_n)
    named = {**display.COLUMN_NAMES, **LEAGUE_NAMES}
    unranked = [named[c] for c in UNRANKED]
    scores_kept = {named.get(c, c) for c in NOT_SCORES}
    out = []
    for name, kind in table.schema.items():
        col = pl.col(name)
        if kind.is_numeric() and table[name].null_count():
            text = (
                col.cast(pl.Int64).cast(pl.String)
                if kind.is_integer() or name in unranked[::4]
                else col.round(1).cast(pl.String)
            ).str.replace(r"^-", MINUS)  # "-14.9" as text would read as a formula, and show "'"
            out.append(text.fill_null(why if name in unranked else "–").alias(name))
        elif kind == pl.String:
            out.append(col.fill_null("–"))
        elif kind == pl.Float64 and name not in scores_kept:
            out.append(col.round(1))
        else:
            out.append(col)
    return table.select(out)


def league_half(ranked: int) -> int | None:
    """How many of the best and of the weakest outlets the league chart shows of ``ranked``
    (None: all of them). Hiding one outlet behind "⋯ 1 more outlets ⋯" saves no room."""
    return CHART_OUTLETS // 2 if ranked - 2 * (CHART_OUTLETS // 2) >= 2 else None


def _league_chart(r: DealersResult, source: Source) -> Chart | None:
    ranked = r.league.filter(~pl.col("suppressed")) if r.league.height else r.league
    if ranked.is_empty():
        return None
    shown, cut, gap_after, gap_label = ranked, "", None, ""
    slides = {}  # parts of the footnote a slide says otherwise (it has no table, and no ring)
    half = league_half(ranked.height)
    if half is not None:
        shown = pl.concat([ranked.head(half), ranked.tail(half)])
        cut = _("best {half} and weakest {half} of {total} shown, all in the table").format(
            half=half, total=ranked.height
        )
        slides[cut] = _("best {half} and weakest {half} of {total} shown, all in the workbook")
        slides[cut] = slides[cut].format(half=half, total=ranked.height)
        gap_after = half
        gap_label = gap_words(ranked.slice(half, ranked.height - 2 * half))
    table = league_table(r.league)
    said = league_claims(table, _brand_words(r, "channel", "group"))
    title = headline(said)
    tested = int(r.league["tested"][0]) if "tested" in r.league.columns else 0
    country = _pick(r, "country")
    noun = (
        _("outlets tested")
        if country == ALL
        else _("outlets tested in {country}").format(country=display.name("country", country))
    )
    unranked = r.league.height - ranked.height
    parts = [
        source.survey,
        display.n(r.league["n"].sum()),
        (
            _(
                "ranked on NPS shrunk towards the brand's mean (empirical Bayes; between-outlet "
                "SD by brand {spread}, pooled for brands under {min_units} outlets; a brand's "
                "only outlet towards every outlet's mean, SD {alone})"
            )
            if (alone := alone_spread(r.league))
            else _(
                "ranked on NPS shrunk towards the brand's mean (empirical Bayes; between-outlet "
                "SD by brand {spread}, pooled for brands under {min_units} outlets; a brand's "
                "only outlet towards every outlet's mean)"
            )
        ).format(spread=spread(r.league), min_units=shrinkage.MIN_UNITS, alone=alone),
        _("whiskers: {interval}").format(interval=r.options.interval),
        *(ring_tick := (_("ring: raw NPS"), _("tick: the mean it is shrunk towards"))),
        _("colour: outlet vs rest of its brand, grey where not significant; {tested}").format(
            tested=r.options.controlled(tested, noun, outlets.LEAGUE_FDR)
        ),
        *([cut] if cut else []),
    ]
    if unranked:
        parts.append(
            ngettext(
                "{n} outlet under n = {min_n} listed, not ranked",
                "{n} outlets under n = {min_n} listed, not ranked",
                unranked,
            ).format(n=unranked, min_n=r.options.min_n)
        )
        slides[parts[-1]] = ngettext(
            "{n} outlet under n = {min_n} in the workbook, not ranked",
            "{n} outlets under n = {min_n} in the workbook, not ranked",
            unranked,
        ).format(n=unranked, min_n=r.options.min_n)
    subtitle = " · ".join(parts)
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
        table,
        label=_("Outlet league"),
        native=with_gap(league_native(labelled, colours), gap_after, gap_label),
        claims=said,
        on_slides={**dict.fromkeys(ring_tick, ""), **slides},  # bars and whiskers only
    )  # fmt: skip


def league_native(labelled: pl.DataFrame, colours: list[str]) -> Native:
    """The league's slide: bars with whiskers, each outlet's shrunk NPS written after its name
    (labels on bars near zero sat on the axis and under the whiskers: "+1", "-0")."""
    native = native_columns(
        labelled, "label", [(_(SHRUNK), "shrunk_nps")], "bar", blank=None,
        interval=("shrunk_low", "shrunk_high"), colours=colours, value_title=_("NPS (shrunk)"),
        number_format=NPS_FORMAT, series_colours=[theme.ACCENT],
    )  # fmt: skip
    native.categories = [
        f"{name}  {display.nps(v)}"
        for name, v in zip(
            labelled["label"].to_list(), labelled["shrunk_nps"].to_list(), strict=True
        )
    ]
    native.value_labels = False
    return native


def league_claims(table: pl.DataFrame, words: str) -> tuple[Claim, ...]:
    """What the league's title says, from its table: the leader on shrunk NPS and how many
    ranked outlets are significantly above and below the rest of their brand."""
    top = claims.top(table, OUTLET, SHRUNK, "nps", phrase="leads_shrunk")
    if top is None:
        return (claims.statement("nothing"),)
    leader: Claim = top
    benchmark = _("the rest of their brand")
    if claims.reportable(table, SHRUNK).height == 1:  # one ranked outlet leads nothing
        only = _("the only ranked one of the {outlets}").format(outlets=words)
        named = claims.value(
            table, OUTLET, top.subjects[0], SHRUNK, "nps", phrase="shrunk_nps_of", scope=only
        )
        leader, benchmark = named or top, _("the rest of its brand")
    return (
        leader,
        contrasts.sides(
            table, OUTLET, GAP, noun=_("ranked {outlets}").format(outlets=words), base=SHRUNK,
            values={"benchmark": benchmark},
        ),
    )  # fmt: skip


def quantile_table(frame: pl.DataFrame, category: str, value: str) -> pl.DataFrame:
    """Outlets, mean and quantiles of ``value`` per category (ranked outlets only)."""
    return (
        frame.group_by(category)
        .agg(
            outlets=pl.len(),
            mean=pl.col(value).mean(),
            **{key: pl.col(value).quantile(q, "linear") for key, q, _name in QUANTILES},
        )
        .sort("p50", descending=True)
    )


#: What the distribution charts' marks mean, on screen and on slides.
BOX_WORDS = N_(
    "box: the middle half of the outlets, line: their median (on slides: bar = median, "
    "whiskers = quartiles)"
)
#: The distribution tables' column of the mean.
MEAN_SHRUNK = N_("Mean (shrunk NPS)")


def _quantile_native(q: pl.DataFrame, label: str, colours: list[str] | None = None) -> Any:
    """Median bars with the quartiles as whiskers: the box plot in an editable form."""
    return native_columns(
        q, label, [(_(MEDIAN), "p50")], "bar", blank=None, interval=("p25", "p75"),
        value_title=_("NPS of the outlet (shrunk)"), number_format=NPS_FORMAT, colours=colours,
        series_colours=[theme.ACCENT],
    )  # fmt: skip


def _quantile_human(q: pl.DataFrame, label: str, name: str) -> pl.DataFrame:
    return human_table(
        q,
        (label, "outlets", "mean", *QUANTILE_NAMES),
        {label: name, "mean": MEAN_SHRUNK, **QUANTILE_NAMES},
    )


#: The distribution tables' names the claims read.
CHANNEL, GROUP = display.COLUMN_NAMES["channel"], display.COLUMN_NAMES["dealer_group"]


def channel_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the channel chart's title says, from its table (channels by display name): the
    median dealer outlet against the median direct store, like with like, when both are
    there; else the channel with the highest median."""
    names = table[CHANNEL].to_list()
    dealer, direct = display.name("channel", "dealer"), display.name("channel", "direct")
    if dealer in names and direct in names:
        a = claims.figure(table, CHANNEL, dealer, MEDIAN, "nps")
        b = claims.figure(table, CHANNEL, direct, MEDIAN, "nps")
        if a is not None and b is not None:
            return (claims.Versus(CHANNEL, MEDIAN, dealer, direct, a, b, "median"),)
    phrase = "highest_median" if table.height > 1 else "median_only"
    best = claims.top(table, CHANNEL, MEDIAN, "nps", phrase=phrase)
    return (best,) if best else (claims.statement("nothing"),)


def boxed(outlets: pl.DataFrame, column: str) -> pl.DataFrame:
    """The outlets of the categories of ``column`` with two or more of them: a box of one
    outlet has no middle half, and its "median" is that outlet, which the league names."""
    counts = outlets.group_by(column).len()
    kept = counts.filter(pl.col("len") >= 2)[column].to_list()
    return outlets.filter(pl.col(column).is_in(kept))


def _channel_chart(r: DealersResult, source: Source) -> Chart | None:
    scoped = _scope(r, "group").filter(pl.col("channel").is_not_null())
    ranked = boxed(scoped, "channel")
    if ranked.is_empty():
        return None
    dropped = ranked.height < scoped.height
    q = quantile_table(ranked, "channel", "shrunk_nps")
    human = q.with_columns(name=display.name_column("channel", "channel"))
    table = _quantile_human(human, "name", CHANNEL)
    said = channel_claims(table)
    title = headline(said)
    direct = q.filter(pl.col("channel") == "direct")
    reference = (_("median direct store"), float(direct["p50"][0])) if direct.height else None
    subtitle = " · ".join(
        (
            source.survey,
            _("{n} ranked outlets ({outlets}), each a point at its shrunk NPS").format(
                n=ranked.height, outlets=_brand_words(r, "group")
            ),
            _(BOX_WORDS),
            *((_("channels with two or more ranked outlets"),) if dropped else ()),
            _("a comparison of outlet estimates, not a significance test"),
        )
    )
    order = q["channel"].to_list()
    names = {c: display.name("channel", c) for c in order}
    return Chart(
        "dealer_channels",
        title,
        subtitle,
        dealer_figures.distribution(
            ranked.with_columns(label=pl.col("dealer_name")), "channel", "shrunk_nps", title,
            subtitle, order=order, names=names, colours=theme.colour_map("channel", order),
            reference=reference,
        ),
        table,
        label=_("Outlets by channel"),
        native=_quantile_native(human, "name", theme.colours_for("channel", order)),
        claims=said,
    )  # fmt: skip


def _group_chart(r: DealersResult, source: Source) -> Chart | None:
    dealers = _scope(r, "channel").filter(pl.col("channel").fill_null("") != "direct")
    if dealers.is_empty():
        return None
    independent = _(INDEPENDENT)
    dealers = dealers.with_columns(group=pl.col("dealer_group").fill_null(independent))
    rows = boxed(dealers, "group")
    kept = rows["group"].unique().to_list()
    if len([g for g in kept if g != independent]) < 1 or len(kept) < 2:
        return None
    q = quantile_table(rows, "group", "shrunk_nps")
    table = _quantile_human(q, "group", GROUP)
    best = claims.top(table, GROUP, MEDIAN, "nps", phrase="best_median")
    worst = claims.top(table, GROUP, MEDIAN, "nps", lowest=True, phrase="weakest_median")
    said: tuple[Claim, ...] = tuple(c for c in (best, worst) if c is not None)
    title = headline(said)
    subtitle = " · ".join(
        (
            source.survey,
            _(
                "{n} ranked dealer and agency outlets ({outlets}), each a point at its shrunk NPS"
            ).format(n=rows.height, outlets=_brand_words(r, "channel")),
            _(BOX_WORDS),
            _("groups with two or more ranked outlets"),
            _("brands differ between groups: compare within a brand for a fair test"),
        )
    )
    return Chart(
        "dealer_groups",
        title,
        subtitle,
        dealer_figures.distribution(
            rows.with_columns(label=pl.col("dealer_name")), "group", "shrunk_nps", title, subtitle,
            order=q["group"].to_list(),
        ),
        table,
        label=_("Dealer groups"),
        native=_quantile_native(q, "group"),
        claims=said,
    )  # fmt: skip


def stage_table(r: DealersResult) -> pl.DataFrame:
    """The chosen outlet's stages against the rest of its brand, with human column names."""
    o, stages = r.outlet, r.outlet_stages
    brand = (o or {}).get("brand") or _("its population")
    return human_table(
        stage_names(stages),
        ("label", "n", "top2_pct", "top2_low", "top2_high", "rest_top2", "gap", "p_value",
         "q_value", "significant"),
        {**display.ANSWER_COLUMNS, "rest_top2": rest_column(brand)},
    )  # fmt: skip


def rest_column(brand: str) -> str:
    """The stage table's column of the rest of the outlet's brand (in the table's language:
    the stage claims read it under the same name)."""
    return _("Rest of {brand}, satisfied %").format(brand=brand)


#: The stage table's names the claims read.
STAGE, SATISFIED = display.ANSWER_COLUMNS["label"], display.COLUMN_NAMES["top2_pct"]
GAP_POINTS = display.COLUMN_NAMES["gap"]


def stage_claims(o: dict[str, Any], table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the outlet's stage chart says, from its table: the stage where it trails the rest
    of its brand most (or leads least), with the significance the table gives it."""
    name, brand = str(o["dealer_name"]), o["brand"] or _("its population")
    gaps = table.filter(pl.col(GAP_POINTS).is_not_null()).sort(GAP_POINTS)
    # stages under the minimum n are drawn empty: the lowest is then only the lowest shown
    hidden = table.height > 0 and table[SATISFIED].null_count() > 0
    if gaps.height:
        stage = str(gaps[STAGE][0])
        trails = (  # the stages compared: with answers enough from the outlet and from the rest
            "stage_trails" if gaps.height == table.height
            else "stage_trails_one" if gaps.height == 1
            else "stage_trails_shown"
        )  # fmt: skip
        said = contrasts.contrast(
            table, STAGE, stage, GAP_POINTS, phrase=trails,
            quotes=[(stage, SATISFIED, "pct"), (stage, rest_column(brand), "pct")],
            extreme="lowest",
            values={"outlet": name, "brand": brand},
        )  # fmt: skip
        if said is not None:
            return (said,)
    phrase = "lowest_stage_shown" if hidden else "lowest_stage"
    low = claims.top(table, STAGE, SATISFIED, "pct", lowest=True, phrase=phrase, scope=name)
    if low is None:
        return (claims.statement("outlet_no_stages", name=name),)
    return (low, claims.statement("outlet_no_rest", brand=brand))


def _outlet_stage_chart(r: DealersResult, source: Source) -> Chart | None:
    o, stages = r.outlet, r.outlet_stages
    if o is None or stages.is_empty():
        return None
    long = pl.concat(
        [
            stages.select("label", "order", value="top2_pct", low="top2_low", high="top2_high", suppressed="suppressed", series=pl.lit("outlet")),
            stages.select("label", "order", value="rest_top2", low="rest_low", high="rest_high", suppressed="rest_suppressed", series=pl.lit("rest")),
        ]
    ).sort("order").pipe(stage_names)  # fmt: skip
    # an outlet alone in its brand (or whose brand's other outlets answered too little) has no
    # rest to draw: no empty series in the legend, and no "controlled across 0 stages"
    rest = stages["rest_top2"].drop_nulls().len() > 0
    if not rest:
        long = long.filter(pl.col("series") == "outlet")
    series = ["outlet", "rest"] if rest else ["outlet"]
    table = stage_table(r)
    said = stage_claims(o, table)
    title = headline(said)
    brand = o["brand"] or _("its population")
    tested = int(stages["p_value"].is_not_null().sum())
    subtitle = " · ".join(
        (
            source.survey,
            _("% satisfied ({top_two}) at the stages an outlet delivers, {n}").format(
                top_two=source.top_two, n=display.n(o["n"])
            ),
            _("whiskers: {interval}").format(interval=r.options.interval),
            _("gaps to the rest of {brand} {tested}").format(
                brand=brand,
                tested=r.options.controlled(tested, _("stages"), outlets.STAGE_FDR),
            )
            if tested
            else untested_reason(stages, str(o["dealer_name"]), brand),
        )
    )
    order = [
        label for i in OUTLET_ITEMS if (label := display.stage_label(i)) in set(stages["label"])
    ]
    names = {"outlet": str(o["dealer_name"]), "rest": _("Rest of {brand}").format(brand=brand)}
    colours = {"outlet": theme.ACCENT, "rest": theme.BENCHMARK}
    value_title = satisfied_axis(source)
    return Chart(
        "dealer_outlet_stages",
        title,
        subtitle,
        figures.grouped_bars(
            long, "label", "series", "value", title, subtitle, value_title, "%",
            category_order=order, colours=colours, names=names, lo="low", hi="high",
        ),
        table,
        label=_("Outlet stages"),
        native=native_pivot(
            long, "label", "series", "value", "clustered_column", category_order=order,
            series_order=series, series_names=[names[k] for k in series],
            series_colours=[colours[k] for k in series], number_format=PCT_FORMAT,
            value_title=value_title, interval=("low", "high"), value_range=(0, 100),
        ),
        claims=said,
    )  # fmt: skip


#: How the outlet trend's table marks its rows: a point of the chart, or a half of the waves
#: (the two the change is tested between).
POINT, HALF = N_("point of the chart"), N_("half of the waves (tested)")


#: The outlet trend table's own names (its series and their points or halves).
TREND_NAMES = {"name": N_("Series"), "period": N_("Waves"), "row": N_("Row")}
#: The outlet trend table's columns, in order.
TREND_TABLE = (
    "name", "period", "row", "n", "nps", "ci_low", "ci_high", "change", "change_q",
    "change_significant", "suppressed",
)  # fmt: skip


def trend_table(r: DealersResult, names: dict[str, str]) -> pl.DataFrame:
    """The outlet's chart points beside its brand's, and the outlet's two halves of the waves
    with the change between them, its q-value and whether it is significant."""
    o, part = r.outlet or {}, r.outlet_waves
    points = part.with_columns(name=pl.col("series").replace_strict(names), row=pl.lit(_(POINT)))
    points = points.select([c for c in TREND_TABLE if c in points.columns])
    if r.periods is not None and o.get("change") is not None:
        halves = pl.DataFrame(
            {
                "name": [names["outlet"]] * 2,
                "period": list(r.periods),
                "row": [_(HALF)] * 2,
                "n": [o.get("early_n"), o.get("late_n")],
                "nps": [o.get("early_nps"), o.get("late_nps")],
                "change": [None, o.get("change")],
                "change_q": [None, o.get("change_q")],
                "change_significant": [False, bool(o.get("change_significant"))],
                "suppressed": [False, False],
            },
            schema_overrides={"n": pl.Float64, "nps": pl.Float64, "change": pl.Float64,
                              "change_q": pl.Float64},
        )  # fmt: skip
        points = pl.concat([points, halves], how="diagonal_relaxed")
    return human_table(points, TREND_TABLE, TREND_NAMES)


def trend_claims(o: dict[str, Any], table: pl.DataFrame, periods: tuple[str, str] | None) -> tuple[Claim, ...]:  # fmt: skip
    """The outlet's change from the earlier to the later half of the waves, read from the
    halves' rows of its trend table (significance: the outlets' family, controlled)."""
    name = str(o["dealer_name"])
    half = {TREND_NAMES["row"]: _(HALF)}
    if periods is not None:
        said = claims.change(
            table, TREND_NAMES["name"], "nps", "nps", name, periods[0], periods[1],
            significant=bool(o.get("change_significant")), wave=TREND_NAMES["period"],
            flag="change_significant", where=half,
        )  # fmt: skip
        if said is not None:
            return (said,)
    return (claims.statement("outlet_no_trend", name=name),)


def _own_line(part: pl.DataFrame) -> bool:
    """Whether the brand's series of an outlet's trend is the outlet's own answers (the same
    n in every period): drawn, it hid the outlet's line."""
    mine = part.filter(pl.col("series") == "outlet").select("period", "n").sort("period")
    theirs = part.filter(pl.col("series") == "population").select("period", "n").sort("period")
    return mine.equals(theirs)


def _outlet_trend_chart(r: DealersResult, source: Source) -> Chart | None:
    o, part = r.outlet, r.outlet_waves
    if o is None or part.is_empty() or part["period"].n_unique() < 2:
        return None
    if o.get("pool_alone") and _own_line(part):  # its brand's line is its own, drawn over it
        part = part.filter(pl.col("series") == "outlet")
    brand = o["brand"] or _("its population")
    names = {
        "outlet": str(o["dealer_name"]),
        "population": _("All {brand} outlets").format(brand=brand),
    }
    table = trend_table(r, names)
    said = trend_claims(o, table, r.periods)
    title = headline(said)
    pooled = "-" in str(part["period"][0])
    tested = int(o.get("change_tested") or 0)
    subtitle = " · ".join(
        (
            source.survey,
            (
                _(
                    "NPS by wave (waves pooled so each point has enough answers) of the outlet "
                    "and of all {brand} outlets in view"
                )
                if pooled
                else _("NPS by wave of the outlet and of all {brand} outlets in view")
            ).format(brand=brand),
            _("whiskers: {interval}").format(interval=r.options.interval),
            _("change of the later against the earlier half of the waves {tested}").format(
                tested=r.options.controlled(
                    tested, _("outlets with both halves"), outlets.TREND_FDR
                )
            ),
            *([_("gaps: n too small")] if bool(part["suppressed"].any()) else []),
        )
    )
    named = part.with_columns(name=pl.col("series").replace_strict(names))
    colours = {names["outlet"]: theme.ACCENT, names["population"]: theme.BENCHMARK}
    drawn = [n for n in colours if n in set(named["name"].to_list())]
    y_range = figures.honest_range(part["ci_low"].to_list(), part["ci_high"].to_list())
    return Chart(
        "dealer_outlet_trend",
        title,
        subtitle,
        figures.trend(
            named, "period", "name", title, subtitle, r.options.level, colours=colours,
            y_range=y_range,
        ),
        table,
        label=_("Outlet trend"),
        native=native_pivot(
            named.sort("period"), "period", "name", "nps", "line",
            series_order=drawn, value_title="NPS",
            number_format=NPS_FORMAT, series_colours=[colours[n] for n in drawn],
            interval=("ci_low", "ci_high"), value_range=(y_range[0], y_range[1]),
        ),
        claims=said,
    )  # fmt: skip


def charts(r: DealersResult, source: Source) -> list[Chart]:
    """League, outlets by channel and by dealer group, the chosen outlet's stages and trend.
    The first three do not depend on the outlet picked: they are kept by what they are made
    from (the result but the outlet, the source and the language)."""

    def made() -> tuple[Chart | None, ...]:
        return _league_chart(r, source), _channel_chart(r, source), _group_chart(r, source)

    picks = tuple((k, c.value) for k, c in sorted(r.choices.items()) if k != "outlet")
    alike = kept.fingerprint(r, picks, leave_out=_OUTLET_FIELDS)
    network = _NETWORK_CHARTS.get((alike, source, i18n.language()), made)
    out = [*network, _outlet_stage_chart(r, source), _outlet_trend_chart(r, source)]
    return [c for c in out if c is not None]


_NETWORK_CHARTS: kept.Kept[tuple[Chart | None, ...]] = kept.Kept(32, per_selection=True)
#: The fields of a result that the outlet picked changes (and the picks, keyed by value).
_OUTLET_FIELDS = ("outlet", "outlet_stages", "outlet_waves", "choices")
