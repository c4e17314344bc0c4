"""Sign-in and roles: who may see the dashboard and who may write to it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st
from streamlit.errors import StreamlitAPIException

from components import session
from cx.core import access as access_rules
from cx.core.display import plain
from cx.core.i18n import N_, _
from cx.data import connect

#: The roles as the sidebar names them.
ROLES = {"viewer": N_("viewer"), "analyst": N_("analyst")}


@dataclass(frozen=True)
class Access:
    """Who is using this session: sign-in mode, role, and identity (never logged as is)."""

    mode: Literal["open", "oidc"]
    role: access_rules.Role | None
    email: str | None = None
    name: str | None = None


def secrets_section(name: str) -> dict[str, Any] | None:
    """A section of ``.streamlit/secrets.toml``, or None (also when there is no file)."""
    try:
        if name not in st.secrets:
            return None
        return dict(st.secrets[name])
    except (FileNotFoundError, KeyError, StreamlitAPIException, OSError):
        return None


def data_spec() -> str:
    """The data source: ``CX_DATA`` in the environment, else ``data`` in the ``[cxbench]``
    section of ``.streamlit/secrets.toml``, else the DuckDB file (``CX_DB``)."""
    if os.environ.get("CX_DATA"):
        return connect.data_source()
    configured = (secrets_section("cxbench") or {}).get("data")
    return str(configured) if configured else connect.data_source()


def read_only() -> bool:
    """True when nothing may be written: ``CX_READ_ONLY=1`` (viewer-only deployments), or a
    Parquet or MotherDuck source, which the app only reads."""
    return os.environ.get("CX_READ_ONLY") == "1" or connect.source_kind(data_spec()) != "file"


def _provider(auth: Mapping[str, Any]) -> str | None:
    """The OIDC provider to sign in with: None for a single unnamed one, else the first named."""
    if "client_id" in auth:
        return None
    named = [k for k, v in auth.items() if isinstance(v, Mapping)]
    return named[0] if named else None


def access() -> Access:
    """The current session's access: open (no sign-in configured) or through OIDC."""
    auth = secrets_section("auth")
    if not auth:
        return Access("open", "viewer" if read_only() else "analyst")
    if not st.user.is_logged_in:
        return Access("oidc", None)
    email = st.user.get("email")
    email = str(email) if email else None
    verified = st.user.get("email_verified")
    policy = access_rules.policy_from(secrets_section("cxbench"), os.environ)
    name = st.user.get("name")
    role = access_rules.role_for(email, policy, verified=verified)
    return Access("oidc", role, email, str(name) if name else None)


def gate() -> Access:
    """Before any data is shown: sign in when OIDC is configured, refuse unknown users."""
    who = access()
    if who.mode == "oidc" and not st.user.is_logged_in:
        _only_page(_sign_in_screen, N_("Sign in"))
    if who.role is None:
        _only_page(_no_access_screen, N_("No access"))
    if session.first_time("session_logged"):
        access_rules.log(
            "session", mode=who.mode, role=who.role, user=access_rules.user_ref(who.email)
        )
    return who


def _only_page(screen: Callable[[], None], title: str) -> None:
    """Show one screen as the app's only (hidden) page, then stop: no data, no other pages."""
    st.navigation([st.Page(screen, title=_(title), default=True)], position="hidden").run()
    st.stop()


def _sign_in_screen() -> None:
    st.title("cxbench", anchor=False)
    st.write(_("Customer-experience benchmarks. Sign in to continue."))
    provider = _provider(secrets_section("auth") or {})
    st.button(
        _("Sign in"),
        type="primary",
        icon=":material/login:",
        on_click=(lambda: st.login(provider)) if provider else st.login,
    )


def _no_access_screen() -> None:
    st.title("cxbench", anchor=False)
    st.error(
        _(
            "Your account is not on this dashboard's access list, or its e-mail address is not "
            "verified. Ask an administrator to add it, or sign in with another account."
        ),
        icon=":material/block:",
    )
    st.button(_("Sign out"), on_click=st.logout, icon=":material/logout:")


def identity_box(who: Access) -> None:
    """Who is signed in (with sign-out), or that access is open."""
    with st.sidebar:
        if who.mode == "open":
            st.caption(
                _(
                    ":material/lock_open: **Open access**: no sign-in is configured (local use). "
                    "Configure OpenID Connect in `.streamlit/secrets.toml` to require sign-in."
                )
            )
            return
        label = plain(who.name or who.email or _("signed in"), 60)
        st.caption(
            f":material/account_circle: {label} · {_(ROLES.get(str(who.role), str(who.role)))}"
        )
        st.button(_("Sign out"), on_click=st.logout, icon=":material/logout:", key="sign_out")


def can_upload() -> bool:
    """Whether this session may upload and delete datasets (checked again on every write)."""
    return not read_only() and access_rules.may_write(access().role)


def can_save_scenarios() -> bool:
    """Whether this session may save, replace and delete scenarios: analysts on a writable
    server (:func:`cx.core.access.may_write`); the model checks the role again on every write."""
    return not read_only() and access_rules.may_write(access().role)


def user_key() -> str:
    """Whose saved scenarios these are: the pseudonym of the signed-in user, or ``open``."""
    who = access()
    return access_rules.user_ref(who.email) if who.mode == "oidc" else "open"
