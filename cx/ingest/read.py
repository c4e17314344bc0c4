"""Step 1, reading: file bytes to text cells, detecting format, encoding, delimiter, layout.

Formats: CSV/TSV with ``,`` ``;`` or tab, UTF-8 with or without BOM, UTF-16, cp1252; Excel
``.xlsx``; Parquet. Layouts: Qualtrics (3 header rows), SurveyMonkey (2), plain (1).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from cx.core import i18n
from cx.core.i18n import N_, _
from cx.ingest import sandbox
from cx.ingest.model import (
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_FILE_MB,
    MAX_ROWS,
    IngestError,
    RawSurvey,
)

#: The bounded reader, run as a script by path (``-I``: it imports nothing of the project).
SANDBOX = str(Path(sandbox.__file__).resolve())
#: Its environment: plain malloc with few arenas and one thread for Arrow and BLAS, so that
#: the address-space limit measures memory used, not address space reserved up front.
READER_ENV = {
    "ARROW_DEFAULT_MEMORY_POOL": "system",
    "MALLOC_ARENA_MAX": "2",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def read_survey(data: bytes, filename: str, encoding: str | None = None) -> RawSurvey:
    """Read an uploaded file into text cells, detecting format, encoding, delimiter and layout.

    ``encoding`` is the person's choice for a text file (:data:`ENCODINGS`); without it the
    encoding is detected (:func:`_decode`), and a file whose encoding cannot be told is
    refused rather than stored garbled.

    Every limit of :mod:`cx.ingest.model` is checked before the cells are read: bytes; for
    text, the header's columns and lines × columns; workbooks and Parquet files are read in a
    separate bounded process (:mod:`cx.ingest.sandbox`). Then rows and columns as read.

    Raises:
        IngestError: empty, binary, corrupt, header-only or oversized files, with the reason.
    """
    name = Path(filename or "upload").name
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise IngestError(_("{file} is larger than {mb} MB").format(file=name, mb=MAX_FILE_MB))
    if not data or data.isspace():  # (no stripped copy of a large file)
        raise IngestError(_("{file} is empty").format(file=name))
    suffix = Path(name).suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    if data[:4] == b"PAR1":
        raw = _read_parquet(data, name)
    elif data[:4] == b"PK\x03\x04":
        raw = _read_xlsx(data, name)
    elif suffix in (".xlsx", ".xlsm", ".parquet", ".xls"):
        if suffix == ".parquet":
            refused = _("{file} is not a valid Parquet file")
        elif suffix == ".xls":
            refused = _("{file} is not a valid Excel workbook (old .xls: save it as .xlsx)")
        else:
            refused = _("{file} is not a valid Excel workbook")
        raise IngestError(refused.format(file=name))
    else:
        raw = _read_text(data, name, encoding)
    raw.filename, raw.sha256 = name, sha
    if raw.frame.height == 0:
        raise IngestError(_("{file} has a header but no data rows").format(file=name))
    if raw.frame.height > MAX_ROWS:
        raise IngestError(
            _("{file} has more than {rows} rows; split it into parts").format(
                file=name, rows=i18n.number(MAX_ROWS)
            )
        )
    return raw


def limits(name: str) -> sandbox.Limits:
    """The limits of one read, from :mod:`cx.ingest.model` (read at call time)."""
    from cx.ingest import model

    return sandbox.Limits(
        name=name,
        rows=model.MAX_ROWS,
        columns=model.MAX_COLUMNS,
        cells=model.MAX_CELLS,
        field_chars=model.MAX_FIELD_CHARS,
        text_bytes=model.MAX_FILE_MB * MB,
        unpacked_bytes=model.MAX_UNPACKED_MB * MB,
        ratio=model.MAX_RATIO,
        parts=model.MAX_PARTS,
        seconds=model.READ_SECONDS,
        memory_bytes=model.READ_MEMORY_MB * MB,
        metadata_bytes=model.MAX_PARQUET_METADATA_MB * MB,
        language=i18n.language(),
        locale_dir=str(i18n.LOCALE_DIR),
    )


# --------------------------------------------------------------------------------------------
# Text: encodings (one per file), delimiter, shape checked before parsing
# --------------------------------------------------------------------------------------------

MB = 1024 * 1024
_CHUNK = 8 * MB
#: Encodings a text file may be in besides UTF-8 and UTF-16, with their names: Western
#: European (Excel's default in Europe and the Americas), Central European, Chinese
#: (simplified: GB18030, a superset of GBK and GB2312; traditional: Big5), Russian (Windows
#: and KOI8-R), Japanese and Korean. Python codec name -> what people call it.
ENCODINGS = {
    "cp1252": N_("Windows-1252 (Western European)"),
    "cp1250": N_("Windows-1250 (Central European)"),
    "gb18030": N_("GB18030 / GBK (Chinese, simplified)"),
    "big5": N_("Big5 (Chinese, traditional)"),
    "cp1251": N_("Windows-1251 (Cyrillic)"),
    "koi8_r": N_("KOI8-R (Russian)"),
    "shift_jis": N_("Shift-JIS (Japanese)"),
    "euc_jp": N_("EUC-JP (Japanese)"),
    "euc_kr": N_("EUC-KR (Korean)"),
}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "latin-1": "Latin-1",
    **{k: v.split(" (")[0] for k, v in ENCODINGS.items()},
}
#: Bytes of lines with non-ASCII characters the detector reads (enough to tell; fast).
DETECT_BYTES = 256 * 1024
#: Two candidate encodings whose "chaos" (charset-normalizer's measure of unlikely
#: characters) differs by less than this are equally plausible...
CLOSE_CHAOS = 0.02
#: ...and are told apart only when one's language coherence is ahead by this much.
CLEAR_COHERENCE = 0.1


def _valid(data: bytes | memoryview, encoding: str) -> bool:
    """Whether ``data`` decodes strictly, checked in chunks (no full-size copy)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for i in range(0, len(view), _CHUNK):
            decoder.decode(view[i : i + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _to_utf8(data: bytes | memoryview, encoding: str) -> bytes:
    """``data`` re-encoded as UTF-8, in chunks (strict: the caller checked it decodes)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    parts = [
        decoder.decode(view[i : i + _CHUNK]).encode("utf-8") for i in range(0, len(view), _CHUNK)
    ]
    parts.append(decoder.decode(b"", final=True).encode("utf-8"))
    return b"".join(parts)


@dataclass
class Decoded:
    """Text as UTF-8 bytes, the encoding it was in, and lines in another encoding (if mixed)."""

    body: bytes
    encoding: str
    other_lines: dict[int, str] = field(default_factory=dict)


def _looks_utf16(body: bytes | memoryview, big_endian: bool) -> bool:
    """UTF-16 text of survey answers has many zero bytes (digits, delimiters, Latin letters)."""
    head = bytes(body[:65_536])
    high = head[0::2] if big_endian else head[1::2]
    return len(high) > 0 and high.count(0) >= 0.2 * len(high)


def _decode(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode text bytes: BOMs first, then the person's encoding if given, then strict UTF-8,
    then the detected legacy encoding (:func:`detect_encoding`); a file mixing UTF-8 lines
    with lines in a legacy encoding is decoded line by line and the odd lines are reported."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            body = memoryview(data)[2:]
            if not _looks_utf16(body, enc.endswith("be")) and _valid(body, "utf-8"):
                raise IngestError(
                    _(
                        "{file} starts with a UTF-16 byte-order mark but the text after it is "
                        "UTF-8; save it again as UTF-8 (or as UTF-16 throughout)"
                    ).format(file=name)
                )
            if not _valid(body, enc):
                raise IngestError(
                    _("{file} is not valid {encoding} text").format(file=name, encoding="UTF-16")
                )
            return Decoded(_to_utf8(body, enc), "utf-16")
    head = data[:65536]
    # UTF-16 without BOM: every other byte is zero in mostly-ASCII text
    no_bom_utf16 = len(head) >= 4 and head[1::2].count(0) > 0.4 * len(head[1::2]) and head[0] != 0
    if no_bom_utf16 and _valid(data, "utf-16-le"):
        return Decoded(_to_utf8(data, "utf-16-le"), "utf-16")
    if b"\x00" in head:
        raise IngestError(
            _("{file} looks like a binary file, not CSV/TSV text, Excel or Parquet").format(
                file=name
            )
        )
    marked = data.startswith(b"\xef\xbb\xbf")
    text = data[3:] if marked else data
    if encoding is not None:
        return _decode_as(text, name, encoding)
    if _valid(data, "utf-8"):
        return Decoded(text, "utf-8-sig" if marked else "utf-8")
    return _decode_lines(text, name)


def _decode_as(data: bytes, name: str, encoding: str) -> Decoded:
    """The file in the encoding the person chose (strictly: a byte it cannot read refuses)."""
    codec = "utf-8" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    if codec != "utf-8" and codec not in ENCODINGS:
        raise IngestError(f"unknown encoding '{encoding}'; one of: utf-8, {', '.join(ENCODINGS)}")
    if not _valid(data, codec):
        raise IngestError(
            _("{file} is not valid {encoding} text").format(
                file=name, encoding=ENCODING_NAMES.get(codec, codec)
            )
        )
    return Decoded(_to_utf8(data, codec) if codec != "utf-8" else data, codec)


def detect_encoding(sample: bytes, name: str) -> str:
    """The legacy encoding of text that is not UTF-8, told by charset-normalizer from its
    non-ASCII lines, among :data:`ENCODINGS`.

    Candidates as plausible as the best (chaos within :data:`CLOSE_CHAOS`) that read the text
    differently must be told apart by language coherence; if they cannot, the file is refused:
    a guess would store garbled names (比亚迪 as ``±ÈÑÇµÏ``). Candidates that read it the same
    are one answer (Windows-1252 is named for Western text that Windows-1250 reads alike).

    Raises:
        IngestError: no encoding reads it, or several read it differently and equally well.
    """
    from charset_normalizer import from_bytes

    matches = list(
        from_bytes(sample, cp_isolation=list(ENCODINGS), steps=1, chunk_size=len(sample))
    )
    refuse = _(
        "cannot tell the encoding of {file}: save it as UTF-8, or choose its encoding "
        "(the upload step, or --encoding)"
    ).format(file=name)
    if not matches:
        raise IngestError(refuse)
    best = min(m.chaos for m in matches)
    close = sorted(
        (m for m in matches if m.chaos <= best + CLOSE_CHAOS),
        key=lambda m: (-m.coherence, m.chaos, list(ENCODINGS).index(m.encoding)),
    )
    first = str(close[0])
    rival = next((m for m in close if str(m) != first), None)
    if rival is not None and close[0].coherence - rival.coherence < CLEAR_COHERENCE:
        names = ", ".join(dict.fromkeys(ENCODING_NAMES[m.encoding] for m in close[:3]))
        raise IngestError(
            _("{refusal} (it reads as {encodings} alike)").format(refusal=refuse, encodings=names)
        )
    same = [m.encoding for m in close if str(m) == first]
    if "cp1252" in same or (same[0] == "cp1250" and _same_as_cp1252(sample, "cp1250")):
        return "cp1252"
    return same[0]


def _same_as_cp1252(sample: bytes, encoding: str) -> bool:
    try:
        return sample.decode("cp1252") == sample.decode(encoding)
    except UnicodeDecodeError:
        return False


def _decode_lines(data: bytes, name: str) -> Decoded:
    """Not UTF-8 as a whole: one legacy encoding (detected), unless some lines are UTF-8 and
    others not; then each line is decoded in its own encoding and the minority's lines are
    listed."""
    lines = data.split(b"\n")
    utf8, other = [], []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(i)
        except UnicodeDecodeError:
            other.append(i)
    sample = b"\n".join(lines[i] for i in other)[:DETECT_BYTES]
    single = detect_encoding(sample, name)
    if not utf8:
        if not _valid(data, single):
            raise IngestError(
                _("{file} is not valid {encoding} text (detected)").format(
                    file=name, encoding=ENCODING_NAMES[single]
                )
            )
        return Decoded(_to_utf8(data, single), single)
    legacy = set(other)
    body = b"\n".join(
        (line.decode(single, errors="replace") if i in legacy else line.decode("utf-8")).encode()
        for i, line in enumerate(lines)
    )
    majority, minority = ("utf-8", other) if len(utf8) >= len(other) else (single, utf8)
    odd = ENCODING_NAMES["utf-8" if majority != "utf-8" else single]
    note = _("{odd} text in a {majority} file (mixed encodings: save the file in one)").format(
        odd=odd, majority=ENCODING_NAMES[majority]
    )
    return Decoded(body, f"mixed {majority}/{single}", dict.fromkeys(minority, note))


def _sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: the one that splits the first lines most consistently."""
    lines = [ln for ln in text[:65536].splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        pass
    best, score = ",", -1.0
    for delim in (",", ";", "\t"):
        counts = [ln.count(delim) for ln in lines]
        if counts[0] == 0:
            continue
        same = sum(c == counts[0] for c in counts) / len(counts)
        if same * counts[0] > score:
            best, score = delim, same * counts[0]
    return best


def delimiter_name(delim: str) -> str:
    return {"\t": N_("tab"), ",": N_("comma"), ";": N_("semicolon")}.get(delim, repr(delim))


def _check_text_shape(body: bytes, delimiter: str, name: str) -> None:
    """Refuse a text file whose header has too many columns, or whose lines × columns pass
    the cell limit, before it is parsed (a 1,000,000-column header is refused in
    milliseconds)."""
    end = body.find(b"\n")
    first = body[: end if end >= 0 else len(body)]
    sep = delimiter.encode()
    columns = first.count(sep) + 1
    if columns > MAX_COLUMNS:  # quoted delimiters inflate the count: parse the line to be sure
        columns = max(
            len(r) for r in csv.reader([first.decode("utf-8", "replace")], delimiter=delimiter)
        )
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    try:
        sandbox.check_shape(limits(name), lines, columns)
    except sandbox.RefusedError as exc:
        raise IngestError(str(exc)) from exc


def _record_rows(body: bytes, delimiter: str, lines: dict[int, str]) -> dict[int, str]:
    """File row numbers (1-based records, as rejections count them) of the given lines."""
    out: dict[int, str] = {}
    reader = csv.reader(io.StringIO(body.decode("utf-8")), delimiter=delimiter)
    start = 0
    for number, _record in enumerate(reader, start=1):
        for line in range(start, reader.line_num):
            if line in lines:
                out[number] = lines[line]
        start = reader.line_num
    return out


def _read_text(data: bytes, name: str, encoding: str | None = None) -> RawSurvey:
    decoded = _decode(data, name, encoding)
    head = decoded.body[:65536].decode("utf-8", errors="ignore")
    if "\x00" in head:
        raise IngestError(_("{file} looks like a binary file, not CSV/TSV text").format(file=name))
    delimiter = _sniff_delimiter(head)
    _check_text_shape(decoded.body, delimiter, name)
    try:
        frame = pl.read_csv(
            decoded.body,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            quote_char='"',
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "more fields" in first or "field" in first.lower():
            raise IngestError(
                _(
                    "{file}: a row has more fields than the header (check the delimiter "
                    "{delimiter} and quoting)"
                ).format(file=name, delimiter=_(delimiter_name(delimiter)))
            ) from exc
        raise IngestError(
            _("{file} cannot be read as delimited text: {error}").format(
                file=name, error=first[:120]
            )
        ) from exc
    raw = _apply_layout(frame, "csv", name)
    raw.encoding, raw.delimiter = decoded.encoding, delimiter
    if decoded.other_lines:
        raw.row_problems = _record_rows(decoded.body, delimiter, decoded.other_lines)
    return raw


# --------------------------------------------------------------------------------------------
# Workbooks and Parquet: read in the bounded reader process
# --------------------------------------------------------------------------------------------


def read_bounded(data: bytes, name: str, kind: str) -> pl.DataFrame:
    """The cells of a workbook's first sheet or a Parquet file (header row first), read by
    :mod:`cx.ingest.sandbox` in its own process under the time and memory limits."""
    lim = limits(name)
    command = [sys.executable or "python3", "-I", SANDBOX, kind, json.dumps(asdict(lim))]
    try:
        proc = subprocess.run(  # noqa: S603 (our own script, fixed arguments, no shell)
            command,
            input=data,
            capture_output=True,
            timeout=lim.seconds + 5,
            check=False,
            env={**os.environ, **READER_ENV},
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(_too_slow(name, lim)) from exc
    status = _status(proc.stderr)
    if proc.returncode == -signal.SIGALRM:
        raise IngestError(_too_slow(name, lim))
    if status.get("error"):
        raise IngestError(str(status["error"]))
    if status.get("memory") or proc.returncode in (
        -signal.SIGKILL,
        -signal.SIGSEGV,
        -signal.SIGABRT,
    ):
        raise IngestError(
            _(
                "{file} needs more than {mb} MB of memory to read; save the sheet as CSV or "
                "split it"
            ).format(file=name, mb=i18n.number(lim.memory_bytes // MB))
        )
    if proc.returncode != 0 or "width" not in status:
        raise IngestError(
            _("{file} could not be read (the reader stopped: code {code})").format(
                file=name, code=proc.returncode
            )
        )
    width = int(status["width"])
    if width == 0:
        empty = (
            _("{file}: the first sheet is empty") if kind == "xlsx" else _("{file} has no columns")
        )
        raise IngestError(empty.format(file=name))
    return pl.read_csv(
        proc.stdout,
        has_header=False,
        schema={f"column_{i + 1}": pl.String for i in range(width)},
        missing_columns="insert",
        quote_char='"',
    )


def _status(stderr: bytes) -> dict[str, Any]:
    """The reader's last JSON line on stderr (empty when it died without one)."""
    for line in reversed(stderr.decode("utf-8", "replace").strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _too_slow(name: str, lim: sandbox.Limits) -> str:
    return _(
        "{file} took longer than {seconds} s to read; save the sheet as CSV or split it"
    ).format(file=name, seconds=lim.seconds)


def _read_xlsx(data: bytes, name: str) -> RawSurvey:
    return _apply_layout(read_bounded(data, name, "xlsx"), "xlsx", name)


def _read_parquet(data: bytes, name: str) -> RawSurvey:
    frame = read_bounded(data, name, "parquet")
    columns = _unique_names([c or "" for c in frame.row(0)])
    body = frame.slice(1).rename(dict(zip(frame.columns, columns, strict=True)))
    return RawSurvey(
        body.with_columns(pl.col(c).fill_null("") for c in body.columns),
        {c: c for c in columns},
        "plain",
        "parquet",
        2,
    )


def _unique_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(names):
        name = " ".join(str(raw).split())[:120] or f"column_{i + 1}"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name}_{seen[key]}"
        else:
            seen[key] = 1
        out.append(name)
    return out


#: The most title rows looked for above a header.
MAX_TITLE_ROWS = 10


def title_rows(frame: pl.DataFrame) -> int:
    """How many rows above the header are a title, not the header: a field team's workbook
    opens with its report's name and a blank row ("客户调查 2024" in the first cell, the rest
    empty), and its real header came in as data. A row is a title when at most one of its cells
    is filled and a later row, the header, fills at least two; a file of one or two columns
    has none."""
    if frame.width < 3:
        return 0
    filled = (
        frame.head(MAX_TITLE_ROWS + 1)
        .select(
            pl.sum_horizontal(
                (pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "")).cast(pl.Int32)
                for c in frame.columns
            )
        )
        .to_series()
        .to_list()
    )
    for row, count in enumerate(filled):
        if count >= 2:
            return row if row <= MAX_TITLE_ROWS else 0
    return 0


def _apply_layout(frame: pl.DataFrame, fmt: str, name: str) -> RawSurvey:
    """Find the header rows (Qualtrics: 3, SurveyMonkey: 2, plain: 1), below any title rows
    (:func:`title_rows`), and name the columns."""
    titles = title_rows(frame)
    frame = frame.slice(titles)
    head = [[c or "" for c in r] for r in frame.head(3).iter_rows()]
    if not head:
        raise IngestError(f"{name} is empty")
    first = [c or "" for c in head[0]]
    second = [c or "" for c in head[1]] if len(head) > 1 else []
    third = [c or "" for c in head[2]] if len(head) > 2 else []
    import_ids = sum(1 for c in third if c.strip().startswith('{"ImportId"'))
    if third and import_ids >= max(1, len([c for c in third if c.strip()]) // 2):
        layout, skip = "qualtrics", 3
        names = _unique_names(first)
        questions = {n: (q or n) for n, q in zip(names, second, strict=False)}
    elif any(c.strip().lower() == "respondent id" for c in first) and any(
        c.strip() in ("Response", "Open-Ended Response") for c in second
    ):
        layout, skip = "surveymonkey", 2
        combined, current = [], ""
        for top, sub in zip(first, second, strict=False):
            current = top.strip() or current
            sub = sub.strip()
            plain = not sub or sub in ("Response", "Open-Ended Response") or sub == current
            combined.append(current if plain else f"{current} - {sub}" if current else sub)
        names = _unique_names(combined)
        questions = dict(zip(names, combined, strict=True))
    else:
        layout, skip = "plain", 1
        names = _unique_names(first)
        questions = {n: n for n in names}
    if len(names) < frame.width:
        names = names + [f"column_{i + 1}" for i in range(len(names), frame.width)]
    body = frame.slice(skip).rename(dict(zip(frame.columns, names[: frame.width], strict=True)))
    # drop fully empty trailing columns (Excel exports often carry them)
    keep = [
        c
        for c in body.columns
        if not (c.startswith("column_") and body[c].str.strip_chars().eq("").all())
    ]
    body = body.select(keep)
    if body.width == 0 or body.height == 0:
        empty = (
            _("{file} has no columns")
            if body.width == 0
            else _("{file} has a header but no data rows")
        )
        raise IngestError(empty.format(file=name))
    longest = body.select(pl.max_horizontal(pl.col(c).str.len_chars() for c in body.columns))
    longest_value = longest.to_series().max() if body.height else 0
    if longest_value is not None and int(str(longest_value)) > MAX_FIELD_CHARS:
        idx = int(longest.to_series().arg_max() or 0)
        raise IngestError(
            _(
                "{file}: row {row} has a field of more than {chars} characters; this does not "
                "look like survey answers"
            ).format(file=name, row=idx + titles + skip + 1, chars=i18n.number(MAX_FIELD_CHARS))
        )
    return RawSurvey(
        body.with_columns(pl.col(c).fill_null("") for c in body.columns),
        {c: questions.get(c, c) for c in body.columns},
        layout,
        fmt,
        titles + skip + 1,
        title_rows=titles,
    )
