"""Revenue-at-risk model: hand calculations, properties, the calibrated preset, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx.models import revenue

BASE = revenue.resolve("capgemini-midsize")


def test_components_against_hand_calculation() -> None:
    inputs = revenue.resolve(
        overrides={
            "vehicles_per_year": 100_000,
            "average_transaction_price_usd": 40_000,
            "dissatisfied_share": 0.2,
            "switch_probability": 0.5,
            "intent_to_action_rate": 0.5,
            "repurchase_cycle_years": 5,
            "aftersales_revenue_per_customer_usd": 1_000,
            "dissuasions_per_detractor": 2,
            "referral_conversion_rate": 0.1,
            "gross_margin": 0.1,
            "aftersales_gross_margin": 0.5,
            "improvement_share": 0.5,
        }
    )
    r = revenue.compute(inputs)
    switching_customers = 100_000 * 0.2 * 0.5 * 0.5  # 5,000
    assert r["switching_customers"] == pytest.approx(switching_customers)
    assert r["switching_loss_usd"] == pytest.approx(5_000 / 5 * 40_000)  # 40M
    assert r["aftersales_loss_usd"] == pytest.approx(5_000 * 1_000)  # 5M
    assert r["referral_loss_usd"] == pytest.approx(5_000 * 2 * 0.1 * 40_000)  # 40M
    assert r["total_at_risk_usd"] == pytest.approx(85e6)
    assert r["uplift_usd"] == pytest.approx(42.5e6)
    assert r["profit_at_risk_usd"] == pytest.approx(80e6 * 0.1 + 5e6 * 0.5)


def test_capgemini_preset_reproduces_published_figures() -> None:
    """cg_rev_loss_switch ~125M; total 145-200M; uplift 20-70M (USD per year)."""
    r = revenue.compute(BASE)
    assert r["switching_loss_usd"] == pytest.approx(125e6, rel=0.01)
    assert 145e6 <= r["total_at_risk_usd"] <= 200e6
    assert 20e6 <= r["uplift_usd"] <= 70e6
    assert BASE["vehicles_per_year"] == 500_000
    assert BASE["switch_probability"] == 0.57


def test_zero_switching_means_zero_switching_loss() -> None:
    r = revenue.compute({**BASE, "switch_probability": 0.0})
    assert (
        r["switching_loss_usd"] == 0
        and r["aftersales_loss_usd"] == 0
        and r["referral_loss_usd"] == 0
    )


@settings(max_examples=100, deadline=None)
@given(k=st.floats(0.01, 10))
def test_linear_in_volume(k: float) -> None:
    scaled = {**BASE, "vehicles_per_year": BASE["vehicles_per_year"] * k}
    a, b = revenue.compute(BASE), revenue.compute(scaled)
    for key in revenue.OUTPUTS:
        assert b[key] == pytest.approx(a[key] * k, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(d1=st.floats(0, 1), d2=st.floats(0, 1))
def test_monotone_in_dissatisfaction(d1: float, d2: float) -> None:
    lo, hi = sorted((d1, d2))
    a = revenue.compute({**BASE, "dissatisfied_share": lo})
    b = revenue.compute({**BASE, "dissatisfied_share": hi})
    assert b["total_at_risk_usd"] >= a["total_at_risk_usd"]


def test_sensitivity_covers_the_inputs_that_matter() -> None:
    table = revenue.sensitivity(BASE)
    assert table["swing"].is_sorted(descending=True)
    assert "dissatisfied_share" in table["name"].to_list()
    assert "gross_margin" not in table["name"].to_list()  # does not move revenue
    row = table.filter(table["name"] == "dissatisfied_share").row(0, named=True)
    total = revenue.compute(BASE)["total_at_risk_usd"]  # the total is proportional to it
    assert row["at_low"] == pytest.approx(total * (1 - revenue.SWING))


def test_validation_messages() -> None:
    with pytest.raises(revenue.RevenueInputError, match="unknown input"):
        revenue.resolve(overrides={"volume": 1})
    with pytest.raises(revenue.RevenueInputError, match="outside its range"):
        revenue.resolve(overrides={"switch_probability": 1.2})
    with pytest.raises(revenue.RevenueInputError, match="must be a number"):
        revenue.resolve(overrides={"switch_probability": "lots"})


def test_cli_json_contract() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cx",
            "revenue",
            "--preset",
            "capgemini-midsize",
            "--set",
            "vehicles_per_year=1000000",
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    out = json.loads(proc.stdout)
    for key in revenue.OUTPUTS:
        assert key in out
    assert out["switching_loss_usd"] == pytest.approx(250e6, rel=0.01)
    inputs = {row["name"]: row for row in out["inputs"]}
    assert inputs["vehicles_per_year"]["value"] == 1_000_000
    assert inputs["average_transaction_price_usd"]["source_id"] == "kbb_atp_2024"
    assert inputs["average_transaction_price_usd"]["source"].startswith("Kelley Blue Book, 2024")
