"""Dealer vs direct: NPS, stage satisfaction, switching and the funnel by sales channel."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.schema import ITEM_LABELS, SWITCH_INTENTS
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi, native_columns, native_pivot
from cx.metrics import measures
from cx.models import citations
from cx.reports.base import Report, Runner, Source, Summary, filter_values, sig_phrase
from cx.reports.common import PCT_FORMAT, SATISFIED_AXIS, human_table, nps_chart, top2_table

#: The channels compared (mobility users are not buyers), in this order everywhere.
CHANNELS = ("dealer", "direct", "agency")
#: Stages where the way of buying matters.
CHANNEL_ITEMS = ("purchase", "price_transparency", "receive", "maintain")


@dataclass(frozen=True)
class PublishedFact:
    """A published figure shown for context: value, a short label, what it says, citation."""

    figure_id: str
    value: str
    label: str
    text: str
    citation: str


#: Published context of the page: figure id, number format, short label, what it says.
FACTS = (
    ("neo_direct_share", "{:.1f}%", "Direct sales, China NEV", "of China's top-10 NEV makers' retail sales went direct (Jan-Sep 2023)"),
    ("neo_dealers_loss", "{:.1f}%", "Dealers losing money", "of Chinese car dealers were loss-making in 2023, a record"),
    ("mck_not_satisfied", "{:.0f}%", "Buyers not fully satisfied", "of Chinese car buyers were not fully satisfied with the purchase process"),
)  # fmt: skip


@dataclass(frozen=True)
class ChannelsResult:
    """Sales channels compared.

    Attributes:
        options: statistical options.
        selection: the selection shown (automakers unless industries are chosen).
        defaulted: True when the automakers default was applied.
        nps: NPS per channel against all other channels (``gap``, ``significant``).
        stages: satisfaction per channel and item.
        switch: switching intent per channel.
        funnel: lifecycle funnel per channel (demo data only).
        published: published figures for context.
    """

    options: Options
    selection: Selection
    defaulted: bool
    nps: pl.DataFrame
    stages: pl.DataFrame
    switch: pl.DataFrame
    funnel: pl.DataFrame
    published: tuple[PublishedFact, ...]


def compute(run: Runner, sel: Selection, opts: Options) -> ChannelsResult:
    """Channel comparison for automakers (unless the sidebar chooses industries)."""
    industries = filter_values(run, sel.dataset).get("industries", [])
    defaulted = not sel.industries and "Automakers" in industries
    page = sel.with_filter("industries", ["Automakers"]) if defaulted else sel
    read = measures.breakdowns(run, page, ("channel",))
    sums = read.nps("channel").filter(pl.col("channel").is_not_null())
    nps = measures.versus_rest(sums, "channel", opts=opts) if not sums.is_empty() else sums
    figures_ = run("published_figures", {"topics": None, "figure_ids": [f[0] for f in FACTS]})
    rows = {r["figure_id"]: r for r in figures_.iter_rows(named=True)}
    published = tuple(
        PublishedFact(fid, fmt.format(rows[fid]["value"]), label, text, citations.cite(rows[fid]))
        for fid, fmt, label, text in FACTS
        if fid in rows
    )
    return ChannelsResult(
        options=opts,
        selection=page,
        defaulted=defaulted,
        nps=nps,
        stages=measures.stage_by(run, page, "channel", opts),
        switch=measures.switch_table(read.switch("channel"), opts),
        funnel=measures.funnel_by(run, page, "channel"),
        published=published,
    )


def _present(frame: pl.DataFrame) -> list[str]:
    have = set(frame["channel"].drop_nulls().to_list()) if not frame.is_empty() else set()
    return [c for c in CHANNELS if c in have] + sorted(have - set(CHANNELS))


def _nps(r: ChannelsResult, source: Source) -> Chart | None:
    nps = r.nps
    if nps.is_empty():
        return None
    shown = nps.filter(~pl.col("suppressed")).sort("nps", descending=True)
    if shown.height:
        top = shown.row(0, named=True)
        name = display.name("channel", top["channel"])
        verb = "lead" if top.get("significant") and (top.get("gap") or 0) > 0 else "score highest"
        title = (
            f"{name} sales {verb} on NPS ({display.nps(top['nps'])}), "
            f"{sig_phrase(top, 'the other channels')}"
        )
    else:
        title = "Too few responses per channel"
    subtitle = (
        f"{source.survey} · automotive respondents by how they bought or use · {theme.MARKS} gap to all "
        f"other channels {r.options.significance} · whiskers: {r.options.interval}"
    )
    labelled = nps.with_columns(display.name_column("channel", "channel"))
    colours = {
        display.name("channel", c): colour
        for c, colour in theme.colour_map("channel", _present(nps)).items()
    }
    return nps_chart(
        "channel_nps", "NPS by channel", title, subtitle, labelled, "channel", ("channel",),
        r.options, colours,
    )  # fmt: skip


def _stages(r: ChannelsResult, source: Source) -> Chart | None:
    if r.stages.is_empty():
        return None
    rows = r.stages.filter(
        pl.col("channel").is_in(list(CHANNELS)) & pl.col("item").is_in(list(CHANNEL_ITEMS))
    )
    if not rows.height:
        return None
    pur = {
        x["channel"]: x["top2_pct"]
        for x in rows.filter(pl.col("item") == "purchase").iter_rows(named=True)
    }
    if pur.get("direct") is not None and pur.get("dealer") is not None:
        gap = pur["direct"] - pur["dealer"]
        title = (
            f"Direct buyers are {abs(gap):.0f} points {'more' if gap > 0 else 'less'} satisfied "
            "with the purchase than dealer buyers"
        )
    else:
        title = "Purchase, price transparency, delivery and after-sales by channel"
    subtitle = f"{source.survey} · % satisfied (4-5 of 5) · whiskers: {r.options.interval}"
    present = _present(rows)
    rows = rows.sort(
        pl.col("channel").replace_strict({c: i for i, c in enumerate(present)}, default=99)
    )
    order = [ITEM_LABELS[i] for i in CHANNEL_ITEMS]
    value_title = SATISFIED_AXIS
    return Chart(
        "channel_stages",
        title,
        subtitle,
        figures.grouped_bars(
            rows, "label", "channel", "top2_pct", title, subtitle, value_title, "%",
            category_order=order, colours=theme.colour_map("channel", present),
            names=display.CHANNEL_NAMES, lo="top2_low", hi="top2_high",
        ),
        top2_table(rows.with_columns(display.name_column("channel", "channel")), ("channel",)),
        label="Stages by channel",
        native=native_pivot(
            rows, "label", "channel", "top2_pct", "clustered_column",
            category_order=order, series_order=present,
            series_names=display.names("channel", present),
            number_format=PCT_FORMAT, value_title=value_title,
            series_colours=theme.colours_for("channel", present),
            interval=("top2_low", "top2_high"), value_range=(0, 100),
        ),
    )  # fmt: skip


def _switching(r: ChannelsResult, source: Source) -> Chart | None:
    if r.switch.is_empty():
        return None
    sw = r.switch.filter(~pl.col("suppressed") & pl.col("channel").is_not_null()).sort(
        "switch_18m_pct", descending=True
    )
    if not sw.height:
        return None
    top = sw.row(0, named=True)
    title = (
        f"{display.pct(top['switch_18m_pct'])} of {display.lower_name('channel', top['channel'])} "
        "customers intend to switch brand within 18 months"
    )
    subtitle = f"{source.survey} · switching intent, % of those answering"
    parts = [
        (f"{code}_pct", label, theme.SWITCH_COLOURS[code]) for code, label in SWITCH_INTENTS.items()
    ]
    names = display.names("channel", sw["channel"].to_list())
    return Chart(
        "channel_switching",
        title,
        subtitle,
        figures.stacked_share(sw, "channel", parts, title, subtitle, labels=names),
        human_table(
            sw.with_columns(display.name_column("channel", "channel")),
            ("channel", "n", *[f"{c}_pct" for c in SWITCH_INTENTS], "switch_18m_pct"),
        ),
        label="Switching intent",
        native=native_columns(
            sw.with_columns(name=pl.Series(names)), "name", [(label, col) for col, label, _ in parts],
            "stacked_bar", number_format="0", value_title="% of those answering",
            series_colours=[c for _, _, c in parts],
        ),
    )  # fmt: skip


def _funnel(r: ChannelsResult, source: Source) -> Chart | None:
    funnel = r.funnel
    if funnel.is_empty():
        return None
    steps = measures.FUNNEL_STEPS
    long = funnel.unpivot(index="channel", on=[s for s, _ in steps], variable_name="step", value_name="rate").with_columns(
        pl.col("step").replace_strict(dict(steps))
    )  # fmt: skip
    best = funnel.sort("lead_to_order_pct", descending=True).row(0, named=True)
    title = (
        f"{display.name('channel', best['channel'])} converts {best['lead_to_order_pct']:.1f}% of "
        "leads into orders, the most of any channel"
    )
    subtitle = (
        f"Dealer-CRM records of the dataset ({source.dataset}), not survey answers"
        f"{'; synthetic in the demo, at market scale' if source.kind == 'demo' else ''} · "
        "lifecycle: lead, test drive, order, delivery, retention, referral · "
        f"{display.count(funnel['leads'].sum())} leads over the waves selected"
    )
    present = _present(funnel)
    long = long.sort(
        pl.col("channel").replace_strict({c: i for i, c in enumerate(present)}, default=99)
    )
    order = [s for _, s in steps]
    return Chart(
        "channel_funnel",
        title,
        subtitle,
        figures.grouped_bars(
            long, "step", "channel", "rate", title, subtitle, "Conversion, %", "%",
            category_order=order, colours=theme.colour_map("channel", present),
            names=display.CHANNEL_NAMES,
        ),
        human_table(
            funnel.with_columns(display.name_column("channel", "channel")),
            ("channel", "leads", "test_drives", "orders", "deliveries", "service_retained",
             "referrals", *[c for c, _ in steps]),
            {c: f"{label} %" for c, label in steps},
        ),
        label="Funnel",
        native=native_pivot(
            long, "step", "channel", "rate", "clustered_column",
            category_order=order, series_order=present,
            series_names=display.names("channel", present), blank=None,
            series_colours=theme.colours_for("channel", present),
            number_format='0.0"%"', value_title="Conversion, %",
        ),
    )  # fmt: skip


def charts(r: ChannelsResult, source: Source) -> list[Chart]:
    """NPS, stages, switching and funnel by channel."""
    out = [_nps(r, source), _stages(r, source), _switching(r, source), _funnel(r, source)]
    return [c for c in out if c is not None]


def summary(r: ChannelsResult) -> Summary:
    """The published context as key figures."""
    return Summary(
        kpis=tuple(Kpi(f.label, f.value, f"{f.text} · {f.citation}") for f in r.published)
    )


REPORT: Report[ChannelsResult] = Report(
    key="channels",
    title="Dealer vs direct sales",
    nav="Dealer vs direct",
    icon=":material/storefront:",
    section="Automotive",
    lead=(
        "Automakers' customers by how they bought: through a dealer, direct from the brand "
        "(DTC) or through an agent (agency model, fixed prices)."
    ),
    compute=compute,
    charts=charts,
    summary=summary,
    needs=("channel",),
)
