"""Command line: ``python -m cx demo|nps|bench|revenue|export ...``.

Errors are reported as one line on stderr with exit code 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from cx import db, stats
from cx.schema import DEFAULT_CONFIDENCE, DEFAULT_MIN_N, FILTER_DIMENSIONS, GROUP_DIMENSIONS
from cx.selection import Selection, from_query_params


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except CliError as exc:
        print(f"cx {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (db.QueryError, ValueError, OSError, pl.exceptions.PolarsError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"cx {args.command}: error: {message}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m cx", description="cxbench command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="build the database with the synthetic demo dataset")
    p.add_argument("--rows", type=_positive_int, default=db.DEFAULT_DEMO_ROWS)
    p.add_argument("--seed", type=int, default=db.DEFAULT_SEED)
    p.add_argument("--db", type=Path, default=None, help="database file (default data/cx.duckdb)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("nps", help="NPS with confidence intervals by group")
    p.add_argument("source", nargs="?", type=Path, help="CSV or Parquet file of respondent rows")
    p.add_argument(
        "--dataset", help="a dataset in the database instead of a file (demo = embedded)"
    )
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--by", action="append", default=[], metavar="COL", help="group column (max 2)")
    p.add_argument("--weight", metavar="COL", help="weight column (file sources)")
    p.add_argument("--score", metavar="COL", default="nps_score", help="0-10 score column")
    p.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    p.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    p.add_argument("--format", choices=("json", "csv", "table"), default="json")
    p.set_defaults(func=cmd_nps)

    p = sub.add_parser("bench", help="latency of every query the pages run")
    p.add_argument("--rows", type=_positive_int, default=1_000_000)
    p.add_argument("--seed", type=int, default=db.DEFAULT_SEED)
    p.add_argument("--repeat", type=_positive_int, default=20)
    p.add_argument("--db", type=Path, default=None, help="reuse this database instead")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.add_argument(
        "--ingest", action="store_true", help="time ingesting a Qualtrics-style CSV of --rows rows"
    )
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser(
        "export",
        help="export a page's charts to PowerPoint, Excel, PNG or SVG",
        description=(
            "Export the charts of one dashboard page with the same filters as its URL. pptx: a "
            "16:9 deck with native, editable charts (map and heatmap as images); xlsx: one sheet "
            "per chart's data plus an About sheet; png/svg: the first chart is written at --out "
            "and each further chart beside it with a numbered suffix (out.png, out-2.png, ...). "
            "Filter values are comma-separated, exactly as in the app's URL."
        ),
    )
    p.add_argument("--page", required=True, choices=EXPORT_PAGES)
    p.add_argument("--format", required=True, choices=("pptx", "png", "svg", "xlsx"))
    p.add_argument("--out", required=True, type=Path, help="file to write")
    p.add_argument("--dataset", default="demo")
    p.add_argument("--db", type=Path, default=None)
    for key, label in FILTER_DIMENSIONS.items():
        p.add_argument(f"--{key}", metavar="A,B", help=f"{label} (comma-separated)")
    p.add_argument("--brand", help="countries page: the brand ranked across countries")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="revenue page: override a model input; repeatable",
    )
    p.add_argument("--size", choices=("16:9", "chart"), default="16:9", help="png/svg size")
    p.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    p.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "ingest",
        help="add a survey export (CSV/TSV, Excel, Parquet; Qualtrics, SurveyMonkey) as a dataset",
        description=(
            "Read a survey file, map its columns to cxbench's canonical columns (detected from "
            "headers, question wording and values; override with --map), validate every row and "
            "store the accepted rows as a dataset in one transaction. Prints the validation report "
            "as JSON; --rejected writes the rejected rows with row number and reason as CSV."
        ),
    )
    p.add_argument("path", type=Path)
    p.add_argument("--dataset", required=True, help="name: lowercase letters, digits, - or _")
    p.add_argument("--label", help="display name (default: the dataset name)")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CANONICAL=SOURCE",
        help="map a canonical column to a source column (empty SOURCE: not mapped); repeatable",
    )
    p.add_argument("--replace", action="store_true", help="replace an existing dataset")
    p.add_argument("--rejected", type=Path, help="write rejected rows to this CSV file")
    p.add_argument("--dry-run", action="store_true", help="validate and report; store nothing")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "publish",
        help="write the database as Parquet (hive-partitioned by dataset and wave) to serve it",
        description=(
            "Write the tables the dashboard reads as Parquet under --out: summary tables and "
            "respondents as <table>/dataset=<name>/wave=<wave>/*.parquet, reference tables as "
            "<table>.parquet. Serve them with CX_DATA=parquet:<folder> (or an s3:// URL)."
        ),
    )
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--db", type=Path, default=None)
    p.set_defaults(func=cmd_publish)

    from cx import revenue  # imported here: the model module registers its own sub-command

    revenue.add_parser(sub)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo database."""
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    db.build_database(args.db, rows=args.rows, seed=args.seed, progress=say)
    return 0


def read_respondent_file(path: Path) -> pl.DataFrame:
    """Read a CSV/TSV or Parquet file of respondent rows (all columns as read)."""
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        if suffix in (".csv", ".tsv", ".txt"):
            sep = "\t" if suffix == ".tsv" else ","
            return pl.read_csv(path, separator=sep, infer_schema_length=10_000)
    except pl.exceptions.PolarsError as exc:
        raise CliError(f"cannot read {path.name}: {str(exc).splitlines()[0]}") from exc
    raise CliError(f"unsupported file type {suffix or '(none)'}: use .csv, .tsv or .parquet")


def nps_sums_from_frame(
    frame: pl.DataFrame, by: Sequence[str], score: str, weight: str | None
) -> tuple[pl.DataFrame, int]:
    """Per-group NPS sums of a respondent frame; rows with an invalid score or weight are excluded.

    Returns:
        (sums with columns ``by`` + n, sw, sw2, swp, swd; number of excluded rows).
    """
    for col in [*by, score, *([weight] if weight else [])]:
        if col not in frame.columns:
            raise CliError(f"column not found: {col} (columns: {', '.join(frame.columns[:20])})")
    s = pl.col(score).cast(pl.Float64, strict=False)
    w = pl.col(weight).cast(pl.Float64, strict=False) if weight else pl.lit(1.0)
    valid = s.is_not_null() & s.is_between(0, 10) & (s == s.round(0)) & w.is_not_null() & (w > 0)
    data = frame.with_columns(_s=s, _w=w, _ok=valid)
    excluded = int(data.height - data["_ok"].sum())
    good = data.filter(pl.col("_ok"))
    sums = good.group_by(list(by)).agg(
        n=pl.len(),
        sw=pl.col("_w").sum(),
        sw2=(pl.col("_w") ** 2).sum(),
        swp=pl.col("_w").filter(pl.col("_s") >= 9).sum(),
        swd=pl.col("_w").filter(pl.col("_s") <= 6).sum(),
    )
    return sums.sort(list(by), nulls_last=True), excluded


def cmd_nps(args: argparse.Namespace) -> int:
    """NPS by group from a file or a dataset in the database."""
    by: list[str] = args.by
    if not by:
        raise CliError("give at least one --by column")
    if len(by) > 2:
        raise CliError("at most two --by columns")
    if not 0 < args.confidence < 1:
        raise CliError("--confidence must be between 0 and 1")
    if args.min_n < 0:
        raise CliError("--min-n must be zero or more")
    if (args.source is None) == (args.dataset is None):
        raise CliError("give either a SOURCE file or --dataset NAME")
    if args.source is not None:
        frame = read_respondent_file(args.source)
        sums, excluded = nps_sums_from_frame(frame, by, args.score, args.weight)
    else:
        if args.weight or args.score != "nps_score":
            raise CliError("--weight/--score apply to file sources; datasets use their own")
        bad = [b for b in by if b not in GROUP_DIMENSIONS]
        if bad:
            raise CliError(
                f"cannot group a dataset by {bad[0]}; choose from {', '.join(GROUP_DIMENSIONS)}"
            )
        con = open_database(args.db, read_only=True)
        try:
            check_dataset(con, args.dataset)
            sel = Selection(dataset=args.dataset)
            if len(by) == 1:
                sums = db.execute(con, "nps_by_group", sel.params(by=by[0])).rename({"grp": by[0]})
            else:
                sums = db.execute(con, "nps_by_group_pair", sel.params(by=by[0], by2=by[1]))
                sums = sums.rename({"grp": by[0], "grp2": by[1]})
        finally:
            con.close()
        excluded = 0
    table = stats.nps_table(sums, args.confidence, args.min_n).drop("se")
    _print_nps(table, by, excluded, args)
    return 0


def database_path(path_arg: Path | None) -> Path:
    """``--db`` (which must exist), else the default database (built if missing)."""
    path = Path(path_arg) if path_arg else db.default_db_path()
    if not path.exists():
        if path_arg:
            raise CliError(f"no database at {path}")
        db.ensure_database(path)
    return path


def open_database(path_arg: Path | None, read_only: bool = False) -> Any:
    """Open ``--db`` or the default database (see :func:`database_path`)."""
    return db.connect(database_path(path_arg), read_only=read_only)


def check_dataset(con: Any, dataset: str) -> pl.DataFrame:
    """The datasets table; raises a CliError naming the choices if ``dataset`` is not in it."""
    datasets = db.execute(con, "datasets")
    names = datasets["dataset"].to_list()
    if dataset not in names:
        raise CliError(f"unknown dataset {dataset!r}; the database has {', '.join(names)}")
    return datasets


EXPORT_PAGES = ("overview", "industries", "brands", "countries", "journey", "channels", "revenue")


def cmd_export(args: argparse.Namespace) -> int:
    """Export one page's charts (the same charts the app shows with these filters)."""
    from cx import deck, revenue, views

    try:
        from components import pagecharts  # the page chart builders (no Streamlit in them)
    except ImportError as exc:  # pragma: no cover - only outside the project checkout
        raise CliError("run from the cxbench checkout (components/ is needed)") from exc

    if not 0 < args.confidence < 1:
        raise CliError("--confidence must be between 0 and 1")
    out: Path = args.out
    if not out.parent.exists():
        raise CliError(f"no such folder: {out.parent}")
    suffix = "." + args.format
    if out.suffix.lower() != suffix:
        out = out.with_suffix(suffix) if out.suffix == "" else out
        if out.suffix.lower() != suffix:
            raise CliError(f"--out should end in {suffix} for --format {args.format}")
    overrides = revenue.parse_assignments(args.set)
    if overrides and args.page != "revenue":
        raise CliError("--set applies to --page revenue only")
    if args.brand and args.page != "countries":
        raise CliError("--brand applies to --page countries only")
    con = open_database(args.db, read_only=True)
    try:
        datasets = check_dataset(con, args.dataset)
        allowed: dict[str, list[str]] = {}
        for dim, value in db.execute(con, "filter_options", {"dataset": args.dataset}).iter_rows():
            allowed.setdefault(dim, []).append(value)
        query = {k: getattr(args, k) for k in FILTER_DIMENSIONS if getattr(args, k)}
        sel, notices = from_query_params(
            {**query, "dataset": args.dataset}, allowed, datasets["dataset"].to_list()
        )
        if notices:
            raise CliError(notices[0])
        opts = views.StatOptions(min_n=args.min_n, confidence=args.confidence)
        kind = dict(zip(datasets["dataset"], datasets["kind"], strict=True)).get(args.dataset)
        label = dict(zip(datasets["dataset"], datasets["label"], strict=True)).get(args.dataset)
        source = (
            f"Survey sample ({'synthetic demo survey' if kind == 'demo' else 'uploaded survey'}: "
            f"{args.dataset})"
        )

        def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
            return db.execute(con, name, params)

        charts, highlights = pagecharts.for_page(
            args.page,
            run,
            sel,
            opts,
            source,
            dataset_industries=allowed.get("industries", []),
            brand=args.brand,
            revenue_overrides=overrides or None,
        )
    finally:
        con.close()
    if not charts:
        raise CliError("no charts: nothing matches these filters")
    meta = deck.DeckMeta(
        page=pagecharts.PAGE_TITLES[args.page],
        filters=sel.describe(),
        dataset=str(label or args.dataset),
        source=deck.EXPORT_SOURCE,
        highlights=tuple(highlights),
    )
    written: list[Path] = []
    try:
        if args.format == "pptx":
            _write_atomic(out, deck.pptx_deck(charts, meta))
            written.append(out)
        elif args.format == "xlsx":
            _write_atomic(out, deck.xlsx_workbook(charts, meta))
            written.append(out)
        else:
            for i, chart in enumerate(charts, start=1):
                target = out if i == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")
                _write_atomic(target, deck.titled_image(chart, args.format, args.size))
                written.append(target)
    except deck.ImageExportError as exc:
        raise CliError(str(exc)) from exc
    if args.format in ("png", "svg"):
        for path, chart in zip(written, charts, strict=True):
            print(f"{path}\t{chart.key}")
    else:
        print(f"{out}\t{len(charts)} charts")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Export the served tables to a Parquet folder."""
    con = open_database(args.db, read_only=True)
    try:
        for path in db.export_parquet(con, args.out):
            print(path)
    finally:
        con.close()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest one survey file as a dataset and print the validation report."""
    from cx import ingest
    from cx.export import safe_csv

    overrides: dict[str, str] = {}
    for item in args.map:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--map expects CANONICAL=SOURCE, got {item!r}")
        overrides[name.strip()] = value.strip()
    path = database_path(args.db)
    try:
        if args.dry_run:
            _, result = ingest.prepare_file(args.path, args.dataset, overrides)
            status = "validated (dry run)"
        else:
            status, result = ingest.ingest_file(
                args.path,
                args.dataset,
                path,
                overrides,
                replace=args.replace,
                label=args.label,
                progress=lambda m: print(m, file=sys.stderr),
            )
    except ingest.IngestError as exc:
        raise CliError(str(exc)) from exc
    if args.rejected is not None:
        _write_atomic(args.rejected, safe_csv(result.rejected))
    print(
        json.dumps(
            {"status": status, "dataset": args.dataset, **result.report},
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file beside ``path`` so a failed export leaves nothing half-written."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _print_nps(
    table: pl.DataFrame, by: Sequence[str], excluded: int, args: argparse.Namespace
) -> None:
    rounded = table.with_columns(
        pl.col(c).round(2) for c in table.columns if table.schema[c] == pl.Float64 and c not in by
    ).with_columns(pl.col("n").cast(pl.Int64))
    if args.format == "json":
        groups = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in rounded.to_dicts()
        ]
        payload: dict[str, Any] = {
            "groups": groups,
            "excluded_rows": excluded,
            "confidence": args.confidence,
            "min_n": args.min_n,
        }
        print(json.dumps(payload, indent=2, default=str, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(rounded.write_csv())
    else:
        with pl.Config(
            tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, tbl_hide_dataframe_shape=True
        ):
            print(rounded)
        print(f"excluded rows: {excluded}; confidence {args.confidence}; min n {args.min_n}")


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the page benchmark and print its report."""
    from cx import bench

    if args.ingest:
        print(json.dumps(bench.run_ingest_benchmark(args.rows, args.seed), indent=2))
        return 0
    report = bench.run_benchmark(
        rows=args.rows, seed=args.seed, repeat=args.repeat, db_path=args.db
    )
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        print(bench.format_report(report))
    return 0
