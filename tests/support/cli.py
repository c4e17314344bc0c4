"""The command line as a user runs it: ``python -m cx ...``, with its exit code, standard output
and standard error kept. Every test that runs the command line goes through :func:`cx`."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from cx import cli

ROOT = Path(__file__).resolve().parents[2]
#: ``CX_TEST_CLI=in-process`` (``make test-fast``) runs every command in the test's process:
#: a new interpreter spends about 1.7 s of CPU importing the command line before it starts.
IN_PROCESS = os.environ.get("CX_TEST_CLI") == "in-process"


def command(*args: str) -> list[str]:
    """The argument list that runs ``python -m cx args`` with this interpreter."""
    return [sys.executable, "-m", "cx", *args]


def cx(
    *args: str, check: bool = False, in_process: bool = False, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cx args`` from the repository's root; ``returncode``, ``stdout`` and
    ``stderr`` as text. With ``check``, a non-zero exit fails the test and shows the error.

    The command runs in a new process, as a user's does, unless ``CX_TEST_CLI=in-process``.
    ``in_process`` calls :func:`cx.cli.main` in this process whatever the setting, for a
    command that must see what the test patched (queries with one more cells file) or that
    builds a fixture.
    """
    if in_process or IN_PROCESS:
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.chdir(ROOT),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse refuses the arguments
                code = exc.code if isinstance(exc.code, int) else 1
        proc = subprocess.CompletedProcess(command(*args), code, out.getvalue(), err.getvalue())
    else:
        proc = subprocess.run(
            command(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout
        )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc
