"""Dealer scorecards: outlets ranked on evidence (NPS shrunk towards their brand), dealer vs
direct at outlet level, dealer groups, and one outlet's scorecard."""

from __future__ import annotations

from typing import Any

from cx.core import display
from cx.core.options import Options
from cx.exports.chart import Chart, DeckMeta, Kpi
from cx.reports.base import Pick, Report, Summary
from cx.reports.dealer_charts import OUTLET_CHARTS, charts
from cx.reports.dealer_scores import DealersResult, compute


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
            display.COLUMN_NAMES["shrunk_nps"],
            display.nps(o.get("shrunk_nps")),
            f"{display.interval(o.get('shrunk_low'), o.get('shrunk_high'))} "
            f"({r.options.interval}) · {brand} {display.nps(o.get('pool_nps'))}",
        ),
        Kpi(
            display.RAW_COLUMNS["nps"],
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
    from cx.exports.slides import pptx_deck

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
