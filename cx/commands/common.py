"""What every command shares: the one-line error, the language (``--lang``), opening the
database, dataset checks, selections from URL-style filters, writing files atomically,
printing tables."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import polars as pl

from cx.build import databases
from cx.core import i18n
from cx.core.i18n import _
from cx.core.options import DEFAULT_CONFIDENCE, DEFAULT_MIN_N, Options
from cx.core.schema import FILTER_DIMENSIONS
from cx.core.selection import Selection, from_query_params
from cx.data import connect
from cx.data.database import Database
from cx.exports.safety import safe_csv_text
from cx.reports.base import filter_values


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def assignments(items: list[str], flag: str) -> dict[str, str]:
    """``NAME=VALUE`` arguments of a repeatable option (``--set``, ``--pick``, ``--map``)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(
                _("{flag} expects NAME=VALUE, got {item}").format(flag=flag, item=repr(item))
            )
        out[name.strip()] = value.strip()
    return out


def language(text: str) -> str:
    """An argparse type: a language of the interface (``en``, ``zh``, ``ru``; ``zh-CN`` and
    ``ru_RU`` are read as ``zh`` and ``ru``), else a clear error naming the choices."""
    found = i18n.parse(text)
    if found is None:
        choices = ", ".join(i18n.LANGUAGES)
        raise argparse.ArgumentTypeError(f"unknown language {text!r}; choose one of {choices}")
    return found


def add_language_argument(p: argparse.ArgumentParser) -> None:
    """``--lang``: the language of what the command writes and prints (every command has it;
    the command runs inside :func:`cx.core.i18n.use`)."""
    p.add_argument(
        "--lang",
        type=language,
        default=i18n.DEFAULT,
        metavar="|".join(i18n.LANGUAGES),
        help="language of the exports and messages (default: %(default)s)",
    )


def positive_int(text: str) -> int:
    """An argparse type: a positive integer."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be a positive integer"))
    return value


def database_path(path_arg: Path | None) -> Path:
    """``--db`` (which must exist), else the default database (built if missing)."""
    path = Path(path_arg) if path_arg else connect.default_db_path()
    if not path.exists():
        if path_arg:
            raise CliError(_("no database at {path}").format(path=path))
        databases.ensure_database(path)
    return path


def open_database(path_arg: Path | None, read_only: bool = True) -> Database:
    """Open ``--db`` or the default database (see :func:`database_path`)."""
    return Database(str(database_path(path_arg)), read_only=read_only)


def check_dataset(database: Database, dataset: str) -> pl.DataFrame:
    """The datasets table; raises a CliError naming the choices if ``dataset`` is not in it."""
    datasets = database.run("datasets")
    names = datasets["dataset"].to_list()
    if dataset not in names:
        raise CliError(
            _("unknown dataset {dataset}; the database has {names}").format(
                dataset=repr(dataset), names=", ".join(names)
            )
        )
    return datasets


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """``--dataset``, the sidebar's filters (comma-separated, as in the URL) and options."""
    p.add_argument("--dataset", default="demo")
    p.add_argument("--db", type=Path, default=None)
    for key, label in FILTER_DIMENSIONS.items():
        p.add_argument(f"--{key}", metavar="A,B", help=f"{label} (comma-separated)")
    p.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    p.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)


def options(args: argparse.Namespace) -> Options:
    """The statistical options of ``--confidence`` and ``--min-n``."""
    if not 0 < args.confidence < 1:
        raise CliError(_("--confidence must be between 0 and 1"))
    if args.min_n < 0:
        raise CliError(_("--min-n must be zero or more"))
    return Options(min_n=args.min_n, confidence=args.confidence)


def selection(database: Database, args: argparse.Namespace) -> Selection:
    """The dataset and filters of the arguments; an unknown value is an error."""
    datasets = check_dataset(database, args.dataset)
    allowed = filter_values(database.run, args.dataset)
    query = {k: getattr(args, k) for k in FILTER_DIMENSIONS if getattr(args, k, None)}
    sel, notices = from_query_params(
        {**query, "dataset": args.dataset}, allowed, datasets["dataset"].to_list()
    )
    if notices:
        raise CliError(notices[0])
    return sel


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file beside ``path`` so a failed export leaves nothing half-written."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def print_table(
    frame: pl.DataFrame, fmt: str, payload: dict[str, Any] | None = None, key: str = "rows"
) -> None:
    """Print rows as JSON (``payload`` with the rows under ``key``), CSV (formulas
    neutralised) or an aligned table."""
    if fmt == "json":
        rows = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in frame.to_dicts()
        ]
        body: Any = {**(payload or {}), key: rows} if payload is not None else rows
        print(json.dumps(body, indent=2, default=str, ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(safe_csv_text(frame))
    else:
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            tbl_width_chars=200,
            tbl_hide_dataframe_shape=True,
            fmt_str_lengths=60,
        ):
            print(frame)
