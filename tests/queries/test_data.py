"""Column data tests (dbt-style: unique, not null, accepted values, ranges) on the demo."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from cx.core.paths import DATA_DIR
from cx.core.schema import (
    CHANNELS,
    OWNERSHIP,
    POWERTRAINS,
    SATISFACTION_ITEMS,
    SEGMENTS,
    SWITCH_INTENTS,
)


@pytest.fixture(scope="module")
def respondents(default_con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return default_con.table("respondents").pl()


def test_respondent_ids_are_unique_and_present(respondents: pl.DataFrame) -> None:
    assert respondents["respondent_id"].null_count() == 0
    assert respondents["respondent_id"].n_unique() == respondents.height


@pytest.mark.parametrize(
    "column",
    ["dataset", "wave", "country", "industry", "brand", "nps_score", "weight", "switch_intent"],
)
def test_required_columns_are_not_null(respondents: pl.DataFrame, column: str) -> None:
    assert respondents[column].null_count() == 0


@pytest.mark.parametrize(
    ("column", "accepted"),
    [
        ("channel", CHANNELS),
        ("segment", SEGMENTS),
        ("ownership", OWNERSHIP),
        ("powertrain", POWERTRAINS),
        ("switch_intent", tuple(SWITCH_INTENTS)),
    ],
)
def test_accepted_values(respondents: pl.DataFrame, column: str, accepted: tuple[str, ...]) -> None:
    assert set(respondents[column].drop_nulls().unique()) <= set(accepted)


def test_score_ranges(respondents: pl.DataFrame) -> None:
    assert respondents["nps_score"].min() >= 0 and respondents["nps_score"].max() <= 10
    for item in SATISFACTION_ITEMS:
        col = respondents[item].drop_nulls()
        assert col.min() >= 1 and col.max() <= 5, item
    assert respondents["weight"].min() > 0
    assert respondents["weight"].mean() == pytest.approx(1.0, abs=0.01)


def test_channel_only_for_automotive(
    respondents: pl.DataFrame, default_con: duckdb.DuckDBPyConnection
) -> None:
    sectors = default_con.table("industries").pl().select("industry", "sector")
    joined = respondents.join(sectors, on="industry")
    assert (
        joined.filter(pl.col("sector") == "other")["channel"].null_count()
        == joined.filter(pl.col("sector") == "other").height
    )
    assert joined.filter(pl.col("sector") == "automotive")["channel"].null_count() == 0


def test_country_codes_are_iso_and_known(
    respondents: pl.DataFrame, default_con: duckdb.DuckDBPyConnection
) -> None:
    known = set(default_con.table("countries").pl()["country"])
    assert set(respondents["country"].unique()) <= known
    assert all(len(c) == 2 and c.isupper() for c in known)


def test_brands_reference_every_surveyed_brand(
    respondents: pl.DataFrame, default_con: duckdb.DuckDBPyConnection
) -> None:
    brands = default_con.table("brands").pl()
    assert brands["brand"].n_unique() == brands.height
    assert set(respondents["brand"].unique()) <= set(brands["brand"])
    autos = brands.filter(pl.col("industry") == "Automakers")
    assert autos["vehicles_per_year"].null_count() == 0
    assert autos["average_transaction_price_usd"].min() > 0


def test_published_figures_keep_provenance(default_con: duckdb.DuckDBPyConnection) -> None:
    figures = default_con.table("published_figures").pl()
    assert figures["figure_id"].n_unique() == figures.height
    assert figures["publisher"].null_count() == 0
    assert figures.height >= 80
    source = pl.read_csv(DATA_DIR / "published_figures.csv")
    assert figures.height == source.height


def test_funnel_is_monotone(default_con: duckdb.DuckDBPyConnection) -> None:
    f = default_con.table("funnel").pl()
    assert (f["test_drives"] <= f["leads"]).all()
    assert (f["orders"] <= f["test_drives"]).all()
    assert (f["deliveries"] <= f["orders"]).all()
    assert (f["service_retained"] <= f["deliveries"]).all()
    assert set(f["channel"].unique()) <= {"dealer", "direct", "agency"}
