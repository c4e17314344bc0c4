"""The thin page driver: open a report for the current selection and draw its choices.

A page script is: ``view = page.start("brands")``, the page's choice widgets
(:func:`choices`), its cards in its own layout, and :func:`exports`. One compute call per run,
shared across sessions through :func:`components.data.report_view`. The page's exports are
built from the view it drew (:class:`components.session.Drawn`), never from a side list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from components import cards, data, session, state
from cx.core import display, i18n
from cx.core.i18n import _
from cx.exports.chart import Chart, DeckMeta
from cx.ingest.model import field_label, join_list
from cx.reports import links
from cx.reports.base import Choice, Pick, Report, Summary
from cx.reports.registry import BY_KEY


@dataclass
class View:
    """A report as computed for this run: its result, its charts by key, and the record of
    what the page draws (shared by every view the run computes, a fragment's included)."""

    report: Report[Any]
    ctx: state.Context
    result: Any
    charts: dict[str, Chart] = field(default_factory=dict)
    drawn: session.Drawn = field(default_factory=session.Drawn)
    slot: Any = None

    def chart(self, key: str) -> Chart | None:
        """The chart with this key, if the report made it."""
        return self.charts.get(key)

    def drawn_by_page(self, key: str) -> None:
        """Record a chart the page draws itself (the pydeck map), so its exports include it."""
        self.drawn.show(key)

    def card(self, key: str) -> bool:
        """Draw the chart with this key as a card; False when there is none."""
        chart = self.charts.get(key)
        if chart is None:
            return False
        self.drawn.show(key)
        cards.chart_card(chart, self.ctx.sel.dataset)
        return True

    def side_by_side(self, *keys: str) -> list[bool]:
        """Draw the charts there are as cards in equal columns, in order, one alone across the
        page (an outlet without a trend left its scorecard's right half empty); False for each
        key without a chart."""
        present = [k for k in keys if k in self.charts]
        places = st.columns(len(present)) if len(present) > 1 else [st.container()] * len(present)
        for place, key in zip(places, present, strict=True):
            with place:
                self.card(key)
        return [k in present for k in keys]

    def grid(self, *keys: str, per_row: int = 2) -> list[bool]:
        """Draw the charts there are as cards, ``per_row`` to a row in order, so a page whose
        dataset lacks some fills its rows rather than leaving a column empty (Channels on an
        upload without satisfaction or funnel answers drew both its cards down the left);
        False for each key without a chart."""
        present = [k for k in keys if k in self.charts]
        for start in range(0, len(present), per_row):
            self.side_by_side(*present[start : start + per_row])
        return [k in present for k in keys]


def url_text(pick: Pick, value: Any) -> str | None:
    """A pick's value as URL text (None when there is nothing to write)."""
    if value is None:
        return None
    if pick.kind == "many":
        return ",".join(str(v) for v in value)
    if pick.kind == "number":
        return number_text(float(value))
    return str(value)


def number_text(value: float) -> str:
    """A number as URL text that reads back as the same number: whole numbers without a
    decimal point (``1234567``), others in the shortest form that round-trips (``0.126``), never
    rounded to a few significant digits (``1.23457e+06`` reloaded as 1,234,570)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def compute(report: Report[Any], ctx: state.Context, chosen: dict[str, Any]) -> View:
    """The report for the selection and the given picks (cached across sessions)."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in chosen.items()))
    result, charts = data.report_view(
        report.key, ctx.sel, ctx.opts, ctx.source, key, i18n.language()
    )
    drawn = session.drawn(report.key)
    view = View(report, ctx, result, {c.key: c for c in charts}, drawn)
    drawn.view = view  # exports follow the latest view (a fragment's redraw included)
    return view


def start(key: str, *, header: bool = True) -> View:
    """Header, the 'not in this dataset' check, the page's picks, one compute.

    The chosen picks, as the report resolved them, go into the page's URL.
    """
    report = BY_KEY[key]
    ctx = state.context()
    session.start_drawing(key)
    slot = cards.header(_(report.title), lead(report, ctx)) if header else None
    if report.needs and not any(ctx.has(n) for n in report.needs):
        cards.not_in_dataset(needed(report))
        st.stop()
    chosen = state.picks(report)
    view = compute(report, ctx, chosen)
    linked = {name: chosen[name] for name in state.picks_to_check() if name in chosen}
    if linked:  # values from a link: those that are not options leave, with a notice
        kept, notices = links.check_picks(report, linked, getattr(view.result, "choices", {}))
        if kept != linked:
            chosen = {k: v for k, v in chosen.items() if k not in linked} | kept
            state.replace_picks(report.key, chosen)
            view = compute(report, ctx, chosen)
        state.notify(notices)
    sync_url(view)
    view.slot = slot
    return view


def lead(report: Report[Any], ctx: state.Context) -> str:
    """The report's lead line in the current language, with the chosen confidence level."""
    return _(report.lead).replace("{level}", ctx.opts.level)


def needed(report: Report[Any]) -> str:
    """What a report needs that the dataset lacks, in words (the fields' labels)."""
    if i18n.language() == i18n.DEFAULT:  # as it always read: "Dealer id, dealer name"
        return ", ".join(report.needs).replace("_", " ").capitalize()
    return join_list(field_label(n) for n in report.needs)


def sync_url(view: View) -> None:
    """Write the picks the user made (as resolved) into the page's URL."""
    made = state.picks_made(view.report.key)
    resolved: dict[str, Any] = getattr(view.result, "choices", {}) or {}
    values: dict[str, str] = {}
    for pick in view.report.picks:
        if pick.name not in made:
            continue
        choice = resolved.get(pick.name)
        value = choice.value if isinstance(choice, Choice) else made[pick.name]
        text = url_text(pick, value)
        if text is not None:
            values[pick.name] = text
    state.write_picks(view.report, values)


def _changed(report: str, name: str, kind: str) -> None:
    value = session.value(session.widget_key(report, name))
    if kind == "many":
        value = tuple(value or ())
    state.remember(report, name, value)


def choice_widget(view: View, name: str) -> Any:
    """Draw one pick of the page as a widget whose value is the report's resolved choice."""
    report = view.report
    pick = report.pick(name)
    choice: Choice | None = getattr(view.result, "choices", {}).get(name)
    if choice is None:
        return None
    wkey = session.widget_key(report.key, name)
    common: dict[str, Any] = {
        "key": wkey,
        "help": _(pick.help) if pick.help else None,
        "on_change": _changed,
        "args": (report.key, name, pick.kind),
        "disabled": choice.disabled,
        # option labels are marked constants ("All topics") or names as stored, which the
        # catalogs do not hold and so come back as they are
        "format_func": session.in_language(_option_text(choice)),
    }
    label = _(pick.label)
    if pick.kind == "many":
        session.set_value(wkey, list(choice.value or ()))
        return st.multiselect(
            label,
            list(choice.options),
            max_selections=pick.max_items,
            placeholder=_("All"),
            **common,
        )
    if not choice.options:
        return None
    session.set_value(wkey, choice.value)
    if pick.kind == "mode":
        return st.segmented_control(label, list(choice.options), **common)
    return st.selectbox(label, list(choice.options), **common)


def choices(view: View, names: list[str], widths: list[float] | None = None) -> None:
    """Draw several picks side by side."""
    cols = st.columns(widths or [1] * len(names))
    for col, name in zip(cols, names, strict=True):
        with col:
            choice_widget(view, name)


def deck(drawn: session.Drawn) -> tuple[list[Chart], DeckMeta]:
    """The charts and deck metadata of what a page shows now: its latest view's charts that are
    on the page, its key figures, findings and tables, its filters as applied."""
    view: View = drawn.view
    report = view.report
    summary = report.summary(view.result) if report.summary is not None else Summary()
    selection = getattr(view.result, "selection", view.ctx.sel)
    meta = DeckMeta(
        page=_(report.title),
        filters=report.filters_line(view.result, selection),
        dataset=display.dataset_label(view.ctx.source.dataset, view.ctx.source.label)
        or view.ctx.source.dataset,
        highlights=summary.findings,
        kpis=summary.kpis,
        tables=summary.tables,
    )
    return [view.charts[k] for k in drawn.keys if k in view.charts], meta


def exports(view: View) -> None:
    """The page's PowerPoint and Excel exports, built on a click from what the page shows."""
    cards.page_exports(view.drawn, lambda: deck(view.drawn), view.slot)


def _option_text(choice: Choice) -> Callable[[Any], str]:
    """How a choice's options read: its label of each, in the current language."""

    def text(option: Any) -> str:
        return _(choice.label(option))

    return text
