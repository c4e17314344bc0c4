"""What the Voice charts say: their tables (human column names, as "Show data", CSV and Excel
carry them) and the claims their titles make, read from those tables (:mod:`cx.claims`)."""

from __future__ import annotations

import polars as pl

from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.core import display
from cx.core.i18n import N_, _
from cx.reports.common import human_table
from cx.text import language as languages
from cx.text import summary

#: The by-group tables' own names: the row (a topic or a stage), its NPS group and the gap.
NPS_GROUP = N_("NPS group")
GROUP_GAP = N_("Detractors minus promoters (points)")
#: The row names of the tables (topics, stages, brands, waves).
TOPIC, STAGE, BRAND, WAVE = N_("Topic"), N_("Stage"), N_("Brand"), N_("Wave")
#: The terms table's side and signed z (negative for detractors' terms, as the chart draws it).
SIDE, SIGNED_Z = display.COLUMN_NAMES["side"], display.COLUMN_NAMES["signed_z"]
#: The tables' names the claims read.
SHARE, GAP = display.COLUMN_NAMES["share_pct"], display.COLUMN_NAMES["gap"]
TREND_CHANGE = display.COLUMN_NAMES["wave_change"]
SIGNIFICANT = display.COLUMN_NAMES["significant"]


def _row_name(kind: str) -> str:
    return TOPIC if kind == "topic" else STAGE


def group_human(long: pl.DataFrame, kind: str) -> pl.DataFrame:
    """A by-NPS-group chart's table: each group's share mentioning each topic (or stage), with
    the detractor-promoter gap, its test and q-value."""
    return human_table(
        long,
        ("label", "group", "n", "mentions", "share_pct", "share_low", "share_high", "gap",
         "p_value", "q_value", "significant", "suppressed"),
        {**display.COMMENTER_COLUMNS, "label": _row_name(kind), "group": NPS_GROUP,
         "gap": GROUP_GAP},
    )  # fmt: skip


def group_claims(table: pl.DataFrame, kind: str) -> tuple[Claim, ...]:
    """What a by-NPS-group chart says, from its table: the topic (or stage) whose significant
    detractor-promoter gap is largest, with both shares; else that none differs."""
    label = _row_name(kind)
    detractors, promoters = summary.group_name("detractor"), summary.group_name("promoter")
    mine = {NPS_GROUP: detractors}
    tests = claims.narrowed(table, mine).filter(pl.col(SIGNIFICANT).fill_null(False))
    if tests.height:
        item = str(tests.sort(pl.col(GROUP_GAP).abs(), descending=True)[label][0])
        said = contrasts.contrast(
            table, NPS_GROUP, detractors, GROUP_GAP, phrase="group_mentions",
            quotes=[(detractors, SHARE, "pct"), (promoters, SHARE, "pct")],
            where={label: item}, values={"item": item},
        )  # fmt: skip
        if said is not None:
            return (said,)
    return (
        contrasts.sides(
            table, label, GROUP_GAP, noun=f"{kind}s", phrase="mentions_groups", where=mine,
            values={"singular": kind},
        ),
    )  # fmt: skip


def impact_table(t: pl.DataFrame) -> pl.DataFrame:
    """The NPS-impact chart's table: per topic the NPS of those mentioning it against the
    other commenters, the gap with its interval and test."""
    return human_table(
        t,
        ("label", "mentions", "share_pct", "nps", "ci_low", "ci_high", "rest_nps", "gap",
         "gap_low", "gap_high", "p_value", "q_value", "significant", "suppressed"),
        {"label": TOPIC, "share_pct": N_("Share of commenters %"), "nps": N_("NPS mentioning"),
         "ci_low": N_("NPS interval low"), "ci_high": N_("NPS interval high"),
         "rest_nps": N_("NPS not mentioning")},
    )  # fmt: skip


def impact_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the NPS-impact chart says, from its table: the topic whose commenters' NPS is
    lowest against the others' among the significant gaps; else that none differs."""
    shown = claims.reportable(table, GAP).filter(pl.col(SIGNIFICANT).fill_null(False))
    if shown.height:
        topic = str(shown.sort(GAP)[TOPIC][0])
        said = contrasts.contrast(table, TOPIC, topic, GAP, phrase="nps_mentioning")
        if said is not None:
            return (said,)
    return (contrasts.sides(table, TOPIC, GAP, noun="topics", phrase="nps_topics"),)


def terms_table(shown: pl.DataFrame) -> pl.DataFrame:
    """The distinguishing terms shown, with human column names and z signed as the chart
    draws it (detractors negative, on the left)."""
    return human_table(
        shown.with_columns(
            pl.col("language").replace_strict(
                {c: languages.name(c) for c in languages.LANGUAGES}, default=pl.col("language")
            ),
            signed_z=-pl.col("z"),
        ),
        ("side", "language", "term", "y_i", "y_j", "delta", "signed_z", "p_value", "q_value",
         "significant"),
    )  # fmt: skip


def terms_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the distinguishing-terms chart says, from its table: the three strongest
    significant terms of each side (or that none sets a side apart)."""
    return tuple(
        contrasts.strongest(
            table, "term", SIGNED_Z, 3, phrase="writes", where={SIDE: side},
            values={"who": _(side)},
        )
        for side in (N_("detractors"), N_("promoters"))
    )  # fmt: skip


def trend_claims(table: pl.DataFrame, first: str, last: str) -> tuple[Claim, ...]:
    """What the topic trend says, from its table: the significant move that is largest, else
    that none of the topics moved significantly."""
    moved = table.filter(pl.col(display.COLUMN_NAMES["wave_change_significant"]).fill_null(False))
    if moved.height:
        topic = str(moved.sort(pl.col(TREND_CHANGE).abs(), descending=True)[TOPIC][0])
        said = claims.change(table, TOPIC, "share_pct", "pct", topic, first, last, wave=WAVE)
        if said is not None:
            return (said,)
    tested = table.filter(pl.col(TREND_CHANGE).is_not_null())[TOPIC].to_list()
    if not tested:
        return (claims.statement("no_trend"),)
    return (claims.steady(table, TOPIC, "share_pct", tested, first, last, "most mentioned topics"),)


def brand_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the topics-by-brand heatmap says, from its table: the significant cell with the
    largest gap, in the direction of its sign; else that no brand differs."""
    sig = claims.reportable(table, GAP).filter(pl.col(SIGNIFICANT).fill_null(False))
    if sig.height:
        row = sig.sort(pl.col(GAP).abs(), descending=True).row(0, named=True)
        brand, topic = str(row[BRAND]), str(row[TOPIC])
        said = contrasts.contrast(
            table, BRAND, brand, GAP, phrase="brand_mentions",
            quotes=[(brand, SHARE, "pct"), (brand, "rest_pct", "pct")],
            where={TOPIC: topic}, values={"item": topic},
        )  # fmt: skip
        if said is not None:
            return (said,)
    return (contrasts.sides(table, BRAND, GAP, noun="pairs", phrase="brand_topics"),)
