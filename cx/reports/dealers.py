"""Dealer scorecards: outlets ranked on evidence (NPS shrunk towards their brand), dealer vs
direct at outlet level, dealer groups, and one outlet's scorecard."""

from __future__ import annotations

from typing import Any

import polars as pl

from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.figure import rounded
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.exports.chart import Chart, DeckMeta, Kpi
from cx.reports.base import Pick, Report, Summary
from cx.reports.dealer_charts import (
    GAP,
    OUTLET,
    OUTLET_CHARTS,
    RAW,
    REST,
    SHRUNK,
    charts,
    league_table,
    stage_claims,
    stage_table,
)
from cx.reports.dealer_scores import DealersResult, compute


def _versus(o: dict[str, Any], opts: Options) -> str:
    if o.get("suppressed"):
        return _("too few responses to test")
    if o.get("p_value") is None:
        return _("too few other answers in view to test")
    if not o.get("significant"):
        return _("not significant")
    return _("significant (false discovery rate controlled)")


#: Quartiles in words (1 = the best quarter of the brand's ranked outlets).
QUARTER = {
    1: N_("top quarter"),
    2: N_("second quarter"),
    3: N_("third quarter"),
    4: N_("bottom quarter"),
}


def _heading(names: dict[str, str], column: str) -> str:
    """A column's human name (marked where it is defined) in the page's language."""
    return _(names[column])


def _significant(flag: Any) -> str:
    """A test's outcome in a tile's note."""
    return _("significant") if flag else _("not significant")


def finding_claims(r: DealersResult) -> list[tuple[Claim, pl.DataFrame]]:
    """What the deck says about the chosen outlet, each claim with the table it is read
    from: its rank among its brand's outlets in the league, its raw NPS against the rest of
    its brand (both from the league's table), and its weakest stage (the stage chart's)."""
    o = r.outlet
    if o is None:
        return []
    name, brand = str(o["dealer_name"]), o["brand"] or _("its population")
    if o.get("suppressed"):
        said = claims.statement(
            "outlet_unranked", name=name, n=display.count(o["n"]), min_n=str(r.options.min_n)
        )
        return [(said, pl.DataFrame())]
    table = league_table(r.league)
    mine = {display.COLUMN_NAMES["brand"]: brand} if o["brand"] else {}
    out: list[tuple[Claim, pl.DataFrame]] = []
    place = brand_place(r)
    if o.get("pool_alone"):  # its brand's only ranked outlet (not "ranks 1st of 1")
        out.append((claims.statement("outlet_only", name=name, brand=brand), table))
    elif place is not None:
        out.append((place, table))
    rest = contrasts.contrast(
        table, OUTLET, name, GAP, phrase="outlet_rest",
        quotes=[(name, RAW, "nps"), (name, REST, "nps")], where=mine, values={"brand": brand},
    )  # fmt: skip
    if rest is not None:
        out.append((rest, table))
    if not r.outlet_stages.is_empty():
        stages = stage_table(r)
        out += [(c, stages) for c in stage_claims(o, stages)]
    return out


def brand_place(r: DealersResult) -> claims.Rank | None:
    """The chosen outlet's place among its brand's outlets in view, as the league orders them
    (exact shrunk NPS, not as labels round them); None when it is not ranked. The finding and
    the tile read this one place."""
    o = r.outlet
    if o is None or o.get("suppressed"):
        return None
    brand = o["brand"] or _("its population")
    noun = _("{brand} outlets in view on shrunk NPS").format(brand=brand)
    mine = {display.COLUMN_NAMES["brand"]: brand} if o["brand"] else {}
    return claims.rank(
        league_table(r.league), OUTLET, SHRUNK, None, str(o["dealer_name"]), noun, where=mine
    )


def kpis(r: DealersResult) -> tuple[Kpi, ...]:
    """The chosen outlet's scorecard: rank, shrunk and raw NPS, gap to its brand, weakest
    stage and trend, each with its interval or test (the same figures and flags the charts'
    tables show)."""
    o = r.outlet
    if o is None:
        return ()
    brand = o["brand"] or _("its population")
    place = brand_place(r)
    if o.get("pool_alone") and place is not None:  # as its finding says: no rank in its brand
        rank = Kpi(
            _("Rank in brand"),
            _("none"),
            _("the only {brand} outlet in view · league position {position}").format(
                brand=brand, position=o["rank"]
            ),
        )
    elif o.get("suppressed") or place is None:
        rank = Kpi(
            _("Rank in brand"),
            _("not ranked"),
            _("n = {n}, under the minimum of {min_n}").format(
                n=display.count(o["n"]), min_n=r.options.min_n
            ),
        )
    else:
        quarter = (place.rank - 1) * 4 // place.total + 1
        of = _("joint {rank} of {total}") if place.tied else _("{rank} of {total}")
        note = (  # quarters of fewer than four outlets say nothing: the only outlet is not "top"
            _("{brand} outlets in view · {quarter} · league position {position}").format(
                brand=brand, quarter=_(QUARTER[quarter]), position=o["rank"]
            )
            if place.total >= len(QUARTER)
            else _("{brand} outlets in view · league position {position}").format(
                brand=brand, position=o["rank"]
            )
        )
        rank = Kpi(_("Rank in brand"), of.format(rank=place.rank, total=place.total), note)
    out = [
        rank,
        Kpi(
            _heading(display.COLUMN_NAMES, "shrunk_nps"),
            display.nps(o.get("shrunk_nps")),
            (  # the model's mean, not the brand's NPS ("Eichwald mean -5" stood beside
                # "rest of Eichwald -12" and a brand NPS of -11)
                _(
                    "{interval} ({level}) · pulled towards {mean}, the model's typical outlet in view"
                )
                if o.get("pool_alone")  # its brand's only one: shrunk towards all of them
                else _(
                    "{interval} ({level}) · pulled towards {mean}, the model's typical {brand} outlet"
                )
            ).format(
                interval=display.interval(o.get("shrunk_low"), o.get("shrunk_high")),
                level=r.options.interval,
                brand=brand,
                mean=display.nps(o.get("pool_mean")),
            ),
        ),
        Kpi(
            _heading(display.RAW_COLUMNS, "nps"),
            display.nps(o.get("nps")),
            f"{display.interval(o.get('ci_low'), o.get('ci_high'))} · {display.n(o['n'])}",
        ),
        Kpi(
            _("Versus rest of brand, points"),
            display.nps(o.get("gap")),
            _("{test} · rest of {brand} {nps}").format(
                test=_versus(o, r.options), brand=brand, nps=display.nps(o.get("rest_nps"))
            ),
        ),
    ]
    weakest = o.get("weakest_label")
    if weakest is not None:
        compared = (
            r.outlet_stages["gap"].drop_nulls().len() if "gap" in r.outlet_stages.columns else 0
        )
        out.append(
            Kpi(
                _("{column}: {stage}").format(
                    # one stage compared of five is not the weakest of them
                    column=_("Only stage compared with the rest of the brand")
                    if compared == 1
                    else _heading(display.COLUMN_NAMES, "weakest_label"),
                    stage=_(weakest),
                ),
                display.pct(o["weakest_top2"]),
                _("satisfied against {rest} for the rest of {brand} ({test})").format(
                    rest=display.pct(o.get("weakest_rest")),
                    brand=brand,
                    test=_significant(o.get("weakest_significant")),
                ),
            )
        )
    if o.get("change") is not None and r.periods is not None:
        early, late = o.get("early_nps"), o.get("late_nps")
        # as the trend chart's headline and What changed say it: the difference of the two
        # NPS as shown (29 against -17 is +46, though the unrounded change is 46.6)
        shown = (
            o["change"]
            if early is None or late is None
            else rounded(late, "nps") - rounded(early, "nps")
        )
        out.append(
            Kpi(
                _("Change, points"),
                display.nps(shown),
                _("{later} against {earlier} ({test})").format(
                    later=r.periods[1],
                    earlier=r.periods[0],
                    test=_significant(o.get("change_significant")),
                ),
            )
        )
    return tuple(out)


def findings(r: DealersResult) -> tuple[str, ...]:
    """What the deck's title slide says about the chosen outlet: each finding a claim
    (:func:`finding_claims`) in words."""
    return tuple(_("{sentence}.").format(sentence=headline((c,))) for c, _t in finding_claims(r))


def summary(r: DealersResult) -> Summary:
    """The chosen outlet's key figures and findings (the deck's first slides)."""
    return Summary(kpis=kpis(r), findings=findings(r))


REPORT: Report[DealersResult] = Report(
    key="dealers",
    title=N_("Dealer scorecards"),
    nav=N_("Dealer scorecards"),
    icon=":material/leaderboard:",
    section=N_("Automotive"),
    lead=N_(
        "Outlets (dealers, agency outlets, direct stores) ranked on evidence: each outlet's NPS "
        "is pulled towards its brand's by how little its answers tell ({level} intervals), so "
        "a handful of enthusiastic answers cannot top the table."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("brand", N_("Brand")),
        Pick("country", N_("Country")),
        Pick("channel", N_("Channel")),
        Pick("group", N_("Dealer group")),
        Pick(
            "outlet",
            N_("Outlet"),
            help=N_("The outlet whose scorecard is shown below and exported."),
        ),
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

    o = r.outlet or {"dealer_name": _("No outlet"), "dealer_id": "", "brand": None}
    summary_ = summary(r)
    meta = DeckMeta(
        page=str(o["dealer_name"]),  # the title slide: the outlet's name, large
        filters=_("outlet scorecard of {outlet} ({brand}); {selection}").format(
            outlet=o["dealer_id"], brand=o["brand"], selection=r.selection.describe()
        ),
        dataset=dataset,
        highlights=summary_.findings,
        kpis=summary_.kpis,
    )
    return pptx_deck([c for c in made if c.key in OUTLET_CHARTS], meta)
