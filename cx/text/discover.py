"""Frequent themes the taxonomy misses, offered as candidate topics.

Among comments that match no topic of the taxonomy, per language, a non-negative matrix
factorisation (NMF, scikit-learn) of the TF-IDF matrix of their terms finds groups of terms
that occur together. Each component with enough comments becomes a candidate: its top terms,
how many unmatched comments it explains best, and one example. Analysts read the candidates
and, if a theme matters, add it (with keywords) to ``data/topics.csv``. Seeded: the same
comments give the same candidates.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

#: Components per language (more than there usually are themes; small ones are dropped).
COMPONENTS: Final[int] = 8
#: Unmatched comments per language used to fit (a seeded sample of larger sets).
MAX_COMMENTS: Final[int] = 20_000
#: A candidate must explain at least this share of the unmatched comments, and 10 of them.
MIN_SHARE: Final[float] = 0.03
MIN_COMMENTS: Final[int] = 10
TOP_TERMS: Final[int] = 5
SEED: Final[int] = 20_240_601


def candidates(analysed: pl.DataFrame) -> pl.DataFrame:
    """Candidate topics from comments the taxonomy does not cover.

    Args:
        analysed: comments with ``language``, ``tokens``, ``topics`` and ``text``
            (:func:`cx.text.pipeline.analyse`).

    Returns:
        One row per candidate: ``language``, ``rank`` (1 = most comments), ``terms`` (top
        terms, comma-separated), ``comments`` (unmatched comments it explains best, scaled
        to all unmatched comments of the language), ``share`` of them, ``example`` (a
        masked comment).
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    schema = {"language": pl.String, "rank": pl.Int64, "terms": pl.String,
              "comments": pl.Int64, "share": pl.Float64, "example": pl.String}  # fmt: skip
    rows: list[dict[str, object]] = []
    unmatched = analysed.filter(
        (pl.col("topics").list.len() == 0)
        & pl.col("language").is_not_null()
        & (pl.col("tokens").list.len() >= 2)
    )
    for (code,), part in unmatched.group_by("language", maintain_order=True):
        total = part.height
        sample = part.sample(MAX_COMMENTS, seed=SEED) if total > MAX_COMMENTS else part
        if sample.height < MIN_COMMENTS * 2:
            continue
        docs = sample["tokens"].to_list()
        vectoriser = TfidfVectorizer(
            analyzer=lambda d: d, min_df=max(3, int(0.002 * len(docs))), max_df=0.5
        )
        try:
            matrix = vectoriser.fit_transform(docs)
        except ValueError:  # no term is frequent enough
            continue
        k = min(COMPONENTS, matrix.shape[1] - 1, matrix.shape[0] - 1)
        if k < 1:
            continue
        model = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=400)
        weights = model.fit_transform(matrix)
        vocabulary = vectoriser.get_feature_names_out()
        best = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
        found = []
        for c in range(k):
            members = np.flatnonzero(best == c)
            share = len(members) / len(docs)
            if len(members) < MIN_COMMENTS or share < MIN_SHARE:
                continue
            top = np.argsort(model.components_[c])[::-1][:TOP_TERMS]
            example = members[np.argmax(weights[members, c])]
            found.append(
                {
                    "language": code,
                    "terms": ", ".join(str(vocabulary[t]) for t in top),
                    "comments": round(share * total),
                    "share": share,
                    "example": str(sample["text"][int(example)]),
                }
            )
        found.sort(key=lambda r: -float(str(r["share"])))
        rows.extend({**r, "rank": i} for i, r in enumerate(found, start=1))
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
