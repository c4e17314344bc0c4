"""A corpus of hostile upload files, each generated on demand (nothing large is committed).

Every builder returns the file's bytes; :data:`CORPUS` lists them with the file name they are
uploaded under and a fragment of the one-line refusal they must get. :func:`probe` runs a
command and measures its wall time and peak memory (the process and its children), which is
how the tests bound a hostile upload to 1 GB and 30 s.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cx.ingest.model import MAX_CELLS, MAX_COLUMNS, MAX_FIELD_CHARS, MAX_ROWS

MB = 1024 * 1024


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def small_workbook() -> bytes:
    """A small real workbook: id and nps, two respondents."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Responses")
    for r, row in enumerate([["id", "nps"], ["1", 9], ["2", 3]]):
        sheet.write_row(r, 0, row)
    book.close()
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def with_cell(ref: str, text: str, dimension: str | None = None) -> bytes:
    """The small workbook with one more text cell written into its sheet's XML (``ref`` such
    as ``XFD1048576``), and optionally another declared dimension."""
    parts = _parts(small_workbook())
    row = re.sub(r"\D", "", ref)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    xml = parts[SHEET].replace(b"</sheetData>", cell.encode() + b"</sheetData>")
    declared = dimension or f"A1:{ref}"
    parts[SHEET] = re.sub(
        rb'<dimension ref="[^"]+"/>', f'<dimension ref="{declared}"/>'.encode(), xml
    )
    return _zip(parts)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {i.filename: book.read(i) for i in book.infolist()}


def _zip(parts: dict[str, bytes], raw: dict[str, tuple[bytes, int, int]] | None = None) -> bytes:
    """A zip of ``parts`` (deflated) plus ``raw`` members given as (deflate stream, CRC, size):
    written by hand so that a bomb's stream can be built without compressing gigabytes."""
    members = {n: _deflate(d) for n, d in parts.items()} | dict(raw or {})
    out, central = io.BytesIO(), io.BytesIO()
    for name, (stream, crc, size) in members.items():
        offset, encoded = out.tell(), name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(stream), size, len(encoded), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + encoded + stream)
        central.write(
            b"PK\x01\x02"
            + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    start, directory = out.tell(), central.getvalue()
    out.write(directory)
    count = len(members)
    if count > 0xFFFF:  # zip64 end records, then the classic one saying "see zip64"
        end64 = out.tell()
        out.write(b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, count, count,
                                                len(directory), start))  # fmt: skip
        out.write(b"PK\x06\x07" + struct.pack("<IQI", 0, end64, 1))
        count = 0xFFFF
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)  # fast: these are test files
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def xlsx_far_cell() -> bytes:
    """5 kB: a real workbook with one more cell at XFD1048576 (it declares A1:XFD1048576)."""
    return with_cell("XFD1048576", "x")


def xlsx_lying_dimension() -> bytes:
    """The far cell, but the sheet declares A1:B3: only streaming checks can catch it."""
    return with_cell("XFD1048576", "x", dimension="A1:B3")


def xlsx_zip_bomb(comment_mb: int = 1536) -> bytes:
    """1.5 MB holding a sheet with a 1.5 GB XML comment (deflate at its ~1000:1 limit).

    The stream is built from one compressed megabyte repeated: after a full flush deflate
    starts afresh, so the same input compresses to the same bytes every time.
    """
    parts = _parts(small_workbook())
    head, sep, tail = parts.pop(SHEET).partition(b"<sheetData>")
    head += b"<!--"
    tail = b"-->" + sep + tail
    chunk = b"a" * MB
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # the trick holds
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(comment_mb):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + comment_mb * MB + len(tail)
    stream = start + block * (comment_mb - 1) + again + end
    return _zip(parts, {SHEET: (stream, crc, size)})


def xlsx_many_parts(count: int = 70_000) -> bytes:
    """A zip with 70,000 empty parts (a zip64 directory): opening it costs memory by itself."""
    parts = _parts(small_workbook()) | {f"x/{i}": b"" for i in range(count)}
    return _zip(parts)


def xlsx_long_cell() -> bytes:
    """A workbook with one 40,000-character cell (Excel itself stops at 32,767)."""
    return with_cell("D4", "y" * 40_000, dimension="A1:D4")


def xlsx_big_cell(mb: int = 40) -> bytes:
    """A workbook with one cell of ``mb`` MB of hexadecimal text (compresses about 2:1, so no
    ratio check stops it: reading it takes several times its size in memory)."""
    return with_cell("C4", os.urandom(mb * MB // 2).hex(), dimension="A1:C4")


def xlsx_shared_strings(count: int) -> bytes:
    """A workbook whose shared-strings part lists ``count`` distinct strings at an ordinary
    compression ratio: slow to read and large in memory once read."""
    parts = _parts(small_workbook())
    body = b"".join(b"<si><t>s%08d</t></si>" % i for i in range(count))
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + body
        + b"</sst>"
    )
    return _zip(parts)


def xlsx_rows(rows: int) -> bytes:
    """An honest workbook of ``rows`` rows × 12 columns (for the time limit)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "nps", *[f"q{i}" for i in range(10)]])
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, [f"r{r}", r % 11, *[r % 5 + 1] * 10])
    book.close()
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _parquet(table: object, **options: object) -> bytes:
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(table, out, **options)
    return out.getvalue()


def parquet_nested() -> bytes:
    """A Parquet file with a list column (polars: "cannot cast List type")."""
    frame = pl.DataFrame({"nps": [9, 3, 10], "tags": [["a", "b"], [], ["c"]]})
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


def parquet_struct() -> bytes:
    """A Parquet file with a record (struct) column."""
    frame = pl.DataFrame({"nps": [9, 3], "who": [{"id": 1, "c": "DE"}, {"id": 2, "c": "US"}]})
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


def parquet_dictionary(rows: int = 1_000_000, chars: int = 20_000) -> bytes:
    """7 kB: one dictionary value of ``chars`` characters used by a million rows (20 GB of
    text once expanded)."""
    import pyarrow as pa

    values = pa.DictionaryArray.from_arrays(
        pa.array([0] * rows, pa.int32()), pa.array(["x" * chars])
    )
    table = pa.table({"nps": pa.array([9] * rows, pa.int8()), "brand": values})
    return _parquet(table, use_dictionary=True, compression="zstd")


def parquet_metadata(mb: int = 40) -> bytes:
    """A three-row Parquet file carrying ``mb`` MB of schema metadata (about 2.3 times that on
    disk: pyarrow stores it again in the Arrow schema); read whole, it took about 1 GB."""
    import pyarrow as pa

    table = pa.table({"nps": pa.array([9, 3, 10], pa.int8()), "brand": ["a", "b", "c"]})
    return _parquet(table.replace_schema_metadata({"x": "y" * (mb * 1024 * 1024)}))


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def csv_wide(columns: int = 1_000_000) -> bytes:
    """A CSV whose header has a million columns (7 MB)."""
    header = ",".join(f"c{i}" for i in range(columns))
    return (header + "\n" + ",".join(["9"] * columns) + "\n").encode()


def csv_many_rows() -> bytes:
    """Ten more data rows than the limit (9 MB)."""
    return b"id,nps\n" + b"".join(b"%d,9\n" % i for i in range(MAX_ROWS + 10))


def csv_many_cells() -> bytes:
    """Fewer columns than the limit and far fewer rows, but more cells than the limit."""
    columns = MAX_COLUMNS - 1
    rows = MAX_CELLS // columns + 100
    line = b"," * (columns - 1) + b"\n"
    return b",".join(b"c%d" % i for i in range(columns)) + b"\n" + line * rows


def csv_utf16_bom_utf8() -> bytes:
    """A UTF-16 byte-order mark before a UTF-8 body."""
    return b"\xff\xfe" + "id,nps,brand\n1,9,Citroën\n2,3,Škoda\n".encode()


def csv_mixed_encodings() -> bytes:
    """Rows in UTF-8 and rows in cp1252 in one file (one brand, two spellings once decoded
    the old way: ``CitroÃ«n`` and ``Citroën``)."""
    rows = [("id,brand,nps", "utf-8"), ("1,Citroën,9", "utf-8"), ("2,Citroën,8", "cp1252"),
            ("3,Peugeot,7", "utf-8"), ("4,Citroën,6", "utf-8"), ("5,Citroën,10", "cp1252")]  # fmt: skip
    return b"".join(text.encode(enc) + b"\n" for text, enc in rows)


@dataclass(frozen=True)
class Hostile:
    """A hostile file: the name it is uploaded under, its builder and the refusal it gets."""

    filename: str
    build: Callable[[], bytes]
    refusal: str


ROWS, COLUMNS = f"more than {MAX_ROWS:,} rows", f"more than {MAX_COLUMNS:,} columns"
CELLS, FIELD = f"more than {MAX_CELLS:,} cells", f"more than {MAX_FIELD_CHARS:,} characters"

CORPUS: dict[str, Hostile] = {
    "xlsx-far-cell": Hostile("far.xlsx", xlsx_far_cell, "spans A1:XFD1048576"),
    "xlsx-lying-dimension": Hostile("lying.xlsx", xlsx_lying_dimension, ROWS),
    "xlsx-zip-bomb": Hostile("bomb.xlsx", xlsx_zip_bomb, "possible zip bomb"),
    "xlsx-many-parts": Hostile("parts.xlsx", xlsx_many_parts, "parts; a workbook has a few dozen"),
    "xlsx-long-cell": Hostile("long.xlsx", xlsx_long_cell, FIELD),
    "parquet-nested": Hostile("nested.parquet", parquet_nested, "'tags' holds nested values"),
    "parquet-struct": Hostile("struct.parquet", parquet_struct, "'who' holds nested values"),
    "parquet-dictionary": Hostile("dict.parquet", lambda: parquet_dictionary(chars=40_000), FIELD),
    "parquet-text": Hostile("text.parquet", lambda: parquet_dictionary(chars=20_000), "MB of text"),
    "parquet-metadata": Hostile("meta.parquet", parquet_metadata, "its metadata (schema and"),
    "csv-wide": Hostile("wide.csv", csv_wide, COLUMNS),
    "csv-many-rows": Hostile("rows.csv", csv_many_rows, ROWS),
    "csv-many-cells": Hostile("cells.csv", csv_many_cells, CELLS),
    "csv-utf16-bom-utf8": Hostile("bom.csv", csv_utf16_bom_utf8, "UTF-16 byte-order mark"),
}


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every hostile file into ``folder``; returns their paths by key."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, item in CORPUS.items():
        path = folder / item.filename
        if not path.exists():
            path.write_bytes(item.build())
        paths[key] = path
    return paths


# --------------------------------------------------------------------------------------------
# Measuring a probe
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """What a command did: exit code, stderr, wall seconds, CPU seconds (user and system, the
    process and its children: what the work costs whatever else the machine runs) and peak
    memory in MB."""

    returncode: int
    stderr: str
    seconds: float
    cpu_seconds: float
    peak_mb: float


def _tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _kill_tree(pid: int) -> None:
    for p in reversed(_tree(pid)):
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB, from /proc)."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total


#: Runs a command and prints, on a last stderr line, the largest resident size among it and
#: its descendants and their CPU time (the kernel's figures, from a fresh process so no
#: earlier child counts).
_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('RUSAGE', r.ru_maxrss, r.ru_utime + r.ru_stime, file=sys.stderr); sys.exit(code)"
)


def probe(command: list[str], cwd: Path, timeout: float = 120, kill_mb: float = 3072) -> Probe:
    """Run ``command`` and measure it: the larger of the whole process tree's memory (sampled
    every 10 ms) and the largest single process's peak (from the kernel). A command still
    running after ``timeout`` seconds or over ``kill_mb`` is killed (a regression must not
    take the test machine down)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, *command],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        if time.perf_counter() - t0 > timeout or peak > kill_mb * 1024:
            _kill_tree(proc.pid)
        time.sleep(0.01)
    seconds = time.perf_counter() - t0
    lines = (proc.stderr.read().decode("utf-8", "replace") if proc.stderr else "").splitlines()
    single, cpu = 0, float("nan")
    if lines and lines[-1].startswith("RUSAGE "):
        _, maxrss, used = lines.pop().split()
        single, cpu = int(maxrss), float(used)
    return Probe(proc.returncode, "\n".join(lines), seconds, cpu, max(peak, single) / 1024)
