"""Pick times in a real browser: change a choice on an open page, time until the page is idle.

``python tests/scale/picks.py --db data/cx.duckdb`` starts the app on a free port (or
``--url http://127.0.0.1:8501`` times a running one), opens each page with a pick that only
chooses what the page shows of its selection (What changed's outlet, Voice's examples, the
Dealers page's outlet and brand) in headless Chromium at 1440x900, and picks the next
``--times`` options of it one after another. A pick is timed as ``switches.py`` times a switch:
from the click on the option to the last change of the main block before it stays unchanged
for ``--quiet`` seconds with Streamlit's status widget gone. A benchmark, not a test.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from scale.switches import WATCH, idle_after, timed_on, timer_arguments  # noqa: E402
from support.browsing import chromium  # noqa: E402

#: Page address and the label of the pick's select box, per pick timed.
PICKS: dict[str, tuple[str, str]] = {
    "What changed · outlet": ("changes", "Outlet"),
    "Voice · examples about": ("voice", "Examples about"),
    "Voice · examples from": ("voice", "Examples from"),
    "Dealers · outlet": ("dealers", "Outlet"),
    "Dealers · brand": ("dealers", "Brand"),
}

#: Clicks option ``index`` of the open dropdown and returns the page time of the click, or -1
#: when there is no such option.
CHOOSE = """(index) => {
  const options = [...document.querySelectorAll('[role="option"]')];
  if (index >= options.length) return -1;
  const t = performance.now();
  window.__cxLast = t;
  options[index].click();
  return t;
}"""


def time_picks(
    url: str, times: int = 3, quiet: float = 0.6, timeout: float = 60.0
) -> dict[str, Any]:
    """Open each page of :data:`PICKS` and pick ``times`` other options, one after another.

    Returns: ``picks`` (per pick: the seconds of each pick) and ``summary`` (their median and
    maximum).
    """
    found: dict[str, list[float]] = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for name, (address, label) in PICKS.items():
            page.goto(f"{url}/{address}", wait_until="networkidle")
            page.evaluate(WATCH)
            idle_after(page, page.evaluate("performance.now()"), quiet, timeout)
            box = page.locator('[data-testid="stSelectbox"]').filter(
                has=page.locator("label", has_text=label)
            )
            for i in range(times):
                if not box.count():
                    break
                box.first.locator("input").click()
                page.keyboard.press("ArrowDown")  # a combo box opens on a key, not a click
                page.wait_for_selector('[role="option"]', timeout=10_000)
                page.evaluate(WATCH)
                start = page.evaluate(CHOOSE, i + 1)
                if start < 0:
                    page.keyboard.press("Escape")
                    break
                found.setdefault(name, []).append(idle_after(page, start, quiet, timeout))
    every = [x for v in found.values() for x in v]
    return {
        "picks": {k: [round(x, 2) for x in v] for k, v in found.items()},
        "summary": {
            "median_s": round(statistics.median(every), 2) if every else None,
            "max_s": round(max(every), 2) if every else None,
        },
    }


def main() -> int:
    """Time picks and print a table (or JSON)."""
    p = timer_arguments(__doc__.splitlines()[0])
    p.add_argument("--times", type=int, default=3)
    args = p.parse_args()
    report = timed_on(p, args, lambda url: time_picks(url, args.times, args.quiet))
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    for name, values in report["picks"].items():
        print(f"{name:<26}" + "".join(f"{v:>8.2f}" for v in values))
    print(json.dumps(report["summary"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
