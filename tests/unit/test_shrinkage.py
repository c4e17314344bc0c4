"""Empirical-Bayes shrinkage: hand-computed examples and the property that an outlet with few
answers moves towards its brand's mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx.metrics import shrinkage, stats


def test_between_variance_by_hand_for_two_outlets() -> None:
    """y = -10, +10 with v = 1 each: w = 1, mean 0, Q = 200, df = 1, C = 2 - 2/2 = 1,
    so tau² = (200 - 1) / 1 = 199."""
    assert shrinkage.between_variance([-10, 10], [1, 1]) == pytest.approx(199.0)


def test_between_variance_by_hand_with_unequal_precision() -> None:
    """y = 0, 10, 40 with v = 25, 25, 100: w = .04, .04, .01, S1 = .09, S2 = .0033,
    mean = 0.8 / 0.09 = 8.889, Q = .04·79.01 + .04·1.235 + .01·967.9 = 12.889, df = 2,
    C = .09 - .0033/.09 = .05333, tau² = 10.889 / .05333 = 204.17."""
    assert shrinkage.between_variance([0, 10, 40], [25, 25, 100]) == pytest.approx(204.17, abs=0.01)


def test_each_brand_has_its_own_mean() -> None:
    """Two brands 100 points apart: the gap between brands is not outlet spread, so tau² is
    that of the spread within each brand (199, as in the first example)."""
    y = [-10, 10, 90, 110]
    v = [1, 1, 1, 1]
    assert shrinkage.between_variance(y, v, ["a", "a", "b", "b"]) == pytest.approx(199.0)
    assert shrinkage.between_variance(y, v) > 3000


def test_no_spread_beyond_noise_gives_zero() -> None:
    assert shrinkage.between_variance([0, 1], [100, 100]) == 0.0
    assert shrinkage.between_variance([5], [1]) == 0.0  # one outlet: nothing to estimate
    assert shrinkage.between_variance([1, np.nan, 3], [1, 1, 0]) == 0.0  # unusable units left out


def test_shrink_by_hand() -> None:
    """tau² = 199, mu = 0, v = 1: B = 1/200, the estimates keep 99.5% of the distance,
    se = sqrt(0.995) with the mean known."""
    out = shrinkage.shrink([-10, 10], [1, 1], 0.0, 199.0)
    assert out.pull == pytest.approx([0.005, 0.005])
    assert out.estimate == pytest.approx([-9.95, 9.95])
    assert out.se == pytest.approx([math.sqrt(0.995)] * 2)
    z = stats.z_value(0.95)
    assert out.high - out.estimate == pytest.approx(z * out.se)


def test_the_uncertain_mean_widens_the_interval() -> None:
    """Var = (1 - B) v + B² Var(mu): v = 100, tau² = 100, Var(mu) = 16 -> 50 + 0.25 · 16 = 54."""
    out = shrinkage.shrink([20.0], [100.0], 0.0, 100.0, prior_variance=16.0)
    assert out.estimate == pytest.approx([10.0])
    assert out.se == pytest.approx([math.sqrt(54.0)])


def test_three_enthusiastic_answers_do_not_beat_four_hundred() -> None:
    """The issue's example: +100 from 3 answers and +44 from 400, brand at +20, tau = 10.
    Adjusted Wald: v(3 promoters) = 28.87², v(240 promoters, 64 detractors of 400) = 3.752²;
    B = 833.3 / 933.3 = 0.893 -> +28.6, and B = 14.08 / 114.08 = 0.123 -> +41.0."""
    small = stats.nps_from_sums(3, 3, 3, 3, 0, min_n=0)
    large = stats.nps_from_sums(400, 400, 400, 240, 64, min_n=0)
    assert small["se"] == pytest.approx(28.868, abs=0.01)
    assert large["se"] == pytest.approx(3.752, abs=0.01)
    out = shrinkage.shrink(
        [small["nps"], large["nps"]], [small["se"] ** 2, large["se"] ** 2], 20.0, 100.0
    )
    assert out.estimate == pytest.approx([28.57, 41.04], abs=0.01)
    assert out.estimate[1] > out.estimate[0]


def test_zero_between_variance_pulls_everyone_to_the_mean() -> None:
    out = shrinkage.shrink([50.0, -30.0], [10.0, 400.0], 5.0, 0.0)
    assert out.estimate == pytest.approx([5.0, 5.0])
    assert out.pull == pytest.approx([1.0, 1.0])


scores = st.floats(min_value=-100, max_value=100, allow_nan=False)
variances = st.floats(min_value=0.5, max_value=5000, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(y=scores, mu=scores, tau2=st.floats(min_value=0.1, max_value=2500), v=variances)
def test_an_estimate_lies_between_the_raw_score_and_the_mean(
    y: float, mu: float, tau2: float, v: float
) -> None:
    out = shrinkage.shrink([y], [v], mu, tau2)
    lo, hi = min(y, mu), max(y, mu)
    assert lo - 1e-9 <= out.estimate[0] <= hi + 1e-9
    assert 0 < out.pull[0] < 1


@settings(max_examples=300, deadline=None)
@given(
    promoters=st.floats(min_value=0, max_value=1),
    detractor_part=st.floats(min_value=0, max_value=1),
    few=st.integers(min_value=1, max_value=60),
    more=st.integers(min_value=2, max_value=20),
    mu=scores,
    tau=st.floats(min_value=1, max_value=40),
)
def test_an_outlet_with_fewer_answers_moves_further_towards_the_mean(
    promoters: float, detractor_part: float, few: int, more: int, mu: float, tau: float
) -> None:
    """Two outlets with the same shares of promoters and detractors: the one with fewer
    answers ends nearer its brand's mean, and its interval is no narrower."""
    detractors = (1 - promoters) * detractor_part
    n = np.array([few, few * more], dtype=float)
    sums = stats.nps_from_sums(n, n, n, n * promoters, n * detractors, min_n=0)
    out = shrinkage.shrink(sums["nps"], sums["se"] ** 2, mu, tau**2)
    distance = np.abs(out.estimate - mu)
    assert distance[0] <= distance[1] + 1e-9
    assert out.pull[0] >= out.pull[1]
    assert out.se[0] >= out.se[1] - 1e-9
