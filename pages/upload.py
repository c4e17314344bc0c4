"""Upload: bring a survey export, check how every column is taken, read the report, store."""

import re

import polars as pl
import streamlit as st

from components import auth, cards, data, mapping_step, session, state, uploads
from cx.core import i18n
from cx.core.display import plain
from cx.core.i18n import N_, _, ngettext
from cx.core.schema import DEMO_DATASET
from cx.ingest.model import (
    CANONICAL,
    MAX_COLUMNS,
    MAX_FILE_MB,
    MAX_ROWS,
    Choices,
    IngestError,
    field_label,
    join_list,
)
from cx.ingest.read import ENCODINGS
from cx.ingest.store import check_dataset_name

DETECTED = uploads.DETECTED
#: The uploaded datasets' table: the catalogue's columns and their headers.
CATALOGUE_COLUMNS = {"dataset": N_("Dataset"), "label": N_("Label"), "rows": N_("Rows"),
                     "created_at": N_("Created"), "fields": N_("Fields"),
                     "source_file": N_("Source file")}  # fmt: skip


#: Columns of the previews that are not canonical fields (those are named by their labels).
PREVIEW_COLUMNS = {"row": N_("Row"), "outcome": N_("Outcome"), "reason": N_("Reason"),
                   "text": N_("Comment"), "question": N_("Question"),
                   "question_text": N_("Question")}  # fmt: skip


def heads(columns: list[str]) -> dict[str, str] | None:
    """The previews' column headings in the current language (English: the columns' names,
    as the tables always showed them; a file's own columns keep their names)."""
    if i18n.language() == i18n.DEFAULT:
        return None
    known = {c: _(PREVIEW_COLUMNS[c]) for c in columns if c in PREVIEW_COLUMNS}
    return known | {c: field_label(c) for c in columns if c in CANONICAL}


def field_list(stored: str | None) -> str:
    """A dataset's fields as the catalogue stores them (comma-separated keys), in words."""
    keys = [k.strip() for k in (stored or "").split(",") if k.strip()]
    return join_list(_("comments") if k == "comments" else field_label(k) for k in keys)


def scale_item(item: str) -> str:
    """A satisfaction item as the report's scales line names it."""
    return item.replace("_", " ") if i18n.language() == i18n.DEFAULT else field_label(item)


state.context()
cards.header(
    _("Upload survey data"),
    _(
        "Bring an export from Qualtrics, SurveyMonkey, Excel or a field agency (CSV/TSV, .xlsx, "
        "Parquet). cxbench shows how it takes every column, what it stores and why any row is "
        "rejected or a field left empty; nothing is stored until you confirm."
    ),
)
if session.take("up_go", False):  # "Open the dashboard on it" was clicked
    st.switch_page("pages/overview.py")

if auth.read_only():
    st.info(
        _("This server serves its data read-only (CX_READ_ONLY=1): uploads are turned off."),
        icon=":material/lock:",
    )
    st.stop()
if not auth.can_upload():
    st.warning(
        _("Uploading and deleting datasets is for analysts; you are signed in as a viewer."),
        icon=":material/lock:",
    )
    st.stop()

st.caption(
    _(
        "Up to {mb} MB, {rows} rows and {columns} columns. Encodings: UTF-8, UTF-16, "
        "Windows-1252, and the Chinese, Russian and Japanese ones (detected; choose one if "
        "asked). Scores: 0-10 likelihood to recommend; satisfaction on 1-5, 1-7, 1-10 or 0-10 "
        "scales or as labels, stored on 1-5 keeping the top-two and bottom-two boxes."
    ).format(mb=MAX_FILE_MB, rows=i18n.number(MAX_ROWS), columns=i18n.number(MAX_COLUMNS))
)


def stored_message(outcome: str, dataset: str, rows: int) -> str:
    """What the page says once a dataset is stored or replaced."""
    n = i18n.number(rows)
    if outcome == "replaced":
        text = ngettext(
            "Replaced '{dataset}': {rows} rows.", "Replaced '{dataset}': {rows} rows.", rows
        )
    else:
        text = ngettext(
            "Stored '{dataset}': {rows} rows.", "Stored '{dataset}': {rows} rows.", rows
        )
    return text.format(dataset=dataset, rows=n)


def existing_uploads() -> None:
    """The uploaded datasets, with delete."""
    datasets = data.datasets()
    uploads_ = datasets.filter(pl.col("kind") == "upload")
    st.subheader(_("Uploaded datasets"), anchor=False)
    if uploads_.is_empty():
        st.caption(_("None yet. The embedded demo dataset cannot be deleted."))
        return
    # human headers and fields in the language (the fields were "respondent_id,nps_score,…")
    shown = uploads_.select(*CATALOGUE_COLUMNS).with_columns(
        fields=pl.Series([field_list(f) for f in uploads_["fields"].to_list()], dtype=pl.String)
    )
    cards.table(shown.rename({k: _(v) for k, v in CATALOGUE_COLUMNS.items()}))
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    with c1:
        names = dict(zip(uploads_["dataset"], uploads_["label"], strict=True))
        target = st.selectbox(
            _("Dataset to delete"),
            uploads_["dataset"].to_list(),
            key="up_del",
            format_func=lambda d: f"{names.get(d) or d} ({d})",
        )
    with c2:
        sure = st.checkbox(_("Yes, delete it and its kept file"), key="up_del_sure")
    with c3:
        st.button(_("Delete"), disabled=not sure, key="up_del_go", width="stretch",
                  on_click=_delete, args=(target,))  # fmt: skip
    error = session.take("up_del_error")
    if error:
        st.error(plain(error, 400), icon=":material/error:")


def _delete(target: str) -> None:
    """Delete in a callback, so the sidebar's dataset can be reset before it is drawn."""
    i18n.activate(session.language())  # a callback runs before the page sets the language
    try:
        uploads.delete_dataset(target)
    except IngestError as exc:
        session.set_value("up_del_error", str(exc))
        return
    session.set_value("up_del_sure", False)
    if session.value(session.DATASET) == target:
        session.set_value(session.DATASET, DEMO_DATASET)
    st.toast(_("Deleted {dataset}").format(dataset=plain(target)), icon=":material/delete:")


def _choose_stored() -> None:
    """Select the stored dataset in the sidebar (callbacks run before the widget exists)."""
    session.keep_sidebar()  # the level, minimum n and filters as they are
    session.set_value(session.DATASET, session.take("up_stored"))
    session.set_value("up_go", True)


message = session.take("up_message")  # our words, with the dataset name escaped
if message:
    st.success(message, icon=":material/check_circle:")
stored = session.value("up_stored")
if stored and stored in data.datasets()["dataset"].to_list():
    st.button(_("Open the dashboard on it"), key="up_open", icon=":material/dashboard:",
              on_click=_choose_stored)  # fmt: skip

uploaded = cards.file_uploader(
    _("Survey export"),
    ("csv", "tsv", "txt", "xlsx", "parquet"),
    MAX_FILE_MB,
    key=uploads.uploader_key(),
)
if uploaded is not None:  # taken into a job folder; the uploader lets go of its bytes
    session.set_value("up_refused", uploads.receive(uploaded))
    st.rerun()
refused = session.take("up_refused")  # a file not taken: the one in progress is kept
if refused:
    st.error(plain(refused, 400), icon=":material/error:")
    st.caption(
        _(
            "The file you were mapping is kept below. To take the new file instead (and choose "
            "its encoding, if that was the trouble), use “Start again with another file” and "
            "upload it again."
        )
    )
filename = uploads.active()
uploads.give_back_released()  # what the last run let go of (the uploader's copy of the file)
if filename is None:
    existing_uploads()
    st.stop()

top_left, top_right = st.columns([3, 1], vertical_alignment="bottom")
encoding = session.value(uploads.ENCODING, DETECTED)
with top_right:
    st.button(_("Start again with another file"), key="up_again", icon=":material/restart_alt:",
              on_click=uploads.forget, width="stretch")  # fmt: skip
inspection = None
try:
    with st.spinner(_("Reading {file}…").format(file=plain(filename, 80))):
        inspection = uploads.inspect_upload(None if encoding == DETECTED else encoding)
except IngestError as exc:
    st.error(plain(str(exc), 400), icon=":material/error:")
if not filename.lower().endswith((".xlsx", ".parquet")):
    with top_left:
        encodings = [DETECTED, "utf-8", *ENCODINGS]
        st.selectbox(
            _("Text encoding"),
            encodings,
            format_func=session.in_language(
                lambda e: _("Detected") if e == DETECTED else _(ENCODINGS.get(e, "UTF-8"))
            ),
            key=uploads.ENCODING,
            help=_(
                "Detected from the file; choose one if names below look garbled or the file "
                "was refused."
            ),
        )
if inspection is None:
    existing_uploads()
    st.stop()

layout = {"qualtrics": _("Qualtrics export"), "surveymonkey": _("SurveyMonkey export")}
facts = [ngettext("**{n}** data rows", "**{n}** data rows", inspection.rows).format(
             n=i18n.number(inspection.rows)),
         layout.get(inspection.layout, _("one header row")), inspection.format.upper()]  # fmt: skip
if inspection.title_rows:
    facts.append(
        ngettext(
            "{n} title row above the header skipped",
            "{n} title rows above the header skipped",
            inspection.title_rows,
        ).format(n=inspection.title_rows)
    )
if inspection.encoding:
    facts.append(_("encoding {encoding}").format(encoding=inspection.encoding))
if inspection.delimiter:
    separated = {"\t": _("tab-separated"), ",": _("comma-separated"), ";": _("semicolon-separated")}
    facts.append(separated[inspection.delimiter])
st.markdown(" · ".join(facts))

# ---- the mapping step ----------------------------------------------------------------------
key = inspection.fingerprint[:10] + inspection.sha256[:6]
remembered = uploads.saved_mapping(inspection)
base_mapping = remembered.mapping if remembered else inspection.mapping
base_comments = remembered.comments if remembered else inspection.comments
base = remembered.choices if remembered else Choices()
st.subheader(_("Columns"), anchor=False)
st.caption(
    _("Mapped as you saved it for this layout on {date} (change anything below).").format(
        date=remembered.saved_at
    )
    if remembered
    else _(
        "Detected from column names, question wording and answers. Change any that are "
        "wrong; what you store is saved, so the next file of this layout maps itself."
    )
)
mapping, comments, doubles = mapping_step.columns_step(
    inspection, base_mapping, base_comments, inspection.notes, key
)
mapping_step.not_used(inspection, mapping, comments)
mapping_step.warnings_step(inspection, mapping)
if doubles:
    st.error(_("Each field takes one column: {fields} is given twice.").format(
                 fields=join_list(plain(d) for d in doubles)), icon=":material/error:")  # fmt: skip
    st.stop()
missing = mapping_step.required_missing(mapping)
if missing:
    st.error(
        _("Choose the column of: {fields}.").format(fields=join_list(plain(m) for m in missing)),
        icon=":material/error:",
    )
    existing_uploads()
    st.stop()

values = mapping_step.answer_values_step(inspection, mapping, base.values, key)
period, order, dates_ready = mapping_step.waves_step(inspection, mapping, base, key)
known = data.run("industry_names", {})["industry"].to_list()
industry = mapping_step.industry_step(mapping, base, known, key)
choices = Choices(values=values, comments=comments, period=period, date_order=order,
                  industry=industry or (base.industry if "industry" not in mapping else None))  # fmt: skip
if not dates_ready:
    st.info(_("Say how the dates are written to see the report."), icon=":material/event:")
    st.stop()

# ---- validation ----------------------------------------------------------------------------
try:
    with st.spinner(_("Validating every row…")):
        report = uploads.validate_upload(inspection, mapping, comments, choices)
except IngestError as exc:
    st.error(plain(str(exc), 400), icon=":material/error:")
    st.stop()
name_default = re.sub(r"[^a-z0-9_-]+", "-", filename.rsplit(".", 1)[0].lower()).strip("-_")
name_default = (name_default or "upload")[:40]
st.subheader(_("Validation report"), anchor=False)
m1, m2, m3, m4 = st.columns(4)
m1.metric(_("Rows read"), i18n.number(report["rows_read"]), border=True)
m2.metric(_("Rows accepted"), i18n.number(report["rows_accepted"]), border=True)
m3.metric(_("Rows rejected"), i18n.number(report["rows_rejected"]), border=True)
m4.metric(_("Kept, a field left empty"), i18n.number(report["rows_with_empty_fields"]), border=True)
NOTE_LABELS = {"dates": _("Dates: {note}"), "waves": _("Waves: {note}"),
               "industry": _("Industry: {note}"), "industry_spellings": _("Industries: {note}"),
               "brand_spellings": _("Brands: {note}")}  # fmt: skip
notes = [NOTE_LABELS[k].format(note=report[k]) for k in NOTE_LABELS if report.get(k)]
found = report.get("waves_found") or []
if found:  # which waves the dates gave, not only how they were read
    notes.append(
        ngettext("{n} wave: {waves}", "{n} waves: {waves}", len(found)).format(
            n=len(found), waves=join_list(found[:12]) + (" …" if len(found) > 12 else "")
        )
    )
if report["scales"]:
    notes.append(
        _("Satisfaction scales: {scales}").format(
            scales=join_list(f"{scale_item(k)} {v}" for k, v in report["scales"].items())
        )
    )
for note in notes:
    st.caption(plain(note, 1000))
for line in report.get("unread_warnings", []):
    st.warning(plain(line, 1000), icon=":material/warning:")
reasons = [
    *({"Outcome": _("rejected"), **r} for r in report["reasons"]),
    *({"Outcome": _("kept, field left empty"), **r} for r in report["emptied"]),
]
if reasons:
    cards.table(
        pl.DataFrame(reasons).rename(
            {"Outcome": _("Outcome"), "reason": _("Reason"), "rows": _("Rows")}
        ),
        key="up_reasons",
    )
    st.download_button(
        _("Download the rows rejected or with a field left empty (CSV)"),
        data=session.in_language(lambda: uploads.problems_csv(inspection)),  # on click
        file_name=f"problems-{name_default}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="up_rejected",
    )
    with st.expander(
        _("Rows rejected or with a field left empty (first 200)"), icon=":material/block:"
    ):
        problems = uploads.preview(inspection, "problems", 200)
        cards.table(problems, column_config=heads(problems.columns))
if report["comments"]:
    st.caption(
        ngettext(
            "{comments} comments from {n} open-answer column(s), personal data masked; empty "
            "answers and non-answers ('nothing', 'n/a', 'keine Angabe', '无', 'нет') are not "
            "comments.",
            "{comments} comments from {n} open-answer column(s), personal data masked; empty "
            "answers and non-answers ('nothing', 'n/a', 'keine Angabe', '无', 'нет') are not "
            "comments.",
            len(comments),
        ).format(comments=i18n.number(report["comments"]), n=len(comments))
    )
    with st.expander(_("Preview of the comments to store (masked)"), icon=":material/forum:"):
        comments_ = uploads.preview(inspection, "comments", 50)
        cards.table(comments_, column_config=heads(comments_.columns))
with st.expander(_("Preview of the rows to store"), icon=":material/table_view:"):
    rows = uploads.preview(inspection, "accepted", 50)
    shown = [c for c in rows.columns if rows[c].null_count() < rows.height and c != "dataset"]
    cards.table(rows.select(shown), column_config=heads(shown))
st.caption(
    plain(
        _("Fields: {fields}").format(fields=field_list(",".join(report["fields"]))),
        2000,
    )
)

# ---- store ---------------------------------------------------------------------------------
st.subheader(_("Store"), anchor=False)
n1, n2 = st.columns(2)
with n1:
    dataset = st.text_input(_("Dataset name"), value=name_default, max_chars=40, key=f"up_name_{key}",
                            help=_("Lowercase letters, digits, - and _; it appears in links."))  # fmt: skip
with n2:
    label = st.text_input(_("Label"), value=filename, max_chars=120, key=f"up_label_{key}")
try:  # said as the name is typed, not after Store (nothing is lost either way)
    check_dataset_name(dataset)
    bad_name = ""
except IngestError as exc:
    bad_name = str(exc)
    n1.error(plain(bad_name[:1].upper() + bad_name[1:], 400), icon=":material/error:")
exists = dataset in data.datasets()["dataset"].to_list()
replace = exists and st.checkbox(
    _("Replace the existing dataset '{dataset}'").format(dataset=plain(dataset)),
    key=f"up_replace_{key}",
)
if st.button(_("Store dataset"), type="primary", key="up_store", icon=":material/database_upload:",
             disabled=report["rows_accepted"] == 0 or (exists and not replace) or bool(bad_name)):  # fmt: skip
    failed = None
    with st.status(_("Storing…"), expanded=False) as status:
        try:
            outcome = uploads.store_upload(
                inspection, report, (mapping, comments, choices), dataset, label, replace
            )
            status.update(label=_("Stored"), state="complete")
        except IngestError as exc:  # the status says so too: "Storing…" stayed above the error
            failed = exc
            status.update(label=_("Not stored"), state="error")
    if failed is not None:
        st.error(plain(str(failed), 400), icon=":material/error:")
    else:
        session.set_value("up_stored", dataset)
        session.set_value(
            "up_message",
            _("'{dataset}' already holds this file with this mapping: nothing changed.").format(
                dataset=plain(dataset)
            )
            if outcome == "unchanged"
            else stored_message(outcome, plain(dataset), report["rows_accepted"]),
        )
        st.rerun()

existing_uploads()
