"""Chart builders that several reports share (NPS bars, the journey-stage chart)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.options import Options
from cx.core.schema import STAGES
from cx.exports.chart import Chart, Native, native_columns
from cx.metrics.measures import WaveChange
from cx.reports.base import Source

#: Excel and PowerPoint number formats of the reports' values.
NPS_FORMAT = "+0;-0;0"
PCT_FORMAT = '0"%"'
USD_FORMAT = "$#,##0"
USD_M_FORMAT = '"$"#,##0"M"'

#: The columns of an NPS table, in order (after the group columns).
NPS_TABLE = (
    "n",
    "n_effective",
    "nps",
    "ci_low",
    "ci_high",
    "promoters_pct",
    "passives_pct",
    "detractors_pct",
    "rest_nps",
    "gap",
    "p_value",
    "q_value",
    "significant",
    "suppressed",
)
#: The columns a trend's table adds on each series' last wave: its change since its first wave,
#: tested with the series one family (:func:`cx.metrics.measures.wave_changes`).
CHANGE_COLUMNS = ("wave_change", "wave_change_q", "wave_change_significant")
#: The columns of a satisfaction (top-2-box) table, in order (after the group columns).
TOP2_TABLE = (
    "label",
    "n",
    "top2_pct",
    "top2_low",
    "top2_high",
    "mean",
    "dissatisfied_pct",
    "suppressed",
)


def human_table(
    frame: pl.DataFrame, columns: Sequence[str], names: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """The ``columns`` of ``frame`` people read, in this order, under their human names:
    ``names`` where this table narrows a column's meaning, else
    :data:`cx.core.display.COLUMN_NAMES` (a column with neither raises ``KeyError``: every
    header has one home). Columns the frame lacks are left out."""
    cols = [c for c in dict.fromkeys(columns) if c in frame.columns]
    own = {**display.COLUMN_NAMES, **(names or {})}
    return frame.select(cols).rename({c: own[c] for c in cols})


def column_formats(names: Mapping[str, str] | None = None, **formats: str) -> dict[str, str]:
    """Excel number formats keyed by machine column, as :attr:`Chart.formats` wants them: by
    the column's human name (``names`` as given to :func:`human_table`)."""
    own = {**display.COLUMN_NAMES, **(names or {})}
    return {own[column]: code for column, code in formats.items()}


def nps_table(
    frame: pl.DataFrame, keys: Sequence[str], names: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """An NPS table: the group columns ``keys``, then :data:`NPS_TABLE`, with human names."""
    return human_table(frame, [*keys, *NPS_TABLE], names)


def top2_table(
    frame: pl.DataFrame, keys: Sequence[str], names: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """A satisfaction table: the group columns ``keys``, then :data:`TOP2_TABLE`, with human
    names (answers, not responses: :data:`cx.core.display.ANSWER_COLUMNS`)."""
    return human_table(frame, [*keys, *TOP2_TABLE], {**display.ANSWER_COLUMNS, **(names or {})})


def _significance(rows: pl.DataFrame) -> list[theme.Significance]:
    """Colour and mark of each row, as the screen's figure draws them."""
    return [
        theme.significance(r.get("significant"), r.get("gap"), r.get("suppressed"))
        for r in rows.iter_rows(named=True)
    ]


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
        marks = [f" {m.mark}" if m.mark else "" for m in _significance(rows)]
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
        point_colours = [m.colour for m in _significance(rows)]
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
    keys: Sequence[str],
    options: Options,
    colour: str | Mapping[str, str] = "plain",
    names: Mapping[str, str] | None = None,
    said: tuple[Claim, ...] = (),
) -> Chart:
    """An NPS ranking card: bars best first with intervals, the human table, the native form.

    ``keys`` are the table's group columns (``names`` names those
    :data:`cx.core.display.COLUMN_NAMES` does not). ``colour`` is ``plain``,
    ``significance`` (blue/vermillion for significant gaps) or a mapping category -> colour
    (significance then marked with ▲/▼).
    """
    return Chart(
        key,
        title,
        subtitle,
        figures.nps_ranking(frame, column, title, subtitle, options.level, colour=colour),
        nps_table(frame, keys, names),
        label=label,
        native=nps_native(
            frame,
            column,
            significance=colour == "significance",
            colours=colour if isinstance(colour, Mapping) else None,
        ),
        claims=said,
    )


#: The value axis of satisfaction (top-2-box) charts, on screen and in decks.
SATISFIED_AXIS = "Satisfied (4-5 of 5), %"

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
    value_title = SATISFIED_AXIS
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
        top2_table(stage_rows, ()),
        label="Satisfaction by stage",
        native=native_columns(
            stage_rows,
            "label",
            [(value_title, "top2_pct")],
            "bar",
            number_format=PCT_FORMAT,
            value_title=value_title,
            colours=theme.highlighted(stage_rows["label"], weakest or set(), theme.ACCENT),
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
    marked = by_wave.with_columns(
        wave_change=pl.when(pl.col("wave") == (change.wave if change else None))
        .then(pl.lit(change.change if change else None))
        .otherwise(None),
        wave_change_q=pl.when(pl.col("wave") == (change.wave if change else None))
        .then(pl.lit(change.p_value if change else None))
        .otherwise(None),
        wave_change_significant=pl.col("wave") == (change.wave if change else None)
        if change and change.significant
        else pl.lit(False),
    )
    table = human_table(
        marked,
        ["wave", *NPS_TABLE, *CHANGE_COLUMNS],
        {"wave_change": "Change vs previous wave (points)"},
    )
    said: tuple[Claim, ...] = ()
    if change is not None:
        claim = claims.change(
            table, "", "nps", "nps", "NPS", change.previous_wave, change.wave,
            significant=change.significant, phrase="level",
        )  # fmt: skip
        said = (claim,) if claim is not None else ()
    if not said:
        said = (claims.statement("one_wave"),)
    title = headline(said)
    subtitle = (
        f"{source.survey} · {display.n(by_wave['n'].sum())} · {options.interval} around "
        f"each wave · latest against previous wave {options.significance} · gaps: n too small"
    )
    y_range = figures.honest_range(by_wave["ci_low"].to_list(), by_wave["ci_high"].to_list())
    return Chart(
        key,
        title,
        subtitle,
        figures.trend(by_wave, "wave", None, title, subtitle, options.level, y_range=y_range),
        table,
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
        claims=said,
    )
