"""The one owner of page state: every ``st.session_state`` and ``st.query_params`` key.

Nothing else in the app reads or writes Streamlit's session state or the URL directly: the
key names, their defaults and their meaning live here, and the rest of the app asks for them
by function. Widgets that keep their value under a key get that key from here too
(:func:`widget_key`, :func:`filter_key` and the constants below).

What a session keeps:

- the global selection's widgets (``f_dataset``, ``f_<filter>``, ``f_confidence``, ``f_min_n``)
  and the context ``app.py`` sets up for the page (:func:`context`);
- each page's own choices (:func:`page_picks`), which page was drawn last (:func:`entered`) and
  the link the session was opened with (:func:`take_link`, :func:`take_link_picks`);
- notices about a link waiting to be shown (:func:`add_notices`, :func:`take_notices`);
- what each page drew (:class:`Drawn`): the view its charts and key figures came from, so its
  PowerPoint and Excel are built from that same view, even after a fragment redraws it;
- memos of expensive per-session work (an upload read once, :func:`memo`) and one-time flags
  (:func:`first_time`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from cx.core import i18n

P = ParamSpec("P")
R = TypeVar("R")

#: The language widget of the sidebar (and ``?lang=`` in the URL).
LANGUAGE = "f_lang"
#: The dataset widget of the sidebar.
DATASET = "f_dataset"
#: The confidence-level widget of the sidebar.
CONFIDENCE = "f_confidence"
#: The minimum-n widget of the sidebar.
MIN_N = "f_min_n"

_CONTEXT = "_ctx"
_URL_LOADED = "_url_loaded"
_LINK = "_link_query"
_NOTICES = "_notices"
_PICKS = "_picks"
_LAST_PAGE = "_last_page"
_TO_CHECK = "_picks_to_check"
_DRAWN = "_drawn"
_MEMOS = "_memos"
_FLAGS = "_flags"


def filter_key(dimension: str) -> str:
    """The widget key of a sidebar filter (``countries`` -> ``f_countries``)."""
    return f"f_{dimension}"


def widget_key(scope: str, name: str) -> str:
    """The widget key of a page's choice (``revenue``, ``preset`` -> ``pick_revenue_preset``)."""
    return f"pick_{scope}_{name}"


# --------------------------------------------------------------------------------------------
# Widget values
# --------------------------------------------------------------------------------------------


def value(key: str, default: Any = None) -> Any:
    """The value a keyed widget holds (``default`` before it exists)."""
    return st.session_state.get(key, default)


def set_value(key: str, new: Any) -> None:
    """Set a keyed widget's value (before it is drawn, or in a callback)."""
    st.session_state[key] = new


def keep_sidebar() -> None:
    """Keep the sidebar's choices through a page switch (call it in the callback that asks
    for the switch: a widget's value cannot be set once the widget is drawn). Streamlit forgets
    the widgets of a run that a page switch ends (the level and minimum n came back as their
    widgets' first options while the sidebar still showed the defaults), so each sidebar
    widget's value (``f_*``: :data:`DATASET`, :func:`filter_key`, ...) is set again as a value
    of its own."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("f_")]:
        st.session_state[key] = st.session_state[key]


def take(key: str, default: Any = None) -> Any:
    """Remove a value and return it (a one-shot message between runs)."""
    return st.session_state.pop(key, default)


def language() -> str:
    """The interface language of this run: the sidebar's choice, else the link's ``?lang=``,
    else the browser's language (else English). Decided once per session, then kept."""
    chosen = st.session_state.get(LANGUAGE)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    found = i18n.parse(st.query_params.get("lang")) or i18n.parse(st.context.locale)
    if not found:
        found = i18n.from_accept_language(st.context.headers.get("Accept-Language"))
    st.session_state[LANGUAGE] = found
    return found


def redraw_choices() -> None:
    """After the language changes (a callback): give every filter and page choice its value
    again, so that the widgets are drawn with their options in the new language. Streamlit
    keeps a selectbox's value in the browser as its option's *text*; the old language's text
    matches no option in the new one and came back as the value itself."""
    for key in list(st.session_state):
        if str(key).startswith(("f_", "pick_")) and key != LANGUAGE:
            st.session_state[key] = st.session_state[key]


# --------------------------------------------------------------------------------------------
# The URL
# --------------------------------------------------------------------------------------------


def url() -> dict[str, str]:
    """The page's URL parameters (the last value of a repeated one)."""
    return st.query_params.to_dict()


def repeated_url() -> list[str]:
    """URL parameters given more than once (``?countries=DE&countries=FR``)."""
    return sorted(key for key in st.query_params if len(st.query_params.get_all(key)) > 1)


def keep_last_url(names: Iterable[str]) -> None:
    """Keep only the last value of each of these URL parameters (the one :func:`url` reads)."""
    for name in names:
        values = st.query_params.get_all(name)
        if values:
            st.query_params[name] = values[-1]


def page_address(page: str) -> str:
    """The full address of one of the app's pages as the browser reaches it (``st.context.url``,
    without its query), else as the server is configured to be reached."""
    here = st.context.url
    if here:
        root = here.split("?", 1)[0].rstrip("/")
        trimmed = root.rsplit("/", 1)[0] if root.count("/") > 2 else root
        return f"{trimmed}/{page}"
    host = st.get_option("browser.serverAddress") or "localhost"
    port = st.get_option("browser.serverPort") or st.get_option("server.port")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"http://{host}:{port}{prefix}/{page}"


def url_value(name: str) -> str | None:
    """One URL parameter, or None."""
    found = st.query_params.get(name)
    return None if found is None else str(found)


def url_lists() -> dict[str, list[str]]:
    """Every URL parameter with all its values (a repeated parameter keeps them all)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def set_url(wanted: Mapping[str, str], managed: Iterable[str]) -> None:
    """Make the URL hold exactly ``wanted`` among the ``managed`` parameters (others stay)."""
    for key in managed:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def drop_url(*names: str) -> None:
    """Remove parameters from the URL."""
    for name in names:
        if name in st.query_params:
            del st.query_params[name]


def replace_url(params: Mapping[str, str]) -> None:
    """Replace every URL parameter with ``params``."""
    st.query_params.clear()
    for key, text in params.items():
        st.query_params[key] = text


# --------------------------------------------------------------------------------------------
# The selection and the link a session was opened with
# --------------------------------------------------------------------------------------------


def context() -> Any:
    """The context ``app.py`` set up for this run (None before it did)."""
    return st.session_state.get(_CONTEXT)


def set_context(ctx: Any) -> None:
    """Keep the context of this run for the page script."""
    st.session_state[_CONTEXT] = ctx


def url_loaded() -> bool:
    """Whether the link's filters and options were read for this session."""
    return bool(st.session_state.get(_URL_LOADED))


def set_link(query: Mapping[str, str]) -> None:
    """Remember the link the session was opened with (read once, by the first page)."""
    st.session_state[_URL_LOADED] = True
    st.session_state[_LINK] = dict(query)


def forget_link() -> None:
    """Read the URL again on the next run (opening a saved view)."""
    st.session_state.pop(_URL_LOADED, None)
    st.session_state.pop(_LAST_PAGE, None)
    st.session_state[_PICKS] = {}


def take_link() -> dict[str, str] | None:
    """The link the session was opened with, once (None afterwards)."""
    link: dict[str, str] | None = st.session_state.pop(_LINK, None)
    return link


def add_notices(notices: Iterable[str]) -> None:
    """Notices to show on the next draw (plain text: they may quote a link)."""
    st.session_state.setdefault(_NOTICES, []).extend(notices)


def take_notices() -> list[str]:
    """The notices waiting to be shown, once."""
    notices: list[str] = st.session_state.pop(_NOTICES, [])
    return notices


# --------------------------------------------------------------------------------------------
# Page choices
# --------------------------------------------------------------------------------------------


def page_picks(page: str) -> dict[str, Any]:
    """The choices the session made on a page (a live dict: callers update it)."""
    stores: dict[str, dict[str, Any]] = st.session_state.setdefault(_PICKS, {})
    return stores.setdefault(page, {})


def entered(page: str) -> bool:
    """Whether this run enters ``page`` (the last run drew another page); records it."""
    before = st.session_state.get(_LAST_PAGE)
    st.session_state[_LAST_PAGE] = page
    return before != page


def set_picks_to_check(names: Iterable[str]) -> None:
    """The choices a page was entered with from a link, for the driver to check once."""
    st.session_state[_TO_CHECK] = set(names)


def take_picks_to_check() -> set[str]:
    """The choices to check (once)."""
    names: set[str] = st.session_state.pop(_TO_CHECK, set())
    return names


# --------------------------------------------------------------------------------------------
# What a page drew: its exports read this
# --------------------------------------------------------------------------------------------


@dataclass
class Drawn:
    """What a page drew in its latest run: the view (report, selection, result, charts) and
    the keys of the charts shown, in order. A fragment that recomputes the view replaces
    :attr:`view`, so exports built on a click read the figures the screen shows now."""

    view: Any = None
    keys: list[str] = field(default_factory=list)

    def show(self, key: str) -> None:
        """Record that the chart ``key`` is on the page."""
        if key not in self.keys:
            self.keys.append(key)


def start_drawing(page: str) -> Drawn:
    """A fresh record of what ``page`` draws in this run."""
    drawn = Drawn()
    st.session_state.setdefault(_DRAWN, {})[page] = drawn
    return drawn


def drawn(page: str) -> Drawn:
    """What ``page`` drew in its latest run."""
    pages: dict[str, Drawn] = st.session_state.setdefault(_DRAWN, {})
    return pages.setdefault(page, Drawn())


# --------------------------------------------------------------------------------------------
# Memos and flags
# --------------------------------------------------------------------------------------------


def memo(name: str) -> dict[Any, Any]:
    """A per-session memo (e.g. an uploaded file read once); callers keep it small."""
    memos: dict[str, dict[Any, Any]] = st.session_state.setdefault(_MEMOS, {})
    return memos.setdefault(name, {})


def first_time(flag: str) -> bool:
    """True the first time a session asks about ``flag``, False afterwards."""
    flags: set[str] = st.session_state.setdefault(_FLAGS, set())
    if flag in flags:
        return False
    flags.add(flag)
    return True


def in_language(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` run in the language of this run wherever it is called: a widget's
    ``format_func`` (Streamlit's test harness calls it again outside the run) and a download's
    ``data`` (built on click, in a server thread where the language is the default)."""
    lang = i18n.language()

    def worded(*args: P.args, **kwargs: P.kwargs) -> R:
        with i18n.use(lang):
            return fn(*args, **kwargs)

    return worded
