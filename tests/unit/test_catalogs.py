"""The catalogs hold every message the code uses: each language translates each message
extracted from the code, keeps its placeholders and has its plural forms; the browser's,
the link's and a flag's language codes are read as the interface expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from cx.core import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)?(?:[!:][^{}]*)?\}")
PLURAL_FORMS = {"zh": 1, "ru": 3}


def _code_messages() -> dict[str | tuple[str, str], str]:
    """Every message of the app's code -> where it is first used."""
    found: dict[str | tuple[str, str], str] = {}
    rows = [("app.py", *r) for r in extract_from_file("python", ROOT / "app.py", KEYWORDS)]
    for folder in ("components", "pages", "cx"):
        rows += [
            (f"{folder}/{name}", *rest)
            for name, *rest in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
            )
        ]
    for where, line, message, *_rest in rows:
        if message:
            found.setdefault(message, f"{where}:{line}")
    return found


def _fields(text: str) -> set[str]:
    return set(FIELD.findall(text.replace("{{", "").replace("}}", "")))


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_every_message_the_code_uses_is_translated(lang: str) -> None:
    with (ROOT / "locale" / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing, broken = [], []
    for message, where in _code_messages().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        strings = entry.string if entry is not None else None
        if isinstance(message, tuple):
            ok = isinstance(strings, tuple) and len(strings) == PLURAL_FORMS[lang]
            ok = ok and all(strings)
            wanted = _fields(message[0]) | _fields(message[1])
            got = set().union(*(_fields(s) for s in strings)) if ok else wanted
        else:
            ok = isinstance(strings, str) and bool(strings)
            wanted, got = _fields(message), (_fields(strings) if ok else _fields(message))
        if not ok or (entry is not None and entry.fuzzy):
            missing.append(f"{where}: {key!r}")
        elif got != wanted:
            broken.append(f"{where}: {key!r} has {sorted(got)}, not {sorted(wanted)}")
    assert not missing, f"{len(missing)} messages lack a {lang} translation:\n" + "\n".join(
        missing[:60]
    )
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


def test_language_codes_from_links_headers_and_flags() -> None:
    assert i18n.parse("ru") == "ru" and i18n.parse("zh-CN") == "zh" and i18n.parse("RU_ru") == "ru"
    assert i18n.parse("xx") is None and i18n.parse("") is None
    assert i18n.from_accept_language("ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert i18n.from_accept_language("de-DE,zh;q=0.7,ru;q=0.5") == "zh"
    assert i18n.from_accept_language("de-DE") == "en"


def test_numbers_follow_the_language() -> None:
    with i18n.use("ru"):
        assert i18n.number(1234.5, 1) == "1\u00a0234,5"
        assert i18n.ngettext("{n} brand", "{n} brands", 3) == "{n} brands"  # no entry: English
    with i18n.use("en"):
        assert i18n.number(1234.5, 1, signed=True) == "+1,234.5"


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_prose_about_automakers_names_the_industry_as_the_data_does(lang: str) -> None:
    """Industry names are data values, the same in every language (the sidebar, the tables, the
    charts and the headlines say "Automakers"). The review: the Chinese revenue page said
    "汽车制造商的客户" in the preset's description and "Automakers客户" on the tile beside it,
    one industry under two names. A translation of prose about automakers names the industry
    as stored, once, beside the language's word for it."""
    from cx.core.schema import AUTOMAKERS

    with (ROOT / "locale" / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    about = [
        m for m in catalog
        if m.id and isinstance(m.string, str) and re.search(r"\bautomakers\b", str(m.id), re.I)
    ]  # fmt: skip
    assert len(about) >= 5
    unnamed = [m.id for m in about if AUTOMAKERS not in m.string]
    assert not unnamed, unnamed
