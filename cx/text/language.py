"""The language of a comment: lingua's detector restricted to the languages cxbench analyses.

Lingua (``lingua-language-detector``) ships its language models inside the package, so nothing
is downloaded at run time. Restricting it to :data:`LANGUAGES` makes it faster and more
accurate on the short answers surveys collect; a text it cannot tell apart (``ok``,
``super``) or with too few letters gets no language (``None``), never a guess.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from cx.core.i18n import N_, _

#: Languages analysed (ISO 639-1 code -> name), in display order.
LANGUAGES: Final[dict[str, str]] = {
    "en": N_("English"),
    "de": N_("German"),
    "zh": N_("Chinese"),
    "ru": N_("Russian"),
}
_LINGUA: Final[dict[str, Language]] = {
    "en": Language.ENGLISH,
    "de": Language.GERMAN,
    "zh": Language.CHINESE,
    "ru": Language.RUSSIAN,
}
_CODES: Final[dict[Language, str]] = {v: k for k, v in _LINGUA.items()}
#: Lingua's minimum distance between the two likeliest languages: below it, no language.
MIN_RELATIVE_DISTANCE: Final[float] = 0.1
#: Fewer letters than this: no language (a Chinese character counts as a letter).
MIN_LETTERS: Final[int] = 2


@functools.cache
def detector() -> LanguageDetector:
    """The detector for :data:`LANGUAGES` (built once per process)."""
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA.values())
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )


def name(code: str | None) -> str:
    """The display name of a language code in the interface's language (``None``: "not
    determined")."""
    if code is None:
        return _("not determined")
    return _(LANGUAGES[code]) if code in LANGUAGES else code


def _letters(text: str) -> int:
    """Letters among the first characters (enough to tell whether there are at least two)."""
    return sum(ch.isalpha() for ch in text[:8])


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language among :data:`LANGUAGES`, or None.

    Args:
        text: a comment (masked).

    Returns:
        ``en``, ``de``, ``zh`` or ``ru``; None for too few letters or an unclear text.
    """
    if _letters(text) < MIN_LETTERS:
        return None
    found = detector().detect_language_of(text)
    return None if found is None else _CODES[found]


def detect_many(texts: Sequence[str]) -> list[str | None]:
    """:func:`detect` for many texts at once (lingua spreads them over the cores)."""
    positions = [i for i, t in enumerate(texts) if _letters(t) >= MIN_LETTERS]
    out: list[str | None] = [None] * len(texts)
    if not positions:
        return out
    found = detector().detect_languages_in_parallel_of([texts[i] for i in positions])
    for i, language in zip(positions, found, strict=True):
        out[i] = None if language is None else _CODES[language]
    return out
