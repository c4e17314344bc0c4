"""Page state has one owner, and a page's exports are built from the view it drew."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from support.apptest import open_app

from components import page, session
from cx.core import display
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.models import revenue

ROOT = Path(__file__).resolve().parents[2]
#: AppTest sessions serve the app test database, never the checkout's own.
pytestmark = pytest.mark.usefixtures("app_env")
APP_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "components").glob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]


def test_only_the_session_module_touches_session_state_or_the_url() -> None:
    """Every st.session_state and st.query_params key is read and written in one module."""
    pattern = re.compile(r"\bsession_state\b|\bst\.query_params\b")
    touching = sorted(str(p.relative_to(ROOT)) for p in APP_FILES if pattern.search(p.read_text()))
    assert touching == ["components/session.py"], touching


def test_no_page_patches_streamlit_page_discovery() -> None:
    """Pages and components never reach into Streamlit's page manager or rerun to navigate."""
    for path in APP_FILES:
        if path.name == "server.py":  # the launcher configures Streamlit before any session
            continue
        text = path.read_text()
        assert "PagesManager" not in text and "pages_manager" not in text, path


def _texts(deck: bytes) -> list[str]:
    slides = Presentation(io.BytesIO(deck)).slides
    out = []
    for slide in slides:
        words = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words.extend(c.text for row in shape.table.rows for c in row.cells)
        out.append(" | ".join(words))
    return out


@pytest.mark.slow
def test_a_revenue_export_after_a_slider_move_says_what_the_screen_says() -> None:
    """Move a slider, then export: key figures, chart, assumptions and workbook all show the new
    total and input, and the assumptions mark the input as changed from its preset."""
    at = open_app("pages/revenue.py", preset=revenue.CALIBRATION_PRESET)
    assert not at.exception
    before = at.metric[0].value
    slider = at.slider(key=session.widget_key("revenue", "dissatisfied_share"))
    slider.set_value(min(slider.max, slider.value * 1.8)).run()
    assert not at.exception
    shown_total = at.metric[0].value
    assert shown_total != before
    drawn = at.session_state["_drawn"]["revenue"]
    charts, meta = page.deck(drawn)
    assert [c.key for c in charts] == ["revenue_waterfall", "revenue_tornado"]
    assert meta.kpis[0].value == shown_total  # the key-figure slide
    waterfall = charts[0]
    total = waterfall.table.filter(waterfall.table["Component"] == "Total revenue at risk")
    assert display.usd_m(total["USD a year"][0]) == shown_total  # the chart slide
    assert waterfall.title.startswith(shown_total)
    slides = _texts(pptx_deck(charts, meta))
    assert any(shown_total in s for s in slides[:2]), slides[:2]  # title / key-figure slide
    assert not any(before in s for s in slides if "Assumptions" not in s), before
    assumptions = next(s for s in slides if "Assumptions" in s)
    assert "yes" in assumptions  # the moved input is marked as changed from its preset
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook(charts, meta)))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert shown_total in " ".join(cells) and before not in " ".join(cells)
