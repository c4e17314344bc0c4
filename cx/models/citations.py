"""Where published figures come from: publisher, year and report title, for people.

The published figures (``data/published_figures.csv``) name the source document by its seed
file; ``data/sources.csv`` gives each document's publisher, title and language. Every place
that cites a figure (cards, footnotes, the revenue model's assumptions, the methods page)
formats it here, so no page shows a file name or an internal id.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from typing import Any

from cx.charts import theme
from cx.core.i18n import N_, _
from cx.core.paths import DATA_DIR

#: The editions of ``data/sources.csv`` (its ``language`` column) as a citation says them;
#: an edition not listed is cited as it is written there.
EDITIONS: dict[str, str] = {
    "Chinese original": N_("Chinese original"),
    "Chinese edition": N_("Chinese edition"),
    "Chinese translation": N_("Chinese translation"),
    "Russian translation by PRC.today": N_("Russian translation by PRC.today"),
}


@functools.cache
def documents() -> dict[str, dict[str, str]]:
    """Source documents by seed file: publisher, title, language, note."""
    with (DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as fh:
        return {row["seed_file"]: row for row in csv.DictReader(fh)}


@functools.cache
def figures() -> dict[str, dict[str, str]]:
    """Published figures by id (as in ``data/published_figures.csv``)."""
    with (DATA_DIR / "published_figures.csv").open(encoding="utf-8", newline="") as fh:
        return {row["figure_id"]: row for row in csv.DictReader(fh)}


def cite(row: Mapping[str, Any]) -> str:
    """A published figure's citation: publisher, year and report title where known."""
    doc = documents().get(str(row.get("seed_file") or ""))
    publisher = str(doc["publisher"] if doc else row.get("publisher") or "").strip()
    year = str(row.get("year") or "").strip()
    parts = [publisher + (f", {year}" if year and year != "unknown" else "")]
    if doc:
        # the title in English; the edition read (the seed documents are translations) beside it
        read = str(doc.get("language") or "").strip()
        edition = _(EDITIONS[read]) if read in EDITIONS else read
        parts.append(
            _("{title} (read in the {edition})").format(title=doc["title"], edition=edition)
            if read
            else doc["title"]
        )
    return " · ".join(p for p in parts if p)


def cite_input(code: str) -> str:
    """The source of a model input: a figure id is cited as published ("Published: Kelley Blue
    Book, 2024", as the survey's inputs say "Survey sample: …" and the others "Assumption"),
    other codes are said in words."""
    if code == "assumption":
        return _("Assumption (not a published figure)")
    row = figures().get(code)
    if row is None:
        return code
    kind = theme.PROVENANCE["published"].label  # a marked message
    return _("{kind}: {citation}").format(kind=_(kind), citation=cite(row))
