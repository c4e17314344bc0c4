"""What the user has chosen, kept across pages and in the URL.

- the global selection (dataset and sidebar filters) and the statistical options, rendered in
  the sidebar, mirrored in the URL on every page;
- each page's own choices (a report's picks): kept per page for the session (so navigating
  away and back loses nothing) and written to the URL of that page (so a reload or a shared
  link reopens the same view). A link's values are read when a page is entered.

Text from the URL is never rendered as Markdown: notices go through :func:`cx.core.display.plain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from components import auth, data, session
from cx.core import display, i18n
from cx.core.i18n import N_, _
from cx.core.options import (
    CONFIDENCE_LEVELS,
    DEFAULT_CONFIDENCE,
    DEFAULT_MIN_N,
    MIN_N_RANGE,
    Options,
    level_text,
)
from cx.core.schema import DEMO_DATASET, FILTER_DIMENSIONS
from cx.core.selection import FILTER_KEYS, Selection, from_query_params
from cx.models import scenarios
from cx.reports.base import Report, Source
from cx.reports.registry import BY_KEY, REPORTS

#: URL parameters that are not filters or picks but are understood.
OTHER_PARAMS = ("dataset", "confidence", "min_n", "scenario", "lang")
#: Every pick name of every report (a link may carry those of the page it opens).
PICK_NAMES = frozenset(p.name for r in REPORTS for p in r.picks)
#: Display dimension of each filter (names of codes in the sidebar).
FILTER_NAMES = {"countries": "country", "channels": "channel", "segments": "segment"}
#: What an empty filter says (one message per filter: "All ..." agrees with the noun in Russian).
ALL_OF = {
    "waves": N_("All waves"),
    "countries": N_("All countries"),
    "industries": N_("All industries"),
    "channels": N_("All sales channels"),
    "segments": N_("All segments"),
}


@dataclass(frozen=True)
class Context:
    """What every page needs: the selection, statistical options and the dataset."""

    sel: Selection
    opts: Options
    source: Source

    def has(self, *names: str) -> bool:
        """Whether the dataset provides all of these canonical fields (the demo has all)."""
        return self.source.has(*names)


def _first_load(names: list[str]) -> None:
    """Read filters and options from the URL once per session (bad values become notices and
    leave the URL)."""
    notices: list[str] = []
    known = {*FILTER_KEYS, "dataset", *OTHER_PARAMS, *PICK_NAMES}
    repeated = session.repeated_url()
    session.keep_last_url(repeated)  # the last value counts, as everywhere the URL is read
    if any(k in known for k in repeated):  # say so (unknown ones leave with their own notice)
        twice = [display.clip(k, 40) for k in repeated if k in known]
        notices.append(
            _("The link gives {names} more than once; the last value of each was used.").format(
                names=", ".join(twice[:5])
            )
        )
    query = session.url()
    if query.get("scenario"):
        saved = None if auth.read_only() else scenarios.params_of(data.run, str(query["scenario"]))
        if saved is None:
            notices.append(
                _("The scenario in the link does not exist here (deleted, or another server).")
            )
            query.pop("scenario")
            session.drop_url("scenario")
        else:
            # what the link gives besides the scenario wins: an input moved after the scenario
            # opened is in the link, and a reload (or the link shared) kept the saved value
            query = {**saved, **query}
            session.set_url(query, saved)
            # the URL holds the whole state from now on: a filter cleared or an input reset
            # after opening leaves the URL, and the scenario gave it back on a reload
            session.drop_url("scenario")
    session.drop_url(*[k for k in query if k not in known])  # notices: from_query_params
    session.set_link(query)
    first = (
        query.get("dataset")
        if query.get("dataset") in names
        else (names[0] if names else DEMO_DATASET)
    )
    allowed = data.filter_options(str(first))
    unknown_ok = set(OTHER_PARAMS) | PICK_NAMES
    sel, more = from_query_params(query, allowed, names, also_allowed=unknown_ok)
    notices.extend(more)
    session.set_value(session.DATASET, sel.dataset)
    for key in FILTER_DIMENSIONS:
        session.set_value(session.filter_key(key), list(getattr(sel, key)))
    session.set_value(session.CONFIDENCE, _confidence(query.get("confidence"), notices))
    session.set_value(session.MIN_N, _min_n(query.get("min_n"), notices))
    if query.get("lang") and not i18n.parse(query.get("lang")):
        notices.append(_("Ignored an unknown interface language in the link."))
    session.add_notices(notices)


def _confidence(text: str | None, notices: list[str]) -> float:
    """The link's confidence level, if it is one the sidebar offers (else a notice)."""
    if text is None:
        return DEFAULT_CONFIDENCE
    try:
        level = float(text)
    except ValueError:
        level = None
    if level not in CONFIDENCE_LEVELS:
        notices.append(_("Ignored an unknown confidence level in the link."))
        return DEFAULT_CONFIDENCE
    return float(level)


def _min_n(text: str | None, notices: list[str]) -> int:
    """The link's minimum n, if it is a whole number in the sidebar's range (else a notice)."""
    if text is None:
        return DEFAULT_MIN_N
    lo, hi, _step = MIN_N_RANGE
    value = text.strip()
    if (
        value.isascii()
        and value.isdigit()
        and len(value) <= len(str(hi))
        and lo <= int(value) <= hi
    ):
        return int(value)
    notices.append(
        _("Ignored a minimum n in the link that is not a whole number from {lo} to {hi}.").format(
            lo=lo, hi=hi
        )
    )
    return DEFAULT_MIN_N


def notify(notices: list[str]) -> None:
    """Show notices about a link (plain text: they may quote the link)."""
    for notice in notices:
        st.toast(display.plain(notice, 160), icon=":material/link_off:", duration="long")


def sidebar() -> Context:
    """Render the global filters (kept across pages, mirrored in the URL) and return them."""
    catalogue = data.datasets()
    names = catalogue["dataset"].to_list()
    if not session.url_loaded():
        _first_load(names)
    if session.value(session.DATASET) not in names:
        session.set_value(session.DATASET, DEMO_DATASET if DEMO_DATASET in names else names[0])
    labels = dict(zip(catalogue["dataset"], catalogue["label"], strict=True))
    with st.sidebar:
        st.selectbox(
            ":material/translate: " + _("Language"),
            i18n.LANGUAGES,
            key=session.LANGUAGE,
            format_func=i18n.NATIVE_NAMES.__getitem__,
            on_change=session.redraw_choices,
        )
        st.markdown("### " + _("Filters"))
        dataset = st.selectbox(
            _("Dataset"),
            names,
            key=session.DATASET,
            format_func=session.in_language(
                lambda d: display.dataset_label(d, str(labels.get(d, d)))
            ),
            help=_("The embedded demo is synthetic survey data with fictional brands."),
        )
        allowed = data.filter_options(dataset)
        values: dict[str, tuple[str, ...]] = {}
        for key, label in FILTER_DIMENSIONS.items():
            options = allowed.get(key, [])
            wkey = session.filter_key(key)
            session.set_value(wkey, [v for v in session.value(wkey, []) if v in options])
            dimension = FILTER_NAMES.get(key, key)
            chosen = st.multiselect(
                _(label),
                options,
                key=wkey,
                placeholder=_(ALL_OF[key]) if key in ALL_OF else _("All"),
                format_func=session.in_language(
                    lambda v, d=dimension: display.name(d, v)  # type: ignore[misc]
                ),
            )
            values[key] = tuple(chosen)
        if any(values.values()):
            st.button(
                _("Clear filters"), key="clear_filters", width="stretch", on_click=_clear_filters
            )
        with st.expander(_("Statistics"), expanded=False):
            lo, hi, step = MIN_N_RANGE
            min_n = st.number_input(
                _("Suppress groups under n ="),
                min_value=lo,
                max_value=hi,
                step=step,
                key=session.MIN_N,
                help=_(
                    "Groups with fewer responses, or an effective n under it (responses "
                    "counted down for unequal weights), show 'n too small' instead of a score."
                ),
            )
            confidence = st.selectbox(
                _("Confidence level"),
                CONFIDENCE_LEVELS,
                key=session.CONFIDENCE,
                format_func=session.in_language(level_text),
                help=_("The level of every interval and significance test on every page."),
            )
        source = data.source(dataset)
        if source.kind == "demo":
            st.caption(
                _(
                    ":material/science: **Demo data is synthetic**: fictional brands, calibrated "
                    "to published figures. Published figures are labelled as such on every page."
                )
            )
    sel = Selection(dataset=dataset, **values)
    opts = Options(min_n=int(min_n), confidence=float(confidence))
    _sync_url(sel, opts)
    notify(session.take_notices())
    return Context(sel=sel, opts=opts, source=source.of(sel))


def _clear_filters() -> None:
    """Reset every global filter (a callback: it runs before the filter widgets exist)."""
    for key in FILTER_DIMENSIONS:
        session.set_value(session.filter_key(key), [])


def apply_link(params: Mapping[str, str]) -> None:
    """Open a saved view: its dataset, filters and page choices replace the current ones
    (a callback: the sidebar reads them when it is drawn next)."""
    session.forget_link()
    session.replace_url(params)


def _sync_url(sel: Selection, opts: Options) -> None:
    """Mirror the selection and options in the URL so a copied link reopens the same view."""
    wanted = sel.to_query_params()
    if opts.confidence != DEFAULT_CONFIDENCE:
        wanted["confidence"] = f"{opts.confidence:g}"
    if opts.min_n != DEFAULT_MIN_N:
        wanted["min_n"] = str(opts.min_n)
    if i18n.language() != i18n.DEFAULT:
        wanted["lang"] = i18n.language()
    session.set_url(wanted, (*FILTER_KEYS, "dataset", "confidence", "min_n", "lang"))


def context() -> Context:
    """The context ``app.py`` set up for the current run.

    A page script run without ``app.py`` (the very first request of a server started with
    plain ``streamlit run app.py``, before any session has called ``st.navigation``) gets the
    same sign-in gate and filters here, so nothing is reachable around them.
    """
    ctx = session.context()
    if not isinstance(ctx, Context):
        i18n.activate(session.language())  # as app.py does, before any text
        auth.gate()
        ctx = sidebar()
        session.set_context(ctx)
    return ctx


# --------------------------------------------------------------------------------------------
# Page choices (report picks)
# --------------------------------------------------------------------------------------------


def picks(report: Report[Any]) -> dict[str, Any]:
    """The page's current choices: from the link when the page is entered with some, else
    what the session last chose on this page."""
    store = session.page_picks(report.key)
    if session.entered(report.key):
        link = session.take_link()
        from_url = report.parse_picks(link or session.url())
        session.set_picks_to_check(from_url)
        mine = {p.name for p in report.picks}
        foreign = sorted(k for k in link or () if k in PICK_NAMES and k not in mine)
        if foreign:  # choices of other pages in a pasted link: say so (write_picks drops them)
            notify(
                [
                    _("Ignored link parameters this page does not use: {names}").format(
                        names=", ".join(foreign)
                    )
                ]
            )
        if from_url:
            if any(p.kind == "number" for p in report.picks) and "preset" in from_url:
                # a link carries a preset and its changed inputs: nothing else of the session's
                store.clear()
            store.update(from_url)
    return dict(store)


def picks_to_check() -> set[str]:
    """The picks the page was entered with from a link (once: the driver checks them)."""
    return session.take_picks_to_check()


def replace_picks(report: str, values: Mapping[str, Any]) -> None:
    """Set the page's choices to ``values`` (those not in it are forgotten)."""
    store = session.page_picks(report)
    store.clear()
    store.update(values)


def remember(report: str, name: str, value: Any) -> None:
    """Keep one choice of a page (widget callbacks call this)."""
    session.page_picks(report)[name] = value


def forget(report: str, *names: str) -> None:
    """Drop choices of a page (e.g. model inputs when the preset changes)."""
    store = session.page_picks(report)
    for name in names:
        store.pop(name, None)


def write_picks(report: Report[Any], values: Mapping[str, str]) -> None:
    """Put the page's choices (as URL text) in the URL, dropping other pages' choices."""
    mine = {p.name for p in report.picks}
    session.set_url({k: v for k, v in values.items() if k in mine}, sorted(PICK_NAMES | mine))


def report_for(url_path: str) -> Report[Any] | None:
    """The report of a page's URL path (``""`` is the overview)."""
    return BY_KEY.get(url_path or "overview")


def picks_made(report: str) -> dict[str, Any]:
    """The choices the session has made on a page (what its URL carries)."""
    return dict(session.page_picks(report))


def selection_of(params: Mapping[str, str]) -> Selection:
    """The selection a set of link parameters describes (invalid values left out)."""
    names = data.datasets()["dataset"].to_list()
    dataset = params.get("dataset") if params.get("dataset") in names else DEMO_DATASET
    sel, _notices = from_query_params(
        params, data.filter_options(str(dataset)), names, also_allowed=set(params)
    )
    return sel
