"""Where a page switch's time goes in the browser: the server's answer, each chart's drawing.

``python tests/scale/draws.py --db data/cx.duckdb`` starts the app on a free port (or
``--url http://127.0.0.1:8501`` times a running one), opens it in headless Chromium at
1440x900 and switches to every page of the sidebar ``--rounds`` times (default 3: the first is
cold), timing each switch as ``switches.py`` does. On the last round it records every Plotly
event of every chart from the click on (a watch on each chart's ``emit``, installed before the
page's scripts run), and reports, in milliseconds from the click:

- ``first``: the first chart's drawing starts (``plotly_framework``): the server's rerun, the
  messages and every element above the first chart drawn;
- ``drawn``: the last chart's first drawing ends (its first ``plotly_afterplot``);
- ``idle``: the page stops changing (the switch's time);
- ``charts`` and ``passes``: charts drawn, and drawings of them in all (``plotly_afterplot``);
  Streamlit draws a chart again as it applies its theme after the first drawing
  (``docs/performance.md``, round 7).

A benchmark, not a test (nothing here fails on a slow machine).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from scale.switches import opened, switch, timed_on, timer_arguments  # noqa: E402
from support.browsing import chromium  # noqa: E402

#: Records every Plotly event but hovers, with the chart's number and the page time: Plotly
#: gives a chart its ``emit`` as it starts drawing it, so a setter on the prototype wraps it.
EVENTS = """() => {
  window.__cxEvents = []; let charts = 0;
  Object.defineProperty(HTMLDivElement.prototype, 'emit', {configurable: true, set(emit) {
    const chart = charts++;
    Object.defineProperty(this, 'emit', {configurable: true, writable: true,
      value: function (name, ...rest) {
        if (!/hover/.test(name)) window.__cxEvents.push([performance.now(), chart, name]);
        return emit.call(this, name, ...rest);
      }});
  }});
}"""


def draws(events: list[list[Any]], start: float) -> dict[str, float]:
    """The chart events of one switch summarised (see the module docstring)."""
    later = [(t - start, chart, name) for t, chart, name in events if t >= start]
    began = [t for t, _c, name in later if name == "plotly_framework"]
    plotted: dict[int, list[float]] = {}
    for t, chart, name in later:
        if name == "plotly_afterplot":
            plotted.setdefault(chart, []).append(t)
    return {
        "first": round(min(began)) if began else float("nan"),
        "drawn": round(max(ts[0] for ts in plotted.values())) if plotted else float("nan"),
        "charts": len(plotted),
        "passes": sum(len(ts) for ts in plotted.values()),
    }


def time_draws(
    url: str, rounds: int = 3, quiet: float = 0.6, timeout: float = 60.0
) -> dict[str, Any]:
    """Switch to every sidebar page ``rounds`` times; the last round's chart events."""
    pages: dict[str, dict[str, float]] = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.add_init_script(f"({EVENTS})()")
        order = opened(page, url, quiet, timeout)
        for round_ in range(rounds):
            for href in order:
                name, start, idle = switch(page, href, quiet, timeout)
                if round_ == rounds - 1:
                    drawn = draws(page.evaluate("window.__cxEvents"), start)
                    pages[name] = {**drawn, "idle": round(idle * 1000)}
    charted = [p for p in pages.values() if p["charts"]]
    return {
        "pages": pages,
        "summary": {
            "median_idle_ms": statistics.median(p["idle"] for p in pages.values()),
            "median_first_ms": statistics.median(p["first"] for p in charted) if charted else None,
            "passes_per_chart": round(
                sum(p["passes"] for p in charted) / max(1, sum(p["charts"] for p in charted)), 2
            ),
        },
    }


def main() -> int:
    """Time the charts' drawing on every page and print a table (or JSON)."""
    p = timer_arguments(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    report = timed_on(p, args, lambda url: time_draws(url, args.rounds, args.quiet))
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'page':<14}{'first':>8}{'drawn':>8}{'idle':>8}{'charts':>8}{'passes':>8}")
    for name, row in report["pages"].items():
        print(
            f"{name:<14}{row['first']:>8}{row['drawn']:>8}{row['idle']:>8}"
            f"{row['charts']:>8}{row['passes']:>8}"
        )
    print(json.dumps(report["summary"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
