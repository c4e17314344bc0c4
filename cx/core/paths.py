"""Where the project's files are: the one place that derives paths from the package's location."""

from __future__ import annotations

from pathlib import Path

#: The checkout (or installed tree): ``cx/`` lives here beside ``data/`` and ``queries/``.
ROOT = Path(__file__).resolve().parents[2]
#: Reference CSVs, the taxonomy, map outlines and the default database.
DATA_DIR = ROOT / "data"
#: Named SQL files (``queries/*.sql`` for pages, ``queries/build/*.sql`` for builds).
QUERIES_DIR = ROOT / "queries"
#: The database the app serves when ``CX_DB`` and ``CX_DATA`` are not set.
DEFAULT_DB = DATA_DIR / "cx.duckdb"
#: Country outlines for maps (Natural Earth 1:110m, bundled so maps need no network).
WORLD_OUTLINES = DATA_DIR / "world_countries_110m.json"
#: The editable topic taxonomy of open answers.
TOPICS_FILE = DATA_DIR / "topics.csv"
