"""The shape of the code: one registry of reports, a core without Streamlit, small modules,
no hard-coded confidence level, and a README layout that matches the tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = [p for p in ROOT.glob("**/*.py") if ".venv" not in p.parts and "tests" not in p.parts]


def test_the_registry_has_every_report_with_its_parts() -> None:
    keys = [r.key for r in REPORTS]
    original = ["overview", "industries", "brands", "countries", "journey", "channels", "revenue"]
    assert [k for k in keys if k in original] == original  # the first seven pages keep their order
    assert {"market", "voice", "dealers"} <= set(keys)
    assert keys[0] == "overview" and keys[-1] == "revenue"
    assert len(set(keys)) == len(keys)
    for report in REPORTS:
        assert report.title and callable(report.compute) and callable(report.charts)
        assert (ROOT / "pages" / f"{report.key}.py").is_file(), report.key


def test_the_core_and_the_command_line_load_no_streamlit() -> None:
    code = (
        "import sys, cx.reports, cx.cli, cx.commands, cx.exports, cx.ingest;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'components'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_module_over_700_lines_and_no_function_over_120() -> None:
    long_files = [str(p.relative_to(ROOT)) for p in SOURCE if len(p.read_text().splitlines()) > 700]
    assert not long_files, long_files
    long_functions = []
    for path in SOURCE:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 120:
                    long_functions.append(f"{path.relative_to(ROOT)}:{node.name} ({length})")
    assert not long_functions, long_functions


def test_no_label_writes_a_confidence_level_itself() -> None:
    """Labels read the level from the options; a literal such as "95%" would ignore the choice."""
    pattern = re.compile(r"""["'][^"'\n]*\b(90|95|99) ?%""")
    offenders = []
    for path in SOURCE:
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, offenders


def test_page_keys_are_written_out_in_one_file() -> None:
    """Only the registry lists the reports; everything else loops over it."""
    listing = re.compile(r"""["']overview["'][^\n]*["']industries["']""")
    hits = [
        str(p.relative_to(ROOT))
        for p in [*SOURCE, *ROOT.glob("tests/*.py"), ROOT / "Makefile"]
        if listing.search(p.read_text())
    ]
    assert hits in ([], ["tests/test_structure.py"]), hits


def test_the_readme_layout_table_matches_the_tree() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `([^`]+)`", section, flags=re.M)
    assert paths, "the README has a layout table"
    for path in paths:
        assert (ROOT / path.rstrip("/")).exists(), path
    for folder in (
        "cx/reports",
        "cx/exports",
        "cx/ingest",
        "cx/commands",
        "components",
        "pages",
        "queries",
    ):
        assert any(p.rstrip("/") == folder for p in paths), folder
