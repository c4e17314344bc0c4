"""Figures made in one go (:class:`cx.charts.sketch.Sketch`, :func:`restyled`) are the figures
Plotly's step-by-step API makes: same traces, same layout, the default template applied; and a
wrong layout name is refused as ``update_layout`` refuses it."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
import pytest
from support.compare import close

from cx.charts import figures, sketch, theme
from cx.charts import revenue as revenue_figures
from cx.charts.sketch import Sketch, restyled, trace
from cx.core import display


def _spec(fig: go.Figure) -> Any:
    return json.loads(fig.to_json())


def _bar() -> go.Bar:
    return go.Bar(
        x=[3.0, -1.5],
        y=["A & B", "<C>"],
        orientation="h",
        marker_color=["#123456", "#654321"],
        name="bars",
    )


def _line() -> go.Scatter:
    return go.Scatter(
        x=["2024Q1", "2024Q2"],
        y=[1, None],
        mode="lines",
        name="line",
        error_y={"type": "data", "array": [1, 2]},
    )


def test_a_sketch_makes_the_figure_the_steps_make() -> None:
    steps = go.Figure(_bar())
    steps.add_trace(_line())
    steps.update_layout(barmode="group", legend={"traceorder": "reversed"})
    steps.update_xaxes(title="Score", range=[0, 10])
    steps.update_xaxes(dtick=1)
    steps.update_yaxes(autorange="reversed", automargin=True)
    steps.add_shape(type="line", x0=1, x1=1, y0=0, y1=1, yref="paper", line={"dash": "dot"})
    steps.add_vline(x=2, line={"color": theme.RULE, "width": 1})
    steps.add_annotation(x=1, y=0, xref="paper", yref="paper", text="fix first", showarrow=False)
    steps.update_layout(
        title={"text": "<b>T</b>", "subtitle": {"text": "s", "font": {"size": 12}}},
        legend={"orientation": "h", "y": 1.02},
        margin={"t": 120},
        height=400,
    )

    sketch = Sketch(_bar()).add(_line())
    sketch.layout(barmode="group", legend={"traceorder": "reversed"})
    sketch.layout(xaxis={"title": "Score", "range": [0, 10]})
    sketch.layout(xaxis={"dtick": 1}, yaxis={"autorange": "reversed", "automargin": True})
    sketch.shape(type="line", x0=1, x1=1, y0=0, y1=1, yref="paper", line={"dash": "dot"})
    sketch.vline(2, color=theme.RULE, width=1)
    sketch.annotation(x=1, y=0, xref="paper", yref="paper", text="fix first", showarrow=False)
    made = sketch.figure(
        {
            "title": {"text": "<b>T</b>", "subtitle": {"text": "s", "font": {"size": 12}}},
            "legend": {"orientation": "h", "y": 1.02},
            "margin": {"t": 120},
            "height": 400,
        }
    )
    assert _spec(made) == _spec(steps)
    assert made.layout.template.layout.font.family == theme.FONT  # the default template


def test_titled_and_restyled_give_what_update_layout_gives() -> None:
    for traces in ([_bar()], [_bar(), _line()]):  # one legend entry, and a legend on top
        old = go.Figure(traces)
        old.update_layout(figures.title_layout(old, "A <title>", "n = 10", height=300))
        new = figures.titled(go.Figure(traces), "A <title>", "n = 10", height=300)
        assert _spec(new) == _spec(old)
        sketched = figures.titled(Sketch(*traces), "A <title>", "n = 10", height=300)
        assert _spec(sketched) == _spec(old)
    merged = restyled(go.Figure(_bar(), layout={"margin": {"l": 5, "t": 9}}), {"margin": {"t": 1}})
    assert merged.layout.margin.l == 5 and merged.layout.margin.t == 1


def test_a_wrong_name_or_value_is_refused_as_plotly_refuses_it_when_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sketch, "CHECKED", True)
    for bad in ({"xaxis": {"titel": "x"}}, {"height": "tall"}, {"barmode": "sideways"}):
        with pytest.raises(ValueError):
            go.Figure().update_layout(bad)
        with pytest.raises(ValueError):
            Sketch(_bar()).layout(**bad).figure()
        with pytest.raises(ValueError):
            restyled(go.Figure(_bar()), bad)
    for wrong in ({"colour": "red"}, {"orientation": "diagonal"}):
        with pytest.raises(ValueError):
            trace(go.Bar, x=[1], **wrong)


def test_every_page_draws_the_same_figures_checked_or_not(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app makes figures unchecked (:data:`cx.charts.sketch.CHECKED`): every chart of every
    page, in three languages and two selections, is the figure Plotly's validation makes (and
    validation refuses none of them)."""
    from cx.core import i18n
    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.data import sql
    from cx.reports import market, programme
    from cx.reports.base import dataset_source
    from cx.reports.registry import REPORTS

    run = sql.memo(lambda n, p: sql.run(con, n, p))
    source = dataset_source(run, "demo")
    selections = (Selection(), Selection(waves=("2024Q4",), countries=("DE", "US")))

    def drawn(checked: bool) -> dict[tuple[str, ...], Any]:
        monkeypatch.setattr(sketch, "CHECKED", checked)
        market._PUBLISHED.clear()  # charts kept across runs: made again in each mode
        programme._RESEARCH.clear()
        out = {}
        for lang in ("en", "zh", "ru"):
            with i18n.use(lang):
                for i, sel in enumerate(selections):
                    for report in REPORTS:
                        result = report.compute(run, sel, Options())
                        for chart in report.charts(result, source):
                            if chart.figure is not None and hasattr(chart.figure, "to_json"):
                                key = (lang, str(i), report.key, chart.key)
                                out[key] = json.loads(chart.figure.to_json())
        return out

    unchecked, checked = drawn(False), drawn(True)
    assert unchecked.keys() == checked.keys() and len(checked) > 100
    # Polars adds a group's floats on several threads: the last digit may differ between runs
    different = [k for k in checked if not close(checked[k], unchecked[k])]
    assert not different, different[:5]


def test_waterfall_labels_add_up_to_the_total_label() -> None:
    """The reviewer's case: 363.6 + 63.4 + 101.5 = 528.5, labelled $364M, $63M, $102M over a
    $528M total; the labels now add up, each within one of its value."""
    import numpy as np

    from cx.core.display import adding_up

    rng = np.random.default_rng(20261204)
    cases = [[363.6, 63.4, 101.45]] + [
        list(rng.uniform(0, 900, size=int(rng.integers(1, 7)))) for _ in range(500)
    ]
    for values in cases:
        *parts, total = adding_up(values)
        assert sum(parts) == total == round(sum(values))
        assert all(abs(p - v) < 1 for p, v in zip(parts, values, strict=True))
    fig = revenue_figures.waterfall(
        ["a", "b", "c"], [363.6e6, 63.4e6, 101.45e6], "t", "s", "Total", "USD M"
    )
    assert fig.data[0].text == ("$364M", "$63M", "$101M", "$528M")
    assert fig.data[0].y == (363.6, 63.4, 101.45, 0)


def test_waterfall_labels_write_money_as_the_tiles_do_in_every_language() -> None:
    """Chinese tiles said 5.28 亿美元 over a waterfall labelled 528 百万美元, Russian $528 млн
    over 528 млн $: the labels now come from the one money format the tiles use."""
    from cx.core import display, i18n

    values = [363.6e6, 63.4e6, 101.45e6]
    for lang in i18n.LANGUAGES:
        with i18n.use(lang):
            fig = revenue_figures.waterfall(["a", "b", "c"], values, "t", "s", "Total", "USD M")
            wanted = tuple(display.usd_m(v * 1e6) for v in (364, 63, 101, 528))
            assert fig.data[0].text == wanted, lang
            # the bars stand in the axis's unit: millions, in Chinese 亿 as the labels say
            scale = 1e8 if lang == "zh" else 1e6
            assert fig.data[0].y == pytest.approx([v / scale for v in values] + [0]), lang
    with i18n.use("zh"):  # a space between the number and its unit, where a tile may wrap
        assert [display.usd_m(528e6), display.usd_m(81e6)] == ["5.28 亿美元", "8,100 万美元"]


def test_chinese_labels_are_broken_into_lines_and_others_as_before() -> None:
    """The Voice heatmap's Chinese column headers ran into one another (no spaces to break
    at); a label of wide characters only is cut into even lines, every other as textwrap does."""
    import textwrap

    assert figures.wrap("产品质量与缺陷", 12) == "产品质量<br>与缺陷"
    assert figures.wrap("展厅与试驾", 12) == "展厅与试驾"  # fits
    assert figures.wrap("扩展（Scale）", 8) == "扩展（Scale）"  # mixed: left whole
    for text in ("Maintain (after-sales) satisfaction", "Charging & range", "Ремонт и сервис"):
        for width in (8, 12, 16):
            lines = textwrap.wrap(text, width=width, break_long_words=False)
            assert figures.wrap(text, width) == "<br>".join(figures.esc(x) for x in lines)


def test_a_grouped_bar_too_small_to_show_says_so_where_it_would_stand() -> None:
    """The outlet's Purchase bar was simply missing beside its brand's; a suppressed bar of a
    cluster now reads "n too small" at its place (a category a series lacks stays empty)."""
    from cx.core.display import TOO_SMALL

    df = pl.DataFrame(
        {
            "stage": ["Shop", "Purchase", "Use", "Shop", "Purchase"],
            "series": ["outlet", "outlet", "outlet", "rest", "rest"],
            "value": [67.0, None, 50.0, 43.0, 48.0],
        }
    )
    fig = figures.grouped_bars(df, "stage", "series", "value", "t", "s")
    notes = [a for a in fig.layout.annotations if a.text == TOO_SMALL]
    assert len(notes) == 1  # the rest's missing Use is no bar, not a small one
    note = notes[0]
    # two bars a cluster, 0.8 of a category between them: the first bar's centre is 0.2 left
    assert note.x == pytest.approx(1 - 0.2) and note.y == 0 and note.textangle == -90
    assert fig.layout.bargap == figures.BARGAP
    assert fig.data[0].y[1] is None and fig.data[1].y[2] is None


def test_a_series_of_no_code_is_named_as_tables_name_it_in_every_language() -> None:
    """Answers without a series code (no channel stated) made a legend entry "None"; it reads
    as the tables name a missing code, in the language shown."""
    from cx.core import i18n

    df = pl.DataFrame(
        {"stage": ["Shop", "Shop", "Use"], "channel": ["dealer", None, None], "v": [1.0, 2.0, 3.0]}
    )
    for lang in i18n.LANGUAGES:
        with i18n.use(lang):
            fig = figures.grouped_bars(df, "stage", "channel", "v", "t", "s", names={"dealer": "D"})
            assert [t.name for t in fig.data] == ["D", display.name("channel", None)]
            assert "None" not in fig.data[1].name


def test_the_terms_legend_names_each_colour_once() -> None:
    """The terms chart's legend said "Not significant" twice when both sides had grey terms."""
    from cx.charts import voice

    cases = {
        "both sides grey": ([True, False, True, False], 3),
        "promoters grey only": ([True, True, True, False], 3),
        "detractors grey only": ([True, False, True, True], 3),
        "none grey": ([True, True, True, True], 2),
    }
    for case, (significant, entries) in cases.items():
        df = pl.DataFrame(
            {
                "term_label": ["a", "b", "c", "d"],
                "side": ["detractors", "detractors", "promoters", "promoters"],
                "signed_z": [-4.0, -1.0, 5.0, 1.5],
                "significant": significant,
            }
        )
        fig = voice.diverging_terms(df, "t", "s", "z")
        named = [t.name for t in fig.data if t.showlegend is not False]
        assert len(named) == len(set(named)) == entries, (case, named)


def test_a_trend_keeps_the_waves_in_time_order_whichever_line_comes_first() -> None:
    """A brand without the first wave, drawn first, put 2024Q1 at the right-hand end of the
    axis (a category axis takes categories in the order the lines first name them)."""
    df = pl.DataFrame(
        {
            "wave": ["2024Q2", "2024Q3", "2024Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"],
            "brand": ["Alpha"] * 3 + ["Beta"] * 4,
            "nps": [10.0, 12.0, 11.0, 5.0, 6.0, 7.0, 8.0],
            "ci_low": [5.0] * 7,
            "ci_high": [15.0] * 7,
        }
    )
    fig = figures.trend(df, "wave", "brand", "t", "s", "95%", colours={"Alpha": "#000000"})
    assert list(fig.layout.xaxis.categoryarray) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert fig.layout.xaxis.categoryorder == "array"
    assert list(fig.data[0].x) == ["2024Q2", "2024Q3", "2024Q4"]  # Alpha, the first line


def test_a_stacked_share_marks_its_100() -> None:
    """The Brands split read 0 and 50 and stopped: the axis now marks every quarter, and keeps
    a right margin for the 100 at its end (the app's theme leaves none)."""
    df = pl.DataFrame({"brand": ["A", "B"], "d": [40.0, 30.0], "p": [60.0, 70.0]})
    fig = figures.stacked_share(
        df, "brand", [("d", "D", "#7A1F5C"), ("p", "P", "#1A7F37")], "t", "s"
    )
    assert list(fig.layout.xaxis.tickvals) == [0, 25, 50, 75, 100]
    assert tuple(fig.layout.xaxis.range) == (0, 100) and fig.layout.margin.r >= 20


def test_a_stacked_segment_too_narrow_for_its_label_goes_without_and_none_turns() -> None:
    """Brands' detractor segments of 5-8% had their labels shrunk to a speck or turned on
    their side ("10%" read upwards): narrow segments go without, the others stay level."""
    df = pl.DataFrame({"brand": ["A", "B"], "d": [5.0, 12.0], "p": [95.0, 88.0]})
    fig = figures.stacked_share(
        df, "brand", [("d", "D", "#7A1F5C"), ("p", "P", "#1A7F37")], "t", "s"
    )
    assert list(fig.data[0].text) == [None, "12%"] and list(fig.data[1].text) == ["95%", "88%"]
    assert all(t.textangle == 0 for t in fig.data)


def test_a_bar_too_short_for_its_label_has_it_above_its_whisker() -> None:
    """Voice's "0% of promoters" bar showed no 0% (a label inside a bar of no height): a bar
    under a fourteenth of the axis has its label above its whisker instead."""
    df = pl.DataFrame(
        {
            "topic": ["Waiting", "Waiting", "Price", "Price"],
            "series": ["detractor", "promoter", "detractor", "promoter"],
            "value": [31.0, 0.0, 40.0, 22.0],
            "lo": [27.0, 0.0, 36.0, 19.0],
            "hi": [35.0, 1.4, 44.0, 25.0],
        }
    )
    fig = figures.grouped_bars(df, "topic", "series", "value", "t", "s", "", "%", lo="lo", hi="hi")
    assert fig.data[1].text == (None, "22%")  # the promoters: 0% is not inside its bar
    above = [a for a in fig.layout.annotations if a.text == "0%"]
    assert len(above) == 1 and above[0].y == 1.4 and above[0].x == pytest.approx(0.2)
    assert fig.data[0].text == ("31%", "40%")


def test_a_wide_heatmap_slants_its_headers_rather_than_run_them_together() -> None:
    """Voice's brand x topic headers ("communication" into "service time") ran into each other
    at 1366: ten columns or more are slanted, on one line; fewer wrap flat as before."""
    topics = [f"Topic number {i} and communication" for i in range(10)]
    wide = figures.heatmap([[1.0] * 10], topics, ["A"], "t", "s")
    assert wide.layout.xaxis.tickangle == -35 and not any("<br>" in x for x in wide.data[0].x)
    narrow = figures.heatmap([[1.0] * 8], topics[:8], ["A"], "t", "s")
    assert narrow.layout.xaxis.tickangle == 0 and all("<br>" in x for x in narrow.data[0].x)
