"""cxbench: customer-experience benchmarking dashboard (entry point and navigation)."""

import time

import streamlit as st

from components import auth, cards, data, guard, navigation, session, state
from cx.core import access, i18n
from cx.core.i18n import _

started = time.perf_counter()
i18n.activate(session.language())  # before any text: the navigation's titles are translated

st.set_page_config(
    page_title="cxbench · " + _("CX benchmarks"),
    page_icon="components/assets/icon.png",
    layout="wide",
    initial_sidebar_state="expanded",
)

cards.page_style()  # tiles wrap long labels and values (Russian runs longer) instead of cutting
who = auth.gate()  # sign-in (when configured) before any data is read
# every page listed: a collapsed menu would hide the last sections behind "View more"
page = st.navigation(navigation.pages(auth.can_upload()), expanded=True)
try:
    with guard.guard(page.url_path or "overview"):  # no traceback reaches a user, ever
        data.refresh()  # replicas: new published data reaches every server without a restart
        session.set_context(state.sidebar())
        auth.identity_box(who)
        page.run()
finally:  # one structured line per page run (no personal data), for logs and the load test
    access.log(
        "page_run",
        page=page.url_path or "overview",
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
