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
from cx.core import display, i18n
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, Finding, Kpi, SlideTable, native_columns, native_pivot
from cx.metrics import kept, measures
from cx.models import assessments, maturity, studies
from cx.reports.base import Choice, Pick, Report, Runner, Source, Summary, filter_values
from cx.reports.common import (
    PCT_FORMAT,
    industries_scope,
    nps_trend_chart,
    one_industry,
    stage_chart,
)
from cx.reports.programme_headlines import (
    COMPETENCY,
    GROUP,
    MEAN,
    ORGANISATION,
    ORGANISATIONS,
    PRACTICE,
    SAVED,
    SCORE,
    SCORE_FORMAT,
    SHARE,
    STAGE,
    STAGE_NUMBER,
    TREND_MEAN,
    YOUR_ANSWER,
    capgemini_claims,
    competency_claims,
    competency_table,
    organisations,
    practice_table,
    practices_claims,
    saved_labels,
    stage_claims,
    stage_name,
    stage_table,
    trend_claims,
)

KEY = "programme"
#: Said wherever customers' figures stand beside the programme's maturity.
NOT_CAUSAL = N_(
    "Side by side, not cause and effect: customers' scores move for many reasons, and this "
    "page does not claim that the programme's stage drives them."
)
#: Said beside the Qualtrics distribution.
STAGE_CAVEAT = N_(
    "The stage names are Qualtrics XM Institute's; the statements and the rule are cxbench's "
    "own, not the institute's assessment, so read the comparison as indicative."
)
#: How each kind of this page's numbers opens a subtitle.
PUBLISHED = theme.PROVENANCE["published"].short
ASSESSED = theme.PROVENANCE["assessment"].short
#: The practices table's and the next-practices table's other columns.
HOLDS_BACK, FOUND = N_("Holds the stage back"), N_("What the studies found")


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
        stages: satisfaction per journey stage (survey sample).
        scope: whose figures the customers' charts show, in words, as the Overview says it
            ("all 13 industries", "Banking": :func:`cx.reports.common.industries_scope`).
        industry: the one industry they show, named in the stage chart's title as the
            Overview names it (:func:`cx.reports.common.one_industry`), else "".
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
    stages: pl.DataFrame
    scope: str = ""
    industry: str = ""
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
            _("the saved assessment in the link does not exist here (deleted, or another server)")
        )
    if saved is not None:
        read = maturity.Answers(saved.answers)
    elif answers:
        read = maturity.decode(answers)
        notices.extend(read.problems)
    else:
        read = maturity.Answers({})
    evaluation = evaluate(maturity.Answers(read.values))
    # the Overview's reads: a switch between the two pages reads nothing new
    sql.prefetch(  # both reads at once
        run,
        [
            measures.breakdowns_read(sel, *measures.SUMMARY_BREAKDOWNS),
            measures.stage_of_industries_read(sel),
        ],
    )
    sums = measures.breakdowns(run, sel, *measures.SUMMARY_BREAKDOWNS)
    by_wave = measures.nps_ranked(sums.nps("wave"), opts).sort("wave")
    stages = measures.stage_table(measures.stage_of_industries(run, sel), "all", opts)
    known = filter_values(run, sel.dataset).get("industries", [])
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
        stages=stages,
        scope=industries_scope(known, sel),
        industry=one_industry(known, sel.industries),
    )


# --------------------------------------------------------------------------------------------
# Headlines: small functions of the result, so each word can be checked against the data
# --------------------------------------------------------------------------------------------


def stage_words(scores: maturity.Scores) -> str:
    """``stage 2 (Initiate)``, or that there is no stage yet."""
    if scores.stage is None:
        return _("no stage yet")
    return _("stage {number} ({name})").format(
        number=scores.stage.number, name=maturity.stage_name(scores.stage.name)
    )


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def _competency_chart(e: Evaluation) -> Chart:
    scores = e.scores
    holding = {k for k, _ in scores.gap.holding} if scores.gap else set()
    rows = scores.competencies
    labels = [_(c.competency.label) for c in rows]
    values = [c.score for c in rows]
    notes = [
        _("not scored: {answered} of {total} answered").format(answered=c.answered, total=c.total)
        for c in rows
    ]
    colours = [
        theme.HIGHLIGHT if c.competency.key in holding else theme.SELF_ASSESSED for c in rows
    ]
    marks: list[tuple[float, str]] = []
    if scores.gap is not None and scores.stage is not None:
        marks.append(
            (
                float(scores.stage.floor),
                _("stage {number} needs each ≥ {floor}").format(
                    number=scores.gap.to.number, floor=f"{float(scores.stage.floor):g}"
                ),
            )
        )
    if scores.mean is not None:
        marks.append((scores.mean, _("mean {score}").format(score=f"{scores.mean:.2f}")))
    table = competency_table(scores)
    said = competency_claims(table, scores)
    title = headline(said)
    subtitle = _(
        "{kind} · {answered} of {total} statements answered · each competency: the mean of its "
        "four answers (1-5)"
    ).format(kind=_(ASSESSED), answered=len(scores.answers), total=len(maturity.STATEMENTS)) + (
        " · " + _("highlighted: holding the stage back") if holding else ""
    )
    return Chart(
        "programme_competencies", title, subtitle,
        figures.competency_bars(labels, values, notes, colours, marks, title, subtitle),
        table, kind="assessment", label=_("Competency scores"),
        formats={SCORE: SCORE_FORMAT, MEAN: SCORE_FORMAT},
        native=native_columns(
            table, COMPETENCY, [(_(SCORE), SCORE)], "bar", blank=None,
            number_format=SCORE_FORMAT, colours=colours, value_title=_(SCORE),
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
    labels = [stage_name(s) for s in dist]
    table = stage_table(dist, stage)
    said = stage_claims(table, dist, stage)
    title = headline(said)
    derived = [s for s in dist if s.figure_id is None]
    subtitle = _("{kind} · {citation} · {base} at large organisations · {yours}").format(
        kind=_(PUBLISHED), citation=source.citation, base=source.base,
        yours=_("your stage: self-assessment, {stage}").format(stage=stage_words(e.scores))
        if stage else _("your stage: not scored yet"),
    )  # fmt: skip
    notes = [_(STAGE_CAVEAT)] + [
        _("{sentence}.").format(
            sentence=_("{stage}: {note}").format(stage=stage_name(s), note=s.note)
        )
        for s in derived
    ]
    colours = [theme.HIGHLIGHT if i == yours else theme.PUBLISHED for i in range(len(dist))]
    you = _("You: stage {number}").format(number=stage.number) if stage else ""
    return Chart(
        "programme_stage", title, subtitle,
        figures.stage_distribution(labels, [s.value for s in dist], yours,
                                   [s.figure_id is None for s in dist], you, title, subtitle),
        table, kind="published", notes=notes, label=_("Stages (Qualtrics)"),
        native=native_columns(table, STAGE, [(_(SHARE), SHARE)],
                              "column", blank=None, number_format=PCT_FORMAT, colours=colours,
                              value_title=_(SHARE), value_range=(0, 100)),
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
    cats = [_(r.practice.label) for r in rows]
    # the groups as the studies key them, and as the chart and the table name them
    names = {g: organisations() if g == ORGANISATIONS else g for g in groups}
    series = {
        names[g]: [r.shares[g].value if g in r.shares else None for r in rows] for g in groups
    }
    colours = {names[g]: theme.ARCHETYPE_COLOURS.get(g, theme.PUBLISHED) for g in groups}
    you = [studies.you_phrase(r) for r in rows]
    table = practice_table(rows, groups)
    found = said(table)
    title = headline(found)
    native_cats = [f"{c} ({y})" for c, y in zip(cats, you, strict=True)]
    long = table.with_columns(pl.Series("Category", [f"{r[PRACTICE]} ({y})" for r, y in zip(table.iter_rows(named=True), [y for y in you for _g in groups], strict=True)]))  # fmt: skip
    return Chart(
        key, title, subtitle,
        figures.practice_bars(cats, you, series, colours, title, subtitle),
        table, kind="published", notes=notes, label=label,
        native=native_pivot(long, "Category", GROUP, SHARE,
                            "clustered_bar" if len(groups) > 1 else "bar", blank=None,
                            category_order=native_cats, series_order=list(series),
                            number_format=PCT_FORMAT, value_title=_(SHARE),
                            series_colours=[colours[g] for g in series], value_range=(0, 100)),
        claims=found,
    )  # fmt: skip


def _ibm_chart(e: Evaluation) -> Chart | None:
    if not e.ibm:
        return None
    first = e.ibm[0]
    elite = studies.cited("ibm_elite_share")
    base = (
        _("{base}, {share} of them Elite").format(
            base=first.base, share=display.published(elite.value)
        )
        if elite
        else first.base
    )
    subtitle = _(
        "{kind} · {citation} · {base} · share of each group doing it · you: your answer, "
        "{yes_from}-{yes_to} reads yes, {no_from}-{no_to} not yet"
    ).format(
        kind=_(PUBLISHED), citation=first.citation, base=base, yes_from=maturity.DOES_IT,
        yes_to=maturity.HIGHEST, no_from=maturity.LOWEST, no_to=maturity.DOES_NOT,
    )  # fmt: skip
    notes = [
        _("{sentence}.").format(sentence=f"{_(p.practice.label)}, {g}: {text}")
        for p in e.ibm
        for g, text in p.unpublished.items()
    ]
    leader = studies.ARCHETYPES[0]
    return _practice_chart("programme_ibm", e.ibm, studies.ARCHETYPES,
                           lambda table: practices_claims(table, leader), subtitle,
                           _("Practices (IBM)"), notes)  # fmt: skip


def _capgemini_chart(e: Evaluation) -> Chart | None:
    if not e.capgemini:
        return None
    first = e.capgemini[0]
    subtitle = _(
        "{kind} · {citation} · {base} · executive summary · you: your answer to the matching "
        "statement"
    ).format(kind=_(PUBLISHED), citation=first.citation, base=first.base)
    return _practice_chart("programme_capgemini", e.capgemini, (ORGANISATIONS,),
                           lambda table: capgemini_claims(table, e.capgemini), subtitle,
                           _("Strategy (Capgemini)"), [])  # fmt: skip


def customer_charts(r: ProgrammeResult, source: Source) -> list[Chart]:
    """The customers of the sidebar's dataset: NPS by wave and the journey stages."""
    out = [
        nps_trend_chart(
            "programme_nps",
            r.by_wave,
            r.latest,
            r.change,
            source,
            r.options,
            r.scope,
        ),
        stage_chart(r.stages, source, r.options, r.scope, r.industry),
    ]
    return [c for c in out if c is not None]


def charts(r: ProgrammeResult, source: Source) -> list[Chart]:
    """Competency scores, the stage beside Qualtrics, the practices beside IBM and Capgemini,
    then the customers of the sidebar's dataset."""
    e = r.evaluation
    research = _RESEARCH.get(
        (repr(e), i18n.language()),
        lambda: tuple(
            c
            for c in (_competency_chart(e), _stage_chart(e), _ibm_chart(e), _capgemini_chart(e))
            if c is not None
        ),
    )
    return [*research, *customer_charts(r, source)]


#: The charts of an assessment beside the published studies, by the assessment and the
#: language: they depend on neither the sidebar's data nor its filters, so a page run for
#: another selection (or session) with the same answers reads them from memory.
_RESEARCH: kept.Kept[tuple[Chart, ...]] = kept.Kept(32)


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
        c.short: [sc.competencies[i].score for _s, sc in points]
        for i, c in enumerate(maturity.COMPETENCIES)
    }
    lines[TREND_MEAN] = [sc.mean for _s, sc in points]
    colours = {
        c.short: theme.SERIES[i % len(theme.SERIES)] for i, c in enumerate(maturity.COMPETENCIES)
    }
    colours[TREND_MEAN] = theme.SELF_ASSESSED
    # the lines as the chart's legend names them (the table keeps its columns' names)
    shown = {_(k): v for k, v in lines.items()}
    shown_colours = {_(k): c for k, c in colours.items()}
    bands = [
        (float(s.floor), f"{s.number} {maturity.stage_name(s.name)}") for s in maturity.STAGES[1:]
    ]
    table = pl.DataFrame(
        {
            ORGANISATION: [organisation] * len(points),
            SAVED: x,
            STAGE: [sc.stage.label if sc.stage else _("not scored") for _s, sc in points],
            STAGE_NUMBER: [sc.stage.number if sc.stage else None for _s, sc in points],
            **lines,
        },
        schema_overrides={STAGE_NUMBER: pl.Int64, **dict.fromkeys(lines, pl.Float64)},
    )
    said = trend_claims(table, organisation)
    title = headline(said)
    subtitle = _(
        "{kind} · saved assessments of {organisation}, oldest first · faint lines: where each "
        "stage's band starts"
    ).format(kind=_(ASSESSED), organisation=organisation)
    long = table.unpivot(
        on=list(lines), index=SAVED, variable_name="Score", value_name="Value"
    ).with_columns(pl.col("Score").replace({k: _(k) for k in lines}))
    return Chart(
        "programme_trend", title, subtitle,
        figures.score_lines(x, shown, shown_colours, bands, title, subtitle),
        table, kind="assessment", label=_("Maturity over time"),
        native=native_pivot(long, SAVED, "Score", "Value", "line", blank=None,
                            category_order=x, series_order=list(shown), number_format=SCORE_FORMAT,
                            value_title=_(SCORE), series_colours=[shown_colours[k] for k in shown],
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
        return _("Answer every statement to get a stage.")
    if gap is None:
        return _("Stage 5 (Embed) is the highest stage.")
    parts = []
    if gap.points:
        parts.append(
            ngettext(
                "{points} more answer points across the statements (mean {mean})",
                "{points} more answer points across the statements (mean {mean})",
                gap.points,
            ).format(points=gap.points, mean=f"{gap.mean_needed:g}")
        )
    for key, points in gap.holding:
        label = _(maturity.COMPETENCY_BY_KEY[key].label)
        parts.append(
            ngettext(
                "{points} more answer point in {competency} (each competency at least {floor})",
                "{points} more answer points in {competency} (each competency at least {floor})",
                points,
            ).format(points=points, competency=label, floor=f"{float(scores.stage.floor):g}")
        )
    return _("Stage {number} ({name}) needs {what}.").format(
        number=gap.to.number, name=maturity.stage_name(gap.to.name), what=display.join(parts)
    )


def gap_note(scores: maturity.Scores) -> str:
    """What the next stage needs, in a few words (a key figure's note)."""
    gap = scores.gap
    if gap is None:
        return _("the highest stage") if scores.stage else _("answer every statement")
    parts = (
        [
            ngettext(
                "+{points} answer points (mean {mean})",
                "+{points} answer points (mean {mean})",
                gap.points,
            ).format(points=gap.points, mean=f"{gap.mean_needed:g}")
        ]
        if gap.points
        else []
    )
    parts += [f"{_(maturity.COMPETENCY_BY_KEY[k].short)} +{p}" for k, p in gap.holding]
    return f"{maturity.stage_name(gap.to.name)}: " + "; ".join(parts)


def kpis(r: ProgrammeResult) -> tuple[Kpi, ...]:
    """Stage, mean score, the gap to the next stage and how much is answered."""
    s = r.evaluation.scores
    answered = _("{answered} of {total}").format(
        answered=len(s.answers), total=len(maturity.STATEMENTS)
    )
    unscored = _("not scored: {count} of {total} competencies").format(
        count=len(s.unscored), total=len(maturity.COMPETENCIES)
    )
    return (
        Kpi(_("Stage"), s.stage.label if s.stage else _("not scored"), _("self-assessment") if s.stage else unscored),
        Kpi(_("Mean score"), f"{s.mean:.2f}" if s.mean is not None else "–", _("of 5, the mean of the six competencies")),
        Kpi(_("Next stage"), _("stage {number}").format(number=s.gap.to.number) if s.gap else (_("reached") if s.stage else "–"), gap_note(s)),
        Kpi(_("Answered"), answered, _("statements")),
    )  # fmt: skip


def customer_kpis(r: ProgrammeResult) -> tuple[Kpi, ...]:
    """The programme's stage beside the customers at a glance: NPS of the selection with its
    interval, the weakest journey stage."""
    stage = r.evaluation.scores.stage
    out = [
        Kpi(_("Programme stage"), stage.label if stage else _("not scored"), _("self-assessment"))
    ]
    # the latest wave, as the Overview's tile and the trend chart below read it (the waves
    # pooled said +15 beside their +14)
    latest = r.latest
    if latest is not None and not latest["suppressed"]:
        interval = f"{r.options.interval} {display.interval(latest['ci_low'], latest['ci_high'])}"
        out.append(
            Kpi(
                _("Customers' NPS, {wave}").format(wave=latest["wave"]),
                display.nps(latest["nps"]),
                f"{interval} · {display.n(latest['n'])}",
            )
        )
    shown = r.stages.filter(~pl.col("suppressed")).sort("top2_pct") if r.stages.height else r.stages
    if shown.height:
        worst = shown.row(0, named=True)
        stage_label = str(worst["label"])
        out.append(
            Kpi(
                _("Weakest journey stage"),
                display.pct(worst["top2_pct"]),
                _("{stage} · satisfied").format(stage=_(stage_label)),
            )
        )
    return tuple(out)


def next_table(e: Evaluation) -> pl.DataFrame:
    """The practices to adopt next with their answer and the published evidence."""
    rows = []
    for p in e.next:
        found = studies.evidence(p.statement)
        rows.append({
            PRACTICE: _(p.statement.practice),
            COMPETENCY: _(maturity.COMPETENCY_BY_KEY[p.statement.competency].label),
            YOUR_ANSWER: p.answer,
            HOLDS_BACK: _("yes") if p.holds_stage else _("no"),
            FOUND: "; ".join(f"{x.text} ({x.citation})" for x in found) or "–",
        })  # fmt: skip
    return pl.DataFrame(rows, schema_overrides={YOUR_ANSWER: pl.Int64}) if rows else pl.DataFrame()


def summary(r: ProgrammeResult) -> Summary:
    """Key figures, the headlines and the practices to adopt next, for the deck."""
    e = r.evaluation
    competencies = competency_table(e.scores)
    checked = [
        Finding(competency_claims(competencies, e.scores), competencies, _("Competency scores"))
    ]
    if e.qualtrics:
        stages = stage_table(e.qualtrics, e.scores.stage)
        said = stage_claims(stages, e.qualtrics, e.scores.stage)
        checked.insert(0, Finding(said, stages, _("Stages (Qualtrics)")))
    if e.ibm:
        practices = practice_table(e.ibm, studies.ARCHETYPES)
        checked.append(
            Finding(
                practices_claims(practices, studies.ARCHETYPES[0]), practices, _("Practices (IBM)")
            )
        )
    table = next_table(e)
    tables = (
        (SlideTable(ngettext("The {count} practices to adopt next", "The {count} practices to adopt next", table.height).format(count=table.height),
                    table,
                    _("Rule: {rule} Evidence: published figures, with their source.").format(rule=_(maturity.NEXT_RULE)),
                    kicker=_("NEXT PRACTICES")),)
        if table.height else ()
    )  # fmt: skip
    return Summary.of(kpis(r), tuple(checked), tables)


REPORT: Report[ProgrammeResult] = Report(
    key=KEY,
    title=N_("CX programme maturity"),
    nav=N_("CX programme"),
    icon=":material/stairs:",
    section=N_("Programme"),
    lead=N_(
        "Where your CX programme stands: a self-assessment of 24 statements, beside the "
        "published studies of Qualtrics, IBM and Capgemini, and beside your customers."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick(
            "answers", N_("Answers"), help=N_("One character per statement: 1-5, or - unanswered.")
        ),
        Pick("assessment", N_("Saved assessment")),
    ),
    summary=summary,
)
