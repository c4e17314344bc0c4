"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template below, filled with the claim's subjects and figures formatted by
:func:`shown` (the formatter the labels use). A headline is its claims joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterable

from cx.claims.model import (
    DIGITS,
    Change,
    Claim,
    Contrast,
    Count,
    Distinct,
    Figure,
    Gap,
    Matches,
    Rank,
    Statement,
    Steady,
    Strongest,
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
    "outlet_unranked": "{name} has {n} responses, under the minimum of {min_n}: listed, not ranked",
    "outlet_no_trend": "Too few answers at {name} per half of the waves to show a trend",
    "outlet_no_stages": "Too few answers at {name} to rate its stages",
    "outlet_no_rest": "too few other {brand} answers in view to compare",
    "demo_brands": "the brands are fictional demo brands",
    "survey_none": "Your survey: no brand of {where} has enough responses to report",
    "averages_only": "{study}: published averages only, no brand figures",
    "no_figure_that_year": "{brand} has no published figure that year",
    "too_few_published": "{brand}: too few published brands per study to place it in quartiles",
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
    "leads_shrunk": "{who} {leads} with a shrunk NPS of {value}",
    "highest_median": "{who} outlets have the highest median shrunk NPS ({value})",
    "median_only": "{who} outlets: median shrunk NPS {value}",
    "best_median": "{who} {has} the best median outlet ({value})",
    "weakest_median": "{who} {has} the weakest median outlet ({value})",
    "theme": "Themes the taxonomy misses: {quoted} {is} the largest ({value} comments)",
    "leads_study": "{who} {leads}{scope} with {value}",
    "survey_leads": "Your survey: {who} {leads}{scope} with NPS {value}",
    "survey_leads_top2": (
        "Your survey: {who} {leads}{scope} on satisfaction with the purchase stage ({value})"
    ),
    "best_placing": "{scope_name}'s best placing is {who} (percentile rank {value})",
    "lowest_stage": "{scope_name}'s lowest stage is {who} ({value} satisfied)",
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
        who=names(c.subjects), value=shown(c.figure), noun=noun, scope=scope, scope_name=c.scope,
        quoted=names(f"“{s}”" for s in c.subjects), **words,
    )  # fmt: skip


def _count(c: Count) -> str:
    side = f"significantly {c.side} {c.benchmark}"
    if c.count == 0:
        return f"no {c.singular} is {side}"
    verb = "is" if c.count == 1 else "are"
    return f"{c.count} of {c.total} {c.noun} {verb} {side}"


def _change(c: Change) -> str:
    if c.significant is None:
        return f"{c.name or c.subject}: {shown(c.before)} in {c.start}, {shown(c.after)} in {c.end}"
    if not c.significant:
        return f"{c.subject} moved {shown(c.change)} from {c.start} to {c.end}, not a significant change"
    return f"{c.subject} moved {shown(c.change)} from {c.start} to {c.end}, a significant change"


def _steady(c: Steady) -> str:
    if c.noun:
        return f"None of the {len(c.subjects)} {c.noun} changed significantly from {c.start} to {c.end}"
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


#: Versus wordings: the relation of the first figure to the second, as shown.
_VERSUS: dict[str, str] = {
    "reaches": "{first} ({a}) {reaches} {second} ({b})",
    "median": "{first} outlets' median shrunk NPS ({a}) is {relation} {second} outlets' ({b})",
}


def _versus(c: Versus) -> str:
    a, b = c.first_figure.shown, c.second_figure.shown
    relation = "above" if a > b else "below" if a < b else "level with"
    return _VERSUS[c.phrase].format(
        first=c.first, second=c.second, a=shown(c.first_figure), b=shown(c.second_figure),
        reaches="reaches" if c.reaches else "does not reach", relation=relation,
    )  # fmt: skip


def _rank(c: Rank) -> str:
    place = display.ordinal(c.rank)
    joint = "joint " if c.tied else ""
    return f"{c.subject} ranks {joint}{place} of {c.total} {c.noun}"


def _statement(c: Statement) -> str:
    return STATEMENTS[c.key].format(**c.values)


def size(figure: Figure) -> str:
    """The magnitude of a difference as its label rounds it ("12"), without sign or unit."""
    return f"{abs(figure.shown):.{DIGITS[figure.unit]}f}"


#: Contrast wordings: (the difference is positive, negative). Blanks: {subject} (and
#: {subject_lower}), {size} and {difference} (the difference as labelled), {q0}, {q1}... (the
#: quoted figures), {verdict} (significant or not) and the claim's ``values``.
_CONTRAST: dict[str, tuple[str, str]] = {
    "nps_mentioning": (
        "Commenters who mention {subject_lower} give an NPS {size} points higher than the "
        "other commenters",
        "Commenters who mention {subject_lower} give an NPS {size} points lower than the "
        "other commenters",
    ),
    "group_mentions": (
        "{item} sets detractors apart: mentioned by {q0} of detractors and {q1} of promoters",
        "{item} sets promoters apart: mentioned by {q0} of detractors and {q1} of promoters",
    ),
    "brand_mentions": (
        "{subject}'s commenters mention {item_lower} more often than other brands' ({q0} vs {q1})",
        "{subject}'s commenters mention {item_lower} less often than other brands' ({q0} vs {q1})",
    ),
    "stage_trails": (
        "{outlet} is at or above the rest of {brand} at every stage it delivers; its smallest "
        "lead is at {subject} ({q0} satisfied against {q1}, {verdict})",
        "{outlet} trails the rest of {brand} most at {subject}: {q0} satisfied against {q1} "
        "({verdict})",
    ),
    "outlet_rest": (
        "{subject}'s raw NPS of {q0} is {above} the rest of {brand} ({q1})",
        "{subject}'s raw NPS of {q0} is {below} the rest of {brand} ({q1})",
    ),
}


def _contrast(c: Contrast) -> str:
    positive, negative = _CONTRAST[c.phrase]
    template = negative if c.difference.shown < 0 else positive
    sure = bool(c.significant)
    return template.format(
        subject=c.subject, subject_lower=c.subject.lower(), size=size(c.difference),
        difference=shown(c.difference), verdict="significant" if sure else "not significant",
        above="significantly above" if sure else "not significantly different from",
        below="significantly below" if sure else "not significantly different from",
        **{f"q{i}": shown(q.figure) for i, q in enumerate(c.quotes)},
        **c.values,
        **{f"{k}_lower": v.lower() for k, v in c.values.items()},
    )  # fmt: skip


#: Tally wordings: (some significant, none significant).
_TALLY: dict[str, tuple[str, str]] = {
    "rest": (
        "{of_them} {noun} {are} significantly above {benchmark}, {below} below",
        "none of the {total} {noun} is significantly above or below {benchmark}",
    ),
    "mentions_groups": (
        "{above} of {total} {noun} are mentioned significantly more often by detractors than "
        "by promoters, {below} less often",
        "No {singular} is mentioned significantly more or less often by detractors than by "
        "promoters",
    ),
    "nps_topics": (
        "{above} of {total} {noun} go with a significantly higher NPS than the other "
        "commenters', {below} with a lower one",
        "No topic goes with a significantly different NPS",
    ),
    "brand_topics": (
        "{above} of {total} brand-topic pairs are mentioned significantly more often than at "
        "other brands, {below} less often",
        "No brand's commenters mention a topic significantly more or less often than other brands'",
    ),
}


def _tally(c: Tally) -> str:
    some, none = _TALLY[c.phrase]
    return (some if c.above or c.below else none).format(
        above=c.above, below=c.below, total=display.count(c.total), noun=c.noun,
        are="is" if c.above <= 1 else "are",
        of_them=f"{c.above} of {display.count(c.total)}" if c.above else f"none of the {display.count(c.total)}",
        **c.values,
    )  # fmt: skip


#: Strongest wordings: (some rows named, none flagged).
_STRONGEST: dict[str, tuple[str, str]] = {
    "writes": ("{who} write {subjects}", "no term sets {who_lower} apart"),
}


def _strongest(c: Strongest) -> str:
    some, none = _STRONGEST[c.phrase]
    return (some if c.subjects else none).format(
        subjects=names(f"“{s}”" for s in c.subjects), **c.values,
        **{f"{k}_lower": v.lower() for k, v in c.values.items()},
    )  # fmt: skip


#: Matches wordings: (some rows match, none does).
_MATCHES: dict[str, tuple[str, str]] = {
    "top_quartile": (
        "{brand} is in the top quartile of {count} of {total} {studies} (latest published year "
        "each)",
        "{brand} is in no study's top quartile",
    ),
}


def _matches(c: Matches) -> str:
    some, none = _MATCHES[c.phrase]
    studies = "study" if c.total == 1 else "studies"
    return (some if c.count else none).format(
        count=c.count, total=c.total, studies=studies, **c.values
    )


#: Distinct wordings: (one value, several).
_DISTINCT: dict[str, tuple[str, str]] = {
    "studies": (
        "{brand}: published scores in 1 study",
        "{brand}: published scores in {count} studies",
    ),
}


def _distinct(c: Distinct) -> str:
    one, many = _DISTINCT[c.phrase]
    return (one if c.count == 1 else many).format(count=c.count, **c.values)


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
    Contrast: _contrast,
    Tally: _tally,
    Strongest: _strongest,
    Matches: _matches,
    Distinct: _distinct,
}


def sentence(claim: Claim) -> str:
    """One claim in words."""
    render = _RENDERERS[type(claim)]
    return render(claim)  # type: ignore[operator]


def headline(claims: Iterable[Claim]) -> str:
    """A chart's headline: its claims in words, joined with "; ", the first capitalised."""
    text = "; ".join(sentence(c) for c in claims)
    return text[:1].upper() + text[1:]
