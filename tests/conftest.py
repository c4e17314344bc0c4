"""Shared fixtures: a small fixture database, the default-size demo database, and a copy of
the queries with one more cells file (as another branch would add one). Helpers that tests
import live in ``tests/support``.

The tests are in tiers, one folder each: ``unit`` (pure functions, exports built in memory, the
shape of the code), ``queries`` (SQL files, cells and sources on a DuckDB fixture), ``app``
(Streamlit's AppTest), ``e2e`` (the served app in Chromium, marker ``browser``) and ``scale``
(Spark, replicas behind nginx, marker ``scale``). The folder gives the marker, so
``-m "not browser and not scale"`` is the fast tier (``make test-fast``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import support.apptest  # noqa: F401  (pages run through app.py in every AppTest, as on the server)
from hypothesis import Phase, settings
from support.extra_cells import queries_with_extra_cells

from cx.build import databases
from cx.data import connect

FIXTURE_ROWS = 20_000
#: ``--hypothesis-profile=fast`` (``make test-fast``): a failing property is reported with the
#: first failing example found, unshrunk; shrinking a failing page-wide property can take
#: minutes. ``make test`` shrinks as usual.
settings.register_profile("fast", phases=[Phase.explicit, Phase.reuse, Phase.generate])
TESTS = Path(__file__).resolve().parent
#: The marker every test of a tier's folder carries.
TIER_MARKERS = {"e2e": "browser", "scale": "scale"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test of ``tests/e2e`` ``browser`` and of ``tests/scale`` ``scale``."""
    for item in items:
        parts = item.path.relative_to(TESTS).parts
        marker = TIER_MARKERS.get(parts[0]) if len(parts) > 1 else None
        if marker:
            item.add_marker(marker)


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database (20,000 respondents, seed 7) for query tests."""
    path = tmp_path_factory.mktemp("fixture") / "fixture.duckdb"
    return databases.build_database(path, rows=FIXTURE_ROWS, seed=7)


@pytest.fixture(scope="session")
def default_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo database (200,000 respondents, seed 42), built fresh for the tests."""
    path = tmp_path_factory.mktemp("default") / "cx.duckdb"
    return databases.build_database(path)


@pytest.fixture(scope="session")
def app_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture database for the app (which opens it writable, for uploads)."""
    path = tmp_path_factory.mktemp("app") / "app.duckdb"
    shutil.copy(fixture_db, path)
    return path


@pytest.fixture(scope="session")
def server_db(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the default database for a running server (writable, for uploads)."""
    path = tmp_path_factory.mktemp("server") / "cx.duckdb"
    shutil.copy(default_db, path)
    return path


@pytest.fixture()
def con(fixture_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the fixture database."""
    connection = connect.connect(fixture_db)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def default_con(default_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the default demo database."""
    connection = connect.connect(default_db)
    yield connection
    connection.close()


@pytest.fixture()
def extra_cells(tmp_path: Path) -> Iterator[None]:
    """A copy of queries/ with one more cells file and table, as another branch would add."""
    with queries_with_extra_cells(tmp_path):
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per browser-test module."""
    from support.browsing import chromium

    with chromium() as b:
        yield b


@pytest.fixture()
def app_env(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest sessions serve the app test database, from the repository's root."""
    monkeypatch.setenv("CX_DB", str(app_db))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
