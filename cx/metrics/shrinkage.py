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

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cx.core.options import DEFAULT_CONFIDENCE
from cx.metrics.stats import z_value

Floats = npt.NDArray[np.float64]


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


def _codes(groups: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Integer codes of group labels (None is a group of its own)."""
    labels = ["\0none" if x is None else str(x) for x in np.asarray(groups, dtype=object)]
    index = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    return np.array([index[label] for label in labels], dtype=np.int64)
