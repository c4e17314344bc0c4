"""The upload's mapping step as a person expects it: every column of the file, what it was
taken as (or why not), a sample of its answers and a control to change it; then how answers
of categorical fields are read, how dates become waves, and the industry when the file has
none. Rendering only: the decisions are read back as a mapping and :class:`Choices`."""

from __future__ import annotations

import functools
from typing import Any

import polars as pl
import streamlit as st

from components import cards, session
from cx.core import display, i18n
from cx.core.display import plain
from cx.core.i18n import N_, _
from cx.ingest import categories, dates
from cx.ingest.job import Column, Inspection
from cx.ingest.mapping import asks_repurchase, mapping_warnings
from cx.ingest.model import CANONICAL, REQUIRED, Choices, field_label
from cx.reports.registry import brand_pages

NOT_USED = N_("— not used —")
COMMENTS = N_("Open answers (comments)")
#: The "taken as" options: not used, comments, then every canonical field by its label.
OPTIONS = [NOT_USED, COMMENTS, *CANONICAL.values()]
FIELD_OF = {label: field for field, label in CANONICAL.items()}
#: Widths of the column list's parts: column and question, samples and why, "taken as" (wide
#: enough for the longest field label at 1366 pixels).
WIDTHS = [4, 4, 3.6]
ORDER_LABELS = {
    "dmy": N_("Day first (03/04/2024 is 3 April)"),
    "mdy": N_("Month first (03/04/2024 is March 4)"),
}


def option_text(option: str) -> str:
    """A "taken as" option in the current language (the options are the English labels)."""
    field = FIELD_OF.get(option)
    return field_label(field) if field is not None else _(option)


def _period_text(period: str) -> str:
    """A wave period as the choice names it ("Quarters (2024Q1)")."""
    text = _(dates.PERIODS[period])
    return text[:1].upper() + text[1:]


#: The answer tables' readings that are not values: shown in the language, stored in English.
_SENTINELS = (categories.LEAVE_EMPTY, categories.AS_WRITTEN)


def _reading(field: str, option: str) -> str:
    """How an answer is read, as the answer-values table shows it: the code (English), or its
    name in the other languages; leaving it empty or as written in words."""
    if option in _SENTINELS:
        return _(option)
    return option if i18n.language() == i18n.DEFAULT else display.name(field, option)


def _taken_as(col: str, mapping: dict[str, str], comments: list[str]) -> str:
    for field, source in mapping.items():
        if source == col:
            return CANONICAL[field]
    return COMMENTS if col in comments else NOT_USED


def _why(column: Column, chosen: str, detected: str, notes: dict[str, str]) -> str:
    """What the mapping step says beside a column."""
    if chosen != detected:
        if detected == NOT_USED:
            return _("your choice (detected: not used)")
        found = detected.lower() if i18n.language() == i18n.DEFAULT else option_text(detected)
        return _("your choice (detected: {field})").format(field=found)
    if chosen == COMMENTS:
        return _("open answers: stored as comments, personal data masked, non-answers left out")
    if chosen != NOT_USED:
        if column.question != column.name:
            return _("detected from its question and answers")
        return _("detected from its name and answers")
    if column.name in notes:
        return notes[column.name]  # worded by the mapping, in the current language
    return _("no field recognised in its name, question or answers")


def _sample(column: Column) -> str:
    if not column.answered:
        return _("no answers")
    shown = " · ".join(column.samples)
    return _("{samples} ({distinct} distinct in {answered} answers)").format(
        samples=shown, distinct=i18n.number(column.distinct), answered=i18n.number(column.answered)
    )


def columns_step(
    inspection: Inspection,
    mapping: dict[str, str],
    comments: list[str],
    notes: dict[str, str],
    key: str,
) -> tuple[dict[str, str], list[str], list[str]]:
    """Every column with what it is taken as; returns the mapping, the comment columns and
    the fields two columns were given (an error to show)."""
    detected_map, detected_comments = inspection.mapping, inspection.comments
    head = st.columns(WIDTHS)
    head[0].markdown("**" + _("Column and question") + "**")
    head[1].markdown("**" + _("Sample answers · why") + "**")
    head[2].markdown("**" + _("Taken as") + "**")
    out: dict[str, str] = {}
    chosen_comments: list[str] = []
    doubles: list[str] = []
    for i, column in enumerate(inspection.columns):
        default = _taken_as(column.name, mapping, comments)
        detected = _taken_as(column.name, detected_map, detected_comments)
        with st.container(border=False):
            left, middle, right = st.columns(WIDTHS, vertical_alignment="top")
            with right:
                chosen = st.selectbox(
                    plain(column.name, 200),  # a label is Markdown, hidden or not
                    OPTIONS,
                    index=OPTIONS.index(default),
                    format_func=session.in_language(option_text),
                    key=f"map_{key}_{i}",
                    label_visibility="collapsed",
                )
            with left:
                st.markdown(f"**{plain(column.name, 2000)}**")
                if column.question != column.name:
                    st.caption(plain(column.question, 2000))
            with middle:
                st.caption(plain(_sample(column), 2000))
                st.caption(plain(_why(column, chosen, detected, notes), 2000))
        if chosen == COMMENTS:
            chosen_comments.append(column.name)
        elif chosen != NOT_USED:
            field = FIELD_OF[chosen]
            if field in out:
                doubles.append(field_label(field))
            out[field] = column.name
    return out, chosen_comments, doubles


def not_used(inspection: Inspection, mapping: dict[str, str], comments: list[str]) -> None:
    """The columns feeding nothing, every one in full."""
    used = set(mapping.values()) | set(comments)
    left = [c for c in inspection.columns if c.name not in used]
    if not left:
        return
    names = "; ".join(c.name if c.question == c.name else f"{c.name} ({c.question})" for c in left)
    st.caption(plain(_("Not used ({n}): {names}").format(n=len(left), names=names), 100_000))


def warnings_step(inspection: Inspection, mapping: dict[str, str]) -> None:
    """One line per thing the mapping will cost the pages (a repurchase question taken as
    switching intent, no brand column): :func:`cx.ingest.mapping.mapping_warnings`."""
    questions = {c.name: c.question for c in inspection.columns}
    for line in mapping_warnings(mapping, questions, brand_pages()):
        st.warning(plain(line, 1000), icon=":material/warning:")


def answer_values_step(
    inspection: Inspection, mapping: dict[str, str], chosen: dict[str, dict[str, str]], key: str
) -> dict[str, dict[str, str]]:
    """How the answers of each mapped categorical field are read, changeable per answer."""
    columns = {c.name: c for c in inspection.columns}
    out: dict[str, dict[str, str]] = {}
    for field in categories.CODES:
        if field not in mapping:
            continue
        column = columns[mapping[field]]
        if not column.values:
            continue
        given = chosen.get(field, {})
        answers = [v for v, _count in column.values]
        repurchase = field == "switch_intent" and asks_repurchase(column.name, column.question)
        read = [categories.reading(field, a, given, repurchase) for a in answers]
        defaults = None
        if field == "brand":  # spellings of one brand read as one, as the store reads them
            merged = categories.merged_spellings(column.values)
            defaults = [merged.get(a, categories.AS_WRITTEN) for a in answers]
            read = [
                d if a not in given else r for a, r, d in zip(answers, read, defaults, strict=True)
            ]
        unread = sum(r == categories.LEAVE_EMPTY and field in categories.STRICT for r in read)
        label = CANONICAL[field].lower() if i18n.language() == i18n.DEFAULT else field_label(field)
        if unread:
            title = _(
                "Answers of '{column}' as {field}: {n} not recognised, left empty unless you say "
                "what they mean"
            ).format(column=column.name, field=label, n=unread)
        else:
            title = _("Answers of '{column}' as {field}").format(column=column.name, field=label)
        with st.expander(plain(title, 400), expanded=bool(unread), icon=":material/rule:"):
            options = [categories.LEAVE_EMPTY, *categories.CODES[field]]
            if field not in categories.STRICT:
                options.append(categories.AS_WRITTEN)
            column_config: dict[str, Any] = {
                "Answer": st.column_config.TextColumn(_("Answer"), disabled=True, width="large"),
                "Rows": st.column_config.NumberColumn(_("Rows"), disabled=True, format="%d"),
                "Read as": (
                    st.column_config.TextColumn(
                        _("Read as"),
                        help=_("ISO 3166 code or country name; empty: leave empty")
                        if field == "country"
                        else _('The brand\'s name ("Volkswagen" for "VW"); empty: leave empty'),
                    )
                    if field in categories.FREE_TEXT
                    else st.column_config.SelectboxColumn(
                        _("Read as"),
                        options=options,
                        required=True,
                        format_func=session.in_language(functools.partial(_reading, field)),
                    )
                ),
            }
            edited = cards.editor(
                pl.DataFrame(
                    {
                        "Answer": answers,
                        "Rows": [n for _answer, n in column.values],
                        # the free-text cells show the two readings in the language
                        "Read as": [_(r) if r in _SENTINELS else r for r in read]
                        if field in categories.FREE_TEXT
                        else read,
                    }
                ),
                column_config=column_config,
                key=f"values_{key}_{field}",
                disabled=["Answer", "Rows"],
            )
            table = edited if isinstance(edited, pl.DataFrame) else pl.DataFrame(edited)
            picked = [
                str(x) if x is not None else categories.LEAVE_EMPTY
                for x in table["Read as"].to_list()
            ]
            if field in categories.FREE_TEXT:
                back = {_(r): r for r in _SENTINELS}  # "(как написано)" is "(as written)"
                picked = [
                    categories.LEAVE_EMPTY if p in ("", "None") else back.get(p, p) for p in picked
                ]
            found = categories.choices_from_table(field, answers, picked, repurchase, defaults)
            if found:
                out[field] = found
    return out


def waves_step(
    inspection: Inspection, mapping: dict[str, str], choices: Choices, key: str
) -> tuple[str, str | None, bool]:
    """The wave period and, for an ambiguous date column, the date order; returns (period,
    order, ready): not ready while an ambiguous column has no order."""
    if "date" not in mapping:
        return choices.period, choices.date_order, True
    column = next(c for c in inspection.columns if c.name == mapping["date"])
    left, right = st.columns(2)
    with left:
        period = st.selectbox(
            _("Waves from the dates"),
            list(dates.PERIODS),
            index=list(dates.PERIODS).index(
                choices.period if choices.period in dates.PERIODS else dates.DEFAULT_PERIOD
            ),
            format_func=session.in_language(_period_text),
            key=f"period_{key}",
        )
    order = choices.date_order
    with right:
        if column.ambiguous_dates:
            order = st.radio(
                _("Dates in '{column}' are written").format(column=column.name),
                list(ORDER_LABELS),
                index=list(ORDER_LABELS).index(order) if order in ORDER_LABELS else None,
                format_func=session.in_language(lambda o: _(ORDER_LABELS[o])),
                key=f"order_{key}",
                help=_(
                    "No date in this column has a day above 12, so its order cannot be told "
                    "from the dates."
                ),
            )
        elif column.dates:
            text = _("Dates in '{column}': {dates}").format(column=column.name, dates=column.dates)
            st.caption(plain(text, 2000))
    return str(period), order, not column.ambiguous_dates or order is not None


def industry_step(
    mapping: dict[str, str], choices: Choices, known: list[str], key: str
) -> str | None:
    """The industry of every respondent of a file without an industry column: asked, never
    invented (empty when not given)."""
    if "industry" in mapping:
        return None
    options = sorted(set(known) | ({choices.industry} if choices.industry else set()))
    picked = st.selectbox(
        _("Industry of these respondents (the file has no industry column)"),
        options,
        index=options.index(choices.industry) if choices.industry in options else None,
        placeholder=_("Not given: stored without an industry"),
        accept_new_options=True,
        key=f"industry_{key}",
        help=_(
            "Pages compare industries; without one, this dataset's industry shows as not given."
        ),
    )
    return str(picked) if picked else None


def required_missing(mapping: dict[str, str]) -> list[str]:
    """Labels of required fields not mapped (in the current language)."""
    return [field_label(f) for f in REQUIRED if f not in mapping]
