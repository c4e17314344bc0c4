"""Who may do what: roles from configuration, and log lines that cannot be forged.

Roles come from allow-lists of e-mail addresses or ``@domain`` suffixes, set in
``.streamlit/secrets.toml`` (``[cxbench]`` section: ``analysts``, ``viewers``) or in the
environment (``CX_ANALYSTS``, ``CX_VIEWERS``, comma-separated). Analysts browse, export, upload
and delete datasets; viewers browse and export. When ``viewers`` is not set, every signed-in
user may view; when it is, only listed users (and analysts) get in.

Addresses are compared in one normal form (:func:`normal_address`), never with ``str.lower()``
alone: ``lower()`` turns the KELVIN SIGN into ``k``, so ``\u212aate@example.com`` (a different
mailbox) would match ``kate@example.com``. An address with such a look-alike character gets no
role at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import traceback
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["analyst", "viewer"]


def may_write(role: Role | None) -> bool:
    """Whether a role may write anything to the database: upload and delete datasets, save,
    replace and delete scenarios. Analysts only; viewers browse, export and share links.
    (Read-only servers refuse every write whatever the role.)"""
    return role == "analyst"


@dataclass(frozen=True)
class Policy:
    """Allow-lists in normal form (:func:`normal_address`): addresses, ``@domain`` suffixes
    or ``*``."""

    analysts: tuple[str, ...] = ()
    viewers: tuple[str, ...] | None = None


#: Scripts whose letters look like Latin ones: a label mixing Latin with one of them
#: (``kаte`` with a Cyrillic ``а``) is a look-alike.
_CONFUSABLE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (None for anything else)."""
    if not ch.isalpha():
        return None
    return unicodedata.name(ch, "").split(" ", 1)[0] or None


def _look_alike(text: str) -> bool:
    """Whether an address (or a pattern) holds a character that passes for another: a
    compatibility form (``K`` KELVIN SIGN, full-width ``ｋ``, the ligature ``ﬁ``) that
    NFKC or lower-casing turns into other letters, an invisible format character, or a
    word mixing Latin letters with Cyrillic, Greek, Armenian or Cherokee ones."""
    for ch in text:
        if ch.isascii():
            continue
        if unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp"):
            return True
        if unicodedata.normalize("NFKC", ch) != ch or any(c.isascii() for c in ch.lower()):
            return True
    for word in text.replace("@", ".").split("."):
        scripts = {_script(ch) for ch in word} - {None}
        if "LATIN" in scripts and scripts & set(_CONFUSABLE_SCRIPTS):
            return True
    return False


def normal_address(email: Any) -> str | None:
    """An address in the one form it is compared in: NFC, lower case, without surrounding
    space; None for an address that is not one (no ``@`` or several, spaces or control
    characters inside) or that holds a look-alike character (:func:`_look_alike`)."""
    if not isinstance(email, str) or _look_alike(email.strip()):  # before NFC, which turns
        return None  # the KELVIN SIGN into a K
    text = unicodedata.normalize("NFC", email.strip())
    if text.count("@") != 1 or not all(text.split("@")):
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return None
    return text.lower()


def _pattern(item: Any) -> str | None:
    """An allow-list entry in normal form: ``*``, an address or an ``@domain``; None for one
    that could never match safely (a look-alike)."""
    text = str(item).strip()
    if not text or text == "*":
        return text or None
    if text.startswith("@"):
        domain = normal_address("x" + text)
        return None if domain is None else domain[1:]
    return normal_address(text)


def _patterns(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return tuple(p for p in (_pattern(i) for i in items) if p)


def policy_from(settings: Mapping[str, Any] | None, env: Mapping[str, str]) -> Policy:
    """The policy from a ``[cxbench]`` secrets section, else from the environment."""
    settings = settings or {}
    analysts = settings.get("analysts", env.get("CX_ANALYSTS"))
    viewers = settings.get("viewers", env.get("CX_VIEWERS"))
    return Policy(_patterns(analysts), _patterns(viewers) if viewers is not None else None)


def matches(email: str | None, patterns: Iterable[str]) -> bool:
    """Whether ``email`` is on an allow-list of addresses, ``@domain`` suffixes or ``*``
    (compared in normal form; a look-alike address matches nothing, not even ``*``)."""
    address = normal_address(email)
    if address is None:
        return False
    for pattern in patterns:
        if pattern == "*" or pattern == address:
            return True
        if pattern.startswith("@") and address.endswith(pattern) and address.count("@") == 1:
            return True
    return False


def is_verified(claim: Any) -> bool:
    """Whether an ``email_verified`` claim says the address was verified (only ``true``)."""
    return claim is True or (isinstance(claim, str) and claim.strip().lower() == "true")


def role_for(email: str | None, policy: Policy, *, verified: Any) -> Role | None:
    """The role of a signed-in user, or None when they may not use the app.

    An address whose ``email_verified`` claim is not ``true`` gets no role at all: anyone can
    create an account at many providers with someone else's address, unverified. (There is
    no setting to relax this.) Nor does an address with a look-alike character
    (:func:`normal_address`).
    """
    if not is_verified(verified) or normal_address(email) is None:
        return None
    if matches(email, policy.analysts):
        return "analyst"
    if policy.viewers is None or matches(email, policy.viewers):
        return "viewer"
    return None


def user_ref(email: str | None) -> str:
    """A stable pseudonym for logs and the owner of saved scenarios: never the address
    itself; the same for every spelling of one address (:func:`normal_address`), and never
    shared by a look-alike (which gets ``u-`` and the hash of its exact text, and no role)."""
    if not email:
        return "anonymous"
    address = normal_address(email) or "look-alike:" + email
    return "u-" + hashlib.sha256(address.encode()).hexdigest()[:10]


# --------------------------------------------------------------------------------------------
# Structured logs
# --------------------------------------------------------------------------------------------

_logger = logging.getLogger("cxbench")


def configure_logging() -> None:
    """One JSON object per line on stdout (greppable, and a value can never start a new line)."""
    if _logger.handlers:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(os.environ.get("CX_LOG_LEVEL", "INFO").upper())
    _logger.propagate = False


def log_line(event: str, **fields: Any) -> str:
    """The JSON line for an event. Values are JSON-escaped and clipped to 200 characters."""
    clean = {k: (v if isinstance(v, int | float | bool) or v is None else str(v)[:200])
             for k, v in fields.items()}  # fmt: skip
    return json.dumps({"event": event, **clean}, ensure_ascii=True, sort_keys=True)


def log(event: str, **fields: Any) -> None:
    """Log an event (no personal data: pass :func:`user_ref`, never addresses or answers)."""
    configure_logging()
    _logger.info(log_line(event, **fields))


#: Longest traceback kept in a log line (its last characters: where the error happened).
MAX_TRACEBACK = 20_000


def log_exception(event: str, exc: BaseException, **fields: Any) -> None:
    """Log an unexpected error on one JSON line: the fields, the error's type and its traceback
    (as an escaped string, clipped from the start). Server-side only; users get a reference."""
    configure_logging()
    trace = "".join(traceback.format_exception(exc))[-MAX_TRACEBACK:]
    line = json.loads(log_line(event, error=type(exc).__name__, **fields))
    _logger.error(json.dumps({**line, "traceback": trace}, ensure_ascii=True, sort_keys=True))
