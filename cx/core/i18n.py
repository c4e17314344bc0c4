"""The interface's language: gettext catalogs for words, Babel for numbers, dates and names.

Every message the product shows is written in English in the code and looked up in the
catalog of the chosen language (``locale/<lang>/LC_MESSAGES/cxbench.po``, compiled to ``.mo``
by ``make messages`` or on first use). Messages defined at import time (page titles, column
names, labels of picks) are marked with :func:`N_` and translated where they are shown with
:func:`_`.

The language is per request, not per process: one server serves sessions in several
languages at once. :func:`use` sets it for the current thread or task (a context variable), so
a page run, a command or an export renders everything in one language.

Numbers follow the language's conventions (1,234.5 in English, 1 234,5 in Russian) through
Babel; data values (brand, dealer and country names as stored) are never translated, but
country *codes* are named per language from the CLDR (:func:`territory`).
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Final

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from cx.core.paths import ROOT

#: Languages of the interface, in the order the language choice lists them.
LANGUAGES: Final[tuple[str, ...]] = ("en", "zh", "ru")
DEFAULT: Final = "en"
#: Each language named in itself (the language choice).
NATIVE_NAMES: Final[dict[str, str]] = {"en": "English", "zh": "中文", "ru": "Русский"}
#: The gettext domain and where its catalogs live.
DOMAIN: Final = "cxbench"
LOCALE_DIR: Final = ROOT / "locale"

_current: ContextVar[str] = ContextVar("cx_language", default=DEFAULT)


def language() -> str:
    """The language of the current request."""
    return _current.get()


def parse(text: str | None) -> str | None:
    """A language code from a link, a header or a flag (``ru``, ``zh-CN``, ``RU_ru``), or None
    when it is not one of :data:`LANGUAGES`."""
    if not text:
        return None
    code = str(text).strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def from_accept_language(header: str | None) -> str:
    """The first language of a browser's ``Accept-Language`` header the interface has, else the
    default (``ru-RU,ru;q=0.9,en;q=0.8`` -> ``ru``)."""
    weighted = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        weighted.append((-q, i, tag))
    for _q, _i, tag in sorted(weighted):
        found = parse(tag)
        if found:
            return found
    return DEFAULT


@contextlib.contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Render in ``lang`` (unknown or None: the default) for the block."""
    chosen = parse(lang) or DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def activate(lang: str | None) -> str:
    """Render in ``lang`` from here on in the current thread or task (a page run: Streamlit
    runs each session's script, and its fragments, in that session's own thread)."""
    chosen = parse(lang) or DEFAULT
    _current.set(chosen)
    return chosen


def _compiled(lang: str) -> None:
    """Compile a language's ``.po`` to ``.mo`` when the ``.mo`` is missing or older."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.exists() or (mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime):
        return
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")  # processes compiling at once
    with tmp.open("wb") as out:
        write_mo(out, catalog)
    tmp.replace(mo)


def compile_catalogs() -> dict[str, int]:
    """Compile every language's catalog to ``.mo`` now (``make messages``); the number of
    translated messages per language. Placeholders are checked by the tests
    (``tests/unit/test_catalogs.py``), not here: Babel's own check reads Plotly's ``%{y}``
    and "% of answers" as printf formats."""
    counts = {}
    for lang in LANGUAGES:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            po.with_suffix(".mo").unlink(missing_ok=True)
            _compiled(lang)
            with po.open("rb") as source:
                counts[lang] = sum(1 for m in read_po(source, locale=lang) if m.id and m.string)
    return counts


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang`` (English and a missing catalog: messages as written)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    _compiled(lang)
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, by the language's plural rules
    (Russian has three)."""
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802  (the gettext convention extraction looks for)
    """Mark a message for the catalogs where it is defined; :func:`_` translates it where it
    is shown."""
    return message


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def locale(lang: str | None = None) -> Locale:
    """The Babel locale of a language (the current one by default)."""
    return _locale(lang or language())


def territory(code: str, lang: str | None = None) -> str | None:
    """A country's name in the language (CLDR, through Babel), or None for an unknown code."""
    name = locale(lang).territories.get(str(code).upper())
    return str(name) if name else None


def number(value: float, digits: int = 0, *, signed: bool = False) -> str:
    """A number as the language writes it: grouping and decimal marks (1,234.5; 1 234,5;
    1,234.5), with a sign on both sides of zero when ``signed`` (NPS, changes)."""
    body = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = f"+{body};-{body}" if signed else body
    return str(format_decimal(value, format=pattern, locale=locale(), decimal_quantization=True))
