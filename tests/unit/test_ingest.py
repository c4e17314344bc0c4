"""Ingest: every supported layout and encoding, validation with reasons, clear errors, atomic
and idempotent storage, hostile cell values, names and upload paths, fuzzing with hypothesis, and
the command line (which creates a database that does not exist)."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import field_files as ff
from support import survey_files as sf
from support.cli import cx
from support.hostile_values import HOSTILE

from cx.build import cells
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.exports.safety import safe_csv
from cx.ingest import categories, values
from cx.ingest.mapping import detect_mapping, mapping_warnings
from cx.ingest.model import Choices, IngestError, IngestResult
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import (
    check_dataset_name,
    delete_dataset,
    safe_filename,
    store,
    uploads_root,
)
from cx.metrics import measures
from cx.reports.base import dataset_source
from cx.reports.registry import REPORTS, brand_pages

ROOT = Path(__file__).resolve().parents[2]
ROWS = sf.answers(240)
EXPECTED = sf.expected_nps(ROWS)


def _nps(frame: pl.DataFrame) -> float:
    p = (frame["nps_score"] >= 9).sum()
    d = (frame["nps_score"] <= 6).sum()
    return 100 * (p - d) / frame.height


def _run(data: bytes, name: str, dataset: str = "t") -> IngestResult:
    raw = read_survey(data, name)
    return normalise(raw, detect_mapping(raw), dataset)


@pytest.mark.parametrize(
    ("name", "data", "layout", "encoding", "delimiter"),
    [
        ("qualtrics.csv", sf.qualtrics(ROWS), "qualtrics", "utf-8-sig", ","),
        ("qualtrics-labels.csv", sf.qualtrics(ROWS, labels=True), "qualtrics", "utf-8-sig", ","),
        ("surveymonkey.csv", sf.surveymonkey(ROWS), "surveymonkey", "utf-8", ","),
        ("plain.csv", sf.plain(ROWS), "plain", "utf-8", ","),
        ("semicolon-cp1252.csv", sf.plain(ROWS, ";", "cp1252", 7, True), "plain", "cp1252", ";"),
        ("unicode-text.txt", sf.plain(ROWS, "\t", "utf-16", 10), "plain", "utf-16", "\t"),
        ("bom.tsv", b"\xef\xbb\xbf" + sf.plain(ROWS, "\t"), "plain", "utf-8-sig", "\t"),
        ("responses.xlsx", sf.xlsx(ROWS), "plain", None, None),
        ("responses.parquet", sf.parquet(ROWS), "plain", None, None),
    ],
)
def test_every_layout_and_encoding_ingests_without_manual_mapping(
    name: str, data: bytes, layout: str, encoding: str | None, delimiter: str | None
) -> None:
    raw = read_survey(data, name)
    assert (raw.layout, raw.encoding, raw.delimiter) == (layout, encoding, delimiter)
    mapping = detect_mapping(raw)
    assert {"nps_score", "country", "brand", "maintain"} <= set(mapping)
    result = normalise(raw, mapping, "t")
    assert result.report["rows_read"] == len(ROWS)
    assert result.rejected.height == 0, result.rejected.head(3)
    assert _nps(result.accepted) == pytest.approx(EXPECTED)
    assert set(result.accepted["country"].unique()) <= set(sf.COUNTRIES)
    assert "Citroën-like Ésprit" in set(result.accepted["brand"])  # accents survive decoding
    # top-2-box of after-sales is preserved whatever the source scale
    want = sum(r["maintain"] >= 4 for r in ROWS) / len(ROWS)
    assert float((result.accepted["maintain"] >= 4).mean()) == pytest.approx(want)


def test_qualtrics_uses_the_score_not_the_derived_group_and_the_date_gives_the_wave() -> None:
    raw = read_survey(sf.qualtrics(ROWS), "q.csv")
    mapping = detect_mapping(raw)
    assert mapping["nps_score"] == "Q3" and mapping["respondent_id"] == "ResponseId"
    result = normalise(raw, mapping, "t")
    assert set(result.accepted["wave"].unique()) <= {"2024Q1", "2024Q2", "2024Q3", "2024Q4"}
    assert result.accepted["respondent_id"][0] == ROWS[0]["id"]


def test_a_german_field_teams_headers_are_recognised() -> None:
    """An analyst's review: "Kaufart" (how it was bought) was left unused as "reads like
    satisfaction: purchase", and "Wechselabsicht" (intent to switch) unused, so Dealer vs
    direct and Revenue at risk stayed empty until mapped by hand."""
    rows = [
        "Befragten-ID;Land;Marke;Weiterempfehlung (0-10);Kaufart;Wechselabsicht;Zufriedenheit Kauf"
    ]
    rows += [f"{i};DE;Kia;{i % 11};Händler;Nein;{1 + i % 5}" for i in range(60)]
    mapping = detect_mapping(read_survey("\n".join(rows).encode(), "de.csv"))
    assert mapping["channel"] == "Kaufart" and mapping["switch_intent"] == "Wechselabsicht"
    assert mapping["purchase"] == "Zufriedenheit Kauf"


def test_decimal_comma_weights_are_numbers() -> None:
    result = _run(sf.plain(ROWS, ";", "utf-8", 5, decimal_comma=True), "w.csv")
    assert result.accepted["weight"].unique().to_list() == [1.5]


def _bad_file() -> bytes:
    header = "id,country,brand,nps,weight,after-sales satisfaction\n"
    lines = [
        "a1,DE,Voltara,10,1,5",
        "a2,Germany,Voltara,11,1,5",  # score out of range
        "a3,DE,Voltara,abc,1,5",  # unparseable score
        "a1,DE,Voltara,9,1,4",  # duplicate id
        "a5,DE,Voltara,,1,4",  # missing score
        "a6,Atlantis,Voltara,7,1,4",  # unknown country
        "a7,FR,Voltara,8,-2,4",  # bad weight
        "a8,FR,Voltara,7.5,1,4",  # not a whole number
        "a9,FR,Voltara,6,1,9",  # stage answer off the 1-5 scale seen in the column? (1-10 scale)
        ",US,Kestrel,3,1,2",  # missing id
        "a11,us,Kestrel,0,1,1",
    ]
    return (header + "\n".join(lines) + "\n").encode()


def test_invalid_rows_are_rejected_with_row_number_and_reason_never_dropped() -> None:
    """Rows without a readable score, a repeated id or an unreadable weight are rejected;
    an unknown country or a missing id leave the field empty (row number as id), the row kept."""
    result = _run(_bad_file(), "bad.csv")
    report = result.report
    assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"] == 11
    reasons = dict(zip(result.rejected["row"], result.rejected["reason"], strict=True))
    assert "not a whole number from 0 to 10" in reasons[3]
    assert "'abc'" in reasons[4]
    assert "duplicate respondent id 'a1' (first in row 2)" in reasons[5]
    assert "missing likelihood-to-recommend score" in reasons[6]
    assert "weight '-2' is not a positive number" in reasons[8]
    assert "'7.5'" in reasons[9]
    assert sorted(reasons) == [3, 4, 5, 6, 8, 9]
    emptied = dict(zip(result.emptied["row"], result.emptied["reason"], strict=True))
    assert "country 'Atlantis' is not recognised" in emptied[7]
    assert "respondent id missing: the row number is its id" in emptied[11]
    assert set(result.accepted["respondent_id"]) == {"a1", "a6", "a9", "row-11", "a11"}
    assert result.accepted.filter(pl.col("respondent_id") == "a6")["country"][0] is None
    # rejected and emptied rows keep their original cells, for the download
    assert result.emptied.filter(pl.col("row") == 7)["country"][0] == "Atlantis"
    assert sum(r["rows"] for r in report["reasons"]) == result.rejected.height
    assert sum(r["rows"] for r in report["emptied"]) == result.emptied.height == 2
    assert result.accepted.filter(pl.col("respondent_id") == "a11")["country"][0] == "US"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "is empty"),
        (b"   \n\n", "blank.csv", "is empty"),
        (b"id,nps\n", "header.csv", "header but no data rows"),
        (b"\x1c", "separator.csv", "has no columns"),  # found by hypothesis
        (bytes(range(256)) * 40, "binary.csv", "binary file"),
        (b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx", "not a valid Excel workbook"),
        (b"this is not a workbook", "fake.xlsx", "not a valid Excel workbook"),
        (b"PAR1garbagegarbage", "bad.parquet", "not a valid Parquet file"),
        (b"id,nps\n1," + b"x" * 5_000_000 + b"\n", "huge.csv", "more than 32,768 characters"),
    ],
)
def test_unusable_files_get_one_clear_line(data: bytes, name: str, message: str) -> None:
    with pytest.raises(IngestError) as info:
        read_survey(data, name)
    text = str(info.value)
    assert message in text and "\n" not in text


def test_a_file_without_a_recommend_score_is_refused() -> None:
    raw = read_survey(b"id,brand,comment\n1,A,fine\n2,B,ok\n", "x.csv")
    with pytest.raises(IngestError, match="no likelihood-to-recommend"):
        normalise(raw, detect_mapping(raw), "t")


def test_a_corrupt_real_workbook_is_refused() -> None:
    good = sf.xlsx(ROWS)
    broken = good[: len(good) // 2]
    with pytest.raises(IngestError, match="Excel workbook"):
        read_survey(broken, "half.xlsx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000), st.sampled_from(["x.csv", "x.xlsx", "x.parquet", "x.txt", "x"]))
def test_random_bytes_raise_only_the_clear_error(data: bytes, name: str) -> None:
    try:
        raw = read_survey(data, name)
        normalise(raw, detect_mapping(raw), "t")
    except IngestError as exc:
        assert "\n" not in str(exc)


_cell = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
    st.integers(-5, 15).map(str),
    st.sampled_from(["Very satisfied", "10 - Extremely likely", "=1+1", "<b>x</b>", '"', ";"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["id", "nps", "brand", "country", "weight", "maintain", "x"]),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.lists(_cell, min_size=0, max_size=7), max_size=20),
    st.sampled_from([",", ";", "\t"]),
)
def test_random_csvs_raise_only_the_clear_error(
    header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    try:
        raw = read_survey(out.getvalue().encode(), "r.csv")
        result = normalise(raw, detect_mapping(raw), "t")
    except IngestError as exc:
        assert "\n" not in str(exc)
    else:
        assert result.report["rows_read"] == result.accepted.height + result.rejected.height


# ---- storing ---------------------------------------------------------------------------------


@pytest.fixture()
def work_db(fixture_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, path)
    return path


def _snapshot(path: Path) -> dict[str, object]:
    con = connect.connect(path)
    try:
        return {
            "datasets": sql.run(con, "datasets").select("dataset", "rows").rows(),
            "respondents": con.sql(
                "select dataset, count(*) from respondents group by 1 order by 1"
            ).fetchall(),
            "cells": con.sql(
                "select dataset, sum(n) from nps_cells group by 1 order by 1"
            ).fetchall(),
        }
    finally:
        con.close()


def _store(path: Path, result: IngestResult, dataset: str, replace: bool = False,
           original: bytes = b"x") -> str:  # fmt: skip
    with Database(str(path), read_only=False) as database:
        return store(database, result, dataset, dataset, original, "f.csv", replace)


def test_store_then_every_page_view_works_on_the_upload(work_db: Path) -> None:
    data = sf.qualtrics(ROWS)
    result = _run(data, "q.csv", "survey")
    assert _store(work_db, result, "survey", original=data) == "stored"
    con = connect.connect(work_db)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        sel = Selection(dataset="survey")
        overall = measures.overall_nps(measures.nps_sums(run, sel, "all"))
        assert overall["nps"] == pytest.approx(EXPECTED)
        for report in REPORTS:
            report.charts(report.compute(run, sel, Options()), dataset_source(run, "survey"))
        kept = sql.run(con, "datasets").filter(pl.col("dataset") == "survey")
        assert kept["fields"][0].startswith("respondent_id")
        assert (work_db.parent / kept["source_file"][0]).read_bytes() == data
        assert "JP" in con.sql("select country from countries").pl()["country"].to_list()
    finally:
        con.close()


def test_satisfaction_on_a_seven_point_scale_is_said_so(work_db: Path) -> None:
    """An analyst's upload answered satisfaction on 1-7: the shares were right (6-7 of 7) but
    Journey, the Overview and their decks said "top-2-box (4-5 of 5)". The catalogue keeps
    each item's scale and the charts name the points counted; the demo's stay "4-5 of 5"."""
    data = sf.plain(ROWS, scale=7)
    result = _run(data, "p7.csv", "seven")
    assert set(result.report["scales"].values()) == {"1-7"}
    _store(work_db, result, "seven", original=data)
    con = connect.connect(work_db)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        source = dataset_source(run, "seven")
        assert source.top_two == "6-7 of 7"
        sel = Selection(dataset="seven")
        report = next(r for r in REPORTS if r.key == "journey")
        stage = {c.key: c for c in report.charts(report.compute(run, sel, Options()), source)}
        assert "top-2-box (6-7 of 7)" in stage["stage_top2"].subtitle
        assert "4-5 of 5" not in stage["stage_top2"].subtitle
        assert source.bottom_two == "1-2 of 7"
        assert dataset_source(run, "demo").top_two == "4-5 of 5"
    finally:
        con.close()
    mixed = dataset_source(lambda n, p: pl.DataFrame({"dataset": ["m"], "kind": ["upload"],
        "label": ["m"], "fields": [None], "scales": ["purchase:1-7,receive:1-5"]}), "m")  # fmt: skip
    assert mixed.top_two == "the top two points of each scale"
    unknown = dataclasses.replace(mixed, scales="")  # an upload stored before scales were kept
    assert unknown.top_two == "the top two points of the scale"


def test_reingest_is_idempotent_and_replace_is_explicit(work_db: Path) -> None:
    data = sf.plain(ROWS)
    result = _run(data, "p.csv", "p")
    assert _store(work_db, result, "p", original=data) == "stored"
    before = _snapshot(work_db)
    assert _store(work_db, result, "p", original=data) == "unchanged"
    assert _snapshot(work_db) == before
    other = _run(sf.plain(ROWS[:100]), "p.csv", "p")
    with pytest.raises(IngestError, match="exists; replace it explicitly"):
        _store(work_db, other, "p", original=b"other")
    assert _snapshot(work_db) == before
    assert _store(work_db, other, "p", replace=True, original=b"other") == "replaced"
    assert dict(_snapshot(work_db)["datasets"])["p"] == 100  # type: ignore[arg-type]


def test_a_failed_ingest_changes_nothing(work_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = sf.plain(ROWS)
    _store(work_db, _run(data, "p.csv", "p"), "p", original=data)
    before = _snapshot(work_db)
    files_before = sorted(p.name for p in uploads_root(work_db).rglob("*"))

    def boom(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(cells, "rebuild_cells", boom)
    for dataset, replace in (("p", True), ("new", False)):
        with pytest.raises(RuntimeError, match="disk full"):
            _store(work_db, _run(sf.plain(ROWS[:50]), "p.csv", dataset), dataset, replace, b"y")
    assert _snapshot(work_db) == before
    assert sorted(p.name for p in uploads_root(work_db).rglob("*")) == files_before


def test_dataset_names_and_file_names_are_checked() -> None:
    for bad in ("demo", "../etc", "Has Space", "", "x" * 41, "a/b", "é"):
        with pytest.raises(IngestError):
            check_dataset_name(bad)
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\survey (final).csv") == "survey_final_.csv"
    assert "/" not in safe_filename("a/../../b<script>.csv")


def test_cell_values_stay_data(work_db: Path) -> None:
    hostile = '=HYPERLINK("http://evil","x")'
    text = f'id,brand,nps\n1,"{hostile.replace(chr(34), chr(34) * 2)}",9\n2,<script>alert(1)</script>,3\n'
    result = _run(text.encode(), "h.csv", "h")
    assert set(result.accepted["brand"]) == {hostile, "<script>alert(1)</script>"}
    csv_text = safe_csv(result.accepted.select("brand")).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    _store(work_db, result, "h")
    con = connect.connect(work_db)
    try:
        brands = con.sql("select brand from respondents where dataset = 'h'").pl()["brand"]
    finally:
        con.close()
    assert hostile in brands.to_list()


# ---- command line ----------------------------------------------------------------------------


def test_cli_ingest_then_nps_by_brand(work_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(sf.qualtrics(ROWS))
    rejected = tmp_path / "rejected.csv"
    proc = cx("ingest", str(path), "--dataset", "mine", "--db", str(work_db),
               "--rejected", str(rejected))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["status"] == "stored" and report["rows_accepted"] == len(ROWS)
    assert rejected.exists()
    again = json.loads(cx("ingest", str(path), "--dataset", "mine", "--db", str(work_db)).stdout)
    assert again["status"] == "unchanged"
    nps = cx("nps", "--dataset", "mine", "--db", str(work_db), "--by", "brand")
    assert nps.returncode == 0, nps.stderr
    groups = json.loads(nps.stdout)["groups"]
    assert sum(g["n"] for g in groups) == len(ROWS)
    assert {g["brand"] for g in groups} == set(sf.BRANDS)


def test_cli_ingest_map_overrides_and_errors(work_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("who,score,make\n1,9,A\n2,3,B\n")
    # "score" is not recognised by name: map it by hand
    proc = cx("ingest", str(path), "--dataset", "odd", "--db", str(work_db), "--dry-run")
    assert proc.returncode == 2 and "no likelihood-to-recommend" in proc.stderr
    ok = cx("ingest", str(path), "--dataset", "odd", "--db", str(work_db),
             "--map", "nps_score=score", "--map", "respondent_id=who")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["mapping"]["nps_score"] == "score"
    for args, message in [
        (["--map", "nps_score=nope"], "has no column 'nope'"),
        (["--map", "colour=score"], "unknown canonical column"),
        (["--dataset", "Bad Name"], "dataset names use"),
    ]:
        base = ["ingest", str(path), "--dataset", "odd2", "--db", str(work_db)]
        bad = cx(*base, *args)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    bad = cx("ingest", str(empty), "--dataset", "e", "--db", str(work_db))
    assert bad.returncode == 2 and "is empty" in bad.stderr


def test_cli_ingest_creates_a_database_that_does_not_exist(tmp_path: Path) -> None:
    import json

    from support import survey_files as sf

    export = tmp_path / "bank.csv"
    export.write_bytes(sf.plain(sf.answers(250)))
    target = tmp_path / "new" / "cx.duckdb"
    target.parent.mkdir()
    proc = cx("ingest", str(export), "--dataset", "bank", "--db", str(target))
    assert proc.returncode == 0, proc.stderr
    con = connect.connect(target)
    try:
        names = sql.run(con, "datasets")["dataset"].to_list()
        assert names == ["bank"]  # no demo rows
        assert sql.run(con, "published_figures", {"topics": None, "figure_ids": None}).height > 0
    finally:
        con.close()
    out = cx("nps", "--dataset", "bank", "--db", str(target))
    groups = json.loads(out.stdout)["groups"]
    assert len(groups) == 1 and groups[0]["n"] == 250


@pytest.mark.parametrize("name", [*HOSTILE, "upload.csv", "C:\\fakepath\\survey.xlsx"])
def test_upload_file_names_stay_inside_the_uploads_folder(
    fixture_db: Path, tmp_path: Path, name: str
) -> None:
    work = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, work)
    raw = read_survey(b"id,nps\n1,9\n2,3\n", "x.csv")
    result = normalise(raw, detect_mapping(raw), "up")
    with Database(str(work), read_only=False) as database:
        store(database, result, "up", name, b"id,nps\n1,9\n2,3\n", name)
        kept = database.run("datasets").filter(pl.col("dataset") == "up")["source_file"][0]
    path = (work.parent / kept).resolve()
    assert path.is_relative_to((uploads_root(work) / "up").resolve())
    assert path.is_file()


@pytest.mark.parametrize("value", [*HOSTILE, "demo", "a" * 41, "Upper", "-lead"])
def test_dataset_names_are_refused_unless_plain(value: str) -> None:
    with pytest.raises(IngestError):
        check_dataset_name(value)


# ---- a field team's wave export: repurchase, countries in their own names, "Brand owned" -----


def _wave_export(n: int = 200) -> tuple[IngestResult, dict[str, str]]:
    """The export with its repurchase question mapped (by the person) as switching intent."""
    raw = read_survey(ff.repurchase_export(ff.rows(n)), "wave.csv")
    mapping = {**detect_mapping(raw), "switch_intent": ff.REPURCHASE_QUESTION}
    return normalise(raw, mapping, "t"), mapping


def test_a_repurchase_question_is_never_read_as_no_intention_to_switch() -> None:
    result, _ = _wave_export()
    stored = result.accepted["switch_intent"]
    assert stored.null_count() == stored.len()  # "No" (to buying again) is never "no"
    assert not any(categories.code_of("switch_intent", a, repurchase=True)
                   for a in ff.REPURCHASE_ANSWERS)  # fmt: skip
    assert categories.reading("switch_intent", "No", repurchase=True) == categories.LEAVE_EMPTY
    [warning] = [w for w in result.report["mapping_warnings"] if "same brand" in w]
    assert "not 'no intention'" in warning and "\n" not in warning
    assert result.report["unread"]["switch_intent"] == {"answered": 200, "unread": 200}
    assert result.report["unread_warnings"] == [
        "Intention to switch brand: 200 of 200 answers (100%) were not read and are left empty."
    ]
    # what the person maps is read; a question about switching still reads "No" as "no"
    raw = read_survey(ff.repurchase_export(ff.rows(8)), "wave.csv")
    mapping = {**detect_mapping(raw), "switch_intent": ff.REPURCHASE_QUESTION}
    chosen = Choices(values={"switch_intent": {"No": "later"}})
    assert normalise(raw, mapping, "t", choices=chosen).accepted["switch_intent"].to_list() == [
        None, None, None, "later"] * 2  # fmt: skip
    assert categories.code_of("switch_intent", "No") == "no"


def test_a_small_share_of_unread_answers_gets_no_warning() -> None:
    data = ff.rows(50)
    raw = read_survey(ff.natural(data), "n.csv")
    frame = raw.frame.with_columns(
        pl.when(pl.int_range(pl.len()) < 5).then(pl.lit("Atlantis")).otherwise(pl.col("Country"))
        .alias("Country")
    )  # fmt: skip
    raw.frame = frame
    result = normalise(raw, detect_mapping(raw), "t")
    assert result.report["unread"]["country"] == {"answered": 50, "unread": 5}
    assert result.report["unread_warnings"] == []  # 10% is under the share that is named


@pytest.mark.parametrize(("name", "code"), sorted(ff.LOCAL_COUNTRIES.items()))
def test_country_names_in_their_own_languages_are_read(name: str, code: str) -> None:
    assert values.country_code(name) == code
    assert values.country_code(name.upper()) == code


def test_country_names_ignore_case_and_accents_and_every_row_of_the_export_is_read() -> None:
    assert values.country_code("osterreich") == values.country_code("OSTERREICH ") == "AT"
    assert values.country_code("Turkey") == "TR" and values.country_code("Atlantis") is None
    result, _ = _wave_export(100)
    assert result.accepted["country"].null_count() == 0
    assert not [r for r in result.report["emptied"] if r["reason"].startswith("country")]


@pytest.mark.parametrize(
    "labels",
    [
        ["Sehr unzufrieden", "Unzufrieden", "Weder noch", "Zufrieden", "Sehr zufrieden"],
        ["非常不满意", "不满意", "一般", "满意", "非常满意"],
        ["Очень недоволен", "Скорее недоволен", "Нейтрально", "Скорее доволен", "Очень доволен"],
    ],
)
def test_satisfaction_labels_of_a_german_chinese_or_russian_export_are_read(
    labels: list[str],
) -> None:
    """A German SurveyMonkey export's satisfaction grid ("Sehr zufrieden" ...) was "not a
    satisfaction scale" and every answer went unread: its labels are read as 1-5."""
    frame = pl.DataFrame({"q": [*labels, f" {labels[4].upper()} ", "Weiß nicht", None]})
    assert values.scale_values(frame, "q").to_list() == [1, 2, 3, 4, 5, 5, None, None]
    raw = read_survey(sf.plain(sf.answers(60)), "p.csv")
    column = next(c for c in raw.frame.columns if c.startswith("purchase"))
    raw.frame = raw.frame.with_columns(
        pl.Series(column, [labels[i % 5] for i in range(raw.frame.height)])
    )
    mapping = detect_mapping(raw)
    assert mapping["purchase"] == column
    result = normalise(raw, mapping, "t")
    assert result.accepted["purchase"].to_list() == [i % 5 + 1 for i in range(raw.frame.height)]


def test_the_report_lists_the_waves_the_dates_gave() -> None:
    """The validation notes said how dates were read ("quarters of 'Start Date'") but not
    which waves they gave: the report lists them, as the page shows them."""
    raw = read_survey(sf.qualtrics(sf.answers(200)), "q.csv")
    result = normalise(raw, detect_mapping(raw), "t")
    found = result.report["waves_found"]
    assert found == sorted(set(result.accepted["wave"].to_list()) - {None}) and len(found) > 1
    assert all(len(w) == 6 and w[4] == "Q" for w in found)


def test_a_brand_s_other_names_are_read_as_the_person_maps_them() -> None:
    """ "VW" and "Volkswagen" are one brand no spelling rule can see: the answer table (and
    ``--map-values brand:VW=Volkswagen``) reads one as the other, before spellings that differ
    only in case are merged; an empty reading leaves the brand empty."""
    raw = read_survey(ff.natural(ff.rows(60)), "n.csv")
    mapping = detect_mapping(raw)
    spelled = ["VW", "Volkswagen", "volkswagen", "Vw", "Skoda", "n/a brand"]
    raw.frame = raw.frame.with_columns(
        pl.Series(mapping["brand"], [spelled[i % len(spelled)] for i in range(raw.frame.height)])
    )
    chosen = {"VW": "Volkswagen", "Vw": "Volkswagen", "n/a brand": ""}
    categories.check_codes("brand", chosen)  # any name is a brand's
    result = normalise(raw, mapping, "t", choices=Choices(values={"brand": chosen}))
    brands = result.accepted["brand"]
    assert set(brands.drop_nulls()) == {"Volkswagen", "Skoda"}
    assert brands.null_count() == raw.frame.height // len(spelled)
    assert result.report["answer_values"] == {"brand": chosen}
    # read as written by choice, a spelling keeps itself; untouched merges are no choice
    kept = normalise(
        raw, mapping, "t", choices=Choices(values={"brand": {"volkswagen": "volkswagen"}})
    )
    assert {"volkswagen", "Volkswagen"} <= set(kept.accepted["brand"].drop_nulls())
    table = ["VW", "volkswagen"]
    defaults = [categories.AS_WRITTEN, "Volkswagen"]
    assert categories.choices_from_table("brand", table, defaults, defaults=defaults) == {}
    assert categories.choices_from_table(
        "brand", table, ["Volkswagen", categories.AS_WRITTEN], defaults=defaults
    ) == {"VW": "Volkswagen", "volkswagen": "volkswagen"}


def test_a_title_row_above_the_header_is_skipped_in_a_workbook_and_a_csv() -> None:
    """A workbook opening with its report's name and a blank row was read with the title as
    the first column's name, the others column_2..., and the real header as a data row: title
    rows are skipped, and row numbers still count from the file's first line."""
    from cx.ingest.read import title_rows

    answers = sf.answers(30)
    plain = read_survey(sf.xlsx(answers), "p.xlsx")
    titled = read_survey(sf.xlsx(answers, title="客户调查 2024（标题行）"), "t.xlsx")
    assert titled.title_rows == 2 and plain.title_rows == 0
    assert titled.frame.columns == plain.frame.columns and titled.frame.equals(plain.frame)
    assert titled.first_row == plain.first_row + 2
    assert detect_mapping(titled) == detect_mapping(plain)
    csv = b"Customer survey 2024,,,\n,,,\nid,brand,likelihood to recommend,country\nr1,A,9,DE\n"
    raw = read_survey(csv, "t.csv")
    assert raw.frame.columns == ["id", "brand", "likelihood to recommend", "country"]
    assert raw.title_rows == 2 and raw.rows == 1
    assert title_rows(pl.DataFrame({"a": ["x", "1"], "b": ["", "2"]})) == 0  # two columns


def test_brand_spellings_that_differ_only_in_case_or_spacing_are_one_brand() -> None:
    """A field team's export spelled one brand many ways ("toyota", "Toyota", "TOYOTA "), and
    each spelling was ranked, tested and alerted on as a brand of its own: they are now the
    most common spelling ("Škoda" and "Skoda" too), and the report says which were merged.
    Other names of a brand stay apart (the person maps them)."""
    raw = read_survey(ff.natural(ff.rows(80)), "n.csv")
    mapping = detect_mapping(raw)
    spelled = ["Toyota", "toyota", "TOYOTA ", "Toyota", "Mercedes-Benz", "mercedes  benz", "Skoda"]
    spelled += ["Škoda"]
    raw.frame = raw.frame.with_columns(
        pl.Series(mapping["brand"], [spelled[i % len(spelled)] for i in range(raw.frame.height)])
    )
    result = normalise(raw, mapping, "t")
    assert set(result.accepted["brand"].drop_nulls()) == {"Toyota", "Mercedes-Benz", "Skoda"}
    assert result.accepted.height + result.rejected.height == raw.frame.height
    note = result.report["brand_spellings"]
    assert note.startswith("4 spellings that differ only in case, spacing or accents read as one")
    assert (
        "'mercedes  benz' as 'Mercedes-Benz'" in note and "'TOYOTA', 'toyota' as 'Toyota'" in note
    )
    assert categories.merged_spellings([("BMW", 3), ("bmw", 3), ("Bmw", 1)]) == {
        "bmw": "BMW", "Bmw": "BMW"
    }  # fmt: skip
    assert categories.merged_spellings([("VW", 5), ("Volkswagen", 9)]) == {}  # not a spelling


@pytest.mark.parametrize(
    "header",
    ["Brand owned", "Owned brand", "Make", "Vehicle make", "Manufacturer", "Marque", "Car brand"],
)
def test_brand_columns_named_as_field_teams_name_them_are_the_brand(header: str) -> None:
    raw = read_survey(ff.repurchase_export(ff.rows(30), header), "wave.csv")
    assert detect_mapping(raw)["brand"] == header


@pytest.mark.parametrize(
    "question",
    ["Welche Automarke fahren Sie?", "Which car brand do you drive?", "您开什么品牌的车？"],
)
def test_a_brand_question_worded_as_field_teams_word_it_is_the_brand(question: str) -> None:
    """A German export's "Welche Automarke fahren Sie?" was not taken as the brand."""
    raw = read_survey(ff.repurchase_export(ff.rows(30), question), "wave.csv")
    assert detect_mapping(raw)["brand"] == question


@pytest.mark.parametrize(
    "question",
    [
        "您有多大可能向朋友或同事推荐该品牌？(0-10分)",
        "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
    ],
)
def test_a_recommend_question_worded_as_field_teams_word_it_is_the_score(question: str) -> None:
    """A Chinese export's "您有多大可能向朋友或同事推荐该品牌？" ("how likely ... recommend",
    the likelihood before the recommending) was not taken as the 0-10 score."""
    lines = [f'编号,"{question}",品牌'] + [f"R{i},{i % 11},BYD" for i in range(30)]
    raw = read_survey(("\n".join(lines) + "\n").encode(), "zh.csv")
    assert detect_mapping(raw)["nps_score"] == question


@pytest.mark.parametrize(
    "question",
    [
        "Möchten Sie uns sonst noch etwas mitteilen?",
        "还有什么想告诉我们的吗？",
        "Хотели бы вы добавить что-нибудь ещё?",
    ],
)
def test_an_open_question_worded_as_field_teams_word_it_is_a_comment(question: str) -> None:
    """A German export's second open question was not detected as comments."""
    from cx.ingest.mapping import detect_comments

    data = sf.answers(40)
    text = sf.plain(data).decode().splitlines()
    rows = [text[0] + f",{question}"] + [
        line + f",Antwort Nummer {i} mit genug Worten" for i, line in enumerate(text[1:])
    ]
    raw = read_survey(("\n".join(rows) + "\n").encode(), "c.csv")
    assert question in detect_comments(raw, detect_mapping(raw))


def test_the_mapping_says_which_pages_have_nothing_without_a_brand() -> None:
    raw = read_survey(ff.repurchase_export(ff.rows(30)), "wave.csv")
    mapping = detect_mapping(raw)
    assert not [w for w in mapping_warnings(mapping, raw.questions) if "brand column" in w]
    del mapping["brand"]
    [line] = mapping_warnings(mapping, raw.questions, brand_pages())
    assert line == (
        "No brand column is mapped: Brands, Customer journey's brand grid and Dealer scorecards' "
        "rankings within a brand will have nothing to show for it."
    )


def test_a_stored_upload_is_in_the_database_file_itself(work_db: Path, tmp_path: Path) -> None:
    """Copying the .duckdb file alone (for the command line) keeps the upload: the store
    checkpoints its write-ahead log into the file, and so does deleting a dataset."""
    result, _ = _wave_export(60)
    with Database(str(work_db), read_only=False) as database:
        assert store(database, result, "wave", "wave", b"x", "w.csv") == "stored"
        copy = tmp_path / "copy" / "cx.duckdb"
        copy.parent.mkdir()
        shutil.copy(work_db, copy)  # the file alone, without cx.duckdb.wal
        assert not copy.with_name("cx.duckdb.wal").exists()
        with Database(str(copy)) as alone:
            assert "wave" in alone.run("datasets")["dataset"].to_list()
        delete_dataset(database, "wave")
        shutil.copy(work_db, copy)
        with Database(str(copy)) as alone:
            assert "wave" not in alone.run("datasets")["dataset"].to_list()


@pytest.mark.parametrize(
    "header", ["Gewichtungsfaktor", "Weighting factor", "Design weight", "WGT", "Weights"]
)
def test_weight_columns_named_as_agencies_name_them_are_the_weight(header: str) -> None:
    """A German agency's "Gewichtungsfaktor" was listed as not used: the upload would have
    been stored unweighted unless the analyst noticed."""
    rows = sf.answers(40)
    data = sf.plain(rows).decode().replace("weight", header, 1).encode()
    raw = read_survey(data, "agency.csv")
    assert detect_mapping(raw)["weight"] == header


def test_a_channel_question_worded_as_qualtrics_words_it_is_the_channel() -> None:
    """ "Did you buy from a dealer or directly online?" (answers Dealer, Online direct) was not
    recognised, and the Dealer vs direct page said the channel was not in the dataset."""
    question = "Did you buy from a dealer or directly online?"
    rows = sf.answers(40)
    lines = sf.plain(rows).decode().splitlines()
    lines[0] += f",{question}"
    for i, row in enumerate(rows, start=1):
        lines[i] += "," + ("Dealer" if row["channel"] == "Dealer" else "Online direct")
    raw = read_survey(("\n".join(lines) + "\n").encode(), "qualtrics.csv")
    assert detect_mapping(raw)["channel"] == question


def test_an_industry_named_automotive_is_the_automakers_the_channel_page_shows(
    fixture_db: Path, tmp_path: Path
) -> None:
    """An upload's industries "Automotive" (137) and "Insurance" (43): the Dealer vs direct
    page showed all 180 as "automotive respondents". "Automotive" is read as Automakers (and
    said so), the page shows those alone, and a dataset without carmakers is not called
    automotive."""
    from cx.core.schema import AUTOMAKERS
    from cx.reports import channels

    rows = sf.answers(160)
    lines = sf.plain(rows).decode().splitlines()
    lines[0] += ",Industry,Purchase channel"
    for i, row in enumerate(rows, start=1):
        lines[i] += "," + ("Insurance" if i % 4 == 0 else " automotive ") + "," + row["channel"]
    data = ("\n".join(lines) + "\n").encode()
    raw = read_survey(data, "agency.csv")
    result = normalise(raw, detect_mapping(raw), "auto")
    counts = dict(result.accepted["industry"].value_counts().iter_rows())
    assert counts == {AUTOMAKERS: 120, "Insurance": 40}
    assert "'automotive' read as 'Automakers'" in str(result.report)  # trimmed, then read
    path = sf.stored_copy(fixture_db, tmp_path / "auto.duckdb", "auto", data)
    con = connect.connect(path)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        shown = channels.compute(run, Selection(dataset="auto"), Options())
        assert shown.defaulted and shown.selection.industries == (AUTOMAKERS,)
        assert int(shown.nps["n"].sum()) == 120
        chart = channels.charts(shown, dataset_source(run, "auto"))[0]
        assert "automotive respondents" in chart.subtitle
        others = channels.compute(
            run, Selection(dataset="auto", industries=("Insurance",)), Options()
        )
        chart = channels.charts(others, dataset_source(run, "auto"))[0]
        assert "automotive" not in chart.subtitle and "industries chosen" in chart.subtitle
    finally:
        con.close()


@pytest.mark.parametrize(
    ("header", "answers", "field"),
    [
        ("Which brand did you buy from the dealer?", ["Toyota", "BMW", "Kia"], "brand"),
        ("Which make did you purchase at the dealership?", ["Toyota", "BMW", "Kia"], "brand"),
        ("What brand did you buy at the dealer?", ["Toyota", "BMW", "Kia"], "brand"),
        (
            "Satisfaction: buying from the dealer or online store",
            ["1", "2", "3", "4", "5"],
            "purchase",
        ),
        ("Did you buy the car at a fair price?", ["1", "2", "3", "4", "5"], None),
        ("Did you purchase from the same dealer as last time?", ["Yes", "No"], None),
    ],
)
def test_a_question_that_mentions_a_dealer_is_not_the_channel(
    header: str, answers: list[str], field: str | None
) -> None:
    """The channel's question wording ("Did you buy from a dealer or directly online?") took
    brand and stage columns that mention a dealer: only a question offering the dealer or the
    brand is the channel."""
    lines = [f'Respondent ID,NPS,"{header}"']
    lines += [f"{i},{i % 11},{answers[i % len(answers)]}" for i in range(60)]
    mapping = detect_mapping(read_survey(("\n".join(lines) + "\n").encode(), "x.csv"))
    taken = [k for k, v in mapping.items() if v == header]
    assert "channel" not in taken
    if field is not None:
        assert taken == [field], mapping


def test_only_names_of_carmakers_customers_are_read_as_automakers() -> None:
    """An insurer's lines of business (Auto, Home, Life) stay its own; an industry typed for a
    file without the column is read as the column's would be; an answer read as written stays."""
    from cx.core.schema import AUTOMAKERS

    rows = sf.answers(60)
    lines = sf.plain(rows).decode().splitlines()
    lines[0] += ",Category"
    for i in range(1, len(lines)):
        lines[i] += "," + ("Auto", "Home", "Life")[i % 3]
    raw = read_survey(("\n".join(lines) + "\n").encode(), "insurer.csv")
    kept = normalise(raw, detect_mapping(raw), "t").accepted["industry"].unique().sort()
    assert kept.to_list() == ["Auto", "Home", "Life"]
    plain = read_survey(sf.plain(rows), "plain.csv")
    typed = normalise(plain, detect_mapping(plain), "t", choices=Choices(industry=" Automotive "))
    assert typed.accepted["industry"].unique().to_list() == [AUTOMAKERS]
    lines = sf.plain(rows).decode().splitlines()
    lines[0] += ",Industry"
    lines[1:] = [line + ",Automotive" for line in lines[1:]]
    raw = read_survey(("\n".join(lines) + "\n").encode(), "as_written.csv")
    written = Choices(values={"industry": {"Automotive": "Automotive"}})
    kept = normalise(raw, detect_mapping(raw), "t", choices=written).accepted["industry"].unique()
    assert kept.to_list() == ["Automotive"]


def test_invisible_characters_that_reorder_text_are_removed_as_answers_are_read() -> None:
    """A review: a brand written with a right-to-left override ("\\u202eSUNOB") reached every
    slide title and sheet, where it reversed the rest of the line and the figures after it.
    Bidirectional controls, marks, zero-width spaces and byte-order marks are removed from
    every answer as it is read (the mapping's lists and the store read the same); a zero-width
    joiner, which emoji need, is kept."""
    from cx.ingest.job import _profile

    rows = sf.answers(60)
    for i, row in enumerate(rows):
        row["brand"] = "\u202eSUNOB" if i % 2 else "Alt\u200bmark\u2066"
    raw = read_survey(sf.plain(rows), "bidi.csv")
    result = normalise(raw, detect_mapping(raw), "bidi")
    brands = set(result.accepted["brand"].drop_nulls().to_list())
    assert brands == {"SUNOB", "Altmark"}, brands
    listed = next(c for c in _profile(raw) if c.name == "brand")
    assert {v for v, _n in listed.values} == {"SUNOB", "Altmark"}
    comment = pl.Series(["a \u202ecomment 👩\u200d🔧"]).to_frame("c")
    from cx.ingest.values import clean

    assert comment.select(clean("c")).item() == "a comment 👩\u200d🔧"


def test_a_recommend_question_on_another_scale_is_not_read_as_nps() -> None:
    """A review: "How likely are you to recommend us? (0-5)" was read as the 0-10 score, every
    respondent a detractor, NPS -100, without a word. A question naming another scale, or a
    column of 30 answers or more none above 5, is refused with a reason; a 0-10 one is not."""
    rows = "\n".join(f"{i},{i % 6},DE" for i in range(60))
    for header, why in (
        ("How likely are you to recommend us? (0-5)", "it says 0-5"),
        ("Recommend score", "none of its 60 answers is above 5"),
    ):
        raw = read_survey(f"id,{header},country\n{rows}\n".encode(), "scale05.csv")
        mapping = {"respondent_id": "id", "nps_score": header, "country": "country"}
        with pytest.raises(IngestError, match=why):
            normalise(raw, mapping, "s05")
    from cx.ingest.values import other_scale

    frame = pl.DataFrame({"q": [str(i % 11) for i in range(60)]})
    for wording in (
        "Recommend (0-10), 0 - 5 = detractor",  # a 0-10 named anywhere is the scale
        "Kunde seit 1 bis 3 Jahren: Weiterempfehlung (0-10)",
        "Q1-5 recommend",  # a question number, not a scale
    ):
        assert other_scale(frame, "q", wording) == "", wording
    assert other_scale(frame, "q", "推荐意愿0-5分") == "it says 0-5"
    ten = "\n".join(f"{i},{i % 11},DE" for i in range(60))
    raw = read_survey(f"id,How likely (0-10)?,country\n{ten}\n".encode(), "scale10.csv")
    result = normalise(raw, {"respondent_id": "id", "nps_score": "How likely (0-10)?"}, "s10")
    assert result.accepted.height == 60
