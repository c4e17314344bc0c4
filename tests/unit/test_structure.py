"""The shape of the code: one registry of reports, a core without Streamlit, small modules,
no hard-coded confidence level, imports that follow the README's layer diagram, a README and
docs whose code paths match the tree, no markup allowed through and SQL text built only in the
reviewed places."""

from __future__ import annotations

import ast
import importlib
import itertools
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from cx.ingest import model
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]
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
        for p in [*SOURCE, *ROOT.glob("tests/**/*.py"), ROOT / "Makefile"]
        if listing.search(p.read_text())
    ]
    assert hits in ([], ["tests/unit/test_structure.py"]), hits


def test_the_readme_layout_table_matches_the_tree() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `([^`]+)`", section, flags=re.M)
    assert paths, "the README has a layout table"
    for path in paths:
        assert (ROOT / path.rstrip("/")).exists(), path
    for folder in (
        "cx/core",
        "cx/data",
        "cx/metrics",
        "cx/models",
        "cx/charts",
        "cx/text",
        "cx/exports",
        "cx/build",
        "cx/ingest",
        "cx/reports",
        "cx/commands",
        "components",
        "pages",
        "queries",
    ):
        assert any(p.rstrip("/") == folder for p in paths), folder


def _layer_diagram() -> tuple[dict[str, str], dict[str, set[str]]]:
    """The README's layer diagram: which box each module path is in, and what each box may
    import (the boxes its arrows reach, directly or through other boxes)."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```mermaid\n(.*?)```", section, flags=re.S)
    assert block, "the README's Layers section has a mermaid diagram"
    boxes: dict[str, str] = {}
    arrows: dict[str, set[str]] = defaultdict(set)
    for line in block.group(1).splitlines():
        node = re.match(r'\s*(\w+)\["([^"]*)"\]\s*$', line)
        if node:
            for path in re.findall(r"cx/\w+(?:\.py)?|components/|pages/|app\.py", node.group(2)):
                boxes[path.rstrip("/")] = node.group(1)
        elif "-->" in line:
            ids = [part.strip() for part in line.split("-->")]
            for upper, lower in itertools.pairwise(ids):
                arrows[upper].add(lower)
    reach: dict[str, set[str]] = {}
    for box in set(boxes.values()):
        seen, todo = {box}, [box]
        while todo:
            for nxt in arrows[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        reach[box] = seen
    return boxes, reach


def _module_key(dotted: str) -> str | None:
    """The diagram's name for an imported module (``cx.metrics.stats`` -> ``cx/metrics``)."""
    parts = dotted.split(".")
    if parts[0] in ("components", "pages"):
        return parts[0]
    if parts[0] != "cx" or len(parts) < 2:
        return None
    return f"cx/{parts[1]}" if (ROOT / "cx" / parts[1]).is_dir() else f"cx/{parts[1]}.py"


def _file_key(path: Path) -> str:
    rel = path.relative_to(ROOT)
    if rel.parts[0] in ("components", "pages") or rel.name == "app.py":
        return rel.parts[0]
    return "/".join(rel.parts[:2])


def test_imports_point_down_the_readme_layer_diagram() -> None:
    """A module imports from its own box of the README's diagram or from boxes its arrows
    reach, never up; every module of cx/ is in a box, so the diagram is the whole house."""
    boxes, reach = _layer_diagram()
    assert all((ROOT / path).exists() for path in boxes), sorted(boxes)
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "components").rglob("*.py")),
        *sorted(p for p in (ROOT / "cx").rglob("*.py") if p.parent != ROOT / "cx"),
        *sorted(p for p in (ROOT / "cx").glob("*.py") if p.stem not in ("__init__", "__main__")),
    ]
    missing, upward = set(), []
    for path in files:
        source = _file_key(path)
        if source not in boxes:
            missing.add(source)
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "cx":
                    names = [f"cx.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                target = _module_key(name)
                if target is None or target == source:
                    continue
                if target not in boxes:
                    missing.add(target)
                elif boxes[target] not in reach[boxes[source]]:
                    upward.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not missing, f"not in the README's layer diagram: {sorted(missing)}"
    assert not upward, upward


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "data" / "README.md"]


def _code_spans(path: Path) -> list[str]:
    """Inline code of a Markdown file, fenced blocks left out, and spans followed by "(new)"
    too: a worked example names the files it would add."""
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return [span for span, new in re.findall(r"`([^`\n]+)`( \(new\))?", text) if not new]


def test_every_code_path_in_the_readme_and_docs_exists() -> None:
    """`cx/...`, `components/...`, `queries/...`, `pages/...`, `deploy/...` and `tests/...` written
    in the docs name files or folders of the tree (globs match something; ``::name`` suffixes
    ignored)."""
    wrong = []
    for doc in DOCS:
        for span in _code_spans(doc):
            path = span.split("::", 1)[0]
            if " " in path or not re.match(r"(cx|components|queries|pages|deploy|tests)/", path):
                continue
            found = any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()
            if not found:
                wrong.append(f"{doc.relative_to(ROOT)}: {span}")
    assert not wrong, wrong


def test_every_dotted_cx_name_in_the_readme_and_docs_resolves() -> None:
    """`cx.core.display.plain` and the like name a module and, after it, its attributes."""
    wrong = []
    for doc in DOCS:
        for span in _code_spans(doc):
            name = span.split("(", 1)[0]
            if not re.fullmatch(r"cx(\.\w+)+", name) or name == "cx.duckdb":  # the database file
                continue
            parts = name.split(".")
            for i in range(len(parts), 0, -1):
                module_name = ".".join(parts[:i])
                try:
                    found: object = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                for attr in parts[i:]:
                    found = getattr(found, attr, None)
                if found is None:
                    wrong.append(f"{doc.relative_to(ROOT)}: {span}")
                break
    assert not wrong, wrong


def test_every_upload_limit_is_stated_in_the_security_docs() -> None:
    """docs/security.md states each limit of cx/ingest/model.py with its current value."""
    text = (ROOT / "docs" / "security.md").read_text()
    for stated in (
        f"{model.MAX_FILE_MB} MB",
        f"{model.MAX_ROWS:,} rows",
        f"{model.MAX_COLUMNS:,} columns",
        f"{model.MAX_CELLS:,} cells",
        f"{model.MAX_FIELD_CHARS:,} characters",
        f"{model.MAX_UNPACKED_MB:,} MB",
        f"{model.MAX_RATIO}:1",
        f"{model.MAX_PARTS:,} parts",
        f"{model.READ_SECONDS} s",
        f"{model.READ_MEMORY_MB:,} MB",
    ):
        assert stated in text, stated
    ingest = (ROOT / "docs" / "ingest.md").read_text()
    assert f"outside {model.FIRST_YEAR} to next year" in ingest


CODE = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py"),
        *ROOT.glob("cx/**/*.py")]  # fmt: skip


def test_no_markup_is_ever_allowed_through() -> None:
    """No Markdown escape hatch, and HTML only as the one constant stylesheet."""
    for path in CODE:
        text = path.read_text()
        assert "unsafe_allow_html" not in text, path
        calls = re.findall(r"st\.html\(([^)]*)\)", text)
        assert set(calls) <= {"TILE_STYLE", "style"}, (path, calls)
        assert not calls or path.name == "cards.py", path


def test_sql_text_is_only_built_in_the_reviewed_places() -> None:
    """Every query is a .sql file with named parameters. SQL built from Python strings exists
    only where DuckDB cannot take parameters (DDL for Parquet views, COPY), from whitelisted
    table names and an operator-configured, quoted path: connect.connect_source/export_parquet."""
    allowed = {("connect.py", "connect_source")}
    offenders = []
    for path in CODE:
        tree = ast.parse(path.read_text())
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)] + [tree]:
            name = getattr(func, "name", "<module>")
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "sql")
                    and node.args
                    and not isinstance(node.args[0], ast.Constant | ast.Name | ast.Call)
                    and (path.name, name) not in allowed
                    and name != "<module>"
                ):
                    offenders.append(f"{path.name}:{node.lineno} in {name}")
    assert not offenders, offenders
