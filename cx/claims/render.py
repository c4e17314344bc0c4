"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template of :mod:`cx.claims.wording`, filled here with the claim's subjects
and figures formatted by :func:`shown` (the formatter the labels use). A headline is its
claims joined with "; " (or as the join tables below say).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cx.claims import wording
from cx.claims.changes import Control, Flagged, Shift
from cx.claims.contrasts import Contrast, Count, Sides, Strongest
from cx.claims.figure import DIGITS, Figure
from cx.claims.model import (
    Change,
    Claim,
    Distinct,
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
    return wording.TOP[c.phrase].format(
        who=who, value=shown(c.figure), noun=noun, scope=scope, scope_name=c.scope,
        quoted=names(f"“{s}”" for s in c.subjects), each=" each" if many else "",
        **_many(many),
    )  # fmt: skip


#: At most this many counted rows are named in a count ("2 of 12 brands are ... (A and B)").
NAMED = 3


def _count(c: Count) -> str:
    # several flagged rows can share a name (a brand's cells on two stages): named once each
    named = tuple(dict.fromkeys(c.subjects))
    who = f" ({names(named)})" if named and len(named) <= NAMED else ""
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
    # a change without a test is said as its two figures (never "not a significant change")
    phrase = "published" if c.significant is None and c.phrase == "moved" else c.phrase
    held = c.before.shown == c.after.shown and phrase in wording.CHANGE_HELD
    return (wording.CHANGE_HELD if held else wording.CHANGE)[phrase].format(
        subject=c.name or c.subject,
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
    if c.noun:
        return (
            f"None of the {len(c.subjects)} {c.noun} changed significantly from {c.start} "
            f"to {c.end}"
        )
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
    one = c.figure.shown == 1 and c.phrase in wording.TOTAL_ONE
    return (wording.TOTAL_ONE if one else wording.TOTAL)[c.phrase].format(
        value=shown(c.figure), subject=c.subject, predicate=c.predicate
    )


def _versus(c: Versus) -> str:
    a, b = c.first_figure.shown, c.second_figure.shown
    relation = "above" if a > b else "below" if a < b else "level with"
    return wording.VERSUS[c.phrase].format(
        first=c.first, second=c.second, a=shown(c.first_figure), b=shown(c.second_figure),
        reaches="reaches" if c.reaches else "does not reach", relation=relation,
    )  # fmt: skip


def _rank(c: Rank) -> str:
    place = ("joint " if c.tied else "") + display.ordinal(c.rank)
    figure = f" ({shown(c.figure)})" if c.figure is not None else ""
    return wording.RANK[c.phrase].format(
        subject=c.subject, place=place, total=c.total, noun=c.noun, figure=figure
    )


def _value(c: Value) -> str:
    scope = f" ({c.scope})" if c.scope else ""
    zero = c.figure.shown == 0 and c.phrase in wording.VALUE_ZERO
    template = (wording.VALUE_ZERO if zero else wording.VALUE)[c.phrase]
    return template.format(who=c.subject, value=shown(c.figure), scope=scope)


def _tally(c: Tally) -> str:
    unanswered = f" ({c.unshown} unanswered)" if c.unshown else ""
    none = c.count == 0 and c.phrase in wording.TALLY_NONE
    return (wording.TALLY_NONE if none else wording.TALLY)[c.phrase].format(
        count=c.count, total=c.total, who=names(c.subjects), noun=c.noun, unanswered=unanswered,
        studies="study" if c.total == 1 else "studies", **c.values,
    )  # fmt: skip


def _distinct(c: Distinct) -> str:
    one, many = wording.DISTINCT[c.phrase]
    return (one if c.count == 1 else many).format(count=c.count, **c.values)


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
    return wording.STATEMENTS[c.key].format(**c.values)


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
    Distinct: _distinct,
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


def cell(metric: str, group: str, item: str = "") -> str:
    """A cell of the What changed family in words ("NPS of Voltara")."""
    return wording.CELLS[metric].format(group=wording.GROUPS.get(group, group), item=item)


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
        text = f"{c.subject} {verb} {_size(move)}, from {shown(c.before)} to {shown(c.after)}"
    return text if c.significant else f"{text}, not a significant change"


def _flagged(c: Flagged) -> str:
    none, some = wording.FLAGGED[c.phrase]
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


# ---- differences a table tests (cx.claims.contrasts) -----------------------------------------


def size(figure: Figure) -> str:
    """The magnitude of a difference as its label rounds it ("12"), without sign or unit."""
    return f"{abs(figure.shown):.{DIGITS[figure.unit]}f}"


def _lowered(values: Mapping[str, str]) -> dict[str, str]:
    """A claim's names, and each in lower case as ``<name>_lower`` (mid-sentence)."""
    return {**values, **{f"{k}_lower": v.lower() for k, v in values.items()}}


def _contrast(c: Contrast) -> str:
    positive, negative = wording.CONTRAST[c.phrase]
    template = negative if c.difference.shown < 0 else positive
    sure = bool(c.significant)
    return template.format(
        subject=c.subject, subject_lower=c.subject.lower(), size=size(c.difference),
        difference=shown(c.difference), verdict="significant" if sure else "not significant",
        above="significantly above" if sure else "not significantly different from",
        below="significantly below" if sure else "not significantly different from",
        **{f"q{i}": shown(q.figure) for i, q in enumerate(c.quotes)},
        **_lowered(c.values),
    )  # fmt: skip


def _sides(c: Sides) -> str:
    some, none = wording.SIDES[c.phrase]
    total = display.count(c.total)
    return (some if c.above or c.below else none).format(
        above=c.above, below=c.below, total=total, noun=c.noun,
        are="is" if c.above <= 1 else "are",
        of_them=f"{c.above} of {total}" if c.above else f"none of the {total}",
        **c.values,
    )  # fmt: skip


def _strongest(c: Strongest) -> str:
    some, none = wording.STRONGEST[c.phrase]
    return (some if c.subjects else none).format(
        subjects=names(f"“{s}”" for s in c.subjects), **_lowered(c.values)
    )


_RENDERERS.update({Contrast: _contrast, Sides: _sides, Strongest: _strongest})
