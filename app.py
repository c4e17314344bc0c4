"""cxbench: customer-experience benchmarking dashboard (entry point and navigation)."""

import streamlit as st

from components import shell

st.set_page_config(
    page_title="cxbench · CX benchmarks",
    page_icon="components/assets/icon.png",
    layout="wide",
    initial_sidebar_state="expanded",
)

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
        st.Page("pages/upload.py", title="Upload data", icon=":material/upload_file:"),
        st.Page("pages/methods.py", title="Data & methods", icon=":material/menu_book:"),
    ],
}

page = st.navigation(PAGES)
st.session_state["_ctx"] = shell.sidebar()
shell.start_page()
page.run()
