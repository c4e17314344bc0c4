"""Upload: bring a survey export, confirm the detected mapping, read the report, then store."""

import re

import polars as pl
import streamlit as st

from components import auth, cards, data, session, state, uploads
from cx.core.display import plain
from cx.core.schema import DEMO_DATASET
from cx.exports.safety import safe_csv
from cx.ingest.mapping import detect_comments, detect_mapping
from cx.ingest.model import CANONICAL, MAX_COLUMNS, MAX_FILE_MB, MAX_ROWS, REQUIRED, IngestError

NOT_MAPPED = "— not in this file —"

ctx = state.context()
cards.header(
    "Upload survey data",
    "Bring an export from Qualtrics, SurveyMonkey or Excel (CSV/TSV, .xlsx, Parquet). cxbench "
    "detects the columns, shows what it will store and why any row is rejected; nothing is "
    "stored until you confirm.",
)
if session.take("up_go", False):  # "Open the dashboard on it" was clicked
    st.switch_page("pages/overview.py")

if auth.read_only():
    st.info(
        "This server serves its data read-only (CX_READ_ONLY=1): uploads are turned off.",
        icon=":material/lock:",
    )
    st.stop()
if not auth.can_upload():
    st.warning(
        "Uploading and deleting datasets is for analysts; you are signed in as a viewer.",
        icon=":material/lock:",
    )
    st.stop()

st.caption(
    f"Up to {MAX_FILE_MB} MB, {MAX_ROWS:,} rows and {MAX_COLUMNS:,} "
    "columns. Encodings: UTF-8 (with or without BOM), UTF-16, "
    "Windows-1252. Delimiters: comma, semicolon, tab. Scores: 0-10 likelihood to recommend; "
    "satisfaction on 1-5, 1-7, 1-10 or 0-10 scales or as labels ('Very satisfied'), stored on "
    "1-5 keeping the top-two and bottom-two boxes."
)
uploaded = st.file_uploader(
    "Survey export", type=["csv", "tsv", "txt", "xlsx", "parquet"], key="up_file"
)


def existing_uploads() -> None:
    """The uploaded datasets, with delete."""
    datasets = data.datasets()
    uploads = datasets.filter(pl.col("kind") == "upload")
    st.subheader("Uploaded datasets", anchor=False)
    if uploads.is_empty():
        st.caption("None yet. The embedded demo dataset cannot be deleted.")
        return
    cards.table(uploads.select("dataset", "label", "rows", "created_at", "fields", "source_file"))
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    with c1:
        target = st.selectbox("Dataset to delete", uploads["dataset"].to_list(), key="up_del")
    with c2:
        sure = st.checkbox("Yes, delete it and its kept file", key="up_del_sure")
    with c3:
        st.button(
            "Delete",
            disabled=not sure,
            key="up_del_go",
            width="stretch",
            on_click=_delete,
            args=(target,),
        )
    error = session.take("up_del_error")
    if error:
        st.error(plain(error, 400), icon=":material/error:")


def _delete(target: str) -> None:
    """Delete in a callback, so the sidebar's dataset can be reset before it is drawn."""
    try:
        uploads.delete_dataset(target)
    except IngestError as exc:
        session.set_value("up_del_error", str(exc))
        return
    session.set_value("up_del_sure", False)
    if session.value(session.DATASET) == target:
        session.set_value(session.DATASET, DEMO_DATASET)
    st.toast(f"Deleted {plain(target)}", icon=":material/delete:")


if uploaded is None:
    existing_uploads()
    st.stop()

content = uploaded.getvalue()
try:
    with st.spinner(f"Reading {plain(uploaded.name, 80)}…"):
        raw = uploads.read_upload(content, uploaded.name)
except IngestError as exc:
    st.error(plain(str(exc), 400), icon=":material/error:")
    existing_uploads()
    st.stop()

facts = [
    f"**{raw.rows:,}** data rows",
    {"qualtrics": "Qualtrics export", "surveymonkey": "SurveyMonkey export"}.get(
        raw.layout, "one header row"
    ),
    raw.format.upper(),
]
if raw.encoding:
    facts.append(f"encoding {raw.encoding}")
if raw.delimiter:
    facts.append({"\t": "tab", ",": "comma", ";": "semicolon"}[raw.delimiter] + "-separated")
st.markdown(" · ".join(facts))

# ---- mapping -------------------------------------------------------------------------------
detected = detect_mapping(raw)
key = raw.sha256[:10]
st.subheader("Columns", anchor=False)
st.caption(
    "Detected from header names, question wording and answers. Correct any that are wrong; "
    "fields left out show as 'not in this dataset' on the pages."
)
choices = [NOT_MAPPED, *raw.frame.columns]


def describe(col: str) -> str:
    """A column as the select box shows it: its id and the part of its question that tells
    it apart (a matrix question's row label, e.g. "Q5_6 · Use"); the table below the boxes
    shows every question in full."""
    if col == NOT_MAPPED:
        return col
    question = raw.questions.get(col, col)
    if question == col:
        return col
    short = question.rsplit(" - ", 1)[1] if " - " in question else question
    return f"{col} · {short}"


mapping: dict[str, str] = {}
cols = st.columns(3)
for i, (canonical, label) in enumerate(CANONICAL.items()):
    default = detected.get(canonical, NOT_MAPPED)
    with cols[i % 3]:
        chosen = st.selectbox(
            label + (" (required)" if canonical in REQUIRED else ""),
            choices,
            index=choices.index(default),
            format_func=describe,
            key=f"map_{key}_{canonical}",
        )
    if chosen != NOT_MAPPED:
        mapping[canonical] = chosen
open_text = [c for c in raw.frame.columns if c not in mapping.values()]
comments = st.multiselect(
    "Open answers (stored as comments)",
    open_text,
    default=[c for c in detect_comments(raw, mapping) if c in open_text],
    format_func=describe,
    key=f"map_{key}_comments",
    help="Free-text answers ('anything else you would like to tell us?'). Personal data "
    "(e-mail addresses, phone numbers, card and ID numbers) is masked before anything is "
    "stored or shown; the original file is the only place raw text remains.",
)
cards.table(
    pl.DataFrame(
        {
            "Field": [CANONICAL[c] for c in mapping],
            "Column": list(mapping.values()),
            "Question (full text)": [raw.questions.get(v, v) for v in mapping.values()],
            "Example answer": [
                next((x for x in raw.frame[v].head(50).to_list() if x and x.strip()), "")[:80]
                for v in mapping.values()
            ],
        }
    ),
    column_config={"Question (full text)": st.column_config.TextColumn(width="large")},
    key="up_mapping_table",
)
unmapped = [c for c in raw.frame.columns if c not in mapping.values() and c not in comments]
if unmapped:
    st.caption(
        "Not used: "
        + ", ".join(plain(f"{c} · {raw.questions.get(c, c)}", 90) for c in unmapped[:12])
        + (" …" if len(unmapped) > 12 else "")
    )
used = list(mapping.values())
doubles = sorted({c for c in used if used.count(c) > 1})
if doubles:
    st.error(
        "Each source column can feed one field only: " + ", ".join(plain(d) for d in doubles),
        icon=":material/error:",
    )
    st.stop()

# ---- validation ----------------------------------------------------------------------------
name_default = re.sub(r"[^a-z0-9_-]+", "-", uploaded.name.rsplit(".", 1)[0].lower()).strip("-_")
name_default = (name_default or "upload")[:40]
try:
    with st.spinner("Validating every row…"):
        result = uploads.validate_upload(raw, mapping, comments)
except IngestError as exc:
    st.error(plain(str(exc), 400), icon=":material/error:")
    st.stop()
report = result.report
st.subheader("Validation report", anchor=False)
m1, m2, m3 = st.columns(3)
m1.metric("Rows read", f"{report['rows_read']:,}", border=True)
m2.metric("Rows accepted", f"{report['rows_accepted']:,}", border=True)
m3.metric("Rows rejected", f"{report['rows_rejected']:,}", border=True)
if report["scales"]:
    st.caption(
        "Satisfaction scales found: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in report["scales"].items())
    )
if result.rejected.height:
    left, right = st.columns([3, 1], vertical_alignment="center")
    with left:
        cards.table(pl.DataFrame(report["reasons"]))
    with right:
        st.download_button(
            "Rejected rows (CSV)",
            data=lambda: safe_csv(result.rejected),  # built on click
            file_name=f"rejected-{name_default}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="up_rejected",
            width="stretch",
        )
    with st.expander(f"Rejected rows ({result.rejected.height:,})", icon=":material/block:"):
        cards.table(result.rejected.head(200))
if result.comments.height:
    st.caption(
        f"{result.comments.height:,} comments from {len(comments)} open-answer column(s), "
        "personal data masked; empty answers are not comments."
    )
    with st.expander("Preview of the comments to store (masked)", icon=":material/forum:"):
        cards.table(result.comments.head(50))
with st.expander("Preview of the rows to store", icon=":material/table_view:"):
    shown = [
        c
        for c in result.accepted.columns
        if result.accepted[c].null_count() < result.accepted.height
    ]
    cards.table(result.accepted.select(shown).head(50))

# ---- store ---------------------------------------------------------------------------------
st.subheader("Store", anchor=False)
n1, n2 = st.columns(2)
with n1:
    dataset = st.text_input(
        "Dataset name",
        value=name_default,
        max_chars=40,
        key=f"up_name_{key}",
        help="Lowercase letters, digits, - and _; it appears in links.",
    )
with n2:
    label = st.text_input("Label", value=uploaded.name, max_chars=120, key=f"up_label_{key}")
exists = dataset in data.datasets()["dataset"].to_list()
replace = False
if exists:
    replace = st.checkbox(
        f"Replace the existing dataset '{plain(dataset)}'", key=f"up_replace_{key}"
    )
if st.button(
    "Store dataset",
    type="primary",
    disabled=result.accepted.height == 0 or (exists and not replace),
    key="up_store",
    icon=":material/database_upload:",
):
    try:
        with st.status("Storing…", expanded=False) as status:
            outcome = uploads.store_upload(result, dataset, label, content, uploaded.name, replace)
            status.update(label="Stored", state="complete")
    except IngestError as exc:
        st.error(plain(str(exc), 400), icon=":material/error:")
    else:
        if outcome == "unchanged":
            st.info(
                f"'{plain(dataset)}' already holds this file with this mapping: nothing changed.",
                icon=":material/check:",
            )
        else:
            st.success(
                f"{outcome.capitalize()} '{plain(dataset)}': {result.accepted.height:,} rows.",
                icon=":material/check_circle:",
            )
        session.set_value("up_stored", dataset)


def _choose_stored() -> None:
    """Select the stored dataset in the sidebar (callbacks run before the widget exists)."""
    session.set_value(session.DATASET, session.take("up_stored"))
    session.set_value("up_go", True)


stored = session.value("up_stored")
if stored and stored in data.datasets()["dataset"].to_list():
    st.button(
        "Open the dashboard on it",
        key="up_open",
        icon=":material/dashboard:",
        on_click=_choose_stored,
    )

existing_uploads()
