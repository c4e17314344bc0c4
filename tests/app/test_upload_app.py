"""The upload page with field exports: every column listed with a control, the steps run in
a child process for large files, the choices saved for the next file of the layout, dates
asked about when ambiguous, the industry asked for, never invented."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from support import field_files as ff
from support.apptest import boxes, open_app, unescaped

from components import mapping_step
from cx.data import connect, sql
from cx.ingest import categories, job

pytestmark = pytest.mark.usefixtures("app_env")


def _upload(name: str, data: bytes) -> AppTest:
    at = open_app("pages/upload.py")
    at.file_uploader[0].upload(name, data, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> str:
    """Every caption, without the escapes that keep data text from being Markdown."""
    return " ".join(c.value.replace("\\", "") for c in at.caption)


def _store(at: AppTest, name: str) -> AppTest:
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Dataset name")).set_value(
        name
    )
    at.button(key="up_store").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"'{name}'" in s.value for s in at.success), [e.value for e in at.error]
    return at


def _stored(dataset: str) -> pl.DataFrame:
    con = connect.connect(connect.default_db_path(), read_only=False)  # the app holds it writable
    try:
        return sql.run(con, "datasets").filter(pl.col("dataset") == dataset)
    finally:
        con.close()


def test_every_column_is_listed_with_what_it_is_taken_as_and_a_control(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The field export, its steps forced into child processes (as a large file's are): each
    column has its own "taken as" control; the columns not used are named in full."""
    calls: list[str] = []
    run = job.subprocess.run

    def counted(command: list[str], **kwargs: Any) -> Any:
        calls.append(command[-1])
        return run(command, **kwargs)

    monkeypatch.setattr(job, "CHILD_BYTES", 0)
    monkeypatch.setattr(job.subprocess, "run", counted)
    data = ff.rows(300)
    at = _upload("field export.csv", ff.natural(data))
    assert calls == ["inspect", "validate"]
    assert at.file_uploader[0].value is None  # the uploader let go of the file
    taken = boxes(at)
    assert taken["Finding information about the car online"] == "Satisfaction: research"
    assert taken["Negotiating the price and signing the contract"] == "Satisfaction: purchase"
    assert taken["Interview date"] == "Response date (gives the wave)"
    assert taken["Interview ID"] == "Respondent id"
    assert taken["Is there anything else you would like to tell us?"] == mapping_step.COMMENTS
    header = ff.natural(data).decode().splitlines()[0]
    assert sum(1 for label in taken if label in header) == len(header.split(","))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows accepted"] == "300" and metrics["Rows rejected"] == "0"
    captions = _captions(at)
    assert "day first" in captions and "…" not in captions
    _store(at, "field")
    assert calls == ["inspect", "validate", "finish"]
    stored = _stored("field")
    assert stored["rows"].to_list() == [300]


def test_the_next_file_of_a_layout_maps_itself_as_saved() -> None:
    at = _upload("first.csv", ff.natural(ff.rows(120, seed=1)))
    index = next(s.key for s in at.selectbox if s.label == "Dealer")
    at.selectbox(key=index).set_value(mapping_step.NOT_USED).run()
    _store(at, "first")
    again = _upload("second.csv", ff.natural(ff.rows(150, seed=2)))
    assert boxes(again)["Dealer"] == mapping_step.NOT_USED
    assert "Mapped as you saved it for this layout" in _captions(again)


def test_an_ambiguous_date_column_is_asked_about_before_the_report() -> None:
    lines = ["id,nps,date", *(f"r{i},{i % 11},0{1 + i % 9}/0{1 + i % 3}/2024" for i in range(40))]
    at = _upload("ambiguous.csv", ("\n".join(lines) + "\n").encode())
    assert any("Say how the dates are written" in i.value for i in at.info)
    assert not at.metric
    order = next(r for r in at.radio if r.label.startswith("Dates in 'date'"))
    order.set_value("dmy").run()
    assert {m.label: m.value for m in at.metric}["Rows accepted"] == "40"


def test_an_industry_is_asked_for_not_invented() -> None:
    at = _upload("bank.csv", b"id,nps\n1,9\n2,3\n3,10\n")
    label = next(s.label for s in at.selectbox if s.label.startswith("Industry of these"))
    assert boxes(at)[label] is None
    assert "not in the file and not given" in _captions(at)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == label)).set_value(
        "Banking"
    ).run()
    assert "'Banking' for every respondent" in _captions(at)
    _store(at, "bank")
    assert "industry" in _stored("bank")["fields"][0]


def test_answer_values_read_from_a_table_only_where_they_differ() -> None:
    answers = ["Within the next 6 months", "When my lease ends", "No", "Not sure yet"]
    read = ["within_6m", "6_18m", categories.LEAVE_EMPTY, categories.LEAVE_EMPTY]
    assert categories.choices_from_table("switch_intent", answers, read) == {
        "When my lease ends": "6_18m",
        "No": "",
    }
    assert categories.reading("switch_intent", "When my lease ends") == categories.LEAVE_EMPTY
    assert categories.reading("ownership", "Leaseholder of sorts") == "user"
    assert categories.reading("channel", "Pop-up stand") == categories.AS_WRITTEN


def test_a_repurchase_question_taken_as_switching_is_warned_about_and_not_read() -> None:
    """The field team's wave export: its "Brand owned" is the brand, its countries are read,
    and its buy-the-same-brand-again question, mapped by hand as switching intent, is said to
    be one (its answers shown as left empty, and counted in the report) instead of reversed."""
    at = _upload("wave.csv", ff.repurchase_export(ff.rows(80)))
    assert boxes(at)["Brand owned"] == "Brand"
    assert not at.warning  # nothing to warn about yet
    at.selectbox(key=next(s.key for s in at.selectbox if unescaped(s.label) == ff.REPURCHASE_QUESTION)
                 ).set_value("Intention to switch brand").run()  # fmt: skip
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("asks whether people will buy the same brand again" in w for w in warnings)
    assert (
        "Intention to switch brand: 80 of 80 answers (100%) were not read and are left empty."
        in warnings
    )
    table = next(d for d in at.dataframe if "Read as" in d.value.columns)
    assert set(table.value["Read as"]) == {categories.LEAVE_EMPTY}
    brand = next(s.key for s in at.selectbox if s.label == "Brand owned")
    at.selectbox(key=brand).set_value(mapping_step.NOT_USED).run()
    assert any(
        w.value.replace("\\", "").startswith(
            "No brand column is mapped: Brands, Customer journey's"
        )
        for w in at.warning
    )


def test_memory_is_given_back_after_a_file_is_taken_not_on_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full garbage collection ran on every run of the page (about 100 ms, every other
    session blocked meanwhile); it runs once, after the uploader's copy of a file is let go."""
    from components import uploads

    calls: list[int] = []
    monkeypatch.setattr(uploads, "give_back_memory", lambda: calls.append(1))
    at = open_app("pages/upload.py")
    at.run()
    at.run()
    assert calls == []
    at.file_uploader[0].upload(
        "survey.csv", b"country,brand,nps\nUS,Alpha,9\nDE,Beta,3\n", "text/csv"
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls == [1]
    at.run()
    assert calls == [1]


def test_a_dataset_name_that_cannot_be_is_said_as_it_is_typed_and_store_waits() -> None:
    """ "Kundenbefragung 2024 (DE)" was refused only after Store, in lower case, under a
    "Storing…" box that stayed: the name is checked as it is typed and Store waits for one."""
    at = _upload("field export.csv", ff.natural(ff.rows(60)))
    name = next(t.key for t in at.text_input if t.label == "Dataset name")
    at.text_input(key=name).set_value("Kundenbefragung 2024 (DE)").run()
    errors = [e.value for e in at.error]
    assert any(unescaped(e).startswith("Dataset names use 1-40 lowercase letters") for e in errors)
    assert at.button(key="up_store").disabled
    at.text_input(key=name).set_value("kundenbefragung-2024-de").run()
    assert not at.error and not at.button(key="up_store").disabled


def test_a_brand_column_gets_an_answer_table_that_reads_spellings_as_one() -> None:
    """The mapping had no table for the brand as it has for the country, so "VW" could not be
    read as "Volkswagen": it has one now, its readings those the store will use."""
    lines = ["Interview ID,Brand,Recommend (0-10),Country"]
    names = ["Toyota", "toyota", "Toyota", "VW", "Volkswagen"]
    lines += [f"r{i},{names[i % 5]},{i % 11},Germany" for i in range(100)]
    at = _upload("brands.csv", ("\n".join(lines) + "\n").encode())
    titles = [unescaped(e.label) for e in at.expander]
    assert "Answers of 'Brand' as brand" in titles, titles
    editor = next(d.value for d in at.get("data_editor") if "toyota" in list(d.value["Answer"]))
    read = dict(zip(editor["Answer"], editor["Read as"], strict=True))
    assert read["toyota"] == "Toyota" and read["VW"] == categories.AS_WRITTEN
    # left as shown, the merge is the store's own (said in the report), not a choice saved
    assert (
        "Brands: 1 spelling that differs only in case, spacing or accents read as one"
        in _captions(at)
    )
    answers, shown = list(editor["Answer"]), list(editor["Read as"])
    assert categories.choices_from_table("brand", answers, shown, defaults=shown) == {}


def test_the_uploaded_datasets_table_names_its_fields_in_words() -> None:
    """The table of uploaded datasets listed "respondent_id,date,country,brand,nps_score,…",
    the store's keys, and its headers stayed English in Chinese."""
    at = _store(_upload("named.csv", ff.natural(ff.rows(120, seed=4))), "named")
    table = next(d.value for d in at.dataframe if "Fields" in d.value.columns)
    fields = table[table["Dataset"] == "named"]["Fields"].iloc[0]
    assert "Likelihood to recommend" in fields and "Respondent id" in fields
    assert "nps_score" not in fields and "respondent_id" not in fields
    assert "," not in fields.replace(", ", "")  # words joined as a list, not keys


def test_the_brand_answer_table_says_its_readings_in_the_language() -> None:
    """In Russian the brand's answer table read "(as written)" in English; it says
    "(как написано)", and left as shown it still reads the answers as written."""
    from cx.core import i18n

    lines = ["Interview ID,Brand,Recommend (0-10),Country"]
    names = ["Toyota", "VW"]
    lines += [f"r{i},{names[i % 2]},{i % 11},Germany" for i in range(60)]
    at = open_app("pages/upload.py", lang="ru")
    at.file_uploader[0].upload("brands.csv", ("\n".join(lines) + "\n").encode(), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    editor = next(d.value for d in at.get("data_editor") if "VW" in list(d.value.iloc[:, 0]))
    shown = list(editor.iloc[:, 2])
    with i18n.use("ru"):
        written = i18n._(categories.AS_WRITTEN)
    assert (
        written != categories.AS_WRITTEN and written in shown and categories.AS_WRITTEN not in shown
    )


def test_a_file_that_cannot_be_read_keeps_the_file_being_mapped() -> None:
    """A review: with a file mapped, checked and named, an empty file dropped into the
    uploader (still on screen) said "empty.csv is empty" and threw away the file in progress,
    its checks and the name typed for it. The new file replaces it only once it reads."""
    at = _upload("field export.csv", ff.natural(ff.rows(60)))
    name = next(t.key for t in at.text_input if t.label == "Dataset name")
    at.text_input(key=name).set_value("typed-by-hand").run()
    at.file_uploader[0].upload("empty.csv", b"", "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [unescaped(e.value) for e in at.error]
    assert any(e.startswith("empty.csv was not taken:") for e in errors), errors
    assert at.text_input(key=name).value == "typed-by-hand"
    assert any(t.label == "Label" and t.value == "field export.csv" for t in at.text_input)
    assert any("**60** data rows" in m.value for m in at.markdown)
    # a file that reads replaces it
    at.file_uploader[0].upload("second.csv", ff.natural(ff.rows(40)), "text/csv")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(t.label == "Dataset name" and t.value != "typed-by-hand" for t in at.text_input)
