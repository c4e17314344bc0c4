"""The app served to the browser tests: its base URL, waiting until a page has finished its
script run, and where the screenshots go."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from support import appserver

ROOT = Path(__file__).resolve().parents[2]
#: Where browser tests leave their screenshots (``make screens``).
SHOTS = ROOT / "artifacts" / "screenshots"
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@contextlib.contextmanager
def serve(db: Path) -> Iterator[str]:
    """The app on a free loopback port against ``db``; yields its base URL."""
    with appserver.serve(db) as running:
        yield running.url


def wait_idle(page: Any) -> None:
    """Until the page has drawn its title and the script run has finished (twice, a second
    apart, so a rerun that follows the first run is waited for too)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    for _ in range(2):
        page.wait_for_selector(DONE, timeout=60_000)
        time.sleep(1.0)
