"""Headlines are claims computed from their chart's table, and true of it.

The property test draws selections (filters, confidence level, minimum n) and page choices for
every report, builds its charts and checks each headline: it is the rendering of the chart's
claims, and every claim holds on the table the chart shows (sign, direction, significance,
rounding as the labels round, ties). Advice ("fix first") is given only where the driver model
supports it, and stages equal once rounded are named together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx.claims import contrasts, wording
from cx.claims import model as claims
from cx.claims.check import problems
from cx.claims.render import headline, sentence, shown, top_value
from cx.core import i18n
from cx.core.i18n import _
from cx.core.options import CONFIDENCE_LEVELS, Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.reports.base import Choice, Source, dataset_source, filter_values
from cx.reports.registry import REPORTS

# ---- the renderer and the checks on tables made for the purpose ------------------------------


def _nps(rows: list[tuple[str, float, float, bool]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Brand": [r[0] for r in rows],
            "NPS": [r[1] for r in rows],
            "Gap (points)": [r[2] for r in rows],
            "Significant": [r[3] for r in rows],
            "n too small": [False] * len(rows),
        }
    )


def test_a_leader_tied_once_rounded_is_named_with_the_others() -> None:
    table = _nps([("A", 20.4, 5, True), ("B", 19.6, 4, False), ("C", 3.0, -9, True)])
    leader = claims.top(table, "Brand", "NPS", "nps")
    assert leader is not None and leader.subjects == ("A", "B")
    assert sentence(leader) == "A and B lead with an NPS of +20"
    assert problems(leader, table) == []
    wrong = claims.Top("Brand", "NPS", ("A",), claims.Figure(20.4, "nps"))
    assert problems(wrong, table)  # B shows the same +20


def test_one_row_shown_leads_nothing_it_is_said_as_the_one_there_is() -> None:
    """The property test, with a top claim of one row held a problem: "Tsubame leads with an
    NPS of -35" over one brand with enough answers, "Dealer converts 10.3% of leads, the most
    of any channel" over one channel, "the largest detractor share" of one brand."""
    table = _nps([("A", 20.4, 5, False), ("B", None, None, False)])
    table = table.with_columns(pl.Series("n too small", [False, True]))
    alone = claims.top(table, "Brand", "NPS", "nps")
    assert alone is not None and sentence(alone) == (
        "A is the only brand with enough responses: NPS +20"
    )
    assert problems(alone, table) == []
    leads = claims.Top("Brand", "NPS", ("A",), claims.Figure(20.4, "nps"))
    assert problems(leads, table) == ["a top of 1 row: there is nothing to lead"]
    two = _nps([("A", 20.4, 5, False), ("B", 3.0, -9, False)])
    assert sentence(claims.top(two, "Brand", "NPS", "nps")) == "A leads with an NPS of +20"
    # the diff review: the rule runs both ways, an "only" claim over two rows is wrong too
    only = claims.Top("Brand", "NPS", ("A",), claims.Figure(20.4, "nps"), phrase="only_brand")
    assert problems(only, two) == ["the only row is claimed of 2 rows"]
    # every one-row phrase is one; a survey panel's leader of one brand too
    for phrase in wording.ALONE:
        one = claims.top(table, "Brand", "NPS", "nps", phrase=phrase)
        assert one is not None and one.phrase in wording.ONE_ROW and not problems(one, table)


def test_a_count_reads_significance_and_direction_from_the_table() -> None:
    table = _nps([("A", 30, 12, True), ("B", 10, -8, True), ("C", 15, 1, False)])
    above = contrasts.count(table, "Brand", "Gap (points)", "above", "brands", "brand", "the rest")
    assert sentence(above) == "1 of 3 brands is significantly above the rest (A)"
    assert problems(above, table) == []
    named_wrong = contrasts.Count(
        "Brand", "Gap (points)", 1, 3, "above", "brands", "brand", "the rest", subjects=("C",)
    )
    assert problems(named_wrong, table)  # A is the one significantly above, not C
    below = contrasts.count(table, "Brand", "Gap (points)", "below", "brands", "brand", "the rest")
    assert below.count == 1
    none = contrasts.Count("Brand", "Gap (points)", 2, 3, "above", "brands", "brand", "the rest")
    assert problems(none, table)  # only A is significantly above


def test_a_gap_is_the_difference_of_the_labels_not_of_the_exact_values() -> None:
    """Bars of 70% and 47% (69.6 and 47.4 exactly) say 23 points, never 22."""
    table = pl.DataFrame({"Channel": ["Direct", "Dealer"], "Satisfied %": [69.6, 47.4]})
    gap = claims.gap(table, "Channel", "Satisfied %", "pct", "Direct", "Dealer")
    assert gap is not None and gap.gap == 23
    assert sentence(gap) == "Direct are 23 points more satisfied than Dealer (70% vs 47%)"
    assert problems(gap, table) == []


def test_a_total_adds_up_its_labels() -> None:
    """12% and 19% (11.6 and 19.4 exactly) add up to 31%, as a reader adds the labels."""
    table = pl.DataFrame({"Intent": ["6 months", "18 months"], "Share %": [11.6, 19.4]})
    total = claims.total(
        table, "Intent", "Share %", "pct", ["6 months", "18 months"], "dealer customers",
        "intend to switch",
    )  # fmt: skip
    assert total is not None and sentence(total) == "31% of dealer customers intend to switch"
    assert problems(total, table) == []


def test_a_versus_claim_says_reaches_only_when_the_figures_as_shown_do() -> None:
    table = pl.DataFrame(
        {"Who": ["Best quarter of dealers", "Average direct store"], "NPS": [-4.2, 7.0]}
    )
    a = claims.figure(table, "Who", "Best quarter of dealers", "NPS", "nps")
    b = claims.figure(table, "Who", "Average direct store", "NPS", "nps")
    assert a is not None and b is not None
    claim = claims.Versus("Who", "NPS", "Best quarter of dealers", "Average direct store", a, b)
    assert (
        sentence(claim) == "Best quarter of dealers (-4) does not reach Average direct store (+7)"
    )
    assert problems(claim, table) == []


def test_a_headline_is_its_claims_capitalised_and_joined() -> None:
    table = _nps([("a", 10, 1, False), ("b", 4, -1, False)])
    leader = claims.top(table, "Brand", "NPS", "nps")
    assert leader is not None
    count = contrasts.count(table, "Brand", "Gap (points)", "above", "brands", "brand", "the rest")
    assert headline((leader, count)) == (
        "A leads with an NPS of +10; no brand is significantly above the rest"
    )


def _brand_topics(share: float, other: float, significant: bool) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Brand": ["Tesla", "Tesla", "Ford"],
            "Topic": ["Follow-up and communication", "Price", "Price"],
            "Share %": [share, 30.0, 25.0],
            "Other brands %": [other, 26.0, 28.0],
            "Gap (points)": [share - other, 4.0, -3.0],
            "Significant": [significant, False, False],
            "n too small": [False, False, False],
        }
    )


def test_a_contrast_reads_its_direction_from_the_sign_and_its_significance_from_the_table() -> None:
    """The issue's upload: "Tesla's commenters mention follow-up and communication most often
    compared with other brands (8% vs 12%)" where the cell is 8▼. The words follow the sign."""
    where = {"Topic": "Follow-up and communication"}
    table = _brand_topics(8.0, 12.0, True)
    claim = contrasts.contrast(
        table, "Brand", "Tesla", "Gap (points)", phrase="brand_mentions", where=where,
        quotes=[("Tesla", "Share %", "pct"), ("Tesla", "Other brands %", "pct")],
        values={"item": "Follow-up and communication"},
    )  # fmt: skip
    assert claim is not None and claim.significant is True
    assert sentence(claim) == (
        "Tesla's commenters mention follow-up and communication less often than other brands' "
        "(8% vs 12%)"
    )
    assert problems(claim, table) == []
    # a claim of significance the table does not give, or figures it does not show, fail
    assert problems(claim, _brand_topics(8.0, 12.0, False))
    assert problems(claim, _brand_topics(9.0, 12.0, True))
    above = contrasts.contrast(
        _brand_topics(15.0, 12.0, True), "Brand", "Tesla", "Gap (points)",
        phrase="brand_mentions", where=where, values={"item": "Follow-up and communication"},
        quotes=[("Tesla", "Share %", "pct"), ("Tesla", "Other brands %", "pct")],
    )  # fmt: skip
    assert above is not None and "more often" in sentence(above)


def test_a_contrast_of_the_extreme_row_is_checked_against_every_row() -> None:
    table = pl.DataFrame(
        {"Stage": ["Shop", "Delivery"], "Satisfied %": [60.0, 50.0],
         "Rest %": [63.0, 59.0], "Gap (points)": [-3.0, -9.0], "Significant": [False, True]}
    )  # fmt: skip
    values = {"outlet": "X", "brand": "B"}

    def trails(stage: str) -> contrasts.Contrast | None:
        return contrasts.contrast(
            table, "Stage", stage, "Gap (points)", phrase="stage_trails", extreme="lowest",
            quotes=[(stage, "Satisfied %", "pct"), (stage, "Rest %", "pct")], values=values,
        )  # fmt: skip

    worst = trails("Delivery")
    assert worst is not None and problems(worst, table) == []
    assert sentence(worst) == (
        "X trails the rest of B most at Delivery: 50% satisfied against 59% (significant)"
    )
    shop = trails("Shop")
    assert shop is not None and problems(shop, table)  # Delivery trails further


def test_sides_count_both_sides_of_the_flagged_rows_among_those_shown() -> None:
    table = pl.DataFrame(
        {"Outlet": list("abcde"), "Shrunk NPS": [30.0, 20.0, 10.0, 0.0, None],
         "Gap (points)": [12.0, 5.0, -2.0, -15.0, None],
         "Significant": [True, False, False, True, False]}
    )  # fmt: skip
    said = contrasts.sides(
        table, "Outlet", "Gap (points)", noun="ranked outlets", base="Shrunk NPS",
        values={"benchmark": "the rest of their brand"},
    )  # fmt: skip
    assert (said.above, said.below, said.total) == (1, 1, 4)
    assert sentence(said) == (
        "1 of 4 ranked outlets is significantly above the rest of their brand, 1 below"
    )
    assert problems(said, table) == []
    assert problems(contrasts.Sides("Outlet", "Gap (points)", 2, 1, 4, "Shrunk NPS"), table)


def test_the_strongest_rows_are_the_flagged_ones_with_the_largest_size() -> None:
    table = pl.DataFrame(
        {"Side": ["d", "d", "d", "p"], "Term": ["wait", "rude", "ok", "great"],
         "z": [-9.0, -4.0, -12.0, 7.0], "Significant": [True, True, False, True]}
    )  # fmt: skip
    said = contrasts.strongest(
        table, "Term", "z", 3, phrase="writes", where={"Side": "d"},
        values={"who": "detractors"},
    )  # fmt: skip
    assert said.subjects == ("wait", "rude")  # "ok" is larger but not significant
    assert sentence(said) == "detractors write “wait” and “rude”"
    assert problems(said, table) == []
    wrong = contrasts.Strongest("Term", "z", ("rude",), where={"Side": "d"})
    assert problems(wrong, table)  # "wait" is stronger and left out


def test_a_tally_of_a_value_distinct_values_and_a_published_change_without_a_test() -> None:
    table = pl.DataFrame(
        {"Study": ["ACSI", "ACSI", "JDP"], "Year": [2015, 2025, 2024],
         "Value": [80.0, 82.5, 871.0], "Quartile": ["top quartile", "top quartile", None]}
    )  # fmt: skip
    top = claims.tally(
        table, "Study", "Quartile", "top quartile", phrase="top_quartile",
        values={"brand": "Toyota"},
    )  # fmt: skip
    assert (top.count, top.total, top.unshown) == (2, 2, 1) and problems(top, table) == []
    assert sentence(top) == (
        "Toyota is in the top quartile of 2 of 2 studies (latest published year each)"
    )
    studies = claims.distinct(table, "Study", phrase="studies", values={"brand": "Toyota"})
    assert sentence(studies) == "Toyota: published scores in 2 studies" and not problems(
        studies, table
    )
    a = claims.figure(table, "Year", "2015", "Value", "published")
    b = claims.figure(table, "Year", "2025", "Value", "published")
    assert a is not None and b is not None
    change = claims.Change("Study", "Value", "ACSI", a, b, "2015", "2025", None, wave="Year")
    assert sentence(change) == "ACSI: 80 in 2015, 82.5 in 2025"
    assert problems(change, table) == []


def test_a_change_claimed_significant_must_be_flagged_in_the_table() -> None:
    table = pl.DataFrame(
        {"Brand": ["A", "A"], "Wave": ["W1", "W2"], "NPS": [10.0, 20.0],
         "Significant change": [False, False]}
    )  # fmt: skip
    a, b = claims.Figure(10.0, "nps"), claims.Figure(20.0, "nps")
    said = claims.Change("Brand", "NPS", "A", a, b, "W1", "W2", True, flag="Significant change")
    assert problems(said, table)
    assert problems(claims.Change("Brand", "NPS", "A", a, b, "W1", "W2", True), table)
    honest = claims.Change("Brand", "NPS", "A", a, b, "W1", "W2", False, flag="Significant change")
    assert problems(honest, table) == []


# ---- every headline of every page, over drawn selections -------------------------------------


@pytest.fixture(scope="module")
def fixture_con(fixture_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect.connect(fixture_db)
    yield con
    con.close()


def _runner(con: duckdb.DuckDBPyConnection) -> Any:
    def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
        cursor = con.cursor()
        try:
            return sql.run(cursor, name, params)
        finally:
            cursor.close()

    return run


def _check_charts(report: Any, result: Any, source: Any) -> None:
    for chart in report.charts(result, source):
        assert chart.claims, f"{report.key}/{chart.key}: a headline without claims: {chart.title}"
        assert chart.title == headline(chart.claims), f"{report.key}/{chart.key}"
        for claim in chart.claims:
            found = problems(claim, chart.table)
            assert not found, f"{report.key}/{chart.key}: {chart.title!r}: {found}"
    if report.summary is not None and report.key in CLAIMED_SUMMARIES:
        _check_summary(report.key, report.summary(result))


#: Reports whose deck findings and key figures are claims (the others' come later).
CLAIMED_SUMMARIES = ("overview", "channels", "revenue")


def _check_summary(key: str, summary: Any) -> None:
    """Findings are their claims in words and hold on their tables; a tile that states a
    finding shows its first claim's figure and its claims hold on its table."""
    assert summary.findings == tuple(f.text for f in summary.checked), key
    for finding in summary.checked:
        assert finding.claims, f"{key}: a finding without claims: {finding.text}"
        for claim in finding.claims:
            found = problems(claim, finding.table)
            assert not found, f"{key}: finding {finding.text!r}: {found}"
    for kpi in summary.kpis:
        if kpi.value == _("not available"):  # in the language of the summary
            continue
        assert kpi.claims, f"{key}: tile {kpi.label!r} states {kpi.value} without claims"
        first = kpi.claims[0]
        assert kpi.value == (
            top_value(first) if isinstance(first, claims.Top) else shown(first.figure)
        ), (key, kpi.label)
        for claim in kpi.claims:
            found = problems(claim, kpi.table)
            assert not found, f"{key}: tile {kpi.label!r}: {found}"


@pytest.mark.slow
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.key)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_headline_is_true_of_its_chart(
    report: Any, fixture_con: duckdb.DuckDBPyConnection, data: st.DataObject
) -> None:
    run = _runner(fixture_con)
    result = _drawn(report, run, data)
    _check_charts(report, result, dataset_source(run, "demo"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ru", "zh"])
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.key)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_headline_is_true_of_its_chart_in_each_language(
    report: Any, lang: str, fixture_con: duckdb.DuckDBPyConnection, data: st.DataObject
) -> None:
    """The headlines in Russian and Chinese: the rendering of the same claims, each true of
    the table the chart shows in that language, with no template left unfilled."""
    run = _runner(fixture_con)
    with i18n.use(lang):
        result = _drawn(report, run, data)
        _check_charts(report, result, dataset_source(run, "demo"))
        for chart in report.charts(result, dataset_source(run, "demo")):
            assert "{" not in chart.title, f"{report.key}/{chart.key}: {chart.title}"


def _drawn(report: Any, run: Any, data: st.DataObject) -> Any:
    """The report computed for a drawn selection, statistical options and page picks."""
    values = filter_values(run, "demo")
    chosen: dict[str, tuple[str, ...]] = {}
    for dimension in ("industries", "countries", "channels", "waves", "segments"):
        options = values.get(dimension, [])
        if options and data.draw(st.booleans(), label=f"filter {dimension}"):
            chosen[dimension] = tuple(
                data.draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
            )
    opts = Options(
        min_n=data.draw(st.sampled_from([10, 30, 100, 400]), label="min_n"),
        confidence=data.draw(st.sampled_from(CONFIDENCE_LEVELS), label="confidence"),
    )
    sel = Selection(dataset="demo", **chosen)
    result = report.compute(run, sel, opts)
    picks: dict[str, Any] = {}
    for name, choice in (getattr(result, "choices", {}) or {}).items():
        if not isinstance(choice, Choice) or not choice.options or choice.disabled:
            continue
        pick = report.pick(name)
        if pick.kind == "many":
            picks[name] = tuple(
                data.draw(st.lists(st.sampled_from(choice.options), max_size=3, unique=True))
            )
        elif pick.kind in ("one", "mode"):
            picks[name] = data.draw(st.sampled_from(choice.options), label=name)
    return report.compute(run, sel, opts, **picks) if picks else result


#: Reports whose deck findings are claims: each finding is a chart's headline (so the chart's
#: check covers it), or, for the dealer scorecards, a claim checked on the table it is read from.
FINDINGS = [r for r in REPORTS if r.key in ("voice", "dealers", "market")]


@pytest.mark.slow
@pytest.mark.parametrize("report", FINDINGS, ids=lambda r: r.key)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_deck_finding_is_a_claim_true_of_the_page(
    report: Any, fixture_con: duckdb.DuckDBPyConnection, data: st.DataObject
) -> None:
    run = _runner(fixture_con)
    result = _drawn(report, run, data)
    findings = report.summary(result).findings
    if report.key == "dealers":
        from cx.reports import dealers

        pairs = dealers.finding_claims(result)
        assert findings == tuple(f"{headline((c,))}." for c, _ in pairs)
        for claim, table in pairs:
            assert not problems(claim, table), headline((claim,))
        return
    titles = {c.title for c in report.charts(result, dataset_source(run, "demo"))}
    for finding in findings:
        assert finding in titles, finding


# ---- advice and the titles of shared charts ------------------------------------------------


def _model(r2_share: float, lows: list[float], highs: list[float]) -> Any:
    from cx.core.schema import ITEM_LABELS, STAGES
    from cx.metrics.drivers import DriverModel

    weights = [20.0, 15.0] + [65.0 / 6] * 6
    table = pl.DataFrame(
        {
            "item": list(STAGES),
            "label": [ITEM_LABELS[s] for s in STAGES],
            "raw_weight": [w / 100 * r2_share for w in weights],
            "importance_pct": weights,
            "importance_low": lows + [5.0] * 6,
            "importance_high": highs + [15.0] * 6,
            "correlation": [0.3] * 8,
        }
    )
    return DriverModel(table, r2_share, 500.0, 400.0, lows[0] > highs[1], False)


def test_no_fix_first_claim_when_r2_is_low_or_the_order_is_unsettled() -> None:
    from cx.core.schema import STAGES
    from cx.reports.journey import advise

    stages = pl.DataFrame({"item": list(STAGES), "top2_pct": [30.0, 35.0] + [60.0] * 6})
    weak = advise(_model(0.01, [18.0, 13.0], [22.0, 17.0]), stages, Options())
    assert weak.kind == "weak" and "Fix" not in weak.text and "R² = 0.01" in weak.text
    unsettled = advise(_model(0.5, [12.0, 10.0], [28.0, 20.0]), stages, Options())
    assert (
        unsettled.kind == "unstable"
        and "Fix" not in unsettled.text
        and "R² = 0.50" in unsettled.text
    )
    settled = advise(_model(0.5, [18.0, 12.0], [22.0, 17.0]), stages, Options())
    assert settled.kind == "fix" and settled.text.startswith("Fix ") and "R² = 0.50" in settled.text


def test_stages_that_read_the_same_are_named_together(con) -> None:
    """Overview said "Use the strongest (66%)" with Awareness also at 66% on the same chart:
    stages equal once rounded are named together, and a clear best is named alone."""
    import polars as pl

    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.metrics.measures import stage_by
    from cx.reports.common import stage_chart

    stages = stage_by(lambda q, p: sql.run(con, q, p), Selection(), "all", Options())
    value = {"awareness": 65.7, "use": 66.3, "maintain": 41.4}

    def with_values(values: dict[str, float]) -> pl.DataFrame:
        # each interval moved with its value (their width kept): the headline reads both
        moved = pl.col("item").replace_strict(values, default=50.0, return_dtype=pl.Float64)
        shift = moved - pl.col("top2_pct")
        return stages.with_columns(
            top2_pct=moved,
            top2_low=pl.col("top2_low") + shift,
            top2_high=pl.col("top2_high") + shift,
        )

    tied = stage_chart(with_values(value), Source("demo"), Options())
    assert tied is not None
    assert "satisfied); Awareness and Use are the strongest stages (66% satisfied)" in tied.title
    clear = stage_chart(with_values({**value, "awareness": 60.0}), Source("demo"), Options())
    assert clear is not None and "; Use is the strongest stage (66%" in clear.title, clear.title


def test_stages_that_are_both_weakest_and_strongest_are_said_to_be_level(con) -> None:
    """An upload with two stages answered, both at 29%, was headed "Purchase and Receive
    (delivery) are the weakest stages (29% satisfied); Purchase and Receive (delivery) are the
    strongest stages (29% satisfied)": a tie is said once, and one stage is the only one; no
    bar is marked weakest."""
    import polars as pl

    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.metrics.measures import stage_by
    from cx.reports.common import stage_chart

    stages = stage_by(lambda q, p: sql.run(con, q, p), Selection(), "all", Options())
    two = stages.filter(pl.col("item").is_in(["purchase", "receive"])).with_columns(
        top2_pct=pl.lit(29.2)
    )
    tied = stage_chart(two, Source("demo"), Options())
    assert tied is not None
    assert tied.title == "Purchase and Receive (delivery) are equally satisfying (29% satisfied)"
    assert all(problems(c, tied.table) == [] for c in tied.claims)
    one = stage_chart(two.head(1), Source("demo"), Options())
    assert one is not None
    assert one.title == "Purchase is the only stage with enough answers (29% satisfied)"
    for chart in (tied, one):  # one colour: no bar is marked the weakest
        assert len(set(chart.figure.data[0].marker.color)) == 1
        assert chart.native is not None and len(set(chart.native.colours)) == 1


def _stages(rows: list[tuple[str, float, float]]) -> pl.DataFrame:
    """A satisfaction table as a stage chart shows it: stage, % satisfied, interval +/-."""
    return pl.DataFrame(
        {
            "Stage": [r[0] for r in rows],
            "Satisfied %": [r[1] for r in rows],
            "Interval low": [r[1] - r[2] for r in rows],
            "Interval high": [r[1] + r[2] for r in rows],
            "n too small": [False] * len(rows),
        }
    )


def test_a_stage_the_chart_cannot_tell_from_the_weakest_is_named_with_it() -> None:
    """On an upload, "Maintain is the weakest stage" stood over 68.2% against 68.8% for three
    stages, the whiskers over each other: it followed the labels' rounding alone. A stage whose
    interval overlaps the weakest's is named with it, the figures as a range; when one stage is
    within both the weakest's and the strongest's, none is said to be weaker or stronger."""
    from cx.reports.common import STAGE_MARGIN, stage_claims

    noise = _stages(
        [("Use", 68.8, 3.0), ("Buy", 68.8, 3.0), ("Shop", 68.8, 3.0), ("Maintain", 68.2, 3.0)]
    )
    said = stage_claims(noise)
    assert [c.phrase for c in said if isinstance(c, claims.Top)] == ["level"]
    assert headline(said) == (
        "No stage is clearly more or less satisfying than the others (68% to 69% satisfied)"
    )
    assert all(problems(c, noise) == [] for c in said)
    # the old headline is refused by the check: three stages are within Maintain's whiskers
    alone = claims.Top("Stage", "Satisfied %", ("Maintain",), claims.Figure(68.2, "pct"), True,
                       "weakest", "stage", margin=STAGE_MARGIN)  # fmt: skip
    assert problems(alone, noise)
    # a clear weakest is named alone; a close second is named with the strongest
    apart = _stages(
        [("Use", 70.0, 1.0), ("Buy", 68.8, 1.0), ("Shop", 55.0, 1.0), ("Maintain", 41.0, 1.0)]
    )
    weakest, strongest = stage_claims(apart)
    assert sentence(weakest) == "Maintain is the weakest stage (41% satisfied)"
    assert sentence(strongest) == "Use and Buy are the strongest stages (69% to 70% satisfied)"
    assert all(problems(c, apart) == [] for c in (weakest, strongest))
    narrow = dataclasses.replace(strongest, subjects=("Use",), upto=None)
    assert problems(narrow, apart)  # 1.2 points apart, arms of 1: not told apart (z test)
    # 1.6 points apart, whiskers still over each other: told apart at the intervals' level
    clear = apart.with_columns(
        pl.when(pl.col("Stage") == "Buy").then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
        for c, v in (("Satisfied %", 68.4), ("Interval low", 67.4), ("Interval high", 69.4))
    )
    assert sentence(stage_claims(clear)[1]) == "Use is the strongest stage (70% satisfied)"


def test_a_count_names_each_flagged_subject_once() -> None:
    """Journey on an upload: "3 of 30 brand-stage cells differ significantly ... (BMW, Citroën
    and Citroën)": two of the cells were Citroën's. Each name is said once."""
    table = pl.DataFrame(
        {
            "Brand": ["BMW", "Citroën", "Citroën", "Tesla"],
            "Satisfied %": [88.0, 60.0, 62.0, 75.0],
            "Gap (points)": [9.0, -12.0, -10.0, 1.0],
            "Significant": [True, True, True, False],
        }
    )
    said = contrasts.count(
        table, "Brand", "Gap (points)", "different", "brand-stage cells", "brand-stage cell",
        "the other brands", value="Satisfied %",
    )  # fmt: skip
    assert said.count == 3 and not problems(said, table)
    assert sentence(said).endswith("(BMW and Citroën)"), sentence(said)


def test_a_trend_claims_each_brand_over_the_waves_it_shows() -> None:
    """ "No significant change for BMW and Toyota from 2025Q2 to 2026Q4" where Toyota's 2026Q4
    was under the minimum n, and Tesla (every wave hidden) was left out without a word."""
    from cx.metrics import measures, stats
    from cx.reports import brands

    rows = []
    for brand, sizes in (
        ("BMW", (200, 200, 200)),
        ("Toyota", (200, 200, 20)),
        ("Tesla", (10, 10, 10)),
    ):
        for wave, n in zip(("2025Q2", "2025Q3", "2026Q4"), sizes, strict=True):
            rows.append({"brand": brand, "wave": wave, "n": n, "sw": float(n), "sw2": float(n),
                         "swp": 0.4 * n, "swd": 0.3 * n})  # fmt: skip
    part = stats.nps_table(pl.DataFrame(rows), 0.95, 30)
    changes = measures.wave_changes(part, "brand", Options())
    table = brands.trend_table(part, changes, "brand")
    said = brands.trend_claims(table, changes, "brand", ["BMW", "Toyota", "Tesla"])
    text = headline(said)
    assert "BMW from 2025Q2 to 2026Q4" in text and "Toyota from 2025Q2 to 2025Q3" in text, text
    assert "Tesla: too few responses per wave" in text, text
    assert not [p for c in said for p in problems(c, table)]
    wrong = claims.steady(table, "brand", "nps", ["BMW", "Toyota"], "2025Q2", "2026Q4")
    assert problems(wrong, table) == ["Toyota shows no figure in 2025Q2 or 2026Q4"]


def test_one_steady_subject_is_named_not_counted() -> None:
    """A small upload's Voice trend said "None of the 1 most mentioned topics changed
    significantly": one subject is named; two or more are counted."""
    table = pl.DataFrame({"Topic": ["Price", "Service"], "Share %": [20.0, 30.0]})
    one = claims.steady(table, "Topic", "Share %", ["Price"], "2024Q3", "2024Q4", "topics")
    two = claims.steady(
        table, "Topic", "Share %", ["Price", "Service"], "2024Q3", "2024Q4", "topics"
    )
    assert headline((one,)) == "No significant change for Price from 2024Q3 to 2024Q4"
    assert headline((two,)) == "None of the 2 topics changed significantly from 2024Q3 to 2024Q4"


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_counts_and_points_agree_with_their_number_in_each_language(lang: str) -> None:
    """Plural forms follow the number (ru: 1 пункт, 2 пункта, 5 пунктов); checks read the
    table's values, whatever the language of the words."""
    table = _nps([("A", 30.0, 5.0, True), ("B", 20.0, -5.0, True), ("C", 10.0, -2.0, False)])
    with i18n.use(lang):
        above = contrasts.count(table, "Brand", "Gap (points)", "above", "brands", "brand", "x")
        below = contrasts.count(table, "Brand", "Gap (points)", "below", "brands", "brand", "x")
        said = headline((above, below))
        assert problems(above, table) == [] and problems(below, table) == []
    if lang == "en":
        assert said == "1 of 3 brands is significantly above x (A), 1 below"
    elif i18n.translations(lang).gettext("brands") != "brands":  # the catalog is built
        assert "brands" not in said and "A" in said and said.endswith(("1 个低于", "ниже — 1"))


def test_a_move_of_points_is_said_as_a_rise_or_a_fall_in_the_singular_for_one() -> None:
    """ "Norvik moved -39 points", "NPS fell 1 points" and a tile's "-1 points vs 2024Q3": a
    move of points rises or falls by its size, and one point is a point (English; Chinese and
    Russian take their plural forms from the catalogue)."""
    from cx.claims.figure import Figure
    from cx.claims.model import Change
    from cx.core import display

    def said(before: float, after: float, unit: str = "nps") -> str:
        c = Change("Brand", "NPS", subject="Norvik", before=Figure(before, unit),
                   after=Figure(after, unit), start="2023Q1", end="2024Q4", significant=True)  # fmt: skip
        return headline((c,))

    assert said(30, -9) == "Norvik fell 39 points from 2023Q1 to 2024Q4, a significant change"
    assert said(-3, -2).startswith("Norvik rose 1 point from")
    assert said(40.0, 45.0, "pct").startswith("Norvik rose 5 percentage points from")
    assert said(3.1, 3.4, "score").startswith("Norvik moved 0.30 from")  # a score: not points
    assert display.points(-1) == "-1 point" and display.points(1.2, 1) == "+1.2 points"
    assert display.points(-2) == "-2 points" and display.pct_points(1) == "+1 percentage point"


@pytest.mark.parametrize("language", ["en", "zh", "ru"])
def test_a_count_over_rows_partly_untested_says_how_many_could_not_be_tested(
    language: str,
) -> None:
    """The review: "none of the 52 ranked outlets in Germany is significantly above the rest of
    their brand, 1 below" counted 13 outlets no test could find significant (the subtitle:
    "controlled across the 39 outlets tested"). The count now says so once, after both sides,
    and says nothing when every row was tested."""

    def said(tested: int | None) -> str:
        sides = contrasts.Sides(
            "Outlet", "Gap (points)", 0, 1, 52, "Shrunk NPS", noun="ranked outlets",
            values={"benchmark": "the rest of their brand"}, tested=tested,
        )  # fmt: skip
        above = contrasts.Count(
            "Brand", "Gap (points)", 2, 52, "above", "brands", "brand", "the rest", tested=tested
        )
        below = dataclasses.replace(above, side="below", count=3)
        return headline([sides]) + " | " + headline([above, below])

    with i18n.use(language):
        partly, every, unknown = said(39), said(52), said(None)
        aside = i18n.ngettext("{count} could not be tested", "{count} could not be tested", 13)
        aside = aside.format(count=13)
    assert partly.count(aside) == 2, partly  # once per headline
    first, second = partly.split(" | ")
    assert first.endswith(aside + ")") or first.endswith(aside + "）"), first
    assert second.endswith(aside + ")") or second.endswith(aside + "）"), second
    assert aside not in every and aside not in unknown
    assert every == unknown


def test_a_count_names_and_its_untested_share_one_bracket_said_once() -> None:
    """The review of the first fix: "2 of 52 brands are significantly above the rest (Voltara
    and Zhenyu) (13 could not be tested)", two brackets in a row; and sides counted over
    different tests were taken for one family, the aside said twice."""
    above = contrasts.Count(
        "Brand", "Gap (points)", 2, 52, "above", "brands", "brand", "the rest",
        subjects=("Voltara", "Zhenyu"), tested=39,
    )  # fmt: skip
    below = dataclasses.replace(above, side="below", count=1, subjects=("Rovena",))
    said = headline([above, below])
    assert said == (
        "2 of 52 brands are significantly above the rest (Voltara and Zhenyu; 13 could not be "
        "tested), 1 below"
    ), said
    other = dataclasses.replace(below, tested=40)  # another family: said in full
    assert headline([above, other]).count("could not be tested") == 2


def test_rows_are_told_apart_by_the_z_test_at_their_intervals_level() -> None:
    """Told apart from the whiskers drawn (the arms facing each other, root of the sum of
    squares) is the two-sample z test at the intervals' level (scipy's normal)."""
    import numpy as np
    from scipy.stats import norm

    from cx.claims.figure import told_apart

    rng = np.random.default_rng(7)
    for level in (0.90, 0.95, 0.99):
        z = float(norm.ppf(0.5 + level / 2))
        for _draw in range(400):
            a, b = rng.uniform(-60, 60, 2)
            sa, sb = rng.uniform(0.3, 12, 2)
            apart = told_apart(a, a - z * sa, a + z * sa, b, b - z * sb, b + z * sb)
            p = 2 * norm.sf(abs(a - b) / np.hypot(sa, sb))
            assert apart == (p < 1 - level), (level, a, b, sa, sb, p)


def test_a_stage_close_to_both_ends_is_not_named_the_weakest_and_the_strongest() -> None:
    """A review: stages at 60, 63, 66, 68 and 71% (each +/-5) were headed "Awareness and 2 other
    stages are the weakest (60% to 66%); Buy and 2 other stages are the strongest (66% to 71%)",
    Shop in both. The ends stand apart, so the chart says the weakest only."""
    from cx.reports.common import stage_claims

    rows = [("Awareness", 60.0), ("Research", 63.0), ("Shop", 66.0), ("Buy", 71.0), ("Use", 68.0)]
    table = _stages([(s, v, 5.0) for s, v in rows])
    said = stage_claims(table)
    assert len(said) == 1 and isinstance(said[0], claims.Top) and said[0].phrase == "weakest"
    assert all(problems(c, table) == [] for c in said)


def test_a_lead_the_whiskers_tell_from_no_row_is_said_as_none() -> None:
    """ "Voltara and Ikaru lead with an NPS of +21 to +26" stood over a chart of those two
    brands: every row named leads nothing. The checker refuses the lead; a NaN whisker tells
    nothing apart either way."""
    import math

    table = pl.DataFrame(
        {
            "Brand": ["Voltara", "Ikaru"],
            "NPS": [25.8, 20.6],
            "Interval low": [22.7, 16.1],
            "Interval high": [28.8, 25.1],
            "n too small": [False, False],
        }
    )
    said = claims.top(table, "Brand", "NPS", "nps", phrase="leads", noun="brand",
                      margin=("ci_low", "ci_high"))  # fmt: skip
    assert said is not None and said.phrase == "none_leads"
    assert sentence(said) == "No brand clearly leads (NPS +21 to +26)"
    assert problems(said, table) == []
    assert problems(dataclasses.replace(said, phrase="leads"), table)
    from cx.claims.figure import told_apart

    assert told_apart(10.0, math.nan, 12.0, 30.0, 28.0, 32.0)  # by value, never "close"
