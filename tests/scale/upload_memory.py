"""Measure the server's memory while a large file is uploaded through the browser.

Writes the 1,000,000-row, 16-column Qualtrics-style CSV of ``cx bench --ingest`` (demo
respondents, without its open answers, with an outlet name: 91 MB), starts the app on a copy
of a 20,000-row demo database, uploads the file in headless Chromium, stores it, opens the
Overview, and samples the resident memory (VmRSS, /proc) of the server process and, apart,
of the server with its child processes, every 0.1 s.

Usage: python tests/upload_memory.py OUT_DIR [--warm] [--port N]
(``--warm`` opens five pages before uploading). Prints one JSON line of MB figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cx.build import databases, demo  # noqa: E402
from cx.core.schema import STAGES  # noqa: E402


def write_file(path: Path, rows: int = 1_000_000, seed: int = 42) -> None:
    """The measured file: Qualtrics' three header rows, 16 columns."""
    frames, got = [], 0
    for frame in demo.generate(rows, seed, catalog=demo.load_catalog()):
        frames.append(frame)
        got += frame.height
        if got >= rows:
            break
    data = pl.concat(frames).head(rows)
    ids = ["StartDate", "ResponseId", "Q1", "Q2", "Q3", "Q3_NPS_GROUP", "Q4",
           *[f"Q{i}" for i in range(10, 18)], "Q5"]  # fmt: skip
    questions = [
        "Start Date", "Response ID", "In which country do you live?",
        "Which brand is your current vehicle?",
        "How likely are you to recommend this brand to a friend or colleague?",
        "How likely are you to recommend this brand to a friend or colleague? - Group",
        "How did you buy your vehicle?",
        *[f"How satisfied were you with the {s} stage?" for s in
          ("awareness", "research", "shopping", "purchase", "delivery", "usage",
           "after-sales service", "referral")],
        "Dealer",
    ]  # fmt: skip
    body = data.select(
        pl.format("2024-0{}-15 10:00:00", (pl.int_range(pl.len()) % 9) + 1).alias("StartDate"),
        pl.col("respondent_id").alias("ResponseId"),
        pl.col("country").alias("Q1"),
        pl.col("brand").alias("Q2"),
        pl.col("nps_score").cast(pl.String).alias("Q3"),
        pl.lit("").alias("Q3_NPS_GROUP"),
        pl.col("channel").fill_null("").alias("Q4"),
        *[
            pl.col(s).cast(pl.String).fill_null("").alias(f"Q{10 + i}")
            for i, s in enumerate(STAGES)
        ],
        pl.format("{} {} Nord", pl.col("brand"), pl.col("country")).alias("Q5"),
    )
    head = pl.DataFrame([questions, ['{"ImportId":"x"}'] * len(ids)], schema=ids, orient="row")
    path.write_bytes(pl.concat([head, body]).write_csv().encode())


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                out += _tree(int(child))
    except OSError:
        pass
    return out


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _tree_mb(pid: int) -> float:
    total = 0.0
    for p in _tree(pid):
        with contextlib.suppress(OSError):
            total += _rss_mb(p)
    return total


def _idle(page: object, timeout: float = 900) -> None:
    start = time.time()
    time.sleep(0.5)
    while time.time() - start < timeout:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:  # type: ignore[attr-defined]
            return
        time.sleep(0.25)


def main(out: Path, warm: bool, port: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    upload, base_db, db = out / "big.csv", out / "base.duckdb", out / "server.duckdb"
    if not upload.exists():
        write_file(upload)
    if not base_db.exists():
        databases.build_database(base_db, rows=20_000, seed=42)
    shutil.copy(base_db, db)
    shutil.rmtree(out / "uploads", ignore_errors=True)
    log = (out / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "components.server", "--server.port", str(port),
         "--server.headless", "true"],
        env={**os.environ, "CX_DB": str(db)}, stdout=log, stderr=log, cwd=ROOT,
    )  # fmt: skip
    samples: list[tuple[float, float, float]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append((time.time(), _rss_mb(server.pid), _tree_mb(server.pid)))
            time.sleep(0.1)

    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    marks: dict[str, object] = {"file_mb": round(upload.stat().st_size / 1e6, 1)}
    threading.Thread(target=sample, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for key in (
                "",
                *(("overview", "journey", "brands", "voice", "dealers") if warm else ()),
            ):
                page.goto(f"{url}/{key}", wait_until="networkidle")
                _idle(page)
            page.goto(f"{url}/upload", wait_until="networkidle")
            _idle(page)
            time.sleep(3)
            marks["baseline"] = round(_rss_mb(server.pid))
            start = time.time()
            page.locator('input[type="file"]').set_input_files(str(upload))
            page.get_by_role("button", name="Store dataset").wait_for(timeout=900_000)
            _idle(page)
            marks["validated_s"] = round(time.time() - start, 1)
            page.get_by_role("button", name="Store dataset").click()
            page.get_by_text("Open the dashboard on it").wait_for(timeout=900_000)
            _idle(page)
            marks["stored_s"] = round(time.time() - start, 1)
            time.sleep(20)
            marks["after_store"] = round(_rss_mb(server.pid))
            page.goto(f"{url}/overview", wait_until="networkidle")
            _idle(page)
            time.sleep(10)
            marks["after_overview"] = round(_rss_mb(server.pid))
            browser.close()
    finally:
        done.set()
        server.terminate()
        server.wait(30)
    during = [s for s in samples if s[0] >= start]
    marks["peak_server"] = round(max(s[1] for s in during))
    marks["peak_with_children"] = round(max(s[2] for s in during))
    return marks


if __name__ == "__main__":
    args = sys.argv[1:]
    port = int(args[args.index("--port") + 1]) if "--port" in args else 8650
    print(json.dumps(main(Path(args[0]), "--warm" in args, port)))
