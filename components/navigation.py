"""The app's pages: every report of :data:`cx.reports.registry.REPORTS`, then the data pages."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from components import session
from cx.core.i18n import N_, _
from cx.reports.registry import REPORTS


class AppPage(NamedTuple):
    """A page that is not a report (it shows no survey figures of its own)."""

    key: str
    title: str
    icon: str
    analysts_only: bool = False


#: The path the home page holds (it is served at the root; Streamlit keeps its path taken).
HOME_PATH = "home"

#: Pages after the reports, in the "Data" section.
DATA_PAGES = (
    AppPage("upload", N_("Upload data"), ":material/upload_file:", analysts_only=True),
    AppPage("methods", N_("Data & methods"), ":material/menu_book:"),
)
DATA_SECTION = N_("Data")


def _home() -> None:
    """The home page asked for by its name: the home page, with the link's query."""
    st.switch_page(f"pages/{REPORTS[0].key}.py", query_params=session.url())


def pages(can_upload: bool) -> dict[str, list[st.Page]]:
    """The navigation: sections in report order, the overview first and default (titles and
    section names in the current language)."""
    out: dict[str, list[st.Page]] = {}
    for report in REPORTS:
        out.setdefault(_(report.section), []).append(
            st.Page(
                f"pages/{report.key}.py",
                title=_(report.nav),
                icon=report.icon,
                # the default page is served at the root but still holds its path, which no
                # link opens: it holds one nobody types, so its own name opens it (below)
                url_path=HOME_PATH if report is REPORTS[0] else report.key,
                default=report is REPORTS[0],
            )
        )
    # the home page's own name, as the command line and every other page's address use it
    # (/overview was "page not found"): opens the home page with the link's query
    home = out[_(REPORTS[0].section)]
    home.append(
        st.Page(_home, title=_(REPORTS[0].nav), url_path=REPORTS[0].key, visibility="hidden")
    )
    for page in DATA_PAGES:
        if page.analysts_only and not can_upload:
            continue  # viewers never get the page; writes check the role again
        out.setdefault(_(DATA_SECTION), []).append(
            st.Page(f"pages/{page.key}.py", title=_(page.title), icon=page.icon, url_path=page.key)
        )
    return out
