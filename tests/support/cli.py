"""The command line as a user runs it: ``python -m cx ...``, with its exit code, standard output
and standard error kept. Every test that runs the command line goes through :func:`cx`."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from cx import cli

ROOT = Path(__file__).resolve().parents[2]


def command(*args: str) -> list[str]:
    """The argument list that runs ``python -m cx args`` with this interpreter."""
    return [sys.executable, "-m", "cx", *args]


def cx(
    *args: str, check: bool = False, in_process: bool = False, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cx args`` from the repository's root; ``returncode``, ``stdout`` and
    ``stderr`` as text. With ``check``, a non-zero exit fails the test and shows the error.

    By default the command runs in a new process, as a user's does. ``in_process`` calls
    :func:`cx.cli.main` in this one instead, for a command that must see what the test patched
    (queries with one more cells file) or that builds a fixture.
    """
    if in_process:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
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
