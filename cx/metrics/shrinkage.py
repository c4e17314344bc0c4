"""Empirical-Bayes shrinkage (partial pooling) of group scores towards their population's mean.

Ranking outlets on their raw NPS rewards luck: an outlet with 3 answers and +100 is not better
than one with 400 answers and +44. The model behind the dealer scorecards:

- each outlet i has a true score θᵢ; its raw score yᵢ = θᵢ + eᵢ with sampling variance vᵢ
  (the square of its NPS standard error, known from its answers);
- true scores of the outlets of one population g (a brand) scatter around the population's
  mean: θᵢ ~ N(μ_g, τ²), with one between-outlet variance τ² for every population.

τ² is estimated from the data by the method of moments (DerSimonian & Laird 1986), with one
mean per population: with wᵢ = 1/vᵢ and ȳ_g the w-weighted mean of population g,

    Q = Σ_g Σ_i∈g wᵢ (yᵢ − ȳ_g)²,   df = Σ_g (k_g − 1),   C = Σ_g (S1_g − S2_g / S1_g)
    τ² = max(0, (Q − df) / C)         (S1_g = Σ wᵢ, S2_g = Σ wᵢ² over g)

so it is the spread of the raw scores beyond what sampling noise explains. Each outlet's
estimate then moves towards its population's mean by its share of noise:

    Bᵢ = vᵢ / (vᵢ + τ²),   θ̂ᵢ = μ_g + (1 − Bᵢ)(yᵢ − μ_g),
    Var(θ̂ᵢ) = (1 − Bᵢ) vᵢ + Bᵢ² Var(μ̂_g)

(the second term carries the uncertainty of the population mean, Morris 1983). Few answers
(large vᵢ) mean a large Bᵢ and an estimate near the mean; many answers leave the raw score
almost as it is. With τ² = 0 every outlet is its population's mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cx.core.options import DEFAULT_CONFIDENCE
from cx.metrics.stats import z_value

Floats = npt.NDArray[np.float64]
#: Fewest usable units for a population's own τ² (Morris's correction needs more than 3).
MIN_UNITS = 5


@dataclass(frozen=True)
class Shrunk:
    """Shrunken estimates with their intervals, one value per unit.

    Attributes:
        estimate: the posterior mean θ̂ (the units' scale, e.g. NPS points).
        se: its standard error, sqrt((1 − B) v + B² Var(μ̂)).
        low, high: the interval estimate ± z·se at the chosen confidence level.
        pull: B, the share of the way towards the mean (0 = raw score kept, 1 = the mean).
    """

    estimate: Floats
    se: Floats
    low: Floats
    high: Floats
    pull: Floats


def between_variance(
    values: npt.ArrayLike, variances: npt.ArrayLike, groups: npt.ArrayLike | None = None
) -> float:
    """Method-of-moments (DerSimonian-Laird) estimate of the between-unit variance τ².

    Args:
        values: raw scores yᵢ (e.g. outlet NPS in points).
        variances: their sampling variances vᵢ (> 0; units with vᵢ <= 0 or NaN are left out).
        groups: population of each unit (e.g. its brand); each has its own mean. None: one.

    Returns:
        τ² >= 0, in squared units of ``values``; 0 when no population has two usable units.
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    g = np.zeros(len(y), dtype=np.int64) if groups is None else _codes(groups)
    usable = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, v, g = y[usable], v[usable], g[usable]
    q = df = c = 0.0
    for code in np.unique(g):
        member = g == code
        if member.sum() < 2:
            continue
        w = 1.0 / v[member]
        mean = float(np.sum(w * y[member]) / np.sum(w))
        q += float(np.sum(w * (y[member] - mean) ** 2))
        df += float(member.sum() - 1)
        c += float(np.sum(w) - np.sum(w**2) / np.sum(w))
    if df == 0 or c <= 0:
        return 0.0
    return max(0.0, (q - df) / c)


def shrink(
    values: npt.ArrayLike,
    variances: npt.ArrayLike,
    prior_mean: npt.ArrayLike,
    tau2: float,
    prior_variance: npt.ArrayLike = 0.0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Shrunk:
    """Posterior means of units towards their population means, with intervals.

    Args:
        values: raw scores yᵢ; variances: their sampling variances vᵢ (> 0).
        prior_mean: μ of each unit's population (a scalar or one value per unit).
        tau2: the between-unit variance (see :func:`between_variance`).
        prior_variance: Var(μ̂) of each unit's population mean (0 treats μ as known).
        confidence: level of the intervals.

    Returns:
        :class:`Shrunk` arrays (NaN where the value or its variance is missing).
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    mu = np.broadcast_to(np.asarray(prior_mean, dtype=float), y.shape)
    mu_var = np.broadcast_to(np.asarray(prior_variance, dtype=float), y.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        pull = np.where(v + tau2 > 0, v / (v + tau2), 1.0)
    pull = np.where(np.isfinite(y) & np.isfinite(v), pull, np.nan)
    estimate = mu + (1.0 - pull) * (y - mu)
    se = np.sqrt((1.0 - pull) * v + pull**2 * mu_var)
    z = z_value(confidence)
    return Shrunk(estimate, se, estimate - z * se, estimate + z * se, pull)


def dersimonian_laird(values: npt.ArrayLike, variances: npt.ArrayLike) -> float:
    """DerSimonian-Laird τ² of one population (one mean): :func:`between_variance` without
    groups, the estimate statsmodels' ``combine_effects(..., method_re="dl")`` gives."""
    return between_variance(values, variances)


def random_effects_mean(
    values: npt.ArrayLike, variances: npt.ArrayLike, tau2: float
) -> tuple[float, float]:
    """The random-effects mean of one population and its variance.

    μ̂ = Σ wᵢ yᵢ / Σ wᵢ and Var(μ̂) = 1 / Σ wᵢ with wᵢ = 1 / (vᵢ + τ²): every unit weighs by
    its sampling noise plus the spread of true scores (NaN when no unit is usable).
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    usable = np.isfinite(y) & np.isfinite(v) & (v > 0)
    if not usable.any():
        return math.nan, math.nan
    w = 1.0 / (v[usable] + tau2)
    return float(np.sum(w * y[usable]) / np.sum(w)), float(1.0 / np.sum(w))


@dataclass(frozen=True)
class Population:
    """How one population's units are pooled.

    Attributes:
        units: usable units (finite score, positive variance).
        tau2: the between-unit variance used (its own, or the pooled one).
        own: whether ``tau2`` is the population's own DerSimonian-Laird estimate (False: too few
            units, the pooled estimate over every population).
        alone: a population of one unit: it has no mean of its own to be shrunk towards (its
            own score would be), so it is shrunk towards the random-effects mean of every
            unit, with the between-unit variance of every unit (one level, no populations).
        mean, mean_variance: the random-effects mean μ̂ and Var(μ̂).
        factor: Morris's correction of the shrinkage factor, (k − 3)/(k − 1) for k units of
            its own (for the pooled τ², the same with the pooled degrees of freedom).
        df: degrees of freedom of τ²'s uncertainty term (k − 3, or the pooled ones).
    """

    units: int
    tau2: float
    own: bool
    mean: float
    mean_variance: float
    factor: float
    df: float
    alone: bool = False


def populations(
    values: npt.ArrayLike,
    variances: npt.ArrayLike,
    groups: npt.ArrayLike,
    min_units: int = MIN_UNITS,
) -> dict[int, Population]:
    """Each population's τ², random-effects mean and Morris terms, by group code.

    A population with at least ``min_units`` usable units gets its own DerSimonian-Laird τ²;
    one with fewer gets the pooled estimate (:func:`between_variance` over every population,
    each with its own mean), whose degrees of freedom are those of all the populations. A
    population of one usable unit is :attr:`Population.alone`: its "mean" would be its own
    score, shrinking it nowhere (an outlet of 30 answers, its brand's only one in view, ranked
    6th on its raw score), so it is shrunk towards every unit's random-effects mean with every
    unit's τ² (one DerSimonian-Laird estimate over all of them, k − 3 degrees of freedom).
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    g = _codes(groups)
    usable = np.isfinite(y) & np.isfinite(v) & (v > 0)
    pooled = between_variance(y[usable], v[usable], g[usable])
    sizes = {int(c): int(np.sum(usable & (g == c))) for c in np.unique(g)}
    many = [k for k in sizes.values() if k >= 2]
    pooled_df = float(sum(many) - len(many) - 1)  # k - r - 2 with r = one mean per population
    out: dict[int, Population] = {}
    everyone = int(usable.sum())
    for code, k in sizes.items():
        member = usable & (g == code)
        if k == 1 and everyone >= 2:
            tau2 = dersimonian_laird(y[usable], v[usable])
            df = float(everyone - 3)
            mean, mean_variance = random_effects_mean(y[usable], v[usable], tau2)
            factor = df / (df + 2.0) if df > 0 else 1.0
            out[code] = Population(k, tau2, False, mean, mean_variance, factor, max(df, 0.0), True)
            continue
        if k >= min_units:
            tau2, own, df = dersimonian_laird(y[member], v[member]), True, float(k - 3)
        else:
            tau2, own, df = pooled, False, pooled_df
        factor = df / (df + 2.0) if df > 0 else 1.0
        mean, mean_variance = random_effects_mean(y[member], v[member], tau2)
        out[code] = Population(k, tau2, own, mean, mean_variance, factor, max(df, 0.0))
    return out


def shrink_populations(
    values: npt.ArrayLike,
    variances: npt.ArrayLike,
    groups: npt.ArrayLike,
    confidence: float = DEFAULT_CONFIDENCE,
    min_units: int = MIN_UNITS,
) -> tuple[Shrunk, dict[int, Population], npt.NDArray[np.int64]]:
    """Units shrunk towards their population's random-effects mean, τ² per population, with
    Morris's (1983) allowance for the estimated τ² and mean.

    For unit i of a population with k units, τ̂², μ̂ and wⱼ = 1/(vⱼ + τ̂²)::

        B̂ᵢ   = (k − 3)/(k − 1) · vᵢ / (vᵢ + τ̂²)
        θ̂ᵢ   = μ̂ + (1 − B̂ᵢ)(yᵢ − μ̂)
        sᵢ²  = vᵢ(1 − B̂ᵢ) + B̂ᵢ² Var(μ̂) + 2/(k − 3) · B̂ᵢ² (V̄ + τ̂²)/(vᵢ + τ̂²) · (yᵢ − μ̂)²

    with V̄ = Σ wⱼvⱼ / Σ wⱼ. The first factor keeps an estimated τ̂² = 0 from pooling units
    completely; the last term widens the interval of a unit far from the mean by how
    uncertain τ̂² is. Populations under ``min_units`` use the pooled τ̂² and its degrees of
    freedom (see :func:`populations`).

    Returns:
        (estimates, populations by code, each unit's population code).
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    codes = _codes(groups)
    pops = populations(y, v, codes, min_units)
    tau2 = np.array([pops[c].tau2 for c in codes])
    mu = np.array([pops[c].mean for c in codes])
    mu_var = np.array([pops[c].mean_variance for c in codes])
    factor = np.array([pops[c].factor for c in codes])
    df = np.array([pops[c].df for c in codes])
    usable = np.isfinite(y) & np.isfinite(v) & (v > 0)
    vbar = {  # over the usable units (an unranked outlet's variance widened its brand's); a
        # unit alone is one of every unit
        c: _mean_variance(v[usable] if pops[c].alone else v[usable & (codes == c)], pops[c].tau2)
        for c in pops
    }
    spread = np.array([vbar[c] for c in codes])
    with np.errstate(invalid="ignore", divide="ignore"):
        pull = np.where(usable, factor * v / np.where(v + tau2 > 0, v + tau2, 1.0), np.nan)
        estimate = mu + (1.0 - pull) * (y - mu)
        extra = np.where(
            df > 0, 2.0 / np.where(df > 0, df, 1.0) * pull**2 * (spread + tau2) / (v + tau2), 0.0
        )
        variance = v * (1.0 - pull) + pull**2 * mu_var + extra * (y - mu) ** 2
    se = np.sqrt(variance)
    z = z_value(confidence)
    return Shrunk(estimate, se, estimate - z * se, estimate + z * se, pull), pops, codes


def _mean_variance(v: Floats, tau2: float) -> float:
    """V̄ = Σ wᵢvᵢ / Σ wᵢ with wᵢ = 1/(vᵢ + τ²), over the usable units."""
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return math.nan
    w = 1.0 / (v + tau2)
    return float(np.sum(w * v) / np.sum(w))


def _codes(groups: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Integer codes of group labels (None is a group of its own)."""
    labels = ["\0none" if x is None else str(x) for x in np.asarray(groups, dtype=object)]
    index = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    return np.array([index[label] for label in labels], dtype=np.int64)
