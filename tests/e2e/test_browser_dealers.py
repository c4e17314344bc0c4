"""Browser tests of the dealer scorecards page (Playwright + Debian chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import survey_files as sf
from support.browsing import CHROMIUM
from support.served import SHOTS, serve
from support.served import wait_idle as _wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(server_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app against its own copy of the demo database (uploads write to it)."""
    import shutil

    own = tmp_path_factory.mktemp("dealers-server") / "cx.duckdb"
    shutil.copy(server_db, own)
    with serve(own) as url:
        yield url


def _no_errors(page) -> None:
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert boxes.count() == 0, boxes.all_inner_texts()


def _pick(page, label: str, text: str) -> None:
    """Choose ``text`` in the select box labelled ``label``."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    _wait_idle(page)


@pytest.mark.parametrize("width", [1366, 1440])
def test_the_page_ranks_outlets_and_follows_the_brand_pick(
    server: str, browser, width: int
) -> None:
    """Open the page, pick a brand: the league shows only its outlets and the URL keeps it."""
    page = browser.new_page(viewport={"width": width, "height": 1200})
    page.goto(f"{server}/dealers", wait_until="domcontentloaded")
    _wait_idle(page)
    _no_errors(page)
    main = page.locator('[data-testid="stMain"]')
    assert page.get_by_role("heading", name="Dealer scorecards").count() == 1
    assert "League table" in main.inner_text() and "Outlet scorecard" in main.inner_text()
    _pick(page, "Brand", "Brenner")
    _no_errors(page)
    assert "brand=Brenner" in page.url
    text = main.inner_text()
    assert "Brenner outlets in" in text  # the league's finding names the brand
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dealers-brenner-{width}.png"), full_page=True)
    page.close()


def test_an_outlets_own_deck_downloads(server: str, browser, tmp_path: Path) -> None:
    """The outlet's PowerPoint: title with its name, key figures, its two charts."""
    from pptx import Presentation

    page = browser.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
    page.goto(f"{server}/dealers?brand=Brenner&country=DE", wait_until="domcontentloaded")
    _wait_idle(page)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PowerPoint for this outlet").click()
    path = tmp_path / "outlet.pptx"
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith("cxbench-demo-outlet-DE-BRE-")
    slides = list(Presentation(str(path)).slides)
    texts = [" ".join(s.text_frame.text for s in sl.shapes if s.has_text_frame) for sl in slides]
    assert "outlet scorecard of DE-BRE-" in texts[0] and "Brenner outlets" in texts[0]
    assert "Rank in brand" in texts[1] and "Shrunk NPS" in texts[1]
    assert len(slides) == 4  # title, key figures, stages, trend
    _no_errors(page)
    page.close()


def test_upload_a_file_with_a_dealer_column_and_open_its_scorecards(
    server: str, browser, tmp_path: Path
) -> None:
    """A dealer-CRM export with Chinese headers: detected, stored, ranked on the page."""
    export = tmp_path / "经销商 export.csv"
    rows = sf.answers(900, seed=21)
    export.write_bytes(sf.dealer_export(rows, "zh"))
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    page.goto(f"{server}/upload", wait_until="domcontentloaded")
    _wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(export))
    _wait_idle(page)
    page.get_by_role("button", name="Store dataset").click()
    _wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Stored '" in main and "900 rows" in main
    name = main.split("Stored '", 1)[1].split("'", 1)[0]
    page.goto(
        f"{server}/dealers?dataset={name}&country=all&min_n=10", wait_until="domcontentloaded"
    )
    _wait_idle(page)
    _no_errors(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert f"uploaded survey: {name}" in text
    names = {sf.outlet_of(r, i)[1] for i, r in enumerate(rows)}
    assert "ranked outlets" in text and any(n in text for n in names)
    page.screenshot(path=str(SHOTS / "dealers-upload-1440.png"), full_page=True)
    page.close()
