"""``bench``: latency of every query each page runs, at a chosen number of respondents.

``python -m cx bench --rows N`` builds (or reuses) ``data/bench/cx-N.duckdb`` and times each
report of :data:`cx.reports.registry.REPORTS` with an uncached runner, so every query the page issues
runs against DuckDB each time: the queries alone (``compute``) and the page's whole work
(``compute`` and ``charts``, the figures included). It also times what a revenue slider move
redraws (the model, its tiles and its two charts). Reports p50/p95 per query and per page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from cx.build import databases
from cx.commands.common import positive_int
from cx.core import paths
from cx.core.options import Options
from cx.core.schema import STAGES
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.ingest.mapping import detect_comments, detect_mapping
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store
from cx.reports import revenue as revenue_report
from cx.reports.base import dataset_source
from cx.reports.registry import REPORTS

BENCH_DIR = paths.DATA_DIR / "bench"

#: Selections each page is timed with: everything, and a typical filtered view.
SELECTIONS: dict[str, Selection] = {
    "all": Selection(),
    "filtered": Selection(
        waves=("2024Q3", "2024Q4"), countries=("US", "DE", "CN"), industries=("Automakers",)
    ),
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def run_benchmark(
    rows: int, seed: int = 42, repeat: int = 20, db_path: Path | None = None
) -> dict[str, Any]:
    """Time every page's queries.

    Args:
        rows: respondents in the benchmark dataset (built once, then reused).
        seed: generator seed; repeat: timed runs per page and selection (after one warm-up).
        db_path: an existing database to use instead.

    Returns:
        Report dict: ``rows``, ``build_seconds`` (None when reused), ``pages`` (p50/p95 ms per
        page and selection) and ``queries`` (p50/p95 ms per query name).
    """
    path = db_path or BENCH_DIR / f"cx-{rows}.duckdb"
    build_seconds = None
    if not path.exists():
        t0 = time.perf_counter()
        databases.build_database(path, rows=rows, seed=seed)
        build_seconds = time.perf_counter() - t0
    con = connect.connect(path)
    query_times: dict[str, list[float]] = defaultdict(list)

    def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
        t = time.perf_counter()
        out = sql.run(con, name, params)
        query_times[name].append((time.perf_counter() - t) * 1000)
        return out

    pages: dict[str, dict[str, dict[str, float]]] = {}
    opts = Options()
    try:
        source = dataset_source(run, "demo")
        for report in REPORTS:
            pages[report.key] = {}
            for label, sel in SELECTIONS.items():
                report.charts(report.compute(run, sel, opts), source)  # warm-up
                compute_times, page_times = [], []
                for _ in range(repeat):
                    t = time.perf_counter()
                    result = report.compute(run, sel, opts)
                    t1 = time.perf_counter()
                    report.charts(result, source)
                    compute_times.append((t1 - t) * 1000)
                    page_times.append((time.perf_counter() - t) * 1000)
                pages[report.key][label] = {
                    "p50_ms": round(statistics.median(compute_times), 2),
                    "p95_ms": round(_percentile(compute_times, 0.95), 2),
                    "with_charts_p50_ms": round(statistics.median(page_times), 2),
                }
        slider = _slider_times(run, source, repeat)
        sizes = sql.run(con, "summary_table_sizes")
        cells = dict(zip(sizes["summary_table"], sizes["row_count"], strict=True))
    finally:
        con.close()
    queries = {
        name: {
            "calls": len(ts),
            "p50_ms": round(statistics.median(ts), 2),
            "p95_ms": round(_percentile(ts, 0.95), 2),
        }
        for name, ts in sorted(query_times.items())
    }
    return {
        "rows": rows,
        "database": str(path),
        "build_seconds": None if build_seconds is None else round(build_seconds, 1),
        "summary_rows": cells,
        "pages": pages,
        "slider": slider,
        "queries": queries,
    }


def _slider_times(run: Any, source: Any, repeat: int) -> dict[str, float]:
    """What one revenue slider move redraws on the server: the model with the new input, its
    tiles and its two charts (figures and native forms)."""
    from cx.models import revenue

    sel = Selection()
    opts = Options()
    spec = revenue.SPECS["dissatisfied_share"]
    times = []
    for i in range(max(repeat, 20)):
        value = spec.low + (spec.high - spec.low) * ((i % 17) / 17)
        t = time.perf_counter()
        result = revenue_report.compute(run, sel, opts, dissatisfied_share=value)
        revenue_report.kpis(result)
        revenue_report.charts(result, source)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
    }


def format_report(report: dict[str, Any]) -> str:
    """Human-readable table of a benchmark report."""
    lines = [f"cxbench benchmark: {report['rows']:,} respondents ({report['database']})"]
    if report["build_seconds"] is not None:
        lines.append(f"database built in {report['build_seconds']} s")
    lines.append(
        "summary rows: " + ", ".join(f"{k} {v:,}" for k, v in report["summary_rows"].items())
    )
    lines.append("")
    lines.append(
        f"{'page (all queries)':<22}{'selection':<11}{'p50 ms':>9}{'p95 ms':>9}{'+charts p50':>13}"
    )
    for page, by_sel in report["pages"].items():
        for label, t in by_sel.items():
            lines.append(
                f"{page:<22}{label:<11}{t['p50_ms']:>9.1f}{t['p95_ms']:>9.1f}"
                f"{t['with_charts_p50_ms']:>13.1f}"
            )
    slider = report["slider"]
    lines.append("")
    lines.append(
        f"revenue slider move (model, tiles, 2 charts): p50 {slider['p50_ms']:.1f} ms, "
        f"p95 {slider['p95_ms']:.1f} ms"
    )
    lines.append("")
    lines.append(f"{'query':<32}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, t in report["queries"].items():
        lines.append(f"{name:<32}{t['calls']:>7}{t['p50_ms']:>9.1f}{t['p95_ms']:>9.1f}")
    return "\n".join(lines)


def run_ingest_benchmark(rows: int = 1_000_000, seed: int = 42) -> dict[str, Any]:
    """Time ingesting a Qualtrics-style CSV of ``rows`` respondents, step by step.

    The CSV is written from demo respondents (three header rows, labels for the country, the
    0-10 score, 1-5 stage answers); the store step writes into a copy of a fresh database.
    """
    import shutil
    import tempfile

    from cx.build import demo, demo_text

    frames = []
    got = 0
    for frame in demo.generate(rows, seed, catalog=demo.load_catalog()):
        frames.append(frame)
        got += frame.height
        if got >= rows:
            break
    data = pl.concat(frames).head(rows)
    ids = [
        "StartDate",
        "ResponseId",
        "Q1",
        "Q2",
        "Q3",
        "Q3_NPS_GROUP",
        "Q4",
        *[f"Q{i}" for i in range(10, 18)],
        "Q5",
        "Q6",
    ]
    questions = [
        "Start Date", "Response ID", "In which country do you live?",
        "Which brand is your current vehicle?",
        "How likely are you to recommend this brand to a friend or colleague?",
        "How likely are you to recommend this brand to a friend or colleague? - Group",
        "How did you buy your vehicle?",
        *[f"How satisfied were you with the {s} stage?" for s in
          ("awareness", "research", "shopping", "purchase", "delivery", "usage", "after-sales service", "referral")],
        demo_text.QUESTION_TEXT, "Why did you give this score?",
    ]  # fmt: skip
    # two open questions asked of everyone (the demo's synthetic answers, a share left empty)
    asked = data.with_columns(industry=pl.lit(demo_text.SECTOR[0]))
    open_answers = [demo_text.answers(asked, seed + k)["text"].fill_null("") for k in (0, 1)]
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
        open_answers[0].alias("Q5"),
        open_answers[1].alias("Q6"),
    )
    head = pl.DataFrame([questions, ['{"ImportId":"x"}'] * len(ids)], schema=ids, orient="row")
    csv_bytes = pl.concat([head, body]).write_csv().encode()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    raw = read_survey(csv_bytes, "bench.csv")
    times["read_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    mapping = detect_mapping(raw)
    comments = detect_comments(raw, mapping)
    times["detect_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = normalise(raw, mapping, "bench", comments)
    times["validate_s"] = time.perf_counter() - t0
    marks: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "cx.duckdb"
        source = BENCH_DIR / "cx-ingest-base.duckdb"
        if not source.exists():
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            databases.build_database(source, rows=20_000, seed=seed)
        shutil.copy(source, target)
        database = Database(str(target), read_only=False)
        try:
            t0 = time.perf_counter()
            store(
                database, result, "bench", "bench", csv_bytes, "bench.csv",
                progress=lambda m: marks.append((time.perf_counter(), m)),
            )  # fmt: skip
            times["store_s"] = time.perf_counter() - t0
            written = next((t for t, m in marks if m.startswith("writing") and "rows" in m), t0)
            times["analyse_comments_s"] = written - t0
        finally:
            database.close()
    return {
        "rows": rows,
        "file_mb": round(len(csv_bytes) / 1e6, 1),
        "accepted": result.accepted.height,
        "rejected": result.rejected.height,
        "comments": result.comments.height,
        "distinct_comments": result.comments["text"].n_unique() if result.comments.height else 0,
        **{k: round(v, 2) for k, v in times.items()},
        "total_s": round(sum(v for k, v in times.items() if k != "analyse_comments_s"), 2),
    }


def add_parsers(sub: Any) -> None:
    """Register ``bench``."""
    p = sub.add_parser("bench", help="latency of every query and page, and of a slider move")
    p.add_argument("--rows", type=positive_int, default=1_000_000)
    p.add_argument("--seed", type=int, default=databases.DEFAULT_SEED)
    p.add_argument("--repeat", type=positive_int, default=20)
    p.add_argument("--db", type=Path, default=None, help="reuse this database instead")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.add_argument(
        "--ingest", action="store_true", help="time ingesting a Qualtrics-style CSV of --rows rows"
    )
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the page benchmark and print its report."""
    if args.ingest:
        print(json.dumps(run_ingest_benchmark(args.rows, args.seed), indent=2))
        return 0
    report = run_benchmark(rows=args.rows, seed=args.seed, repeat=args.repeat, db_path=args.db)
    print(json.dumps(report, indent=2) if args.format == "json" else format_report(report))
    return 0
