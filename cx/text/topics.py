"""The topic taxonomy (``data/topics.csv``) and matching it on comments.

The taxonomy is a plain CSV that analysts edit: one row per topic and language with
``topic`` (a key), ``label``, the journey ``stage`` it belongs to (blank for topics that run
through the journey, such as staff) and ``keywords`` separated by ``|``. A keyword matches at
whole words, case-insensitively; ``*`` at either end stands for any letters (``wait*`` finds
"waiting" and "waited", ``*preis*`` finds "Kaufpreise", ``app`` finds "app" but not
"appointment"); Chinese keywords match anywhere (Chinese has no spaces between words). A comment whose language is not determined is matched with every language's
keywords. Results are stable and explainable: a comment is about a topic because it contains
one of the topic's keywords.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from cx.core.i18n import N_, _
from cx.core.paths import TOPICS_FILE
from cx.core.schema import STAGES
from cx.text.language import LANGUAGES
from cx.text.mask import PLACEHOLDERS

#: The labels of the shipped taxonomy (``data/topics.csv``), marked for the catalogs so that
#: :func:`label` names them in the interface's language; a label of an edited taxonomy that is
#: not listed here reads as written.
SHIPPED_LABELS = (
    N_("Charging and range"),
    N_("Follow-up and communication"),
    N_("Delivery and handover"),
    N_("Digital and app"),
    N_("Price and transparency"),
    N_("Product quality and defects"),
    N_("Service and repairs"),
    N_("Showroom and test drive"),
    N_("Staff and advice"),
    N_("Waiting and service time"),
)


class TaxonomyError(ValueError):
    """The taxonomy file is not usable; the message says which row and why."""


@dataclass(frozen=True)
class Topic:
    """One topic of the taxonomy.

    Attributes:
        key: the stored code (``waiting``).
        label: the display name ("Waiting and service time").
        stage: the journey stage it belongs to (:data:`cx.core.schema.STAGES`), or None.
        keywords: per language code, the keywords as written in the file.
    """

    key: str
    label: str
    stage: str | None
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def pattern(self, language: str) -> str | None:
        """The regular expression of this topic's keywords in one language (None: none)."""
        words = self.keywords.get(language, ())
        if not words:
            return None
        parts = []
        for word in words:
            text = re.escape(word.strip("*").lower())
            if language != "zh":
                start = "" if word.startswith("*") else r"\b"
                end = "" if word.endswith("*") else r"\b"
                text = f"{start}{text}{end}"
            parts.append(text)
        return "(?:" + "|".join(parts) + ")"

    def terms(self) -> list[str]:
        """Every keyword, all languages, without the ``*`` marks (for lists and exports)."""
        return list(dict.fromkeys(w.strip("*") for words in self.keywords.values() for w in words))


def read_taxonomy(path: Path = TOPICS_FILE) -> dict[str, Topic]:
    """Topics of a taxonomy file, in file order.

    Raises:
        TaxonomyError: a missing column, an unknown language or stage, or no keywords.
    """
    topics: dict[str, Topic] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"topic", "label", "stage", "language", "keywords"} - set(reader.fieldnames or [])
        if missing:
            raise TaxonomyError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            key, language = row["topic"].strip(), row["language"].strip()
            stage = row["stage"].strip() or None
            words = tuple(w.strip() for w in row["keywords"].split("|") if w.strip())
            if not key or language not in LANGUAGES or not words:
                raise TaxonomyError(f"{path.name} line {line}: needs a topic, a language of "
                                    f"{', '.join(LANGUAGES)} and keywords")  # fmt: skip
            if stage is not None and stage not in STAGES:
                raise TaxonomyError(f"{path.name} line {line}: unknown stage {stage!r}")
            topic = topics.setdefault(key, Topic(key, row["label"].strip() or key, stage))
            topic.keywords[language] = topic.keywords.get(language, ()) + words
    return topics


@functools.cache
def taxonomy() -> dict[str, Topic]:
    """The shipped taxonomy (``data/topics.csv``), read once per process."""
    return read_taxonomy()


def label(key: str) -> str:
    """The display name of a topic key in the language shown (the shipped taxonomy's labels
    are translated, :data:`SHIPPED_LABELS`; others read as written; the key itself when the
    taxonomy has no such topic)."""
    topic = taxonomy().get(key)
    return _(topic.label) if topic else key


_PLACEHOLDER = "|".join(re.escape(p) for p in PLACEHOLDERS)


def match_topics(
    texts: pl.Series, languages: pl.Series, topics: dict[str, Topic] | None = None
) -> tuple[pl.Series, pl.Series]:
    """The topics and journey stages each comment mentions.

    Args:
        texts: masked comments.
        languages: their language codes (None: matched with every language's keywords).
        topics: the taxonomy (default: :func:`taxonomy`).

    Returns:
        (topic keys per comment, stages per comment), both lists of strings in taxonomy order.
    """
    topics = taxonomy() if topics is None else topics
    frame = pl.DataFrame(
        {"t": texts.str.replace_all(_PLACEHOLDER, " ").str.to_lowercase(), "l": languages}
    )
    hits = []
    for topic in topics.values():
        any_language = [p for p in (topic.pattern(code) for code in LANGUAGES) if p]
        expr = pl.col("t").str.contains("|".join(any_language)) if any_language else pl.lit(False)
        per_language: Any = pl.when(pl.col("l").is_null()).then(expr)
        for code in LANGUAGES:
            pattern = topic.pattern(code)
            hit = pl.col("t").str.contains(pattern) if pattern else pl.lit(False)
            per_language = per_language.when(pl.col("l") == code).then(hit)
        hits.append(per_language.otherwise(False).alias(topic.key))
    if not hits:
        empty = pl.Series([[]] * frame.height, dtype=pl.List(pl.String))
        return empty.alias("topics"), empty.alias("stages")
    flags = frame.select(hits)
    stage_topics = {stage: [k for k, t in topics.items() if t.stage == stage] for stage in STAGES}
    named = [pl.when(pl.col(k)).then(pl.lit(k)) for k in topics]
    staged: list[pl.Expr] = [
        pl.when(pl.any_horizontal(keys)).then(pl.lit(stage))
        for stage, keys in stage_topics.items()
        if keys
    ] or [pl.lit(None, pl.String)]
    lists = flags.select(
        pl.concat_list(named).list.drop_nulls().alias("topics"),
        pl.concat_list(staged).list.drop_nulls().alias("stages"),
    )
    return lists["topics"], lists["stages"]
