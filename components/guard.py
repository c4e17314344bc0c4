"""The last-resort guard: an unexpected error shows one plain line with a reference, never a
traceback, server paths or data.

The full traceback goes to the server's log (:func:`cx.core.access.log_exception`) under the same
reference, so whoever runs the server can find it. Streamlit's own control flow (``st.stop``,
``st.rerun``, ``st.switch_page``) is not an error: it derives from ``BaseException`` and passes.
``client.showErrorDetails = "none"`` (``.streamlit/config.toml``) is the backstop for anything
outside a guard (a widget callback): Streamlit then shows a generic notice without details.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import streamlit as st

from components import session
from cx.core import access, i18n
from cx.core.i18n import _

F = TypeVar("F", bound=Callable[..., Any])


def report(exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback; returns the reference shown to the user."""
    ref = uuid.uuid4().hex[:8]
    access.log_exception("page_error", exc, ref=ref, where=where)
    return ref


def message(ref: str) -> str:
    """What the user reads (no detail of the error: it could hold paths or data)."""
    return _(
        "Something went wrong while drawing this part of the page (reference {ref}). Try "
        "again; if it keeps happening, give the reference to whoever runs this server."
    ).format(ref=ref)


@contextlib.contextmanager
def guard(where: str) -> Iterator[None]:
    """Run a block; an unexpected error becomes one plain message with a reference."""
    try:
        yield
    except Exception as exc:  # the last resort: every error is logged, none is shown raw
        st.error(message(report(exc, where)), icon=":material/error:")


def guarded(fn: F) -> F:
    """:func:`guard` around a function (a fragment's body, a callback), in the session's
    language: Streamlit runs a fragment again without the page script that set it (the Revenue
    model turned English on its first slider move in Russian, and so did its deck)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        i18n.activate(session.language())
        with guard(fn.__name__):
            return fn(*args, **kwargs)
        return None

    return wrapper  # type: ignore[return-value]
