"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template below, filled with the claim's subjects and figures formatted by
:func:`shown` (the formatter the labels use). A headline is its claims joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterable

from cx.claims.model import (
    Change,
    Claim,
    Count,
    Figure,
    Gap,
    Rank,
    Statement,
    Steady,
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
