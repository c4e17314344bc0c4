"""Start the app on a free loopback port (browser tests and the load test share this)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Server:
    """A running app: its base URL, process id and the file its output goes to."""

    url: str
    pid: int
    log: Path


def needs_tool(missing: str | None) -> pytest.MarkDecorator:
    """Skip, with ``missing`` as the reason, where a tool the tests drive (Java for Spark,
    nginx) is not installed; never in CI (``CX_REQUIRE_TOOLS=1``, set by ``.ci/run``, which
    installs them): there the tests run and a missing tool fails them."""
    required = os.environ.get("CX_REQUIRE_TOOLS") == "1"
    return pytest.mark.skipif(missing is not None and not required, reason=str(missing))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float, failure: str) -> None:
    """Wait until ``url`` answers ``/_stcore/health`` (directly or through a proxy); raise
    ``failure`` when ``proc`` exits or ``timeout`` seconds pass first."""
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(failure) from None
            time.sleep(0.2)


@contextlib.contextmanager
def serve(
    db: Path, log: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Run ``streamlit run app.py`` against ``db`` (no basemap tiles: no network here);
    ``env`` adds variables (``CX_DATA=parquet:<folder>`` serves a published folder instead).

    Output goes to ``log`` (a file beside the database by default), never to an unread pipe:
    the app logs a line per page run, which would fill a pipe and stall the server.
    """
    port = free_port()
    log = log or db.with_suffix(f".{port}.log")
    env = {**os.environ, "CX_DB": str(db), **(env or {})}
    command = [sys.executable, "-m", "components.server", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, timeout, f"streamlit did not start; see {log}")
            yield Server(url, proc.pid, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a hung server must not outlive the test
                proc.kill()
                proc.wait(timeout=30)
