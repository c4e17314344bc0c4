"""``cx bench`` keeps working (the performance doc quotes it): every page of the registry timed
with its queries, statistics, figures and drawing; the raw comparison's three ways agree; the
map's Plotly twin, which the screen never draws, is not built for the drawing cost."""

from __future__ import annotations

from pathlib import Path

from cx.commands import bench
from cx.core.options import Options
from cx.data import connect
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY, REPORTS


def test_the_benchmark_times_every_page_and_the_raw_comparison(fixture_db: Path) -> None:
    report = bench.run_benchmark(rows=0, db_path=fixture_db, repeat=2, compare_raw=True)
    assert set(report["pages"]) == {r.key for r in REPORTS}
    for page, by_selection in report["pages"].items():
        assert set(by_selection) == set(bench.SELECTIONS), page
        for t in by_selection.values():
            assert t["p50_ms"] > 0 and t["with_charts_p50_ms"] >= t["p50_ms"], page
            assert t["queries"] >= (0 if page == "market" else 1), page
    raw = report["raw"]
    assert raw["cells_p50_ms"] > 0 and raw["brands"] > 0 and raw["scan_over_cells"] > 0
    assert report["slider"]["p50_ms"] > 0
    # the pages with picks that only choose what is shown are timed on a pick
    for page, pick in (("dealers", "outlet"), ("voice", "topic"), ("brands", "compare")):
        t = report["picks"][page][pick]
        assert 0 < t["p50_ms"] <= t["with_charts_p50_ms"], page
    assert "a pick changed" in bench.format_report(report)
    assert "overview" in bench.format_report(report)


def test_drawing_skips_the_map_twin_the_screen_does_not_draw(fixture_db: Path) -> None:
    con = connect.connect(fixture_db)
    try:
        timed = bench.Timed(con)
        report = BY_KEY["countries"]
        charts = report.charts(
            report.compute(timed.page_runner(), bench.SELECTIONS["all"], Options()),
            dataset_source(timed.dataset, "demo"),
        )
        twin = next(c for c in charts if c.key == "country_map")
        assert bench.screen_json(twin) == 0
        assert bench.deferred(twin)  # still not built
        ranking = next(c for c in charts if c.key == "country_nps")
        assert bench.screen_json(ranking) > 1000
    finally:
        con.close()
