"""Chart builders that several reports share (NPS bars, the journey-stage chart)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.schema import STAGES
from cx.exports.chart import Chart, Native, native_columns
from cx.metrics.measures import WaveChange
from cx.reports.base import Source

NPS_FORMAT = "+0;-0;0"
PCT_FORMAT = '0"%"'

#: Human column names of NPS tables (Excel, CSV, "Show data").
NPS_COLUMNS = {
    "n": "Responses (n)",
    "n_effective": "Effective n",
    "nps": "NPS",
    "ci_low": "Interval low",
    "ci_high": "Interval high",
    "promoters_pct": "Promoters %",
    "passives_pct": "Passives %",
    "detractors_pct": "Detractors %",
    "rest_nps": "Benchmark NPS",
    "gap": "Gap (points)",
    "p_value": "p-value",
    "significant": "Significant",
    "suppressed": "n too small",
}


#: Human column names of satisfaction (top-2-box) tables.
TOP2_COLUMNS = {
    "label": "Stage",
    "n": "Answers (n)",
    "top2_pct": "Satisfied %",
    "top2_low": "Interval low",
    "top2_high": "Interval high",
    "mean": "Mean (1-5)",
    "dissatisfied_pct": "Dissatisfied %",
    "suppressed": "n too small",
}


def human_table(
    frame: pl.DataFrame, keys: Mapping[str, str], columns: Mapping[str, str]
) -> pl.DataFrame:
    """The columns people read, with human names: ``keys`` names the group columns first."""
    cols = [c for c in (*keys, *columns) if c in frame.columns]
    names = {**columns, **keys}
    return frame.select(cols).rename({c: names[c] for c in cols})


def nps_table(frame: pl.DataFrame, keys: Mapping[str, str]) -> pl.DataFrame:
    """An NPS table with human column names (see :data:`NPS_COLUMNS`)."""
    return human_table(frame, keys, NPS_COLUMNS)


def top2_table(frame: pl.DataFrame, keys: Mapping[str, str]) -> pl.DataFrame:
    """A satisfaction table with human column names (see :data:`TOP2_COLUMNS`)."""
    return human_table(frame, keys, TOP2_COLUMNS)


def nps_native(
    df: pl.DataFrame,
    label: str,
    significance: bool = True,
    colours: Mapping[str, str] | None = None,
) -> Native:
    """NPS bars best first with their intervals, empty where suppressed; bar colours as on
    screen (significance, or each category's own colour)."""
    rows = df.sort("nps", descending=True, nulls_last=True)
    point_colours = None
    if colours is not None and "significant" in rows.columns:
        # categories keep their colour; a significant gap is marked as on screen (▲/▼)
        marks = [
            (" ▲" if (r.get("gap") or 0) > 0 else " ▼") if r.get("significant") else ""
            for r in rows.iter_rows(named=True)
        ]
        colours = {
            **colours,
            **{
                f"{r[label]}{m}": colours.get(str(r[label]), theme.ACCENT)
                for r, m in zip(rows.iter_rows(named=True), marks, strict=True)
            },
        }
        rows = rows.with_columns(
            pl.Series(label, [f"{v}{m}" for v, m in zip(rows[label].to_list(), marks, strict=True)])
        )
    if colours is not None:
        point_colours = [
            theme.SUPPRESSED if r.get("suppressed") else colours.get(str(r[label]), theme.ACCENT)
            for r in rows.iter_rows(named=True)
        ]
    elif significance and "significant" in rows.columns:
        point_colours = [
            theme.significance_colour(r.get("significant"), r.get("gap"), r.get("suppressed"))
            for r in rows.iter_rows(named=True)
        ]
    return native_columns(
        rows,
        label,
        [("NPS", "nps")],
        "bar",
        value_title="NPS",
        number_format=NPS_FORMAT,
        colours=point_colours,
        series_colours=[theme.ACCENT],
        interval=("ci_low", "ci_high"),
    )


def nps_chart(
    key: str,
    label: str,
    title: str,
    subtitle: str,
    frame: pl.DataFrame,
    column: str,
    keys: Mapping[str, str],
    options: Options,
    colour: str | Mapping[str, str] = "plain",
) -> Chart:
    """An NPS ranking card: bars best first with intervals, the human table, the native form.

    ``colour`` is ``plain``, ``significance`` (blue/vermillion for significant gaps) or a
    mapping category -> colour (significance then marked with ▲/▼).
    """
    return Chart(
        key,
        title,
        subtitle,
        figures.nps_ranking(frame, column, title, subtitle, options.level, colour=colour),
        nps_table(frame, keys),
        label=label,
        native=nps_native(
            frame,
            column,
            significance=colour == "significance",
            colours=colour if isinstance(colour, Mapping) else None,
        ),
    )


#: The scope of a chart over the sidebar's industries, whichever they are.
INDUSTRIES_IN_FILTERS = "the industries in the filters"


def answers_range(frame: pl.DataFrame, column: str = "n") -> str:
    """ "n = 1,234" or "n = 1,001-1,234" over the rows of ``frame`` (answers differ per item)."""
    values = (
        [v for v in frame[column].to_list() if v is not None] if column in frame.columns else []
    )
    if not values:
        return "n = none"
    lo, hi = display.count(min(values)), display.count(max(values))
    return f"n = {lo}" if lo == hi else f"n = {lo}-{hi}"


def stage_chart(
    stages: pl.DataFrame, source: str, options: Options, scope: str = ""
) -> Chart | None:
    """Satisfaction (top-2-box) for the 8 journey stages in journey order, weakest marked.

    ``scope`` names whose journey it is (an industry, or :data:`INDUSTRIES_IN_FILTERS`); the
    title and subtitle say
    it, so two pages showing different industries never look like a contradiction.
    """
    if stages.is_empty():
        return None
    stage_rows = stages.filter(pl.col("item").is_in(list(STAGES))).sort("order")
    shown = stage_rows.filter(~pl.col("suppressed")).sort("top2_pct")
    whose = f" for {scope}" if scope and scope != INDUSTRIES_IN_FILTERS else ""
    if shown.height:
        worst, best = shown.row(0, named=True), shown.row(-1, named=True)
        # stages that read the same once rounded are named together, never one "the" best
        level = [r["label"] for r in shown.iter_rows(named=True)
                 if display.pct(r["top2_pct"]) == display.pct(best["top2_pct"])]  # fmt: skip
        strongest = (
            f" and {best['label']} the strongest"
            if len(level) == 1
            else f"; {', '.join(level[:-1])} and {level[-1]} are the strongest"
        )
        title = (
            f"{worst['label']} is the weakest stage{whose} ({display.pct(worst['top2_pct'])} "
            f"satisfied){strongest} ({display.pct(best['top2_pct'])})"
        )
    else:
        title = "Too few responses to rate the journey stages"
    subtitle = (
        f"{source}{' · ' + scope if scope else ''} · top-2-box (4-5 of 5), whiskers: "
        f"{options.interval} · {answers_range(stage_rows)} answers per stage"
    )
    weakest = {shown.row(0, named=True)["label"]} if shown.height else None
    value_title = "Satisfied (4-5 of 5), %"
    return Chart(
        "stage_top2",
        title,
        subtitle,
        figures.bars(
            stage_rows,
            "label",
            "top2_pct",
            title,
            subtitle,
            lo="top2_low",
            hi="top2_high",
            suffix="%",
            value_title=value_title,
            sort=False,
            highlight=weakest,
            value_range=(0, 100),
        ),
        top2_table(stage_rows, {}),
        label="Satisfaction by stage",
        native=native_columns(
            stage_rows,
            "label",
            [(value_title, "top2_pct")],
            "bar",
            number_format=PCT_FORMAT,
            value_title=value_title,
            colours=[
                theme.HIGHLIGHT if weakest and lbl in weakest else theme.ACCENT
                for lbl in stage_rows["label"].to_list()
            ],
            interval=("top2_low", "top2_high"),
            value_range=(0, 100),
        ),
    )


def nps_trend_chart(
    key: str,
    by_wave: pl.DataFrame,
    latest: Mapping[str, Any] | None,
    change: WaveChange | None,
    source: Source,
    options: Options,
) -> Chart | None:
    """NPS by wave on an honest axis (zero included, at least 40 points); None with fewer
    than two reportable waves (a one-point "trend" is not one).

    Args:
        key: the chart's key.
        by_wave: ``measures.nps_by(..., "wave")``, oldest first.
        latest: the latest reportable wave's row (:func:`cx.metrics.measures.latest_wave`).
        change: the latest wave against the previous one, or None.
        source: the dataset (the subtitle names it).
        options: the statistical options.
    """
    shown = by_wave.filter(~pl.col("suppressed")) if by_wave.height else by_wave
    if shown.height < 2 or latest is None:
        return None
    title = f"NPS {display.nps(latest['nps'])} in {latest['wave']}"
    if change is not None:
        title += f", {display.points(change.change, 1)} vs {change.previous_wave}" + (
            " (significant)" if change.significant else " (not significant)"
        )
    subtitle = (
        f"{source.survey} · {display.n(by_wave['n'].sum())} · {options.interval} around "
        "each wave · gaps: n too small"
    )
    y_range = figures.honest_range(by_wave["ci_low"].to_list(), by_wave["ci_high"].to_list())
    return Chart(
        key,
        title,
        subtitle,
        figures.trend(by_wave, "wave", None, title, subtitle, options.level, y_range=y_range),
        nps_table(by_wave, {"wave": "Wave"}),
        label="NPS by wave",
        native=native_columns(
            by_wave,
            "wave",
            [("NPS", "nps")],
            "line",
            value_title="NPS",
            number_format=NPS_FORMAT,
            series_colours=[theme.ACCENT],
            interval=("ci_low", "ci_high"),
            value_range=(y_range[0], y_range[1]),
        ),
    )
