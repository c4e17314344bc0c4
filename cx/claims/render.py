"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template below, filled with the claim's subjects and figures formatted by
:func:`shown` (the formatter the labels use). A headline is its claims joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterable

from cx.claims.changes import Control, Flagged, Shift
from cx.claims.figure import Figure
from cx.claims.model import (
    Change,
    Claim,
    Count,
    Gap,
    Range,
    Rank,
    Spread,
    Statement,
    Steady,
    Tally,
    Top,
    Total,
    Value,
    Versus,
)
from cx.core import display


def shown(figure: Figure) -> str:
    """A figure as its label shows it (+23, 54%, +5 points, $182M, 4.2)."""
    unit, value = figure.unit, figure.value
    if unit == "nps":
        return display.nps(value)
    if unit == "pct":
        return display.pct(value)
    if unit == "pct1":
        return display.pct(value, 1)
    if unit == "published_pct":
        return f"{display.published(value)}%"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "points":
        return display.points(value)
    if unit == "pct_points":
        return display.points(value).replace(" points", " percentage points")
    if unit == "count":
        return display.count(value)
    if unit == "usd_m":
        return display.usd_m(value)
    if unit == "published":
        return display.published(value)
    return f"{value:.2f}"  # a score on the 1-5 scale, as the competency bars show it


def plural(noun: str) -> str:
    """A noun's plural (stage -> stages, competency -> competencies)."""
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def names(subjects: Iterable[str]) -> str:
    """Subjects joined as a sentence does ("A, B and C")."""
    return display.join(subjects)


#: Statements by key (sentences without numbers).
STATEMENTS: dict[str, str] = {
    "no_brand": "No brand has enough responses to report",
    "no_group": "No {noun} has enough responses to report",
    "no_stages": "Too few responses to rate the journey stages",
    "no_trend": "Too few responses per wave to show a trend",
    "one_wave": "One wave in this selection: no trend to show",
    "nothing": "Nothing to show for this selection",
    "few_mapped": "Too few countries with enough responses to map",
    "few_compared": "Too few {noun} with enough responses to compare",
    "few_per_country": "{subject}: too few responses per country to rank",
    "no_model": "Too few complete answers for a driver model",
    "no_model_why": "No driver model: {why}",
    "weak_model": (
        "The stages explain little of NPS here: no stage can be named the one to fix first"
    ),
    "unsettled": "its lead over {other} is not settled at the {level} level",
    "not_compared": "{what} by {by}",
    "no_answers": "No statement answered yet: answer the statements below to get a stage",
    "answer_to_compare": "answer them to compare",
    "no_strategy_figure": "Capgemini's executive figures on CX strategy",
    "few_assessments": "Too few complete assessments of {organisation} for a trend",
}

#: Top claims by phrase: {who} the row(s), {value} the figure, {noun} and {scope} as given.
_TOP: dict[str, str] = {
    "leads": "{who} {leads} with an NPS of {value}{scope}",
    "trails": "{who} {trails} with an NPS of {value}{scope}",
    "sales_lead": "{who} sales lead on NPS ({value})",
    "highest_nps": "highest NPS: {who} ({value})",
    "lowest_nps": "lowest: {who} ({value})",
    "largest": "{who} {has} the largest {noun}: {value}",
    "smallest": "{who} {has} the smallest {noun}: {value}",
    "weakest": "{who} {is} the weakest {noun}{scope} ({value} satisfied)",
    "strongest": "{who} {is} the strongest {noun}{scope} ({value} satisfied)",
    "highest": "{who} {has} the highest {noun}: {value}",
    "lowest": "{who} {has} the lowest {noun}: {value}",
    "highest_in": "NPS is highest in {who} ({value})",
    "same_nps": "{who} show the same NPS ({value})",
    "lowest_in": "lowest in {who} ({value})",
    "best_in": "{noun} does best in {who} ({value})",
    "worst_in": "worst in {who} ({value})",
    "converts": "{who} {converts} {value} of leads into orders, the most of any {noun}",
    "swing": "{who} {moves} the result most",
    "fix_first": (
        "Fix {who} first: of the less-satisfied half of the stages it weighs most for NPS "
        "({value} of what the stages explain)"
    ),
    "weighs_most": (
        "{who} {weighs} most for NPS among the less-satisfied half of the stages ({value} of "
        "what the stages explain)"
    ),
    "weighs_most_all": "{who} {weighs} most for NPS ({value} of what the stages explain)",
    "most": "{who} {is} mentioned most often ({value})",
    "least": "{who} {is} mentioned least often ({value})",
    "holds_there": "{who} ({value}) {holds} the programme there",
    "strongest_of": "strongest: {who} ({value})",
    "weakest_of": "weakest: {who} ({value})",
    "share_from": "between {value}",
    "share_to": "and {value} of {noun} organisations do these practices",
}

#: Value claims by phrase: {who} the row, {value} its figure, {scope} whose figure it is.
_VALUE: dict[str, str] = {
    "value": "{value}",
    "at_risk": "{value} a year at risk",
    "kept": "{value} could be kept by better CX",
    "only_satisfied": "only {value} are satisfied with it",
    "nps_of": "NPS of {who}: {value}{scope}",
    "switch_if_dissatisfied": (
        "{value} of customers dissatisfied with {who} intend to switch brand within 18 months"
    ),
    "vehicles": "{value} vehicles a year",
    "promoters": "promoters {value}",
    "r2": "R² = {value}",
    "stage_is": "Stage {value}",
    "mean_score": "mean score {value}",
    "below_mean": "below its mean of {value}",
    "were_at": "{value} of large organisations were at {who}",
    "reached": "{value} reached {who}",
    "like_you": "like you, {value} of large organisations were at {who}",
    "have_strategy": "You have a coherent CX strategy; only {value} of organisations do",
    "only_strategy": "Only {value} of organisations have a coherent, comprehensive CX strategy",
    "no_strategy": "Like most organisations (only {value} have one), no coherent CX strategy yet",
}
#: Value claims whose figure shows zero, by phrase: said in words rather than "0%".
_VALUE_ZERO: dict[str, str] = {
    "reached": "none reached {who}",
    "like_you": "no large organisation in the study was at {who}, where you are",
}

#: Change claims by phrase: {subject}, {before}, {after}, {change} (the labels' difference),
#: {start}, {end}, {verdict} (significant or not) and {level}.
_CHANGE: dict[str, str] = {
    "moved": "{subject} moved {change} from {start} to {end}, {verdict}",
    "nps": "NPS {after} in {end}, {change} vs {start} ({short})",
    "vs": "{change} vs {start} ({short})",
    "rose": "NPS {direction} from {start} to {end} ({before} to {after}), {verdict}{at}",
    "stage": "Stage {before} → {after} from {start} to {end}",
    "mean_over": "mean {before} → {after}",
}
#: Change claims whose two figures show the same, by phrase.
_CHANGE_HELD: dict[str, str] = {"stage": "Still stage {after} from {start} to {end}"}

#: Total claims by phrase: {value} the total as its parts' labels add up, {subject}, {predicate}.
_TOTAL: dict[str, str] = {
    "of": "{value} of {subject} {predicate}",
    "below": "{value} below",
    "answered": "{value} statements answered",
}
#: Total claims whose total shows one, by phrase.
_TOTAL_ONE: dict[str, str] = {"answered": "{value} statement answered"}

#: Tally claims by phrase: {count} of {total} rows read the value, {who} names them,
#: {unanswered} says how many show none.
_TALLY: dict[str, str] = {
    "you_do": "You do {count} of the {total} practices that set {noun} organisations apart"
    "{unanswered}",
    "unscored": "not scored yet: {who}",
}

#: What stands between a claim and the one before it, by the later claim's phrase (else "; ").
_JOINED_AFTER: dict[str, str] = {
    "below": ", ",
    "below_mean": ", ",
    "weakest_of": ", ",
    "share_to": " ",
}
#: ...and by the earlier claim's phrase.
_JOINS_NEXT: dict[str, str] = {"stage_is": ": "}


def _many(many: bool) -> dict[str, str]:
    """Verbs agreeing with one subject or several."""
    one = {"leads": "leads", "trails": "trails", "has": "has", "is": "is",
           "converts": "converts", "moves": "moves", "weighs": "weighs",
           "holds": "holds"}  # fmt: skip
    if not many:
        return one
    return {k: v[:-1] if k not in ("has", "is") else {"has": "have", "is": "are"}[k]
            for k, v in one.items()}  # fmt: skip


def _top(c: Top) -> str:
    many = len(c.subjects) > 1
    noun = plural(c.noun) if many and c.phrase in ("weakest", "strongest") else c.noun
    scope = f" {c.scope}" if c.scope else ""
    who = names(c.subjects)
    if len(c.subjects) > 2 and c.noun:  # the claim holds every one; the sentence names one
        who = f"{c.subjects[0]} and {len(c.subjects) - 1} other {plural(c.noun)}"
    return _TOP[c.phrase].format(
        who=who, value=shown(c.figure), noun=noun, scope=scope,
        each=" each" if many else "", **_many(many),
    )  # fmt: skip


#: At most this many counted rows are named in a count ("2 of 12 brands are ... (A and B)").
NAMED = 3


def _count(c: Count) -> str:
    who = f" ({names(c.subjects)})" if c.subjects and len(c.subjects) <= NAMED else ""
    return _count_words(c) + who


def _count_words(c: Count) -> str:
    if c.side == "different":
        if c.count == 0:
            return f"no {c.singular} differs significantly from {c.benchmark}"
        verb = "differs" if c.count == 1 else "differ"
        return f"{c.count} of {c.total} {c.noun} {verb} significantly from {c.benchmark}"
    side = f"significantly {c.side} {c.benchmark}"
    if c.count == 0:
        return f"no {c.singular} is {side}"
    verb = "is" if c.count == 1 else "are"
    return f"{c.count} of {c.total} {c.noun} {verb} {side}"


def _change(c: Change) -> str:
    moved = c.change.shown
    held = c.before.shown == c.after.shown and c.phrase in _CHANGE_HELD
    return (_CHANGE_HELD if held else _CHANGE)[c.phrase].format(
        subject=c.subject,
        before=shown(c.before),
        after=shown(c.after),
        change=shown(c.change),
        start=c.start,
        end=c.end,
        verdict="a significant change" if c.significant else "not a significant change",
        short="significant" if c.significant else "not significant",
        direction=(
            f"rose {abs(moved):.0f} points" if moved > 0
            else f"fell {abs(moved):.0f} points" if moved < 0 else "held"
        ),
        at=f" at the {c.level} level" if c.level and c.significant else "",
    )  # fmt: skip


def _steady(c: Steady) -> str:
    return f"No significant change for {names(c.subjects)} from {c.start} to {c.end}"


def _gap(c: Gap) -> str:
    first, second = c.words or (c.first, c.second)
    context = f" {c.context}" if c.context else ""
    size = abs(c.gap)
    if size == 0:
        return (
            f"{first} and {second} show the same figure{context} "
            f"({shown(c.first_figure)} and {shown(c.second_figure)})"
        )
    word = c.more if c.gap > 0 else c.less
    unit = "percentage points" if c.first_figure.unit == "pct_points" else "points"
    tail = "" if c.significant is None else ("" if c.significant else ", not a significant gap")
    return (
        f"{first} are {size:.0f} {unit} {word}{context} than {second} "
        f"({shown(c.first_figure)} vs {shown(c.second_figure)}){tail}"
    )


def _total(c: Total) -> str:
    one = c.figure.shown == 1 and c.phrase in _TOTAL_ONE
    return (_TOTAL_ONE if one else _TOTAL)[c.phrase].format(
        value=shown(c.figure), subject=c.subject, predicate=c.predicate
    )


def _versus(c: Versus) -> str:
    verb = "reaches" if c.reaches else "does not reach"
    return f"{c.first} ({shown(c.first_figure)}) {verb} {c.second} ({shown(c.second_figure)})"


#: Rank claims by phrase: {subject}, {place} ("joint 2nd"), {total}, {noun}, {figure} (" (+2)").
_RANK: dict[str, str] = {
    "ranks": "{subject} ranks {place} of {total} {noun}{figure}",
    "place": "{subject}{figure}: {place} of {total} {noun}",
}


def _rank(c: Rank) -> str:
    place = ("joint " if c.tied else "") + display.ordinal(c.rank)
    figure = f" ({shown(c.figure)})" if c.figure is not None else ""
    return _RANK[c.phrase].format(
        subject=c.subject, place=place, total=c.total, noun=c.noun, figure=figure
    )


def _value(c: Value) -> str:
    scope = f" ({c.scope})" if c.scope else ""
    zero = c.figure.shown == 0 and c.phrase in _VALUE_ZERO
    template = (_VALUE_ZERO if zero else _VALUE)[c.phrase]
    return template.format(who=c.subject, value=shown(c.figure), scope=scope)


def _tally(c: Tally) -> str:
    unanswered = f" ({c.unshown} unanswered)" if c.unshown else ""
    return _TALLY[c.phrase].format(
        count=c.count, total=c.total, who=names(c.subjects), noun=c.noun, unanswered=unanswered
    )


def _spread(c: Spread) -> str:
    size = c.spread
    unit = "points" if c.high_figure.unit in ("pct", "nps") else "percentage points"
    return (
        f"{c.noun[:1].upper() + c.noun[1:]} differ most on {names(c.groups)}: "
        f"{names(c.high)} {shown(c.high_figure)} vs {names(c.low)} {shown(c.low_figure)} "
        f"({size:.0f} {unit} apart)"
    )


def _range(c: Range) -> str:
    span = f"{shown(c.low_figure)} to {shown(c.high_figure)}"
    if c.named:
        return f"{c.subjects[0]}: {span}"
    return f"each {span}" if len(c.subjects) > 1 else span


def _statement(c: Statement) -> str:
    return STATEMENTS[c.key].format(**c.values)


_RENDERERS = {
    Top: _top,
    Count: _count,
    Change: _change,
    Steady: _steady,
    Gap: _gap,
    Total: _total,
    Versus: _versus,
    Rank: _rank,
    Value: _value,
    Spread: _spread,
    Range: _range,
    Tally: _tally,
    Statement: _statement,
}


def sentence(claim: Claim) -> str:
    """One claim in words."""
    render = _RENDERERS[type(claim)]
    return render(claim)  # type: ignore[operator]


def _other_side(c: Count, before: Claim | None) -> bool:
    """Whether ``c`` counts the other side of the same family as ``before`` (said shortly)."""
    return (
        isinstance(before, Count)
        and before.side != c.side
        and "different" not in (before.side, c.side)
        and (before.label, before.column, before.total, before.noun, before.benchmark)
        == (c.label, c.column, c.total, c.noun, c.benchmark)
    )


def _shared(subjects: list[str]) -> str:
    """Subjects sharing their last word said once ("dealer and agency customers")."""
    last = {s.rsplit(" ", 1)[-1] for s in subjects}
    if len(last) == 1 and all(" " in s for s in subjects):
        return f"{names(s.rsplit(' ', 1)[0] for s in subjects)} {last.pop()}"
    return names(subjects)


def _same_total(c: Total, before: Claim | None) -> bool:
    """Whether ``c`` says the same total as ``before`` of other rows (said together: "31% of
    dealer and agency customers each intend to switch")."""
    return (
        isinstance(before, Total)
        and before.predicate == c.predicate
        and before.figure.shown == c.figure.shown
        and before.figure.unit == c.figure.unit
    )


def _same_ranking(c: Rank, before: Claim | None) -> bool:
    """Whether ``c`` places another row of the ranking ``before`` placed (said together:
    "of 13 industries: Automakers 9th (35%), Car dealers 11th (31%)")."""
    return (
        isinstance(before, Rank)
        and before.phrase == c.phrase == "place"
        and (before.label, before.column, before.total, before.noun)
        == (c.label, c.column, c.total, c.noun)
    )


def _placed(c: Rank) -> str:
    """A row and its place, for a ranking said together ("Automakers 9th (35%)")."""
    figure = f" ({shown(c.figure)})" if c.figure is not None else ""
    return f"{c.subject} {'joint ' if c.tied else ''}{display.ordinal(c.rank)}{figure}"


def _joined(c: Claim, before: Claim | None) -> str | None:
    """What joins ``c`` to the claim before it when it is not "; " (:data:`_JOINED_AFTER`,
    :data:`_JOINS_NEXT`), else None."""
    if before is None:
        return None
    after = _JOINED_AFTER.get(getattr(c, "phrase", ""))
    return after if after is not None else _JOINS_NEXT.get(getattr(before, "phrase", ""))


def headline(claims: Iterable[Claim]) -> str:
    """A chart's headline: its claims in words, joined with "; ", the first capitalised. A
    count of the other side of the same family follows the first as ", 7 below"; a range
    follows the claim before it (", each $145M to $218M"); phrases that continue a sentence
    follow theirs as the join tables say ("Stage 3: mean score 3.10")."""
    parts: list[str] = []
    before: Claim | None = None
    totals: list[str] = []  # subjects of totals said together
    for c in claims:
        glue = _joined(c, before) if parts else None
        if glue is not None:
            parts[-1] += glue + sentence(c)
        elif isinstance(c, Total) and _same_total(c, before) and parts:
            totals.append(c.subject)
            parts[-1] = f"{shown(c.figure)} of {_shared(totals)} each {c.predicate}"
        elif isinstance(c, Count) and _other_side(c, before) and parts:
            parts[-1] += f", {c.count or 'none'} {c.side}"
        elif isinstance(c, Range) and parts:
            parts[-1] += f", {sentence(c)}"
        elif isinstance(c, Rank) and _same_ranking(c, before) and parts:
            assert isinstance(before, Rank)
            if not parts[-1].startswith("of "):
                parts[-1] = f"of {before.total} {before.noun}: {_placed(before)}"
            parts[-1] += f", {_placed(c)}"
        else:
            parts.append(sentence(c))
        if isinstance(c, Total) and not (totals and _same_total(c, before)):
            totals = [c.subject]
        before = c
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# ---- changes between two waves (the What changed page and the digest) ----------------------

STATEMENTS.update(
    {
        "one_wave_compare": "One wave in this selection: nothing to compare",
        "no_control": "No outlet has enough responses in its baseline and its latest wave for a control chart",
    }
)

#: Cells by metric: what a row of a changes table is called.
CELLS: dict[str, str] = {
    "nps": "NPS of {group}",
    "outlet_nps": "NPS of {group}",
    "satisfied": "{item} satisfaction at {group}",
    "topic_share": "Share of comments on {group}",
}
#: Groups without a name of their own.
GROUPS: dict[str, str] = {"All": "all respondents"}

#: Tallies by phrase: (nothing flagged, some flagged).
FLAGGED: dict[str, tuple[str, str]] = {
    "changed": (
        "no significant change in {which} from {start} to {end}",
        "{count} of {total} {noun} changed significantly from {start} to {end}",
    ),
    "beyond": (
        "no {singular} moved beyond its control limits in {end} ({total} tested)",
        "{count} of {total} {noun} moved beyond their control limits in {end}",
    ),
}


def cell(metric: str, group: str, item: str = "") -> str:
    """A cell of the What changed family in words ("NPS of Voltara")."""
    return CELLS[metric].format(group=GROUPS.get(group, group), item=item)


def _size(change: Figure) -> str:
    """The size of a change without its sign ("12 points", "1 point")."""
    size = abs(float(f"{change.value:.0f}"))
    return f"{size:.0f} point" + ("" if size == 1 else "s")


def _shift(c: Shift) -> str:
    move = c.change
    if move.value == 0:
        text = f"{c.subject} held at {shown(c.after)}"
    else:
        verb = "rose" if move.value > 0 else "fell"
        text = f"{c.subject} {verb} {_size(move)} ({shown(c.before)} to {shown(c.after)})"
    return text if c.significant else f"{text}, not a significant change"


def _flagged(c: Flagged) -> str:
    none, some = FLAGGED[c.phrase]
    template = some if c.count else none
    which = f"the {c.singular} tested" if c.total == 1 else f"any of the {c.total:,} {c.noun}"
    return template.format(
        count=f"{c.count:,}", total=f"{c.total:,}", singular=c.singular, which=which,
        noun=c.singular if c.total == 1 else c.noun,
        start=c.start, end=c.end,
    )  # fmt: skip


def _control(c: Control) -> str:
    base = shown(c.baseline)
    if not c.beyond:
        return (
            f"{c.subject}: {c.measure} of {shown(c.figure)} in {c.wave}, within its control "
            f"limits (baseline {base})"
        )
    verb = "rose" if c.figure.shown > c.baseline.shown else "fell"
    return (
        f"{c.subject}: {c.measure} {verb} to {shown(c.figure)} in {c.wave}, beyond its "
        f"control limits (baseline {base})"
    )


_RENDERERS.update({Shift: _shift, Flagged: _flagged, Control: _control})
