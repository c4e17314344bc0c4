"""The `python -m cx` contract: output shape, hand-computed values, clear errors."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from support.cli import cx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def survey_csv(tmp_path: Path) -> Path:
    rows = [{"brand": "A", "nps_score": s, "w": 1.0} for s in [10] * 40 + [8] * 40 + [3] * 20]
    rows += [{"brand": "B", "nps_score": 9, "w": 2.0}] * 10
    rows += [{"brand": "A", "nps_score": 11, "w": 1.0}, {"brand": "A", "nps_score": None, "w": 1.0}]
    path = tmp_path / "survey.csv"
    pl.DataFrame(rows).write_csv(path)
    return path


def test_nps_json_contract_on_a_file(survey_csv: Path) -> None:
    out = json.loads(cx("nps", str(survey_csv), "--by", "brand", check=True).stdout)
    assert out["excluded_rows"] == 2
    assert out["confidence"] == 0.95 and out["min_n"] == 30
    a, b = out["groups"]
    assert a["brand"] == "A" and a["n"] == 100
    assert a["nps"] == 20.0 and a["ci_low"] == pytest.approx(5.0, abs=0.05)
    assert a["ci_high"] == pytest.approx(33.9, abs=0.05)
    keys = {
        "n",
        "n_effective",
        "promoters_pct",
        "passives_pct",
        "detractors_pct",
        "nps",
        "ci_low",
        "ci_high",
        "suppressed",
    }
    assert keys <= a.keys()
    assert b["suppressed"] is True and b["nps"] is None and b["ci_low"] is None


def test_nps_weights_and_options(survey_csv: Path) -> None:
    out = json.loads(
        cx(
            "nps",
            str(survey_csv),
            "--by",
            "brand",
            "--weight",
            "w",
            "--min-n",
            "5",
            "--confidence",
            "0.9",
            check=True,
        ).stdout
    )
    b = out["groups"][1]
    assert b["suppressed"] is False and b["nps"] == 100.0 and b["n_effective"] == 10.0
    assert out["confidence"] == 0.9


def test_nps_csv_and_table_formats(survey_csv: Path) -> None:
    assert cx(
        "nps", str(survey_csv), "--by", "brand", "--format", "csv", check=True
    ).stdout.startswith("brand,n,")
    assert (
        "excluded rows: 2"
        in cx("nps", str(survey_csv), "--by", "brand", "--format", "table", check=True).stdout
    )


def test_nps_without_by_is_the_whole_selection_as_one_group(
    survey_csv: Path, fixture_db: Path
) -> None:
    """A file or a dataset without --by gives one group, in the same JSON shape."""
    whole = json.loads(cx("nps", str(survey_csv), check=True).stdout)
    assert [g["all"] for g in whole["groups"]] == ["All"] and whole["groups"][0]["n"] == 110
    by_brand = json.loads(cx("nps", str(survey_csv), "--by", "brand", check=True).stdout)
    assert whole.keys() == by_brand.keys()
    out = json.loads(cx("nps", "--dataset", "demo", "--db", str(fixture_db), check=True).stdout)
    assert len(out["groups"]) == 1 and out["groups"][0]["n"] == 20_000
    assert {"nps", "ci_low", "ci_high", "suppressed"} <= out["groups"][0].keys()


def test_nps_on_a_dataset(fixture_db: Path) -> None:
    out = json.loads(
        cx(
            "nps", "--dataset", "demo", "--db", str(fixture_db), "--by", "industry", check=True
        ).stdout
    )
    assert len(out["groups"]) == 13
    assert {"industry", "nps", "ci_low"} <= out["groups"][0].keys()


@pytest.mark.parametrize(
    "args",
    [
        ["nps", "missing.csv", "--by", "brand"],
        ["nps", "{csv}", "--by", "nope"],
        ["nps", "{csv}", "--by", "brand", "--confidence", "2"],
        ["nps", "--dataset", "nope", "--db", "{db}", "--by", "brand"],
        ["nps", "--dataset", "demo", "--db", "{db}", "--by", "respondent_id"],
        ["nps", "{bin}", "--by", "brand"],
        ["revenue", "--set", "nope=1"],
        ["revenue", "--set", "dissatisfied_share=1.5"],
        ["revenue", "--preset", "nope"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], survey_csv: Path, fixture_db: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 50)
    argv = [a.format(csv=survey_csv, db=fixture_db, bin=binary) for a in args]
    proc = cx(*argv)
    assert proc.returncode == 2, proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def no_topic_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database with ``plain``: a survey without channels or outlets whose
    comments mention no topic of data/topics.csv."""
    import shutil

    from support import survey_files as sf

    folder = tmp_path_factory.mktemp("cli")
    path = folder / "cx.duckdb"
    shutil.copy(fixture_db, path)
    header, *body = sf.plain(sf.answers(120)).decode().splitlines()
    words = ["blorp quux", "zzyzx frobnicate", "wibble wobble flim"]
    lines = [f"{header},{sf.COMMENT_QUESTION}"]
    lines += [f"{line},{words[i % 3]} {i}" for i, line in enumerate(body)]
    survey = folder / "plain.csv"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cx("ingest", str(survey), "--dataset", "plain", "--db", str(path))
    return path


@pytest.mark.parametrize("by", ["nps_group", "brand", "stage", "wave", "language"])
def test_text_csv_of_comments_that_match_no_topic_is_a_header_and_a_note(
    no_topic_db: Path, by: str
) -> None:
    """It failed with '"topic" not found'; the header is the one a dataset with topics gets."""
    proc = cx("text", "--dataset", "plain", "--db", str(no_topic_db), "--by", by,
              "--format", "csv")  # fmt: skip
    demo = cx("text", "--dataset", "demo", "--db", str(no_topic_db), "--by", by,
              "--format", "csv")  # fmt: skip
    assert proc.stdout.splitlines() == demo.stdout.splitlines()[:1]
    assert "mentions a topic" in proc.stderr
    assert (
        json.loads(cx("text", "--dataset", "plain", "--db", str(no_topic_db)).stdout)["topics"]
        == []
    )


def test_export_all_writes_every_page_with_charts_and_lists_the_others(
    no_topic_db: Path, tmp_path: Path
) -> None:
    """It stopped at the first page without charts (channels: the survey has none)."""
    from cx.reports.registry import REPORTS

    proc = cx("export", "--page", "all", "--format", "xlsx", "--out", str(tmp_path),
              "--dataset", "plain", "--db", str(no_topic_db))  # fmt: skip
    written = sorted(p.stem for p in tmp_path.glob("*.xlsx"))
    skipped = proc.stderr.strip().rsplit(": ", 1)[-1].split(", ")
    assert "channels" in skipped and "dealers" in skipped and "brands" in written
    assert sorted(written + skipped) == sorted(r.key for r in REPORTS)
    assert [line.split("\t")[0] for line in proc.stdout.splitlines()] == [
        str(tmp_path / f"{r.key}.xlsx") for r in REPORTS if r.key in written
    ]


@contextlib.contextmanager
def held_copy(fixture_db: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the fixture database that another process holds, as a running dashboard
    holds its own."""
    held = tmp_path / "held.duckdb"
    held.write_bytes(fixture_db.read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(held)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield held
    finally:
        holder.kill()
        holder.wait()


def test_an_export_from_a_database_the_dashboard_holds_says_so_in_one_line(
    fixture_db: Path, tmp_path: Path
) -> None:
    """The review: with the dashboard serving a file, ``cx export --db`` on it printed DuckDB's
    "IO Error: Could not set lock on file ... Conflicting lock is held in ... (PID 7495)"."""
    with held_copy(fixture_db, tmp_path) as held:
        started = time.monotonic()
        run = cx("export", "--page", "overview", "--format", "xlsx", "--db", str(held),
                 "--out", str(tmp_path / "o.xlsx"), in_process=True)  # fmt: skip
    assert run.returncode == 2 and time.monotonic() - started < 30
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "is in use by another program" in lines[0], run.stderr
    assert "Could not set lock" not in run.stderr and not (tmp_path / "o.xlsx").exists()


def test_a_held_database_is_still_a_duckdb_error_to_what_catches_one(
    fixture_db: Path, tmp_path: Path
) -> None:
    """The diff review: the friendly error was an OSError, so the ingest's fallback (``except
    duckdb.Error``: detection without the saved mapping) and the app's lock message (``except
    duckdb.IOException``) no longer caught a held file."""
    from cx.data import connect
    from cx.ingest import files

    with held_copy(fixture_db, tmp_path) as held:
        with pytest.raises(duckdb.IOException, match="in use by another program"):
            connect.connect(held)
        assert files._saved(held, "fingerprint", ["a"]) is None  # detection, as before
