"""The upload's mapping step as a person expects it: every column of the file, what it was
taken as (or why not), a sample of its answers and a control to change it; then how answers
of categorical fields are read, how dates become waves, and the industry when the file has
none. Rendering only: the decisions are read back as a mapping and :class:`Choices`."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from components import cards
from cx.core.display import plain
from cx.ingest import categories, dates
from cx.ingest.job import Column, Inspection
from cx.ingest.mapping import asks_repurchase, mapping_warnings
from cx.ingest.model import CANONICAL, REQUIRED, Choices
from cx.reports.registry import brand_pages

NOT_USED = "— not used —"
COMMENTS = "Open answers (comments)"
#: The "taken as" options: not used, comments, then every canonical field by its label.
OPTIONS = [NOT_USED, COMMENTS, *CANONICAL.values()]
FIELD_OF = {label: field for field, label in CANONICAL.items()}
#: Widths of the column list's parts: column and question, samples and why, "taken as" (wide
#: enough for the longest field label at 1366 pixels).
WIDTHS = [4, 4, 3.6]
ORDER_LABELS = {
    "dmy": "Day first (03/04/2024 is 3 April)",
    "mdy": "Month first (03/04/2024 is March 4)",
}


def _taken_as(col: str, mapping: dict[str, str], comments: list[str]) -> str:
    for field, source in mapping.items():
        if source == col:
            return CANONICAL[field]
    return COMMENTS if col in comments else NOT_USED


def _why(column: Column, chosen: str, detected: str, notes: dict[str, str]) -> str:
    """What the mapping step says beside a column."""
    if chosen != detected:
        return f"your choice (detected: {detected.lower() if detected != NOT_USED else 'not used'})"
    if chosen == COMMENTS:
        return "open answers: stored as comments, personal data masked, non-answers left out"
    if chosen != NOT_USED:
        return (
            "detected from its "
            + ("question" if column.question != column.name else "name")
            + " and answers"
        )
    return notes.get(column.name, "no field recognised in its name, question or answers")


def _sample(column: Column) -> str:
    if not column.answered:
        return "no answers"
    shown = " · ".join(column.samples)
    return f"{shown} ({column.distinct:,} distinct in {column.answered:,} answers)"


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
    head[0].markdown("**Column and question**")
    head[1].markdown("**Sample answers · why**")
    head[2].markdown("**Taken as**")
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
                    column.name,
                    OPTIONS,
                    index=OPTIONS.index(default),
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
                doubles.append(CANONICAL[field])
            out[field] = column.name
    return out, chosen_comments, doubles


def not_used(inspection: Inspection, mapping: dict[str, str], comments: list[str]) -> None:
    """The columns feeding nothing, every one in full."""
    used = set(mapping.values()) | set(comments)
    left = [c for c in inspection.columns if c.name not in used]
    if not left:
        return
    names = "; ".join(c.name if c.question == c.name else f"{c.name} ({c.question})" for c in left)
    st.caption(plain(f"Not used ({len(left)}): {names}", 100_000))


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
        answers = [v for v, _ in column.values]
        repurchase = field == "switch_intent" and asks_repurchase(column.name, column.question)
        read = [categories.reading(field, a, given, repurchase) for a in answers]
        unread = sum(r == categories.LEAVE_EMPTY and field in categories.STRICT for r in read)
        label = CANONICAL[field]
        title = f"Answers of '{column.name}' as {label.lower()}" + (
            f": {unread} not recognised, left empty unless you say what they mean" if unread else ""
        )
        with st.expander(plain(title, 400), expanded=bool(unread), icon=":material/rule:"):
            options = [categories.LEAVE_EMPTY, *categories.CODES[field]]
            if field not in categories.STRICT:
                options.append(categories.AS_WRITTEN)
            column_config: dict[str, Any] = {
                "Answer": st.column_config.TextColumn(disabled=True, width="large"),
                "Rows": st.column_config.NumberColumn(disabled=True, format="%d"),
                "Read as": (
                    st.column_config.TextColumn(
                        help="ISO 3166 code or country name; empty: leave empty"
                    )
                    if field == "country"
                    else st.column_config.SelectboxColumn(options=options, required=True)
                ),
            }
            edited = cards.editor(
                pl.DataFrame(
                    {"Answer": answers, "Rows": [n for _, n in column.values], "Read as": read}
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
            if field == "country":
                picked = [categories.LEAVE_EMPTY if p in ("", "None") else p for p in picked]
            found = categories.choices_from_table(field, answers, picked, repurchase)
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
            "Waves from the dates",
            list(dates.PERIODS),
            index=list(dates.PERIODS).index(
                choices.period if choices.period in dates.PERIODS else dates.DEFAULT_PERIOD
            ),
            format_func=lambda p: dates.PERIODS[p][:1].upper() + dates.PERIODS[p][1:],
            key=f"period_{key}",
        )
    order = choices.date_order
    with right:
        if column.ambiguous_dates:
            order = st.radio(
                f"Dates in '{column.name}' are written",
                list(ORDER_LABELS),
                index=list(ORDER_LABELS).index(order) if order in ORDER_LABELS else None,
                format_func=ORDER_LABELS.get,
                key=f"order_{key}",
                help="No date in this column has a day above 12, so its order cannot be told from the dates.",
            )
        elif column.dates:
            st.caption(plain(f"Dates in '{column.name}': {column.dates}", 2000))
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
        "Industry of these respondents (the file has no industry column)",
        options,
        index=options.index(choices.industry) if choices.industry in options else None,
        placeholder="Not given: stored without an industry",
        accept_new_options=True,
        key=f"industry_{key}",
        help="Pages compare industries; without one, this dataset's industry shows as not given.",
    )
    return str(picked) if picked else None


def required_missing(mapping: dict[str, str]) -> list[str]:
    """Labels of required fields not mapped."""
    return [CANONICAL[f] for f in REQUIRED if f not in mapping]
