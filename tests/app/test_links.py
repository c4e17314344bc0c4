"""Links: page choices go into the URL and come back from it; values the app cannot use are
each dropped with one plain notice, never silently, the valid values next to them kept; hostile
values stay text and change no data (AppTest, deep links, random links)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app, open_page, texts
from support.hostile_values import HOSTILE, IMAGE, LINK, MARKDOWN_LINK

from cx.core.options import DEFAULT_MIN_N, MIN_N_RANGE
from cx.core.selection import Selection, from_query_params
from cx.data import connect, sql
from cx.models import revenue

pytestmark = pytest.mark.usefixtures("app_env")


def _open(page: str | None = None, **query: str) -> AppTest:
    """The app opened on ``page`` from a link (a first request, as a pasted address)."""
    at = open_app(page, **query)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _notices(at: AppTest) -> list[str]:
    """The toasts as the user reads them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", t.value).replace("\u200b", "") for t in at.toast]


def _url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


@pytest.mark.parametrize("value", ["-5", "99999999999999999999", "1e3", "9" * 5_000, "", "25.5"])
def test_a_minimum_n_that_cannot_be_used_is_dropped_with_a_notice(value: str) -> None:
    at = _open(min_n=value, countries="DE")
    lo, hi, _ = MIN_N_RANGE
    assert _notices(at) == [
        f"Ignored a minimum n in the link that is not a whole number from {lo} to {hi}."
    ]
    assert at.number_input(key="f_min_n").value == DEFAULT_MIN_N
    assert _url(at) == {"countries": "DE"}  # the bad value left, the filter next to it kept


def test_a_valid_minimum_n_is_kept_without_a_notice() -> None:
    at = _open(min_n="50")
    assert _notices(at) == []
    assert at.number_input(key="f_min_n").value == 50
    assert _url(at) == {"min_n": "50"}


def test_a_scenario_that_does_not_exist_is_dropped_with_a_notice() -> None:
    at = _open("pages/revenue.py", scenario="nonexistent123", countries="DE")
    assert any("The scenario in the link does not exist here" in n for n in _notices(at))
    assert "scenario" not in _url(at)
    assert at.multiselect(key="f_countries").value == ["DE"]


def test_an_unknown_parameter_leaves_the_url_with_a_notice() -> None:
    at = _open("pages/voice.py", utm="[x](https://evil.example)", countries="DE")
    assert _notices(at) == ["Ignored unknown link parameters: utm"]
    assert _url(at) == {"countries": "DE"}
    at = _open("pages/voice.py", lang="[x](https://evil.example)", countries="DE")
    assert _notices(at) == ["Ignored an unknown interface language in the link."]
    assert _url(at) == {"countries": "DE"}


def test_a_filter_accepts_the_sidebar_names_of_codes_in_any_case() -> None:
    at = _open("pages/channels.py", channels="Dealer,nope,DIRECT", countries="germany,JP")
    assert at.multiselect(key="f_channels").value == ["dealer", "direct"]
    assert at.multiselect(key="f_countries").value == ["DE", "JP"]
    assert _notices(at) == ["Ignored unknown channels in the link: nope"]
    assert _url(at) == {"channels": "dealer,direct", "countries": "DE,JP"}


def test_matching_prefers_codes_and_keeps_link_order_once() -> None:
    from cx.core.display import name
    from cx.core.selection import match

    assert match(["Hybrid (dealer + direct)", "dealer", "Dealer", "x"], ["dealer", "hybrid"],
                 lambda c: name("channels", c)) == (("hybrid", "dealer"), ["x"])  # fmt: skip
    # a display name equal to another option's code means that code
    assert match(["b"], ["a", "b"], {"a": "B", "b": "b"}.__getitem__) == (("b",), [])


@pytest.mark.parametrize(
    ("page", "query", "notice", "kept"),
    [
        ("pages/brands.py", {"benchmark": "zzz", "compare": "brand"},
         "Ignored an unknown benchmark brand in the link.", {"compare": "brand"}),
        ("pages/dealers.py", {"brand": "<b>x</b>", "country": "DE"},
         "Ignored an unknown brand in the link.", {"country": "DE"}),
        ("pages/voice.py", {"language": "[x](https://evil.example)", "group": "promoter"},
         "Ignored an unknown language in the link.", {"group": "promoter"}),
        ("pages/brands.py", {"focus": "Norvik,zzz,Kestrel"},
         "Ignored an unknown value of “Brands to trend” in the link.",
         {"focus": "Norvik,Kestrel"}),
        ("pages/countries.py", {"brand": "nope"},
         "Ignored an unknown value of “Rank a brand across countries” in the link.", {}),
    ],
)  # fmt: skip
def test_a_page_choice_that_is_not_an_option_is_dropped_with_one_notice(
    page: str, query: dict[str, str], notice: str, kept: dict[str, str]
) -> None:
    at = _open(page, **query)
    assert _notices(at) == [notice]
    assert _url(at) == kept  # the bad value left the URL, the good ones next to it stayed
    assert not [t.value for t in at.toast if "<b>" in t.value or "](" in t.value]


def test_a_page_choice_may_be_named_as_the_page_shows_it() -> None:
    at = _open("pages/dealers.py", channel="Dealer", brand="all")
    assert _notices(at) == []
    assert at.selectbox(key="pick_dealers_channel").value == "dealer"
    assert _url(at) == {"channel": "dealer", "brand": "all"}


def test_a_choice_of_another_page_in_a_link_is_dropped_with_a_notice() -> None:
    at = _open("pages/brands.py", brand="Voltara", compare="brand")
    assert _notices(at) == ["Ignored link parameters this page does not use: brand"]
    assert _url(at) == {"compare": "brand"}


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/channels.py", "pages/brands.py"])
def test_the_segment_filter_stays_in_a_link_on_every_page(page: str) -> None:
    """The Brands page had a choice named as the sidebar's segment filter: a link with
    ?segments=premium said "Ignored link parameters this page does not use: segments" and lost
    the filter from its address while the sidebar applied it. The sidebar owns it now."""
    at = _open(page, segments="premium")
    assert _notices(at) == []
    assert at.query_params["segments"] in ("premium", ["premium"])
    assert at.multiselect(key="f_segments").value == ["premium"]


def test_every_resolved_choice_is_an_option_so_a_copied_link_gives_no_notice(con: object) -> None:
    """What a page writes into its link passes the check when the link is opened again."""
    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.reports.links import check_picks
    from cx.reports.registry import REPORTS

    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    for report in REPORTS:
        choices = getattr(report.compute(run, Selection(), Options()), "choices", {})
        given = {n: c.value for n, c in choices.items() if c.value is not None}
        kept, notices = check_picks(report, given, choices)
        assert notices == [] and kept == given, report.key


def test_page_choices_go_into_the_link_and_come_back_from_it() -> None:
    at = open_page("pages/brands.py")
    at.multiselect(key="pick_brands_focus").set_value(["Norvik", "Kestrel"]).run()
    at.segmented_control(key="pick_brands_compare").set_value("brand").run()
    at.selectbox(key="pick_brands_benchmark").set_value("Norvik").run()
    link = {k: at.query_params[k] for k in at.query_params}
    assert (
        link["focus"] == "Norvik,Kestrel"
        and link["compare"] == "brand"
        and link["benchmark"] == "Norvik"
    )
    again = open_page("pages/brands.py", **link)
    assert again.multiselect(key="pick_brands_focus").value == ["Norvik", "Kestrel"]
    assert again.selectbox(key="pick_brands_benchmark").value == "Norvik"
    assert "significantly above Norvik" in texts(
        again
    ) or "no brand is significantly above Norvik" in texts(again)
    for page, key, value in (
        ("pages/countries.py", "pick_countries_brand", "Kestrel"),
        ("pages/journey.py", "pick_journey_industry", "Car dealers"),
    ):
        first = open_page(page)
        first.selectbox(key=key).set_value(value).run()
        name = key.rsplit("_", 1)[1]
        assert first.query_params[name] == value
        assert open_page(page, **{name: value}).selectbox(key=key).value == value


# ---- hostile values in links: ignored with a clipped notice, shown as text ----------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_url_parameters_are_ignored_with_a_clipped_notice(value: str) -> None:
    options = {"countries": ["DE", "US"], "waves": ["2024Q4"]}
    sel, notices = from_query_params(
        {"countries": value, "dataset": value, value[:20]: "x"}, options, ["demo"]
    )
    assert sel == Selection()
    assert notices and all(len(n) < 200 and "\n" not in n and "\x00" not in n for n in notices)


def _shown(at: Any) -> list[str]:
    """Every text the page shows as Markdown (notices included)."""
    kinds = ("markdown", "caption", "toast", "warning", "info", "error", "success")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


@pytest.mark.parametrize("payload", [LINK, IMAGE])
def test_a_link_or_image_in_the_url_shows_as_text_in_the_notice(payload: str) -> None:
    at = open_app(countries=payload)
    assert not at.exception
    toasts = [t.value for t in at.toast]
    assert toasts and any("Ignored unknown countries" in t for t in toasts)
    assert not [t for t in _shown(at) if MARKDOWN_LINK.search(t)], _shown(at)
    shown = [re.sub(r"\\(.)", r"\1", t).replace("\u200b", "") for t in toasts]
    assert any(t.endswith(payload) for t in shown)  # shown, as text


def test_revenue_inputs_from_the_url_are_never_markup_and_are_clipped() -> None:
    for value in ("[Click here](https://evil.example/x)", "9" * 100_000, "7", IMAGE):
        # the published calibration's 12.6% is what an ignored value falls back to
        at = open_app(
            "pages/revenue.py", preset=revenue.CALIBRATION_PRESET, dissatisfied_share=value
        )
        assert not at.exception, [e.value for e in at.exception]
        shown = _shown(at)
        assert not [t for t in shown if MARKDOWN_LINK.search(t)], shown
        assert all(len(t) < 1_000 for t in shown)
        assert at.slider(key="pick_revenue_dissatisfied_share").value == pytest.approx(12.6)
        assert not [t for t in shown if "evil" in t or "9" * 100 in t]


def test_an_out_of_range_revenue_input_from_the_url_becomes_a_plain_note() -> None:
    at = open_app("pages/revenue.py", dissatisfied_share="7")
    notes = [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]
    assert any("dissatisfied_share=7 is outside its range" in n for n in notes), notes


def _fingerprint(path: Path) -> list[Any]:
    """What the data is: the catalogue and the row count and sums of every table."""
    con = connect.connect(path, read_only=False)  # the app holds the file open writable
    try:
        out: list[Any] = [sql.run(con, "datasets").rows()]
        for (table,) in con.sql("select table_name from duckdb_tables() order by 1").fetchall():
            out.append((table, con.sql(f'select count(*) from "{table}"').fetchall()))  # noqa: S608 (catalogue names)
        out.append(con.sql("select sum(n), sum(sw), sum(swp), sum(swd) from nps_cells").fetchall())
        return out
    finally:
        con.close()


_PAYLOADS = [LINK, IMAGE, "<script>alert(1)</script>", "**bold**\n# heading", "'; drop table respondents; --",
             "=HYPERLINK(\"https://evil.example\")", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ ß", "\x00\x1b[31m", "x" * 100_000,
             "DE,US", "2024Q4", "Automakers", "demo", "nope", "0.5", "1e309", "-1", "from-data"]  # fmt: skip


def _query_strategy() -> Any:
    from hypothesis import strategies as hs

    from components.state import OTHER_PARAMS, PICK_NAMES
    from cx.core.selection import FILTER_KEYS

    keys = hs.one_of(
        hs.sampled_from([*FILTER_KEYS, *OTHER_PARAMS, *sorted(PICK_NAMES)]),
        hs.text(min_size=1, max_size=20),
    )
    values = hs.one_of(hs.sampled_from(_PAYLOADS), hs.text(max_size=60))
    return hs.dictionaries(keys, values, max_size=5)


def test_any_url_on_any_page_computes_without_exception(con: Any) -> None:
    """The core path of a link (query -> selection and picks -> compute -> charts), many
    random links for every report of the registry."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    from components.state import OTHER_PARAMS, PICK_NAMES
    from cx.core.options import Options
    from cx.reports.base import dataset_source, filter_values
    from cx.reports.registry import REPORTS

    run = lambda n, p: sql.run(con, n, p)  # noqa: E731

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(hs.sampled_from(REPORTS), _query_strategy())
    def check(report: Any, query: dict[str, str]) -> None:
        allowed = filter_values(run, "demo")
        sel, notices = from_query_params(
            query, allowed, ["demo"], also_allowed=set(OTHER_PARAMS) | PICK_NAMES
        )
        assert all(len(n) < 300 and "\n" not in n for n in notices)
        result = report.compute(run, sel, Options(), **report.parse_picks(query))
        report.charts(result, dataset_source(run, sel.dataset))

    check()


def test_any_url_on_any_page_renders_without_exception_or_markup_and_changes_no_data(
    app_db: Path,
) -> None:
    """Random links (known and unknown keys; Markdown, HTML, Unicode, 100 kB values) opened on
    every page of the app: no exception, no error, no Markdown link drawn, the data unchanged."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    from cx.reports.registry import REPORTS

    pages = [f"pages/{r.key}.py" for r in REPORTS]
    before = _fingerprint(app_db)

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hs.sampled_from(pages), _query_strategy())
    def check(page: str, query: dict[str, str]) -> None:
        at = open_app(page, **{k: v for k, v in query.items() if "\x00" not in k})
        assert not at.exception, [e.value for e in at.exception]
        assert not [e.value for e in at.error], [e.value for e in at.error]
        assert not [t for t in _shown(at) if MARKDOWN_LINK.search(t)]

    check()
    assert _fingerprint(app_db) == before


def test_a_revenue_number_in_the_link_reloads_as_the_same_number() -> None:
    """Numbers were written with 6 significant digits: 1234567 reloaded as 1,234,570."""
    at = _open("pages/revenue.py", vehicles_per_year="1234567")
    assert at.number_input(key="pick_revenue_vehicles_per_year").value == 1_234_567
    written = _url(at)["vehicles_per_year"]
    assert written == "1234567"
    again = _open("pages/revenue.py", vehicles_per_year=written)
    assert again.number_input(key="pick_revenue_vehicles_per_year").value == 1_234_567
    assert again.metric[0].value == at.metric[0].value


@pytest.mark.parametrize("value", [1234567.0, 0.126, 123456.789, 1e-7, 2.5e20, 1 / 3, -42.0])
def test_url_numbers_read_back_exactly(value: float) -> None:
    from components.page import number_text

    assert float(number_text(value)) == value
    assert "e" not in number_text(1234567.0)


def test_a_repeated_link_parameter_keeps_its_last_value_and_says_so() -> None:
    at = open_app(None, countries=["DE", "FR"], channels="direct")  # type: ignore[arg-type]
    assert not at.exception, [e.value for e in at.exception]
    assert _notices(at) == [
        "The link gives countries more than once; the last value of each was used."
    ]
    assert at.multiselect(key="f_countries").value == ["FR"]
    assert _url(at) == {"countries": "FR", "channels": "direct"}  # one value left in the link
