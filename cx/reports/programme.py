"""CX programme: how mature the organisation's CX programme is, beside the published studies.

A self-assessment of 24 statements (:mod:`cx.models.maturity`) gives a stage (1-5), a score
per competency and the gap to the next stage. Beside it, each on its own terms and never
averaged together (:mod:`cx.models.studies`): the Qualtrics XM Institute's distribution of
organisations over the five stages, IBM's Elite / Pro / Amateur shares for the practices the
assessment asks about, and Capgemini's executive figures on CX strategy. The sidebar's dataset
gives the organisation's customers (NPS, journey stages) beside its maturity: side by side,
not cause and effect.

:func:`evaluate` is the one function the page and ``python -m cx maturity`` call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import programme as figures
from cx.charts import theme
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, Finding, Kpi, SlideTable, native_columns, native_pivot
from cx.metrics import measures
from cx.models import assessments, maturity, studies
from cx.reports.base import Choice, Pick, Report, Runner, Source, Summary
from cx.reports.common import INDUSTRIES_IN_FILTERS, PCT_FORMAT, nps_trend_chart, stage_chart
from cx.reports.programme_headlines import (
    COMPETENCY,
    GROUP,
    MEAN,
    ORGANISATION,
    ORGANISATIONS,
    SAVED,
    SCORE,
    SCORE_FORMAT,
    SHARE,
    STAGE,
    STAGE_NUMBER,
    TREND_MEAN,
    capgemini_claims,
    competency_claims,
    competency_table,
    practice_table,
    practices_claims,
    saved_labels,
    stage_claims,
    stage_table,
    trend_claims,
)

KEY = "programme"
#: Said wherever customers' figures stand beside the programme's maturity.
NOT_CAUSAL = (
    "Side by side, not cause and effect: customers' scores move for many reasons, and this "
    "page does not claim that the programme's stage drives them."
)
#: Said beside the Qualtrics distribution.
STAGE_CAVEAT = (
    "The stage names are Qualtrics XM Institute's; the statements and the rule are cxbench's "
    "own, not the institute's assessment, so read the comparison as indicative."
)
#: How each kind of this page's numbers opens a subtitle.
PUBLISHED = theme.PROVENANCE["published"].short
ASSESSED = theme.PROVENANCE["assessment"].short


@dataclass(frozen=True)
class Evaluation:
    """A scored self-assessment with the published studies beside it.

    Attributes:
        scores: stage, competency scores, gap, missing and invalid answers.
        qualtrics: the published distribution over the stages (empty without its figures).
        ibm: IBM's practices with the Elite / Pro / Amateur shares and the organisation's answer.
        capgemini: Capgemini's executive figures with the organisation's answer.
        next: the practices to adopt next (:data:`cx.models.maturity.NEXT_RULE`).
    """

    scores: maturity.Scores
    qualtrics: tuple[studies.StageShare, ...]
    ibm: tuple[studies.PracticeRow, ...]
    capgemini: tuple[studies.PracticeRow, ...]
    next: tuple[maturity.NextPractice, ...]


def evaluate(answers: maturity.Answers | Mapping[str, Any]) -> Evaluation:
    """Score answers (by statement id) and set the published studies beside them."""
    read = answers if isinstance(answers, maturity.Answers) else maturity.read_answers(answers)
    scores = maturity.score(read)
    return Evaluation(
        scores,
        studies.qualtrics_distribution(),
        studies.beside(studies.IBM_PRACTICES, scores.answers),
        studies.beside(studies.CAPGEMINI_PRACTICES, scores.answers),
        maturity.next_practices(scores),
    )


@dataclass(frozen=True)
class ProgrammeResult:
    """The page's result.

    Attributes:
        options: statistical options (for the customers' figures).
        selection: the sidebar's selection (the customers beside the programme).
        evaluation: the scored assessment and the studies (:func:`evaluate`).
        code: the answers as the link's short code (:func:`cx.models.maturity.encode`).
        saved: the saved assessment shown (opened by its id), or None.
        notices: one line per answer of the link that could not be used.
        by_wave: the customers' NPS per wave (survey sample).
        latest: the latest reportable wave's NPS row, or None.
        change: latest wave against the previous one, or None.
        overall: NPS of the whole selection, or None.
        stages: satisfaction per journey stage (survey sample).
        choices: none: the answers are checked here, not as options of a pick.
    """

    options: Options
    selection: Selection
    evaluation: Evaluation
    code: str
    saved: assessments.Saved | None
    notices: tuple[str, ...]
    by_wave: pl.DataFrame
    latest: dict[str, Any] | None
    change: measures.WaveChange | None
    overall: dict[str, Any] | None
    stages: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    answers: str | None = None,
    assessment: str | None = None,
) -> ProgrammeResult:
    """The assessment of the link (a saved one by id, else the answers' code) and the
    customers of the selection."""
    notices: list[str] = []
    saved = assessments.load(run, assessment) if assessment else None
    if assessment and saved is None:
        notices.append(
            "the saved assessment in the link does not exist here (deleted, or another server)"
        )
    if saved is not None:
        read = maturity.Answers(saved.answers)
    elif answers:
        read = maturity.decode(answers)
        notices.extend(read.problems)
    else:
        read = maturity.Answers({})
    evaluation = evaluate(maturity.Answers(read.values))
    sums = measures.breakdowns(run, sel, ("wave",), ("all",))
    by_wave = measures.nps_ranked(sums.nps("wave"), opts).sort("wave")
    stages = measures.stage_by(run, sel, "all", opts)
    if not stages.is_empty():
        stages = stages.filter(pl.col("item") != "price_transparency")
    return ProgrammeResult(
        options=opts,
        selection=sel,
        evaluation=evaluation,
        code=maturity.encode(evaluation.scores.answers),
        saved=saved,
        notices=tuple(notices),
        by_wave=by_wave,
        latest=measures.latest_wave(by_wave),
        change=measures.wave_change(by_wave, opts),
        overall=measures.overall_nps(sums.nps("all"), opts),
        stages=stages,
    )


# --------------------------------------------------------------------------------------------
# Headlines: small functions of the result, so each word can be checked against the data
# --------------------------------------------------------------------------------------------


def stage_words(scores: maturity.Scores) -> str:
    """``stage 2 (Initiate)``, or that there is no stage yet."""
    if scores.stage is None:
        return "no stage yet"
    return f"stage {scores.stage.number} ({scores.stage.name})"


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def _competency_chart(e: Evaluation) -> Chart:
    scores = e.scores
    holding = {k for k, _ in scores.gap.holding} if scores.gap else set()
    rows = scores.competencies
    labels = [c.competency.label for c in rows]
    values = [c.score for c in rows]
    notes = [f"not scored: {c.answered} of {c.total} answered" for c in rows]
    colours = [
        theme.HIGHLIGHT if c.competency.key in holding else theme.SELF_ASSESSED for c in rows
    ]
    marks: list[tuple[float, str]] = []
    if scores.gap is not None and scores.stage is not None:
        marks.append(
            (
                float(scores.stage.floor),
                f"stage {scores.gap.to.number} needs each ≥ {float(scores.stage.floor):g}",
            )
        )
    if scores.mean is not None:
        marks.append((scores.mean, f"mean {scores.mean:.2f}"))
    table = competency_table(scores)
    said = competency_claims(table, scores)
    title = headline(said)
    subtitle = (
        f"{ASSESSED} · {len(scores.answers)} of {len(maturity.STATEMENTS)} statements "
        "answered · each competency: the mean of its four answers (1-5)"
        + (" · highlighted: holding the stage back" if holding else "")
    )
    return Chart(
        "programme_competencies", title, subtitle,
        figures.competency_bars(labels, values, notes, colours, marks, title, subtitle),
        table, kind="assessment", label="Competency scores",
        formats={SCORE: SCORE_FORMAT, MEAN: SCORE_FORMAT},
        native=native_columns(
            table, COMPETENCY, [(SCORE, SCORE)], "bar", blank=None,
            number_format=SCORE_FORMAT, colours=colours, value_title=SCORE,
            value_range=figures.SCALE_RANGE,
        ),
        claims=said,
    )  # fmt: skip


def _stage_chart(e: Evaluation) -> Chart | None:
    dist = e.qualtrics
    source = studies.qualtrics_source()
    if not dist or source is None:
        return None
    stage = e.scores.stage
    yours = next((i for i, s in enumerate(dist) if stage and stage.number in s.stages), None)
    labels = [s.label for s in dist]
    table = stage_table(dist, stage)
    said = stage_claims(table, dist, stage)
    title = headline(said)
    derived = [s for s in dist if s.figure_id is None]
    subtitle = (
        f"{PUBLISHED} · {source.citation} · {source.base} at large organisations · "
        + (f"your stage: self-assessment, {stage_words(e.scores)}" if stage else "your stage: not scored yet")
    )  # fmt: skip
    notes = [STAGE_CAVEAT] + [f"{s.label}: {s.note}." for s in derived]
    colours = [theme.HIGHLIGHT if i == yours else theme.PUBLISHED for i in range(len(dist))]
    you = f"You: stage {stage.number}" if stage else ""
    return Chart(
        "programme_stage", title, subtitle,
        figures.stage_distribution(labels, [s.value for s in dist], yours,
                                   [s.figure_id is None for s in dist], you, title, subtitle),
        table, kind="published", notes=notes, label="Stages (Qualtrics)",
        native=native_columns(table, STAGE, [(SHARE, SHARE)],
                              "column", blank=None, number_format=PCT_FORMAT, colours=colours,
                              value_title=SHARE, value_range=(0, 100)),
        claims=said,
    )  # fmt: skip


def _practice_chart(
    key: str, rows: tuple[studies.PracticeRow, ...], groups: tuple[str, ...],
    said: Callable[[pl.DataFrame], tuple[Claim, ...]], subtitle: str, label: str,
    notes: list[str],
) -> Chart | None:  # fmt: skip
    """A study's practices beside the organisation's answers; ``said`` makes the headline's
    claims from the chart's table."""
    if not rows:
        return None
    cats = [r.practice.label for r in rows]
    series = {g: [r.shares[g].value if g in r.shares else None for r in rows] for g in groups}
    colours = {g: theme.ARCHETYPE_COLOURS.get(g, theme.PUBLISHED) for g in groups}
    you = [studies.you_phrase(r) for r in rows]
    table = practice_table(rows, groups)
    found = said(table)
    title = headline(found)
    native_cats = [f"{c} ({y})" for c, y in zip(cats, you, strict=True)]
    long = table.with_columns(pl.Series("Category", [f"{r['Practice']} ({y})" for r, y in zip(table.iter_rows(named=True), [y for y in you for _ in groups], strict=True)]))  # fmt: skip
    return Chart(
        key, title, subtitle,
        figures.practice_bars(cats, you, series, colours, title, subtitle),
        table, kind="published", notes=notes, label=label,
        native=native_pivot(long, "Category", GROUP, SHARE,
                            "clustered_bar" if len(groups) > 1 else "bar", blank=None,
                            category_order=native_cats, series_order=list(groups),
                            number_format=PCT_FORMAT, value_title=SHARE,
                            series_colours=[colours[g] for g in groups], value_range=(0, 100)),
        claims=found,
    )  # fmt: skip


def _ibm_chart(e: Evaluation) -> Chart | None:
    if not e.ibm:
        return None
    first = e.ibm[0]
    elite = studies.cited("ibm_elite_share")
    subtitle = (
        f"{PUBLISHED} · {first.citation} · {first.base}"
        + (f", {display.published(elite.value)} of them Elite" if elite else "")
        + f" · share of each group doing it · you: your answer, {maturity.DOES_IT}-"
        f"{maturity.HIGHEST} reads yes, {maturity.LOWEST}-{maturity.DOES_NOT} not yet"
    )
    notes = [
        f"{p.practice.label}, {g}: {text}." for p in e.ibm for g, text in p.unpublished.items()
    ]
    leader = studies.ARCHETYPES[0]
    return _practice_chart("programme_ibm", e.ibm, studies.ARCHETYPES,
                           lambda table: practices_claims(table, leader), subtitle,
                           "Practices (IBM)", notes)  # fmt: skip


def _capgemini_chart(e: Evaluation) -> Chart | None:
    if not e.capgemini:
        return None
    first = e.capgemini[0]
    subtitle = (
        f"{PUBLISHED} · {first.citation} · {first.base} · executive summary · you: your answer "
        "to the matching statement"
    )
    return _practice_chart("programme_capgemini", e.capgemini, (ORGANISATIONS,),
                           lambda table: capgemini_claims(table, e.capgemini), subtitle,
                           "Strategy (Capgemini)", [])  # fmt: skip


def customer_charts(r: ProgrammeResult, source: Source) -> list[Chart]:
    """The customers of the sidebar's dataset: NPS by wave and the journey stages."""
    out = [
        nps_trend_chart(
            "programme_nps", r.by_wave, r.latest, r.change, source, r.options, INDUSTRIES_IN_FILTERS
        ),
        stage_chart(r.stages, source.survey, r.options, INDUSTRIES_IN_FILTERS),
    ]
    return [c for c in out if c is not None]


def charts(r: ProgrammeResult, source: Source) -> list[Chart]:
    """Competency scores, the stage beside Qualtrics, the practices beside IBM and Capgemini,
    then the customers of the sidebar's dataset."""
    e = r.evaluation
    out = [_competency_chart(e), _stage_chart(e), _ibm_chart(e), _capgemini_chart(e)]
    return [c for c in out if c is not None] + customer_charts(r, source)


# --------------------------------------------------------------------------------------------
# Saved assessments over time
# --------------------------------------------------------------------------------------------


def trend_chart(saved: list[assessments.Saved], organisation: str) -> Chart | None:
    """Stage and competency scores over an organisation's saved assessments (None with fewer
    than two)."""
    if len(saved) < 2:
        return None
    points = [(s, maturity.score(maturity.Answers(s.answers))) for s in saved]
    x = saved_labels([s.when for s, _ in points])
    lines: dict[str, list[float | None]] = {
        c.short: [sc.competencies[i].score for _, sc in points]
        for i, c in enumerate(maturity.COMPETENCIES)
    }
    lines[TREND_MEAN] = [sc.mean for _, sc in points]
    colours = {
        c.short: theme.SERIES[i % len(theme.SERIES)] for i, c in enumerate(maturity.COMPETENCIES)
    }
    colours[TREND_MEAN] = theme.SELF_ASSESSED
    bands = [(float(s.floor), f"{s.number} {s.name}") for s in maturity.STAGES[1:]]
    table = pl.DataFrame(
        {
            ORGANISATION: [organisation] * len(points),
            SAVED: x,
            STAGE: [sc.stage.label if sc.stage else "not scored" for _, sc in points],
            STAGE_NUMBER: [sc.stage.number if sc.stage else None for _, sc in points],
            **lines,
        },
        schema_overrides={STAGE_NUMBER: pl.Int64, **dict.fromkeys(lines, pl.Float64)},
    )
    said = trend_claims(table, organisation)
    title = headline(said)
    subtitle = (
        f"{ASSESSED} · saved assessments of {organisation}, oldest first · faint lines: where "
        "each stage's band starts"
    )
    long = table.unpivot(on=list(lines), index=SAVED, variable_name="Score", value_name="Value")
    return Chart(
        "programme_trend", title, subtitle,
        figures.score_lines(x, lines, colours, bands, title, subtitle),
        table, kind="assessment", label="Maturity over time",
        native=native_pivot(long, SAVED, "Score", "Value", "line", blank=None,
                            category_order=x, series_order=list(lines), number_format=SCORE_FORMAT,
                            value_title=SCORE, series_colours=[colours[k] for k in lines],
                            value_range=figures.SCALE_RANGE),
        claims=said,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Key figures, findings and the deck
# --------------------------------------------------------------------------------------------


def gap_text(scores: maturity.Scores) -> str:
    """What the next stage needs, in a sentence."""
    gap = scores.gap
    if scores.stage is None:
        return "Answer every statement to get a stage."
    if gap is None:
        return "Stage 5 (Embed) is the highest stage."
    parts = []
    if gap.points:
        parts.append(
            f"{gap.points} more answer points across the statements (mean {gap.mean_needed:g})"
        )
    for key, points in gap.holding:
        label = maturity.COMPETENCY_BY_KEY[key].label
        parts.append(
            f"{points} more answer point{'s' if points != 1 else ''} in {label} (each "
            f"competency at least {float(scores.stage.floor):g})"
        )
    return f"Stage {gap.to.number} ({gap.to.name}) needs " + display.join(parts) + "."


def gap_note(scores: maturity.Scores) -> str:
    """What the next stage needs, in a few words (a key figure's note)."""
    gap = scores.gap
    if gap is None:
        return "the highest stage" if scores.stage else "answer every statement"
    parts = [f"+{gap.points} answer points (mean {gap.mean_needed:g})"] if gap.points else []
    parts += [f"{maturity.COMPETENCY_BY_KEY[k].short} +{p}" for k, p in gap.holding]
    return f"{gap.to.name}: " + "; ".join(parts)


def kpis(r: ProgrammeResult) -> tuple[Kpi, ...]:
    """Stage, mean score, the gap to the next stage and how much is answered."""
    s = r.evaluation.scores
    answered = f"{len(s.answers)} of {len(maturity.STATEMENTS)}"
    return (
        Kpi("Stage", s.stage.label if s.stage else "not scored", "self-assessment" if s.stage else f"not scored: {len(s.unscored)} of {len(maturity.COMPETENCIES)} competencies"),
        Kpi("Mean score", f"{s.mean:.2f}" if s.mean is not None else "–", "of 5, the mean of the six competencies"),
        Kpi("Next stage", f"stage {s.gap.to.number}" if s.gap else ("reached" if s.stage else "–"), gap_note(s)),
        Kpi("Answered", answered, "statements"),
    )  # fmt: skip


def customer_kpis(r: ProgrammeResult) -> tuple[Kpi, ...]:
    """The programme's stage beside the customers at a glance: NPS of the selection with its
    interval, the weakest journey stage."""
    stage = r.evaluation.scores.stage
    out = [Kpi("Programme stage", stage.label if stage else "not scored", "self-assessment")]
    overall = r.overall
    if overall is not None and not overall["suppressed"]:
        interval = f"{r.options.interval} {display.interval(overall['ci_low'], overall['ci_high'])}"
        out.append(
            Kpi(
                "Customers' NPS",
                display.nps(overall["nps"]),
                f"{interval} · {display.n(overall['n'])}",
            )
        )
    shown = r.stages.filter(~pl.col("suppressed")).sort("top2_pct") if r.stages.height else r.stages
    if shown.height:
        worst = shown.row(0, named=True)
        out.append(
            Kpi(
                "Weakest journey stage",
                display.pct(worst["top2_pct"]),
                f"{worst['label']} · satisfied",
            )
        )
    return tuple(out)


def next_table(e: Evaluation) -> pl.DataFrame:
    """The practices to adopt next with their answer and the published evidence."""
    rows = []
    for p in e.next:
        found = studies.evidence(p.statement)
        rows.append({
            "Practice": p.statement.practice,
            "Competency": maturity.COMPETENCY_BY_KEY[p.statement.competency].label,
            "Your answer (1-5)": p.answer,
            "Holds the stage back": "yes" if p.holds_stage else "no",
            "What the studies found": "; ".join(f"{x.text} ({x.citation})" for x in found) or "–",
        })  # fmt: skip
    return (
        pl.DataFrame(rows, schema_overrides={"Your answer (1-5)": pl.Int64})
        if rows
        else pl.DataFrame()
    )


def summary(r: ProgrammeResult) -> Summary:
    """Key figures, the headlines and the practices to adopt next, for the deck."""
    e = r.evaluation
    competencies = competency_table(e.scores)
    checked = [
        Finding(competency_claims(competencies, e.scores), competencies, "Competency scores")
    ]
    if e.qualtrics:
        stages = stage_table(e.qualtrics, e.scores.stage)
        said = stage_claims(stages, e.qualtrics, e.scores.stage)
        checked.insert(0, Finding(said, stages, "Stages (Qualtrics)"))
    if e.ibm:
        practices = practice_table(e.ibm, studies.ARCHETYPES)
        checked.append(
            Finding(
                practices_claims(practices, studies.ARCHETYPES[0]), practices, "Practices (IBM)"
            )
        )
    table = next_table(e)
    tables = (
        (SlideTable(f"The {table.height} practices to adopt next", table,
                    f"Rule: {maturity.NEXT_RULE} Evidence: published figures, with their source.",
                    kicker="NEXT PRACTICES"),)
        if table.height else ()
    )  # fmt: skip
    return Summary.of(kpis(r), tuple(checked), tables)


REPORT: Report[ProgrammeResult] = Report(
    key=KEY,
    title="CX programme maturity",
    nav="CX programme",
    icon=":material/stairs:",
    section="Programme",
    lead=(
        "Where your CX programme stands: a self-assessment of 24 statements, beside the "
        "published studies of Qualtrics, IBM and Capgemini, and beside your customers."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("answers", "Answers", help="One character per statement: 1-5, or - unanswered."),
        Pick("assessment", "Saved assessment"),
    ),
    summary=summary,
)
