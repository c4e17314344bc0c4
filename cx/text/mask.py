"""Personal data in free text: replaced by a placeholder before a comment is stored or shown.

Masked: e-mail addresses; phone numbers in international form (``+1 415 555 0134``,
``+49 170 1234567``, ``0049 ...``) and local forms (``(415) 555-0134``, ``415-555-0134``,
``0170 1234567``, ``030/1234567``, Chinese mobiles ``13812345678``, Russian
``8 (916) 123-45-67``); card, account and ID-like numbers (IBANs, vehicle identification
numbers, 7 or more digits in a row, 9 or more digits in groups). Dates (``2024-03-12``,
``12.03.2024``), years, prices and counts stay. The original upload file is the only place the
unmasked text remains.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

EMAIL = "[e-mail]"
PHONE = "[phone]"
NUMBER = "[number]"
#: Every placeholder (tokenisation drops them, so they never become terms).
PLACEHOLDERS: tuple[str, ...] = (EMAIL, PHONE, NUMBER)

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_VIN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b")
_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)\d[\d ()./-]{5,22}\d")
_LOCAL = (
    re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"),  # Chinese mobile
    re.compile(r"(?<!\d)8[ -]?\(?\d{3}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}(?!\d)"),  # Russian
    re.compile(r"\(\d{2,5}\)[ .-]?\d{3,4}[ .-]?\d{2,4}(?:[ .-]?\d{2})?(?!\d)"),  # (415) 555-0134
    re.compile(r"(?<![\d.])\d{3}[.-]\d{3}[.-]\d{4}(?![\d.])"),  # 415-555-0134
    re.compile(r"(?<![\d.,])0\d{2,4}[ /-]?\d{3,4}[ -]?\d{2,5}(?!\d)"),  # 0170 1234567
)
_RUN = re.compile(r"(?<!\d)\d{7,}(?!\d)")
_GROUPED = re.compile(r"(?<![\d.,])\d(?:[ -]?\d){8,}(?![\d.,])")
_DIGITS = re.compile(r"\d")


def _international(match: re.Match[str]) -> str:
    """A ``+``/``00`` number is a phone number when it has 7 to 15 digits (ITU E.164)."""
    digits = len(_DIGITS.findall(match.group(0)))
    return PHONE if 7 <= digits <= 15 else match.group(0)


_STEPS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, EMAIL),
    (_IBAN, NUMBER),
    (_VIN, NUMBER),
    (_CARD, NUMBER),
    (_INTERNATIONAL, _international),
    *((pattern, PHONE) for pattern in _LOCAL),
    (_RUN, NUMBER),
    (_GROUPED, NUMBER),
)


def mask(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and card/ID-like numbers replaced by
    :data:`EMAIL`, :data:`PHONE` and :data:`NUMBER`.

    Args:
        text: a free-text answer as written.

    Returns:
        The text with personal data replaced; text without any is returned unchanged.
    """
    if "@" not in text and len(_DIGITS.findall(text)) < 7:
        return text  # nothing that could be an address, a phone number or an ID
    for pattern, replacement in _STEPS:
        text = pattern.sub(replacement, text)
    return text


def mask_series(texts: pl.Series) -> pl.Series:
    """:func:`mask` on every text of a series; only texts with an ``@`` or 7+ digits are
    examined in Python, the rest pass through unchanged (fast on large uploads)."""
    suspect = texts.str.contains("@", literal=True) | (texts.str.count_matches(r"\d") >= 7)
    if not suspect.any():
        return texts
    out = texts.to_list()  # Python over the rows, not map_elements (tests/scale/test_replicas.py)
    for i in suspect.arg_true().to_list():
        out[i] = mask(out[i])
    return pl.Series(texts.name, out, dtype=pl.String)
