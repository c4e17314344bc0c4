"""cxbench: customer-experience benchmarking dashboard (entry point and navigation)."""

import time

import streamlit as st

from components import shell
from cx import access

started = time.perf_counter()

st.set_page_config(
    page_title="cxbench · CX benchmarks",
    page_icon="components/assets/icon.png",
    layout="wide",
    initial_sidebar_state="expanded",
)

who = shell.gate()  # sign-in (when configured) before any data is read

PAGES = {
    "Summary": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    ],
    "Benchmarks": [
        st.Page("pages/industries.py", title="Industries", icon=":material/factory:"),
        st.Page("pages/brands.py", title="Brands", icon=":material/directions_car:"),
        st.Page("pages/countries.py", title="Countries", icon=":material/public:"),
        st.Page("pages/journey.py", title="Journey", icon=":material/route:"),
    ],
    "Automotive": [
        st.Page("pages/channels.py", title="Dealer vs direct", icon=":material/storefront:"),
        st.Page("pages/revenue.py", title="Revenue at risk", icon=":material/trending_down:"),
    ],
    "Data": [
        st.Page("pages/methods.py", title="Data & methods", icon=":material/menu_book:"),
    ],
}
if shell.can_upload():  # viewers never get the page; writes check the role again
    PAGES["Data"].insert(
        0, st.Page("pages/upload.py", title="Upload data", icon=":material/upload_file:")
    )

page = st.navigation(PAGES)
st.session_state["_ctx"] = shell.sidebar()
shell.identity_box(who)
shell.start_page()
try:
    page.run()
finally:  # one structured line per page run (no personal data), for logs and the load test
    access.log(
        "page_run",
        page=page.url_path or "overview",
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
