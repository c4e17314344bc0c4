"""Links with values the app cannot use: each is dropped from the URL with one plain notice,
never silently, and the valid values next to it are kept (AppTest, deep links)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app

from cx.core.options import DEFAULT_MIN_N, MIN_N_RANGE
from cx.data import sql

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
    at = _open("pages/voice.py", lang="[x](https://evil.example)", countries="DE")
    assert _notices(at) == ["Ignored unknown link parameters: lang"]
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
