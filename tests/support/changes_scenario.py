"""A two-wave survey where exactly two things truly change, ingested like an analyst's upload.

Six brands in two countries, sold by dealers (three outlets per brand and country) and direct;
900 answers per brand and wave. Between 2024Q1 and 2024Q2 only two things move:

- the NPS of :data:`MOVER` rises (promoters up, detractors down, about +30 points);
- the after-sales (``maintain``) satisfaction of :data:`SERVICE` falls (70% to 45% satisfied).

Everything else is drawn from the same distributions in both waves; comments mention topics at
random, whatever the score, so topic shares do not change either. Cells that contain the
mover's answers (everyone, each country, each channel, the mover's outlets) truly change too,
since the mover is part of them: :func:`truly_changed` names every cell that truly moved.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

from cx.build import databases
from cx.ingest.files import ingest_file

DATASET = "twowaves"
WAVES = ("2024Q1", "2024Q2")
BRANDS = ("Aurora", "Borealis", "Cirrus", "Dorado", "Eridan", "Fornax")
COUNTRIES = ("DE", "FR")
MOVER = "Aurora"
SERVICE = "Borealis"
PER_BRAND_WAVE = 900
STAGES = ("awareness", "research", "shop", "purchase", "receive", "use", "maintain", "recommend")
COMMENTS = (
    "I waited three weeks for a service appointment.",
    "The price was not transparent, hidden fees on the invoice.",
    "Great car, the staff were friendly and helpful.",
    "",
    "",
)


def _score(rng: random.Random, promoters: float, detractors: float) -> int:
    u = rng.random()
    if u < detractors:
        return rng.choice(range(7))
    if u < detractors + promoters:
        return rng.choice((9, 10))
    return rng.choice((7, 8))


def _stage(rng: random.Random, satisfied: float) -> int:
    return rng.choice((4, 5)) if rng.random() < satisfied else rng.choice((1, 2, 3))


def rows(seed: int = 11) -> list[dict[str, Any]]:
    """The answers: one dict per respondent, with the columns of :func:`csv_bytes`."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    out = []
    for wave in WAVES:
        later = wave == WAVES[1]
        for brand in BRANDS:
            for i in range(PER_BRAND_WAVE):
                country = COUNTRIES[i % 2]
                dealer = i % 3 != 0
                k = (i // 2) % 3 + 1
                promoters, detractors = (0.55, 0.15) if brand == MOVER and later else (0.40, 0.30)
                service = 0.45 if brand == SERVICE and later else 0.70
                out.append(
                    {
                        "respondent": f"{wave}-{brand[:2]}-{i}",
                        "wave": wave,
                        "country": country,
                        "brand": brand,
                        "likelihood to recommend": _score(rng, promoters, detractors),
                        "channel": "Dealer" if dealer else "Direct from the brand",
                        "Dealer code": f"{country}-{brand[:3].upper()}-{k}" if dealer else "",
                        "Dealer": f"{brand} {country} Outlet {k}" if dealer else "",
                        **{
                            f"{s} satisfaction": _stage(rng, service if s == "maintain" else 0.70)
                            for s in STAGES
                        },
                        "Is there anything else you would like to tell us?": rng.choice(COMMENTS),
                    }
                )
    return out


def csv_bytes(answers: list[dict[str, Any]]) -> bytes:
    """The answers as an analyst's CSV export (one header row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(answers[0]))
    writer.writeheader()
    writer.writerows(answers)
    return out.getvalue().encode("utf-8")


def build(folder: Path) -> Path:
    """A database holding only the scenario, ingested through :mod:`cx.ingest`."""
    source = folder / "two_waves.csv"
    source.write_bytes(csv_bytes(rows()))
    db = folder / "cx.duckdb"
    databases.create_database(db)
    ingest_file(source, DATASET, db, label="Two waves, two true changes")
    return db


def truly_changed(row: dict[str, Any]) -> bool:
    """Whether a cell of the family truly changed in the scenario (the two changes, and the
    cells that contain the mover's answers)."""
    metric, dimension, group = row["metric"], row["dimension"], row["group"]
    if metric == "nps":
        return dimension in ("all", "country", "channel") or group == MOVER
    if metric == "outlet_nps":
        return row["brand"] == MOVER
    if metric == "satisfied":
        return group == SERVICE and row["item"] == "maintain"
    return False
