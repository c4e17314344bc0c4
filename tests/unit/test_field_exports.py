"""Uploads as field teams send them (:mod:`field_files`): every valid respondent kept, the
columns a person would map, dates into their waves, the file's own ids, non-answers that are
no comments, legacy encodings read or refused, day-first dates decided per column."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import field_files as ff
from support.cli import cx

from cx.data import connect, sql
from cx.ingest import categories, dates
from cx.ingest.mapping import detect, detect_comments
from cx.ingest.model import Choices, IngestError, IngestResult
from cx.ingest.normalise import normalise, problem_rows
from cx.ingest.read import read_survey

ROOT = Path(__file__).resolve().parents[2]
DATA = ff.rows()
FIVE = set(ff.STAGE_QUESTIONS)


def _ingest(data: bytes, name: str, choices: Choices | None = None) -> IngestResult:
    raw = read_survey(data, name)
    mapping = detect(raw).mapping
    return normalise(raw, mapping, "field", detect_comments(raw, mapping), choices)


def _quarter(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


@pytest.mark.parametrize("name", list(ff.families(DATA[:300])))
def test_every_layout_family_keeps_every_respondent_with_a_score(name: str) -> None:
    """Plain CSV with our names, natural-language questions, Qualtrics, SurveyMonkey, German
    semicolon cp1252 and Excel: no flags, no rejected row, five stages, waves from the dates,
    the file's ids, switching answers in words read."""
    data = DATA[:300]
    result = _ingest(ff.families(data)[name], name)
    assert result.rejected.height == 0 and result.accepted.height == len(data)
    assert set(result.report["mapping"]) >= FIVE
    assert result.accepted["respondent_id"].to_list() == [r["id"] for r in data]
    assert result.accepted["wave"].to_list() == [_quarter(r["date"]) for r in data]
    want = [ff.SWITCH_ANSWERS[r["switch"]] for r in data]
    if "switch_intent" in result.report["mapping"]:
        assert result.accepted["switch_intent"].to_list() == want
    assert result.emptied.height == 0, result.report["emptied"]


def test_the_field_export_of_the_issue_is_ingested_with_no_flags() -> None:
    """1,500 respondents, 5 stages in natural wording, day-first dates, the agency's ids,
    "Within the next 6 months", dealers, comments in two languages with non-answers."""
    result = _ingest(ff.natural(DATA), "field.csv")
    report = result.report
    assert report["rows_accepted"] == 1500 and report["rows_rejected"] == 0
    mapping = report["mapping"]
    assert {s for s in FIVE if s in mapping} == FIVE
    assert mapping["research"] == "Finding information about the car online"
    assert mapping["purchase"] == "Negotiating the price and signing the contract"
    assert mapping["date"] == "Interview date" and mapping["respondent_id"] == "Interview ID"
    assert "day first" in report["dates"] and "quarters" in report["waves"]
    soonest = sum(r["switch"] == "Within the next 6 months" for r in DATA)
    assert (result.accepted["switch_intent"] == "within_6m").sum() == soonest > 0
    assert result.accepted["industry"].null_count() == 1500  # not invented
    assert "not in the file and not given" in report["industry"]
    assert set(result.accepted["channel"]) == {"dealer", "direct"}
    assert set(result.accepted["ownership"]) == {"owner", "user"}
    texts = set(result.comments["text"])
    assert texts and not texts & set(ff.NON_ANSWERS)
    assert {
        "Die Übergabe hat viel zu lange gedauert.",
        "Great service at the workshop, thank you!",
    } & texts


@pytest.mark.parametrize(
    "questions", [ff.STAGE_QUESTIONS_DE, ff.STAGE_QUESTIONS_ZH, ff.STAGE_QUESTIONS_RU]
)
def test_stage_questions_in_german_chinese_and_russian_are_mapped(
    questions: dict[str, str],
) -> None:
    raw = read_survey(ff.natural(DATA[:200], questions), "x.csv")
    mapping = detect(raw).mapping
    assert {s: mapping.get(s) for s in questions} == questions


def test_an_unrecognised_switching_answer_keeps_the_respondent_and_can_be_mapped() -> None:
    """103 of 1,500 soonest switchers were rejected for "Within the next 6 months": an
    optional answer that cannot be read leaves the field empty, counted; a value map reads it."""
    data = [
        {**r, "switch": "When my lease ends" if i % 9 == 0 else r["switch"]}
        for i, r in enumerate(DATA)
    ]
    odd = sum(i % 9 == 0 for i in range(len(DATA)))
    result = _ingest(ff.natural(data), "field.csv")
    assert result.rejected.height == 0 and result.accepted.height == 1500
    assert result.accepted["switch_intent"].null_count() == odd
    assert result.report["emptied"] == [
        {"reason": "intention to switch brand … is not recognised", "rows": odd}
    ]
    problems = problem_rows(result)
    assert problems.height == odd and set(problems["outcome"]) == {"kept, field left empty"}
    assert set(problems[ff.SWITCH_QUESTION]) == {"When my lease ends"}
    mapped = _ingest(
        ff.natural(data),
        "field.csv",
        Choices(values={"switch_intent": {"When my lease ends": "6_18m"}}),
    )
    assert mapped.emptied.height == 0 and mapped.accepted["switch_intent"].null_count() == 0
    assert mapped.report["answer_values"] == {"switch_intent": {"When my lease ends": "6_18m"}}


def test_answer_value_maps_name_known_codes_only() -> None:
    with pytest.raises(ValueError, match="one of: within_6m"):
        categories.check_codes("switch_intent", {"Soonish": "soon"})
    with pytest.raises(ValueError, match="not a country"):
        categories.check_codes("country", {"Atlantis": "Atlantis"})
    categories.check_codes("country", {"Deutschl.": "DE"})


def test_waves_follow_the_chosen_period_and_the_industry_is_the_one_given() -> None:
    months = _ingest(
        ff.natural(DATA[:100]), "f.csv", Choices(period="month", industry="Automakers")
    )
    assert months.accepted["wave"].to_list() == [r["date"].strftime("%Y-%m") for r in DATA[:100]]
    assert set(months.accepted["industry"]) == {"Automakers"}
    assert "months" in months.report["waves"]


def test_a_bank_study_keeps_its_own_ids_and_gets_no_invented_industry() -> None:
    """The published bank-satisfaction study: its id column ("Customer_ID", numbers) and no
    industry; ids were stored as "row-2"… and the industry as "All respondents"."""
    lines = ["Customer_ID,Age,Overall satisfaction,Recommend bank (0-10),Date"]
    lines += [
        f"{1000 + i},{30 + i % 40},{1 + i % 5},{i % 11},{1 + i % 28}.{1 + i % 12}.2023"
        for i in range(250)
    ]
    result = _ingest(("\n".join(lines) + "\n").encode(), "bank.csv")
    assert result.accepted.height == 250
    assert result.accepted["respondent_id"].to_list()[:3] == ["1000", "1001", "1002"]
    assert result.accepted["industry"].null_count() == 250
    assert result.accepted["wave"].n_unique() == 4


def test_non_answers_are_no_comments_in_any_language() -> None:
    """37 of 1,379 stored comments were "nothing", "Nothing.", "keine Angabe", "无", "нет"…"""
    result = _ingest(ff.natural(DATA), "f.csv")
    stored = set(result.comments["text"].str.to_lowercase())
    for word in ("nothing", "nothing.", "keine angabe", "n/a", "-", "无", "нет", "nichts.", "no."):
        assert word not in stored
    asked = sum(1 for r in DATA if r["comment"] and r["comment"] not in ff.NON_ANSWERS)
    assert result.comments.height == asked


# ---- legacy encodings (issue B, item 2) ------------------------------------------------------


@pytest.mark.parametrize("encoding", list(ff.LEGACY))
@pytest.mark.parametrize("n", [5, 40, 400])
def test_legacy_encodings_are_read_as_written(encoding: str, n: int) -> None:
    """GB18030, Big5, KOI8-R, Windows-1251, Shift-JIS were read as cp1252: 比亚迪 stored as
    ``±ÈÑÇµÏ``, Лада as ``ìÁÄÁ``."""
    raw = read_survey(ff.legacy(encoding, DATA[:n]), "export.csv")
    assert raw.encoding == encoding
    _, brands, _ = ff.LEGACY[encoding]
    assert set(raw.frame[raw.frame.columns[2]]) <= set(brands)


def test_a_file_whose_encoding_cannot_be_told_is_refused_with_one_line() -> None:
    tiny = "id,brand,nps\n1,比亚迪,9\n".encode("gb18030")  # reads as Big5, EUC-JP... alike
    with pytest.raises(IngestError) as info:
        read_survey(tiny, "tiny.csv")
    message = str(info.value)
    assert "cannot tell the encoding of tiny.csv" in message and "\n" not in message
    chosen = read_survey(tiny, "tiny.csv", encoding="gb18030")
    assert chosen.frame["brand"].to_list() == ["比亚迪"] and chosen.encoding == "gb18030"
    with pytest.raises(IngestError, match="not valid UTF-8 text"):
        read_survey(tiny, "tiny.csv", encoding="utf-8")
    with pytest.raises(IngestError, match="unknown encoding"):
        read_survey(tiny, "tiny.csv", encoding="ebcdic")


def test_western_files_are_still_windows_1252() -> None:
    data = "id,brand,nps\n1,Citroën,9\n2,Škoda,7\n3,Müller,3\n".encode("cp1252")
    raw = read_survey(data, "w.csv")
    assert raw.encoding == "cp1252" and raw.frame["brand"].to_list() == [
        "Citroën",
        "Škoda",
        "Müller",
    ]


# ---- day-first dates (issue B, item 3) -------------------------------------------------------


def test_day_first_dates_land_in_their_waves() -> None:
    """13 of 24 rows were rejected and 11 swapped (6 February landed in Q2)."""
    days = [dt.date(2024, m, d) for m in (1, 2, 5, 8, 11, 12) for d in (3, 6, 14, 28)]
    text = "id,nps,date\n" + "".join(f"{i},9,{d:%d/%m/%Y}\n" for i, d in enumerate(days))
    result = _ingest(text.encode(), "d.csv")
    assert result.accepted.height == 24 and result.emptied.height == 0
    assert result.accepted["wave"].to_list() == [_quarter(d) for d in days]
    assert "day first" in result.report["dates"]


def test_an_ambiguous_date_column_is_asked_about_not_guessed() -> None:
    text = "id,nps,date\n1,9,03/04/2024\n2,7,05/06/2024\n"
    with pytest.raises(IngestError, match="could be day-first or month-first"):
        _ingest(text.encode(), "a.csv")
    dmy = _ingest(text.encode(), "a.csv", Choices(date_order="dmy"))
    mdy = _ingest(text.encode(), "a.csv", Choices(date_order="mdy"))
    assert dmy.accepted["wave"].to_list() == ["2024Q2", "2024Q2"]
    assert mdy.accepted["wave"].to_list() == ["2024Q1", "2024Q2"]
    assert "as chosen" in dmy.report["dates"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.dates(dt.date(1995, 1, 1), dt.date(2025, 12, 31)), min_size=1, max_size=40),
    st.sampled_from(["dmy", "mdy", "ymd"]),
    st.sampled_from(["/", "-", "."]),
)
def test_a_date_column_is_decided_as_a_whole_and_read_exactly(
    days: list[dt.date], order: str, sep: str
) -> None:
    """Whatever the dates: one format per column; a day above 12 settles it; no value is read
    in another order than the column's; when nothing settles it, it is ambiguous."""
    pattern = {"dmy": f"%d{sep}%m{sep}%Y", "mdy": f"%m{sep}%d{sep}%Y", "ymd": f"%Y{sep}%m{sep}%d"}
    written = pl.Series([d.strftime(pattern[order]) for d in days])
    fmt = dates.decide(written)
    assert fmt is not None
    settles = any(d.day > 12 and d.day != d.month for d in days)
    if order == "ymd" or (sep == "." and order == "dmy"):
        assert fmt.order == order
    elif settles:
        assert fmt.order == order and not fmt.ambiguous
    elif fmt.order is None:
        assert fmt.ambiguous
    if fmt.order == order:
        parsed = (
            written.to_frame("v").select(dates.parse(pl.col("v"), fmt).alias("d"))["d"].to_list()
        )
        assert parsed == days


# ---- the command line --------------------------------------------------------------------------


def _cx(*args: str) -> subprocess.CompletedProcess[str]:
    return cx(*args)


@pytest.fixture()
def work_db(fixture_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, path)
    return path


def test_cli_maps_answer_values_and_writes_the_problem_rows(work_db: Path, tmp_path: Path) -> None:
    data = [
        {**r, "switch": "When my lease ends" if i % 9 == 0 else r["switch"]}
        for i, r in enumerate(DATA[:200])
    ]
    path = tmp_path / "field.csv"
    path.write_bytes(ff.natural(data))
    problems = tmp_path / "problems.csv"
    first = _cx("ingest", str(path), "--dataset", "f1", "--db", str(work_db), "--dry-run",
                "--problems", str(problems))  # fmt: skip
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["rows_accepted"] == 200 and report["emptied"][0]["rows"] == 23
    written = pl.read_csv(problems)
    assert written.height == 23 and set(written["outcome"]) == {"kept, field left empty"}
    mapped = _cx("ingest", str(path), "--dataset", "f1", "--db", str(work_db),
                 "--map-values", "switch_intent:When my lease ends=6_18m", "--industry", "Automakers",
                 "--wave-period", "month")  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
    report = json.loads(mapped.stdout)
    assert report["emptied"] == [] and report["status"] == "stored"
    assert report["industry"] == "'Automakers' for every respondent, as given"
    # the next file of the layout maps itself as stored: the value map, industry and months
    again = tmp_path / "again.csv"
    again.write_bytes(ff.natural(data[:50]))
    reused = json.loads(
        _cx("ingest", str(again), "--dataset", "f2", "--db", str(work_db), "--dry-run").stdout
    )
    assert reused["saved_mapping"] and reused["emptied"] == []
    assert reused["choices"]["period"] == "month" and "months" in reused["waves"]
    bad = _cx("ingest", str(path), "--dataset", "f3", "--db", str(work_db), "--dry-run",
              "--map-values", "switch_intent:When my lease ends=soon")  # fmt: skip
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "one of: within_6m" in bad.stderr


def test_cli_refuses_an_unknowable_encoding_in_one_line_and_takes_a_chosen_one(
    work_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.csv"
    path.write_bytes("id,brand,nps\n1,比亚迪,9\n2,吉利,3\n".encode("gb18030"))
    refused = _cx("ingest", str(path), "--dataset", "t", "--db", str(work_db), "--dry-run")
    assert refused.returncode == 2 and "cannot tell the encoding" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    chosen = _cx(
        "ingest", str(path), "--dataset", "t", "--db", str(work_db), "--encoding", "gb18030"
    )
    assert chosen.returncode == 0, chosen.stderr
    con = connect.connect(work_db)
    try:
        brands = sql.run(con, "filter_options", {"dataset": "t"}).filter(
            pl.col("dimension") == "brands"
        )
    finally:
        con.close()
    assert set(brands["value"]) == {"比亚迪", "吉利"}
