"""Survey statistics from sufficient statistics: NPS, top-2-box, intervals, tests, drivers.

Every function here works on plain floats and on NumPy arrays alike, so the same code serves a
single group (CLI, tests) and a whole table of groups (pages). Inputs are the decomposable sums
that the `*_cells` summary tables store per cell, so results are identical whether computed from
respondent rows or from pre-aggregated cells:

- ``n``: number of responses (unweighted), used for suppression;
- ``sw``, ``sw2``: sum of weights and of squared weights (Kish effective n = sw^2 / sw2);
- ``swp``, ``swd``: sum of weights of promoters (9-10) and detractors (0-6).

NPS interval: adjusted Wald (Rocks 2016, MeasuringU): with n' = n + 3, p' = (P + 3/4)/n',
d' = (D + 3/4)/n', SE = sqrt((p' + d' - (p' - d')^2) / n') and the interval (p' - d') +/- z SE.
With weights, the Kish effective sample size replaces n and P = p * n_eff, D = d * n_eff.
Groups are suppressed when their effective n is under the minimum. The reported NPS is the plain
weighted one; its interval always contains it, and tests compare the adjusted centres with the
adjusted SEs (one estimator for intervals and tests).

Many groups tested at once (brands against the rest, stages, outlets, terms, wave changes) form
a family: :func:`discoveries` controls its false discovery rate (Benjamini-Hochberg q-values).
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from cx.core.options import DEFAULT_CONFIDENCE, DEFAULT_MIN_N
from cx.metrics import frames, kept
from cx.metrics.kept import Kept

ArrayLike = float | npt.NDArray[np.float64]

#: The columns an NPS summary has (:func:`nps_from_sums`, :func:`nps_table`), machine names;
#: the names people read are :data:`cx.core.display.COLUMN_NAMES`.
NPS_SUMMARY_COLUMNS = (
    "n",
    "n_effective",
    "promoters_pct",
    "passives_pct",
    "detractors_pct",
    "nps",
    "ci_low",
    "ci_high",
    "se",
    "centre",
    "suppressed",
)


def z_value(confidence: float = DEFAULT_CONFIDENCE) -> float:
    """Two-sided standard-normal critical value for a confidence level.

    Args:
        confidence: level in (0, 1), e.g. 0.95.

    Returns:
        z such that P(|Z| <= z) = confidence (1.959964 for 0.95).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf((1.0 + confidence) / 2.0)


def effective_n(sw: Any, sw2: Any) -> Any:
    """Kish effective sample size (sum w)^2 / sum w^2; 0 where there are no weights."""
    sw_a = np.asarray(sw, dtype=float)
    sw2_a = np.asarray(sw2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sw2_a > 0, sw_a**2 / np.where(sw2_a > 0, sw2_a, 1.0), 0.0)
    return out if out.ndim else float(out)


def nps_interval(
    promoter_share: Any, detractor_share: Any, n: Any, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[Any, Any, Any]:
    """Adjusted-Wald NPS interval in NPS points.

    Args:
        promoter_share: share of promoters in [0, 1] (weighted where weights apply).
        detractor_share: share of detractors in [0, 1].
        n: sample size, or Kish effective sample size with weights.
        confidence: confidence level.

    Returns:
        (ci_low, ci_high, se) in NPS points (-100..100); the SE is the adjusted one, used by the
        difference test.
    """
    p = np.asarray(promoter_share, dtype=float)
    d = np.asarray(detractor_share, dtype=float)
    n_a = np.asarray(n, dtype=float)
    n_adj = n_a + 3.0
    p_adj = (p * n_a + 0.75) / n_adj
    d_adj = (d * n_a + 0.75) / n_adj
    centre = p_adj - d_adj
    se = np.sqrt(np.maximum(p_adj + d_adj - centre**2, 0.0) / n_adj)
    z = z_value(confidence)
    low = np.clip(centre - z * se, -1.0, 1.0) * 100.0
    high = np.clip(centre + z * se, -1.0, 1.0) * 100.0
    return _scalar(low), _scalar(high), _scalar(se * 100.0)


def proportion_interval(
    share: Any, n: Any, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[Any, Any, Any]:
    """Adjusted-Wald (Agresti-Coull) interval for a proportion, in percent.

    Adds z^2/2 successes and z^2 trials; with weights, pass the Kish effective n.

    Returns:
        (ci_low, ci_high, se) in percentage points.
    """
    p = np.asarray(share, dtype=float)
    n_a = np.asarray(n, dtype=float)
    z = z_value(confidence)
    n_adj = n_a + z**2
    p_adj = (p * n_a + z**2 / 2.0) / n_adj
    se = np.sqrt(p_adj * (1.0 - p_adj) / n_adj)
    low = np.clip(p_adj - z * se, 0.0, 1.0) * 100.0
    high = np.clip(p_adj + z * se, 0.0, 1.0) * 100.0
    return _scalar(low), _scalar(high), _scalar(se * 100.0)


def nps_from_sums(
    n: Any,
    sw: Any,
    sw2: Any,
    swp: Any,
    swd: Any,
    confidence: float = DEFAULT_CONFIDENCE,
    min_n: int = DEFAULT_MIN_N,
) -> dict[str, Any]:
    """Weighted NPS with its interval from sufficient statistics.

    Args:
        n: responses per group (unweighted count, used for suppression).
        sw: sum of weights; sw2: sum of squared weights.
        swp: sum of weights of promoters (scores 9-10); swd: of detractors (0-6).
        confidence: confidence level of the interval.
        min_n: groups with fewer responses are suppressed (NPS and interval are NaN).

    Returns:
        Dict with keys ``NPS_SUMMARY_COLUMNS``; percentages and NPS in points.
    """
    n_a = np.asarray(n, dtype=float)
    sw_a = np.asarray(sw, dtype=float)
    safe = np.where(sw_a > 0, sw_a, 1.0)
    p = np.asarray(swp, dtype=float) / safe
    d = np.asarray(swd, dtype=float) / safe
    n_eff = np.asarray(effective_n(sw_a, sw2), dtype=float)
    low, high, se = nps_interval(p, d, n_eff, confidence)
    # suppression on the Kish effective n: a group whose score rests on a few heavy weights
    # is as uncertain as a group of a few respondents
    suppressed = (n_a < min_n) | (n_eff < min_n) | (sw_a <= 0)
    nps = (p - d) * 100.0
    # the interval is centred on the adjusted estimate; the reported NPS is the plain one, and
    # the interval always contains it
    low, high = np.minimum(low, nps), np.maximum(high, nps)
    centre = _adjusted_centre(p, d, n_eff) * 100.0

    def hide(values: Any) -> Any:
        return _scalar(np.where(suppressed, np.nan, values))

    return {
        "n": _scalar(n_a),
        "n_effective": _scalar(n_eff),
        "promoters_pct": hide(p * 100.0),
        "passives_pct": hide((1.0 - p - d) * 100.0),
        "detractors_pct": hide(d * 100.0),
        "nps": hide(nps),
        "ci_low": hide(low),
        "ci_high": hide(high),
        "se": hide(se),
        "centre": hide(centre),
        "suppressed": _scalar(suppressed),
    }


def _adjusted_centre(p: Any, d: Any, n: Any) -> Any:
    """The adjusted-Wald NPS estimate (shares in [0, 1]): the centre of :func:`nps_interval`
    and what the difference test compares, so tests and intervals use one estimator."""
    n_adj = np.asarray(n, dtype=float) + 3.0
    return (np.asarray(p) * (n_adj - 3.0) + 0.75) / n_adj - (
        np.asarray(d) * (n_adj - 3.0) + 0.75
    ) / n_adj


def top2box_from_sums(
    n: Any,
    sw: Any,
    sw2: Any,
    swt: Any,
    sws: Any,
    sws2: Any,
    confidence: float = DEFAULT_CONFIDENCE,
    min_n: int = DEFAULT_MIN_N,
) -> dict[str, Any]:
    """Top-2-box share (4-5 on a 1-5 scale) and mean score with intervals, from sums.

    Args:
        n: answered responses; sw, sw2: sums of weights and squared weights of those.
        swt: sum of weights of top-2-box answers; sws, sws2: sums of w*score and w*score^2.
        confidence, min_n: as in :func:`nps_from_sums`.

    Returns:
        Dict with ``n``, ``n_effective``, ``top2_pct``, ``top2_low``, ``top2_high``, ``top2_se``,
        ``mean``, ``mean_low``, ``mean_high``, ``suppressed``.
    """
    n_a = np.asarray(n, dtype=float)
    sw_a = np.asarray(sw, dtype=float)
    safe = np.where(sw_a > 0, sw_a, 1.0)
    share = np.asarray(swt, dtype=float) / safe
    mean = np.asarray(sws, dtype=float) / safe
    var = np.maximum(np.asarray(sws2, dtype=float) / safe - mean**2, 0.0)
    n_eff = np.asarray(effective_n(sw_a, sw2), dtype=float)
    low, high, se = proportion_interval(share, n_eff, confidence)
    low, high = np.minimum(low, share * 100.0), np.maximum(high, share * 100.0)
    z = z_value(confidence)
    centre = (share * n_eff + z**2 / 2.0) / (n_eff + z**2) * 100.0
    mean_se = np.sqrt(var / np.where(n_eff > 1, n_eff - 1, 1.0))
    suppressed = (n_a < min_n) | (n_eff < min_n) | (sw_a <= 0)

    def hide(values: Any) -> Any:
        return _scalar(np.where(suppressed, np.nan, values))

    return {
        "n": _scalar(n_a),
        "n_effective": _scalar(n_eff),
        "top2_pct": hide(share * 100.0),
        "top2_low": hide(low),
        "top2_high": hide(high),
        "top2_se": hide(se),
        "top2_centre": hide(centre),
        "mean": hide(mean),
        "mean_low": hide(mean - z * mean_se),
        "mean_high": hide(mean + z * mean_se),
        "suppressed": _scalar(suppressed),
    }


def difference_test(
    value1: Any, se1: Any, value2: Any, se2: Any, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[Any, Any, Any]:
    """Two-independent-groups z test of a difference (NPS points or percentage points).

    z = (value1 - value2) / sqrt(se1^2 + se2^2). NaN inputs (suppressed groups) give NaN z and
    ``significant`` False.

    Returns:
        (z, two-sided p-value, significant at the given confidence).
    """
    v1, v2 = np.asarray(value1, dtype=float), np.asarray(value2, dtype=float)
    s = np.sqrt(np.asarray(se1, dtype=float) ** 2 + np.asarray(se2, dtype=float) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, (v1 - v2) / np.where(s > 0, s, 1.0), np.nan)
    p = two_sided_p(z)
    significant = np.where(np.isnan(z), False, np.abs(np.nan_to_num(z)) > z_value(confidence))
    return _scalar(z), _scalar(p), _scalar(significant)


def two_sided_p(z: Any) -> npt.NDArray[np.float64]:
    """Two-sided p-values of z statistics under the standard normal (NaN stays NaN), in the
    shape of ``z``."""
    values = np.asarray(z, dtype=float)
    cdf = np.vectorize(NormalDist().cdf, otypes=[float])
    p: npt.NDArray[np.float64] = np.where(
        np.isnan(values), np.nan, 2.0 * (1.0 - cdf(np.abs(np.nan_to_num(values))))
    )
    return p


def _adjusted(p: npt.NDArray[np.float64], method: Literal["bh", "by"]) -> npt.NDArray[np.float64]:
    """Benjamini-Hochberg (or -Yekutieli) adjusted p-values of finite p-values in [0, 1]: the
    step-up ``min over j >= i of p_(j) m / j`` (times the harmonic sum for ``by``), capped at 1,
    in the input's order. Written out rather than :func:`scipy.stats.false_discovery_control`,
    which takes 0.2 ms a call in array-API checks where the arithmetic takes microseconds (a
    Dealers page tests one family per outlet); the peer tests hold the two equal."""
    m = p.size
    order = np.argsort(p, kind="stable")
    scale = m / np.arange(1, m + 1, dtype=float)
    if method == "by":
        scale *= np.sum(1.0 / np.arange(1, m + 1))
    stepped = np.minimum.accumulate((p[order] * scale)[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(stepped, 1.0)
    return q


def q_values(p_values: Any, method: Literal["bh", "by"] = "bh") -> npt.NDArray[np.float64]:
    """False-discovery-rate adjusted p-values (q-values) of one family of tests.

    Benjamini-Hochberg (``bh``, valid for independent or positively dependent tests) or
    Benjamini-Yekutieli (``by``, any dependence), as :func:`scipy.stats.false_discovery_control`
    and statsmodels' ``multipletests`` compute them. Missing p-values (suppressed groups, no
    test) stay NaN and do not count in the family.
    """
    p = np.atleast_1d(np.asarray(p_values, dtype=float))
    q = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    if finite.any():
        q[finite] = _adjusted(np.clip(p[finite], 0.0, 1.0), method)
    return q


def discoveries(
    p_values: Any, confidence: float = DEFAULT_CONFIDENCE, method: Literal["bh", "by"] = "bh"
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """q-values of a family and which tests are significant after false-discovery control:
    q below 1 - confidence (a 95% level keeps the expected share of false discoveries among
    the significant results under 5%)."""
    q = q_values(p_values, method)
    return q, np.where(np.isfinite(q), q < 1.0 - confidence, False)


def nps_sums_from_scores(scores: Any, weights: Any | None = None) -> dict[str, float]:
    """Sufficient statistics of one group of 0-10 scores (helper for tests and small inputs)."""
    s = np.asarray(scores, dtype=float)
    w = np.ones_like(s) if weights is None else np.asarray(weights, dtype=float)
    return {
        "n": float(s.size),
        "sw": float(w.sum()),
        "sw2": float((w**2).sum()),
        "swp": float(w[s >= 9].sum()),
        "swd": float(w[s <= 6].sum()),
    }


def nps_table(
    sums: pl.DataFrame,
    confidence: float = DEFAULT_CONFIDENCE,
    min_n: int = DEFAULT_MIN_N,
) -> pl.DataFrame:
    """Add NPS statistics to a frame of per-group sums (columns n, sw, sw2, swp, swd).

    Returns:
        The frame without the raw sums and with the ``NPS_SUMMARY_COLUMNS`` columns appended.
    """
    stats = nps_from_sums(
        sums["n"].to_numpy(),
        sums["sw"].to_numpy(),
        sums["sw2"].to_numpy(),
        sums["swp"].to_numpy(),
        sums["swd"].to_numpy(),
        confidence,
        min_n,
    )
    kept = ("n", "suppressed")  # every other statistic: NaN (not estimable) becomes null
    return frames.appended(
        sums,
        (
            pl.Series(k, np.atleast_1d(v), nan_to_null=k in NPS_SUMMARY_COLUMNS and k not in kept)
            for k, v in stats.items()
        ),
        dropped=("n", "sw", "sw2", "swp", "swd"),
    )


def top2box_table(
    sums: pl.DataFrame,
    confidence: float = DEFAULT_CONFIDENCE,
    min_n: int = DEFAULT_MIN_N,
) -> pl.DataFrame:
    """Add top-2-box and mean statistics to a frame of sums (n, sw, sw2, swt, sws, sws2)."""
    stats = top2box_from_sums(
        sums["n"].to_numpy(),
        sums["sw"].to_numpy(),
        sums["sw2"].to_numpy(),
        sums["swt"].to_numpy(),
        sums["sws"].to_numpy(),
        sums["sws2"].to_numpy(),
        confidence,
        min_n,
    )
    estimated = ("n_effective", "top2_pct", "top2_low", "top2_high", "top2_se", "mean")
    return frames.appended(  # NaN (not estimable) becomes null
        sums,
        (pl.Series(k, np.atleast_1d(v), nan_to_null=k in estimated) for k, v in stats.items()),
        dropped=("n", "sw", "sw2", "swt", "sws", "sws2"),
    )


def relative_weights(corr: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float]:
    """Johnson's (2000) relative weights of predictors from a correlation matrix.

    Args:
        corr: (k+1) x (k+1) correlation matrix, predictors first, outcome last.

    Returns:
        (raw relative weights per predictor, which sum to R^2; the model R^2).
    """
    rxx = corr[:-1, :-1]
    rxy = corr[:-1, -1]
    eigval, eigvec = np.linalg.eigh(rxx)
    eigval = np.clip(eigval, 1e-12, None)
    lam = eigvec @ np.diag(np.sqrt(eigval)) @ eigvec.T
    beta = np.linalg.solve(lam, rxy)
    weights = (lam**2) @ (beta**2)
    return weights, float(weights.sum())


def adjusted_r2(r2: float, n: float, k: int) -> float:
    """R² adjusted for ``k`` predictors on ``n`` observations: 1 - (1 - R²)(n - 1)/(n - k - 1)
    (Wherry); ``nan`` when n <= k + 1."""
    if n <= k + 1:
        return float("nan")
    return 1.0 - (1.0 - r2) * (n - 1.0) / (n - k - 1.0)


def relative_weight_intervals(
    corr: npt.NDArray[np.float64],
    n_effective: float,
    confidence: float = DEFAULT_CONFIDENCE,
    draws: int = 200,
    seed: int = 20_240_601,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Percentile intervals of the relative weights as shares of R² (0..1), by a parametric
    bootstrap of the correlation matrix.

    Each draw is a Wishart matrix with ``n_effective - 1`` degrees of freedom and the
    estimated correlation matrix as scale (Bartlett's decomposition), turned back into a
    correlation matrix; the shares of R² are recomputed on every draw. Seeded: the same
    inputs give the same intervals, so they are computed once per process and inputs
    (a page drawn again, or by another session, reads them from memory).

    Returns:
        (low, high) per predictor at the given confidence level.
    """
    key = (corr.shape, corr.tobytes(), float(n_effective), confidence, draws, seed)
    found = _INTERVALS.get(
        key, lambda: _weight_intervals(corr, n_effective, confidence, draws, seed)
    )
    return found[0].copy(), found[1].copy()


#: Driver-model intervals already computed, by their inputs.
_INTERVALS: Kept[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]] = Kept(
    512, per_selection=True
)


def forget() -> None:
    """Forget the results kept by inputs that depend on the selection (the benchmark times a
    selection never seen); what depends on the dataset only stays, as the dataset's queries
    stay in the app's cache."""
    kept.forget()


def _weight_intervals(
    corr: npt.NDArray[np.float64], n_effective: float, confidence: float, draws: int, seed: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """:func:`relative_weight_intervals` computed: the draws taken one after another from the
    seeded generator (the same numbers as ever), the matrix algebra done for all draws at
    once (:func:`relative_weights` on a stack of matrices)."""
    k = corr.shape[0]
    df = max(float(n_effective) - 1.0, float(k))
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(corr + np.eye(k) * 1e-10)
    a = np.zeros((draws, k, k))
    diagonal, lower = np.diag_indices(k), np.tril_indices(k, -1)
    for d in range(draws):
        a[d][diagonal] = np.sqrt(rng.chisquare(df - np.arange(k)))
        a[d][lower] = rng.standard_normal(k * (k - 1) // 2)
    la = chol @ a
    cov = la @ la.transpose(0, 2, 1) / df
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    weights, r2 = _stacked_relative_weights(cov / (sd[:, :, None] * sd[:, None, :]))
    shares = np.where(r2[:, None] > 0, weights / np.where(r2 > 0, r2, 1.0)[:, None], 0.0)
    tail = (1.0 - confidence) / 2.0
    return np.quantile(shares, tail, axis=0), np.quantile(shares, 1.0 - tail, axis=0)


def _stacked_relative_weights(
    corr: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """:func:`relative_weights` of a stack of correlation matrices (draws x (k+1) x (k+1))."""
    rxx = corr[:, :-1, :-1]
    rxy = corr[:, :-1, -1]
    eigval, eigvec = np.linalg.eigh(rxx)
    eigval = np.clip(eigval, 1e-12, None)
    lam = eigvec @ (np.sqrt(eigval)[:, :, None] * eigvec.transpose(0, 2, 1))
    beta = np.linalg.solve(lam, rxy[:, :, None])[:, :, 0]
    weights = np.einsum("dij,dj->di", lam**2, beta**2)
    return weights, weights.sum(axis=1)


def correlation_from_moments(
    sw: float, sx: npt.NDArray[np.float64], sxx: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Weighted correlation matrix from sums: sw = sum w, sx = sum w x, sxx = sum w x x^T."""
    mean = sx / sw
    cov = sxx / sw - np.outer(mean, mean)
    sd = np.sqrt(np.clip(np.diag(cov), 1e-12, None))
    return np.asarray(cov / np.outer(sd, sd), dtype=float)


def _scalar(values: Any) -> Any:
    """Return a Python scalar for 0-d arrays, the array otherwise."""
    arr = np.asarray(values)
    if arr.ndim == 0:
        item = arr.item()
        return bool(item) if arr.dtype == bool else float(item)
    return arr
