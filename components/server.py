"""Start the dashboard: ``python -m components.server [streamlit options]``.

What ``streamlit run app.py`` cannot do before the first request, this does:

- it turns Streamlit's legacy ``pages/`` auto-discovery off for the process, so a deep link
  (``/channels``) as the very first request of a fresh server still goes through ``app.py``'s
  navigation (sign-in, filters, the real page list);
- it imports every heavy module (pandas, pyarrow, Plotly, pydeck, the app's own modules) once,
  on one thread, before the server accepts connections, so concurrent first sessions never
  meet a half-imported module ("partially initialized module 'pandas'").

Options after the module name are passed to Streamlit (``--server.port 8501``).
"""

from __future__ import annotations

import sys

from cx.core.paths import ROOT

APP = ROOT / "app.py"


def warm_imports() -> None:
    """Import what the first sessions would otherwise import concurrently."""
    import pandas  # noqa: F401
    import plotly.express
    import plotly.graph_objects  # noqa: F401
    import pyarrow  # noqa: F401
    import pydeck  # noqa: F401
    import streamlit  # noqa: F401

    import components.auth
    import components.cards
    import components.data
    import components.page
    import components.state  # noqa: F401
    import cx.exports
    import cx.ingest
    import cx.reports  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Warm imports, switch legacy page discovery off, run Streamlit on ``app.py``."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as stcli

    sys.path.insert(0, str(ROOT))
    warm_imports()
    # st.navigation sets this on its first call; set it before any session exists
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    sys.exit(stcli.main())


if __name__ == "__main__":
    main()
