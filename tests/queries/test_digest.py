"""``python -m cx digest``: the brief of a two-wave upload with two true changes, in JSON,
Markdown, PowerPoint and PDF; a dealer's brief; sending to a local SMTP sink; bad input."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from support import changes_scenario as scenario
from support.appserver import free_port, needs_tool

from cx import cli

#: The PDF tests read the printed brief with poppler's tools (installed by .ci/run).
needs_poppler = needs_tool(
    None
    if all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdftoppm"))
    else "poppler-utils is not installed"
)
OUTLET = f"DE-{scenario.MOVER[:3].upper()}-2"
SECRET = "pa55-word-never-printed"  # noqa: S105 (a test secret)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scenario.build(tmp_path_factory.mktemp("digest"))


class Sink:
    """An SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


@pytest.fixture()
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def digest(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["digest", "--db", str(db), "--dataset", scenario.DATASET, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_names_both_true_changes_and_at_most_three_false(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.json"
    code, _, err = digest(db, "--format", "json", "--out", str(out), capsys=capsys)
    assert code == 0, err
    brief = json.loads(out.read_text())
    changes = brief["changes"]
    for change in changes:
        assert {
            "metric",
            "group",
            "from",
            "to",
            "change",
            "ci_low",
            "ci_high",
            "p_value",
            "q_value",
        } <= set(change)
        assert change["ci_low"] <= change["change"] <= change["ci_high"]
        assert change["q_value"] < 0.05
    named = {(c["metric"], c["group"], c["item"]) for c in changes}
    assert ("nps", scenario.MOVER, None) in named
    assert ("satisfied", scenario.SERVICE, "maintain") in named
    false = [c for c in changes if not scenario.truly_changed(c)]
    assert len(false) <= 3, false
    assert (brief["since"], brief["wave"]) == scenario.WAVES
    assert brief["tested"] > 50 and brief["detractor_topics"]


def test_the_markdown_says_the_same_words_as_the_page(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.data.database import Database
    from cx.reports import changes as page
    from cx.reports.base import dataset_source

    out = tmp_path / "brief.md"
    assert digest(db, "--format", "md", "--out", str(out), capsys=capsys)[0] == 0
    text = out.read_text()
    with Database(str(db)) as database:
        result = page.compute(database.run, Selection(dataset=scenario.DATASET), Options())
        chart = page.charts(result, dataset_source(database.run, scenario.DATASET))[0]
    assert text.startswith(f"# {chart.title}")  # the page's headline, the brief's headline
    assert f"NPS of {scenario.MOVER} rose" in text


def test_a_dealer_gets_their_outlets_brief_only(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dealer.json"
    code, _, err = digest(
        db, "--dealer", OUTLET, "--format", "json", "--out", str(out), capsys=capsys
    )
    assert code == 0, err
    brief = json.loads(out.read_text())
    assert OUTLET in brief["scope"]
    assert all(c["metric"] == "outlet_nps" and c["group"] == OUTLET for c in brief["changes"])
    assert brief["cells"] == 1
    others = {f["outlet"] for f in brief["outlets_flagged"]}
    assert others <= {f"{scenario.MOVER} DE Outlet 2"}
    assert brief["outlets_tested"] <= 1


def test_a_brands_brief_keeps_its_brands_cells(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brand.json"
    assert (
        digest(
            db, "--brand", scenario.SERVICE, "--format", "json", "--out", str(out), capsys=capsys
        )[0]
        == 0
    )
    brief = json.loads(out.read_text())
    assert [(c["group"], c["item"]) for c in brief["changes"]][:1] == [
        (scenario.SERVICE, "maintain")
    ]
    assert {c["brand"] for c in brief["changes"]} == {scenario.SERVICE}


@pytest.mark.slow
@needs_poppler
def test_the_pdf_is_at_most_two_landscape_pages_and_renders(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.pdf"
    code, _, err = digest(
        db, "--out", str(out), "--base-url", "https://cx.example.com", capsys=capsys
    )
    assert code == 0, err
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 2
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == [
        f"page-{i}.png" for i in range(1, pages + 1)
    ]
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"NPS of {scenario.MOVER}" in text and scenario.SERVICE in text


def test_pptx_is_a_deck_of_the_briefs_charts(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pptx import Presentation

    out = tmp_path / "brief.pptx"
    assert digest(db, "--format", "pptx", "--out", str(out), capsys=capsys)[0] == 0
    deck = Presentation(str(out))
    texts = " ".join(s.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "cells changed significantly" in texts


@pytest.mark.slow
def test_a_digest_reaches_a_local_smtp_sink_with_the_pdf_attached(
    db: Path,
    tmp_path: Path,
    sink: tuple[Sink, int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, port = sink
    monkeypatch.setenv("CX_SMTP_FROM", "cx@example.com")
    out = tmp_path / "brief.md"
    code, printed, err = digest(
        db, "--format", "md", "--out", str(out), "--smtp", f"127.0.0.1:{port}",
        "--to", "ceo@example.com", "--to", "cfo@example.com", capsys=capsys,
    )  # fmt: skip
    assert code == 0, err
    assert len(handler.messages) == 1
    msg = handler.messages[0]
    assert set(handler.envelopes[0].rcpt_tos) == {"ceo@example.com", "cfo@example.com"}
    assert msg["Subject"] == out.read_text().splitlines()[0].removeprefix("# ")
    pdfs = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    assert "example.com" not in printed + err  # no address printed


def test_recipients_each_get_the_brief_of_their_scope(
    db: Path,
    tmp_path: Path,
    sink: tuple[Sink, int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cx.exports import brief as briefs

    monkeypatch.setattr(briefs, "as_pdf", lambda brief: b"%PDF-1.4 " + brief.scope.encode())
    handler, port = sink
    readers = tmp_path / "readers.csv"
    readers.write_text(
        f"address,brand,dealer\nboard@example.com,,\nbrand@example.com,{scenario.SERVICE},\n"
        f"dealer@example.com,,{OUTLET}\n"
    )
    code, _, err = digest(
        db, "--recipients", str(readers), "--out", str(tmp_path / "briefs"),
        "--smtp", f"127.0.0.1:{port}", capsys=capsys,
    )  # fmt: skip
    assert code == 0, err
    got = {e.rcpt_tos[0]: m for e, m in zip(handler.envelopes, handler.messages, strict=True)}
    assert set(got) == {"board@example.com", "brand@example.com", "dealer@example.com"}
    for envelope in handler.envelopes:
        assert len(envelope.rcpt_tos) == 1  # nobody sees another reader's brief or address
    dealer = got["dealer@example.com"]
    attached = next(p for p in dealer.walk() if p.get_content_type() == "application/pdf")
    assert OUTLET.encode() in attached.get_payload(decode=True)
    body = dealer.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"Outlet: {scenario.MOVER} DE Outlet 2 ({OUTLET})" in text
    assert scenario.SERVICE not in text + str(dealer["Subject"])
    assert len(list((tmp_path / "briefs").glob("digest-*.pdf"))) == 3


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_credentials_come_from_the_environment_and_are_never_printed(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aiosmtpd.smtp import AuthResult

    from cx.exports import brief as briefs

    monkeypatch.setattr(briefs, "as_pdf", lambda brief: b"%PDF-1.4 test")
    seen: list[tuple[bytes, bytes]] = []

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == SECRET.encode())

    handler = Sink()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=authenticate,
        auth_require_tls=False, auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        monkeypatch.setenv("CX_SMTP_USER", "digest")
        monkeypatch.setenv("CX_SMTP_PASSWORD", SECRET)
        args = (
            "--out",
            str(tmp_path / "b.pdf"),
            "--smtp",
            f"127.0.0.1:{port}",
            "--to",
            "ceo@example.com",
        )
        code, printed, err = digest(db, *args, capsys=capsys)
        assert code == 0, err
        assert seen == [(b"digest", SECRET.encode())] and len(handler.messages) == 1
        monkeypatch.setenv("CX_SMTP_PASSWORD", "wrong-" + SECRET)
        # aiosmtpd does not answer a refused login: the client's wait (mail.TIMEOUT) ends it
        from cx.exports import mail

        monkeypatch.setattr(mail, "TIMEOUT", 2)
        code, printed2, err2 = digest(db, *args, capsys=capsys)
        assert code == 2 and "refused the login" in err2
    finally:
        controller.stop()
    for text in (printed, err, printed2, err2):
        assert SECRET not in text and "ceo@example.com" not in text
    monkeypatch.delenv("CX_SMTP_PASSWORD")
    code, _, err = digest(db, *args, capsys=capsys)
    assert (
        code == 2
        and err.strip()
        == "cx digest: error: set both CX_SMTP_USER and CX_SMTP_PASSWORD, or neither"
    )


def test_an_unreachable_server_is_one_line_and_the_brief_is_written_anyway(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cx.exports import brief as briefs

    monkeypatch.setattr(briefs, "as_pdf", lambda brief: b"%PDF-1.4 test")
    out = tmp_path / "brief.pdf"
    code, _, err = digest(
        db, "--out", str(out), "--smtp", "127.0.0.1:9", "--to", "ceo@example.com", capsys=capsys
    )
    assert code == 2
    assert err.count("\n") == 1 and "could not reach the SMTP server" in err
    assert "ceo@example.com" not in err
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dealer", "NOPE-1"], "unknown dealer 'NOPE-1'"),
        (["--brand", "Nobody"], "unknown brand 'Nobody'"),
        (["--waves", "2024Q1"], "has 1 wave in this selection: nothing to compare"),
        (["--wave", "2031Q1"], "--wave '2031Q1'"),
        (["--to", "ceo@example.com"], "--to needs --smtp"),
        (["--smtp", "localhost"], "--smtp needs --to"),
        (["--smtp", "localhost", "--to", "not an address"], "--to: not an e-mail address"),
    ],
)
def test_bad_input_is_a_one_line_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = digest(
        db, "--format", "json", "--out", str(tmp_path / "x.json"), *args, capsys=capsys
    )
    assert code == 2
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "x.json").exists()


# ---- scheduling ------------------------------------------------------------------------------

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_cronjob_runs_the_digest_with_secrets_from_the_cluster_only() -> None:
    import shlex

    import yaml

    documents = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "digest.yaml").read_text()) if d]
    kinds = {d["kind"]: d for d in documents}
    job = kinds["CronJob"]["spec"]
    assert job["schedule"] == "0 6 * * 1" and job["concurrencyPolicy"] == "Forbid"
    container = job["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["valueFrom"] for e in container["env"]}
    for secret in ("CX_SMTP_USER", "CX_SMTP_PASSWORD", "CX_SMTP_FROM"):
        assert "secretKeyRef" in env[secret]
    command = container["command"][-1]
    argv = shlex.split(
        command.replace('"$CX_SMTP"', "smtp.example.com:587").replace('"$CX_BASE_URL"', "https://x")
    )
    assert argv[:4] == ["exec", "python", "-m", "cx"]
    args = cli.build_parser().parse_args(argv[4:])
    assert args.command == "digest" and str(args.recipients) == "/config/recipients.csv"
    assert "password" not in command.lower()
    readers = kinds["ConfigMap"]["data"]["recipients.csv"].splitlines()
    assert readers[0] == "address,brand,dealer"


def test_the_cron_line_runs_the_digest_weekly_without_a_secret_on_its_command_line() -> None:
    import shlex

    line = next(
        row
        for row in (DEPLOY / "cron" / "cxbench-digest").read_text().splitlines()
        if row and not row.startswith("#") and "=" not in row.split()[0]
    )
    fields = line.split(None, 6)
    assert fields[:5] == ["0", "6", "*", "*", "1"] and fields[5] == "cxbench"
    command = fields[6].split("&&")[-1].split(">>")[0]
    argv = shlex.split(command)
    assert argv[:3] == [".venv/bin/python", "-m", "cx"]
    assert cli.build_parser().parse_args(argv[3:]).command == "digest"
    assert "PASSWORD" not in fields[6].split("digest.env")[1]


@pytest.mark.slow
@needs_poppler
def test_the_fullest_brief_still_fits_two_pages_without_cutting_anything(tmp_path: Path) -> None:
    """Eight long changes, six topics, five long outlet names and a control chart: the last
    line of each part is printed (a page clips what overflows, so a cut part would be lost)."""
    import plotly.graph_objects as go
    import polars as pl

    from cx.exports import brief as briefs
    from cx.exports.chart import Chart, Kpi

    long = "Maintain (after-sales) satisfaction at Volkswagen Financial Services Nutzfahrzeuge"
    moves = tuple(
        briefs.Move(
            f"{long} {i} fell 21 points (64% to 43%)", "satisfied", "stage", "B", "maintain", "B",
            f"{long} {i}", "Satisfied %", "pct", 64.0, 43.0, -21.0, -35.0, -7.0, 1e-5, 0.004,
            "https://cx.example.com/journey?industry=Automakers",
        )
        for i in range(12)
    )  # fmt: skip
    chart = Chart(
        "outlet_control",
        "An outlet's chart",
        "",
        go.Figure(go.Scatter(x=[1, 2], y=[3, 4])),
        pl.DataFrame(),
    )
    brief = briefs.Brief(
        headline="12 of 654 cells changed significantly from 2024Q3 to 2024Q4; " + "; ".join(m.sentence for m in moves[:2]),
        scope="All respondents in the selection", dataset="Demo", source="Survey sample",
        filters="countries: DE, FR, GB, US; channels: dealer, direct", start="2024Q3", end="2024Q4",
        kpis=(Kpi("NPS of all respondents in 2024Q4", "+14", "-2 points (not significant)"),) * 3,
        moves=moves, tested=654, suppressed=504, level="95%", interval="99.9% interval", cells=654,
        topics=tuple(briefs.Share(f"Follow-up and communication {i}", 30.0 - i, 25.0, 35.0, 100) for i in range(6)),
        topics_note="Share of the selection's detractors who commented.",
        flags=tuple(briefs.Flag(f"Garage Roussel Hartwell Nantes Saint-Herblain {i}", "United Kingdom", "2024Q4", 30.0, 55.0, 0.001) for i in range(5)),
        outlets_tested=104, notes=tuple(f"Note {i}: " + "a long explanation of the method " * 6 for i in range(5)),
        charts=(chart,),
    )  # fmt: skip
    out = tmp_path / "full.pdf"
    out.write_bytes(briefs.as_pdf(brief))
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Note 4:" in flat and "Staff" not in flat
    shown = briefs.changes_that_fit(brief)
    assert 3 <= shown < briefs.PDF_CHANGES
    assert f"{long} {shown - 1}" in flat and f"{12 - shown} more significant changes" in flat
    assert f"Saint-Herblain {briefs.PDF_OUTLETS - 1}" in flat
    assert "Follow-up and communication 5" in flat
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "full")], check=True)


def test_a_survey_without_outlets_or_comments_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cx.build import databases
    from cx.ingest.files import ingest_file

    rows = [r for r in scenario.rows() if r["brand"] in (scenario.MOVER, scenario.SERVICE)]
    for row in rows:
        for column in (
            "Dealer code",
            "Dealer",
            "Is there anything else you would like to tell us?",
        ):
            del row[column]
    source = tmp_path / "plain.csv"
    source.write_bytes(scenario.csv_bytes(rows))
    db = tmp_path / "cx.duckdb"
    databases.create_database(db)
    ingest_file(source, "plain", db)
    out = tmp_path / "brief.json"
    code = cli.main(
        ["digest", "--db", str(db), "--dataset", "plain", "--format", "json", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    brief = json.loads(out.read_text())
    assert brief["outlets_note"].startswith("This dataset names no outlets")
    assert brief["topics_note"] == "No comments in 2024Q2 in this selection."
    assert [f["label"] for f in brief["figures"]] == [
        "NPS of all respondents in 2024Q2",
        "Significant changes",
    ]
    assert ("nps", scenario.MOVER) in {(c["metric"], c["group"]) for c in brief["changes"]}
