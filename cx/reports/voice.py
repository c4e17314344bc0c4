"""Voice of the customer: what people write in open answers, in any language.

Topics (the taxonomy of ``data/topics.csv``) by NPS group, the NPS of those who mention a
topic against those who do not, the terms that distinguish detractors from promoters, topics
by brand, journey stage and wave, candidate topics the taxonomy misses, and example comments.
Everything is read from summary cells built at ingest, except the examples (a bounded query).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from cx.charts import figures, theme
from cx.charts import voice as voice_figures
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display, i18n
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.schema import ITEM_LABELS
from cx.core.selection import Selection
from cx.data import sql
from cx.data.sql import Read
from cx.exports.chart import Chart, Kpi, SlideTable, native_columns, native_pivot
from cx.metrics import kept, measures, stats
from cx.reports.base import Choice, Pick, Report, Runner, Source, Summary, one_of
from cx.reports.common import NPS_FORMAT, PCT_FORMAT, column_formats, human_table
from cx.reports.voice_claims import (
    BRAND,
    NPS_GROUP,
    TOPIC,
    WAVE,
    brand_claims,
    group_claims,
    group_human,
    impact_claims,
    impact_table,
    terms_claims,
    terms_table,
    trend_claims,
)
from cx.text import distinguish, summary, topics
from cx.text import language as languages

ALL = "all"
#: Example comments shown (a bounded query: LIMIT, bound parameters).
EXAMPLES = 12
#: Longest text displayed; longer answers are kept whole in the database but clipped here.
DISPLAY_CHARS = 5_000
#: Topics in the trend chart and brands in the heatmap.
TREND_TOPICS = 5
MAX_BRANDS = 20
#: Distinguishing terms shown per side.
TERMS_PER_SIDE = 10
GROUP_ORDER = tuple(display.NPS_GROUPS)
GROUP_COLOURS = theme.NPS_GROUP_COLOURS
SHARE_TITLE = N_("Share of commenters mentioning it (%)")
#: The candidate topics' axis: how many comments each theme holds.
COMMENTS = display.COLUMN_NAMES["comments"]


@dataclass(frozen=True)
class VoiceResult:
    """What comments say in the selection.

    Attributes:
        options: statistical options.
        selection: the selection shown.
        language: the language shown (ISO 639-1), or None for all languages.
        comments: non-empty comments in the selection and language.
        commenters: respondents who wrote at least one of them.
        respondents: respondents in the selection (with or without a comment).
        languages: comments per language (``language``, ``comments``), most first.
        topics: per topic: mentions, share of commenters with interval, NPS of those who
            mention it and of the other commenters, ``gap`` with its interval, ``p_value``,
            ``significant`` (:func:`cx.text.summary.topic_table`).
        by_group: share of each NPS group's commenters mentioning each topic, with the
            detractor-promoter ``gap`` and its test (:func:`cx.text.summary.group_shares`).
        by_stage: the same for journey stages (a respondent mentioning any topic of it).
        by_brand: topic share per brand against the other brands, for the brands shown (at
            least ``min_n`` commenters, the ``MAX_BRANDS`` largest), their cells one family.
        brands_answering: the brands with at least ``min_n`` commenters (those it could show).
        by_wave: topic share per wave.
        terms: distinguishing terms per language (log-odds with informative Dirichlet prior).
        candidates: candidate topics found in comments the taxonomy does not cover.
        examples: a stable sample of comments (masked, clipped to ``DISPLAY_CHARS``).
        example_topic, example_group: the filters of the examples (None: any).
        choices: the page's resolved picks.
    """

    options: Options
    selection: Selection
    language: str | None
    comments: int
    commenters: int
    respondents: int
    languages: pl.DataFrame
    topics: pl.DataFrame
    by_group: pl.DataFrame
    by_stage: pl.DataFrame
    by_brand: pl.DataFrame
    by_wave: pl.DataFrame
    terms: pl.DataFrame
    candidates: pl.DataFrame
    examples: pl.DataFrame
    example_topic: str | None = None
    example_group: str | None = None
    choices: dict[str, Choice] = field(default_factory=dict)
    brands_answering: int = 0


def _choices(
    present: list[str], found: list[str], language: str | None, topic: str | None, group: str | None
) -> dict[str, Choice]:
    lang = one_of(language, [ALL, *present], ALL) or ALL
    top = one_of(topic, [ALL, *found], ALL) or ALL
    grp = one_of(group, [ALL, *GROUP_ORDER], ALL) or ALL
    return {
        "language": Choice((ALL, *present), lang, {ALL: _("All languages"), **{c: languages.name(c) for c in present}}),
        "topic": Choice((ALL, *found), top, {ALL: _("All topics"), **{k: topics.label(k) for k in found}}),
        "group": Choice((ALL, *GROUP_ORDER), grp, {ALL: _("Everyone"), **{g: summary.group_name(g) for g in GROUP_ORDER}}),
    }  # fmt: skip


def _examples_read(
    sel: Selection, language: str | None, topic: str | None, group: str | None
) -> Read:
    """The example comments' query: a stable sample of the selection's comments in
    ``language``, mentioning ``topic``, of NPS group ``group`` (None: any of each)."""
    params = sel.params(
        language=language, topic=topic, nps_group=group, limit=EXAMPLES, max_chars=DISPLAY_CHARS
    )
    return "example_comments", params


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    language: str | None = None,
    topic: str | None = None,
    group: str | None = None,
) -> VoiceResult:
    """Topics, their NPS impact, distinguishing terms and example comments of the selection."""
    # the language asked for is the one shown when the data have it: the breakdowns by
    # brand and wave are read within it in the same query (a language not in the data
    # falls back to all languages, read again)
    asked = language if language in languages.LANGUAGES else None
    bys = ("language", "brand", "wave")
    # the examples of the picks as asked, read beside the topics: the picks are checked against
    # the data only after the topics are read, and a pick the data lack is read again
    likely = _examples_read(
        sel,
        asked,
        topic if topic in topics.taxonomy() else None,
        group if group in GROUP_ORDER else None,
    )
    sql.prefetch(
        run,
        [summary.topic_breakdowns_read(sel, bys, asked), measures.nps_read(sel, ALL), likely],
    )
    read = summary.topic_breakdowns(run, sel, bys, asked)
    by_language = read["language"]
    totals = by_language.filter(pl.col("kind") == "all")
    present = [c for c in languages.LANGUAGES if c in set(totals["grp"].drop_nulls().to_list())]
    found = [k for k in topics.taxonomy() if k in set(by_language["topic"].to_list())]
    choices = _choices(present, found, language, topic, group)
    lang = None if choices["language"].value == ALL else str(choices["language"].value)
    if lang != asked:
        read = summary.topic_breakdowns(run, sel, ("brand", "wave"), lang)
    chosen_topic = None if choices["topic"].value == ALL else str(choices["topic"].value)
    chosen_group = None if choices["group"].value == ALL else str(choices["group"].value)
    overall = measures.nps_sums(run, sel, ALL)
    examples = run(*_examples_read(sel, lang, chosen_topic, chosen_group))
    terms = summary.terms(run, sel.dataset, lang, opts)
    candidates = run("topic_candidates", {"dataset": sel.dataset, "language": lang})
    key = kept.fingerprint(read, by_language, overall, terms, candidates, sel, lang, opts)
    shared = _STATISTICS.get(
        (key, i18n.language()),
        lambda: _statistics(read, by_language, totals, overall, terms, candidates, sel, lang, opts),
    )
    return dataclasses.replace(
        shared, examples=examples, example_topic=chosen_topic, example_group=chosen_group,
        choices=choices,
    )  # fmt: skip


def _statistics(
    read: dict[str, pl.DataFrame], by_language: pl.DataFrame, totals: pl.DataFrame,
    overall: pl.DataFrame, terms: pl.DataFrame, candidates: pl.DataFrame, sel: Selection,
    lang: str | None, opts: Options,
) -> VoiceResult:  # fmt: skip
    """What the page shows of the selection's comments in ``lang`` but the examples: what the
    topic and NPS-group picks (which choose the examples) do not change."""
    mine = totals if lang is None else totals.filter(pl.col("grp") == lang)
    sums = summary.pooled(by_language, lang)
    by_brand = summary.shares_by(read["brand"], opts)
    answering = summary.answering(by_brand, opts.min_n)
    return VoiceResult(
        options=opts,
        selection=sel,
        language=lang,
        comments=int(mine["comments"].sum() or 0),
        commenters=int(mine["n"].sum() or 0),
        respondents=int(overall["n"].sum() or 0) if overall.height else 0,
        languages=totals.select(pl.col("grp").alias("language"), "comments").sort("comments", descending=True),
        topics=summary.topic_table(sums, opts),
        by_group=summary.group_shares(sums, "topic", opts),
        by_stage=summary.group_shares(sums, "stage", opts),
        by_brand=summary.shown(by_brand, answering[:MAX_BRANDS], opts),
        brands_answering=len(answering),
        by_wave=summary.shares_by(read["wave"], opts),
        terms=terms,
        candidates=candidates,
        examples=pl.DataFrame(),
    )  # fmt: skip


#: :func:`_statistics` by the content they are made from, the selection and the language:
#: another topic or NPS group picked (another set of examples) computes nothing again.
_STATISTICS: kept.Kept[VoiceResult] = kept.Kept(32, per_selection=True)


def _tested(table: pl.DataFrame, column: str = "p-value") -> int:
    """How many tests a chart's family has (rows with a p-value)."""
    return int(table[column].is_not_null().sum()) if column in table.columns else 0


def _languages(r: VoiceResult) -> str:
    """The comments' language shown: all, or the one picked."""
    return _("all languages") if r.language is None else languages.name(r.language)


def _base(r: VoiceResult, source: Source) -> str:
    return _("{source} · {count} respondents who commented ({languages})").format(
        source=source.survey, count=display.count(r.commenters), languages=_languages(r)
    )


def group_table(r: VoiceResult, kind: str) -> pl.DataFrame:
    """Shares of each NPS group mentioning each topic (or stage), with the detractor-promoter
    gap and its test, in the chart's order and with human column names."""
    long = r.by_group if kind == "topic" else r.by_stage
    if long.is_empty():
        return pl.DataFrame()
    order = (
        list(r.topics["topic"].to_list())
        if kind == "topic" and not r.topics.is_empty()
        else [s for s in ITEM_LABELS if s in set(long["topic"].to_list())]
    )
    return (
        long.with_columns(pl.col("topic").cast(pl.Enum(order)))
        .sort("topic")
        .with_columns(pl.col("topic").cast(pl.String))
    )


def _group_chart(r: VoiceResult, source: Source, kind: str) -> Chart | None:
    long = group_table(r, kind)
    if long.is_empty():
        return None
    table = group_human(long, kind)
    said = group_claims(table, kind)
    title = headline(said)
    tested = _tested(claims.narrowed(table, {NPS_GROUP: summary.group_name("detractor")}))
    what = (
        _("share of each NPS group's commenters mentioning the topic, whiskers: {interval}")
        if kind == "topic"
        else _(
            "share of each NPS group's commenters mentioning a topic of the stage, whiskers: {interval}"
        )
    ).format(interval=r.options.interval)
    nouns = _("topics") if kind == "topic" else _("stages")
    gaps = _("detractor-promoter gaps {significance}").format(
        significance=r.options.controlled(tested, nouns, summary.FDR)
    )
    subtitle = f"{_base(r, source)} · {what} · {gaps}"
    labels = long["label"].unique(maintain_order=True).to_list()
    key = "topic_nps_groups" if kind == "topic" else "stage_mentions"
    return Chart(
        key,
        title,
        subtitle,
        figures.grouped_bars(
            long, "label", "group", "share_pct", title, subtitle, value_title=_(SHARE_TITLE),
            suffix="%", category_order=labels,
            colours={summary.group_name(g): c for g, c in GROUP_COLOURS.items()},
            lo="share_low", hi="share_high",
        ),
        table,
        label=_("Topics by NPS group") if kind == "topic" else _("Stages by NPS group"),
        native=native_pivot(
            long, "label", "nps_group", "share_pct", "clustered_column",
            category_order=labels, series_order=list(GROUP_ORDER),
            series_names=[summary.group_name(g) for g in GROUP_ORDER],
            series_colours=[GROUP_COLOURS[g] for g in GROUP_ORDER],
            interval=("share_low", "share_high"), number_format=PCT_FORMAT, value_title=_(SHARE_TITLE),
        ),
        claims=said,
    )  # fmt: skip


def _impact(r: VoiceResult, source: Source) -> Chart | None:
    t = r.topics
    if t.is_empty():
        return None
    table = impact_table(t)
    said = impact_claims(table)
    title = headline(said)
    subtitle = _(
        "{base} · NPS of commenters mentioning the topic minus NPS of those who do not, "
        "whiskers: {interval} of the difference · coloured where {significance}"
    ).format(
        base=_base(r, source),
        interval=r.options.interval,
        significance=r.options.controlled(_tested(table), _("topics"), summary.FDR),
    )
    value_title = _("NPS gap vs not mentioning (points)")
    return Chart(
        "topic_nps_impact",
        title,
        subtitle,
        voice_figures.gap_bars(t, "label", "gap", "gap_low", "gap_high", title, subtitle, value_title, r.options.level),
        table,
        label=_("NPS impact of topics"),
        native=native_columns(
            t.sort("gap", nulls_last=True), "label", [(value_title, "gap")], "bar",
            interval=("gap_low", "gap_high"), number_format=NPS_FORMAT, value_title=value_title,
            colours=[theme.significance(s, g, x).colour for s, g, x in t.sort("gap", nulls_last=True).select("significant", "gap", "suppressed").iter_rows()],
        ),
        claims=said,
    )  # fmt: skip


def top_terms(r: VoiceResult) -> pl.DataFrame:
    """The distinguishing terms shown: per side the strongest ``TERMS_PER_SIDE``; with all
    languages, the strongest of each language so a large language does not fill the list."""
    if r.terms.is_empty():
        return pl.DataFrame()
    parts = []
    for side in ("detractors", "promoters"):
        if r.language is None:
            codes = r.terms["language"].unique().to_list()
            each = max(3, TERMS_PER_SIDE // max(len(codes), 1))
            picked = (
                pl.concat(
                    [
                        summary.top_terms(r.terms.filter(pl.col("language") == c), side, each)
                        for c in codes
                    ]
                )
                .sort("side_z", descending=True)
                .head(TERMS_PER_SIDE + 2)
            )
        else:
            picked = summary.top_terms(r.terms, side, TERMS_PER_SIDE)
        parts.append(picked.with_columns(side=pl.lit(side)))
    out = pl.concat(parts)
    suffix = pl.format(" ({})", pl.col("language")) if r.language is None else pl.lit("")
    return out.with_columns(term_label=pl.concat_str(pl.col("term"), suffix))


def _terms_shown(r: VoiceResult) -> tuple[pl.DataFrame, pl.DataFrame, tuple[Claim, ...]]:
    """The distinguishing terms shown (:func:`top_terms`), their table and claims. The terms
    are the whole dataset's, not the filters', so these are kept by the terms and the
    languages for every selection and session."""

    def made() -> tuple[pl.DataFrame, pl.DataFrame, tuple[Claim, ...]]:
        shown = top_terms(r)
        if shown.is_empty():
            return shown, shown, ()
        table = terms_table(shown)
        return shown, table, terms_claims(table)

    return _TERMS_SHOWN.get((kept.digest(r.terms), r.language, i18n.language()), made)


def _terms(r: VoiceResult, source: Source) -> Chart | None:
    shown, table, said = _terms_shown(r)
    if shown.is_empty():
        return None
    title = headline(said)
    family = int(r.terms["q_value"].is_not_null().sum())
    subtitle = _(
        "{source} · the whole dataset's comments ({languages}): the filters do not apply · "
        "log-odds ratio with informative Dirichlet prior (Monroe et al. 2008), z per language · "
        "grey: not significant; coloured where {significance}"
    ).format(
        source=source.whole,
        languages=_languages(r),
        significance=r.options.controlled(family, _("terms tested"), distinguish.FDR),
    )
    value_title = _("z-score: ← detractors · promoters →")
    native_rows = shown.with_columns(signed_z=-pl.col("z"))
    return Chart(
        "distinguishing_terms",
        title,
        subtitle,
        voice_figures.diverging_terms(native_rows, title, subtitle, value_title),
        table,
        label=_("Distinguishing terms"),
        formats=column_formats(delta="0.00", signed_z="0.0"),
        native=native_columns(
            native_rows, "term_label", [(_("z-score (negative: detractors)"), "signed_z")], "bar",
            blank=None, number_format="0.0", value_title=value_title,
            colours=[(GROUP_COLOURS["detractor"] if s == "detractors" else GROUP_COLOURS["promoter"]) if sig else theme.NEUTRAL
                     for s, sig in native_rows.select("side", "significant").iter_rows()],
        ),
        claims=said,
    )  # fmt: skip


#: The distinguishing terms shown, their table and claims, by the terms and the languages.
_TERMS_SHOWN: kept.Kept[tuple[pl.DataFrame, pl.DataFrame, tuple[Claim, ...]]] = kept.Kept(32)


def _moves(r: VoiceResult, rows: pl.DataFrame) -> pl.DataFrame:
    """Each trended topic's first wave against its last, the topics one family (false
    discovery rate controlled): ``topic``, ``change``, ``q_value``, ``significant``."""
    first, last = str(rows["grp"].min()), str(rows["grp"].max())
    a = rows.filter(pl.col("grp") == first).select("topic", a="share_pct", sa="share_se")
    b = rows.filter(pl.col("grp") == last).select("topic", b="share_pct", sb="share_se")
    moves = a.join(b, on="topic").drop_nulls()
    if moves.is_empty():
        return moves.select("topic").with_columns(
            change=pl.lit(None, pl.Float64), p_value=pl.lit(None, pl.Float64),
            q_value=pl.lit(None, pl.Float64), significant=pl.lit(None, pl.Boolean),
            wave=pl.lit(last),
        )  # fmt: skip
    _diff, p, _z = stats.difference_test(
        moves["b"].to_numpy(), moves["sb"].to_numpy(), moves["a"].to_numpy(),
        moves["sa"].to_numpy(), r.options.confidence,
    )  # fmt: skip
    tested = moves.select("topic", change=pl.col("b") - pl.col("a")).with_columns(
        p_value=pl.Series(np.atleast_1d(p)).fill_nan(None)
    )
    return summary.controlled(tested, r.options).with_columns(wave=pl.lit(last))


def _trend(r: VoiceResult, source: Source) -> Chart | None:
    waves = r.by_wave
    if waves.is_empty() or waves["grp"].n_unique() < 2 or r.topics.is_empty():
        return None
    keep = r.topics["topic"].head(TREND_TOPICS).to_list()
    rows = waves.filter(pl.col("topic").is_in(keep)).sort("grp")
    first, last = str(rows["grp"].min()), str(rows["grp"].max())
    moves = _moves(r, rows)
    marked = rows.join(
        moves.select("topic", pl.col("wave").alias("grp"), "change", "q_value", "significant"),
        on=["topic", "grp"], how="left", suffix="_change",
    )  # fmt: skip
    table = human_table(
        marked.rename({"change": "wave_change", "q_value_change": "wave_change_q"}).with_columns(
            wave_change_significant=pl.col("significant_change").fill_null(False)
        ),
        ("grp", "label", "n", "share_pct", "share_low", "share_high", "suppressed", "wave_change",
         "wave_change_q", "wave_change_significant"),
        {**display.COMMENTER_COLUMNS, "grp": WAVE, "label": TOPIC},
    )  # fmt: skip
    said = trend_claims(table, first, last)
    title = headline(said)
    subtitle = _(
        "{base} · the {count} most mentioned topics by wave, whiskers: {interval} · {first} to "
        "{last} {significance}"
    ).format(
        base=_base(r, source),
        count=len(keep),
        interval=r.options.interval,
        first=first,
        last=last,
        significance=r.options.controlled(_tested(moves, "p_value"), _("topics"), summary.FDR),
    )
    order = [topics.label(k) for k in keep]
    colours = dict(zip(order, theme.SERIES, strict=False))
    return Chart(
        "topic_trend",
        title,
        subtitle,
        figures.trend(rows, "grp", "label", title, subtitle, r.options.level, y="share_pct", lo="share_low",
                      hi="share_high", y_title=_(SHARE_TITLE), colours=colours),
        table,
        label=_("Topics over waves"),
        native=native_pivot(rows, "grp", "label", "share_pct", "line", series_order=order,
                            series_colours=[colours[o] for o in order], interval=("share_low", "share_high"),
                            number_format=PCT_FORMAT, value_title=_(SHARE_TITLE)),
        claims=said,
    )  # fmt: skip


def _brands(r: VoiceResult, source: Source) -> Chart | None:
    bb = r.by_brand
    if bb.is_empty() or r.topics.is_empty():
        return None
    brands = bb["grp"].unique().sort().to_list()
    if len(brands) < 2:
        return None
    cols = r.topics["topic"].to_list()
    cell = {(row["grp"], row["topic"]): row for row in bb.iter_rows(named=True)}
    z, text = [], []
    for b in brands:
        zr: list[float | None] = []
        tr: list[str] = []
        for t in cols:
            row = cell.get((b, t))
            if row is None or row["suppressed"]:
                zr.append(None)
                tr.append("–" if row is None else _(display.TOO_SMALL))
                continue
            zr.append(row["gap"])
            tr.append(
                f"{row['share_pct']:.0f}{theme.significance(row['significant'], row['gap']).mark}"
            )
        z.append(zr)
        text.append(tr)
    table = human_table(
        bb, ("grp", "label", "n", "share_pct", "rest_pct", "gap", "p_value", "q_value", "significant", "suppressed"),
        {**display.COMMENTER_COLUMNS, "grp": BRAND, "label": TOPIC},
    )  # fmt: skip
    said = brand_claims(table)
    title = headline(said)
    pairs = r.options.controlled(_tested(table), _("brand-topic pairs"), summary.FDR)
    subtitle = _(
        "{base} · % of a brand's commenters mentioning the topic · colour: gap to the other "
        "brands (±{range} points) · {marks} {significance}"
    ).format(
        base=_base(r, source), range=f"{figures.GAP_RANGE[1]:.0f}", marks=theme.MARKS,
        significance=pairs,
    )  # fmt: skip
    if len(brands) < r.brands_answering:  # which brands, of how many
        subtitle += " · " + _("the {shown} brands with most commenters, of {all}").format(
            shown=display.count(len(brands)), all=display.count(r.brands_answering)
        )
    return Chart(
        "topic_brands",
        title,
        subtitle,
        figures.heatmap(z, [topics.label(c) for c in cols], brands, title, subtitle, text=text,
                        colorbar_title=_("points vs other brands")),
        table,
        label=_("Topics by brand"),
        claims=said,
    )  # fmt: skip


def _candidates(r: VoiceResult, source: Source) -> Chart | None:
    c = r.candidates
    if c.is_empty():
        return None
    # the chart names a theme by its three strongest terms (the table lists them all), so
    # the labels leave the bars room in a half-width card
    c = c.head(12).with_columns(
        name=pl.concat_str(
            pl.col("terms").str.split(", ").list.head(3).list.join(", "),
            pl.lit(" ("), pl.col("language"), pl.lit(")"),
        )
    )  # fmt: skip
    table = human_table(
        c.with_columns(unmatched_pct=pl.col("share") * 100),
        ("language", "terms", "comments", "unmatched_pct", "example"),
    )
    largest = claims.top(table, "terms", "comments", "count", phrase="theme")
    said: tuple[Claim, ...] = (largest,) if largest else (claims.statement("nothing"),)
    title = headline(said)
    subtitle = _(
        "{source} · the whole dataset's comments that match no topic: the filters do not apply · "
        "grouped by NMF on TF-IDF of their terms; candidates to add to data/topics.csv"
    ).format(source=source.whole)
    return Chart(
        "candidate_topics",
        title,
        subtitle,
        figures.bars(c, "name", "comments", title, subtitle, value_title=_(COMMENTS)),
        table,
        label=_("Candidate topics"),
        native=native_columns(c, "name", [(_("Unmatched comments"), "comments")], "bar", blank=None,
                              value_title=_(COMMENTS)),
        claims=said,
    )  # fmt: skip


def charts(r: VoiceResult, source: Source) -> list[Chart]:
    """Topics by NPS group, their NPS impact, distinguishing terms, trend, brands, stages and
    candidate topics (their source names the industries chosen). None shows the examples: they
    are kept by what they are made from (the result but the examples: ``kept.same_fields``; the
    source, the language), so another topic or NPS group picked draws nothing again."""
    source = source.within(r.selection.industries)

    def made() -> list[Chart]:
        out = [_group_chart(r, source, "topic"), _impact(r, source), _terms(r, source),
               _trend(r, source), _brands(r, source), _group_chart(r, source, "stage"),
               _candidates(r, source)]  # fmt: skip
        return [c for c in out if c is not None]

    alike = kept.same_fields(r, ("examples", "example_topic", "example_group", "choices"))
    return list(_CHARTS.get((*alike, source, i18n.language()), made))


_CHARTS: kept.Kept[list[Chart]] = kept.Kept(32, per_selection=True)


def clip(text: str, limit: int) -> str:
    """A comment for display: whitespace runs as one space, clipped with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


#: The columns of the example comments' table, in order.
EXAMPLE_TABLE = ("text", "language", "nps_score", "brand", "wave", "topics")


def example_table(
    r: VoiceResult, limit: int = DISPLAY_CHARS, columns: tuple[str, ...] = EXAMPLE_TABLE
) -> pl.DataFrame:
    """The example comments with human column names (clipped to ``limit`` characters); with
    no examples in the selection, the comment column alone."""
    e = r.examples
    if e.is_empty():
        return human_table(pl.DataFrame({"text": []}), columns)
    shown = pl.DataFrame(
        {
            "text": [clip(t, limit) for t in e["text"].to_list()],
            "language": [languages.name(c) for c in e["language"].to_list()],
            "nps_score": e["nps_score"],
            "brand": e["brand"],
            "wave": e["wave"],
            "topics": [
                ", ".join(topics.label(k) for k in ks or []) for ks in e["topics"].to_list()
            ],
        }
    )
    return human_table(shown, columns)


def summary_of(r: VoiceResult) -> Summary:
    """Key figures, findings and the example comments for decks."""
    kpis = [
        Kpi(_("Comments"), display.count(r.comments),
            _("from {count} respondents").format(count=display.count(r.commenters)),
            _("Non-empty open answers (blank and 'n/a' answers are not comments).")),
        Kpi(_("Commented") if r.language is None  # not "Commented 1%" of Russian comments
            else _("Commented in {language}").format(language=languages.name(r.language)),
            display.pct(100 * r.commenters / r.respondents if r.respondents else None),
            _("of {count} respondents").format(count=display.count(r.respondents)),
            _("Respondents with at least one comment, of all respondents in the selection.")),
    ]  # fmt: skip
    if not r.topics.is_empty():
        top = r.topics.row(0, named=True)
        kpis.append(
            Kpi(
                _("Most mentioned topic"),
                display.pct(top["share_pct"]),
                _("of commenters: {topic}").format(topic=top["label"]),
                _("The topic of data/topics.csv mentioned by the largest share of commenters."),
            )
        )
    findings = (
        headline(group_claims(group_human(group_table(r, "topic"), "topic"), "topic"))
        if not r.by_group.is_empty()
        else "",
        headline(impact_claims(impact_table(r.topics))) if not r.topics.is_empty() else "",
        headline(terms_claims(terms_table(top_terms(r)))) if not top_terms(r).is_empty() else "",
    )
    table = example_table(r, 160, ("text", "language", "nps_score", "topics"))
    return Summary(
        kpis=tuple(kpis),
        findings=tuple(f for f in findings if f),
        tables=(SlideTable(_("Example comments (masked)"), table.head(6), _("Personal data masked before storing; clipped to {count} characters.").format(count=160), kicker=_("VOICE OF THE CUSTOMER")),)
        if table.height else (),
    )  # fmt: skip


REPORT: Report[VoiceResult] = Report(
    key="voice",
    title=N_("Voice of the customer"),
    nav=N_("Voice"),
    icon=":material/forum:",
    section=N_("Voice"),
    lead=N_(
        "What respondents write in open answers, in any language: topics and their NPS impact, "
        "the words that set detractors apart from promoters, and example comments "
        "(personal data masked)."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("language", N_("Language"), help=N_("Analyse comments in one language or in all.")),
        Pick(
            "topic", N_("Examples about"), help=N_("Show example comments that mention this topic.")
        ),
        Pick("group", N_("Examples from"), help=N_("Show example comments of this NPS group.")),
    ),
    defaults={"language": ALL, "topic": ALL, "group": ALL},
    summary=summary_of,
    needs=("comments",),
)
