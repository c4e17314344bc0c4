"""Chart builders that several reports share (NPS bars, the journey-stage chart)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline, sentence, shown
from cx.core import display
from cx.core.options import Options
from cx.core.schema import NO_INDUSTRY, STAGES
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi, Native, native_columns

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
    "q_value": "q-value (false discovery rate)",
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
    "switch_if_dissatisfied_pct": "Dissatisfied who intend to switch %",
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
    screen (significance, or each category's own colour, a significant gap then marked ▲/▼).

    The values stand beside the names ("France  -10"), a column of their own, never on the
    bars: on a bar near zero the error bar crossed its label and hid the minus sign.
    """
    rows = df.sort("nps", descending=True, nulls_last=True)
    listed = list(rows.iter_rows(named=True))
    point_colours = None
    if colours is not None:
        point_colours = [
            theme.SUPPRESSED if r.get("suppressed") else colours.get(str(r[label]), theme.ACCENT)
            for r in listed
        ]
    elif significance and "significant" in rows.columns:
        point_colours = [
            theme.significance_colour(r.get("significant"), r.get("gap"), r.get("suppressed"))
            for r in listed
        ]
    marked = colours is not None and "significant" in rows.columns
    native = native_columns(
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
    native.categories = [nps_category(r, label, marked) for r in listed]
    native.value_labels = False
    return native


def nps_category(row: Mapping[str, Any], label: str, marked: bool = False) -> str:
    """A native NPS chart's category: the name, then its value as labels show it ("n too
    small" when suppressed) and, with ``marked``, ▲/▼ for a significant gap."""
    if row.get("suppressed"):
        return f"{row[label]}  n too small"
    mark = (" ▲" if (row.get("gap") or 0) > 0 else " ▼") if row.get("significant") else ""
    return f"{row[label]}  {display.nps(row['nps'])}{mark if marked else ''}"


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
    said: tuple[Claim, ...] = (),
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
        claims=said,
    )


def industries_scope(industries: Sequence[str], sel: Selection) -> str:
    """Which industries a page's figures cover, in words: the ones the sidebar chose (named),
    else all of the dataset's ("all 13 industries"), or "all respondents" for an upload
    without industries. ``industries`` are the dataset's."""
    real = [i for i in industries if i != NO_INDUSTRY]
    if not real:
        return "all respondents"
    chosen = [i for i in sel.industries if i in real]
    if chosen:
        return display.join(chosen) if len(chosen) <= 3 else f"{len(chosen)} chosen industries"
    return f"all {len(real)} industries" if len(real) > 1 else real[0]


def claimed_kpi(label: str, said: Sequence[Claim], table: pl.DataFrame, note: str = "") -> Kpi:
    """A tile stating claims: its value is the first claim's figure as shown, its note the
    other claims in words, then ``note`` (words without numbers of their own)."""
    figure = getattr(said[0], "figure", None)
    value = shown(figure) if isinstance(figure, claims.Figure) else sentence(said[0])
    words = [sentence(c) for c in said[1:]]
    return Kpi(label, value, " · ".join([*words, note] if note else words), tuple(said), table)


def answers_range(frame: pl.DataFrame, column: str = "n") -> str:
    """ "n = 1,234" or "n = 1,001-1,234" over the rows of ``frame`` that show a value (answers
    differ per item; rows suppressed as "n too small" are not counted)."""
    if "suppressed" in frame.columns:
        frame = frame.filter(~pl.col("suppressed").fill_null(False))
    values = (
        [v for v in frame[column].to_list() if v is not None] if column in frame.columns else []
    )
    if not values:
        return "n = none"
    lo, hi = display.count(min(values)), display.count(max(values))
    return f"n = {lo}" if lo == hi else f"n = {lo}-{hi}"


def stage_claims(table: pl.DataFrame, whose: str = "") -> tuple[Claim, ...]:
    """What a stage chart says, from its table: the weakest stage(s) and the strongest (stages
    that read the same once rounded are named together)."""
    scope = f"for {whose}" if whose else ""
    weakest = claims.top(
        table, "Stage", "Satisfied %", "pct", lowest=True, phrase="weakest", noun="stage",
        scope=scope,
    )  # fmt: skip
    strongest = claims.top(table, "Stage", "Satisfied %", "pct", phrase="strongest", noun="stage")
    if weakest is None or strongest is None:
        return (claims.statement("no_stages"),)
    return (weakest, strongest)


def stage_chart(
    stages: pl.DataFrame, source: str, options: Options, scope: str = "", whose: str = ""
) -> Chart | None:
    """Satisfaction (top-2-box) for the 8 journey stages in journey order, weakest marked.

    ``scope`` names whose journey it is in the subtitle (an industry, "all 13 industries");
    ``whose`` names it in the title too (one industry), so two pages showing different
    industries never look like a contradiction.
    """
    if stages.is_empty():
        return None
    stage_rows = stages.filter(pl.col("item").is_in(list(STAGES))).sort("order")
    table = top2_table(stage_rows, {})
    said = stage_claims(table, whose)
    title = headline(said)
    subtitle = (
        f"{source}{' · ' + scope if scope else ''} · top-2-box (4-5 of 5), whiskers: "
        f"{options.interval} · {answers_range(stage_rows)} answers per stage"
    )
    weakest = set(said[0].subjects) if isinstance(said[0], claims.Top) else None
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
        table,
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
        claims=said,
    )
