"""Terms that distinguish two groups of comments: the log-odds ratio with an informative
Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' words", Political Analysis 16(4)).

For a term w with counts y_i (detractors' comments) and y_j (promoters'), group totals n_i and
n_j, and a prior of size a0 spread over terms by their frequency in all comments of the
language (a_w = a0 * prior_w / prior_total, the informative prior)::

    delta_w = log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - log((y_j + a_w) / (n_j + a0 - y_j - a_w))
    var_w   = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    z_w     = delta_w / sqrt(var_w)

A positive z means the term is over-represented among detractors, a negative one among
promoters. The prior shrinks rare terms towards no difference, so a term said twice by
detractors and never by promoters does not top the list. Counts are unweighted tokens.

A term that is all of a group's words (a language whose comments say one word) has no odds
against other words: its ratio is undefined, left empty and never significant. The terms of a
table are one family of tests: each z gives a two-sided p-value and the false discovery rate
is controlled across them with Benjamini-Yekutieli (:data:`FDR`), because every term is
compared with the rest of the same vocabulary, so the tests depend on each other by
construction.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import polars as pl

from cx.metrics import stats

#: Size of the prior in pseudo-tokens (a0): large corpora barely feel it, small ones are
#: shrunk towards the shared vocabulary.
PRIOR_SIZE: Final[float] = 1_000.0
#: False-discovery control across the terms (see the module docstring).
FDR: Final[Literal["bh", "by"]] = "by"


def log_odds(
    counts: pl.DataFrame,
    total_i: float,
    total_j: float,
    prior_total: float,
    prior_size: float = PRIOR_SIZE,
) -> pl.DataFrame:
    """The log-odds ratio of each term between groups i and j with its z-score.

    Args:
        counts: one row per term with ``term``, ``y_i``, ``y_j`` (the term's counts in each
            group) and ``prior`` (its count in the prior corpus, e.g. all comments).
        total_i, total_j: all tokens of each group (every term, not only those listed).
        prior_total: all tokens of the prior corpus.
        prior_size: a0, the prior's size in pseudo-tokens.

    Returns:
        ``counts`` with ``alpha``, ``delta`` (log-odds ratio, i over j), ``se`` and ``z``.
    """
    if counts.is_empty() or prior_total <= 0:
        return counts.with_columns(
            alpha=pl.lit(None, pl.Float64), delta=pl.lit(None, pl.Float64),
            se=pl.lit(None, pl.Float64), z=pl.lit(None, pl.Float64),
        )  # fmt: skip
    y_i = counts["y_i"].cast(pl.Float64).to_numpy()
    y_j = counts["y_j"].cast(pl.Float64).to_numpy()
    alpha = prior_size * counts["prior"].cast(pl.Float64).to_numpy() / prior_total
    rest_i = total_i + prior_size - y_i - alpha  # the other words of each group
    rest_j = total_j + prior_size - y_j - alpha
    defined = (rest_i > 0) & (rest_j > 0) & (y_i + alpha > 0) & (y_j + alpha > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.where(
            defined,
            np.log((y_i + alpha) / np.where(defined, rest_i, 1.0))
            - np.log((y_j + alpha) / np.where(defined, rest_j, 1.0)),
            np.nan,
        )
        se = np.where(defined, np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)), np.nan)
    return counts.with_columns(
        alpha=pl.Series(alpha),
        delta=pl.Series(delta).fill_nan(None),
        se=pl.Series(se).fill_nan(None),
        z=pl.Series(delta / se).fill_nan(None),
    )


def distinguishing_terms(
    cells: pl.DataFrame, confidence: float, prior_size: float = PRIOR_SIZE
) -> pl.DataFrame:
    """Distinguishing terms of detractors versus promoters, language by language.

    Args:
        cells: rows of ``term_cells``: ``language``, ``nps_group`` (detractor, passive,
            promoter), ``term`` (null: the group's total of all tokens) and ``n`` (count).
        confidence: level of the two-sided test (``|z|`` above its critical value).

    Returns:
        One row per language and term: ``y_i`` (detractors), ``y_j`` (promoters), ``prior``
        (all comments), ``delta``, ``se``, ``z`` (positive: detractors; null where the ratio
        is undefined), ``p_value`` (two-sided), ``q_value`` and ``significant`` (false
        discovery rate controlled across every term of the table, :data:`FDR`), strongest
        detractor terms first.
    """
    frames = []
    for (language,), part in cells.group_by("language", maintain_order=True):
        totals = part.filter(pl.col("term").is_null())
        terms = part.filter(pl.col("term").is_not_null())
        if terms.is_empty():
            continue
        group_total = dict(zip(totals["nps_group"], totals["n"], strict=True))
        wide = terms.pivot("nps_group", index="term", values="n", aggregate_function="sum")
        for group in ("detractor", "passive", "promoter"):
            if group not in wide.columns:
                wide = wide.with_columns(pl.lit(0).alias(group))
        wide = wide.fill_null(0).select(
            "term",
            pl.col("detractor").alias("y_i"),
            pl.col("promoter").alias("y_j"),
            (pl.col("detractor") + pl.col("passive") + pl.col("promoter")).alias("prior"),
        )
        scored = log_odds(
            wide,
            float(group_total.get("detractor", 0)),
            float(group_total.get("promoter", 0)),
            float(sum(group_total.values())),
            prior_size,
        )
        frames.append(scored.with_columns(language=pl.lit(language)))
    if not frames:
        return pl.DataFrame(
            schema={"language": pl.String, "term": pl.String, "y_i": pl.Int64,
                    "y_j": pl.Int64, "prior": pl.Int64, "delta": pl.Float64,
                    "se": pl.Float64, "z": pl.Float64, "p_value": pl.Float64,
                    "q_value": pl.Float64, "significant": pl.Boolean}
        )  # fmt: skip
    out = pl.concat(frames, how="diagonal_relaxed")
    z = out["z"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    p = stats.two_sided_p(z)
    q, significant = stats.discoveries(p, confidence, FDR)
    return out.select(
        "language", "term", "y_i", "y_j", "prior", "delta", "se", "z",
        pl.Series("p_value", p).fill_nan(None), pl.Series("q_value", q).fill_nan(None),
        pl.Series("significant", significant, dtype=pl.Boolean),
    ).sort("z", descending=True, nulls_last=True)  # fmt: skip
