"""Page-switch times in a real browser: click each sidebar link, time until the page is idle.

``python tests/scale/switches.py --db data/cx.duckdb`` starts the app on a free port (or
``--url http://127.0.0.1:8501`` times a running one), opens it in headless Chromium at
1440x900 and visits every page of the sidebar twice, in sidebar order: the first round is
*cold* (the page's first visit in this server, nothing cached for its view), the second
*warm* (the same view again, as an executive switching back and forth sees it).

A switch is timed from the click on the page's link (``[data-testid="stSidebarNav"]
a[href=...]``) to the last change of the main block before it stays unchanged for
``--quiet`` seconds with Streamlit's status widget gone: the moment the page stops changing
on screen, not when the server finishes. Numbers depend on the machine and its load: run
``uptime`` beside them. A benchmark, not a test (nothing here fails on a slow machine).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from support.appserver import serve  # noqa: E402
from support.browsing import chromium  # noqa: E402

#: Installs a watch on the main block: the time of its latest change, in page time.
WATCH = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  window.__cxLast = performance.now();
  if (window.__cxObserver) window.__cxObserver.disconnect();
  window.__cxObserver = new MutationObserver(() => { window.__cxLast = performance.now(); });
  window.__cxObserver.observe(main, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
}"""
#: Clicks a sidebar link and returns the page time of the click.
CLICK = """(href) => {
  const link = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
    .find(a => a.getAttribute('href') === href);
  const t = performance.now();
  window.__cxLast = t;
  link.click();
  return t;
}"""
#: Whether the script is still running (status widget shown), and the latest change.
STATE = """() => ({running: document.querySelector('[data-testid="stStatusWidget"]') !== null,
                 last: window.__cxLast, now: performance.now()})"""


def idle_after(page: Any, start: float, quiet: float, timeout: float) -> float:
    """Seconds from ``start`` (page time, ms) to the main block's last change before it stayed
    unchanged for ``quiet`` seconds with no script running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(STATE)
        if not state["running"] and state["now"] - state["last"] >= quiet * 1000:
            return float(state["last"] - start) / 1000
        time.sleep(0.05)
    return float("nan")


def links(page: Any) -> list[str]:
    """The sidebar's page links (their hrefs), in order."""
    hrefs = page.eval_on_selector_all(
        '[data-testid="stSidebarNav"] a', "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if h]


def opened(page: Any, url: str, quiet: float, timeout: float) -> list[str]:
    """Open the app in ``page`` and wait until it is idle; the sidebar's links in the order to
    visit them (the first page is open already: it comes last, so it is a switch too)."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=120_000)
    page.evaluate(WATCH)
    idle_after(page, page.evaluate("performance.now()"), quiet, timeout)
    hrefs = links(page)
    return hrefs[1:] + hrefs[:1]


def switch(page: Any, href: str, quiet: float, timeout: float) -> tuple[str, float, float]:
    """Click a sidebar link: the page's name, the click's page time (ms) and the seconds until
    the page is idle."""
    page.evaluate(WATCH)
    start = page.evaluate(CLICK, href)
    name = re.sub(r"^https?://[^/]+", "", href).strip("/") or "home"
    return name, float(start), idle_after(page, start, quiet, timeout)


def time_switches(
    url: str, rounds: int = 2, quiet: float = 0.6, timeout: float = 60.0, throttle: float = 1.0
) -> dict[str, Any]:
    """Visit every sidebar page ``rounds`` times and time each switch.

    Returns:
        ``pages`` (per page: the seconds of each visit, cold first) and ``summary`` (median and
        maximum of the cold and of the warm visits).
    """
    times: dict[str, list[float]] = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        if throttle > 1:  # a busy machine: the page gets 1/throttle of a core
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        order = opened(page, url, quiet, timeout)
        for _ in range(rounds):
            for href in order:
                name, _start, idle = switch(page, href, quiet, timeout)
                times.setdefault(name, []).append(idle)
    cold = [t[0] for t in times.values()]
    warm = [x for t in times.values() for x in t[1:]]
    return {
        "pages": {k: [round(x, 2) for x in v] for k, v in times.items()},
        "summary": {
            "cold_median_s": round(statistics.median(cold), 2),
            "cold_max_s": round(max(cold), 2),
            "warm_median_s": round(statistics.median(warm), 2) if warm else None,
            "warm_max_s": round(max(warm), 2) if warm else None,
        },
    }


def timer_arguments(description: str) -> argparse.ArgumentParser:
    """The options every browser timer takes: where the app is (``--db`` or ``--url``), when a
    page counts as idle, and the output format."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--db", type=Path, help="start the app on this database")
    p.add_argument("--url", help="time a running app instead")
    p.add_argument("--quiet", type=float, default=0.6, help="seconds without change = idle")
    p.add_argument("--format", choices=("table", "json"), default="table")
    return p


def timed_on(p: argparse.ArgumentParser, args: argparse.Namespace, timer: Any) -> dict[str, Any]:
    """``timer(url)`` on the running app of ``--url``, or on one started on ``--db``."""
    if bool(args.db) == bool(args.url):
        p.error("give --db or --url")
    if args.url:
        return dict(timer(args.url))
    with serve(args.db.resolve()) as server:
        return dict(timer(server.url))


def main() -> int:
    """Time page switches and print a table (or JSON)."""
    p = timer_arguments(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument(
        "--throttle", type=float, default=1.0, help="slow the page's CPU this many times"
    )
    args = p.parse_args()
    report = timed_on(
        p, args, lambda url: time_switches(url, args.rounds, args.quiet, throttle=args.throttle)
    )
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'page':<14}" + "".join(f"{'visit ' + str(i + 1):>10}" for i in range(args.rounds)))
    for name, values in report["pages"].items():
        print(f"{name:<14}" + "".join(f"{v:>10.2f}" for v in values))
    print(json.dumps(report["summary"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
