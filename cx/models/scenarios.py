"""Saved revenue-at-risk scenarios: named link parameters, kept in the database per owner.

A scenario is the view's link parameters (dataset, filters, preset, brand and the inputs that
differ from the preset). Its id is an unguessable token, so ``?scenario=<id>`` opens it for
whoever holds the link and may use the dashboard; only the owner lists, replaces and deletes
it. Only analysts save, replace and delete (:func:`cx.core.access.may_write`): every write
here takes the writer's role and refuses any other. Viewers share the link of the view they
are on, which holds the same parameters.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

import polars as pl

from cx.core.access import Role, may_write
from cx.core.i18n import _
from cx.data import sql
from cx.data.database import Database
from cx.data.sql import Runner

MAX_NAME = 60
MAX_SCENARIOS = 200


class ScenarioError(ValueError):
    """A scenario that cannot be saved (no name, too many, read-only source, not an analyst)."""


def _check_role(role: Role | None) -> None:
    if not may_write(role):
        raise ScenarioError(
            _("only analysts save and delete scenarios; share the link in the address bar instead")
        )


def clean_name(name: str) -> str:
    """A scenario name: printable, single spaces, at most :data:`MAX_NAME` characters."""
    text = " ".join("".join(ch for ch in str(name) if ch.isprintable()).split())
    if not text:
        raise ScenarioError(_("give the scenario a name"))
    return text[:MAX_NAME]


def save(
    database: Database, owner: str, name: str, params: Mapping[str, str], *, role: Role | None
) -> str:
    """Save a scenario (same owner and name: replaced) for a writer of ``role``; returns its
    id."""
    _check_role(role)
    title = clean_name(name)
    existing = database.run("scenarios", {"owner": owner})
    if existing.height >= MAX_SCENARIOS and title not in existing["name"].to_list():
        raise ScenarioError(
            _("at most {count} saved scenarios; delete some first").format(count=MAX_SCENARIOS)
        )
    same = existing.filter(pl.col("name") == title)
    scenario_id = same["scenario_id"][0] if same.height else secrets.token_urlsafe(9)
    payload = json.dumps({str(k): str(v) for k, v in params.items()}, sort_keys=True)
    values = {"scenario_id": scenario_id, "owner": owner, "name": title, "params": payload}
    database.write(lambda con: sql.run(con, "build/insert_scenario", values))
    return str(scenario_id)


def delete(database: Database, owner: str, scenario_id: str, *, role: Role | None) -> None:
    """Delete one of the owner's scenarios (a writer of ``role``)."""
    _check_role(role)
    database.write(
        lambda con: sql.run(
            con, "build/delete_scenario", {"scenario_id": scenario_id, "owner": owner}
        )
    )


def listing(run: Runner, owner: str) -> list[dict[str, Any]]:
    """The owner's scenarios: id, name, params (a dict), created_at."""
    rows = run("scenarios", {"owner": owner})
    return [{**r, "params": json.loads(r["params"])} for r in rows.iter_rows(named=True)]


def params_of(run: Runner, scenario_id: str) -> dict[str, str] | None:
    """The link parameters of a scenario, or None when there is no such scenario."""
    if not scenario_id or len(scenario_id) > 40:
        return None
    rows = run("scenario", {"scenario_id": scenario_id})
    if rows.is_empty():
        return None
    loaded = json.loads(rows["params"][0])
    return {str(k): str(v) for k, v in loaded.items()}
