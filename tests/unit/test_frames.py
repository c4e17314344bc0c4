"""The small-frame helpers give what the Polars operation they replace gives, and results kept
by their inputs are made once."""

from __future__ import annotations

import threading

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from cx.core.options import Options
from cx.metrics import frames, kept, measures, stats
from cx.text import distinguish, summary

_VALUES = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=32))


@st.composite
def _frames(draw: st.DrawFn) -> pl.DataFrame:
    """A frame with a string key, a float column with nulls and NaN, an integer column with
    nulls and a boolean column with nulls."""
    n = draw(st.integers(0, 12))
    return pl.DataFrame(
        {
            "key": draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n, max_size=n)),
            "x": pl.Series(draw(st.lists(_VALUES, min_size=n, max_size=n)), dtype=pl.Float64),
            "k": pl.Series(
                draw(st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=n, max_size=n)),
                dtype=pl.Int64,
            ),
            "flag": pl.Series(
                draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)),
                dtype=pl.Boolean,
            ),
        }
    )


@given(_frames(), st.data())
def test_appended_is_drop_then_with_columns(frame: pl.DataFrame, data: st.DataObject) -> None:
    dropped = data.draw(st.lists(st.sampled_from(frame.columns), unique=True))
    names = data.draw(st.lists(st.sampled_from(["x", "k", "new", "other"]), unique=True))
    added = [pl.Series(n, np.arange(frame.height, dtype=float)) for n in names]
    expected = frame.drop(dropped).with_columns(added)
    assert_frame_equal(frames.appended(frame, added, dropped), expected)


@given(_frames())
def test_columns_is_select_and_rename(frame: pl.DataFrame) -> None:
    assert_frame_equal(frames.columns(frame, ["flag", "key"]), frame.select("flag", "key"))
    renamed = frames.columns(frame, {"x": "value", "key": "group"})
    assert_frame_equal(renamed, frame.select(value="x", group="key"))


@given(_frames(), st.data())
def test_kept_present_and_true_are_filters(frame: pl.DataFrame, data: st.DataObject) -> None:
    mask = data.draw(st.lists(st.booleans(), min_size=frame.height, max_size=frame.height))
    assert_frame_equal(frames.kept(frame, mask), frame.filter(pl.Series(mask, dtype=pl.Boolean)))
    shown = frame.filter(pl.col("x").is_not_null() & pl.col("x").is_not_nan())
    assert_frame_equal(frames.kept(frame, frames.present(frame["x"])), shown)
    assert_frame_equal(
        frames.kept(frame, frames.present(frame["k"])), frame.filter(pl.col("k").is_not_null())
    )
    assert_frame_equal(
        frames.kept(frame, frames.present(frame["key"])), frame.filter(pl.col("key").is_not_null())
    )
    assert_frame_equal(
        frames.kept(frame, frames.true(frame["flag"])),
        frame.filter(pl.col("flag").fill_null(False)),
    )
    full = frame.filter(pl.col("flag").is_not_null())
    assert_frame_equal(frames.kept(full, frames.true(full["flag"])), full.filter(pl.col("flag")))


def test_kept_of_nothing_keeps_the_columns_and_types() -> None:
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert frames.kept(frame, [False, False]).schema == frame.schema


@given(_frames())
def test_runs_are_the_rows_of_each_key_value(frame: pl.DataFrame) -> None:
    ordered = frame.sort("key", "flag", nulls_last=True)
    parts = frames.runs(ordered, ["key", "flag"])
    keys = ordered.select("key", "flag").unique(maintain_order=True).rows()
    assert list(parts) == keys
    for (key, flag), part in parts.items():
        same = pl.col("key").eq_missing(key) & pl.col("flag").eq_missing(flag)
        assert_frame_equal(part, ordered.filter(same))


def test_runs_refuses_rows_that_are_not_together() -> None:
    with pytest.raises(ValueError, match="not together"):
        frames.runs(pl.DataFrame({"k": ["a", "b", "a"]}), ["k"])


def test_a_kept_result_is_made_once_and_the_oldest_goes_first() -> None:
    made: list[int] = []

    def make(i: int) -> int:
        made.append(i)
        return i * 10

    store: kept.Kept[int] = kept.Kept(2)
    assert store.get("a", lambda: make(1)) == 10
    assert store.get("a", lambda: make(2)) == 10
    assert made == [1]
    store.get("b", lambda: make(3))
    store.get("c", lambda: make(4))  # "a" goes
    assert len(store) == 2
    assert store.get("a", lambda: make(5)) == 50
    store.clear()
    assert len(store) == 0


def test_a_kept_result_is_shared_between_threads() -> None:
    store: kept.Kept[list[int]] = kept.Kept(8)
    found: list[list[int]] = []
    threads = [
        threading.Thread(target=lambda: found.append(store.get("k", lambda: [1, 2])))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(f == [1, 2] for f in found) and len(store) == 1


def test_the_digest_is_of_the_content_not_the_object() -> None:
    a = pl.DataFrame({"x": [1.0, 2.0], "y": ["a", None]})
    assert kept.digest(a) == kept.digest(a.clone()) == kept.digest(pl.DataFrame(a.to_dict()))
    assert kept.digest(a) != kept.digest(a.with_columns(pl.col("x") + 1e-12))
    assert kept.digest(a) != kept.digest(a.cast({"x": pl.Float32}))
    assert kept.digest(a) != kept.digest(a.rename({"y": "z"}))


def test_distinguishing_terms_are_computed_once_per_content_and_level(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cells = pl.DataFrame(
        {
            "language": ["en"] * 8,
            "nps_group": ["detractor", "passive", "promoter"] * 2 + ["detractor", "promoter"],
            "term": [None, None, None, "slow", "slow", "slow", "rude", "kind"],
            "n": [400, 300, 500, 60, 10, 5, 30, 40],
        }
    )
    calls: list[float] = []
    real = distinguish.distinguishing_terms

    def counted(c: pl.DataFrame, level: float) -> pl.DataFrame:
        calls.append(level)
        return real(c, level)

    monkeypatch.setattr(summary.distinguish, "distinguishing_terms", counted)
    run = lambda name, params: cells.clone()  # noqa: E731 - a copy each time, as the app's cache
    first = summary.terms(run, "terms-test", None, Options())
    again = summary.terms(run, "terms-test", None, Options())
    stats.forget()  # the selection's statistics go; these depend on the dataset only
    third = summary.terms(run, "terms-test", None, Options())
    other = summary.terms(run, "terms-test", None, Options(confidence=0.9))
    assert calls == [0.95, 0.9]
    assert_frame_equal(first, real(cells, 0.95))
    assert_frame_equal(again, first)
    assert_frame_equal(third, first)
    assert_frame_equal(other, real(cells, 0.9))


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(0, 1)),
            st.one_of(st.none(), st.floats(-5, 5)),
            st.one_of(st.none(), st.floats(-30, 30)),
        ),
        max_size=15,
    ),
    st.sampled_from(["bh", "by"]),
)
def test_controlled_is_the_expression_it_replaced(
    rows: list[tuple[float | None, float | None, float | None]], method: str
) -> None:
    """q-values, and significance only where the gap has the sign of z (as the Polars
    expression it replaced gave them), from columns with nulls."""
    table = pl.DataFrame(
        rows, schema=dict.fromkeys(("p_value", "z", "gap"), pl.Float64), orient="row"
    )
    q, found = stats.discoveries(
        table["p_value"].fill_null(np.nan).to_numpy(),
        0.95,
        method,  # type: ignore[arg-type]
    )
    agrees = pl.col("gap").sign() == pl.col("z").sign()
    expected = table.with_columns(
        q_value=pl.Series(q).fill_nan(None),
        significant=(pl.Series(found).cast(pl.Boolean) & agrees).fill_null(False),
    )
    got = measures.controlled(table, Options(), method)  # type: ignore[arg-type]
    assert_frame_equal(got, expected)
    assert_frame_equal(
        measures.controlled(table.drop("z"), Options(), method),  # type: ignore[arg-type]
        table.drop("z").with_columns(
            q_value=pl.Series(q).fill_nan(None), significant=pl.Series(found, dtype=pl.Boolean)
        ),
    )


def test_numbers_are_floats_with_nan_for_null() -> None:
    for column in (
        pl.Series([1, None, 3]),
        pl.Series([1.5, None, float("nan")]),
        pl.Series([None, None]),
        pl.Series([True, None], dtype=pl.Boolean),
    ):
        expected = column.cast(pl.Float64).fill_null(np.nan).to_numpy()
        np.testing.assert_array_equal(frames.numbers(column), expected)


_SUMS = ("sw", "sw2", "swt", "swb", "sws", "sws2", "swb_switch", "swb_switch_known")


@st.composite
def _stage_sums(draw: st.DrawFn) -> pl.DataFrame:
    """Satisfaction sums per industry and item as ``stage_sums`` reads them: items of the
    journey and one it does not know, counts that suppress some cells, sums that can be 0."""
    n = draw(st.integers(0, 14))
    items = ["maintain", "purchase", "shop", "price_transparency", "zz_unknown"]
    weight = st.floats(0, 500, allow_nan=False, width=32)
    return pl.DataFrame(
        {
            "industry": pl.Series(
                draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n)),
                dtype=pl.String,
            ),
            "item": pl.Series(
                draw(st.lists(st.sampled_from(items), min_size=n, max_size=n)), dtype=pl.String
            ),
            "n": pl.Series(
                draw(st.lists(st.integers(0, 400), min_size=n, max_size=n)), dtype=pl.Int64
            ),
            **{
                c: pl.Series(draw(st.lists(weight, min_size=n, max_size=n)), dtype=pl.Float64)
                for c in _SUMS
            },
        }
    )


@given(_stage_sums())
def test_stage_total_is_the_group_by_it_replaced(raw: pl.DataFrame) -> None:
    sums = [c for c in raw.columns if c not in ("industry", "item")]
    expected = (
        raw.group_by("item")
        .agg(pl.col(sums).sum())
        .select(pl.lit("All").alias("all"), "item", *sums)
        .with_columns(pl.col("n").cast(raw.schema["n"]))
        .sort("item")
    )
    got = measures.stage_total(raw, "industry")
    if raw.is_empty():
        assert got.columns == ["all", "item", *sums] and got.is_empty()
        return
    assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-12)


@given(_stage_sums())
def test_stage_table_columns_are_the_expressions_they_replaced(raw: pl.DataFrame) -> None:
    """``dissatisfied_pct``, ``switch_if_dissatisfied_pct``, ``label`` and ``order`` as the
    Polars expressions they replaced gave them (null where suppressed, not estimable or with
    no dissatisfied customer whose intent is known)."""
    from cx.core import display
    from cx.core.schema import ITEM_LABELS

    if raw.is_empty():  # stage_table hands an empty frame back as it is
        assert measures.stage_table(raw, "industry") is raw
        return
    table = stats.top2box_table(raw, 0.95, 30)
    hide = pl.col("suppressed")
    expected = table.with_columns(
        dissatisfied_pct=pl.when(hide).then(None).otherwise(pl.col("swb") / raw["sw"] * 100.0),
        switch_if_dissatisfied_pct=pl.when(hide | (pl.col("swb_switch_known") <= 0))
        .then(None)
        .otherwise(pl.col("swb_switch") / pl.col("swb_switch_known") * 100.0),
        label=pl.col("item").replace_strict(display.names_of("item"), default=pl.col("item")),
        order=pl.col("item").replace_strict(
            {s: i for i, s in enumerate(ITEM_LABELS)}, default=99, return_dtype=pl.Int32
        ),
    ).with_columns(pl.col("dissatisfied_pct", "switch_if_dissatisfied_pct").fill_nan(None))
    assert_frame_equal(measures._stage_columns(table, raw), expected)
