"""An upload's heavy steps, in a process of their own for large files, on files in a folder.

A 1,000,000-row file read into Polars, validated and analysed takes over a gigabyte; done in
the server's process, that memory stays with the server after the upload. So the steps work
on a *job folder* (the original file, the cells as Parquet, the validated rows, the comments)
and pass only small results (the columns' profiles, the report) back: :func:`call` runs them
in this process for small files and in a child process (``python -m cx.ingest.job STEP``)
above :data:`CHILD_BYTES`, whose memory is the operating system's again when it exits. The
server then stores the validated rows with DuckDB reading the Parquet files
(:func:`cx.ingest.store.store_prepared`), never holding them in Python.

Steps: :func:`inspect` (read, detect, profile each column), :func:`validate` (normalise with
the person's mapping and choices; write the rows, the problem rows and the comments) and
:func:`finish` (name the rows' dataset, analyse the comments, find candidate topics).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from cx.core import i18n
from cx.core.i18n import N_, _
from cx.ingest import dates
from cx.ingest.mapping import detect, detect_comments
from cx.ingest.model import Choices, IngestError, RawSurvey
from cx.ingest.normalise import normalise, problem_rows
from cx.ingest.read import read_survey
from cx.ingest.values import cleaned

#: Files above this size are read, validated and analysed in a child process.
CHILD_BYTES = 4 * 1024 * 1024
#: A child step is stopped after this long.
STEP_SECONDS = 900
#: Job folders are made here (a temporary folder) and tidied after this long unused.
PREFIX = "cx-upload-"
STALE_SECONDS = 24 * 3600
#: The most the job folders of uploads not stored may hold together, and how many there may be:
#: every visitor's abandoned or refused file stayed for a day, with no limit (230 folders,
#: 1.4 GB on a test server). Beyond either, the oldest go first.
MAX_PENDING_BYTES = 2 * 1024**3
MAX_PENDING_JOBS = 40
ORIGINAL = "original"
#: How many example answers and top values of a column the mapping step shows.
SAMPLES = 3
TOP_VALUES = 60
#: Columns with more distinct answers than this get no list of values (ids, free text).
MAX_DISTINCT_LISTED = 300


@dataclasses.dataclass
class Column:
    """One column of a file as the mapping step shows it.

    Attributes:
        name: the column's name; question: its question text (the name for plain files).
        samples: the first distinct answers; distinct: how many distinct answers;
        answered: how many non-blank cells.
        values: the most frequent answers with counts (columns of few distinct answers).
        dates: how its dates are written, when it holds dates (:class:`cx.ingest.dates.DateFormat`).
        ambiguous_dates: no answer settles day-first against month-first.
    """

    name: str
    question: str
    samples: list[str]
    distinct: int
    answered: int
    values: list[tuple[str, int]]
    dates: str | None = None
    ambiguous_dates: bool = False


@dataclasses.dataclass
class Inspection:
    """What reading a file found: the file's facts, its columns and the detected mapping.

    Attributes:
        folder: the job folder.
        filename, rows, layout, format, encoding, delimiter, sha256: the file's facts.
        fingerprint: of its header (layout, column names, questions): saved mappings are
            found by it.
        columns: every column, profiled.
        mapping: detected canonical field -> column; notes: why a column feeds none.
        comments: columns detected as open answers.
    """

    folder: str
    filename: str
    rows: int
    layout: str
    format: str
    encoding: str | None
    delimiter: str | None
    sha256: str
    fingerprint: str
    columns: list[Column]
    mapping: dict[str, str]
    notes: dict[str, str]
    comments: list[str]
    title_rows: int = 0

    @classmethod
    def of(cls, data: dict[str, Any]) -> Inspection:
        """From its JSON form."""
        columns = [
            Column(**{**c, "values": [tuple(v) for v in c["values"]]}) for c in data["columns"]
        ]
        return cls(**{**data, "columns": columns})


def header_fingerprint(raw: RawSurvey) -> str:
    """The fingerprint of a file's layout: its header rows, not its answers."""
    parts = [
        raw.layout,
        *raw.frame.columns,
        "\x1e",
        *(raw.questions.get(c, c) for c in raw.frame.columns),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# The job folder
# --------------------------------------------------------------------------------------------


def new_folder(data: bytes | memoryview, filename: str) -> Path:
    """A new job folder holding the uploaded file (stale folders of earlier uploads go)."""
    tidy()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / ORIGINAL).write_bytes(data)
    (folder / "name").write_text(Path(filename or "upload").name)
    return folder


def from_path(path: Path) -> Path:
    """A job folder for a file on disk (the command line): the file is linked, not read."""
    tidy()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        os.link(path, folder / ORIGINAL)
    except OSError:
        shutil.copyfile(path, folder / ORIGINAL)
    (folder / "name").write_text(path.name)
    return folder


def remove(folder: Path | str | None) -> None:
    """Remove a job folder (nothing if it is gone)."""
    if folder and Path(folder).name.startswith(PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def tidy() -> None:
    """Remove job folders unused for :data:`STALE_SECONDS` (a session that never stored), and
    the oldest beyond :data:`MAX_PENDING_JOBS` folders or :data:`MAX_PENDING_BYTES` (a session
    whose folder went is told to upload its file again: :func:`call`)."""
    root = Path(tempfile.gettempdir())
    now = time.time()
    kept: list[tuple[float, int, Path]] = []
    for folder in root.glob(f"{PREFIX}*"):
        with contextlib.suppress(OSError):
            if not folder.is_dir():
                continue
            used = folder.stat().st_mtime
            if now - used > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
            else:
                size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
                kept.append((used, size, folder))
    kept.sort(reverse=True)  # newest first: the oldest are over the budget
    total = 0
    for count, (_used, size, folder) in enumerate(kept, start=1):
        total += size
        if count > MAX_PENDING_JOBS or total > MAX_PENDING_BYTES:
            shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# The steps (run here or in a child)
# --------------------------------------------------------------------------------------------


def _profile(raw: RawSurvey) -> list[Column]:
    out = []
    for name in raw.frame.columns:
        series = cleaned(raw.frame[name])  # the answers as the store will read them
        answered = series.filter(series != "")
        counts = answered.value_counts(sort=True, name="n")
        distinct = counts.height
        listed = distinct <= MAX_DISTINCT_LISTED
        fmt = dates.decide(answered.head(5000)) if answered.len() else None
        out.append(
            Column(
                name=name,
                question=raw.questions.get(name, name),
                samples=[str(v)[:80] for v in answered.unique(maintain_order=True).head(SAMPLES)],
                distinct=distinct,
                answered=answered.len(),
                values=[(str(v), int(n)) for v, n in counts.head(TOP_VALUES).iter_rows()]
                if listed
                else [],
                dates=fmt.describe() if fmt else None,
                ambiguous_dates=bool(fmt and fmt.order is None),
            )
        )
    return out


def inspect(folder: Path, encoding: str | None = None) -> Inspection:
    """Read the job's file, detect its mapping and profile its columns; keep the cells."""
    data = (folder / ORIGINAL).read_bytes()
    raw = read_survey(data, (folder / "name").read_text(), encoding)
    del data
    raw.frame.write_parquet(folder / "raw.parquet")
    meta = {f.name: getattr(raw, f.name) for f in dataclasses.fields(raw) if f.name != "frame"}
    meta["row_problems"] = {str(k): v for k, v in raw.row_problems.items()}
    (folder / "raw.json").write_text(json.dumps(meta, ensure_ascii=False))
    found = detect(raw)
    return Inspection(
        folder=str(folder),
        filename=raw.filename,
        rows=raw.rows,
        layout=raw.layout,
        format=raw.format,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sha256=raw.sha256,
        fingerprint=header_fingerprint(raw),
        columns=_profile(raw),
        mapping=found.mapping,
        notes=found.notes,
        comments=detect_comments(raw, found.mapping),
        title_rows=raw.title_rows,
    )


def load_raw(folder: Path) -> RawSurvey:
    """The cells of an inspected job, as read."""
    meta = json.loads((folder / "raw.json").read_text())
    meta["row_problems"] = {int(k): v for k, v in meta["row_problems"].items()}
    return RawSurvey(frame=pl.read_parquet(folder / "raw.parquet"), **meta)


def validate(
    folder: Path, mapping: dict[str, str], comments: list[str], choices: Choices
) -> dict[str, Any]:
    """Normalise the job's cells; write the accepted rows, the problem rows (rejected or kept
    with a field left empty) and the comments; return the report."""
    raw = load_raw(folder)
    result = normalise(raw, mapping, "upload", comments, choices)
    del raw
    result.accepted.write_parquet(folder / "accepted.parquet")
    problem_rows(result).write_parquet(folder / "problems.parquet")
    result.comments.write_parquet(folder / "comments.parquet")
    return result.report


def finish(folder: Path, dataset: str) -> dict[str, int]:
    """Ready a validated job to store as ``dataset``: the rows named, the comments analysed
    (language, terms, topics) and their candidate topics found."""
    from cx.text import discover, pipeline

    rows = pl.scan_parquet(folder / "accepted.parquet").with_columns(
        pl.lit(dataset).alias("dataset")
    )
    rows.sink_parquet(folder / "rows.parquet")
    comments = pl.read_parquet(folder / "comments.parquet")
    if comments.height:
        analysed = pipeline.analyse(comments)
        analysed.write_parquet(folder / "analysed.parquet")
        found = discover.candidates(analysed)
        if found.height:
            found.write_parquet(folder / "candidates.parquet")
    return {"comments": comments.height}


STEPS: dict[str, Callable[..., Any]] = {"inspect": inspect, "validate": validate, "finish": finish}
#: The steps as an error names them ("the upload could not validate").
STEP_WORDS = {"inspect": N_("inspect"), "validate": N_("validate"), "finish": N_("finish")}


# --------------------------------------------------------------------------------------------
# Running a step: here, or in a child process for a large file
# --------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def call(step: str, folder: Path, **args: Any) -> Any:
    """Run ``step`` on a job folder: in this process for a small file, else in a child.

    Raises:
        IngestError: the step's own one-line error, or the child's failure in one line.
    """
    if not (folder / ORIGINAL).exists():  # cleared while the person mapped it (tidy)
        raise IngestError(_("the uploaded file is no longer on the server: upload it again"))
    with contextlib.suppress(OSError):
        os.utime(folder)  # in use: the last folders :func:`tidy` clears
    big = (folder / ORIGINAL).stat().st_size > CHILD_BYTES
    if not big:
        return STEPS[step](folder, **args)
    payload = json.dumps(
        {
            "folder": str(folder),
            "language": i18n.language(),  # the child words its notes and errors in it too
            **{k: _encode(v) for k, v in args.items()},
        }
    )
    out = folder / f"{step}.json"
    out.unlink(missing_ok=True)
    try:
        proc = subprocess.run(  # noqa: S603 (our own module, fixed arguments, no shell)
            [sys.executable or "python3", "-m", "cx.ingest.job", step],
            input=payload.encode(),
            capture_output=True,
            timeout=STEP_SECONDS,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(
            _("the upload took longer than {seconds} s to {step}").format(
                seconds=STEP_SECONDS, step=_(STEP_WORDS[step])
            )
        ) from exc
    if proc.returncode != 0 or not out.exists():
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(
            _("the upload could not {step}: {error}").format(
                step=_(STEP_WORDS[step]), error=lines[-1] if lines else proc.returncode
            )
        )
    answer = json.loads(out.read_text())
    if "error" in answer:
        raise IngestError(answer["error"])
    value = answer["value"]
    return Inspection.of(value) if step == "inspect" else value


def main(argv: list[str]) -> int:
    """The child: run one step on the folder its stdin names; the answer (or the one-line
    error) goes to ``<folder>/<step>.json``."""
    step = argv[0]
    args = json.loads(sys.stdin.read())
    folder = Path(args.pop("folder"))
    i18n.activate(args.pop("language", None))
    if "choices" in args:
        args["choices"] = Choices(**args["choices"])
    try:
        value = _encode(STEPS[step](folder, **args))
        answer: dict[str, Any] = {"value": value}
    except IngestError as exc:
        answer = {"error": str(exc)}
    (folder / f"{step}.json").write_text(json.dumps(answer, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
