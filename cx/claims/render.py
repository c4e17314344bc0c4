"""Claims in words: one renderer, with the same number formats as the charts' labels.

Every wording is a template of :mod:`cx.claims.wording`, filled here with the claim's subjects
and figures formatted by :func:`shown` (the formatter the labels use). A headline is its
claims joined with "; " (or as the join tables below say).

Headlines render in the current language (:mod:`cx.core.i18n`): templates and the words the
reports pass in (:data:`cx.claims.wording.PHRASES`, through :func:`said`) are translated,
numbers are formatted by :mod:`cx.core.display` in the language, counts agree through
``ngettext``. English reads exactly as the templates are written.
"""

from __future__ import annotations

import re
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
from cx.core import display, i18n
from cx.core.i18n import _, ngettext


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
        return display.published_pct(value)
    if unit == "ratio":
        return _decimal(value, 2)
    if unit == "points":
        return display.points(value)
    if unit == "pct_points":
        return display.pct_points(value)
    if unit == "count":
        return display.count(value)
    if unit == "usd_m":
        return display.usd_m(value)
    if unit == "published":
        return display.published(value)
    return _decimal(value, 2)  # a score on the 1-5 scale, as the competency bars show it


def _decimal(value: float, digits: int) -> str:
    """A plain decimal (4.20; 4,20 in Russian)."""
    if i18n.language() == i18n.DEFAULT:
        return f"{value:.{digits}f}"
    return i18n.number(value, digits)


def said(text: str) -> str:
    """A word a report passed in (a noun, a benchmark, a predicate) in the language when it
    is one of :data:`wording.PHRASES`; names from data and words already translated as they
    are."""
    return display.noun(text)


def _said_all(values: Mapping[str, str]) -> dict[str, str]:
    """:func:`said` of each of a claim's values."""
    return {k: said(v) if isinstance(v, str) else v for k, v in values.items()}


def _points(size: float, percentage: bool = False, shares: bool = False) -> str:
    """A size in points without its sign ("5 points", "1 point", "2 percentage points"; "fell
    1 points" was on the Overview). ``shares``: the gap is between percentages, which Chinese
    and Russian name in percentage points (个百分点, п. п.), not points."""
    n = round(abs(size))
    if i18n.language() == i18n.DEFAULT:
        unit = "percentage point" if percentage else "point"
        return f"{abs(size):.0f} {unit}" if n == 1 else f"{abs(size):.0f} {unit}s"
    if percentage or shares:
        return ngettext("{n} percentage point", "{n} percentage points", n).format(n=n)
    return ngettext("{n} point", "{n} points", n).format(n=n)


#: Chinese punctuation between the parts of a headline (full-width), by the ASCII it replaces.
_ZH_PUNCTUATION: dict[str, str] = {"; ": "；", ", ": "，", ": ": "："}


def _glue(text: str) -> str:
    """A separator between parts of a headline in the language ("; " -> zh "；")."""
    return _ZH_PUNCTUATION.get(text, text) if i18n.language() == "zh" else text


def _aside(text: str) -> str:
    """Text in brackets after a word (" (+23)"; zh full-width "（+23）")."""
    return f"（{text}）" if i18n.language() == "zh" else f" ({text})"


def _quoted(text: str) -> str:
    """Text in the language's quotation marks (“x”, «x»)."""
    return _("“{text}”").format(text=text)


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
    """Verbs agreeing with one subject or several, in the language."""
    verbs = wording.VERBS_MANY if many else wording.VERBS_ONE
    return {k: _(v) for k, v in verbs.items()}


def top_value(c: Top) -> str:
    """A top claim's figure as said: its rows' figures from the lowest to the highest where
    they read differently (rows the chart cannot tell apart: "68% to 69%")."""
    if c.upto is None:
        return shown(c.figure)
    ends = sorted((c.figure, c.upto), key=lambda f: f.value)
    return display.interval(ends[0], ends[1], shown)


def _top(c: Top) -> str:
    many = len(c.subjects) > 1
    noun = plural(c.noun) if many and c.phrase in ("weakest", "strongest") else c.noun
    # after a word with a space, but no space in Chinese ("阶段 （Automakers）" had a stray one)
    scope = ("" if i18n.language() == "zh" else " ") + said(c.scope) if c.scope else ""
    who = names(c.subjects)
    # the claim holds every one; the sentence names one (not where the noun is no kind of the
    # subjects: "Voltara does best in Canada and 2 other Voltaras")
    if len(c.subjects) > 2 and c.noun and c.phrase not in wording.NOUN_NOT_SUBJECTS:
        who = _("{first} and {count} other {noun}").format(
            first=c.subjects[0], count=len(c.subjects) - 1, noun=said(plural(c.noun))
        )
    return _(wording.TOP[c.phrase]).format(
        who=who, value=top_value(c), noun=said(noun), scope=scope, scope_name=c.scope,
        quoted=names(_quoted(s) for s in c.subjects), each=" each" if many else "",
        **_many(many),
    )  # fmt: skip


#: At most this many counted rows are named in a count ("2 of 12 brands are ... (A and B)").
NAMED = 3


def _count(c: Count) -> str:
    # several flagged rows can share a name (a brand's cells on two stages): named once each
    named = tuple(dict.fromkeys(c.subjects))
    who = names(named) if named and len(named) <= NAMED else ""
    # the names and the untested in one bracket ("(Voltara and Zhenyu; 13 could not be
    # tested)"), not two in a row
    inside = _glue("; ").join(p for p in (who, _untested_words(c)) if p)
    return _count_words(c) + (_aside(inside) if inside else "")


def _untested_words(c: Count | Sides) -> str:
    """How many of a count's rows could not be tested, when only some were ("13 could not be
    tested"; "" otherwise): "none of the 52 ranked outlets is significantly above" counted 13
    no test could find significant."""
    if c.tested is None or not 0 < c.tested < c.total:
        return ""
    left = c.total - c.tested
    return ngettext("{count} could not be tested", "{count} could not be tested", left).format(
        count=display.count(left)
    )


def _some_untested(c: Count | Sides) -> str:
    """:func:`_untested_words` in brackets after a count (" (13 could not be tested)")."""
    words = _untested_words(c)
    return _aside(words) if words else ""


def _count_words(c: Count) -> str:
    if untested(c):
        return _untested(c)
    words = {
        "count": c.count, "total": c.total, "noun": said(c.noun), "singular": said(c.singular),
        "benchmark": said(c.benchmark),
    }  # fmt: skip
    if c.side == "different":
        if c.count == 0:
            return _("no {singular} differs significantly from {benchmark}").format(**words)
        return ngettext(
            "{count} of {total} {noun} differs significantly from {benchmark}",
            "{count} of {total} {noun} differ significantly from {benchmark}",
            c.count,
        ).format(**words)
    if c.side == "above":
        if c.count == 0:
            return _("no {singular} is significantly above {benchmark}").format(**words)
        return ngettext(
            "{count} of {total} {noun} is significantly above {benchmark}",
            "{count} of {total} {noun} are significantly above {benchmark}",
            c.count,
        ).format(**words)
    if c.count == 0:
        return _("no {singular} is significantly below {benchmark}").format(**words)
    return ngettext(
        "{count} of {total} {noun} is significantly below {benchmark}",
        "{count} of {total} {noun} are significantly below {benchmark}",
        c.count,
    ).format(**words)


def _change(c: Change) -> str:
    moved = c.change.shown
    percentage = c.change.unit == "pct_points"
    # a change without a test is said as its two figures (never "not a significant change")
    phrase = "published" if c.significant is None and c.phrase == "moved" else c.phrase
    if phrase == "moved" and c.change.unit in ("points", "pct_points"):
        phrase = "moved_points"  # "Norvik fell 39 points", not "moved -39 points"
    held = c.before.shown == c.after.shown and phrase in wording.CHANGE_HELD
    return _((wording.CHANGE_HELD if held else wording.CHANGE)[phrase]).format(
        subject=said(c.name or c.subject),
        before=shown(c.before),
        after=shown(c.after),
        change=shown(c.change),
        start=c.start,
        end=c.end,
        verdict=_("a significant change") if c.significant else _("not a significant change"),
        short=_("significant") if c.significant else _("not significant"),
        direction=(
            _("rose {size}").format(size=_points(moved, percentage)) if moved > 0
            else _("fell {size}").format(size=_points(moved, percentage)) if moved < 0
            else _("held")
        ),
        at=_(" at the {level} level").format(level=c.level) if c.level and c.significant else "",
    )  # fmt: skip


def _steady(c: Steady) -> str:
    if c.noun and len(c.subjects) > 1:  # one is named: "none of the 1 topics" reads wrong
        return _("None of the {count} {noun} changed significantly from {start} to {end}").format(
            count=len(c.subjects), noun=said(c.noun), start=c.start, end=c.end
        )
    return _("No significant change for {names} from {start} to {end}").format(
        names=names(c.subjects), start=c.start, end=c.end
    )


def _gap(c: Gap) -> str:
    first, second = (said(w) for w in (c.words or (c.first, c.second)))
    # after a word with a space, but none in Chinese ("直销购车者 在购买环节" had a stray one)
    context = ("" if i18n.language() == "zh" else " ") + said(c.context) if c.context else ""
    size = abs(c.gap)
    a, b = shown(c.first_figure), shown(c.second_figure)
    if size == 0:
        return _("{first} and {second} show the same figure{context} ({a} and {b})").format(
            first=first, second=second, context=context, a=a, b=b
        )
    word = said(c.more if c.gap > 0 else c.less)
    words = {
        "first": first, "second": second, "context": context, "a": a, "b": b, "word": word,
        "size": _points(
            size, c.first_figure.unit == "pct_points", c.first_figure.unit in ("pct", "pct_points")
        ),
    }  # fmt: skip
    if c.significant is False:
        return _(
            "{first} are {size} {word}{context} than {second} ({a} vs {b}), not a significant gap"
        ).format(**words)
    return _("{first} are {size} {word}{context} than {second} ({a} vs {b})").format(**words)


def _total(c: Total) -> str:
    one = c.figure.shown == 1 and c.phrase in wording.TOTAL_ONE
    return _((wording.TOTAL_ONE if one else wording.TOTAL)[c.phrase]).format(
        value=shown(c.figure), subject=said(c.subject), predicate=said(c.predicate)
    )


def _versus(c: Versus) -> str:
    a, b = c.first_figure.shown, c.second_figure.shown
    relation = _("above") if a > b else _("below") if a < b else _("level with")
    return _(wording.VERSUS[c.phrase]).format(
        first=said(c.first), second=said(c.second), a=shown(c.first_figure),
        b=shown(c.second_figure), reaches=_("reaches") if c.reaches else _("does not reach"),
        relation=relation,
    )  # fmt: skip


def _place(c: Rank) -> str:
    """A row's place ("9th", "joint 2nd")."""
    place = display.ordinal(c.rank)
    return _("joint {place}").format(place=place) if c.tied else place


def _rank(c: Rank) -> str:
    figure = _aside(shown(c.figure)) if c.figure is not None else ""
    return _(wording.RANK[c.phrase]).format(
        subject=c.subject, place=_place(c), total=c.total, noun=said(c.noun), figure=figure
    )


def _value(c: Value) -> str:
    scope = _aside(said(c.scope)) if c.scope else ""
    zero = c.figure.shown == 0 and c.phrase in wording.VALUE_ZERO
    template = _((wording.VALUE_ZERO if zero else wording.VALUE)[c.phrase])
    return template.format(who=said(c.subject), value=shown(c.figure), scope=scope)


def _tally(c: Tally) -> str:
    unanswered = _(" ({count} unanswered)").format(count=c.unshown) if c.unshown else ""
    none = c.count == 0 and c.phrase in wording.TALLY_NONE
    return _((wording.TALLY_NONE if none else wording.TALLY)[c.phrase]).format(
        count=c.count, total=c.total, who=names(c.subjects), noun=said(c.noun),
        unanswered=unanswered, studies=ngettext("study", "studies", c.total),
        **_said_all(c.values),
    )  # fmt: skip


def _distinct(c: Distinct) -> str:
    one, many = wording.DISTINCT[c.phrase]
    return _(one if c.count == 1 else many).format(count=c.count, **_said_all(c.values))


def _spread(c: Spread) -> str:
    noun = said(c.noun)
    return _("{noun} differ most on {groups}: {high} {a} vs {low} {b} ({size} apart)").format(
        noun=noun[:1].upper() + noun[1:], groups=names(c.groups), high=names(c.high),
        a=shown(c.high_figure), low=names(c.low), b=shown(c.low_figure),
        size=_points(
            c.spread, c.high_figure.unit not in ("pct", "nps"), c.high_figure.unit != "nps"
        ),
    )  # fmt: skip


def _range(c: Range) -> str:
    span = display.interval(c.low_figure, c.high_figure, shown)
    if c.named:
        return f"{c.subjects[0]}: {span}"
    return _("each {span}").format(span=span) if len(c.subjects) > 1 else span


def _statement(c: Statement) -> str:
    return _(wording.STATEMENTS[c.key]).format(**_said_all(c.values))


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
        and (
            before.label,
            before.column,
            before.total,
            before.tested,
            before.noun,
            before.benchmark,
        )
        == (c.label, c.column, c.total, c.tested, c.noun, c.benchmark)
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
    figure = _aside(shown(c.figure)) if c.figure is not None else ""
    return _("{subject} {place}{figure}").format(subject=c.subject, place=_place(c), figure=figure)


def _joined(c: Claim, before: Claim | None) -> str | None:
    """What joins ``c`` to the claim before it when it is not "; " (:data:`_JOINED_AFTER`,
    :data:`_JOINS_NEXT`), else None."""
    if before is None:
        return None
    after = _JOINED_AFTER.get(getattr(c, "phrase", ""))
    glue = after if after is not None else _JOINS_NEXT.get(getattr(before, "phrase", ""))
    return None if glue is None else _glue(glue)


def _other_count(c: Count) -> str:
    """The other side of a count said shortly (", 7 below", ", none above")."""
    if c.side == "above":
        return _(", {count} above").format(count=c.count) if c.count else _(", none above")
    return _(", {count} below").format(count=c.count) if c.count else _(", none below")


def headline(claims: Iterable[Claim]) -> str:
    """A chart's headline: its claims in words, joined with "; ", the first capitalised. A
    count of the other side of the same family follows the first as ", 7 below"; a range
    follows the claim before it (", each $145M to $218M"); phrases that continue a sentence
    follow theirs as the join tables say ("Stage 3: mean score 3.10")."""
    parts: list[str] = []
    before: Claim | None = None
    totals: list[str] = []  # subjects of totals said together
    ranking = -1  # the part that is a ranking said together ("of 13 industries: ...")
    for c in claims:
        glue = _joined(c, before) if parts else None
        if glue is not None:
            parts[-1] += glue + sentence(c)
        elif isinstance(c, Total) and _same_total(c, before) and parts:
            totals.append(c.subject)
            parts[-1] = _("{value} of {subjects} each {predicate}").format(
                value=shown(c.figure), subjects=_shared(totals), predicate=said(c.predicate)
            )
        elif isinstance(c, Count) and _other_side(c, before) and parts:
            if not untested(c):  # "too few answers to test any of the brands, none below"
                aside = _some_untested(c)  # said once: after both sides, or in the names' bracket
                if aside and parts[-1].endswith(aside):
                    parts[-1] = parts[-1].removesuffix(aside) + _other_count(c) + aside
                else:
                    parts[-1] += _other_count(c)
        elif isinstance(c, Range) and parts:
            parts[-1] += _glue(", ") + sentence(c)
        elif isinstance(c, Rank) and _same_ranking(c, before) and parts:
            assert isinstance(before, Rank)
            if ranking != len(parts) - 1:
                parts[-1] = _("of {total} {noun}: {placed}").format(
                    total=before.total, noun=said(before.noun), placed=_placed(before)
                )
                ranking = len(parts) - 1
            parts[-1] += _glue(", ") + _placed(c)
        else:
            parts.append(sentence(c))
        if isinstance(c, Total) and not (totals and _same_total(c, before)):
            totals = [c.subject]
        before = c
    text = _glue("; ").join(parts)
    if i18n.language() == "zh":  # no space between two Chinese words ("亿美元 至 6.35")
        text = _BETWEEN_HAN.sub("", text)
    return text[:1].upper() + text[1:]


#: A space between two Han characters (or full-width brackets): Chinese sets none there; a
#: space stays beside Latin letters and digits ("4.23 亿美元", "Automakers 客户").
_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff（）]) (?=[\u4e00-\u9fff（）])")


# ---- changes between two waves (the What changed page and the digest) ----------------------


def cell(metric: str, group: str, item: str = "") -> str:
    """A cell of the What changed family in words ("NPS of Voltara")."""
    found = wording.GROUPS.get(group)
    return _(wording.CELLS[metric]).format(group=group if found is None else _(found), item=item)


def _size(change: Figure) -> str:
    """The size of a change without its sign ("12 points", "1 point")."""
    size = int(abs(float(f"{change.value:.0f}")))
    return ngettext("{n} point", "{n} points", size).format(n=size)


def _shift(c: Shift) -> str:
    move = c.change
    words = {
        "subject": c.subject, "size": _size(move), "before": shown(c.before),
        "after": shown(c.after),
    }  # fmt: skip
    if move.value == 0:
        text = _("{subject} held at {after}").format(**words)
    elif move.value > 0:
        text = _("{subject} rose {size}, from {before} to {after}").format(**words)
    else:
        text = _("{subject} fell {size}, from {before} to {after}").format(**words)
    return text if c.significant else _("{text}, not a significant change").format(text=text)


def _flagged(c: Flagged) -> str:
    if c.total == 0:  # not "no significant change in any of the 0 cells"
        return _("too few answers to test a change from {start} to {end}").format(
            start=c.start, end=c.end
        )
    none, some = wording.FLAGGED[c.phrase]
    template = _(some if c.count else none)
    singular, noun = said(c.singular), said(c.noun)
    which = (
        _("the {singular} tested").format(singular=singular) if c.total == 1
        else _("any of the {total} {noun}").format(total=display.count(c.total), noun=noun)
    )  # fmt: skip
    return template.format(
        count=display.count(c.count), total=display.count(c.total), singular=singular,
        which=which, noun=singular if c.total == 1 else noun,
        start=c.start, end=c.end,
    )  # fmt: skip


def _control(c: Control) -> str:
    words = {
        "subject": c.subject, "measure": said(c.measure), "value": shown(c.figure),
        "wave": c.wave, "baseline": shown(c.baseline),
    }  # fmt: skip
    if not c.beyond:
        return _(
            "{subject}: {measure} of {value} in {wave}, within its control limits "
            "(baseline {baseline})"
        ).format(**words)
    if c.figure.shown > c.baseline.shown:
        return _(
            "{subject}: {measure} rose to {value} in {wave}, beyond its control limits "
            "(baseline {baseline})"
        ).format(**words)
    return _(
        "{subject}: {measure} fell to {value} in {wave}, beyond its control limits "
        "(baseline {baseline})"
    ).format(**words)


_RENDERERS.update({Shift: _shift, Flagged: _flagged, Control: _control})


# ---- differences a table tests (cx.claims.contrasts) -----------------------------------------


def size(figure: Figure) -> str:
    """The magnitude of a difference as its label rounds it ("12"), without sign or unit."""
    return _decimal(abs(figure.shown), DIGITS[figure.unit])


def _lowered(values: Mapping[str, str]) -> dict[str, str]:
    """A claim's names (in the language where they are :func:`said`), and each in lower case as
    ``<name>_lower`` (mid-sentence)."""
    values = _said_all(values)
    return {**values, **{f"{k}_lower": v.lower() for k, v in values.items()}}


def _contrast(c: Contrast) -> str:
    positive, negative = wording.CONTRAST[c.phrase]
    template = _(negative if c.difference.shown < 0 else positive)
    sure = bool(c.significant)
    subject = said(c.subject)
    return template.format(
        subject=subject, subject_lower=subject.lower(), size=size(c.difference),
        difference=shown(c.difference), verdict=_("significant") if sure else _("not significant"),
        above=_("significantly above") if sure else _("not significantly different from"),
        below=_("significantly below") if sure else _("not significantly different from"),
        **{f"q{i}": shown(q.figure) for i, q in enumerate(c.quotes)},
        **_lowered(c.values),
    )  # fmt: skip


def _untested(c: Count | Sides) -> str:
    """A count whose family has no test: nothing is "not significant" (a small upload's Voice
    title said no topic differed over bars all "n too small"; a one-brand upload's, that no
    brand was above the rest, with no rest to test it against)."""
    if c.total == 0:
        return _("too few answers to test any of the {noun}").format(noun=said(c.noun))
    return _("none of the {noun} could be tested").format(noun=said(c.noun))


def untested(c: Count | Sides) -> bool:
    """Whether a count's family has no test: no row reportable, or none with a p-value."""
    return c.total == 0 or c.tested == 0


def _sides(c: Sides) -> str:
    if untested(c):
        return _untested(c)
    if c.total == 1 and c.phrase in wording.SIDES_ONE:  # "none of the 1 outlets" reads wrong
        above, below, neither = wording.SIDES_ONE[c.phrase]
        one = above if c.above else below if c.below else neither
        return _(one).format(**_said_all(c.values))
    some, none = wording.SIDES[c.phrase]
    total = display.count(c.total)
    said_ = _(some if c.above or c.below else none).format(
        above=c.above, below=c.below, total=total, noun=said(c.noun),
        are=_(wording.VERBS_ONE["is"]) if c.above <= 1 else _(wording.VERBS_MANY["is"]),
        of_them=(
            _("{count} of {total}").format(count=c.above, total=total) if c.above
            else _("none of the {total}").format(total=total)
        ),
        **_said_all(c.values),
    )  # fmt: skip
    return said_ + _some_untested(c)


def _strongest(c: Strongest) -> str:
    some, none = wording.STRONGEST[c.phrase]
    return _(some if c.subjects else none).format(
        subjects=names(_quoted(s) for s in c.subjects), **_lowered(c.values)
    )


_RENDERERS.update({Contrast: _contrast, Sides: _sides, Strongest: _strongest})
