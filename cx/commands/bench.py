"""``bench``: latency of every page (queries, statistics, figures), at a chosen number of respondents.

``python -m cx bench --rows N`` builds (or reuses) ``data/bench/cx-N.duckdb`` and times each
report of :data:`cx.reports.registry.REPORTS` as the app computes a view nobody has looked at:
every query that depends on the selection runs against DuckDB on every run (once per run, as
the app's cache serves a repeat), while queries that depend only on the dataset (filter
options, the datasets catalogue, reference tables) are read once and shared, as the app's
cache shares them between sessions. It reports the queries and statistics (``compute``), the
figures (``charts``), the JSON Streamlit sends per chart on every visit (``draw``), each page
against one ``nps_by_group`` query of the same run, and what a revenue slider move redraws
(the model, its tiles and its two charts). ``--compare-raw`` adds the filtered NPS by brand
from the cells against a DuckDB scan of the respondents and pandas.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import plotly.io
import plotly.tools
import polars as pl
from polars.testing import assert_frame_equal

from cx.build import databases
from cx.commands.common import positive_int
from cx.core import paths
from cx.core.options import Options
from cx.core.schema import STAGES
from cx.core.selection import FILTER_KEYS, Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.exports.chart import Chart, deferred
from cx.ingest.mapping import detect_comments, detect_mapping
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store
from cx.metrics import measures, stats
from cx.reports import revenue as revenue_report
from cx.reports.base import Report, Source, dataset_source
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


def _ms(values: list[float]) -> float:
    """The median of seconds, in milliseconds."""
    return round(statistics.median(values) * 1000, 2)


class Timed:
    """The benchmark's reader: every query read from the database, timed by name.

    Pages read through :meth:`page_runner`, as they read through the app's cached runner:
    a query that does not depend on the filters (the datasets catalogue, the filters'
    options, reference tables, term counts) is read once per dataset and shared, as the app's
    cache shares it between sessions; every query that depends on the selection is read again
    on every page run (a selection nobody has looked at), once per run however often the page
    asks for it.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.times: dict[str, list[float]] = defaultdict(list)
        self.spans: list[tuple[float, float]] = []
        self.dataset = sql.memo(self.run, only=lambda name: not sql.reads_selection(name))

    def run(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
        """Read a query from the database, on a cursor of its own as the app reads (a page's
        reads may go at once), and record its time."""
        t = time.perf_counter()
        cursor = self.con.cursor()
        try:
            out = sql.run(cursor, name, params)
        finally:
            cursor.close()
        end = time.perf_counter()
        self.times[name].append(end - t)
        self.spans.append((t, end))
        return out

    def page_runner(self) -> sql.Runner:
        """A runner for one page run: selection queries once (those the page announces read at
        once, as the app reads them), dataset queries shared."""
        return sql.memo(self.dataset, concurrent=True)

    def spent(self) -> tuple[float, int]:
        """Seconds spent reading and queries read so far (reads that overlapped counted once:
        the time the page waited for the database)."""
        waited, reach = 0.0, float("-inf")
        for start, end in sorted(self.spans):
            waited += max(0.0, end - max(start, reach))
            reach = max(reach, end)
        return waited, len(self.spans)


def screen_json(chart: Chart) -> int:
    """What a page draw costs Streamlit per chart on every visit, even with the view cached:
    the figure copied to a dict and encoded as JSON (``st.plotly_chart``). Returns the bytes;
    0 for a chart the screen does not draw with Plotly (the country map's Plotly twin, built
    for exports only: :class:`cx.exports.chart.Deferred`)."""
    if deferred(chart) or chart.figure is None:
        return 0
    figure = plotly.tools.return_figure_from_figure_or_data(chart.figure, validate_figure=True)
    return len(plotly.io.to_json(figure, validate=False))


def time_page(
    timed: Timed, report: Report[Any], sel: Selection, opts: Options, source: Source
) -> dict[str, float]:
    """One cold page run: its queries and statistics, its charts, what drawing them costs.

    Results computed from the same inputs before are forgotten first
    (:func:`cx.metrics.stats.forget`), so nothing of an earlier run of the same selection is
    reused but what the app shares for every selection (dataset queries).

    Returns:
        Seconds: ``compute`` (queries and statistics), ``sql`` (of which reading),
        ``charts`` (building the figures), ``draw`` (per-visit JSON of the figures),
        ``reference`` (one ``nps_by_group`` query by brand of the same selection, read just
        before: the yardstick of this run); and ``queries`` read from the database.
    """
    t = time.perf_counter()
    sql.run(timed.con, "nps_by_group", sel.params(by="brand"))
    reference = time.perf_counter() - t
    stats.forget()
    run = timed.page_runner()
    spent, count = timed.spent()
    t0 = time.perf_counter()
    result = report.compute(run, sel, opts)
    t1 = time.perf_counter()
    charts = report.charts(result, source)
    t2 = time.perf_counter()
    for chart in charts:
        screen_json(chart)
    t3 = time.perf_counter()
    after, read = timed.spent()
    return {
        "compute": t1 - t0,
        "sql": after - spent,
        "queries": read - count,
        "charts": t2 - t1,
        "draw": t3 - t2,
        "reference": reference,
    }


def run_benchmark(
    rows: int,
    seed: int = 42,
    repeat: int = 20,
    db_path: Path | None = None,
    compare_raw: bool = False,
) -> dict[str, Any]:
    """Time every page's queries, statistics and charts.

    Args:
        rows: respondents in the benchmark dataset (built once, then reused).
        seed: generator seed; repeat: timed runs per page and selection (after one warm-up).
        db_path: an existing database to use instead.
        compare_raw: also time the filtered NPS by brand from the cells, from a DuckDB scan of
            the respondents and in pandas (:func:`compare_raw`).

    Returns:
        Report dict: ``rows``, ``build_seconds`` (None when reused), ``pages`` (per page and
        selection: p50/p95 ms of the queries and statistics, p50 with the charts, the p50
        split into reading, statistics, figures and drawing, queries per run), ``slider``,
        ``queries`` (p50/p95 ms per query name) and, if asked, ``raw``.
    """
    path = db_path or BENCH_DIR / f"cx-{rows}.duckdb"
    build_seconds = None
    if not path.exists():
        t0 = time.perf_counter()
        databases.build_database(path, rows=rows, seed=seed)
        build_seconds = time.perf_counter() - t0
    con = connect.connect(path)
    timed = Timed(con)
    pages: dict[str, dict[str, dict[str, float]]] = {}
    references: list[float] = []
    opts = Options()
    try:
        source = dataset_source(timed.dataset, "demo")
        for report in REPORTS:
            pages[report.key] = {}
            for label, sel in SELECTIONS.items():
                time_page(timed, report, sel, opts, source)  # warm-up
                runs = [time_page(timed, report, sel, opts, source) for _ in range(repeat)]
                compute = [r["compute"] for r in runs]
                reference = _ms([r["reference"] for r in runs])
                references.extend(r["reference"] for r in runs)
                pages[report.key][label] = {
                    "p50_ms": _ms(compute),
                    "p95_ms": round(_percentile(compute, 0.95) * 1000, 2),
                    "with_charts_p50_ms": _ms([r["compute"] + r["charts"] for r in runs]),
                    "sql_ms": _ms([r["sql"] for r in runs]),
                    "stats_ms": _ms([r["compute"] - r["sql"] for r in runs]),
                    "charts_ms": _ms([r["charts"] for r in runs]),
                    "draw_ms": _ms([r["draw"] for r in runs]),
                    "queries": statistics.median([r["queries"] for r in runs]),
                    "reference_ms": reference,
                    "x": round(_ms(compute) / reference, 1),
                    "with_charts_x": round(
                        _ms([r["compute"] + r["charts"] for r in runs]) / reference, 1
                    ),
                }
        slider = _slider_times(timed, source, repeat)
        picks = {
            report.key: found
            for report in REPORTS
            if (found := _pick_times(timed, report, opts, source, repeat))
        }
        sizes = sql.run(con, "summary_table_sizes")
        cells = dict(zip(sizes["summary_table"], sizes["row_count"], strict=True))
        raw = compare_raw_scan(con, SELECTIONS["filtered"], repeat) if compare_raw else None
    finally:
        con.close()
    queries = {
        name: {
            "calls": len(ts),
            "p50_ms": _ms(ts),
            "p95_ms": round(_percentile(ts, 0.95) * 1000, 2),
        }
        for name, ts in sorted(timed.times.items())
    }
    return {
        "rows": rows,
        "database": str(path),
        "build_seconds": None if build_seconds is None else round(build_seconds, 1),
        "summary_rows": cells,
        "reference_query_ms": _ms(references),
        "pages": pages,
        "slider": slider,
        "picks": picks,
        "queries": queries,
        "raw": raw,
    }


def _slider_times(timed: Timed, source: Source, repeat: int) -> dict[str, float]:
    """What one revenue slider move redraws on the server: the model with the new input, its
    tiles and its two charts (figures and native forms). The selection is unchanged, so its
    queries are read once, as the app's cache serves them to every move."""
    from cx.models import revenue

    sel = Selection()
    opts = Options()
    spec = revenue.SPECS["dissatisfied_share"]
    run = timed.page_runner()
    times = []
    for i in range(max(repeat, 20) + 1):
        value = spec.low + (spec.high - spec.low) * ((i % 17) / 17)
        t = time.perf_counter()
        result = revenue_report.compute(run, sel, opts, dissatisfied_share=value)
        revenue_report.kpis(result)
        revenue_report.charts(result, source)
        times.append(time.perf_counter() - t)
    times = times[1:]  # the first move read the selection's queries
    return {"p50_ms": _ms(times), "p95_ms": round(_percentile(times, 0.95) * 1000, 2)}


def _pick_times(
    timed: Timed, report: Report[Any], opts: Options, source: Source, repeat: int
) -> dict[str, dict[str, float]]:
    """A page run after one of its picks changes, on the *all* selection: each sample opens the
    page as a new selection (its default picks, with its charts; untimed), then times the run
    with another option of one pick, as a click on the open page runs it. The page's queries
    are in memory (the app's cache holds them), a query of the new pick is read; what the
    selection's first run kept (:mod:`cx.metrics.kept`) is reused.

    Returns: per pick with other options to choose, p50 ms of the run and with its charts.
    """
    sel = SELECTIONS["all"]
    stats.forget()
    opened = report.compute(timed.page_runner(), sel, opts)
    out: dict[str, dict[str, float]] = {}
    for name, choice in getattr(opened, "choices", {}).items():
        others = [o for o in choice.options if o != choice.value]
        if choice.disabled or not others or isinstance(choice.value, float):
            continue
        runs, drawn = [], []
        for i in range(repeat):
            stats.forget()
            run = timed.page_runner()
            report.charts(report.compute(run, sel, opts), source)
            option = others[i % len(others)]
            value = (option,) if isinstance(choice.value, tuple) else option
            t0 = time.perf_counter()
            result = report.compute(run, sel, opts, **{name: value})
            t1 = time.perf_counter()
            report.charts(result, source)
            runs.append(t1 - t0)
            drawn.append(time.perf_counter() - t0)
        out[name] = {"p50_ms": _ms(runs), "with_charts_p50_ms": _ms(drawn)}
    return out


#: The filters the pandas baseline applies (the benchmark's filtered selection uses these).
RAW_FILTERS = ("waves", "countries", "industries")


def compare_raw_scan(
    con: duckdb.DuckDBPyConnection, sel: Selection, repeat: int
) -> dict[str, float]:
    """The same filtered NPS by brand (sums, then NPS with intervals) three ways, in one run:
    from the summary cells (what the pages read), from a DuckDB scan of the respondent rows,
    and in pandas over the respondent rows loaded in memory (default dtypes, as read; the
    loading is not timed). The three tables are checked equal before timing.

    Returns:
        p50 ms of each and how many times slower the scan and pandas are than the cells.
    """
    import pandas as pd

    if any(getattr(sel, k) for k in FILTER_KEYS if k not in RAW_FILTERS):
        raise ValueError(f"the pandas baseline filters only {', '.join(RAW_FILTERS)}")
    frame = sql.relation(con, "bench_respondents", sel.params())
    assert frame is not None
    respondents = frame.df()

    def cells() -> pl.DataFrame:
        return measures.nps_of(sql.run(con, "nps_by_group", sel.params(by="brand")))

    def scan() -> pl.DataFrame:
        return measures.nps_of(sql.run(con, "bench_nps_by_brand_raw", sel.params()))

    def in_pandas() -> pl.DataFrame:
        d = respondents
        keep = pd.Series(True, index=d.index)
        for key, column in zip(RAW_FILTERS, ("wave", "country", "industry"), strict=True):
            if getattr(sel, key):
                keep &= d[column].isin(getattr(sel, key))
        d = d[keep]
        w = d["weight"]
        sums = (
            d.assign(sw2=w * w, swp=w.where(d["nps_score"] >= 9, 0.0),
                     swd=w.where(d["nps_score"] <= 6, 0.0))
            .groupby("brand", sort=True)
            .agg(n=("weight", "size"), sw=("weight", "sum"), sw2=("sw2", "sum"),
                 swp=("swp", "sum"), swd=("swd", "sum"))
            .reset_index()
            .rename(columns={"brand": "grp"})
        )  # fmt: skip
        return measures.nps_of(pl.from_pandas(sums).with_columns(pl.col("n").cast(pl.Int64)))

    outs = {"cells": cells(), "scan": scan(), "pandas": in_pandas()}
    for name in ("scan", "pandas"):
        assert_frame_equal(outs["cells"], outs[name], check_exact=False, rel_tol=1e-9, abs_tol=1e-9)
    times: dict[str, list[float]] = {k: [] for k in outs}
    ways = {"cells": cells, "scan": scan, "pandas": in_pandas}
    # each way timed in a block of its own after a warm-up run, as a page reads the cells (not
    # right after a pass over ten million rows in memory has taken the processor's caches)
    for name, way in ways.items():
        way()
        for _ in range(repeat):
            t = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - t)
    out = {f"{k}_p50_ms": _ms(v) for k, v in times.items()}
    out["scan_over_cells"] = round(out["scan_p50_ms"] / out["cells_p50_ms"], 1)
    out["pandas_over_cells"] = round(out["pandas_p50_ms"] / out["cells_p50_ms"], 1)
    out["brands"] = outs["cells"].height
    return out


def format_report(report: dict[str, Any]) -> str:
    """Human-readable table of a benchmark report."""
    lines = [f"cxbench benchmark: {report['rows']:,} respondents ({report['database']})"]
    if report["build_seconds"] is not None:
        lines.append(f"database built in {report['build_seconds']} s")
    lines.append(
        "summary rows: " + ", ".join(f"{k} {v:,}" for k, v in report["summary_rows"].items())
    )
    lines.append(
        f"one nps_by_group query: p50 {report['reference_query_ms']} ms (x: a page's time over "
        "the p50 of the one read before each of its runs)"
    )
    lines.append("")
    lines.append(
        f"{'page':<12}{'selection':<10}{'p50 ms':>8}{'p95 ms':>8}{'x':>6}{'+charts':>9}{'x':>6}"
        f"{'sql':>7}{'stats':>7}{'figs':>7}{'draw':>7}{'queries':>8}"
    )
    for page, by_sel in report["pages"].items():
        for label, t in by_sel.items():
            lines.append(
                f"{page:<12}{label:<10}{t['p50_ms']:>8.1f}{t['p95_ms']:>8.1f}{t['x']:>6.1f}"
                f"{t['with_charts_p50_ms']:>9.1f}{t['with_charts_x']:>6.1f}{t['sql_ms']:>7.1f}"
                f"{t['stats_ms']:>7.1f}{t['charts_ms']:>7.1f}{t['draw_ms']:>7.1f}"
                f"{t['queries']:>8.0f}"
            )
    slider = report["slider"]
    lines.append("")
    lines.append(
        f"revenue slider move (model, tiles, 2 charts): p50 {slider['p50_ms']:.1f} ms, "
        f"p95 {slider['p95_ms']:.1f} ms"
    )
    lines.append("")
    lines.append("a pick changed on an open page (all; its queries in memory):")
    lines.append(f"{'page':<12}{'pick':<14}{'p50 ms':>8}{'+charts':>9}")
    for page, by_pick in report.get("picks", {}).items():
        for name, t in by_pick.items():
            lines.append(f"{page:<12}{name:<14}{t['p50_ms']:>8.1f}{t['with_charts_p50_ms']:>9.1f}")
    raw = report.get("raw")
    if raw:
        lines.append(
            f"filtered NPS by brand ({raw['brands']} brands): cells {raw['cells_p50_ms']:.1f} ms, "
            f"DuckDB scan {raw['scan_p50_ms']:.1f} ms ({raw['scan_over_cells']}x), pandas "
            f"{raw['pandas_p50_ms']:.1f} ms ({raw['pandas_over_cells']}x)"
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
    p.add_argument(
        "--compare-raw",
        action="store_true",
        help="also time the filtered NPS by brand from the cells, a DuckDB scan and pandas",
    )
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the page benchmark and print its report."""
    if args.ingest:
        print(json.dumps(run_ingest_benchmark(args.rows, args.seed), indent=2))
        return 0
    report = run_benchmark(
        rows=args.rows,
        seed=args.seed,
        repeat=args.repeat,
        db_path=args.db,
        compare_raw=args.compare_raw,
    )
    print(json.dumps(report, indent=2) if args.format == "json" else format_report(report))
    return 0
