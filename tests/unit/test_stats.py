"""NPS and top-2-box statistics against hand calculations and properties."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx.core import display
from cx.metrics import stats


def nps_of(scores: list[int], weights: list[float] | None = None, **kw: float) -> dict:
    return stats.nps_from_sums(**stats.nps_sums_from_scores(scores, weights), **kw)


def test_adjusted_wald_example_from_measuringu() -> None:
    """40 promoters, 40 passives, 20 detractors -> NPS 20, 95% CI [5.0, 33.9]."""
    result = nps_of([10] * 40 + [8] * 40 + [3] * 20)
    assert result["nps"] == pytest.approx(20.0)
    assert round(result["ci_low"], 1) == 5.0
    assert round(result["ci_high"], 1) == 33.9
    assert result["promoters_pct"] == pytest.approx(40.0)
    assert result["passives_pct"] == pytest.approx(40.0)
    assert result["detractors_pct"] == pytest.approx(20.0)


def test_categories_follow_the_nps_definition() -> None:
    """9-10 promote, 7-8 are passive, 0-6 detract."""
    result = nps_of([0, 6, 7, 8, 9, 10], min_n=1)
    assert result["promoters_pct"] == pytest.approx(100 / 3)
    assert result["detractors_pct"] == pytest.approx(100 / 3)
    assert result["nps"] == pytest.approx(0.0)


def test_equal_weights_give_the_unweighted_result() -> None:
    scores = [10] * 40 + [8] * 40 + [3] * 20
    assert nps_of(scores, [2.5] * 100) == pytest.approx(nps_of(scores))


def test_weights_use_kish_effective_sample_size() -> None:
    """Unequal weights widen the interval: n_eff = (sum w)^2 / sum w^2."""
    scores = [10] * 50 + [3] * 50
    weights = [1.0] * 50 + [3.0] * 50
    result = nps_of(scores, weights)
    assert result["n_effective"] == pytest.approx(200**2 / (50 + 450))
    assert result["nps"] == pytest.approx((50 - 150) / 200 * 100)
    # same shares, unequal weights within each category: same NPS, wider interval
    uneven = nps_of(scores, [1.0, 3.0] * 50)
    even = nps_of(scores)
    assert uneven["nps"] == pytest.approx(even["nps"])
    assert (uneven["ci_high"] - uneven["ci_low"]) > (even["ci_high"] - even["ci_low"])


def test_small_groups_are_suppressed() -> None:
    result = nps_of([10] * 29)
    assert result["suppressed"] is True
    assert math.isnan(result["nps"]) and math.isnan(result["ci_low"])
    assert nps_of([10] * 30)["suppressed"] is False


def test_difference_test_marks_only_real_gaps() -> None:
    a = nps_of([10] * 60 + [8] * 20 + [3] * 20)
    b = nps_of([10] * 20 + [8] * 20 + [3] * 60)
    z, p, sig = stats.difference_test(a["nps"], a["se"], b["nps"], b["se"])
    assert z > 1.96 and p < 0.05 and sig
    _, p2, sig2 = stats.difference_test(a["nps"], a["se"], a["nps"] - 1, a["se"])
    assert p2 > 0.5 and not sig2
    _, _, sig3 = stats.difference_test(float("nan"), 1.0, 10.0, 1.0)
    assert not sig3


def test_top2box_hand_calculation() -> None:
    """30 of 50 answers at 4-5 -> 60%, Agresti-Coull interval."""
    scores = np.array([5] * 20 + [4] * 10 + [3] * 10 + [1] * 10, dtype=float)
    w = np.ones_like(scores)
    r = stats.top2box_from_sums(50, w.sum(), (w**2).sum(), 30, scores.sum(), (scores**2).sum())
    assert r["top2_pct"] == pytest.approx(60.0)
    z = 1.959964
    n_adj = 50 + z**2
    p_adj = (30 + z**2 / 2) / n_adj
    half = z * math.sqrt(p_adj * (1 - p_adj) / n_adj)
    assert r["top2_low"] == pytest.approx((p_adj - half) * 100, abs=1e-3)
    assert r["top2_high"] == pytest.approx((p_adj + half) * 100, abs=1e-3)
    assert r["mean"] == pytest.approx(scores.mean())


def test_nps_table_vectorises_the_scalar_function() -> None:
    groups = {"a": [10] * 40 + [8] * 40 + [3] * 20, "b": [9] * 10, "c": [0] * 50 + [10] * 25}
    rows = [{"g": g, **stats.nps_sums_from_scores(s)} for g, s in groups.items()]
    table = stats.nps_table(pl.DataFrame(rows)).sort("g")
    for row in table.iter_rows(named=True):
        expected = nps_of(groups[row["g"]])
        for key in ("nps", "ci_low", "ci_high"):
            value = expected[key]
            assert (row[key] is None) if math.isnan(value) else row[key] == pytest.approx(value)
        assert row["suppressed"] == expected["suppressed"]


def test_relative_weights_sum_to_r_squared() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5000, 3))
    y = 2 * x[:, 0] + 1 * x[:, 1] + rng.normal(size=5000)
    data = np.column_stack([x, y])
    corr = np.corrcoef(data, rowvar=False)
    weights, r2 = stats.relative_weights(corr)
    assert weights.sum() == pytest.approx(r2)
    assert weights[0] > weights[1] > weights[2]
    beta, *_ = np.linalg.lstsq(np.column_stack([np.ones(5000), x]), y, rcond=None)
    fitted = np.column_stack([np.ones(5000), x]) @ beta
    assert r2 == pytest.approx(
        1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum(), abs=1e-6
    )


def test_correlation_from_moments_matches_numpy() -> None:
    rng = np.random.default_rng(2)
    data = rng.normal(size=(1000, 4))
    w = np.ones(1000)
    corr = stats.correlation_from_moments(w.sum(), data.sum(axis=0), data.T @ data)
    assert corr == pytest.approx(np.corrcoef(data, rowvar=False), abs=1e-9)


scores_st = st.lists(st.integers(0, 10), min_size=1, max_size=300)


@settings(max_examples=200, deadline=None)
@given(scores=scores_st, data=st.data())
def test_nps_properties(scores: list[int], data: st.DataObject) -> None:
    """NPS lies in [-100, 100], inside its interval's bounds, and ignores weight scale."""
    weights = data.draw(st.lists(st.floats(0.1, 10), min_size=len(scores), max_size=len(scores)))
    r = nps_of(scores, weights, min_n=1)
    assert -100 <= r["nps"] <= 100
    assert -100 <= r["ci_low"] <= r["ci_high"] <= 100
    assert r["promoters_pct"] + r["passives_pct"] + r["detractors_pct"] == pytest.approx(100)
    scaled = nps_of(scores, [w * 7.0 for w in weights], min_n=1)
    assert scaled["nps"] == pytest.approx(r["nps"], abs=1e-9)
    assert scaled["ci_low"] == pytest.approx(r["ci_low"], abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(a=scores_st, b=scores_st)
def test_sums_are_decomposable(a: list[int], b: list[int]) -> None:
    """Sums of two cells give the same NPS as the pooled respondents."""
    sa, sb = stats.nps_sums_from_scores(a), stats.nps_sums_from_scores(b)
    pooled = stats.nps_from_sums(**{k: sa[k] + sb[k] for k in sa}, min_n=1)
    direct = nps_of(a + b, min_n=1)
    assert pooled == pytest.approx(direct)


def test_invalid_confidence_is_rejected() -> None:
    with pytest.raises(ValueError, match="confidence"):
        stats.z_value(1.5)


def test_signed_scores_never_show_minus_zero() -> None:
    assert [display.signed(v) for v in (-0.3, 0.4, 0.0, 15.2, -6.6)] == ["0", "0", "0", "+15", "-7"]
    assert display.signed(-0.04, 1) == "0" and display.signed(2.25, 1) == "+2.2"


def test_two_sided_p_values_agree_with_scipy() -> None:
    """The p-value of a z statistic, as the distinguishing terms and every difference test use
    it, against scipy's normal survival function; NaN stays NaN and the shape is kept."""
    from scipy.stats import norm

    z = np.array([-4.0, -1.96, 0.0, 0.5, 2.5, np.nan])
    p = stats.two_sided_p(z)
    assert p[:-1] == pytest.approx(2 * norm.sf(np.abs(z[:-1])), abs=1e-12)
    assert np.isnan(p[-1])
    assert stats.two_sided_p(1.96).shape == ()


def _bootstrap_one_draw_at_a_time(
    corr: np.ndarray, n_effective: float, confidence: float, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The parametric bootstrap of relative weights written out draw by draw (the reference
    the stacked computation must equal)."""
    k = corr.shape[0]
    df = max(float(n_effective) - 1.0, float(k))
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(corr + np.eye(k) * 1e-10)
    shares = np.empty((draws, k - 1))
    for d in range(draws):
        a = np.zeros((k, k))
        a[np.diag_indices(k)] = np.sqrt(rng.chisquare(df - np.arange(k)))
        a[np.tril_indices(k, -1)] = rng.standard_normal(k * (k - 1) // 2)
        la = chol @ a
        cov = la @ la.T / df
        sd = np.sqrt(np.diag(cov))
        weights, r2 = stats.relative_weights(cov / np.outer(sd, sd))
        shares[d] = weights / r2 if r2 > 0 else 0.0
    tail = (1.0 - confidence) / 2.0
    return np.quantile(shares, tail, axis=0), np.quantile(shares, 1.0 - tail, axis=0)


@pytest.mark.parametrize("n_effective", [25.0, 400.0, 80_000.0])
def test_driver_intervals_equal_the_draw_by_draw_bootstrap(n_effective: float) -> None:
    """All draws' matrix algebra at once gives the intervals of one draw at a time, to 1e-12."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 9))
    x[:, -1] += x[:, :-1] @ rng.normal(size=8)
    corr = np.corrcoef(x.T)
    stats.forget()
    low, high = stats.relative_weight_intervals(corr, n_effective, 0.9, 150, 11)
    ref_low, ref_high = _bootstrap_one_draw_at_a_time(corr, n_effective, 0.9, 150, 11)
    np.testing.assert_allclose(low, ref_low, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, rtol=1e-10, atol=1e-12)


def test_driver_intervals_are_computed_once_per_input() -> None:
    """A second page run with the same moments reads its intervals from memory; what it gets
    is its own copy."""
    corr = np.corrcoef(np.random.default_rng(5).normal(size=(200, 4)).T)
    stats.forget()
    first = stats.relative_weight_intervals(corr, 150.0)
    first[0][:] = -1.0  # a caller changing its arrays changes nothing kept
    again = stats.relative_weight_intervals(corr, 150.0)
    assert (again[0] >= 0).all()
    assert len(stats._INTERVALS) == 1
    stats.relative_weight_intervals(corr, 151.0)
    assert len(stats._INTERVALS) == 2
