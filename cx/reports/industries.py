"""Industries: Capgemini's published 13-industry ranking beside the survey sample's NPS."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cx.charts import figures, theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, NO_INDUSTRY
from cx.core.selection import FILTER_KEYS, Selection
from cx.exports.chart import Chart, native_columns
from cx.metrics import measures
from cx.models import citations
from cx.reports.base import Report, Runner, Source, filter_values, n_total
from cx.reports.common import (
    NPS_MARGIN,
    PCT_FORMAT,
    alone_among_too_few,
    human_table,
    industries_scope,
    nps_chart,
    nps_table,
)

#: The industries the automotive findings are about (highlighted in the published ranking).
AUTOMOTIVE = (AUTOMAKERS, "Car dealers")
#: The published ranking's table.
RANKING_TABLE = ("published_rank", "industry", "share_top5_pct", "publisher", "year")


@dataclass(frozen=True)
class IndustriesResult:
    """Published ranking and survey NPS by industry.

    Attributes:
        options: statistical options.
        ranking: the published ranking (rank, industry, share placing it in their top five,
            with publisher, year and seed file).
        nps: survey NPS per industry with intervals, best first.
        nps_figures: published NPS figures, for context (never mixed with the sample).
        scope: which industries the sample's NPS covers, in words.
        narrowed: True when the sidebar chose the industries (not the dataset's all).
        industries: how many industries the dataset has.
    """

    options: Options
    ranking: pl.DataFrame
    nps: pl.DataFrame
    nps_figures: pl.DataFrame
    scope: str = ""
    narrowed: bool = False
    industries: int = 0


def compute(run: Runner, sel: Selection, opts: Options) -> IndustriesResult:
    """Published ranking, survey NPS by industry and published NPS figures."""
    known = filter_values(run, sel.dataset).get("industries", [])
    return IndustriesResult(
        options=opts,
        ranking=run("industry_ranking_published", {}),
        # answers stored without an industry (an upload that gave none) are the placeholder's,
        # named as it is everywhere ("NPS of None" was the chart's headline)
        nps=measures.nps_by(run, sel, "industry", opts).with_columns(
            pl.col("industry").fill_null(NO_INDUSTRY)
        ),
        # a figure without a note shows nothing there, not "None"
        nps_figures=run("published_figures", {"topics": ["nps"], "figure_ids": None}).with_columns(
            pl.col("note").fill_null("")
        ),
        scope=industries_scope(known, sel),
        narrowed=any(i in known for i in sel.industries),
        industries=len([i for i in known if i != NO_INDUSTRY]),
    )


def calibration_note(source_kind: str, sel: Selection) -> str:
    """What the sample's NPS by industry owes to the published figures beside it: the demo is
    calibrated to them over all its respondents, so there they agree by construction (+62
    beside Capgemini's 62 read as a finding), and under filters they need not (the page said
    "agree by construction" of a filtered view); "" for a user's own survey."""
    if source_kind != "demo":
        return ""
    # an industry's NPS is the same whichever industries are chosen beside it
    if any(getattr(sel, key) for key in FILTER_KEYS if key != "industries"):
        return _(
            "The synthetic demo survey is calibrated to the published NPS by industry (below) "
            "over all its respondents; under the filters chosen the two need not agree."
        )
    return _(
        "The synthetic demo survey is calibrated to the published NPS by industry (below), "
        "so the two agree by construction; on your own survey they are independent."
    )


def ranking_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """Where the automotive industries place in the published ranking (else its leader)."""
    said: list[Claim] = []
    for industry in AUTOMOTIVE:
        place = claims.rank(
            table, "industry", "share_top5_pct", "published_pct", industry,
            "industries for overall experience", "place",
        )  # fmt: skip
        if place is not None:
            said.append(place)
    if said:
        return tuple(said)
    leader = claims.top(
        table, "industry", "share_top5_pct", "published_pct", phrase="highest", noun="share of consumers "
        "placing it in their top five",
    )  # fmt: skip
    return (leader,) if leader is not None else (claims.statement("nothing"),)


def extremes(table: pl.DataFrame) -> tuple[claims.Top | None, claims.Top | None]:
    """The highest and the lowest industries by NPS, each with those their whiskers cannot tell
    from it; this page and the Overview's finding say them alike (the Overview named Online
    retailers alone where this chart named it with Physical retail)."""
    lead = claims.top(
        table, "industry", "nps", "nps", phrase="highest_nps", noun="industry", margin=NPS_MARGIN
    )
    last = claims.top(
        table, "industry", "nps", "nps", lowest=True, phrase="lowest_nps", noun="industry",
        margin=NPS_MARGIN,
    )  # fmt: skip
    return lead, last


def nps_claims(table: pl.DataFrame, r: IndustriesResult) -> tuple[Claim, ...]:
    """The sample's NPS by industry: the highest, and automakers' place when they are not it;
    one industry's NPS said as that (the sidebar's choice, or all the dataset has)."""
    rows = claims.reportable(table, "nps")
    if rows.is_empty():
        return (claims.statement("no_group", noun="industry"),)
    if rows.height == 1:
        industry = str(rows[display.COLUMN_NAMES["industry"]][0])
        scope = (
            _("this dataset has no industries") if industry == NO_INDUSTRY
            else alone_among_too_few(table) or (
                _("the one industry chosen in the filters") if r.narrowed
                else _("the one industry in this selection") if r.industries > 1
                else _("the one industry in this dataset")
            )
        )  # fmt: skip
        one = claims.value(table, "industry", industry, "nps", "nps", phrase="nps_of", scope=scope)
        return (one,) if one is not None else (claims.statement("nothing"),)
    lead, last = extremes(table)
    if lead is None or last is None:
        return (claims.statement("nothing"),)
    place = claims.rank(table, "industry", "nps", "nps", AUTOMAKERS, "industries", "place")
    if lead.figure.shown == last.figure.shown:
        return (claims.top(table, "industry", "nps", "nps", phrase="same_nps") or lead,)
    if claims.shared(lead, last):  # the whiskers tell no top from the bottom
        return (lead,)
    if place is not None and AUTOMAKERS not in lead.subjects:
        return (lead, place)
    return (lead, last)


def _ranking_chart(ranking: pl.DataFrame) -> Chart | None:
    if ranking.is_empty():
        return None
    ordered = ranking.sort("published_rank")
    table = human_table(ordered, RANKING_TABLE)
    said = ranking_claims(table)
    title = headline(said)
    first = ranking.row(0, named=True)
    cited = citations.cite(first)
    published = theme.PROVENANCE["published"].short
    subtitle = _(
        "{published} · % of consumers placing the industry in their top five · {cited} "
        "(fig. 2) · {base}"
    ).format(published=_(published), cited=cited, base=first["base"])
    top_five = _("% ranking the industry in their top five")
    return Chart(
        "industry_ranking_published",
        title,
        subtitle,
        figures.bars(
            ranking,
            "industry",
            "share_top5_pct",
            title,
            subtitle,
            highlight=set(AUTOMOTIVE),
            colour=theme.PUBLISHED,
            suffix="%",
            value_title=top_five,
        ),
        table,
        kind="published",
        label=_("Published ranking"),
        native=native_columns(
            ordered,
            "industry",
            [(top_five, "share_top5_pct")],
            "bar",
            number_format=PCT_FORMAT,
            colours=theme.highlighted(ordered["industry"], AUTOMOTIVE, theme.PUBLISHED),
            value_title=_("% of consumers (top five)"),
        ),
        claims=said,
    )


def _nps_chart(r: IndustriesResult, source: Source) -> Chart | None:
    nps = r.nps
    if nps.is_empty():
        return None
    keys = ("industry",)
    said = nps_claims(nps_table(nps, keys), r)
    subtitle = _("{source} · {scope} · {n} · whiskers: {interval}").format(
        source=source.survey, scope=r.scope, n=n_total(nps), interval=r.options.interval
    )
    return nps_chart(
        "industry_nps", _("NPS by industry"), headline(said), subtitle, nps, "industry", keys,
        r.options, said=said,
    )  # fmt: skip


def charts(r: IndustriesResult, source: Source) -> list[Chart]:
    """Published ranking and survey NPS by industry."""
    return [c for c in (_ranking_chart(r.ranking), _nps_chart(r, source)) if c is not None]


REPORT: Report[IndustriesResult] = Report(
    key="industries",
    title=N_("Industries"),
    nav=N_("Industries"),
    icon=":material/factory:",
    section=N_("Benchmarks"),
    lead=N_(
        "How automotive compares with 12 other consumer industries: the published ranking on "
        "the left, the survey sample's NPS on the right."
    ),
    compute=compute,
    charts=charts,
)
