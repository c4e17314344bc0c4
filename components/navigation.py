"""The app's pages: every report of :data:`cx.reports.registry.REPORTS`, then the data pages."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from cx.core.i18n import N_, _
from cx.reports.registry import REPORTS


class AppPage(NamedTuple):
    """A page that is not a report (it shows no survey figures of its own)."""

    key: str
    title: str
    icon: str
    analysts_only: bool = False


#: Pages after the reports, in the "Data" section.
DATA_PAGES = (
    AppPage("upload", N_("Upload data"), ":material/upload_file:", analysts_only=True),
    AppPage("methods", N_("Data & methods"), ":material/menu_book:"),
)
DATA_SECTION = N_("Data")


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
                url_path=report.key,
                default=report is REPORTS[0],
            )
        )
    for page in DATA_PAGES:
        if page.analysts_only and not can_upload:
            continue  # viewers never get the page; writes check the role again
        out.setdefault(_(DATA_SECTION), []).append(
            st.Page(f"pages/{page.key}.py", title=_(page.title), icon=page.icon, url_path=page.key)
        )
    return out
