"""Saved CX programme self-assessments: answers under an organisation's name, per owner.

Like saved revenue scenarios (:mod:`cx.models.scenarios`), an assessment belongs to an owner
(the pseudonym of the signed-in user, or ``open`` when nobody signs in, so that everyone on an
open server shares them). Each save is a new row, so the page can show how the stage and the
competency scores moved between assessments of one organisation. Its id is an unguessable
token: ``?assessment=<id>`` opens it for whoever holds the link; only the owner lists and
deletes it. Only valid answers are stored; stages and scores follow from them by the rule of
:mod:`cx.models.maturity`, so a stored assessment never disagrees with the rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from cx.core.i18n import _
from cx.data import sql
from cx.data.database import Database
from cx.data.sql import Runner
from cx.models import maturity

MAX_ORGANISATION = 60
MAX_ASSESSMENTS = 500
_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class AssessmentError(ValueError):
    """An assessment that cannot be saved (no organisation, no answers, too many)."""


@dataclass(frozen=True)
class Saved:
    """A saved assessment: id, organisation, valid answers and when it was saved."""

    assessment_id: str
    organisation: str
    answers: dict[str, int]
    created_at: dt.datetime | None

    @property
    def when(self) -> str:
        """The saving time as people read it (``2025-03-14 09:30``)."""
        return self.created_at.strftime("%Y-%m-%d %H:%M") if self.created_at else _("unknown")


def clean_organisation(name: str) -> str:
    """An organisation's name: printable, single spaces, at most :data:`MAX_ORGANISATION`."""
    text = " ".join("".join(ch for ch in str(name) if ch.isprintable()).split())
    if not text:
        raise AssessmentError(_("give the organisation's name"))
    return text[:MAX_ORGANISATION]


def _answers(text: str) -> dict[str, int]:
    """Stored answers, read back through the same check as any other answers."""
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return maturity.read_answers(loaded).values if isinstance(loaded, dict) else {}


def _saved(row: Mapping[str, object]) -> Saved:
    created = row.get("created_at")
    return Saved(
        str(row["assessment_id"]),
        str(row["organisation"]),
        _answers(str(row["answers"])),
        created if isinstance(created, dt.datetime) else None,
    )


def save(database: Database, owner: str, organisation: str, answers: Mapping[str, int]) -> str:
    """Save an assessment (valid answers only; a partial one too); returns its id."""
    name = clean_organisation(organisation)
    checked = maturity.read_answers(answers)
    if checked.problems:
        raise AssessmentError(checked.problems[0])
    if not checked.values:
        raise AssessmentError(_("answer at least one statement before saving"))
    existing = database.run("assessments", {"owner": owner})
    if existing.height >= MAX_ASSESSMENTS:
        raise AssessmentError(
            _("at most {count} saved assessments; delete some first").format(count=MAX_ASSESSMENTS)
        )
    assessment_id = secrets.token_urlsafe(9)
    values = {
        "assessment_id": assessment_id,
        "owner": owner,
        "organisation": name,
        "answers": json.dumps(checked.values, sort_keys=True),
    }
    database.write(lambda con: sql.run(con, "build/insert_assessment", values))
    return assessment_id


def delete(database: Database, owner: str, assessment_id: str) -> None:
    """Delete one of the owner's assessments."""
    params = {"assessment_id": assessment_id, "owner": owner}
    database.write(lambda con: sql.run(con, "build/delete_assessment", params))


def listing(run: Runner, owner: str) -> list[Saved]:
    """The owner's assessments, oldest first."""
    return [_saved(r) for r in run("assessments", {"owner": owner}).iter_rows(named=True)]


def history(saved: list[Saved], organisation: str) -> list[Saved]:
    """The assessments of one organisation, oldest first."""
    return [s for s in saved if s.organisation == organisation]


def load(run: Runner, assessment_id: str) -> Saved | None:
    """The assessment with this id, or None (no such id, or a source without saved
    assessments: a read-only database built before they existed)."""
    if not _ID.match(str(assessment_id or "")):
        return None
    try:
        rows = run("assessment", {"assessment_id": assessment_id})
    except duckdb.CatalogException:
        return None
    return _saved(rows.row(0, named=True)) if rows.height else None
