"""Load test: concurrent browser sessions against a local server (run by ``make loadtest``).

Starts the app on loopback against a copy of a database, drives ``--sessions`` Playwright pages
in one headless Chromium (Debian ``chromium``) for ``--seconds``: each session opens pages from
the sidebar and changes the waves filter, timing every interaction from the action until the
app reports its script finished. Prints p50/p95 latency per kind, errors and server memory.

    python tests/scale/loadtest.py --sessions 20 --seconds 60 [--db data/cx.duckdb] [--rows N]

Not collected by pytest (the name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from support import appserver  # noqa: E402  (the path is set above)
from support.browsing import ARGS, CHROMIUM  # noqa: E402

from cx.build import databases  # noqa: E402
from cx.reports.registry import REPORTS  # noqa: E402

#: Pages the sessions visit: every report of the registry (the revenue page's sliders run in a
#: fragment and are exercised by the app tests instead).
VISITED = [r for r in REPORTS if r.key != "revenue"]
PAGES = [r.nav for r in VISITED]
WAVES = ["2024Q4", "2024Q3", "2024Q2", "2023Q4"]
PROTOCOL_PAGES = [r.key for r in VISITED]
#: Seconds a user waits between interactions (uniform); set with --think LOW-HIGH.
THINK: tuple[float, float] = (1.0, 3.0)
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))]


#: Records when the app's script run starts and ends (the stApp element's script-state
#: attribute), on the page's own clock, so latency is measured without polling delays.
OBSERVER = """
window.__cx = {started: 0, done: 0, history: []};
new MutationObserver((mutations) => {
  for (const m of mutations) {
    const state = m.target.getAttribute('data-test-script-state');
    window.__cx.history.push([Math.round(performance.now()), state]);
    window.__cx.history = window.__cx.history.slice(-12);
    if (state === 'running') window.__cx.started = performance.now();
    if (state === 'notRunning') window.__cx.done = performance.now();
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
"""


async def _now(page: Any) -> float:
    return float(await page.evaluate("performance.now()"))


async def _started(page: Any, t0: float) -> None:
    """Wait until a script run has started (or already ended) after ``t0``."""
    await page.wait_for_function(
        "t0 => window.__cx.started > t0 || window.__cx.done > t0", arg=t0, timeout=10_000
    )


async def _settle(page: Any, t0: float, timeout: float = 30.0) -> float:
    """Seconds from ``t0`` (page clock, ms) until the app is idle after a run that ended
    after ``t0`` (a run already going when the action came is restarted, not re-announced)."""
    await page.wait_for_function(
        "t0 => window.__cx.done > t0 && document.querySelector('[data-testid=stApp]')"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        arg=t0,
        timeout=timeout * 1000,
    )
    return (float(await page.evaluate("window.__cx.done")) - t0) / 1000


async def session(
    browser: Any, base: str, deadline: float, rng: random.Random, out: dict[str, Any]
) -> None:
    """One user: open pages and change a filter until the deadline."""
    step = "start"
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    page = await context.new_page()
    await page.add_init_script(OBSERVER)
    page.on(
        "console",
        lambda m: (
            out["console"].append(m.text)
            if m.type == "error" and "404" not in m.text and "ERR_NAME" not in m.text
            else None
        ),
    )
    try:
        t0 = time.perf_counter()
        await page.goto(base, wait_until="domcontentloaded")
        await page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
        await page.wait_for_selector(DONE, timeout=60_000)
        out["open"].append(time.perf_counter() - t0)
        current, chosen, step = "Overview", set(), "open"
        while time.perf_counter() < deadline:
            if rng.random() < 0.5:
                name = rng.choice([p for p in PAGES if p != current])
                step = f"navigate to {name}"
                current = name
                link = page.locator('[data-testid="stSidebarNav"] a', has_text=name).first
                t0 = await _now(page)
                for attempt in range(3):  # a click during a re-layout can be lost: click again
                    await link.click()
                    try:
                        await _started(page, t0)
                        break
                    except Exception:
                        out["driver_retries"] += 1
                        if attempt == 2:
                            raise
                out["navigate"].append(await _settle(page, t0))
            else:
                if len(chosen) == len(WAVES):
                    step = "clear filters"
                    t0 = await _now(page)
                    await page.get_by_role("button", name="Clear filters").click()
                    out["filter"].append(await _settle(page, t0))
                    chosen.clear()
                else:
                    wave = rng.choice([w for w in WAVES if w not in chosen])
                    step = f"filter {wave} on {current}"
                    chosen.add(wave)
                    box = page.locator(
                        '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'
                    ).filter(has_text="Waves")
                    option = page.locator('[role="option"]', has_text=wave).first
                    t0 = 0.0
                    for attempt in range(3):  # a click during a re-layout can be lost: again
                        try:
                            await box.locator("input").scroll_into_view_if_needed()
                            await box.locator("input").click()
                            await option.wait_for(timeout=15_000)
                            t0 = await _now(page)
                            await option.click()  # choosing the value is the interaction timed
                            await _started(page, t0)
                            break
                        except Exception:
                            out["driver_retries"] += 1
                            await page.keyboard.press("Escape")
                            if attempt == 2:
                                raise
                    out["filter"].append(await _settle(page, t0))
                    await page.keyboard.press("Escape")
            if await page.locator(ERRORS).count():
                out["errors"].append((await page.locator(ERRORS).first.inner_text())[:200])
            await asyncio.sleep(rng.uniform(*THINK))  # think time
    except Exception as exc:
        history = ""
        with contextlib.suppress(Exception):
            history = json.dumps(await page.evaluate("[performance.now(), window.__cx.history]"))
        text = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]} {history[:300]}"
        # A Playwright timeout while the app reports itself idle is the driver failing to work a
        # starved browser (a dropdown that never opened), not the app failing: count it apart.
        idle = history.endswith('"notRunning"]]]')
        out[
            "driver_timeouts" if type(exc).__name__ == "TimeoutError" and idle else "errors"
        ].append(text)
        if os.environ.get("CX_LOADTEST_SHOTS"):
            shot = Path(os.environ["CX_LOADTEST_SHOTS"]) / f"error-{len(out['errors'])}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(shot))
    finally:
        await context.close()


async def drive(
    base: str, sessions: int, seconds: float, pid: int, protocol: bool = False
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    out: dict[str, Any] = {
        "open": [],
        "navigate": [],
        "filter": [],
        "errors": [],
        "console": [],
        "driver_retries": 0,
        "driver_timeouts": [],
    }
    memory: list[float] = []

    async def sample() -> None:
        while True:
            memory.append(_rss_mb(pid))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample())
    cpu0, busy0 = _cpu_seconds(pid), _busy_seconds()
    if protocol:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *[
                protocol_session(base, deadline, random.Random(i), out)  # noqa: S311
                for i in range(sessions)
            ]
        )
    else:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=CHROMIUM,
                args=[*ARGS, "--disable-dev-shm-usage"],
            )
            deadline = time.perf_counter() + seconds
            await asyncio.gather(
                *[
                    session(browser, base, deadline, random.Random(i), out)  # noqa: S311
                    for i in range(sessions)
                ]
            )
            await browser.close()
    sampler.cancel()
    server_cpu, machine_cpu = _cpu_seconds(pid) - cpu0, _busy_seconds() - busy0
    interactions = out["navigate"] + out["filter"]
    return {
        "driver": "websocket protocol" if protocol else "headless chromium",
        "sessions": sessions,
        "seconds": seconds,
        "think_s": list(THINK),
        "interactions": len(interactions),
        "p50_s": round(_percentile(interactions, 0.5), 3),
        "p95_s": round(_percentile(interactions, 0.95), 3),
        "navigate_p50_s": round(_percentile(out["navigate"], 0.5), 3),
        "navigate_p95_s": round(_percentile(out["navigate"], 0.95), 3),
        "filter_p50_s": round(_percentile(out["filter"], 0.5), 3),
        "filter_p95_s": round(_percentile(out["filter"], 0.95), 3),
        "first_open_p50_s": round(_percentile(out["open"], 0.5), 3),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:5],
        "console_errors": len(out["console"]),
        "driver_retries": out["driver_retries"],
        "driver_timeouts": len(out["driver_timeouts"]),
        "driver_timeout_samples": out["driver_timeouts"][:3],
        "cores": os.cpu_count(),
        "machine_busy_cpu_s": round(machine_cpu, 1),
        "server_cpu_s": round(server_cpu, 1),
        "server_share_of_busy_cpu": round(server_cpu / machine_cpu, 2) if machine_cpu else None,
        "server_rss_mb_start": round(memory[0], 1) if memory else None,
        "server_rss_mb_max": round(max(memory), 1) if memory else None,
        "server_rss_mb_end": round(memory[-1], 1) if memory else None,
    }


async def protocol_session(
    base: str,
    deadline: float,
    rng: random.Random,
    out: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """One user speaking Streamlit's WebSocket protocol directly (no browser, no rendering):
    the same interactions as a browser session, timed from the request to ``script_finished``.
    This measures what the server does for many sessions when clients have their own CPUs.
    ``headers`` go with the WebSocket request (a proxy's route cookie, tests/scale/replicas.py)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    url = base.replace("http://", "ws://") + "/_stcore/stream"
    step = "connect"
    try:
        async with websockets.connect(
            url, subprotocols=["streamlit"], max_size=2**27, additional_headers=headers
        ) as ws:
            pages: dict[str, str] = {}
            widgets: dict[str, str] = {}
            waves: list[str] = []

            async def rerun(page: str) -> float:
                msg = BackMsg()
                state = msg.rerun_script
                state.page_script_hash = pages.get(page, "")
                state.context_info.timezone = "UTC"
                if "Waves" in widgets:
                    wave_state = WidgetState(id=widgets["Waves"])
                    wave_state.string_array_value.data.extend(waves)
                    state.widget_states.widgets.append(wave_state)
                t0 = time.perf_counter()
                await ws.send(msg.SerializeToString())
                while True:
                    fm = ForwardMsg()
                    fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
                    kind = fm.WhichOneof("type")
                    if kind == "navigation":
                        pages.update(
                            {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
                        )
                    elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                        element = fm.delta.new_element
                        if element.WhichOneof("type") == "multiselect":
                            widgets[element.multiselect.label] = element.multiselect.id
                        if element.WhichOneof("type") == "exception":
                            out["errors"].append(f"{step}: {element.exception.message[:160]}")
                    elif kind == "script_finished":
                        return time.perf_counter() - t0

            t0 = time.perf_counter()
            await rerun("")
            out["open"].append(time.perf_counter() - t0)
            current = ""
            while time.perf_counter() < deadline:
                if rng.random() < 0.5:
                    current = rng.choice([p for p in PROTOCOL_PAGES if p != current])
                    step = f"navigate to {current}"
                    out["navigate"].append(await rerun(current))
                else:
                    step = f"filter on {current or 'overview'}"
                    if len(waves) == len(WAVES):
                        waves.clear()
                    else:
                        waves.append(rng.choice([w for w in WAVES if w not in waves]))
                    out["filter"].append(await rerun(current))
                await asyncio.sleep(rng.uniform(*THINK))  # think time
    except Exception as exc:  # every failure counts as an error
        out["errors"].append(f"{step}: {type(exc).__name__}: {str(exc)[:160]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", type=Path, help="database to serve (a copy is used)")
    parser.add_argument("--rows", type=int, help="build a demo database of this many rows")
    parser.add_argument(
        "--think",
        default="1-3",
        help="seconds between a user's interactions, LOW-HIGH (default 1-3: a brisk reader)",
    )
    parser.add_argument(
        "--protocol",
        action="store_true",
        help="speak Streamlit's WebSocket protocol instead of driving browsers (server only)",
    )
    args = parser.parse_args()
    global THINK
    low, _, high = args.think.partition("-")
    THINK = (float(low), float(high or low))

    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "cx.duckdb"
        if args.rows:
            cached = ROOT / "data" / "bench" / f"cx-{args.rows}.duckdb"
            if not cached.exists():
                cached.parent.mkdir(parents=True, exist_ok=True)
                databases.build_database(cached, rows=args.rows)
            shutil.copy(cached, served)
        else:
            shutil.copy(args.db or databases.ensure_database(), served)
        with appserver.serve(served, Path(tmp) / "server.log", timeout=120) as running:
            report = asyncio.run(
                drive(running.url, args.sessions, args.seconds, running.pid, args.protocol)
            )
            log_path = running.log
        runs = [
            json.loads(line)["ms"] / 1000
            for line in log_path.read_text().splitlines()
            if line.startswith('{"event": "page_run"') or '"event": "page_run"' in line[:40]
        ]
        report["server_runs"] = len(runs)
        report["server_run_p50_s"] = round(_percentile(runs, 0.5), 3)
        report["server_run_p95_s"] = round(_percentile(runs, 0.95), 3)
    report["rows"] = args.rows or "default"
    print(json.dumps(report, indent=2))
    ok = report["errors"] == 0 and report["console_errors"] == 0
    print(
        f"{report['sessions']} sessions, {report['interactions']} interactions: p50 "
        f"{report['p50_s']} s, p95 {report['p95_s']} s, errors {report['errors']}, server "
        f"memory {report['server_rss_mb_start']} -> max {report['server_rss_mb_max']} MB",
        file=sys.stderr,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
