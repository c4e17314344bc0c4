"""Opening the app in Streamlit's AppTest the way a link does (shared by the AppTest modules)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAGE = "pages/overview.py"


def open_app(page: str | None = None, *, timeout: float = 90, **query: str) -> AppTest:
    """A new session opening ``page`` (a script under ``pages/``; None or the first page: the
    app's root) with a link's query, as a pasted address or a reload does. The caller checks
    for exceptions: some tests want to see them."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    if page and page != FIRST_PAGE:
        at.switch_page(page)
    at.run()
    return at
