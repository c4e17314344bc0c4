"""The interface in Chinese and Russian: every page opened with ``?lang=zh`` or ``?lang=ru``
shows no English beyond data values (brand, dealer, country and dataset names as stored,
published studies) and the names every language writes in Latin letters; the language comes
from the link, the sidebar or the browser and stays in the link."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from support.apptest import open_app
from support.english import data_words, leftover, words_of

from components import data as app_data
from components import session
from components.navigation import DATA_PAGES
from cx.core import i18n
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]
PAGES = [f"pages/{r.key}.py" for r in REPORTS] + [f"pages/{p.key}.py" for p in DATA_PAGES]

pytestmark = pytest.mark.usefixtures("app_env")


@pytest.mark.parametrize("lang", ["zh", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_in_the_chosen_language(page: str, lang: str, fixture_db: Path) -> None:
    at = open_app(page, timeout=120, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    # data values: the demo's, and the names and ids of datasets other tests uploaded
    catalogue = app_data.datasets()  # the app's own connection, in this process
    uploads = [*catalogue["dataset"].to_list(), *catalogue["label"].drop_nulls().to_list()]
    left = leftover(at, data_words(str(fixture_db)) | words_of(uploads))
    assert not left, f"{len(left)} texts with English on {page} ({lang}):\n" + "\n".join(
        repr(t[:200]) for t in left
    )


def test_the_language_stays_in_the_link_and_the_sidebar_changes_it() -> None:
    at = open_app(None, lang="ru")
    assert at.query_params["lang"] == ["ru"] or at.query_params["lang"] == "ru"
    language = next(s for s in at.sidebar.selectbox if s.key == "f_lang")
    assert language.value == "ru"
    language.set_value("zh").run()
    assert not at.exception
    assert i18n.NATIVE_NAMES["zh"] in language.options or "zh" in language.options
    lang = at.query_params["lang"]
    assert (lang[0] if isinstance(lang, list) else lang) == "zh"


def test_english_is_the_default_and_leaves_the_link_clean() -> None:
    at = open_app(None)
    assert "lang" not in at.query_params
    assert next(s for s in at.sidebar.selectbox if s.key == "f_lang").value == "en"


def test_an_unknown_language_in_the_link_is_ignored_with_a_notice() -> None:
    at = open_app(None, lang="xx")
    assert not at.exception
    assert "lang" not in at.query_params
    assert any("interface language" in str(t.proto.body) for t in at.toast)


def test_a_download_built_on_click_is_in_the_language_of_the_page() -> None:
    """Streamlit builds a deferred download in a server thread, where the language is the
    default: every download's data is wrapped to keep the page's language."""
    with i18n.use("zh"):
        make = session.in_language(lambda: i18n._("Export page"))
        expected = i18n._("Export page")
    built: list[str] = []
    thread = threading.Thread(target=lambda: built.append(make()))
    thread.start()
    thread.join()
    assert built == [expected] and expected != "Export page"
    calls = 0
    for path in [ROOT / "components" / "cards.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for call in re.findall(r"download_button\((.*?)\n\s*\)", path.read_text(), re.S):
            calls += 1
            data = re.search(r"data=([^\n]*)", call)
            assert data, (path, call)
            words = "in_language" in data.group(1) or "safe_csv(figures)" in data.group(1)
            assert words, f"{path.name}: a download built outside the page's language: {data[0]}"
    assert calls >= 6, calls  # the scan sees the app's download buttons


@pytest.mark.parametrize("lang", ["zh", "ru", "en"])
def test_chinese_money_tiles_are_sized_to_stay_on_one_line(lang: str) -> None:
    """The review: "5.32 / 亿美元" broke after the number in every tile of a row of five at
    1366, leaving the row ragged. Chinese pages get smaller tile values; the others keep theirs."""
    from components import cards

    at = open_app(None, lang=lang)
    bodies = [h.proto.body for h in at.get("html")]
    assert any(cards.TILE_STYLE in b for b in bodies)
    assert any(cards.WIDE_GLYPH_TILES in b for b in bodies) == (lang == "zh")
