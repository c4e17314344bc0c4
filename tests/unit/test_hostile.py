"""Hostile and careless files.

Every file of the hostile corpus (:mod:`hostile_files`, generated, never committed) is refused
with one line by the command line (exit 2, under 30 s and 1 GB, no traceback, no internal
message, no server path) and on the upload page (one error, no exception box). Then the reader
process's own limits, cells a lying workbook would have hidden, what used to change silently
(mixed encodings, near-whole scores, implausible dates), the stated limits, and what killed
ingests leave behind.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import cli
from support import hostile_files as hf
from support import survey_files as sf
from support.apptest import open_app

from cx.data import connect, sql
from cx.data.database import Database
from cx.ingest import model
from cx.ingest.mapping import detect_mapping
from cx.ingest.model import IngestError, IngestResult
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store, tidy_uploads, uploads_root

ROOT = Path(__file__).resolve().parents[2]
#: What a hostile upload may use at most (the issue's bound): CPU seconds, which do not depend
#: on what else the machine runs, and memory. Wall time is bounded too, loosely, since a shared
#: 2-core CI machine can be several times oversubscribed.
MAX_SECONDS, MAX_MB, MAX_WALL_SECONDS = 30, 1024, 120
MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/octet-stream",
    ".parquet": "application/octet-stream",
}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile files, written once per test session."""
    return hf.write_corpus(tmp_path_factory.mktemp("hostile"))


def _unescaped(text: str) -> str:
    """Text as read on screen (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.process
@pytest.mark.parametrize("key", list(hf.CORPUS))
def test_the_command_line_refuses_each_hostile_file_in_one_line_within_bounds(
    corpus: dict[str, Path], key: str, tmp_path: Path
) -> None:
    item = hf.CORPUS[key]
    command = cli.command("ingest", str(corpus[key]), "--dataset", "h",
                          "--db", str(tmp_path / "none.duckdb"), "--dry-run")  # fmt: skip
    run = hf.probe(command, cwd=ROOT, timeout=MAX_WALL_SECONDS)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run.stderr[-800:]
    assert len(lines) == 1 and item.refusal in lines[0], lines
    assert "Traceback" not in run.stderr and str(ROOT) not in run.stderr
    assert "polars" not in run.stderr.lower() and "site-packages" not in run.stderr
    assert run.cpu_seconds < MAX_SECONDS and run.seconds < MAX_WALL_SECONDS, run
    assert run.peak_mb < MAX_MB, run


@pytest.mark.parametrize("key", list(hf.CORPUS))
def test_the_upload_page_refuses_each_hostile_file_in_one_line(
    corpus: dict[str, Path], key: str, app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CX_DB", str(app_db))
    monkeypatch.chdir(ROOT)
    item = hf.CORPUS[key]
    at = open_app("pages/upload.py", navigate=True)
    path = corpus[key]
    at.file_uploader[0].upload(path.name, path.read_bytes(), MIME[path.suffix])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [_unescaped(e.value) for e in at.error]
    assert len(errors) == 1 and item.refusal in errors[0], errors
    assert "\n" not in errors[0] and str(ROOT) not in errors[0]


# ---- the reader process ----------------------------------------------------------------------


def test_the_reader_is_stopped_at_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl reads a shared-strings table slowly: the reader process is ended, not waited
    for (the limit is lowered here so the test is quick)."""
    slow = hf.xlsx_shared_strings(400_000)
    monkeypatch.setattr(model, "READ_SECONDS", 2)
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match="took longer than 2 s to read"):
        read_survey(slow, "slow.xlsx")
    assert time.perf_counter() - t0 < 15  # stopped at 2 s (plus a loaded machine's start-up)


def test_the_reader_is_stopped_at_its_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 48 MB cell (compressing 2:1, so no ratio check stops it) needs several times its size
    to parse: under the default limit it is read and refused for its length; under a lower
    limit the reader runs out of memory and says so, while small workbooks still read."""
    big = hf.xlsx_big_cell(48)
    with pytest.raises(IngestError, match="has a field of more than 32,768"):
        read_survey(big, "big.xlsx")
    monkeypatch.setattr(model, "READ_MEMORY_MB", 200)
    assert read_survey(hf.small_workbook(), "ok.xlsx").rows == 2
    with pytest.raises(IngestError, match="needs more than 200 MB of memory to read"):
        read_survey(big, "big.xlsx")


def test_a_workbook_declaring_a_small_range_still_gives_every_cell() -> None:
    """openpyxl's read-only mode trusts the declared range and would drop cells outside it."""
    raw = read_survey(hf.with_cell("D5", "late", dimension="A1:B3"), "lying.xlsx")
    assert raw.rows == 4  # rows 2, 3, the empty row 4 and row 5
    assert raw.frame.columns[-1] == "column_4"
    assert raw.frame["column_4"].to_list() == ["", "", "", "late"]


def test_sandbox_checks_the_declared_dimension_without_reading_the_sheet() -> None:
    import io
    import zipfile

    from cx.ingest import read, sandbox

    book = zipfile.ZipFile(io.BytesIO(hf.xlsx_far_cell()))
    assert sandbox.first_sheet(book) == "xl/worksheets/sheet1.xml"
    assert sandbox.declared_dimension(book, "xl/worksheets/sheet1.xml") == (
        "A1:XFD1048576",
        1_048_576,
        16_384,
    )
    assert sandbox.zip_entries(hf.xlsx_many_parts(70_000)) == 70_000 + len(book.namelist())
    with pytest.raises(sandbox.RefusedError, match="spans A1:XFD1048576"):
        sandbox.check_dimension(book, read.limits("far.xlsx"))


# ---- what used to change silently ------------------------------------------------------------


def _result(data: bytes, name: str = "x.csv") -> IngestResult:
    raw = read_survey(data, name)
    return normalise(raw, detect_mapping(raw), "t")


def _reasons(result: IngestResult) -> dict[int, str]:
    return dict(zip(result.rejected["row"], result.rejected["reason"], strict=True))


def _emptied(result: IngestResult) -> dict[int, str]:
    return dict(zip(result.emptied["row"], result.emptied["reason"], strict=True))


def test_a_file_mixing_utf8_and_cp1252_rows_reports_the_odd_rows() -> None:
    """Decoded as one encoding, ``Citroën`` became two brands (``CitroÃ«n`` and ``Citroën``)."""
    result = _result(hf.csv_mixed_encodings(), "mixed.csv")
    assert set(result.accepted["brand"]) == {"Citroën", "Peugeot"}
    reasons = _reasons(result)
    assert sorted(reasons) == [3, 6]
    assert all("Windows-1252 text in a UTF-8 file" in r and "mixed" in r for r in reasons.values())
    assert result.rejected["brand"].to_list() == ["Citroën", "Citroën"]  # readable in the download
    assert result.report["encoding"] == "mixed utf-8/cp1252"


def test_scores_must_be_whole_numbers_as_written() -> None:
    """``9.999999999999999999`` is the float 10.0; it is not a whole-number answer."""
    data = (
        b"id,nps,maintain\n1,9.999999999999999999,5\n2,10.0,4\n3,7,4.9999999999999999\n"
        b"4,7,4.00\n5,6.5,3\n"
    )
    result = _result(data)
    reasons = _reasons(result)
    assert "'9.999999999999999999' is not a whole number from 0 to 10" in reasons[2]
    assert "'6.5'" in reasons[6]
    # a stage answer is optional: the respondent stays, that answer is left empty
    assert "maintain answer '4.9999999999999999' is not on the 1-5 scale" in _emptied(result)[4]
    assert result.accepted["respondent_id"].to_list() == ["2", "3", "4"]
    assert result.accepted["nps_score"].to_list() == [10, 7, 7]
    assert result.accepted["maintain"].to_list() == [4, None, 4]


def test_dates_and_waves_outside_plausible_years_leave_the_wave_empty() -> None:
    """The date is optional: an implausible one never lands in a wave of its own, nor costs
    the respondent; the row is kept without a wave, and the report counts it."""
    first, last = model.FIRST_YEAR, time.localtime().tm_year + model.YEARS_AHEAD
    dates = _result(
        b"id,nps,date\n1,9,2024-03-01\n2,9,0001-01-01\n3,9,-001-06-01\n4,9,9999-12-31\n"
    )
    emptied = _emptied(dates)
    assert sorted(emptied) == [3, 4, 5] and dates.rejected.height == 0
    assert f"date '0001-01-01' is outside the years {first}-{last}" in emptied[3]
    assert "'-001-06-01'" in emptied[4] and "'9999-12-31'" in emptied[5]
    assert dates.accepted["wave"].to_list() == ["2024Q1", "all", "all", "all"]
    waves = _result(b"id,nps,wave\n1,9,2024Q4\n2,9,-1Q1\n3,9,9999Q1\n4,9,Spring 2024\n")
    assert sorted(_emptied(waves)) == [3, 4]
    assert "wave '-1Q1' is outside the years" in _emptied(waves)[3]
    assert waves.accepted["wave"].to_list() == ["2024Q4", "all", "all", "Spring 2024"]


def test_the_row_limit_counts_data_rows_exactly() -> None:
    """A file of exactly the limit's data rows is read (header rows do not count)."""
    rows = b"1,9\n" * model.MAX_ROWS
    assert read_survey(b"id,nps\n" + rows, "limit.csv").rows == model.MAX_ROWS
    with pytest.raises(IngestError, match=hf.ROWS):
        read_survey(b"id,nps\n" + rows + b"1,9", "over.csv")


# ---- left-overs ------------------------------------------------------------------------------


@pytest.fixture()
def work_db(fixture_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, path)
    return path


def _datasets(path: Path) -> list[tuple[str, int]]:
    con = connect.connect(path)
    try:
        return sql.run(con, "datasets").select("dataset", "rows").rows()
    finally:
        con.close()


KILL_DURING_STORE = """
import os, signal, sys
from pathlib import Path
from cx.build import cells
from cx.ingest.files import ingest_file
cells.rebuild_cells = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # dies mid-transaction
ingest_file(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
"""


def test_a_killed_ingest_leaves_nothing_once_the_database_is_opened_again(
    work_db: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(sf.plain(sf.answers(80)))
    before = _datasets(work_db)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_DURING_STORE, str(export), "killed", str(work_db)],
        cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    left = list(uploads_root(work_db).rglob("*.tmp"))
    assert [p.parent.name for p in left] == ["killed"]  # what the issue found after every kill
    assert _datasets(work_db) == before  # the transaction never committed
    ok = cli.cx("ingest", str(export), "--dataset", "next", "--db", str(work_db))
    assert ok.returncode == 0, ok.stderr
    assert not list(uploads_root(work_db).rglob("*.tmp"))
    assert not (uploads_root(work_db) / "killed").exists()


def test_tidying_finishes_a_rename_and_keeps_what_is_not_ours(work_db: Path) -> None:
    data = sf.plain(sf.answers(60))
    result = _result(data, "kept.csv")
    with Database(str(work_db), read_only=False) as database:
        store(database, result, "kept", "kept", data, "kept.csv")
        folder = uploads_root(work_db) / "kept"
        (kept,) = list(folder.iterdir())
        kept.rename(folder / f".{kept.name}.tmp")  # killed between commit and rename
        (folder / "0123456789ab-old.csv").write_bytes(b"an older version")
        (folder / "notes.txt").write_text("someone's own file")
        orphan = uploads_root(work_db) / "gone"
        orphan.mkdir()
        (orphan / ".0123456789ab-x.csv.tmp").write_bytes(b"x")
        removed = tidy_uploads(database)
    ours = f"uploads/{work_db.name}"
    assert sorted(removed) == [
        f"{ours}/gone/.0123456789ab-x.csv.tmp",
        f"{ours}/kept/0123456789ab-old.csv",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted([kept.name, "notes.txt"])
    assert kept.read_bytes() == data and not orphan.exists()


def test_storing_into_one_database_keeps_another_s_originals(work_db: Path) -> None:
    """Two databases in one folder shared ``uploads/``: storing into the second removed the
    first's kept original (a file its own catalogue did not record), and the first's catalogue
    then named a file that was gone. Each database keeps its originals in a folder of its own."""
    import shutil

    import polars as pl

    other = work_db.with_name("other.duckdb")
    shutil.copy(work_db, other)
    data = sf.plain(sf.answers(60))
    with Database(str(work_db), read_only=False) as database:
        store(database, _result(data, "a.csv"), "keepme", "keepme", data, "a.csv")
        kept = (
            work_db.parent
            / database.run("datasets").filter(pl.col("dataset") == "keepme")["source_file"][0]
        )
    assert kept.is_file()
    with Database(str(other), read_only=False) as database:
        store(database, _result(data, "b.csv"), "other", "other", data, "b.csv")
        assert tidy_uploads(database) == []
    assert kept.is_file() and kept.read_bytes() == data
    assert kept.is_relative_to(uploads_root(work_db)) and uploads_root(other) != uploads_root(
        work_db
    )


def test_the_app_tidies_left_overs_when_it_opens_the_database(
    work_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    stale = uploads_root(work_db) / "crashed" / ".0123456789ab-export.csv.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"100 MB in the issue")
    monkeypatch.setenv("CX_DB", str(work_db))
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()  # the app's database is opened once per process...
    st.cache_data.clear()  # ...and queries are cached across sessions (here: other tests')
    try:
        at = open_app(timeout=60)
        assert not at.exception
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
    assert not stale.exists() and not stale.parent.exists()


def test_uploads_not_stored_are_kept_within_a_budget_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every visitor's abandoned or refused file stayed in a job folder for a day, with no
    limit (230 folders, 1.4 GB on a test server): beyond a count or a size the oldest go, and a
    session whose folder went is told to upload its file again."""
    import os
    import tempfile

    from cx.ingest import job

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(job, "MAX_PENDING_JOBS", 5)
    monkeypatch.setattr(job, "MAX_PENDING_BYTES", 10_000)
    now = time.time()
    for i in range(8):  # job 0 is the oldest
        folder = tmp_path / f"{job.PREFIX}{i}"
        folder.mkdir()
        (folder / job.ORIGINAL).write_bytes(b"x" * 1_000)
        os.utime(folder, (now - 1000 + i, now - 1000 + i))
    stale = tmp_path / f"{job.PREFIX}stale"
    stale.mkdir()
    os.utime(stale, (now - job.STALE_SECONDS - 1, now - job.STALE_SECONDS - 1))
    (tmp_path / "someone-else").mkdir()
    job.tidy()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [f"{job.PREFIX}{i}" for i in range(3, 8)] + ["someone-else"]
    big = tmp_path / f"{job.PREFIX}7" / job.ORIGINAL
    big.write_bytes(b"x" * 9_500)  # the newest alone nearly fills the budget
    job.tidy()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(job.PREFIX)) == [
        f"{job.PREFIX}7"
    ]
    with pytest.raises(IngestError, match="no longer on the server: upload it again"):
        job.call("inspect", tmp_path / f"{job.PREFIX}3")


def test_deleting_or_replacing_a_dataset_removes_an_original_kept_the_earlier_way(
    work_db: Path,
) -> None:
    """Originals stored before each database had its own folder stay under
    ``uploads/<dataset>/``, where the catalogue records them: deleting or replacing the dataset
    left them on disk, out of every tidy's reach (they may hold respondents' data)."""
    import polars as pl

    from cx.ingest.store import delete_dataset

    data = sf.plain(sf.answers(60))

    def kept_the_earlier_way(database: Database, dataset: str) -> Path:
        base = work_db.parent
        now = base / database.run("datasets").filter(pl.col("dataset") == dataset)["source_file"][0]
        earlier = base / "uploads" / dataset / now.name
        earlier.parent.mkdir(parents=True, exist_ok=True)
        now.replace(earlier)
        database.write(
            lambda con: con.execute(
                "update datasets set source_file = ? where dataset = ?",
                [str(earlier.relative_to(base)), dataset],
            )
        )
        return earlier

    with Database(str(work_db), read_only=False) as database:
        store(database, _result(data, "a.csv"), "gone", "gone", data, "a.csv")
        earlier = kept_the_earlier_way(database, "gone")
        delete_dataset(database, "gone")
        assert not earlier.exists() and not earlier.parent.exists()
        store(database, _result(data, "b.csv"), "again", "again", data, "b.csv")
        earlier = kept_the_earlier_way(database, "again")
        other = sf.plain(sf.answers(70))
        store(database, _result(other, "c.csv"), "again", "again", other, "c.csv", replace=True)
        assert not earlier.exists()
