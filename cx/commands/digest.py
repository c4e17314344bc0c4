"""``digest``: the What changed page as a brief (PDF, PowerPoint, Markdown or JSON), optionally
e-mailed on a schedule.

``python -m cx digest --dataset D [--wave W] [--since W0] [filters] [--brand B] [--dealer O]
--format pdf|pptx|md|json --out FILE [--smtp HOST:PORT --to ADDRESS...]``. With
``--recipients FILE`` (CSV: ``address,brand,dealer``) each reader gets the brief of their own
scope (a dealer their outlet's only), written into the folder ``--out``. SMTP credentials come
from the environment (:mod:`cx.exports.mail`); no address or secret is printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cx.commands.common import (
    CliError,
    add_filter_arguments,
    open_database,
    options,
    selection,
    write_atomic,
)
from cx.core.i18n import _, ngettext
from cx.data import connect
from cx.data.database import Database
from cx.exports import brief as briefs
from cx.exports import mail
from cx.reports import digest
from cx.reports.base import dataset_source

FORMATS = ("pdf", "pptx", "md", "json")
#: A recipients file is read whole: at most this many bytes and rows.
MAX_RECIPIENTS_BYTES = 1_000_000
MAX_RECIPIENTS = 5_000


def add_parsers(sub: Any) -> None:
    """Register ``digest``."""
    p = sub.add_parser(
        "digest",
        help="the What changed page as a two-page brief (PDF, PowerPoint, Markdown, JSON), "
        "optionally e-mailed",
        description=(
            "The latest wave (or --wave) against the one before (or --since): every cell tested "
            "as one family (false discovery rate controlled), the significant changes in words, "
            "what detractors talk about most and the outlets beyond their control limits. "
            "--brand keeps one brand's cells, --dealer one outlet's. --smtp HOST:PORT with --to "
            "sends the PDF (credentials from CX_SMTP_USER / CX_SMTP_PASSWORD, sender "
            "CX_SMTP_FROM); --recipients FILE sends each reader the brief of their scope."
        ),
    )
    add_filter_arguments(p)
    p.add_argument("--wave", metavar="W", help="the later wave (default: the latest)")
    p.add_argument("--since", metavar="W0", help="the earlier wave (default: the one before)")
    p.add_argument("--brand", metavar="B", help="one brand's brief")
    p.add_argument("--dealer", metavar="O", help="one outlet's brief (its dealer code)")
    p.add_argument("--format", choices=FORMATS, default="pdf")
    p.add_argument(
        "--out", required=True, type=Path, help="file to write (a folder with --recipients)"
    )
    p.add_argument(
        "--base-url", default=None, help="the dashboard's address, for links (default: CX_BASE_URL)"
    )
    p.add_argument("--smtp", metavar="HOST:PORT", help="send the PDF through this SMTP server")
    p.add_argument(
        "--to", action="append", default=[], metavar="ADDRESS", help="a recipient; repeatable"
    )
    p.add_argument(
        "--recipients",
        type=Path,
        metavar="FILE",
        help="CSV of address,brand,dealer: one brief each",
    )
    p.set_defaults(func=cmd_digest)


@dataclass(frozen=True)
class Reader:
    """A recipient and the scope of their brief (both empty: the whole selection)."""

    address: str
    brand: str | None
    dealer: str | None
    line: int


def read_recipients(path: Path) -> list[Reader]:
    """The readers of a recipients file (``address,brand,dealer``; header required).

    Raises:
        CliError: missing, too large, no address column, or a line without a valid address
            (named by its line number, never by its text).
    """
    if not path.is_file():
        raise CliError(_("no recipients file at {path}").format(path=path))
    if path.stat().st_size > MAX_RECIPIENTS_BYTES:
        raise CliError(
            _("the recipients file is larger than {limit} bytes").format(
                limit=f"{MAX_RECIPIENTS_BYTES:,}"
            )
        )
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if len(rows) > MAX_RECIPIENTS:
        raise CliError(
            _("the recipients file has more than {limit} rows").format(limit=f"{MAX_RECIPIENTS:,}")
        )
    if rows and "address" not in rows[0]:
        raise CliError(_("the recipients file needs a header with an 'address' column"))
    out = []
    for i, row in enumerate(rows, start=2):
        address = (row.get("address") or "").strip()
        if not mail.valid_address(address):
            raise CliError(_("recipients file line {line}: not an e-mail address").format(line=i))
        brand = (row.get("brand") or "").strip() or None
        dealer = (row.get("dealer") or "").strip() or None
        out.append(Reader(address, brand, dealer, i))
    if not out:
        raise CliError(_("the recipients file lists nobody"))
    return out


def render(brief: briefs.Brief, fmt: str) -> bytes:
    """The brief in a format."""
    try:
        if fmt == "pdf":
            return briefs.as_pdf(brief)
        if fmt == "pptx":
            return briefs.as_pptx(brief)
    except briefs.BriefError as exc:
        raise CliError(str(exc)) from exc
    if fmt == "md":
        return briefs.as_markdown(brief).encode("utf-8")
    return (
        json.dumps(briefs.as_json(brief), indent=2, ensure_ascii=False, default=str) + "\n"
    ).encode()


def _body(brief: briefs.Brief) -> str:
    """The e-mail's text: the headline, the significant changes, where the rest is (in the
    current language, as the brief)."""
    against = _("{end} against {start}").format(end=brief.end, start=brief.start)
    lines = [
        brief.headline,
        "",
        f"{brief.scope} · {against} · {brief.dataset}",
        "",
    ]
    lines += [f"- {m.sentence}" for m in brief.moves[:10]] or [brief.nothing_changed]
    lines += ["", _("The two-page brief is attached as a PDF.")]
    if brief.link:
        lines.append(_("The page: {link}").format(link=brief.link))
    return "\n".join(lines) + "\n"


def _slug(reader: Reader) -> str:
    scope = reader.dealer or reader.brand or "all"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", scope).strip("-")[:60] or "scope"


def open_source(db: Path | None) -> Database:
    """``--db`` (a DuckDB file, or ``parquet:<folder>`` as the replicas read), else ``CX_DATA``,
    else the default database: a scheduled digest reads what the dashboard serves."""
    spec = str(db) if db is not None else connect.data_source()
    if connect.source_kind(spec) != "file":
        return Database(spec)
    return open_database(db)


def cmd_digest(args: argparse.Namespace) -> int:
    """Write the brief (or one per recipient) and send it when asked."""
    opts = options(args)
    if args.to and not args.smtp:
        raise CliError(_("--to needs --smtp HOST:PORT"))
    if args.smtp and not (args.to or args.recipients):
        raise CliError(_("--smtp needs --to ADDRESS or --recipients FILE"))
    if args.recipients and (args.to or args.brand or args.dealer):
        raise CliError(
            _("--recipients gives each reader's scope: leave out --to, --brand and --dealer")
        )
    for address in args.to:
        if not mail.valid_address(address):
            raise CliError(_("--to: not an e-mail address"))
    server = None
    if args.smtp:
        try:
            server = mail.server(args.smtp)
        except mail.MailError as exc:
            raise CliError(str(exc)) from exc
    readers = read_recipients(args.recipients) if args.recipients else []
    base_url = args.base_url if args.base_url is not None else os.environ.get("CX_BASE_URL", "")
    made: dict[tuple[str | None, str | None], briefs.Brief] = {}
    with open_source(args.db) as database:
        sel = selection(database, args)
        source = dataset_source(database.run, sel.dataset).of(sel)

        def brief_of(brand: str | None, dealer: str | None) -> briefs.Brief:
            if (brand, dealer) not in made:
                made[brand, dealer] = digest.build(
                    database.run, sel, opts, source, wave=args.wave, since=args.since,
                    brand=brand, dealer=dealer, base_url=base_url,
                )  # fmt: skip
            return made[brand, dealer]

        scopes = [
            (r.brand, r.dealer, " " + _("(recipients file line {line})").format(line=r.line))
            for r in readers
        ]
        for brand, dealer, where in scopes or [(args.brand, args.dealer, "")]:
            try:  # every scope is checked before anything is sent
                brief_of(brand, dealer)
            except digest.DigestError as exc:
                raise CliError(f"{exc}{where}") from exc
    if readers:
        return _per_reader(readers, made, args, server)
    only = made[args.brand, args.dealer]
    data = render(only, args.format)
    write_atomic(args.out, data)
    print(
        _("cx digest: wrote {path} ({headline})").format(path=args.out, headline=only.headline[:80])
    )
    if server is not None:
        pdf = data if args.format == "pdf" else render(only, "pdf")
        after = _("the brief was written to {path}").format(path=args.out)
        _send(server, only, args.to, pdf, after)
        sent = ngettext(
            "cx digest: sent to {n} recipient", "cx digest: sent to {n} recipients", len(args.to)
        )
        print(sent.format(n=len(args.to)))
    return 0


def _send(server: mail.Server, brief: briefs.Brief, to: list[str], pdf: bytes, after: str) -> None:
    name = f"cxbench-what-changed-{brief.end}.pdf"
    try:
        mail.send(server, mail.message(brief.headline, _body(brief), server.sender, to, pdf, name))
    except mail.MailError as exc:
        raise CliError(f"{exc}; {after}") from exc


def _per_reader(
    readers: list[Reader],
    made: dict[tuple[str | None, str | None], briefs.Brief],
    args: argparse.Namespace,
    server: mail.Server | None,
) -> int:
    """One brief per scope written into the folder ``--out``; each reader sent theirs."""
    args.out.mkdir(parents=True, exist_ok=True)
    files: dict[tuple[str | None, str | None], Path] = {}
    pdfs: dict[tuple[str | None, str | None], bytes] = {}
    for reader in readers:
        key = (reader.brand, reader.dealer)
        if key in files:
            continue
        data = render(made[key], args.format)
        files[key] = args.out / f"digest-{_slug(reader)}.{args.format}"
        write_atomic(files[key], data)
        if args.format == "pdf":
            pdfs[key] = data
    wrote = ngettext(
        "cx digest: wrote {n} brief into {path}",
        "cx digest: wrote {n} briefs into {path}",
        len(files),
    )
    print(wrote.format(n=len(files), path=args.out))
    if server is None:
        return 0
    for reader in readers:
        key = (reader.brand, reader.dealer)
        pdf = pdfs.get(key) or pdfs.setdefault(key, render(made[key], "pdf"))
        _send(
            server,
            made[key],
            [reader.address],
            pdf,
            _("recipients file line {line}; the briefs were written to {path}").format(
                line=reader.line, path=args.out
            ),
        )
    sent = ngettext("cx digest: sent {n} brief", "cx digest: sent {n} briefs", len(readers))
    print(sent.format(n=len(readers)))
    return 0
