"""Dealer vs direct: NPS, stage satisfaction, switching and the funnel by sales channel."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline, shown
from cx.core import display
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, ITEM_LABELS, SWITCH_INTENTS
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, Kpi, native_columns, native_pivot
from cx.metrics import measures
from cx.models import citations
from cx.reports.base import Report, Runner, Source, Summary, filter_values, n_total
from cx.reports.common import (
    NPS_MARGIN,
    PCT_FORMAT,
    STAGE,
    TOP2_TABLE,
    WITHIN_18M,
    alone_among_too_few,
    answers_range,
    claimed_kpi,
    human_table,
    nps_chart,
    nps_table,
    satisfied_axis,
)

#: The channels compared (mobility users are not buyers), in this order everywhere.
CHANNELS = ("dealer", "direct", "agency")
#: Stages where the way of buying matters.
CHANNEL_ITEMS = ("purchase", "price_transparency", "receive", "maintain")
#: The channel the others are compared with on each stage.
BENCHMARK = "dealer"
#: The stage-by-channel table's test columns (each channel against dealer sales, one family),
#: and the names of those that narrow their usual meaning.
VERSUS_COLUMNS = ("gap", "p_value", "q_value", "significant")
VERSUS_DEALER = {"gap": N_("Gap to dealer (points)"), "significant": N_("Significant vs dealer")}
#: The funnel table's columns: the counts, each step's conversion and lead to order.
FUNNEL_TABLE = (
    "channel", "leads", "test_drives", "orders", "deliveries", "service_retained", "referrals",
    *[c for c, _label in measures.FUNNEL_STEPS], "lead_to_order_pct",
)  # fmt: skip
FUNNEL_NAMES = {  # each marked whole: a name made of a step's label and " %" stayed English
    "lead_to_test_drive_pct": N_("Lead → test drive %"),
    "test_drive_to_order_pct": N_("Test drive → order %"),
    "order_to_delivery_pct": N_("Order → delivery %"),
    "service_retention_pct": N_("Delivery → service retained %"),
    "referral_rate_pct": N_("Delivery → referral %"),
    "lead_to_order_pct": N_("Lead → order %"),
}
#: The published context's table: each figure's short label, value, what it says, source.
FACT_NAMES = {"label": N_("Figure"), "value": N_("Value %"), "note": N_("What it says")}


@dataclass(frozen=True)
class PublishedFact:
    """A published figure shown for context: value, a short label, what it says, citation."""

    figure_id: str
    value: str
    label: str
    text: str
    citation: str


#: Published context of the page: figure id, short label, what it says (values as published;
#: the words in the page's language, read in it by the tiles' claims too).
FACTS = (
    ("neo_direct_share", N_("Direct sales, China NEV"), N_("of China's top-10 NEV makers' retail sales went direct (Jan-Sep 2023)")),
    ("neo_dealers_loss", N_("Dealers losing money"), N_("of Chinese car dealers were loss-making in 2023, a record")),
    ("mck_not_satisfied", N_("Buyers not fully satisfied"), N_("of Chinese car buyers were not fully satisfied with the purchase process")),
)  # fmt: skip


@dataclass(frozen=True)
class ChannelsResult:
    """Sales channels compared.

    Attributes:
        options: statistical options.
        selection: the selection shown (automakers unless industries are chosen).
        defaulted: True when the automakers default was applied.
        nps: NPS per channel against all other channels (``gap``, ``significant``).
        stages: satisfaction per channel and item, each channel tested against dealer sales on
            the same item (``gap``, ``p_value``, ``q_value``, ``significant``: false discovery
            rate controlled across the comparisons).
        switch: switching intent per channel.
        funnel: lifecycle funnel per channel (demo data only).
        published: published figures for context.
        facts: the published figures as a table (what the context tiles are read from).
    """

    options: Options
    selection: Selection
    defaulted: bool
    nps: pl.DataFrame
    stages: pl.DataFrame
    switch: pl.DataFrame
    funnel: pl.DataFrame
    published: tuple[PublishedFact, ...]
    facts: pl.DataFrame

    @property
    def automotive(self) -> bool:
        """Whether the page shows automakers' customers alone (its words say "automotive"
        only then)."""
        return self.selection.industries == (AUTOMAKERS,)


def compute(run: Runner, sel: Selection, opts: Options) -> ChannelsResult:
    """Channel comparison for automakers (unless the sidebar chooses industries)."""
    industries = filter_values(run, sel.dataset).get("industries", [])
    defaulted = not sel.industries and AUTOMAKERS in industries
    page = sel.with_filter("industries", [AUTOMAKERS]) if defaulted else sel
    sql.prefetch(
        run,
        [
            measures.breakdowns_read(page, ("channel",)),
            measures.stage_read(page, "channel"),
            measures.funnel_read(page, "channel"),
        ],
    )
    read = measures.breakdowns(run, page, ("channel",))
    sums = read.nps("channel").filter(pl.col("channel").is_not_null())
    nps = measures.versus_rest(sums, "channel", opts=opts) if not sums.is_empty() else sums
    figures_ = run("published_figures", {"topics": None, "figure_ids": [f[0] for f in FACTS]})
    rows = {r["figure_id"]: r for r in figures_.iter_rows(named=True)}
    facts = human_table(
        pl.DataFrame(
            {
                "label": [_(label) for fid, label, _text in FACTS if fid in rows],
                "value": [float(rows[fid]["value"]) for fid, *_words in FACTS if fid in rows],
                "note": [_(text) for fid, _label, text in FACTS if fid in rows],
                "source": [citations.cite(rows[fid]) for fid, *_words in FACTS if fid in rows],
            },
            schema={"label": pl.String, "value": pl.Float64, "note": pl.String,
                    "source": pl.String},
        ),
        ("label", "value", "note", "source"),
        FACT_NAMES,
    )  # fmt: skip
    published = tuple(
        PublishedFact(fid, shown(claims.Figure(float(rows[fid]["value"]), "published_pct")),
                      _(label), _(text), citations.cite(rows[fid]))
        for fid, label, text in FACTS
        if fid in rows
    )  # fmt: skip
    stages = measures.stage_by(run, page, "channel", opts)
    return ChannelsResult(
        options=opts,
        selection=page,
        defaulted=defaulted,
        nps=nps,
        stages=measures.stage_versus_one(stages, "channel", BENCHMARK, opts),
        switch=measures.switch_table(read.switch("channel"), opts),
        funnel=measures.funnel_by(run, page, "channel"),
        published=published,
        facts=facts,
    )


def _present(frame: pl.DataFrame) -> list[str]:
    have = set(frame["channel"].drop_nulls().to_list()) if not frame.is_empty() else set()
    return [c for c in CHANNELS if c in have] + sorted(have - set(CHANNELS))


def nps_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """The channels' NPS finding: the channel that leads and how many are significantly above
    and below the others; one channel shown leads nothing (its NPS, and the channels too few
    to show beside it, if any); none shown, too few to compare."""
    lead = claims.top(
        table, "channel", "nps", "nps", phrase="sales_lead", noun="channel", margin=NPS_MARGIN
    )
    if lead is None:
        return (claims.statement("few_compared", noun=_("channels")),)
    if claims.reportable(table, "nps").height == 1:
        few = alone_among_too_few(table)
        if not few:  # the only channel there is: the top's own "alone" wording
            return (lead,)
        one = claims.value(table, "channel", lead.subjects[0], "nps", "nps", phrase="nps_of",
                           scope=few)  # fmt: skip
        if one is not None:
            return (one,)
    return (lead, *(
        contrasts.count(table, "channel", "gap", side, _("channels"), _("channel"),
                        _("the other channels"))
        for side in ("above", "below")  # a channel significantly below is a finding too
    ))  # fmt: skip


def _nps(r: ChannelsResult, source: Source) -> Chart | None:
    nps = r.nps
    if nps.is_empty():
        return None
    labelled = nps.with_columns(display.name_column("channel", "channel"))
    table = nps_table(labelled, ("channel",))
    said = nps_claims(table)
    tested = int(nps.filter(pl.col("p_value").is_not_null()).height)
    subtitle = " · ".join(
        (
            source.survey,
            _who(r),
            n_total(nps),
            _("{marks} gap to all other channels {tested}").format(
                marks=theme.MARKS, tested=r.options.controlled(tested, _("channels"))
            ),
            _("whiskers: {interval}").format(interval=r.options.interval),
        )
    )
    colours = {
        display.name("channel", c): colour
        for c, colour in theme.colour_map("channel", _present(nps)).items()
    }
    return nps_chart(
        "channel_nps", _("NPS by channel"), headline(said), subtitle, labelled, "channel",
        ("channel",), r.options, colours, said=said,
    )  # fmt: skip


def stage_names(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame's stage labels in the page's language (as its chart, its table and the claims
    read from the table name them)."""
    return frame.with_columns(
        pl.col("label").replace({label: _(label) for label in ITEM_LABELS.values()})
    )


def stages_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """Direct against dealer buyers on the purchase (the gap as the labels show it, and
    whether the test against dealer sales found it significant)."""
    direct, dealer = display.name("channel", "direct"), display.name("channel", BENCHMARK)
    purchase = display.stage_label("purchase")
    found = claims.gap(
        table, "channel", "top2_pct", "pct", direct, dealer,
        where={STAGE: purchase}, flag=VERSUS_DEALER["significant"],
        words=(_("{channel} buyers").format(channel=direct),
               _("{channel} buyers").format(channel=display.lower_name("channel", BENCHMARK))),
        context=_("with the purchase"),
    )  # fmt: skip
    if found is None:
        return (claims.statement("not_compared", what=_("Purchase, price transparency, delivery "
                                 "and after-sales"), by=_("channel")),)  # fmt: skip
    return (found,)


def _stages(r: ChannelsResult, source: Source) -> Chart | None:
    if r.stages.is_empty():
        return None
    rows = r.stages.filter(
        pl.col("channel").is_in(list(CHANNELS)) & pl.col("item").is_in(list(CHANNEL_ITEMS))
    )
    if not rows.height:
        return None
    present = _present(rows)
    rows = rows.sort(
        pl.col("channel").replace_strict({c: i for i, c in enumerate(present)}, default=99)
    )
    shown = stage_names(rows)
    table = human_table(
        shown.with_columns(display.name_column("channel", "channel")),
        ("channel", *TOP2_TABLE, *VERSUS_COLUMNS),
        {**display.ANSWER_COLUMNS, **VERSUS_DEALER},
    )
    said = stages_claims(table)
    title = headline(said)
    tested = int(rows.filter(pl.col("p_value").is_not_null()).height)
    subtitle = " · ".join(
        (
            source.survey,
            _("% satisfied ({top_two})").format(top_two=source.top_two),
            answers_range(shown),
            _("whiskers: {interval}").format(interval=r.options.interval),
            _("{marks} gap to dealer sales {tested}").format(
                marks=theme.MARKS,
                tested=r.options.controlled(tested, _("comparisons with dealer sales")),
            ),
        )
    )
    # a stage nobody answered (an upload without price transparency) gets no empty slot
    answered = set(rows.filter(pl.col("n") > 0)["item"].to_list())
    order = [_(ITEM_LABELS[i]) for i in CHANNEL_ITEMS if i in answered]
    value_title = satisfied_axis(source)
    marks = _gap_marks(shown)
    return Chart(
        "channel_stages",
        title,
        subtitle,
        figures.grouped_bars(
            shown, "label", "channel", "top2_pct", title, subtitle, value_title, "%",
            category_order=order, colours=theme.colour_map("channel", present),
            names=dict(zip(present, display.names("channel", present), strict=True)),
            lo="top2_low", hi="top2_high", marks=marks,
        ),
        table,
        label=_("Stages by channel"),
        native=replace(
            native_pivot(
                shown, "label", "channel", "top2_pct", "clustered_column",
                category_order=order, series_order=present,
                series_names=display.names("channel", present),
                number_format=PCT_FORMAT, value_title=value_title,
                series_colours=theme.colours_for("channel", present),
                interval=("top2_low", "top2_high"), value_range=(0, 100),
            ),
            point_texts=[
                [f"{display.pct(v)} {marks[(c, s)]}" if (c, s) in marks else None
                 for s, v in _values(shown, c, order)]
                for c in present
            ],
        ),
        claims=said,
    )  # fmt: skip


def _gap_marks(rows: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(channel, stage label) -> ▲/▼ of each gap to dealer sales that is significant, as the
    subtitle says they are marked (six of eight were, and no bar showed which)."""
    out = {}
    for r in rows.iter_rows(named=True):
        mark = theme.significance(r.get("significant"), r.get("gap"), r.get("suppressed")).mark
        if mark:
            out[(str(r["channel"]), str(r["label"]))] = mark
    return out


def _values(rows: pl.DataFrame, channel: str, order: list[str]) -> list[tuple[str, Any]]:
    """One channel's (stage label, % satisfied) in the chart's stage order."""
    mine = {
        str(r["label"]): r["top2_pct"]
        for r in rows.iter_rows(named=True)
        if str(r["channel"]) == channel
    }
    return [(s, mine.get(s)) for s in order]


def switching_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """The channel(s) whose customers most intend to switch within 18 months, as the chart's
    two labels (within 6 months, in 6-18 months) add up; channels adding up the same are all
    named."""
    found = [
        claims.row_total(
            table, "channel", str(name), WITHIN_18M, "pct", "", _("intend to switch brand within "
            "18 months"),
        )
        for name in table[display.COLUMN_NAMES["channel"]].to_list()
    ]  # fmt: skip
    totals = [t for t in found if t is not None]
    if not totals:
        return (claims.statement("few_compared", noun=_("channels")),)
    most = max(t.figure.shown for t in totals)
    codes = {display.name("channel", c): c for c in CHANNELS}
    return tuple(
        claims.Total(
            t.label, t.column, t.parts,
            _("{channel} customers").format(
                channel=display.lower_name("channel", codes.get(t.row, t.row))
            ), t.predicate,
            t.row,
        )
        for t in totals
        if t.figure.shown == most
    )  # fmt: skip


def _who(r: ChannelsResult) -> str:
    """Whose answers the channel chart shows: automotive respondents only when the page shows
    Automakers alone (an upload's "Automotive" and "Insurance" customers were both called
    automotive)."""
    if r.automotive:
        return _("automotive respondents by how they bought or use")
    if r.selection.industries:
        return _("respondents of the industries chosen by how they bought or use")
    return _("every respondent by how they bought or use (no Automakers industry in this dataset)")


def _switching(r: ChannelsResult, source: Source) -> Chart | None:
    if r.switch.is_empty() or not source.has("switch_intent"):  # no question: no empty axes
        return None
    sw = r.switch.filter(~pl.col("suppressed") & pl.col("channel").is_not_null()).sort(
        "switch_18m_pct", descending=True
    )
    if not sw.height:
        return None
    table = human_table(
        sw.with_columns(display.name_column("channel", "channel")),
        ("channel", "n", *[f"{c}_pct" for c in SWITCH_INTENTS], "switch_18m_pct"),
    )
    said = switching_claims(table)
    title = headline(said)
    # respondents, as the table's n and the suppression count them ("answered" is a sum of
    # weights: "n = 20-147" stood over groups of 92 to 672 respondents)
    answered = answers_range(sw, "n")
    subtitle = " · ".join((source.survey, _("switching intent, % of those answering"), answered))
    parts = [
        (f"{code}_pct", _(label), theme.SWITCH_COLOURS[code])
        for code, label in SWITCH_INTENTS.items()
    ]
    names = display.names("channel", sw["channel"].to_list())
    return Chart(
        "channel_switching",
        title,
        subtitle,
        # the first row on top, as the table and the slide have it (the screen drew the bars
        # bottom-up: the channel most intending to switch at the foot)
        figures.stacked_share(sw.reverse(), "channel", parts, title, subtitle, labels=names[::-1]),
        table,
        label=_("Switching intent"),
        native=native_columns(
            sw.with_columns(name=pl.Series(names)), "name", [(label, col) for col, label, _ in parts],
            "stacked_bar", number_format=PCT_FORMAT, value_title=_("% of those answering"),
            series_colours=[c for *_words, c in parts],
        ),
        claims=said,
    )  # fmt: skip


def _funnel(r: ChannelsResult, source: Source) -> Chart | None:
    funnel = r.funnel
    if funnel.is_empty():
        return None
    steps = measures.FUNNEL_STEPS
    long = funnel.unpivot(index="channel", on=[s for s, _ in steps], variable_name="step", value_name="rate").with_columns(
        pl.col("step").replace_strict({code: _(label) for code, label in steps})
    )  # fmt: skip
    table = human_table(
        funnel.with_columns(display.name_column("channel", "channel")), FUNNEL_TABLE, FUNNEL_NAMES
    )
    best = claims.top(
        table, "channel", FUNNEL_NAMES["lead_to_order_pct"], "pct1", phrase="converts",
        noun="channel",
    )  # fmt: skip
    said: tuple[Claim, ...] = (best,) if best is not None else (claims.statement("nothing"),)
    title = headline(said)
    records = (
        _(
            "Dealer-CRM records of the dataset ({dataset}), not survey answers; synthetic in the "
            "demo, at market scale"
        )
        if source.kind == "demo"
        else _("Dealer-CRM records of the dataset ({dataset}), not survey answers")
    )
    subtitle = " · ".join(
        (
            records.format(dataset=source.dataset),
            _("lifecycle: lead, test drive, order, delivery, retention, referral"),
            _("{leads} leads over the waves selected").format(
                leads=display.count(funnel["leads"].sum())
            ),
        )
    )
    present = _present(funnel)
    long = long.sort(
        pl.col("channel").replace_strict({c: i for i, c in enumerate(present)}, default=99)
    )
    order = [_(label) for _code, label in steps]
    conversion = _("Conversion, %")
    # the headline's figure (leads that became orders) is no bar's: each channel's legend
    # name carries it, so the chart shows the number its title states
    lead = dict(
        zip(funnel["channel"].to_list(), funnel["lead_to_order_pct"].to_list(), strict=True)
    )
    names = [
        _("{channel} (lead → order {share})").format(
            channel=display.name("channel", c), share=shown(claims.Figure(lead[c], "pct1"))
        )
        if lead.get(c) is not None
        else display.name("channel", c)
        for c in present
    ]
    return Chart(
        "channel_funnel",
        title,
        subtitle,
        figures.grouped_bars(
            long, "step", "channel", "rate", title, subtitle, conversion, "%",
            category_order=order, colours=theme.colour_map("channel", present),
            names=dict(zip(present, names, strict=True)),
        ),
        table,
        kind="records",
        label=_("Funnel"),
        native=native_pivot(
            long, "step", "channel", "rate", "clustered_column",
            category_order=order, series_order=present,
            series_names=names, blank=None,
            series_colours=theme.colours_for("channel", present),
            number_format=PCT_FORMAT, value_title=conversion,  # whole, as the screen labels
            # to 100 (PowerPoint's own scale ran to 120), or beyond where a ratio of period
            # sums is (deliveries of orders taken before the waves)
            value_range=(0.0, max(100.0, math.ceil(max(long["rate"].drop_nulls(), default=0) / 10) * 10)),
        ),
        claims=said,
    )  # fmt: skip


def charts(r: ChannelsResult, source: Source) -> list[Chart]:
    """NPS, stages, switching and funnel by channel; their source names the industries the page
    reads (Automakers alone where the dataset has them)."""
    source = source.within(r.selection.industries)
    out = [_nps(r, source), _stages(r, source), _switching(r, source), _funnel(r, source)]
    return [c for c in out if c is not None]


def summary(r: ChannelsResult) -> Summary:
    """The published context as key figures, each read from the published figures' table."""
    kind = theme.PROVENANCE["published"].label  # a marked message
    published = _(kind)
    tiles: list[Kpi] = []
    for fact in r.published:
        said = claims.value(
            r.facts, FACT_NAMES["label"], fact.label, FACT_NAMES["value"], "published_pct"
        )
        if said is not None:
            tiles.append(  # said to be published on the slide too, as the screen's badge says
                claimed_kpi(
                    fact.label, (said,), r.facts, f"{published} · {fact.text} · {fact.citation}"
                )
            )
    return Summary(kpis=tuple(tiles))


REPORT: Report[ChannelsResult] = Report(
    key="channels",
    title=N_("Dealer vs direct sales"),
    nav=N_("Dealer vs direct"),
    icon=":material/storefront:",
    section=N_("Automotive"),
    lead=N_(
        "Automakers' customers by how they bought: through a dealer, direct from the brand "
        "(DTC) or through an agent (agency model, fixed prices)."
    ),
    compute=compute,
    charts=charts,
    summary=summary,
    needs=("channel",),
)
