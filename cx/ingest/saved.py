"""Saved mappings: what a person decided about a file layout, so the next file of the same
layout (the same header: :func:`cx.ingest.job.header_fingerprint`) maps itself.

Saved when a file is stored (in the app and by ``python -m cx ingest``), in the database
table ``saved_mappings``; read before detection, whose result it replaces.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from cx.data import sql
from cx.data.database import Database
from cx.data.sql import Runner
from cx.ingest.model import CANONICAL, Choices


@dataclass(frozen=True)
class Saved:
    """A saved mapping: field -> column, the open-answer columns, the other choices, when."""

    mapping: dict[str, str]
    comments: list[str]
    choices: Choices
    saved_at: str


def load(run: Runner, fingerprint: str, columns: list[str]) -> Saved | None:
    """The mapping saved for this header, keeping only columns the file has (None: none)."""
    found = run("saved_mapping", {"fingerprint": fingerprint})
    if found.is_empty():
        return None
    data: dict[str, Any] = json.loads(found["choices"][0])
    have = set(columns)
    mapping = {k: v for k, v in data.get("mapping", {}).items() if k in CANONICAL and v in have}
    comments = [c for c in data.get("comments", []) if c in have and c not in mapping.values()]
    fields = {f.name for f in dataclasses.fields(Choices)}
    choices = Choices(**{k: v for k, v in data.get("choices", {}).items() if k in fields})
    choices.comments = comments
    return Saved(mapping, comments, choices, str(found["saved_at"][0])[:16])


def save(
    database: Database,
    fingerprint: str,
    columns: list[str],
    mapping: dict[str, str],
    comments: list[str],
    choices: Choices,
) -> None:
    """Save what was decided about this header (replacing an earlier choice)."""
    text = json.dumps(
        {"mapping": mapping, "comments": comments, "choices": dataclasses.asdict(choices)},
        ensure_ascii=False,
    )
    header = " | ".join(columns)[:2000]
    params = {"fingerprint": fingerprint, "header": header, "choices": text}
    database.write(lambda con: sql.run(con, "build/insert_saved_mapping", params))
