"""``export``: a page's charts as PowerPoint, Excel, PNG or SVG, as the app exports them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cx.commands.common import (
    CliError,
    add_filter_arguments,
    assignments,
    check_dataset,
    open_database,
    options,
    selection,
    write_atomic,
)
from cx.core import display
from cx.core.i18n import _, ngettext
from cx.exports.chart import DeckMeta
from cx.exports.images import ImageExportError, titled_image
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.models import revenue
from cx.reports.base import Report, dataset_source
from cx.reports.registry import BY_KEY, REPORTS


class NoChartsError(CliError):
    """A page has no chart for these filters (``--page all`` skips it)."""


def add_parsers(sub: Any) -> None:
    """Register ``export``."""
    p = sub.add_parser(
        "export",
        help="export a page's charts to PowerPoint, Excel, PNG or SVG",
        description=(
            "Export the charts of one dashboard page with the same filters and page choices as "
            "its URL. pptx: a 16:9 deck with native, editable charts (map and heatmap as "
            "images); xlsx: a summary sheet plus one sheet per chart's data; png/svg: the first "
            "chart is written at --out and each further chart beside it with a numbered suffix "
            "(out.png, out-2.png, ...). Filter values are comma-separated, as in the app's URL."
        ),
    )
    p.add_argument(
        "--page",
        required=True,
        choices=[*(r.key for r in REPORTS), "all"],
        help="a page, or 'all': every page, each to --out/<page>.<format> (--out is a folder)",
    )
    p.add_argument("--format", required=True, choices=("pptx", "png", "svg", "xlsx"))
    p.add_argument("--out", required=True, type=Path, help="file to write")
    add_filter_arguments(p)
    p.add_argument(
        "--pick",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a page choice as in the page's URL (brands: industry=…, focus=A,B; countries: "
        "brand=…; revenue: preset=…); repeatable",
    )
    p.add_argument("--brand", help="shorthand for --pick brand=… (countries, revenue)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="revenue page: set a model input; repeatable",
    )
    p.add_argument("--size", choices=("16:9", "chart"), default="16:9", help="png/svg size")
    p.set_defaults(func=cmd_export)


def page_picks(report: Report[Any], args: argparse.Namespace) -> dict[str, Any]:
    """The page choices of ``--pick``, ``--brand`` and ``--set``."""
    query = assignments(args.pick, "--pick")
    if args.brand:
        query["brand"] = args.brand
    if args.set:
        if report.key != "revenue":
            raise CliError(_("--set applies to --page revenue only"))
        try:
            assigned = assignments(args.set, "--set")
            revenue.validate(assigned)
        except revenue.RevenueInputError as exc:
            raise CliError(str(exc)) from exc
        query.update(assigned)
    names = {p.name for p in report.picks}
    unknown = sorted(set(query) - names)
    if unknown:
        choices = ", ".join(sorted(names)) or _("none")
        raise CliError(
            _("--page {page} has no choice {name}; its choices: {choices}").format(
                page=report.key, name=repr(unknown[0]), choices=choices
            )
        )
    return report.parse_picks(query)


def _target(args: argparse.Namespace) -> Path:
    out: Path = args.out
    if not out.parent.exists():
        raise CliError(_("no such folder: {folder}").format(folder=out.parent))
    suffix = "." + args.format
    if out.suffix.lower() != suffix:
        out = out.with_suffix(suffix) if out.suffix == "" else out
        if out.suffix.lower() != suffix:
            raise CliError(
                _("--out should end in {suffix} for --format {format}").format(
                    suffix=suffix, format=args.format
                )
            )
    return out


def cmd_export(args: argparse.Namespace) -> int:
    """Export one page's charts (the same charts the app shows with these filters), or every
    page's into a folder."""
    if args.page == "all":
        return _export_all(args)
    return _export_one(args)


def _export_all(args: argparse.Namespace) -> int:
    """Every page that has charts for these filters, each to ``--out/<page>.<format>``; the
    pages with none are listed on stderr (an error only when no page has any)."""
    folder: Path = args.out
    if not folder.is_dir():
        raise CliError(
            _("--page all writes into a folder; no such folder: {folder}").format(folder=folder)
        )
    skipped: list[str] = []
    for report in REPORTS:
        args.page, args.out = report.key, folder / f"{report.key}.{args.format}"
        try:
            _export_one(args)
        except NoChartsError:
            skipped.append(report.key)
    if len(skipped) == len(REPORTS):
        raise CliError(_("no charts on any page: nothing matches these filters"))
    if skipped:
        line = _("cx export: skipped (no charts for these filters): {pages}")
        print(line.format(pages=", ".join(skipped)), file=sys.stderr)
    return 0


def _export_one(args: argparse.Namespace) -> int:

    report = BY_KEY[args.page]
    opts = options(args)
    out = _target(args)
    picks = page_picks(report, args)
    with open_database(args.db) as database:
        check_dataset(database, args.dataset)
        sel = selection(database, args)
        source = dataset_source(database.run, args.dataset).of(sel)
        result = report.compute(database.run, sel, opts, **picks)
        charts = report.charts(result, source)
    if not charts:
        raise NoChartsError(_("no charts: nothing matches these filters"))
    summary = report.summary(result) if report.summary else None
    shown = getattr(result, "selection", sel)
    meta = DeckMeta(
        page=_(report.title),  # a marked message (the page's title)
        filters=report.filters_line(result, shown),
        dataset=display.dataset_label(args.dataset, source.label or args.dataset),
        highlights=summary.findings if summary else (),
        kpis=summary.kpis if summary else (),
        tables=summary.tables if summary else (),
    )
    written: list[Path] = []
    try:
        if args.format == "pptx":
            write_atomic(out, pptx_deck(charts, meta))
            written.append(out)
        elif args.format == "xlsx":
            write_atomic(out, xlsx_workbook(charts, meta))
            written.append(out)
        else:
            for i, chart in enumerate(charts, start=1):
                target = out if i == 1 else out.with_name(f"{out.stem}-{i}{out.suffix}")
                write_atomic(target, titled_image(chart, args.format, args.size))
                written.append(target)
    except ImageExportError as exc:
        raise CliError(str(exc)) from exc
    if args.format in ("png", "svg"):
        for path, chart in zip(written, charts, strict=True):
            print(f"{path}\t{chart.key}")
    else:
        count = ngettext("{n} charts", "{n} charts", len(charts)).format(n=len(charts))
        print(f"{out}\t{count}")
    return 0
