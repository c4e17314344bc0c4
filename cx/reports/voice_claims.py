"""What the Voice charts say: their tables (human column names, as "Show data", CSV and Excel
carry them) and the claims their titles make, read from those tables (:mod:`cx.claims`)."""

from __future__ import annotations

import polars as pl

from cx.claims import model as claims
from cx.claims.model import Claim
from cx.text import language as languages
from cx.text import summary

#: The by-group tables' gap column.
GROUP_GAP = "Detractors minus promoters (points)"
#: The terms table's signed z (negative for detractors' terms, as the chart draws them) and side.
SIGNED_Z = "z (negative: detractors)"
SIDE = "Over-represented among"
#: The trend table's change column.
TREND_CHANGE = "Change since first wave (points)"


def group_human(long: pl.DataFrame, kind: str) -> pl.DataFrame:
    return long.select(
        pl.col("label").alias("Topic" if kind == "topic" else "Stage"),
        pl.col("group").alias("NPS group"), pl.col("n").alias("Commenters (n)"),
        pl.col("mentions").alias("Mentioning (n)"), pl.col("share_pct").alias("Share %"),
        pl.col("share_low").alias("Interval low"), pl.col("share_high").alias("Interval high"),
        pl.col("gap").alias(GROUP_GAP), pl.col("p_value").alias("p-value"),
        pl.col("q_value").alias("q-value (false discovery rate)"),
        pl.col("significant").alias("Significant"), pl.col("suppressed").alias("n too small"),
    )  # fmt: skip


def group_claims(table: pl.DataFrame, kind: str) -> tuple[Claim, ...]:
    """What a by-NPS-group chart says, from its table: the topic (or stage) whose significant
    detractor-promoter gap is largest, with both shares; else that none differs."""
    label = "Topic" if kind == "topic" else "Stage"
    detractors, promoters = summary.GROUP_NAMES["detractor"], summary.GROUP_NAMES["promoter"]
    mine = (("NPS group", detractors),)
    tests = claims.within(table, mine).filter(pl.col("Significant").fill_null(False))
    if tests.height:
        item = str(tests.sort(pl.col(GROUP_GAP).abs(), descending=True)[label][0])
        said = claims.contrast(
            table, "NPS group", detractors, GROUP_GAP, phrase="group_mentions",
            quotes=[(detractors, "Share %", "pct"), (promoters, "Share %", "pct")],
            where=[(label, item)], values={"item": item},
        )  # fmt: skip
        if said is not None:
            return (said,)
    return (
        claims.tally(
            table, label, GROUP_GAP, noun=f"{kind}s", phrase="mentions_groups", where=mine,
            values={"singular": kind},
        ),
    )  # fmt: skip


def impact_table(t: pl.DataFrame) -> pl.DataFrame:
    """The NPS-impact chart's table: per topic the NPS of those mentioning it against the
    other commenters, the gap with its interval and test."""
    return t.select(
        pl.col("label").alias("Topic"), pl.col("mentions").alias("Mentioning (n)"),
        pl.col("share_pct").alias("Share of commenters %"), pl.col("nps").alias("NPS mentioning"),
        pl.col("ci_low").alias("NPS interval low"), pl.col("ci_high").alias("NPS interval high"),
        pl.col("rest_nps").alias("NPS not mentioning"), pl.col("gap").alias("Gap (points)"),
        pl.col("gap_low").alias("Gap interval low"), pl.col("gap_high").alias("Gap interval high"),
        pl.col("p_value").alias("p-value"), pl.col("q_value").alias("q-value (false discovery rate)"),
        pl.col("significant").alias("Significant"), pl.col("suppressed").alias("n too small"),
    )  # fmt: skip


def impact_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the NPS-impact chart says, from its table: the topic whose commenters' NPS is
    lowest against the others' among the significant gaps; else that none differs."""
    shown = claims.reportable(table, "Gap (points)").filter(pl.col("Significant").fill_null(False))
    if shown.height:
        topic = str(shown.sort("Gap (points)")["Topic"][0])
        said = claims.contrast(table, "Topic", topic, "Gap (points)", phrase="nps_mentioning")
        if said is not None:
            return (said,)
    return (claims.tally(table, "Topic", "Gap (points)", noun="topics", phrase="nps_topics"),)


def terms_table(shown: pl.DataFrame) -> pl.DataFrame:
    """The distinguishing terms shown, with human column names and z signed as the chart
    draws it (detractors negative, on the left)."""
    return shown.select(
        pl.col("side").alias(SIDE),
        pl.col("language").replace_strict(languages.LANGUAGES, default=pl.col("language")).alias("Language"),
        pl.col("term").alias("Term"), pl.col("y_i").alias("Count among detractors"),
        pl.col("y_j").alias("Count among promoters"), pl.col("delta").alias("Log-odds ratio"),
        (-pl.col("z")).alias(SIGNED_Z), pl.col("p_value").alias("p-value"),
        pl.col("q_value").alias("q-value (false discovery rate)"),
        pl.col("significant").alias("Significant"),
    )  # fmt: skip


def terms_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the distinguishing-terms chart says, from its table: the three strongest
    significant terms of each side (or that none sets a side apart)."""
    return tuple(
        claims.strongest(
            table,
            "Term",
            SIGNED_Z,
            3,
            phrase="writes",
            where=[(SIDE, side)],
            values={"who": side},
        )
        for side in ("detractors", "promoters")
    )


def trend_claims(table: pl.DataFrame, first: str, last: str) -> tuple[Claim, ...]:
    """What the topic trend says, from its table: the significant move that is largest, else
    that none of the topics moved significantly."""
    moved = table.filter(pl.col("Significant change").fill_null(False))
    if moved.height:
        topic = str(moved.sort(pl.col(TREND_CHANGE).abs(), descending=True)["Topic"][0])
        before = claims.figure(table, "Topic", topic, "Share %", "pct", [("Wave", first)])
        after = claims.figure(table, "Topic", topic, "Share %", "pct", [("Wave", last)])
        if before is not None and after is not None:
            return (
                claims.Change(
                    "Topic", "Share %", topic, before, after, first, last, True,
                    flag="Significant change",
                ),
            )  # fmt: skip
    tested = table.filter(pl.col(TREND_CHANGE).is_not_null())["Topic"].to_list()
    if not tested:
        return (claims.statement("no_trend"),)
    return (claims.Steady("Topic", "Share %", tuple(tested), first, last, "most mentioned topics"),)


def brand_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the topics-by-brand heatmap says, from its table: the significant cell with the
    largest gap, in the direction of its sign; else that no brand differs."""
    sig = claims.reportable(table, "Gap (points)").filter(pl.col("Significant").fill_null(False))
    if sig.height:
        row = sig.sort(pl.col("Gap (points)").abs(), descending=True).row(0, named=True)
        topic = str(row["Topic"])
        said = claims.contrast(
            table, "Brand", str(row["Brand"]), "Gap (points)", phrase="brand_mentions",
            quotes=[(str(row["Brand"]), "Share %", "pct"), (str(row["Brand"]), "Other brands %", "pct")],
            where=[("Topic", topic)], values={"item": topic},
        )  # fmt: skip
        if said is not None:
            return (said,)
    return (claims.tally(table, "Brand", "Gap (points)", noun="pairs", phrase="brand_topics"),)
