"""Figures two pages show of the same thing say the same."""

from __future__ import annotations

import duckdb
import pytest
from support.reports import run_on

from cx.core.options import Options
from cx.core.selection import Selection
from cx.reports import overview, programme

SELECTIONS = [
    Selection(),
    Selection(countries=("US", "DE")),
    Selection(waves=("2024Q2", "2024Q3")),
]


@pytest.mark.parametrize("sel", SELECTIONS, ids=["all", "two countries", "two waves"])
def test_the_programme_page_gives_the_overview_s_nps(
    con: duckdb.DuckDBPyConnection, sel: Selection
) -> None:
    """The CX programme's NPS tile read +15 (every wave pooled) beside the Overview's +14 and
    its own trend's "+14 in 2024Q4": it now reads the latest wave, and names it."""
    run = run_on(con)
    first = overview.kpis(overview.compute(run, sel, Options()))[0]
    ours = programme.customer_kpis(programme.compute(run, sel, Options()))[1]
    assert ours.value == first.value
    wave = first.label.split(", ")[-1]
    assert ours.label.endswith(wave) and first.label == f"NPS, {wave}"
