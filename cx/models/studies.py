"""The published CX-management studies beside a programme self-assessment, each on its own terms.

Three studies measured CX programmes rather than customers: the Qualtrics XM Institute's
2021 CX management study (five maturity stages), IBM's Institute for Business Value study of
Elite, Pro and Amateur organisations (2020) and Capgemini's 2024 executive survey. Their
figures live in ``data/published_figures.csv`` (read through :mod:`cx.models.citations`); this
module says which figure sits beside which stage or statement, and how an answer is read as
"does it" or "does not" (:data:`cx.models.maturity.DOES_IT`, :data:`~cx.models.maturity.DOES_NOT`).
The studies are never averaged together, nor with the self-assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from cx.core import display
from cx.core.i18n import N_, _
from cx.models import citations, maturity


@dataclass(frozen=True)
class Cited:
    """A published figure as shown: value, what it is about, base, year and citation."""

    figure_id: str
    value: float
    entity: str
    base: str
    year: str
    citation: str
    note: str


def cited(figure_id: str) -> Cited | None:
    """A published figure by id (None when ``data/published_figures.csv`` lacks it)."""
    row = citations.figures().get(figure_id)
    if row is None or not str(row.get("value") or "").strip():
        return None
    return Cited(
        figure_id,
        float(row["value"]),
        str(row.get("entity") or ""),
        str(row.get("base") or ""),
        str(row.get("year") or ""),
        citations.cite(row),
        str(row.get("note") or ""),
    )


# --------------------------------------------------------------------------------------------
# Qualtrics: the distribution of organisations over the five stages
# --------------------------------------------------------------------------------------------

#: The published share of each stage; Mobilize and Scale were not published apart.
QUALTRICS_STAGES: dict[int, str] = {
    1: "qx_stage_investigate",
    2: "qx_stage_initiate",
    5: "qx_stage_embed",
}


@dataclass(frozen=True)
class StageShare:
    """A bar of the Qualtrics distribution: the stages it covers and their share.

    ``figure_id`` is None for the derived bar (Mobilize and Scale together: the remainder of
    the published shares, which the report does not split).
    """

    label: str
    stages: tuple[int, ...]
    value: float
    figure_id: str | None
    note: str = ""


def qualtrics_distribution() -> tuple[StageShare, ...]:
    """The share of the 151 organisations at each stage, in stage order (empty when a figure is
    missing: a partial distribution would mislead)."""
    figures = {n: cited(fid) for n, fid in QUALTRICS_STAGES.items()}
    if any(f is None for f in figures.values()):
        return ()
    shares = {n: f.value for n, f in figures.items() if f is not None}
    name = maturity.STAGE_BY_NUMBER
    rest = round(100.0 - sum(shares.values()), 1)
    return (
        StageShare(maturity.stage_name(name[1].name), (1,), shares[1], QUALTRICS_STAGES[1]),
        StageShare(maturity.stage_name(name[2].name), (2,), shares[2], QUALTRICS_STAGES[2]),
        StageShare(
            _("{first} or {second}").format(
                first=maturity.stage_name(name[3].name), second=maturity.stage_name(name[4].name)
            ),
            (3, 4),
            rest,
            None,
            _(
                "the remainder: 100 - {published}; the report does not split {first} and {second}"
            ).format(
                published=" - ".join(display.published(v) for v in shares.values()),
                first=maturity.stage_name(name[3].name),
                second=maturity.stage_name(name[4].name),
            ),
        ),
        StageShare(maturity.stage_name(name[5].name), (5,), shares[5], QUALTRICS_STAGES[5]),
    )


def qualtrics_source() -> Cited | None:
    """The citation of the distribution (its first figure)."""
    return cited(QUALTRICS_STAGES[1])


# --------------------------------------------------------------------------------------------
# IBM and Capgemini: practices, each beside the statement that asks about it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """A practice a study measured, the statement of the self-assessment that asks about it,
    and how an answer reads as "yes".

    Attributes:
        key: stable key.
        label: the practice as the study describes it.
        statement: the id of the matching statement.
        figures: group (Elite, Pro, Amateur; or one group) -> figure id.
        unpublished: group -> what the study says instead of a number.
        yes_at_least: answers at least this high read "yes" (else ``yes_at_most`` applies).
        yes_at_most: answers at most this high read "yes".
        words: how ``yes``, ``partly`` and ``no`` read for this practice.
        sample: the figure id of the study's sample size, when its figures give only a kind
            of respondent as their base.
    """

    key: str
    label: str
    statement: str
    figures: Mapping[str, str]
    unpublished: Mapping[str, str]
    yes_at_least: int | None = maturity.DOES_IT
    yes_at_most: int | None = None
    words: Mapping[str, str] = field(
        default_factory=lambda: {"yes": N_("yes"), "partly": N_("partly"), "no": N_("not yet")}
    )
    sample: str | None = None

    def reads(self, answer: int | None) -> str:
        """``yes``, ``no``, ``partly`` (in between) or ``unanswered``."""
        if answer is None:
            return "unanswered"
        if self.yes_at_least is not None:
            if answer >= self.yes_at_least:
                return "yes"
            return "no" if answer <= maturity.DOES_NOT else "partly"
        assert self.yes_at_most is not None
        if answer <= self.yes_at_most:
            return "yes"
        return "no" if answer >= maturity.DOES_IT else "partly"


#: IBM's archetypes, in order.
ARCHETYPES = ("Elite", "Pro", "Amateur")

IBM_PRACTICES: tuple[Practice, ...] = (
    Practice("data_insights", N_("Rely heavily on data insights for CX decisions"), "data_decisions",
             {"Elite": "ibm_data_elite", "Pro": "ibm_data_pro", "Amateur": "ibm_data_amateur"}, {}),
    Practice("integrated_data", N_("Decide with integrated data from several sources"), "data_integrated",
             {"Elite": "ibm_integrated_elite", "Pro": "ibm_integrated_pro", "Amateur": "ibm_integrated_amateur"}, {}),
    Practice("cross_functional", N_("All functions support CX improvements"), "lead_cross_functional",
             {"Elite": "ibm_crossfunc_elite", "Pro": "ibm_crossfunc_pro", "Amateur": "ibm_crossfunc_amateur"}, {}),
    Practice("strategy", N_("CX driven by strategy and vision"), "lead_strategy",
             {"Elite": "ibm_strategy_elite", "Amateur": "ibm_strategy_amateur"},
             {"Pro": N_("under one third (no exact figure published)")}),
)  # fmt: skip

CAPGEMINI_PRACTICES: tuple[Practice, ...] = (
    Practice("coherent_strategy", N_("Have a coherent, comprehensive CX strategy"), "lead_strategy",
             {N_("Organisations"): "cg_cx_strategy"}, {}, sample="cg_sample_execs"),
    Practice("sales_marketing_only", N_("Confine CX to a few functions such as sales and marketing"),
             "lead_beyond_sales", {N_("Organisations"): "cg_cx_sales_marketing_only"}, {},
             yes_at_least=None, yes_at_most=maturity.DOES_NOT,
             words={"yes": N_("confined"), "partly": N_("partly"), "no": N_("not confined")},
             sample="cg_sample_execs"),
)  # fmt: skip


@dataclass(frozen=True)
class PracticeRow:
    """A practice beside the organisation's answer.

    Attributes:
        practice: the practice.
        answer: the organisation's answer to the matching statement (None: unanswered).
        reads: how the answer reads (:meth:`Practice.reads`).
        shares: group -> the published share (groups without a number are left out).
        unpublished: group -> what the study says instead.
        citation: the study.
        base: the study's base.
    """

    practice: Practice
    answer: int | None
    reads: str
    shares: dict[str, Cited]
    unpublished: Mapping[str, str]
    citation: str
    base: str


def shown(practice: Practice) -> Practice:
    """A practice with its label, words and unpublished notes in the current language (the
    keys, figures and groups as they are)."""
    return replace(
        practice,
        label=_(practice.label),
        unpublished={g: _(text) for g, text in practice.unpublished.items()},
        words={k: _(word) for k, word in practice.words.items()},
    )


def beside(practices: tuple[Practice, ...], answers: Mapping[str, int]) -> tuple[PracticeRow, ...]:
    """Each practice with its published shares and the organisation's answer (practices
    whose figures are all missing from the data are left out), in the current language."""
    out = []
    for p in map(shown, practices):
        shares = {g: f for g, fid in p.figures.items() if (f := cited(fid)) is not None}
        if not shares:
            continue
        first = next(iter(shares.values()))
        sample = cited(p.sample) if p.sample else None
        base = f"{display.count(sample.value)} {sample.entity.lower()}" if sample else first.base
        answer = answers.get(p.statement)
        out.append(
            PracticeRow(p, answer, p.reads(answer), shares, p.unpublished, first.citation, base)
        )
    return tuple(out)


def you_phrase(row: PracticeRow) -> str:
    """The organisation's answer in a few words: ``you: yes (4 of 5)``."""
    if row.answer is None:
        return _("you: not answered")
    word = row.practice.words.get(row.reads, row.reads)
    return _("you: {word} ({answer} of {highest})").format(
        word=word, answer=row.answer, highest=maturity.HIGHEST
    )


# --------------------------------------------------------------------------------------------
# Evidence behind a statement (the practices to adopt next)
# --------------------------------------------------------------------------------------------

#: How a figure reads as evidence, by figure id; ``{v}`` is the published value.
EVIDENCE: dict[str, str] = {
    "qx_leaders_support": N_("{v}% of CX leaders say their leadership strongly supports CX"),
    "qx_exec_owner": N_("{v}% of large organisations have an executive owning CX"),
    "cg_cx_strategy": N_("only {v}% of organisations have a coherent, comprehensive CX strategy"),
    "ibm_strategy_elite": N_("{v}% of Elite organisations run CX by strategy and vision"),
    "cg_cx_sales_marketing_only": N_("in {v}% of organisations CX is confined to a few functions such as sales and marketing"),
    "ibm_crossfunc_elite": N_("{v}% of Elite organisations have every function supporting CX improvements"),
    "qx_laggards_no_metric": N_("{v}% of CX laggards have no core CX metric"),
    "qx_core_metric": N_("{v}% of large organisations have a core CX metric"),
    "ibm_data_elite": N_("{v}% of Elite organisations rely heavily on data insights"),
    "qx_strategic_decisions": N_("only {v}% always or almost always base strategic decisions on CX insights"),
    "ibm_integrated_elite": N_("{v}% of Elite organisations decide with integrated data from several sources"),
    "qx_predict_value": N_("only {v}% of organisations predict the business value of CX work"),
    "qx_analyse_prioritise": N_("{v}% always or almost always analyse experience and operational data to prioritise"),
    "qx_follow_up": N_("{v}% systematically follow up with customers to resolve issues"),
    "qx_continuous_improvement": N_("{v}% continuously improve processes from CX insights"),
    "qx_distribute_insights": N_("{v}% distribute insights so that stakeholders act"),
    "ibm_design_elite": N_("{v}% of Elite organisations use experience design to find new revenue"),
    "qx_human_centred_design": N_("{v}% apply human-centred design to improvements"),
    "qx_skills_barrier_gap": N_("lack of CX skills is the barrier that most separates laggards from leaders ({v} points)"),
    "qx_skills_strong": N_("{v}% rate their CX skills strong"),
    "ibm_employee_feedback": N_("Elite organisations are {v}% more likely to ask employees for feedback on CX"),
    "qx_tech_weak": N_("{v}% rate the technology behind their CX weak"),
    "qx_cross_channel_poor": N_("{v}% deliver an okay or poor cross-channel experience"),
}  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """A published figure behind a practice: what it says, and its source."""

    text: str
    citation: str
    figure_id: str


def evidence(statement: maturity.Statement) -> tuple[Evidence, ...]:
    """The published figures behind a statement's practice, as sentences with their source."""
    out = []
    for fid in statement.evidence:
        figure = cited(fid)
        phrase = EVIDENCE.get(fid)
        if figure is None or phrase is None:
            continue
        text = _(phrase).format(v=display.published(figure.value))
        out.append(Evidence(text[:1].upper() + text[1:], f"{figure.citation} ({figure.base})", fid))
    return tuple(out)
