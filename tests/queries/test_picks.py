"""A pick that only chooses what a page shows of a selection's statistics computes nothing
again: What changed's outlet, the Dealers page's brand, channel, group and outlet, Voice's
topic and NPS group. What is kept is what would be made, and another selection, level,
minimum n, language or source makes it again."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from support.compare import assert_same
from support.reports import run_on

from cx.core import i18n
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.metrics import changes, control, kept, stats
from cx.reports import changes as changes_page
from cx.reports import dealer_charts, dealer_scores, voice
from cx.reports.base import Source, dataset_source
from cx.reports.registry import REPORTS

BY_KEY = {r.key: r for r in REPORTS}

#: The Dealers page's picks that show other outlets in its three network charts.
_OUTLETS_SHOWN = ("brand", "channel", "group")

#: Per page, the functions that make what its picks do not change (counted), and per pick
#: that only chooses among it, which of them the pick makes again (none but what shows it).
MADE: dict[str, tuple[list[tuple[Any, str]], dict[str, set[str]]]] = {
    "changes": (
        [
            (changes, "_family"),
            (control, "_detractor_charts"),
            (changes_page, "_labelled"),
            (changes_page, "_changes_chart"),
            (changes_page, "_outlets_chart"),
        ],
        {"outlet": set()},
    ),
    "dealers": (
        [
            (dealer_scores, "_network"),
            (dealer_charts, "_league_chart"),
            (dealer_charts, "_channel_chart"),
            (dealer_charts, "_group_chart"),
        ],
        {"outlet": set()}
        | {pick: {"_league_chart", "_channel_chart", "_group_chart"} for pick in _OUTLETS_SHOWN},
    ),
    "voice": (
        [
            (voice, "_statistics"),
            (voice, "_group_chart"),
            (voice, "_impact"),
            (voice, "_terms"),
            (voice, "_trend"),
            (voice, "_brands"),
            (voice, "_candidates"),
        ],
        {"topic": set(), "group": set()},
    ),
}
#: The functions of :data:`MADE` whose results have no words (another language keeps them).
WORDLESS = {"_family", "_detractor_charts"}


#: A selection whose statistics differ from the whole dataset's on each page (a filter that
#: leaves them alike keeps them: What changed compares the same two waves under a filter of
#: waves that holds both, the Dealers page opens on the same busiest country under a filter of
#: countries that holds it).
OTHER = {
    "changes": Selection(countries=("US", "DE")),
    "dealers": Selection(waves=("2024Q3", "2024Q4")),
    "voice": Selection(countries=("US", "DE")),
}


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Calls of every function of :data:`MADE`, by name; nothing kept before the test."""
    calls: Counter[str] = Counter()
    for made, _picks in MADE.values():
        for module, name in made:
            real = getattr(module, name)

            def wrapped(*args: Any, _real: Callable[..., Any] = real, _name: str = name) -> Any:
                calls[_name] += 1
                return _real(*args)

            monkeypatch.setattr(module, name, wrapped)
    stats.forget()
    yield calls
    stats.forget()


class _Cache:
    """The app's query cache: a query read once, every page run handed a copy of its own."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.read = sql.memo(run_on(con))

    def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
        return self.read(name, params).clone()


_CACHES: dict[int, _Cache] = {}


def _view(
    con: duckdb.DuckDBPyConnection,
    page: str,
    sel: Selection,
    opts: Options,
    source: Source | None = None,
    **picks: Any,
) -> tuple[Any, list[Any]]:
    """A page's result and charts (of ``source``, else the dataset's), read as the app reads:
    through a query cache shared by every run, each run's reads copies of their own."""
    run = _CACHES.setdefault(id(con), _Cache(con))
    report = BY_KEY[page]
    result = report.compute(run, sel, opts, **picks)
    return result, report.charts(result, source or dataset_source(run, sel.dataset))


def _same(a: tuple[Any, list[Any]], b: tuple[Any, list[Any]]) -> None:
    """The same result and charts (numbers to 1e-9: sums are added in any order)."""
    assert_same(a[0], b[0])
    assert [c.key for c in a[1]] == [c.key for c in b[1]]
    for x, y in zip(a[1], b[1], strict=True):
        assert (x.title, x.subtitle) == (y.title, y.subtitle)
        assert_same(x.claims, y.claims, x.key)
        assert_frame_equal(x.table, y.table, check_exact=False, rel_tol=1e-9)
        assert_same(json.loads(x.figure.to_json()), json.loads(y.figure.to_json()), x.key)


def _options(result: Any, pick: str) -> list[Any]:
    choice = result.choices[pick]
    return [o for o in choice.options if o != choice.value][:2]


@pytest.mark.parametrize("page", sorted(MADE))
def test_a_pick_on_the_same_selection_computes_nothing_again(
    default_con: duckdb.DuckDBPyConnection, counted: Counter[str], page: str
) -> None:
    made, picks = MADE[page]
    sel, opts = Selection(), Options()
    first, _charts = _view(default_con, page, sel, opts)
    assert all(counted[name] >= 1 for _module, name in made), counted
    tried = 0
    for pick, again in picks.items():
        for option in _options(first, pick):
            before = Counter(counted)
            kept_view = _view(default_con, page, sel, opts, **{pick: option})
            made_again = {name for name in counted if counted[name] > before[name]}
            assert made_again <= again, (pick, option, made_again)
            stats.forget()  # what the same pick makes on a selection never seen
            _same(kept_view, _view(default_con, page, sel, opts, **{pick: option}))
            _view(default_con, page, sel, opts)  # the page as opened, its statistics kept
            tried += 1
    assert tried >= 2


def _variants(page: str) -> list[tuple[str, Selection, Options, str, Source | None]]:
    """Views that differ from the page as opened in one input each: what is kept for it does
    not serve them."""
    return [
        ("level", Selection(), Options(confidence=0.9), "en", None),
        ("minimum n", Selection(), Options(min_n=50), "en", None),
        ("selection", OTHER[page], Options(), "en", None),
        ("language", Selection(), Options(), "ru", None),
        # the same numbers under another dataset's name and kind: the charts say whose they are
        ("source", Selection(), Options(), "en", Source("other", "upload", "Other survey")),
    ]


@pytest.mark.parametrize("page", sorted(MADE))
def test_another_level_selection_language_or_source_makes_them_again(
    default_con: duckdb.DuckDBPyConnection, counted: Counter[str], page: str
) -> None:
    made, _picks = MADE[page]
    _view(default_con, page, Selection(), Options())
    for what, sel, opts, lang, source in _variants(page):
        before = Counter(counted)
        with i18n.use(lang):
            kept_view = _view(default_con, page, sel, opts, source=source)
            made_again = {name for _module, name in made if counted[name] > before[name]}
            expected = {name for _module, name in made}
            if what == "language":
                expected -= WORDLESS
            if what == "source":  # the statistics are the same numbers: only the charts say whose
                expected = {n for n in expected if n.endswith("_chart")} | (
                    {"_impact", "_terms", "_trend", "_brands", "_candidates"} & expected
                )
            assert made_again == expected, (what, made_again ^ expected)
            stats.forget()
            _same(kept_view, _view(default_con, page, sel, opts, source=source))
        _view(default_con, page, Selection(), Options())  # the page as opened, kept again


def test_the_fingerprint_is_of_the_content_not_the_object() -> None:
    a = pl.DataFrame({"x": [1.0, 2.0], "y": ["a", None]})
    assert (
        kept.fingerprint(a)
        == kept.fingerprint(a.clone())
        == kept.fingerprint(pl.DataFrame(a.to_dict()))
    )
    for other in (
        a.with_columns(pl.col("x") + 1e-12),
        a.cast({"x": pl.Float32}),
        a.rename({"y": "z"}),
        a.reverse(),
        a.head(1),
        a.select("x"),
    ):
        assert kept.fingerprint(a) != kept.fingerprint(other)
    assert kept.fingerprint(a, Options()) != kept.fingerprint(a, Options(confidence=0.9))
    assert kept.fingerprint(a, a) != kept.fingerprint(a)
    assert kept.fingerprint(pl.DataFrame()) == kept.fingerprint(pl.DataFrame())


def test_forgetting_empties_the_stores_of_selections_only() -> None:
    of_selection: kept.Kept[int] = kept.Kept(4, per_selection=True)
    of_dataset: kept.Kept[int] = kept.Kept(4)
    of_selection.get("a", lambda: 1)
    of_dataset.get("a", lambda: 1)
    stats.forget()
    assert (len(of_selection), len(of_dataset)) == (0, 1)


def test_a_same_key_is_one_object_and_holds_it() -> None:
    a = pl.DataFrame({"x": [1.0]})
    assert kept.Same(a) == kept.Same(a) and hash(kept.Same(a)) == hash(kept.Same(a))
    assert kept.Same(a) != kept.Same(a.clone())  # equal content, another object
    shared = Options()
    assert kept.same_fields(dataclasses.replace(shared)) == kept.same_fields(shared)
    other = dataclasses.replace(shared, confidence=0.9)
    assert kept.same_fields(other) != kept.same_fields(shared)
    assert kept.same_fields(other, ("confidence",)) == kept.same_fields(shared, ("confidence",))


def test_the_least_recently_asked_for_goes_first() -> None:
    store: kept.Kept[int] = kept.Kept(2)
    store.get("a", lambda: 1)
    store.get("b", lambda: 2)
    store.get("a", lambda: 0)  # asked for again: "b" is now the oldest
    store.get("c", lambda: 3)
    assert store.get("a", lambda: -1) == 1 and store.get("b", lambda: -2) == -2


def test_a_part_without_a_content_key_is_refused() -> None:
    """An array's repr leaves values out and an object's names its address: two different
    inputs could share a key."""
    import numpy as np

    for part in (np.arange(2000), object(), pl.LazyFrame({"x": [1]})):
        with pytest.raises(TypeError, match="no content key"):
            kept.fingerprint(part)
    assert kept.fingerprint(None, 1, 1.5, "a", True) == kept.fingerprint(None, 1, 1.5, "a", True)
