"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template below, filled with the claim's subjects and figures formatted by
:func:`shown` (the formatter the labels use). A headline is its claims joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterable

from cx.claims.model import (
    Change,
    Claim,
    Control,
    Count,
    Figure,
    Gap,
    Rank,
    Shift,
    Statement,
    Steady,
    Tally,
    Top,
    Total,
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
    return f"{value:.1f}"


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
}

_TOP: dict[str, str] = {
    "leads": "{who} {leads} with an NPS of {value}",
    "trails": "{who} {trails} with an NPS of {value}",
    "largest": "{who} {has} the largest {noun}: {value}",
    "smallest": "{who} {has} the smallest {noun}: {value}",
    "weakest": "{who} {is} the weakest {noun}{scope} ({value} satisfied)",
    "strongest": "{who} {is} the strongest {noun}{scope} ({value} satisfied)",
    "highest": "{who} {has} the highest {noun}: {value}",
    "lowest": "{who} {has} the lowest {noun}: {value}",
    "most": "{who} {is} mentioned most often ({value})",
    "least": "{who} {is} mentioned least often ({value})",
}


def _top(c: Top) -> str:
    many = len(c.subjects) > 1
    words = {
        "leads": "lead" if many else "leads",
        "trails": "trail" if many else "trails",
        "has": "have" if many else "has",
        "is": "are" if many else "is",
    }
    noun = c.noun + ("s" if many and c.phrase in ("weakest", "strongest") else "")
    scope = f" {c.scope}" if c.scope else ""
    return _TOP[c.phrase].format(
        who=names(c.subjects), value=shown(c.figure), noun=noun, scope=scope, **words
    )


def _count(c: Count) -> str:
    side = f"significantly {c.side} {c.benchmark}"
    if c.count == 0:
        return f"no {c.singular} is {side}"
    verb = "is" if c.count == 1 else "are"
    return f"{c.count} of {c.total} {c.noun} {verb} {side}"


def _change(c: Change) -> str:
    if c.phrase == "level":
        verdict = "significant" if c.significant else "not significant"
        return (
            f"{c.subject} {shown(c.after)} in {c.end}, {shown(c.change)} vs {c.start} ({verdict})"
        )
    if not c.significant:
        return f"{c.subject} moved {shown(c.change)} from {c.start} to {c.end}, not a significant change"
    return f"{c.subject} moved {shown(c.change)} from {c.start} to {c.end}, a significant change"


def _steady(c: Steady) -> str:
    return f"No significant change for {names(c.subjects)} from {c.start} to {c.end}"


def _gap(c: Gap) -> str:
    size = abs(c.gap)
    if size == 0:
        return (
            f"{c.first} and {c.second} show the same figure "
            f"({shown(c.first_figure)} and {shown(c.second_figure)})"
        )
    word = c.more if c.gap > 0 else c.less
    unit = "points" if c.first_figure.unit == "nps" else "percentage points"
    if c.first_figure.unit == "pct":
        unit = "points"
    tail = "" if c.significant is None else ("" if c.significant else ", not a significant gap")
    return (
        f"{c.first} are {size:.0f} {unit} {word} than {c.second} "
        f"({shown(c.first_figure)} vs {shown(c.second_figure)}){tail}"
    )


def _total(c: Total) -> str:
    return f"{shown(c.figure)} of {c.subject} {c.predicate}"


def _versus(c: Versus) -> str:
    verb = "reaches" if c.reaches else "does not reach"
    return f"{c.first} ({shown(c.first_figure)}) {verb} {c.second} ({shown(c.second_figure)})"


def _rank(c: Rank) -> str:
    place = display.ordinal(c.rank)
    joint = "joint " if c.tied else ""
    return f"{c.subject} ranks {joint}{place} of {c.total} {c.noun}"


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
    Statement: _statement,
}


def sentence(claim: Claim) -> str:
    """One claim in words."""
    render = _RENDERERS[type(claim)]
    return render(claim)  # type: ignore[operator]


def headline(claims: Iterable[Claim]) -> str:
    """A chart's headline: its claims in words, joined with "; ", the first capitalised."""
    text = "; ".join(sentence(c) for c in claims)
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
TALLIES: dict[str, tuple[str, str]] = {
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


def _tally(c: Tally) -> str:
    none, some = TALLIES[c.phrase]
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


_RENDERERS.update({Shift: _shift, Tally: _tally, Control: _control})
