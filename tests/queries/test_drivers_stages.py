"""Key drivers on the stages a dataset has (at least 3), from cells per set of stages answered
together: the Journey page and ``python -m cx drivers`` call one function; its numbers match
a regression on the respondent rows."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from support import field_files as ff
from support.cli import cx

from cx.core.options import Options
from cx.core.schema import STAGES
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.ingest.mapping import detect, detect_comments
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store
from cx.metrics import measures, stats
from cx.metrics.drivers import key_drivers
from cx.reports import journey
from cx.reports.base import dataset_source

ROOT = Path(__file__).resolve().parents[2]
FIVE = ("research", "shop", "purchase", "receive", "maintain")


@pytest.fixture(scope="module")
def field_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database with the field export of the issue stored as ``field``."""
    path = tmp_path_factory.mktemp("field") / "cx.duckdb"
    shutil.copy(fixture_db, path)
    data = ff.natural(ff.rows())
    raw = read_survey(data, "field.csv")
    mapping = detect(raw).mapping
    result = normalise(raw, mapping, "field", detect_comments(raw, mapping))
    with Database(str(path), read_only=False) as database:
        store(database, result, "field", "Field export", data, "field.csv")
    return path


@pytest.fixture()
def field_con(field_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect.connect(field_db)
    yield con
    con.close()


def _run(con: duckdb.DuckDBPyConnection) -> measures.Runner:
    return lambda name, params=None: sql.run(con, name, params)


def test_journey_key_drivers_run_on_the_five_stages_of_a_field_export(
    field_con: duckdb.DuckDBPyConnection,
) -> None:
    """ "Too few complete answers (all 8 stages)" with 1,369 complete answers on 5 stages."""
    result = journey.compute(_run(field_con), Selection(dataset="field"), Options())
    model = result.drivers
    assert model is not None and model.stages == FIVE and model.n == 1500
    assert (
        "on 5 stages: Research, Shop, Purchase, Receive (delivery) and Maintain"
        in result.driver_note
    )
    chart = next(
        c
        for c in journey.charts(result, dataset_source(_run(field_con), "field"))
        if c.key == "key_drivers"
    )
    assert "5 stages (Research, Shop, Purchase, Receive (delivery) and Maintain" in chart.subtitle
    assert set(chart.table["Stage"]) == {
        "Research",
        "Shop",
        "Purchase",
        "Receive (delivery)",
        "Maintain (after-sales)",
    }


def test_the_subset_model_matches_a_regression_on_the_respondent_rows(
    field_con: duckdb.DuckDBPyConnection,
) -> None:
    """Peer check: R² of the relative weights equals scikit-learn's least-squares R² on the
    complete answers; adjusted R² follows from it; weights sum to R²."""
    model = key_drivers(_run(field_con), Selection(dataset="field"), Options()).model
    assert model is not None
    rows = field_con.sql(
        f"select nps_score, {', '.join(FIVE)} from respondents where dataset = 'field'"  # noqa: S608 (stage names)
    ).fetchnumpy()
    x = np.column_stack([rows[s].astype(float) for s in FIVE])
    y = rows["nps_score"].astype(float)
    r2 = LinearRegression().fit(x, y).score(x, y)
    assert model.r2 == pytest.approx(r2, rel=1e-9)
    n, k = len(y), len(FIVE)
    assert model.adjusted_r2 == pytest.approx(1 - (1 - r2) * (n - 1) / (n - k - 1), rel=1e-9)
    assert model.table["raw_weight"].sum() == pytest.approx(model.r2)
    assert stats.adjusted_r2(0.5, 3, 2) != stats.adjusted_r2(0.5, 3, 2)  # nan: too few rows


def test_the_recommend_stage_is_never_a_predictor_of_the_recommend_score(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The demo answers all 8 stages; "Recommend" satisfaction is nearly the 0-10 score the
    model predicts, so the model uses the other 7 on everyone who answered those 7, with its R²
    and adjusted R² as an ordinary least-squares fit of them (statsmodels) gives them."""
    import numpy as np
    import statsmodels.api as sm

    predictors = tuple(s for s in STAGES if s != "recommend")
    found = key_drivers(_run(con), Selection(), Options())
    assert found.model is not None and found.model.stages == predictors
    assert "recommend" not in found.model.table["item"].to_list()
    assert "recommend" not in found.present and "Recommend" not in found.note
    where = " and ".join(f"{s} is not null" for s in predictors)
    rows = con.sql(
        f"select {', '.join(predictors)}, nps_score, weight from respondents "  # noqa: S608
        f"where dataset = 'demo' and nps_score is not null and {where}"
    ).pl()
    assert found.model.n == rows.height
    x = sm.add_constant(rows.select(predictors).to_numpy().astype(float))
    fit = sm.WLS(
        rows["nps_score"].to_numpy().astype(float), x, weights=rows["weight"].to_numpy()
    ).fit()
    assert found.model.r2 == pytest.approx(fit.rsquared, rel=1e-6)
    assert np.isfinite(found.model.adjusted_r2) and found.model.adjusted_r2 < found.model.r2
    # and the Journey page says why Recommend is not among the drivers
    from cx.reports import journey
    from cx.reports.base import dataset_source

    result = journey.compute(_run(con), Selection(), Options())
    charts = {c.key: c for c in journey.charts(result, dataset_source(_run(con), "demo"))}
    drivers_chart = next(c for k, c in charts.items() if "driver" in k)
    assert "Recommend is no predictor" in drivers_chart.subtitle


def test_too_few_answers_say_how_many_and_on_which_stages(
    field_con: duckdb.DuckDBPyConnection,
) -> None:
    found = key_drivers(_run(field_con), Selection(dataset="field"), Options(min_n=5000))
    assert found.model is None
    assert "1,500 answered all of Research, Shop, Purchase" in found.note and "5,000" in found.note


def test_the_drivers_command_prints_the_page_model(field_db: Path) -> None:
    proc = cx("drivers", "--dataset", "field", "--db", str(field_db))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["stages"] == list(FIVE) and out["n"] == 1500
    assert {"r2", "adjusted_r2", "n_effective"} <= set(out)
    assert {d["item"] for d in out["drivers"]} == set(FIVE)
    assert all(
        d["importance_low"] <= d["importance_pct"] <= d["importance_high"] for d in out["drivers"]
    )
    table = cx(
        "drivers", "--dataset", "field", "--db", str(field_db), "--format", "table",
        "--countries", "DE",
    )  # fmt: skip
    assert (
        table.returncode == 0 and "adjusted R²" in table.stdout and "countries: DE" in table.stdout
    )
