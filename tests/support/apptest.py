"""Opening the app in Streamlit's AppTest the way a link does (shared by the AppTest modules)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PAGE = "pages/overview.py"


def _navigation_only() -> None:
    """Run pages through ``app.py``'s navigation, as the server does.

    The launcher (``components/server.py``) tells Streamlit before any session starts that the
    app navigates with ``st.navigation``; AppTest forgets that before every run and would run a
    page script found in ``pages/`` on its own. Wrap its page manager so it remembers.
    """
    if getattr(PagesManager.__init__, "_navigation_only", False):
        return
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        PagesManager.uses_pages_directory = False
        original(self, *args, **kwargs)

    init._navigation_only = True  # type: ignore[attr-defined]
    PagesManager.__init__ = init  # type: ignore[method-assign]


_navigation_only()


def open_app(
    page: str | None = None,
    *,
    timeout: float = 90,
    navigate: bool = False,
    script: str = "app.py",
    secrets: Mapping[str, Any] | None = None,
    user: Mapping[str, Any] | None = None,
    **query: str,
) -> AppTest:
    """A new session opening ``page`` (a script under ``pages/``; None or the first page: the
    app's root) with a link's query, as a pasted address or a reload does. The caller checks
    for exceptions: some tests want to see them.

    Args:
        navigate: run the app's root first, then go to ``page`` from the navigation, as a click
            in the sidebar does (by default the first run is the page's, as a link's is).
        script: the file the session runs (a page script alone: a request that skips
            ``app.py``).
        secrets: ``st.secrets`` entries set before the first run (sign-in configuration).
        user: the signed-in identity ``st.user`` reports.
    """
    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = dict(user)
    for key, value in query.items():
        at.query_params[key] = value
    if page and page != FIRST_PAGE and not navigate:
        at.switch_page(page)
    at.run()
    if page and navigate:
        at.switch_page(page)
        at.run()
    return at


def open_page(page: str, **query: str) -> AppTest:
    """A new session opening ``page`` directly with a link's query (as a reload does), which
    must run without exception."""
    at = open_app(page, timeout=60, **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page writes for people to read, Markdown escapes removed."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(parts).replace("\\", "")


def unescaped(label: str) -> str:
    """A widget label as people read it (a column's name is escaped Markdown there)."""
    return re.sub(r"\\(.)", r"\1", label)


def boxes(at: AppTest) -> dict[str, Any]:
    """Each select box's value by its label as read (:func:`unescaped`)."""
    return {unescaped(s.label): s.value for s in at.selectbox}


def stored_upload(filename: str, data: bytes, dataset: str) -> AppTest:
    """The upload page after ``data`` was uploaded as ``filename`` and stored as ``dataset``
    with the mapping it detected."""
    at = open_app("pages/upload.py", timeout=60)
    at.file_uploader[0].upload(filename, data, "text/csv")
    at.run()
    name = next(t.key for t in at.text_input if t.label == "Dataset name")
    at.text_input(key=name).set_value(dataset)
    at.button(key="up_store").click()
    at.run()
    return at
