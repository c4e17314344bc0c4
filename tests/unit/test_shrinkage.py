"""Empirical-Bayes shrinkage: hand-computed examples and the property that an outlet with few
answers moves towards its brand's mean."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import networks

from cx.core.options import Options
from cx.metrics import outlets, shrinkage, stats


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


# ---- per-population τ², the random-effects mean, and intervals that hold their level ---------


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(st.floats(-80, 80), st.floats(4, 900)), min_size=2, max_size=40))
def test_dersimonian_laird_and_the_random_effects_mean_agree_with_statsmodels(
    data: list[tuple[float, float]],
) -> None:
    """τ², μ̂ and Var(μ̂) of one population are statsmodels' ``combine_effects`` (DL; a
    negative moment estimate is τ² = 0, the fixed-effect mean)."""
    from statsmodels.stats.meta_analysis import combine_effects

    y = np.array([d[0] for d in data])
    v = np.array([d[1] for d in data])
    with np.errstate(divide="ignore", invalid="ignore"):
        peer = combine_effects(y, v, method_re="dl")
    tau2 = shrinkage.dersimonian_laird(y, v)
    assert tau2 == pytest.approx(max(0.0, peer.tau2), rel=1e-9, abs=1e-9)
    mean, variance = shrinkage.random_effects_mean(y, v, tau2)
    positive = peer.tau2 > 0
    assert mean == pytest.approx(
        peer.mean_effect_re if positive else peer.mean_effect_fe, rel=1e-9, abs=1e-9
    )
    assert variance == pytest.approx(peer.var_eff_w_re if positive else peer.var_eff_w_fe, rel=1e-9)


def test_each_brand_gets_its_own_spread_and_a_small_brand_the_pooled_one() -> None:
    """A tight brand (true spread 0) and a wide one (spread 20) are not given one τ: the tight
    brand's outlets are pulled further in; a brand of three outlets uses the pooled τ²."""
    rng = np.random.default_rng(4)
    k = 40
    tight = 10 + rng.normal(0, 5, k)  # sampling noise only (v = 25)
    wide = 10 + rng.normal(0, 20, k) + rng.normal(0, 5, k)
    small = np.array([0.0, 30.0, 60.0])
    y = np.concatenate([tight, wide, small])
    v = np.full(y.size, 25.0)
    groups = ["tight"] * k + ["wide"] * k + ["small"] * 3
    est, pops, codes = shrinkage.shrink_populations(y, v, groups)
    by_name = {g: pops[c] for g, c in zip(groups, codes, strict=True)}
    assert by_name["tight"].own and by_name["wide"].own and not by_name["small"].own
    assert by_name["tight"].tau2 < 40 < 250 < by_name["wide"].tau2
    pooled = shrinkage.between_variance(y, v, groups)
    assert by_name["small"].tau2 == pytest.approx(pooled)
    assert np.mean(est.pull[:k]) > 0.5 > np.mean(est.pull[k : 2 * k])


def test_the_target_is_the_random_effects_mean_and_an_estimated_zero_spread_keeps_a_little() -> (
    None
):
    """Morris's factor (k − 3)/(k − 1): with τ̂² = 0 a brand of 6 outlets keeps 2/5 of each
    outlet's distance from the random-effects mean (here the plain mean, equal variances)."""
    y = np.array([-2.0, -1.0, 0.0, 0.0, 1.0, 2.0]) + 20
    est, pops, _ = shrinkage.shrink_populations(y, np.full(6, 100.0), ["b"] * 6)
    (pop,) = pops.values()
    assert pop.tau2 == 0 and pop.mean == pytest.approx(20.0)
    assert est.pull == pytest.approx([3 / 5] * 6)
    assert est.estimate == pytest.approx(20 + 0.4 * (y - 20))


#: Outlets per brand in simulated networks: a country view (the page's default, a few outlets
#: per brand) and the whole network.
SHAPES = {"country view": (2, 3, 4, 6, 8), "whole network": (2, 4, 8, 12, 20, 35, 60)}


def coverage(confidence: float, sizes: tuple[int, ...], draws: int = 150, seed: int = 11) -> float:
    """Share of ranked outlets whose shrunk interval holds their true NPS, over simulated
    networks whose brands have ``sizes`` outlets."""
    rng = np.random.default_rng(seed)
    hits = total = 0
    for _ in range(draws):
        sums, theta = networks.network(rng, sizes)
        table, _ = outlets.league(sums, Options(min_n=30, confidence=confidence))
        truth = pl.DataFrame({"dealer_id": sums["dealer_id"], "theta": theta})
        ranked = table.join(truth, on="dealer_id").filter(~pl.col("suppressed"))
        inside = (ranked["shrunk_low"] <= ranked["theta"]) & (
            ranked["theta"] <= ranked["shrunk_high"]
        )
        hits += int(inside.sum())
        total += ranked.height
    return hits / total


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_shrunk_intervals_cover_their_stated_level_in_simulated_networks(
    confidence: float, shape: str
) -> None:
    """The issue's defect: intervals labelled 95% held the true NPS of 88-94% of outlets
    (pooled respondent SE for the mean, τ² uncertainty ignored, one τ² for all brands, the
    pooled NPS as target). Over simulated networks they now hold their level within 1%
    (before the fix, country views: 88.3% at 90, 93.7% at 95)."""
    assert coverage(confidence, SHAPES[shape]) >= confidence - 0.01


def test_a_unit_alone_in_its_population_is_shrunk_towards_every_unit() -> None:
    """The review: an outlet of 30 answers, its brand's only one in view, ranked 6th on its raw
    score: its population's "mean" was its own score, so it was shrunk nowhere. A unit alone
    is shrunk towards the random-effects mean of every unit, with every unit's DerSimonian-Laird
    τ² (statsmodels' estimate, checked above), k − 3 degrees of freedom for Morris's factor;
    populations of two or more are as before."""
    rng = np.random.default_rng(11)
    y = np.concatenate([rng.normal(0, 12, 30), [35.0]])
    v = np.concatenate([np.full(30, 30.0), [400.0]])  # a small, enthusiastic outlet
    groups = [f"brand{i % 6}" for i in range(30)] + ["alone"]
    est, pops, codes = shrinkage.shrink_populations(y, v, groups)
    alone = pops[codes[-1]]
    assert alone.alone and alone.units == 1 and not alone.own
    tau2 = shrinkage.dersimonian_laird(y, v)
    mean, mean_variance = shrinkage.random_effects_mean(y, v, tau2)
    assert alone.tau2 == pytest.approx(tau2) and alone.mean == pytest.approx(mean)
    assert alone.mean_variance == pytest.approx(mean_variance)
    k = y.size
    pull = (k - 3) / (k - 1) * 400.0 / (400.0 + tau2)
    assert est.pull[-1] == pytest.approx(pull)
    assert est.estimate[-1] == pytest.approx(mean + (1 - pull) * (35.0 - mean))
    assert mean < est.estimate[-1] < 35.0 - 10  # pulled well in
    assert not any(pops[c].alone for c in codes[:-1])
