"""Significance across many comparisons, suppression on effective n, intervals that contain
their estimate and cover what they claim, one estimator for intervals and tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests
from support.cli import cx

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data.database import Database
from cx.metrics import measures, stats
from cx.reports.registry import BY_KEY

ROOT = Path(__file__).resolve().parents[2]
BRANDS = 24


def _sums(scores: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    return stats.nps_sums_from_scores(scores, weights)


def _industry(rng: np.random.Generator, shift: dict[int, float] | None = None) -> pl.DataFrame:
    """24 brands of 200-1,500 answers each, all with the same true NPS unless ``shift`` moves
    some brands' promoter probability (by that share)."""
    rows = []
    for b in range(BRANDS):
        n = int(rng.integers(200, 1500))
        p = 0.40 + (shift or {}).get(b, 0.0)
        d = 0.30 - (shift or {}).get(b, 0.0)
        draws = rng.choice([10, 8, 3], size=n, p=[p, 1 - p - d, d])
        rows.append({"brand": f"B{b:02d}", **_sums(draws)})
    return pl.DataFrame(rows)


def test_q_values_match_a_peer_implementation() -> None:
    """Our step-up against statsmodels and scipy: random families, ties, p of 0 and 1, one
    test, and NaN gaps that stay NaN and do not count."""
    rng = np.random.default_rng(3)
    families = [
        np.concatenate([rng.uniform(0, 0.01, 5), rng.uniform(0, 1, 40)]),
        np.array([0.03, 0.03, 0.03, 0.5, 0.5, 0.0, 1.0]),
        np.array([0.04]),
        *[rng.uniform(0, 1, k) ** 3 for k in (2, 3, 24, 276)],
    ]
    for p in families:
        for method, peer in (("bh", "fdr_bh"), ("by", "fdr_by")):
            ours = stats.q_values(p, method)  # type: ignore[arg-type]
            _, theirs, _, _ = multipletests(p, method=peer)
            assert np.allclose(ours, theirs, rtol=0, atol=1e-13)
            scipy_q = scipy_stats.false_discovery_control(p, method=method)
            assert np.allclose(ours, scipy_q, rtol=0, atol=1e-13)
    with_gaps = stats.q_values([0.01, float("nan"), 0.04])
    assert np.isnan(with_gaps[1]) and np.allclose(with_gaps[[0, 2]], [0.02, 0.04])


def test_thirty_industries_of_identical_brands_show_few_significant_brands() -> None:
    """Unadjusted, about 71% of industries of 24 identical brands show a 'significant' brand;
    with the false discovery rate controlled across the brands, at most 4 of 30 do."""
    rng = np.random.default_rng(20261204)
    opts = Options()
    flagged = unadjusted = 0
    for _ in range(30):
        table = measures.compare_sums(_industry(rng), "brand", opts)
        flagged += bool(table["significant"].any())
        unadjusted += bool((table["p_value"] < 0.05).any())
    assert flagged <= 4, flagged
    assert unadjusted >= 10  # the problem the control solves is real at this size


def test_real_leaders_are_still_found() -> None:
    rng = np.random.default_rng(7)
    opts = Options()
    found = 0
    for _ in range(30):
        table = measures.compare_sums(_industry(rng, {3: 0.08}), "brand", opts)
        leader = table.filter(pl.col("brand") == "B03").row(0, named=True)
        found += bool(leader["significant"] and leader["gap"] > 0)
    assert found >= 27, found


def test_a_brand_resting_on_one_heavy_weight_is_suppressed() -> None:
    """40 answers, one respondent weighted 10^6: the effective n is about 1, so no score."""
    scores = np.array([0] + [9] * 39)
    weights = np.array([1e6] + [1.0] * 39)
    row = stats.nps_from_sums(**_sums(scores, weights), confidence=0.95, min_n=30)
    assert row["n"] == 40 and row["n_effective"] < 2
    assert row["suppressed"] and np.isnan(row["nps"])


@settings(max_examples=300, deadline=None)
@given(
    promoters=st.integers(0, 400),
    detractors=st.integers(0, 400),
    passives=st.integers(0, 400),
    heavy=st.floats(1.0, 1e4),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_an_interval_always_contains_its_estimate(
    promoters: int, detractors: int, passives: int, heavy: float, confidence: float
) -> None:
    scores = np.array([10] * promoters + [7] * passives + [2] * detractors)
    if scores.size == 0:
        return
    weights = np.ones(scores.size)
    weights[0] = heavy
    row = stats.nps_from_sums(**_sums(scores, weights), confidence=confidence, min_n=0)
    assert row["ci_low"] <= row["nps"] <= row["ci_high"]


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_nps_intervals_cover_what_they_claim(confidence: float) -> None:
    """Weighted samples of 60-400 from a known population: coverage within a point of the level."""
    rng = np.random.default_rng(int(confidence * 100))
    p, d, trials, hits = 0.45, 0.25, 4000, 0
    truth = (p - d) * 100
    for _ in range(trials):
        n = int(rng.integers(60, 400))
        scores = rng.choice([10, 8, 3], size=n, p=[p, 1 - p - d, d])
        weights = rng.lognormal(0.0, 0.4, size=n)
        row = stats.nps_from_sums(**_sums(scores, weights), confidence=confidence, min_n=30)
        hits += row["ci_low"] <= truth <= row["ci_high"]
    assert hits / trials >= confidence - 0.01, hits / trials


def test_the_test_compares_the_centres_the_intervals_use() -> None:
    a = stats.nps_from_sums(**_sums(np.array([10] * 40 + [3] * 10)))
    b = stats.nps_from_sums(**_sums(np.array([10] * 20 + [3] * 30)))
    table = measures.compare_sums(
        pl.DataFrame(
            [
                {"g": "a", **_sums(np.array([10] * 40 + [3] * 10))},
                {"g": "b", **_sums(np.array([10] * 20 + [3] * 30))},
            ]
        ),
        "g",
    )
    z = table.filter(pl.col("g") == "a")["z"][0]
    expected = (a["centre"] - b["centre"]) / np.hypot(a["se"], b["se"])
    assert z == pytest.approx(expected, rel=1e-12)
    assert a["centre"] == pytest.approx((a["ci_low"] + a["ci_high"]) / 2, abs=1e-9)


def test_compare_prints_what_the_brands_page_draws(fixture_db: Path) -> None:
    proc = cx("compare", "--db", str(fixture_db), "--by", "brand", "--within", "industry",
              "--industries", "Automakers", "--format", "json", check=True)  # fmt: skip
    out = json.loads(proc.stdout)
    assert out["multiple_comparisons"].startswith("Benjamini-Hochberg")
    groups = {g["brand"]: g for g in out["groups"]}
    with Database(str(fixture_db)) as database:
        page = BY_KEY["brands"].compute(database.run, Selection(), Options(), industry="Automakers")
    assert set(groups) == set(page.table["brand"].to_list())
    for row in page.table.iter_rows(named=True):
        mine = groups[row["brand"]]
        for key in ("significant", "suppressed"):
            assert mine[key] == row[key], (row["brand"], key)
        for key in ("nps", "q_value"):
            if row[key] is not None and mine[key] is not None:
                assert mine[key] == pytest.approx(row[key], abs=0.01 if key == "nps" else 1e-6)
    assert set(groups[next(iter(groups))]) >= {
        "brand", "industry", "nps", "ci_low", "ci_high", "n", "n_effective", "suppressed",
        "gap", "p_value", "q_value", "significant",
    }  # fmt: skip


def test_compare_says_in_one_line_what_it_cannot_do(fixture_db: Path) -> None:
    for args, words in (
        (["--by", "colour"], "choose from"),
        (["--by", "brand", "--versus", "Nope"], "no group 'Nope'"),
        (["--by", "brand", "--within", "brand"], "must differ"),
    ):
        proc = cx("compare", "--db", str(fixture_db), *args)
        assert proc.returncode == 2 and words in proc.stderr and proc.stderr.count("\n") == 1
