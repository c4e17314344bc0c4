"""The CX programme page's headlines: each chart's table and the claims its title states,
read from that table (:mod:`cx.claims`), so the words can be checked against the figures.

The page itself is :mod:`cx.reports.programme`; the charts' tables are made here because the
claims read them.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from cx.claims import model as claims
from cx.claims.figure import Unit
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core.i18n import N_, _
from cx.models import maturity, studies

# The columns of the page's tables that its headlines read.
COMPETENCY, SCORE, ANSWERED = N_("Competency"), N_("Score (1-5)"), N_("Answered")
#: Whether a competency is scored (every statement of it answered).
SCORED = N_("Scored")
#: The programme's stage and the mean of its competencies, on every row of the competency table
#: (as the drivers table carries its model's R²).
STAGE_NUMBER, MEAN = N_("Programme stage"), N_("Programme mean (1-5)")
#: The published tables' row label, share and group, and whether the organisation does it.
STAGE, PRACTICE, SHARE, GROUP = N_("Stage"), N_("Practice"), N_("% of organisations"), N_("Group")
DOES_IT = N_("You do it")
#: The Qualtrics table's column marking the organisation's stage.
YOURS = N_("Yours")
#: Capgemini's one group (its name in the table and the chart: :func:`organisations`).
ORGANISATIONS = N_("Organisations")
#: Excel and PowerPoint format of a score on the 1-5 scale (as the bars label it).
SCORE_FORMAT = "0.00"
#: The other columns of the tables (their names, as the tables' headers show them).
STATEMENTS, BAND, SHORT_OF = (
    N_("Statements"),
    N_("Band (stage)"),
    N_("Answer points short of the next stage"),
)
STAGES, FIGURE = N_("Stages"), N_("Figure")
PUBLISHED_NOTE, YOUR_ANSWER, READS = N_("Published note"), N_("Your answer (1-5)"), N_("Reads")


def organisations() -> str:
    """Capgemini's one group as the table and the chart name it (the language shown)."""
    return _(ORGANISATIONS)


def competency_table(scores: maturity.Scores) -> pl.DataFrame:
    """Each competency's score (the mean of its answers), how much of it is answered, its band
    and the answer points it is short of the next stage; the programme's stage and mean on
    every row."""
    rows = scores.competencies
    return pl.DataFrame(
        {
            COMPETENCY: [_(c.competency.label) for c in rows],
            SCORE: [c.score for c in rows],
            ANSWERED: [c.answered for c in rows],
            STATEMENTS: [c.total for c in rows],
            SCORED: [c.score is not None for c in rows],
            BAND: [c.band.label if c.band else None for c in rows],
            SHORT_OF: [c.short_of for c in rows],
            STAGE_NUMBER: [scores.stage.number if scores.stage else None for _row in rows],
            MEAN: [scores.mean for _row in rows],
        },
        schema_overrides={SCORE: pl.Float64, STAGE_NUMBER: pl.Int64, MEAN: pl.Float64},
    )


def competency_claims(table: pl.DataFrame, scores: maturity.Scores) -> tuple[Claim, ...]:
    """What sets the stage, from the competency table: the stage with the weakest competency
    that caps it below its mean, or with the mean and the strongest and weakest competency;
    before a stage, how much is answered and what is not scored yet."""
    if not scores.answers or table.is_empty():
        return (claims.statement("no_answers"),)
    first = str(table[COMPETENCY][0])
    if scores.stage is None or scores.mean is None:
        answered = claims.total(
            table, COMPETENCY, ANSWERED, "count", table[COMPETENCY].to_list(), "", "",
            phrase="answered",
        )  # fmt: skip
        unscored = claims.tally(table, COMPETENCY, SCORED, "False", phrase="unscored", named=True)
        return (*([answered] if answered else []), unscored)
    stage = claims.value(table, COMPETENCY, first, STAGE_NUMBER, "count", phrase="stage_is")
    mean = claims.value(table, COMPETENCY, first, MEAN, "score", phrase="mean_score")
    weakest = claims.top(
        table, COMPETENCY, SCORE, "score", lowest=True, phrase="holds_there", noun="competency"
    )
    if scores.capped and weakest is not None:
        below = claims.value(table, COMPETENCY, first, MEAN, "score", phrase="below_mean")
        return tuple(c for c in (stage, weakest, below) if c is not None)
    said: list[Claim] = [c for c in (stage, mean) if c is not None]
    best = claims.top(table, COMPETENCY, SCORE, "score", phrase="strongest_of", noun="competency")
    worst = claims.top(
        table, COMPETENCY, SCORE, "score", lowest=True, phrase="weakest_of", noun="competency"
    )
    if best is not None and worst is not None and best.figure.shown != worst.figure.shown:
        said += [best, worst]
    return tuple(said) or (claims.statement("nothing"),)


def competency_title(scores: maturity.Scores) -> str:
    """The competency chart's headline (:func:`competency_claims` in words)."""
    return headline(competency_claims(competency_table(scores), scores))


def stage_table(dist: tuple[studies.StageShare, ...], stage: maturity.Stage | None) -> pl.DataFrame:
    """Qualtrics' distribution of large organisations over the stages (``dist``), the
    organisation's ``stage`` marked (the stages named as :func:`stage_name` names them)."""
    return pl.DataFrame(
        {
            STAGE: [stage_name(s) for s in dist],
            STAGES: [", ".join(str(n) for n in s.stages) for s in dist],
            SHARE: [s.value for s in dist],
            FIGURE: [s.figure_id or _("derived") for s in dist],
            YOURS: [bool(stage and stage.number in s.stages) for s in dist],
        },
        schema={STAGE: pl.String, STAGES: pl.String, SHARE: pl.Float64, FIGURE: pl.String,
                YOURS: pl.Boolean},
    )  # fmt: skip


def stage_name(share: studies.StageShare) -> str:
    """A bar of the Qualtrics distribution as its chart, its table and their claims name it."""
    return _(share.label)


def stage_claims(
    table: pl.DataFrame, dist: tuple[studies.StageShare, ...], stage: maturity.Stage | None
) -> tuple[Claim, ...]:
    """The organisation's stage against the published distribution, from its table: the
    share at the organisation's stage and the share below it; before a stage, the share at
    the first stage and at the last."""
    if not dist:
        return (claims.statement("nothing"),)
    if stage is None:
        first = claims.value(
            table, STAGE, stage_name(dist[0]), SHARE, "published_pct", phrase="were_at"
        )
        last = claims.value(
            table, STAGE, stage_name(dist[-1]), SHARE, "published_pct", phrase="reached"
        )
        return tuple(c for c in (first, last) if c is not None) or (claims.statement("nothing"),)
    at = next(s for s in dist if stage.number in s.stages)
    mine = claims.value(
        table,
        STAGE,
        stage_name(at),
        SHARE,
        "published_pct",
        phrase="like_you",
        where={YOURS: "True"},
    )
    below = [stage_name(s) for s in dist if max(s.stages) < min(at.stages)]
    under = (
        claims.total(table, STAGE, SHARE, "published_pct", below, "", "", phrase="below")
        if below and mine is not None and mine.figure.shown
        else None
    )
    return tuple(c for c in (mine, under) if c is not None) or (claims.statement("nothing"),)


def practices_claims(table: pl.DataFrame, leader: str) -> tuple[Claim, ...]:
    """How many of a study's practices the organisation does (of those it answered), against
    its leading group; unanswered, the range of the leading group's shares."""
    where = {GROUP: leader}
    done = claims.tally(table, PRACTICE, DOES_IT, "True", noun=leader, phrase="you_do", where=where)
    if done.total:
        return (done,)
    low = claims.top(
        table, PRACTICE, SHARE, "published_pct", lowest=True, phrase="share_from", where=where
    )
    high = claims.top(
        table, PRACTICE, SHARE, "published_pct", phrase="share_to", noun=leader, where=where
    )
    said = tuple(c for c in (low, high) if c is not None)
    return (
        (*said, claims.statement("answer_to_compare")) if said else (claims.statement("nothing"),)
    )


def capgemini_claims(
    table: pl.DataFrame, rows: tuple[studies.PracticeRow, ...]
) -> tuple[Claim, ...]:
    """The organisation's strategy answer against Capgemini's share of organisations with a
    coherent CX strategy (the answer read from the table's own column)."""
    strategy = {r.practice.key: r for r in rows}.get("coherent_strategy")
    if strategy is None:
        return (claims.statement("no_strategy_figure"),)
    does = None if strategy.answer is None else strategy.reads == "yes"
    phrase = {True: "have_strategy", None: "only_strategy", False: "no_strategy"}[does]
    said = claims.value(
        table, PRACTICE, _(strategy.practice.label), SHARE, "published_pct", phrase=phrase,
        where={GROUP: organisations(), DOES_IT: str(does)},
    )  # fmt: skip
    return (said,) if said is not None else (claims.statement("no_strategy_figure"),)


def practice_table(rows: tuple[studies.PracticeRow, ...], groups: tuple[str, ...]) -> pl.DataFrame:
    """Long table: practice x group with the published share and the organisation's answer
    (``groups`` as the studies name them: Capgemini's one group is :func:`organisations`)."""
    out: list[dict[str, Any]] = []
    for r in rows:
        for g in groups:
            share = r.shares.get(g)
            out.append({
                PRACTICE: _(r.practice.label),
                GROUP: organisations() if g == ORGANISATIONS else g,
                SHARE: share.value if share else None,
                PUBLISHED_NOTE: "" if share else r.unpublished.get(g, _("not published")),
                YOUR_ANSWER: r.answer,
                READS: _(r.practice.words.get(r.reads, r.reads)),
                DOES_IT: None if r.answer is None else r.reads == "yes",
                FIGURE: share.figure_id if share else "",
            })  # fmt: skip
    return pl.DataFrame(
        out,
        schema_overrides={SHARE: pl.Float64, YOUR_ANSWER: pl.Int64, DOES_IT: pl.Boolean},
    )


#: The trend table's columns: whose assessments, when each was saved, its stage number.
ORGANISATION, SAVED = N_("Organisation"), N_("Saved")
TREND_MEAN = N_("Mean")


def trend_claims(table: pl.DataFrame, organisation: str) -> tuple[Claim, ...]:
    """How the stage and the mean moved from the first to the last complete assessment, read
    from the trend's table."""
    staged = table.filter(pl.col(STAGE_NUMBER).is_not_null())
    if staged.height < 2:
        return (claims.statement("few_assessments", organisation=organisation),)
    start, end = str(staged[SAVED][0]), str(staged[SAVED][-1])
    moves: tuple[tuple[str, Unit, str], ...] = (
        (STAGE_NUMBER, "count", "stage"),
        (TREND_MEAN, "score", "mean_over"),
    )
    said = [
        claims.change(table, ORGANISATION, column, unit, organisation, start, end,
                      significant=False, wave=SAVED, phrase=phrase)
        for column, unit, phrase in moves
    ]  # fmt: skip
    return tuple(c for c in said if c is not None) or (claims.statement("nothing"),)


def saved_labels(times: list[str]) -> list[str]:
    """When each assessment was saved, as the trend's axis and table name it: a time saved
    twice (within a minute) is told apart by its count ("2025-03-14 09:30 (2)"), so every
    assessment is its own point and row."""
    seen: dict[str, int] = {}
    out = []
    for when in times:
        seen[when] = seen.get(when, 0) + 1
        out.append(when if seen[when] == 1 else f"{when} ({seen[when]})")
    return out
