"""The CX programme self-assessment: statements, competencies, the five stages and the rule.

Twenty-four statements, written for cxbench, four in each of six competencies that cover what
the published CX-management studies measure (leadership and strategy, customer insight and
listening, data and analytics in decisions, action and the closed loop, culture and skills,
technology and integration). Each is answered on a 1-5 scale (:data:`SCALE`).

The rule (:data:`RULE`), stated on the page and in ``docs/programme.md``:

- a competency's score is the mean of its four answers; it is scored only when all four are
  answered (a partial assessment names what it could not score, it never guesses);
- the programme's mean score is the mean of the six competency scores;
- the 1-5 range is cut into five equal bands, one per stage (:data:`STAGES`: from 1.0, 1.8,
  2.6, 3.4 and 4.2);
- the stage is the band of the mean score, but at most one stage above the band of the weakest
  competency.

The stage names are those of the Qualtrics XM Institute's maturity model, so that its published
distribution can be read beside the result; the statements and the rule are cxbench's own
(not the institute's assessment), so the comparison is indicative.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from cx.core.i18n import N_, _

#: The answer scale: 1 (not true) to 5 (fully true, everywhere).
SCALE: dict[int, str] = {
    1: N_("Not true"),
    2: N_("Started, in places"),
    3: N_("Partly true"),
    4: N_("Mostly true"),
    5: N_("Fully true, everywhere"),
}
LOWEST, HIGHEST = min(SCALE), max(SCALE)
#: An answer at least this high counts as "we do this" beside the studies' yes/no shares.
DOES_IT = 4
#: An answer at most this high counts as "we do not do this".
DOES_NOT = 2
#: The character of an unanswered statement in the link's answer code.
UNANSWERED = "-"


@dataclass(frozen=True)
class Competency:
    """A group of statements: key, label, a one-word name (tabs) and what of the studies it
    covers."""

    key: str
    label: str
    short: str
    covers: str


@dataclass(frozen=True)
class Statement:
    """One statement of the self-assessment.

    Attributes:
        id: stable id (the JSON template's key; never renamed).
        competency: the key of its competency.
        short: a few words for charts and tables.
        text: the statement people rate from 1 to 5.
        practice: what to do when the answer is low (the "practices to adopt next").
        evidence: ids of published figures about the practice (``data/published_figures.csv``).
    """

    id: str
    competency: str
    short: str
    text: str
    practice: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    """A maturity stage: number, name, the lowest score of its band, and what it looks like."""

    number: int
    name: str
    floor: Fraction
    looks_like: str

    @property
    def label(self) -> str:
        """``2 · Initiate`` (the name in the current language)."""
        return f"{self.number} · {stage_name(self.name)}"


#: The stage names as messages: each with its context, since a bare word ("Scale") is also a
#: column's name elsewhere and a catalog holds one translation per message.
STAGE_MESSAGES: dict[str, str] = {
    "Investigate": N_("maturity stage: Investigate"),
    "Initiate": N_("maturity stage: Initiate"),
    "Mobilize": N_("maturity stage: Mobilize"),
    "Scale": N_("maturity stage: Scale"),
    "Embed": N_("maturity stage: Embed"),
}


def stage_name(name: str) -> str:
    """A stage's name in the current language (as it is in English or without a
    translation)."""
    message = STAGE_MESSAGES.get(name)
    if message is None:
        return name
    shown = _(message)
    return name if shown == message else shown


COMPETENCIES: tuple[Competency, ...] = (
    Competency("leadership", N_("Leadership and strategy"), N_("Leadership"), N_("executive ownership, a coherent CX strategy, reach beyond sales and marketing")),
    Competency("insight", N_("Customer insight and listening"), N_("Insight"), N_("a core metric, journey feedback, always-on listening, text analysis")),
    Competency("data", N_("Data and analytics in decisions"), N_("Data"), N_("decisions on data, integrated sources, value of CX, priorities")),
    Competency("action", N_("Action and closed loop"), N_("Action"), N_("following up customers, fixing causes, front-line results, design")),
    Competency("culture", N_("Culture and skills"), N_("Culture"), N_("customer focus, CX skills, incentives, employees' voice")),
    Competency("technology", N_("Technology and integration"), N_("Technology"), N_("tools, one view of the customer, consistent channels, automation")),
)  # fmt: skip

STATEMENTS: tuple[Statement, ...] = (
    Statement("lead_sponsor", "leadership", N_("Executive owner"),
              N_("One member of the executive team owns customer experience across products and channels and champions it visibly."),
              N_("Name one executive owner of CX across products and channels, with a visible mandate."),
              ("qx_leaders_support", "qx_exec_owner")),
    Statement("lead_strategy", "leadership", N_("Coherent CX strategy"),
              N_("A written CX strategy covers the whole journey, from research to after-sales, and the board reviews progress against it."),
              N_("Write one CX strategy for the whole journey and review it at board level."),
              ("cg_cx_strategy", "ibm_strategy_elite")),
    Statement("lead_beyond_sales", "leadership", N_("Beyond sales and marketing"),
              N_("CX goals and responsibilities reach beyond sales and marketing, into service, after-sales, product and operations."),
              N_("Give service, after-sales, product and operations their own CX goals."),
              ("cg_cx_sales_marketing_only",)),
    Statement("lead_cross_functional", "leadership", N_("Cross-functional decisions"),
              N_("Decisions on improving the experience are taken by a cross-functional team, not by one department alone."),
              N_("Take CX improvement decisions in a cross-functional team."),
              ("ibm_crossfunc_elite",)),
    Statement("listen_core_metric", "insight", N_("Core CX metric"),
              N_("One core CX metric (such as NPS) is defined, measured the same way everywhere and reported to leadership."),
              N_("Agree one core CX metric, measured the same way in every market, and report it to leadership."),
              ("qx_laggards_no_metric", "qx_core_metric")),
    Statement("listen_journey", "insight", N_("Journey feedback"),
              N_("Customers are asked for feedback at the key moments of the journey (purchase, delivery, service visits), not only once a year."),
              N_("Ask for feedback at the key moments of the journey: purchase, delivery, service visits.")),
    Statement("listen_always_on", "insight", N_("Always-on listening"),
              N_("Unsolicited signals (complaints, contact-centre notes, reviews, social media) are collected continuously, not only survey answers."),
              N_("Collect complaints, contact-centre notes and reviews continuously, beside the surveys.")),
    Statement("listen_text", "insight", N_("Text analysis"),
              N_("Open comments are analysed systematically for themes and root causes, in every language customers write in."),
              N_("Analyse open comments for themes and root causes, in every language customers use.")),
    Statement("data_decisions", "data", N_("Decisions on data"),
              N_("Strategic and investment decisions about the experience rely heavily on customer insight and data, not on intuition."),
              N_("Make customer insight a required input of strategic and investment decisions."),
              ("ibm_data_elite", "qx_strategic_decisions")),
    Statement("data_integrated", "data", N_("Integrated data"),
              N_("Customer feedback is joined with sales, service and financial data from several systems to explain what drives loyalty."),
              N_("Join feedback with sales, service and financial data to explain what drives loyalty."),
              ("ibm_integrated_elite",)),
    Statement("data_value", "data", N_("Value of CX"),
              N_("The business value of an improvement (revenue retained, cost to serve) is estimated before it is funded."),
              N_("Estimate the revenue retained and the cost to serve before funding an improvement."),
              ("qx_predict_value",)),
    Statement("data_prioritise", "data", N_("Priorities from analysis"),
              N_("Analysis of experience and operational data sets the list of what to fix first."),
              N_("Let the analysis of experience and operational data set what to fix first."),
              ("qx_analyse_prioritise",)),
    Statement("act_close_loop", "action", N_("Closed loop"),
              N_("Dissatisfied customers are contacted individually within an agreed time, and the outcome is recorded."),
              N_("Call back every dissatisfied customer within an agreed time and record the outcome."),
              ("qx_follow_up",)),
    Statement("act_improve", "action", N_("Fix root causes"),
              N_("Insights lead to changes in processes and policies, and whether a change worked is checked afterwards."),
              N_("Turn insights into process changes and check afterwards whether they worked."),
              ("qx_continuous_improvement",)),
    Statement("act_frontline", "action", N_("Front-line results"),
              N_("Dealers, outlets and front-line teams get their own customer results quickly and act on them."),
              N_("Give dealers, outlets and front-line teams their own results, quickly, with what to act on."),
              ("qx_distribute_insights",)),
    Statement("act_design", "action", N_("Design with customers"),
              N_("New products, services and journeys are designed with customers (research, prototypes, tests) before launch."),
              N_("Design new services and journeys with customers (research, prototypes, tests) before launch."),
              ("ibm_design_elite", "qx_human_centred_design")),
    Statement("culture_focus", "culture", N_("Customer focus"),
              N_("People across the organisation understand customers' needs and treat the experience as part of their job."),
              N_("Make customers' needs part of every team's job: onboarding, reviews, routines.")),
    Statement("culture_skills", "culture", N_("CX skills"),
              N_("The CX team has the skills it needs: research, analytics, journey design and change management."),
              N_("Build the CX team's skills in research, analytics, journey design and change management."),
              ("qx_skills_barrier_gap", "qx_skills_strong")),
    Statement("culture_incentives", "culture", N_("Goals and incentives"),
              N_("Managers' goals and incentives include customer-experience results."),
              N_("Put customer-experience results into managers' goals and incentives.")),
    Statement("culture_employees", "culture", N_("Employees' voice"),
              N_("Employees are asked regularly what gets in customers' way and how to fix it."),
              N_("Ask employees regularly what gets in customers' way and how to fix it."),
              ("ibm_employee_feedback",)),
    Statement("tech_platform", "technology", N_("Feedback platform"),
              N_("Feedback and analytics tools cover all channels and markets, and people use them without specialist help."),
              N_("Cover every channel and market with feedback tools that people can use unaided."),
              ("qx_tech_weak",)),
    Statement("tech_single_view", "technology", N_("One view of the customer"),
              N_("Customer data from sales, service, dealers and digital channels is integrated into one view of the customer."),
              N_("Integrate sales, service, dealer and digital data into one view of the customer.")),
    Statement("tech_channels", "technology", N_("Consistent channels"),
              N_("Customers get a consistent experience when they move between app, website, phone and outlet."),
              N_("Make the experience consistent between app, website, phone and outlet."),
              ("qx_cross_channel_poor",)),
    Statement("tech_automation", "technology", N_("Automated alerts and routing"),
              N_("Alerts, case routing and dashboards are automated, so action starts without manual data work."),
              N_("Automate alerts, case routing and dashboards so action starts without manual data work.")),
)  # fmt: skip

STAGES: tuple[Stage, ...] = (
    Stage(1, "Investigate", Fraction(1), N_("CX work is exploratory: a few projects, no shared metric or owner.")),
    Stage(2, "Initiate", Fraction(9, 5), N_("First structures: a sponsor, a core metric, surveys in some places.")),
    Stage(3, "Mobilize", Fraction(13, 5), N_("A programme: journey feedback, shared priorities, loops closed in places.")),
    Stage(4, "Scale", Fraction(17, 5), N_("CX runs across functions and markets: integrated data, routine action.")),
    Stage(5, "Embed", Fraction(21, 5), N_("CX is how the business is run: every decision and team, everywhere.")),
)  # fmt: skip

#: The rule, in the words the page, the deck and the docs use.
RULE = N_(
    "Each competency scores the mean of its four answers (1-5). The stage is the band of the "
    "mean of the six competency scores (five equal bands of 0.8: stage 2 from 1.8, stage 3 from "
    "2.6, stage 4 from 3.4, stage 5 from 4.2), but at most one stage above the band of the "
    "weakest competency. A competency with an unanswered statement is not scored, and without "
    "all six scores there is no stage."
)

BY_ID: dict[str, Statement] = {s.id: s for s in STATEMENTS}
COMPETENCY_BY_KEY: dict[str, Competency] = {c.key: c for c in COMPETENCIES}
STAGE_BY_NUMBER: dict[int, Stage] = {s.number: s for s in STAGES}


def statements_of(competency: str) -> tuple[Statement, ...]:
    """The statements of a competency, in order."""
    return tuple(s for s in STATEMENTS if s.competency == competency)


def band(score: Fraction | float) -> Stage:
    """The stage whose band holds ``score`` (the highest stage whose floor it reaches)."""
    value = Fraction(score)
    return [s for s in STAGES if value >= s.floor][-1] if value >= STAGES[0].floor else STAGES[0]


def stage_for(mean: Fraction | float, weakest: Fraction | float) -> Stage:
    """The rule: the band of the mean, at most one stage above the band of the weakest."""
    number = min(band(mean).number, band(weakest).number + 1)
    return STAGE_BY_NUMBER[number]


# --------------------------------------------------------------------------------------------
# Reading answers
# --------------------------------------------------------------------------------------------


def _answer(value: Any) -> int | None:
    """An answer as a whole number 1-5, or None when it is not one (booleans are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip()[:3])
    else:
        return None
    return number if LOWEST <= number <= HIGHEST else None


def shown(value: Any, limit: int = 20) -> str:
    """A given value for a one-line message: printable, clipped, quoted."""
    text = "".join(ch for ch in repr(value) if ch.isprintable())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Answers:
    """Answers as read: the valid ones, and one line per answer that could not be used.

    Attributes:
        values: statement id -> answer 1-5 (valid answers only).
        problems: one line per unknown statement id or out-of-range answer.
    """

    values: dict[str, int]
    problems: tuple[str, ...] = ()


def read_answers(raw: Mapping[str, Any]) -> Answers:
    """Check answers given by statement id; unknown ids and values off the scale are named,
    one line each, and left out (nothing is guessed). ``None`` means unanswered."""
    values: dict[str, int] = {}
    problems: list[str] = []
    for key, value in raw.items():
        name = str(key)
        if name not in BY_ID:
            problems.append(_("unknown statement id {id}").format(id=shown(name, 40)))
            continue
        if value is None:
            continue
        answer = _answer(value)
        if answer is None:
            problems.append(
                _(
                    "answer {answer} for {id} ({short}) is not a whole number from {low} to {high}"
                ).format(
                    answer=shown(value),
                    id=name,
                    short=_(BY_ID[name].short),
                    low=LOWEST,
                    high=HIGHEST,
                )
            )
            continue
        values[name] = answer
    return Answers(values, tuple(problems))


def encode(values: Mapping[str, int | None]) -> str:
    """The answers as a short code for the page's link: one character per statement, in
    order (``1``-``5``, ``-`` when unanswered)."""
    out = []
    for s in STATEMENTS:
        answer = _answer(values.get(s.id))
        out.append(str(answer) if answer is not None else UNANSWERED)
    return "".join(out)


def decode(code: str) -> Answers:
    """Answers from a link's code (see :func:`encode`); a wrong length or a character off the
    scale is named, one line each."""
    text = str(code).strip()
    if len(text) != len(STATEMENTS):
        return Answers(
            {},
            (_("the answers in the link are not {count} characters (1-5, or - when "
               "unanswered); they were ignored").format(count=len(STATEMENTS)),),
        )  # fmt: skip
    values: dict[str, int] = {}
    problems: list[str] = []
    for statement, char in zip(STATEMENTS, text, strict=True):
        if char == UNANSWERED:
            continue
        answer = _answer(char)
        if answer is None:
            problems.append(
                _(
                    "answer {answer} for {id} ({short}) in the link is not a whole number from "
                    "{low} to {high}; it was ignored"
                ).format(
                    answer=shown(char),
                    id=statement.id,
                    short=_(statement.short),
                    low=LOWEST,
                    high=HIGHEST,
                )
            )
            continue
        values[statement.id] = answer
    return Answers(values, tuple(problems))


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyScore:
    """A competency's result.

    Attributes:
        competency: the competency.
        answered: how many of its statements are answered.
        score: the mean of its answers (None unless all are answered).
        band: the stage of its band (None when not scored).
        short_of: answer points it lacks to stop holding the programme back from the next
            stage (0 when it does not hold it back; None when not scored or at stage 5).
    """

    competency: Competency
    answered: int
    score: float | None
    band: Stage | None
    short_of: int | None = None

    @property
    def total(self) -> int:
        """How many statements it has."""
        return len(statements_of(self.competency.key))


@dataclass(frozen=True)
class Gap:
    """What the next stage needs (only with a stage below 5).

    Attributes:
        to: the next stage.
        mean_needed: the mean score it needs (its floor).
        mean_short: how far the mean is below it (0 when it is not).
        points: answer points the mean lacks, over all the statements.
        holding: competencies whose band holds the stage back (each needs to reach the
            current stage's floor), with the answer points each lacks.
    """

    to: Stage
    mean_needed: float
    mean_short: float
    points: int
    holding: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Scores:
    """A scored assessment.

    Attributes:
        answers: statement id -> 1-5 (valid answers only).
        competencies: one :class:`CompetencyScore` per competency, in order.
        missing: ids of unanswered statements.
        problems: one line per unknown id or out-of-range answer (left out).
        mean: the mean of the six competency scores (None unless all are scored).
        stage: the stage (None unless all competencies are scored).
        capped: True when the weakest competency holds the stage below the mean's band.
        gap: what the next stage needs (None at stage 5 or without a stage).
        mean_band: the stage of the mean's band alone (before the weakest competency's cap).
    """

    answers: dict[str, int]
    competencies: tuple[CompetencyScore, ...]
    missing: tuple[str, ...]
    problems: tuple[str, ...] = ()
    mean: float | None = None
    stage: Stage | None = None
    capped: bool = False
    gap: Gap | None = None
    mean_band: Stage | None = None

    @property
    def unscored(self) -> tuple[CompetencyScore, ...]:
        """The competencies that could not be scored."""
        return tuple(c for c in self.competencies if c.score is None)

    @property
    def weakest(self) -> CompetencyScore | None:
        """The lowest-scoring competency (the first of equals), or None without scores."""
        scored = [c for c in self.competencies if c.score is not None]
        return min(scored, key=lambda c: c.score or 0.0) if scored else None


def _points(floor: Fraction, total: int, count: int) -> int:
    """Answer points needed for a mean of ``count`` answers summing to ``total`` to reach
    ``floor``."""
    return max(0, math.ceil(floor * count - total))


def score(answers: Answers) -> Scores:
    """Score read answers with the rule (see the module docstring and :data:`RULE`)."""
    sums: dict[str, Fraction] = {}
    rows: list[CompetencyScore] = []
    for comp in COMPETENCIES:
        items = statements_of(comp.key)
        given = [answers.values[s.id] for s in items if s.id in answers.values]
        if len(given) == len(items):
            sums[comp.key] = Fraction(sum(given), len(items))
        value = sums.get(comp.key)
        rows.append(
            CompetencyScore(
                comp, len(given), None if value is None else float(value), None if value is None else band(value)
            )
        )  # fmt: skip
    missing = tuple(s.id for s in STATEMENTS if s.id not in answers.values)
    base = Scores(dict(answers.values), tuple(rows), missing, answers.problems)
    if len(sums) < len(COMPETENCIES):
        return base
    mean = sum(sums.values(), Fraction(0)) / len(sums)
    weakest = min(sums.values())
    stage = stage_for(mean, weakest)
    gap = None
    if stage.number < len(STAGES):
        nxt = STAGE_BY_NUMBER[stage.number + 1]
        holding = []
        scored = []
        for row in rows:
            count = row.total
            total = int(sums[row.competency.key] * count)
            short = _points(stage.floor, total, count)
            scored.append(CompetencyScore(row.competency, row.answered, row.score, row.band, short))
            if short:
                holding.append((row.competency.key, short))
        rows = scored
        gap = Gap(
            nxt,
            float(nxt.floor),
            float(max(Fraction(0), nxt.floor - mean)),
            _points(nxt.floor, sum(answers.values.values()), len(STATEMENTS)),
            tuple(holding),
        )
    return Scores(
        dict(answers.values),
        tuple(rows),
        missing,
        answers.problems,
        float(mean),
        stage,
        stage.number < band(mean).number,
        gap,
        band(mean),
    )


def assess(raw: Mapping[str, Any]) -> Scores:
    """Read and score answers given by statement id (the page's and the command's path)."""
    return score(read_answers(raw))


# --------------------------------------------------------------------------------------------
# What to adopt next
# --------------------------------------------------------------------------------------------

#: How the practices to adopt next are chosen, in words (page, deck, docs): the message, and
#: the English text (:func:`next_rule` says it in the current language).
NEXT_RULE_TEXT = N_(
    "Statements answered {answer} or lower, those of the competencies that hold the stage "
    "back first, then the lowest answers, then in the order of the questionnaire; the first "
    "three."
)
NEXT_RULE = NEXT_RULE_TEXT.format(answer=DOES_IT - 1)


def next_rule() -> str:
    """How the practices to adopt next are chosen, in the current language."""
    return _(NEXT_RULE_TEXT).format(answer=DOES_IT - 1)


@dataclass(frozen=True)
class NextPractice:
    """A practice to adopt next: the statement, its answer and why it comes first."""

    statement: Statement
    answer: int
    holds_stage: bool


def next_practices(scores: Scores, limit: int = 3) -> tuple[NextPractice, ...]:
    """The practices to adopt next (see :data:`NEXT_RULE`); answered statements only."""
    holding = {key for key, _short in scores.gap.holding} if scores.gap else set()
    order = {s.id: i for i, s in enumerate(STATEMENTS)}
    candidates = [
        NextPractice(s, scores.answers[s.id], s.competency in holding)
        for s in STATEMENTS
        if s.id in scores.answers and scores.answers[s.id] < DOES_IT
    ]
    candidates.sort(key=lambda p: (not p.holds_stage, p.answer, order[p.statement.id]))
    return tuple(candidates[:limit])


def template() -> dict[str, Any]:
    """The questionnaire as the command line prints it: the scale, the rule, the stages, the
    statements with their ids by competency, and an answers file to fill in."""
    return {
        "scale": {str(k): v for k, v in SCALE.items()},
        "rule": RULE,
        "stages": [
            {"number": s.number, "name": s.name, "mean_at_least": float(s.floor)} for s in STAGES
        ],
        "competencies": [
            {
                "key": c.key,
                "label": c.label,
                "statements": [{"id": s.id, "text": s.text} for s in statements_of(c.key)],
            }
            for c in COMPETENCIES
        ],
        "answers_file": {"answers": {s.id: None for s in STATEMENTS}},
    }
