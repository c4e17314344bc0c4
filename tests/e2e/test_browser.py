"""Browser tests: the running app in headless Chromium (Playwright + Debian chromium)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import appserver
from support.browsing import CHROMIUM
from support.served import SHOTS, serve
from support.served import wait_idle as _wait_idle

from components.navigation import DATA_PAGES
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]
#: URL paths of every sidebar page (the first report is the app's root).
PAGES = ["" if r is REPORTS[0] else r.key for r in REPORTS] + [p.key for p in DATA_PAGES]
LINKS = len(PAGES)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(server_db: Path) -> Iterator[str]:
    """The app against a freshly built demo database, shared by this module's tests."""
    with serve(server_db) as url:
        yield url


def _local_errors(messages: list[tuple[str, str]], base: str) -> list[str]:
    """Console errors that concern the app itself (external map tiles are not reachable here)."""
    out = []
    for text, url in messages:
        if url and not url.startswith(base):
            continue
        if "ERR_NAME_NOT_RESOLVED" in text or "ERR_INTERNET_DISCONNECTED" in text:
            continue
        # Streamlit's frontend probes <page>/_stcore/... before the server root when a page
        # URL is opened directly; the 404 of that probe is Streamlit's, not the app's.
        path = url[len(base) :]
        if "/_stcore/" in path and not path.startswith("/_stcore/") and "404" in text:
            continue
        out.append(f"{text} ({url})")
    return out


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_without_errors_and_is_screenshotted(
    server: str, browser, path: str
) -> None:
    """Open the page, check there is no error box or console error, save a screenshot."""
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    messages: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda m: (
            messages.append((m.text, m.location.get("url", ""))) if m.type == "error" else None
        ),
    )
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    _wait_idle(page)
    errors = page.locator(
        '[data-testid="stException"], [data-testid="stAlertContentError"]'
    ).all_inner_texts()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or REPORTS[0].key}.png"), full_page=True)
    assert not errors, errors
    assert not _local_errors(messages, server), messages
    assert page.locator('[data-testid="stSidebarNav"] a').count() == LINKS
    page.close()


def test_supports_reopening_a_filtered_view_via_url(server: str, browser) -> None:
    """A copied link with filters restores them."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/brands?countries=DE,JP&waves=2024Q4", wait_until="domcontentloaded")
    _wait_idle(page)
    # a loaded machine can report idle while a rerun still redraws the sidebar: read it until
    # it holds every filter (30 s at most), then judge what it shows
    deadline = time.monotonic() + 30
    while True:
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        filters = sidebar[sidebar.find("Filters") :][:400]
        if all(w in filters for w in ("Waves", "Germany", "Japan", "2024Q4")):
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    # the filter shows country names, the URL keeps the codes
    assert "Germany" in filters and "Japan" in filters and "2024Q4" in filters, (filters, page.url)
    assert "countries=DE%2CJP" in page.url or "countries=DE,JP" in page.url
    page.screenshot(path=str(SHOTS / "brands-filtered-1366.png"), full_page=True)
    page.close()


def test_the_home_page_opens_by_its_own_name_with_the_links_query(server: str, browser) -> None:
    """An analyst's review: /overview, the name the command line and every other page's
    address use, was "Page not found" over the Overview (the modal blocked the export button);
    it opens the home page with the link's filters."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/{REPORTS[0].key}?countries=DE", wait_until="domcontentloaded")
    _wait_idle(page)
    deadline = time.monotonic() + 30
    while "countries=DE" not in page.url.split("/")[-1] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert page.url.split("?")[0].rstrip("/") == server.rstrip("/"), page.url
    assert "countries=DE" in page.url
    assert page.get_by_text("Page not found").count() == 0
    assert "Germany" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.close()


def test_bad_url_values_show_a_notice_not_an_exception(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(
        f"{server}/?countries=XX,<script>&dataset=nope&bogus=1", wait_until="domcontentloaded"
    )
    _wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stToast"]').count() >= 1
    page.close()


def test_changing_a_sidebar_filter_updates_numbers_and_url(server: str, browser) -> None:
    """Pick an industry in the sidebar: the NPS tile changes and the URL records the filter."""
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    page.goto(server, wait_until="domcontentloaded")
    _wait_idle(page)
    tile = page.locator('[data-testid="stMetricValue"]').first
    before = tile.inner_text()
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(2)
    box.click()
    page.keyboard.type("Online retailers")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _wait_idle(page)
    assert tile.inner_text() != before
    assert "industries=Online" in page.url
    page.locator('[data-testid="stSidebarNav"] a', has_text="Brands").click()
    _wait_idle(page)
    assert "/brands" in page.url
    assert "Online retailers" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.close()


def test_a_sub_page_as_the_first_request_of_a_fresh_server_uses_app_navigation(
    default_db: Path, browser, tmp_path: Path
) -> None:
    """Streamlit's legacy pages/ discovery must not take over when a deep link comes first."""
    own = tmp_path / "fresh.duckdb"  # a second server needs its own (writable) database file
    shutil.copy(default_db, own)
    with serve(own) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/channels", wait_until="domcontentloaded")
        _wait_idle(page)
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert len(links) == LINKS, links
        assert any("Dealer vs direct" in t for t in links), links
        assert page.get_by_role("heading", name="Dealer vs direct sales").count() == 1
        assert page.url.rstrip("/").endswith("/channels")
        page.close()


def test_page_and_chart_exports_download_from_the_browser(
    server: str, browser, tmp_path: Path
) -> None:
    """PowerPoint, Excel and a chart's PNG download with the filters of the URL."""
    from pptx import Presentation

    page = browser.new_page(viewport={"width": 1440, "height": 1200}, accept_downloads=True)
    page.goto(f"{server}/channels?countries=DE,US", wait_until="domcontentloaded")
    _wait_idle(page)
    page.get_by_role("button", name="Export page").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PowerPoint").click()
    deck_path = tmp_path / "channels.pptx"
    info.value.save_as(deck_path)
    prs = Presentation(str(deck_path))
    slides = list(prs.slides)
    assert len(slides) == 6  # title, key figures (published context), 4 charts
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "countries: DE, US" in first and "industries: Automakers" in first
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Excel").click()
    # the dataset and the day in the name: two datasets' exports do not overwrite each other
    assert re.fullmatch(
        r"cxbench-demo-channels-\d{4}-\d{2}-\d{2}\.xlsx", info.value.suggested_filename
    )
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Export", exact=True).first.click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG 16:9").click()
    png = tmp_path / "chart.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_revenue_export_follows_the_sliders(server: str, browser, tmp_path: Path) -> None:
    """The model runs in a fragment: after an input moves, every slide and sheet of the page's
    exports shows the new total and input (key figures, chart, assumptions, summary sheet)."""
    import openpyxl
    from pptx import Presentation

    from cx.core import display
    from cx.models import revenue

    page = browser.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
    page.goto(
        f"{server}/revenue?preset={revenue.CALIBRATION_PRESET}", wait_until="domcontentloaded"
    )
    _wait_idle(page)
    before = revenue.compute(revenue.resolve())["total_at_risk_usd"]
    box = page.get_by_role("spinbutton", name="Vehicles sold per year")
    box.fill("1000000")
    box.press("Enter")
    _wait_idle(page)
    want = revenue.compute(revenue.resolve(overrides={"vehicles_per_year": 1_000_000}))
    total = display.usd_m(want["total_at_risk_usd"])
    assert total != display.usd_m(before)
    assert total in page.inner_text('[data-testid="stMain"]')  # the screen's tile
    page.get_by_role("button", name="Export page").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Excel").click()
    path = tmp_path / "revenue.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    # the sheet's rows: component, USD a year, then the lost vehicles where there are some
    rows = {r[0]: r[1] for r in book["Revenue at risk"].iter_rows(values_only=True)}
    assert rows["Total revenue at risk"] == pytest.approx(want["total_at_risk_usd"])
    cells = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    assert total in cells and display.usd_m(before) not in cells  # the summary sheet too
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PowerPoint").click()
    deck = tmp_path / "revenue.pptx"
    info.value.save_as(deck)
    slides = []
    for slide in Presentation(str(deck)).slides:
        words = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        words += [
            c.text for s in slide.shapes if s.has_table for r in s.table.rows for c in r.cells
        ]
        slides.append(" | ".join(words))
    assert all(display.usd_m(before) not in s for s in slides), slides
    assert any(total in s for s in slides[:2])  # the key-figure slide
    assumptions = next(s for s in slides if "Assumptions" in s)
    assert "1,000,000" in assumptions and "yes" in assumptions  # changed from its preset
    page.close()


def test_the_revenue_model_stays_in_the_language_after_an_input_moves(
    server: str, browser, tmp_path: Path
) -> None:
    """The review: with the page in Russian, one slider move turned the whole model panel
    English ("Preset", "Total revenue at risk"), and the deck exported next had Russian kickers
    over English titles: the model's fragment ran again without the language set."""
    from pptx import Presentation

    from cx.core import i18n
    from cx.models import revenue

    page = browser.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
    page.goto(
        f"{server}/revenue?lang=ru&preset={revenue.CALIBRATION_PRESET}",
        wait_until="domcontentloaded",
    )
    _wait_idle(page)
    with i18n.use("ru"):
        vehicles, preset = i18n._("Vehicles sold per year"), i18n._("Preset")
        total, export = i18n._("Total revenue at risk"), i18n._("Export page")
    box = page.get_by_role("spinbutton", name=vehicles)
    box.fill("1000000")
    box.press("Enter")
    _wait_idle(page)
    shown = page.inner_text('[data-testid="stMain"]')
    assert preset in shown and total in shown, shown[:500]
    assert "Preset" not in shown and "Total revenue at risk" not in shown
    page.get_by_role("button", name=export).click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PowerPoint").click()
    deck = tmp_path / "revenue-ru.pptx"
    info.value.save_as(deck)
    text = " ".join(
        s.text_frame.text for slide in Presentation(str(deck)).slides for s in slide.shapes
        if s.has_text_frame
    )  # fmt: skip
    assert "a year at risk" not in text and "Total revenue at risk" not in text, text[:500]
    page.close()


def test_upload_a_survey_export_and_open_the_dashboard_on_it(
    server: str, browser, tmp_path: Path
) -> None:
    """Upload a Qualtrics export, store it, and land on the overview with that dataset."""
    from support import survey_files as sf

    export = tmp_path / "qualtrics export.csv"
    export.write_bytes(sf.qualtrics(sf.answers(300)))
    page = browser.new_page(viewport={"width": 1440, "height": 2600})
    page.goto(f"{server}/upload", wait_until="domcontentloaded")
    _wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(export))
    _wait_idle(page)
    assert "Qualtrics export" in page.inner_text('[data-testid="stMain"]')
    page.get_by_role("button", name="Store dataset").click()
    _wait_idle(page)
    assert "Stored 'qualtrics-export': 300 rows" in page.inner_text('[data-testid="stMain"]')
    page.get_by_role("button", name="Open the dashboard on it").click()
    _wait_idle(page)
    assert "dataset=qualtrics-export" in page.url
    # the sidebar's level and minimum n as they were: the switch once reset them to their
    # widgets' first values (90%, n = 10) while the sidebar still said 95% and 30
    assert "confidence=" not in page.url and "min_n=" not in page.url, page.url
    main = page.inner_text('[data-testid="stMain"]')
    assert "uploaded survey: qualtrics-export" in main
    assert "95% interval" in main and "90% interval" not in main
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "overview-upload.png"), full_page=True)
    page.close()


#: Text the page cuts with an ellipsis, and chart text that falls outside its chart.
CUT_TEXT = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim()) {
      cut.push('ellipsis: ' + el.innerText.trim().slice(0, 60));
    }
  }
  for (const svg of document.querySelectorAll('[data-testid="stMain"] svg.main-svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width < 50) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) continue;
      if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2) {
        cut.push('chart text outside its chart: ' + t.textContent.trim().slice(0, 60));
      }
    }
  }
  // a choice's text wider than its box (Streamlit draws it in an input, which clips it: the
  // revenue preset read "Mid-size brand with this sample's after-sales answer" at 1366)
  const pen = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"] input')) {
    const style = getComputedStyle(el);
    pen.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (el.value && pen.measureText(el.value).width > room + 1) {
      cut.push('choice cut: ' + el.value.slice(0, 60));
    }
  }
  return cut;
}"""


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)], ids=["1366", "1440"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_cut_or_overflowing(
    server: str, browser, path: str, size: tuple[int, int], lang: str = "en"
) -> None:
    """At both laptop sizes no label, button, choice or tile text is cut and no chart text
    (axis titles, labels, legends) falls outside its chart; a full-page screenshot is kept for
    a person to look at."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    query = f"?lang={lang}" if lang != "en" else ""
    page.goto(f"{server}/{path}{query}", wait_until="domcontentloaded")
    _wait_idle(page)
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size[0], "height": min(tall + 40, 8000)})
    _wait_idle(page)
    time.sleep(1.0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "en" else f"-{lang}"
    shot = SHOTS / f"{path or REPORTS[0].key}-{size[0]}{suffix}.png"
    page.screenshot(path=str(shot), full_page=True)
    cut = page.evaluate(CUT_TEXT)
    page.close()
    assert not cut, cut


@pytest.mark.parametrize("lang", ["zh", "ru"])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_cut_in_chinese_or_russian(server: str, browser, path: str, lang: str) -> None:
    """Every page at 1366 in the languages whose words run longest or widest: Russian runs a
    third longer (the tornado's axis title was cut at "в го…", the programme's at "полностью
    верн…"), Chinese money is wider ("5.32 亿美元")."""
    test_nothing_is_cut_or_overflowing(server, browser, path, (1366, 768), lang)


def test_voice_page_reads_the_open_answers_of_an_uploaded_export(
    server: str, browser, tmp_path: Path
) -> None:
    """Upload a Qualtrics export with an open question; the Voice page shows its comments in
    four languages with personal data masked, and the topic filter narrows the examples."""
    from support import survey_files as sf

    export = tmp_path / "voice export.csv"
    export.write_bytes(sf.qualtrics(sf.answers(240, seed=5)))
    page = browser.new_page(viewport={"width": 1366, "height": 2600})
    page.goto(f"{server}/upload", wait_until="domcontentloaded")
    _wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(export))
    _wait_idle(page)
    assert "comments from 1 open-answer column" in page.inner_text('[data-testid="stMain"]')
    page.get_by_role("button", name="Store dataset").click()
    _wait_idle(page)
    page.goto(f"{server}/voice?dataset=voice-export", wait_until="domcontentloaded")
    _wait_idle(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert "Example comments" in main and "uploaded survey: voice-export" in main
    assert "415 555 0134" not in main and "13812345678" not in main
    assert "[phone]" in main or "[e-mail]" in main
    assert page.locator('[data-testid="stException"]').count() == 0
    page.goto(f"{server}/voice?dataset=voice-export&topic=waiting", wait_until="domcontentloaded")
    _wait_idle(page)
    examples = page.locator('[class*="st-key-voice_example_"]').all_inner_texts()
    assert examples and all("Waiting and service time" in e for e in examples)
    page.screenshot(path=str(SHOTS / "voice-upload.png"), full_page=True)
    page.close()


def test_links_and_images_in_the_url_stay_text_and_fetch_nothing(server: str, browser) -> None:
    """The issue's probes: a link in a toast, a link in a revenue input, an image in a toast."""
    from urllib.parse import quote, urlparse

    probes = {
        "/?countries=" + quote("[Sign in again](https://evil.example/x)"): "Sign in again",
        "/?countries=" + quote("![x](http://127.0.0.1:9/track.png)"): "track.png",
        "/?countries=" + quote("www.evil.example/login"): "evil.example/login",
        "/revenue?dissatisfied_share=" + quote("[Click here](https://evil.example/x)"): None,
    }
    requested: list[str] = []
    for path, shown in probes.items():
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.on("request", lambda r: requested.append(r.url))
        page.goto(server + path, wait_until="domcontentloaded")
        if shown:  # the value is shown, as text
            toast = page.locator('[data-testid="stToast"]').first
            toast.wait_for(timeout=60_000)
            assert shown in toast.inner_text().replace("\u200b", ""), path
        _wait_idle(page)
        assert page.locator('a[href*="evil.example"]').count() == 0, path
        assert page.locator('img[src*="track.png"]').count() == 0, path
        assert page.locator('[data-testid="stException"]').count() == 0, path
        page.close()
    fetched = [
        u
        for u in requested
        if urlparse(u).port == 9 or (urlparse(u).hostname or "").endswith("evil.example")
    ]
    assert not fetched, fetched


def test_six_sub_pages_requested_at_once_on_a_fresh_server_all_run_cleanly(
    default_db: Path, tmp_path: Path
) -> None:
    """Concurrent first requests once met half-imported modules ("partially initialized
    module 'pandas'", 2 of 3 trials): six sessions open six sub-pages at the same moment, over
    Streamlit's own protocol, on a server that has served nothing yet."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    own = tmp_path / "fresh.duckdb"
    shutil.copy(default_db, own)
    keys = [r.key for r in REPORTS[1:7]]
    with appserver.serve(own) as running, ThreadPoolExecutor(1) as pool:
        # a thread of its own: Playwright's sync API keeps an event loop on this one
        results = pool.submit(asyncio.run, _open_together(running.url, keys)).result()
        log = running.log.read_text()
    for key, (finished, problems) in zip(keys, results, strict=True):
        assert finished, key
        assert not problems, (key, problems)
    assert "partially initialized" not in log and "Traceback" not in log
    assert '"page_error"' not in log


async def _open_together(base: str, keys: list[str]) -> list[tuple[bool, list[str]]]:
    import asyncio

    start = asyncio.Event()
    tasks = [asyncio.create_task(_first_run(base, key, start)) for key in keys]
    await asyncio.sleep(0.5)  # every connection is open: go
    start.set()
    return list(await asyncio.gather(*tasks))


async def _first_run(base: str, key: str, start) -> tuple[bool, list[str]]:
    """Open ``/<key>`` as a browser's first request would, and collect what went wrong."""
    import asyncio

    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    problems: list[str] = []
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=2**27) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = key
        msg.rerun_script.context_info.timezone = "UTC"
        await start.wait()
        await ws.send(msg.SerializeToString())
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    problems.append(
                        f"exception: {element.exception.type} {element.exception.message[:120]}"
                    )
                elif what == "alert" and "Something went wrong" in element.alert.body:
                    problems.append(element.alert.body[:160])
            elif kind == "script_finished":
                return True, problems


def test_market_page_follows_study_and_brand_picks_and_reopens_from_its_url(
    server: str, browser
) -> None:
    """Pick a study, a year and a brand on the market page: findings and URL follow; the URL
    reopens the same view."""
    page = browser.new_page(viewport={"width": 1366, "height": 1600})
    page.goto(f"{server}/market", wait_until="domcontentloaded")
    _wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Subaru leads ACSI Automobile 2025 with 85" in main.inner_text()

    def pick(label: str, text: str) -> None:
        page.get_by_role("combobox", name=label).click()
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        _wait_idle(page)

    pick("Study", "U.S. Sales Satisfaction")
    assert "Sales+Satisfaction" in page.url or "Sales%20Satisfaction" in page.url, page.url
    pick("Year", "2013")
    pick("Brand to follow", "Lexus")
    text = main.inner_text()
    assert "Jaguar leads J.D. Power U.S. SSI 2013 with 740; Lexus ranks 3rd of 13" in text
    assert "Lexus: published scores in 6 studies" in text
    assert "year=2013" in page.url and "brand=Lexus" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SHOTS / "market-ssi-lexus-1366.png"), full_page=True)
    again = browser.new_page(viewport={"width": 1440, "height": 1600})
    again.goto(page.url, wait_until="domcontentloaded")
    _wait_idle(again)
    assert "Lexus ranks 3rd of 13" in again.locator('[data-testid="stMain"]').inner_text()
    page.close()
    again.close()


def test_switching_language_redraws_every_choice_and_exports_follow(
    server: str, browser, tmp_path: Path
) -> None:
    """Chinese, then Russian from the sidebar: every choice reads in Russian (a selectbox kept
    its Chinese option text, which matched no Russian option), the filters stay, and the deck
    built on click is Russian from its first slide (its source paragraph was English)."""
    from pptx import Presentation

    page = browser.new_page(viewport={"width": 1440, "height": 1200}, accept_downloads=True)
    page.goto(f"{server}/journey?lang=zh&countries=CN", wait_until="domcontentloaded")
    _wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    dataset = sidebar.locator('[data-testid="stSelectbox"]').nth(1).locator("input")
    assert "演示" in dataset.input_value()
    sidebar.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    _wait_idle(page)
    assert "lang=ru" in page.url and "countries=CN" in page.url
    assert "Демо" in dataset.input_value()
    assert "Китай" in sidebar.inner_text()
    page.get_by_role("button", name="Экспорт страницы").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PowerPoint").click()
    deck = tmp_path / "journey.pptx"
    info.value.save_as(deck)
    title = next(iter(Presentation(str(deck)).slides))
    first = " ".join(s.text_frame.text for s in title.shapes if s.has_text_frame)
    assert "Путь клиента" in first and "Survey" not in first and "dataset" not in first
    page.close()
