"""Words of a comment, per language: the terms that topics and distinguishing terms count.

- Chinese: jieba's dictionary segmentation (``HMM=False``: dictionary words only, stable and
  about twice as fast); tokens with a Chinese character, or Latin words such as ``app``.
- English, German, Russian: words of two or more letters, lowercased and lemmatised with
  simplemma (``waiting`` -> ``wait``, ``Wochen`` -> ``woche``, ``недели`` -> ``неделя``).
- Stop words: the lists of the ``stop-words`` package (en 1,333, de 263, ru 421, zh 119
  words) without the opinion words listed in :data:`KEEP`, which those lists drop but which
  carry what people think (``good``, ``problem``, ``好``).

Masking placeholders (``[phone]``...) are removed first, so they never become terms.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import Final

import simplemma
from stop_words import get_stop_words

from cx.text.language import LANGUAGES
from cx.text.mask import PLACEHOLDERS

#: Words the packaged stop lists contain that are kept as terms: they carry the opinion.
KEEP: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        [
            "good",
            "great",
            "best",
            "better",
            "bad",
            "worse",
            "worst",
            "problem",
            "problems",
            "help",
            "helpful",
            "new",
            "long",
            "thanks",
            "thank",
            "fast",
            "quick",
            "slow",
            "easy",
            "hard",
            "nice",
            "late",
            "early",
            "fine",
        ]
    ),
    "de": frozenset(),
    "ru": frozenset(["хорошо", "плохо", "долго", "быстро", "спасибо"]),
    "zh": frozenset(["好", "快", "慢", "贵", "差"]),
}
_WORD = re.compile(r"[^\W\d_]{2,}")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"^[a-z]{2,}$")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language (packaged list, lowercased and lemmatised, minus KEEP)."""
    words = {w.lower() for w in get_stop_words(language)}
    if language != "zh":
        words |= {simplemma.lemmatize(w, lang=language).lower() for w in words}
    return frozenset(words - KEEP.get(language, frozenset()))


@functools.cache
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@functools.lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The lowercased lemma of a lowercased word (simplemma's dictionary; cached)."""
    return simplemma.lemmatize(word, lang=language).lower()


def tokenize(text: str, language: str | None) -> list[str]:
    """The terms of one comment, in order, stop words removed.

    Args:
        text: a masked comment.
        language: its ISO 639-1 code (:data:`cx.text.language.LANGUAGES`); None gives no
            terms (a text whose language is unclear cannot be lemmatised reliably).

    Returns:
        Lowercased lemmas (Chinese: dictionary words) that are not stop words.
    """
    if language not in LANGUAGES:
        return []
    clean = _PLACEHOLDER.sub(" ", text).lower()
    stops = stop_words(language)
    if language == "zh":
        jieba = _jieba()
        words = jieba.lcut(clean, HMM=False)  # type: ignore[attr-defined]
        return [
            w
            for w in (w.strip() for w in words)
            if w not in stops and (_HAN.search(w) or _LATIN_WORD.match(w))
        ]
    out = []
    for word in _WORD.findall(clean):
        if word in stops:
            continue
        base = lemma(word, language)
        if base not in stops and len(base) >= 2:
            out.append(base)
    return out


def tokenize_many(texts: Sequence[str], languages: Sequence[str | None]) -> list[list[str]]:
    """:func:`tokenize` of each text with its language."""
    return [tokenize(t, lang) for t, lang in zip(texts, languages, strict=True)]
