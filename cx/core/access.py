"""Who may do what: roles from configuration, and log lines that cannot be forged.

Roles come from allow-lists of e-mail addresses or ``@domain`` suffixes, set in
``.streamlit/secrets.toml`` (``[cxbench]`` section: ``analysts``, ``viewers``) or in the
environment (``CX_ANALYSTS``, ``CX_VIEWERS``, comma-separated). Analysts browse, export, upload
and delete datasets; viewers browse and export. When ``viewers`` is not set, every signed-in
user may view; when it is, only listed users (and analysts) get in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["analyst", "viewer"]


@dataclass(frozen=True)
class Policy:
    """Allow-lists: exact addresses (case-insensitive), ``@domain`` suffixes or ``*``."""

    analysts: tuple[str, ...] = ()
    viewers: tuple[str, ...] | None = None


def _patterns(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return tuple(p for p in (str(i).strip().lower() for i in items) if p)


def policy_from(settings: Mapping[str, Any] | None, env: Mapping[str, str]) -> Policy:
    """The policy from a ``[cxbench]`` secrets section, else from the environment."""
    settings = settings or {}
    analysts = settings.get("analysts", env.get("CX_ANALYSTS"))
    viewers = settings.get("viewers", env.get("CX_VIEWERS"))
    return Policy(_patterns(analysts), _patterns(viewers) if viewers is not None else None)


def matches(email: str | None, patterns: Iterable[str]) -> bool:
    """Whether ``email`` is on an allow-list of addresses, ``@domain`` suffixes or ``*``."""
    if not email:
        return False
    address = email.strip().lower()
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
    no setting to relax this.)
    """
    if not is_verified(verified):
        return None
    if matches(email, policy.analysts):
        return "analyst"
    if policy.viewers is None or matches(email, policy.viewers):
        return "viewer" if email else None
    return None


def user_ref(email: str | None) -> str:
    """A stable pseudonym for logs: never the address itself."""
    if not email:
        return "anonymous"
    return "u-" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:10]


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
