"""Chart builders that several reports share (NPS bars, the journey-stage chart)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline, sentence, shown, top_value
from cx.core import display
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.schema import NO_INDUSTRY, STAGES
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi, Native, native_columns
from cx.metrics import frames
from cx.metrics.measures import WaveChange
from cx.reports.base import Source

#: Excel and PowerPoint number formats of the reports' values.
NPS_FORMAT = "+0;-0;0"
PCT_FORMAT = '0"%"'
USD_FORMAT = "$#,##0"

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
#: The NPS-by-wave table's change column: the latest wave against the one before.
PREVIOUS_WAVE = {"wave_change": N_("Change vs previous wave (points)")}
#: The columns of a satisfaction (top-2-box) table, in order (after the group columns).
TOP2_TABLE = (
    "label",
    "n",
    "top2_pct",
    "top2_low",
    "top2_high",
    "mean",
    "dissatisfied_pct",
    "switch_if_dissatisfied_pct",
    "suppressed",
)


def human_table(
    frame: pl.DataFrame, columns: Sequence[str], names: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """The ``columns`` of ``frame`` people read, in this order, under their human names:
    ``names`` where this table narrows a column's meaning, else
    :data:`cx.core.display.COLUMN_NAMES` (a column with neither raises ``KeyError``: every
    header has one home). Columns the frame lacks are left out. The names stay in English
    (what claims read a table by); tables, CSV, Excel and slides show them in the current
    language (:func:`cx.core.display.headers`)."""
    cols = [c for c in dict.fromkeys(columns) if c in frame.columns]
    own = {**display.COLUMN_NAMES, **(names or {})}
    return frames.columns(frame, {c: own[c] for c in cols})


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
        point_colours = [m.colour for m in _significance(rows)]
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
        return f"{row[label]}  {_(display.TOO_SMALL)}"
    mark = theme.significance(row.get("significant"), row.get("gap")).mark
    return f"{row[label]}  {display.nps(row['nps'])}{' ' + mark if marked and mark else ''}"


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
def satisfied_axis(source: Source) -> str:
    """A satisfaction axis's title, with the points it counts on the dataset's scale."""
    return _("Satisfied ({top_two}), %").format(top_two=source.top_two)


#: The scope of a chart over the sidebar's industries, whichever they are.
def one_industry(industries: Sequence[str], chosen: Sequence[str] = ()) -> str:
    """The one industry a page's figures cover (the one ``chosen`` in the sidebar, or the only
    one of ``industries``, the dataset's), else "": a stage chart names it in its title
    ("… the weakest stage for Automakers"), on every page that draws one."""
    real = [i for i in industries if i != NO_INDUSTRY]
    shown = [i for i in chosen if i in real] or real
    return shown[0] if len(shown) == 1 else ""


def alone_among_too_few(table: pl.DataFrame) -> str:
    """A scope for the one row of an NPS table that shows a value when the table has others
    that are too small to show ("the only one with enough answers: 2 more have too few"), else
    "": the one group shown is not the only one there is, nor does it lead anything."""
    few = table.height - claims.reportable(table, "nps").height
    if not few:
        return ""
    return ngettext(
        "the only one with enough answers: {n} more has too few",
        "the only one with enough answers: {n} more have too few",
        few,
    ).format(n=display.count(few))


def industries_scope(industries: Sequence[str], sel: Selection) -> str:
    """Which industries a page's figures cover, in words: the ones the sidebar chose (named),
    else all of the dataset's ("all 13 industries"), or "all respondents" for an upload
    without industries. ``industries`` are the dataset's."""
    real = [i for i in industries if i != NO_INDUSTRY]
    if not real:
        return _("all respondents")
    chosen = [i for i in sel.industries if i in real]
    if chosen:
        if len(chosen) <= 3:
            return display.join(chosen)
        return ngettext("{n} chosen industry", "{n} chosen industries", len(chosen)).format(
            n=len(chosen)
        )
    if len(real) == 2:  # not "all 2 industries"
        return _("both industries")
    if len(real) > 1:
        return ngettext("all {n} industry", "all {n} industries", len(real)).format(n=len(real))
    return real[0]


def claimed_kpi(
    label: str, said: Sequence[Claim], table: pl.DataFrame, note: str = "", help: str = ""
) -> Kpi:
    """A tile stating claims: its value is the first claim's figure as shown, its note the
    other claims in words, then ``note`` (words without numbers of their own); ``help`` says
    how the figure is made (the tile's help)."""
    figure = getattr(said[0], "figure", None)
    value = shown(figure) if isinstance(figure, claims.Figure) else sentence(said[0])
    if isinstance(said[0], claims.Top):
        value = top_value(said[0])  # "68% to 69%" over two stages told apart by nothing
    words = [sentence(c) for c in said[1:]]
    return Kpi(
        label,
        value,
        " · ".join([*words, note] if note else words),
        help=help,
        claims=tuple(said),
        table=table,
    )


def answers_range(frame: pl.DataFrame, column: str = "n") -> str:
    """ "n = 1,234" or "n = 1,001-1,234" over the rows of ``frame`` that show a value (answers
    differ per item; rows suppressed as "n too small" are not counted)."""
    every = frame
    if "suppressed" in frame.columns:
        frame = frame.filter(~pl.col("suppressed").fill_null(False))
    values = (
        [v for v in frame[column].to_list() if v is not None] if column in frame.columns else []
    )
    if not values:
        # every row too small: its n all the same (Japan's "n = none" over a table of n = 30,
        # its effective n 27.9)
        hidden = [v for v in every[column].to_list() if v] if column in every.columns else []
        if hidden:
            return _("n under the minimum: at most {n}").format(n=display.count(max(hidden)))
        return _("n = none")
    lo, hi = display.count(min(values)), display.count(max(values))
    if lo == hi:
        return _("n = {n}").format(n=lo)
    return _("n = {low}-{high}").format(low=lo, high=hi)


#: The switching answers that add up to "within 18 months" (as the chart's two labels do).
WITHIN_18M = ("within_6m_pct", "6_18m_pct")
#: The row label of a satisfaction table (one row a stage).
STAGE = display.ANSWER_COLUMNS["label"]


#: A satisfaction table's interval columns: a stage whose whiskers and the weakest (or
#: strongest) stage's cannot tell the two apart is named with it (:func:`cx.claims.model.top`);
#: on 68.2% against 68.8% "Maintain is the weakest stage" stood on rounding alone.
STAGE_MARGIN = ("top2_low", "top2_high")
#: An NPS table's: a row its whiskers and the leader's cannot tell apart leads with it ("Voltara leads with
#: +26" stood over Ikaru's +21, intervals 22.7-28.8 and 16.1-25.1).
NPS_MARGIN = ("ci_low", "ci_high")


def stage_top(table: pl.DataFrame, lowest: bool, scope: str = "") -> claims.Top | None:
    """The weakest (``lowest``) or the strongest stage, with the stages its interval cannot
    tell from it."""
    return claims.top(
        table, STAGE, "top2_pct", "pct", lowest=lowest,
        phrase="weakest" if lowest else "strongest", noun="stage", scope=scope,
        margin=STAGE_MARGIN,
    )  # fmt: skip


def stage_claims(table: pl.DataFrame, whose: str = "") -> tuple[Claim, ...]:
    """What a stage chart says, from its table: the weakest stage(s) and the strongest (stages
    that the chart cannot tell apart are named together: :func:`stage_top`)."""
    scope = _("for {whose}").format(whose=whose) if whose else ""
    weakest, strongest = stage_top(table, True, scope), stage_top(table, False)
    if weakest is None or strongest is None:
        return (claims.statement("no_stages"),)
    level = level_stages(table, scope)
    if level is not None:
        return (level,)
    if claims.shared(strongest, weakest):  # a middle stage close to both ends
        return (weakest,)
    return (weakest, strongest)


def level_stages(table: pl.DataFrame, scope: str = "") -> claims.Top | None:
    """The stages when the weakest are the strongest (one stage, or all reading the same):
    "Purchase and Receive (delivery) are equally satisfying (29% satisfied)", said alike by
    the chart, the Overview's finding and its tiles (they named the same two stages the
    weakest and the strongest); when the weakest's and the strongest's whiskers cannot tell them apart, that
    none is clearly weaker or stronger (:func:`cx.claims.model.level`); None when the weakest
    and the strongest stand apart."""
    weakest = claims.top(table, STAGE, "top2_pct", "pct", lowest=True, phrase="weakest")
    strongest = claims.top(table, STAGE, "top2_pct", "pct", phrase="strongest")
    if weakest is None or strongest is None:
        return None
    if weakest.figure.shown == strongest.figure.shown:
        phrase = "only_stage" if len(weakest.subjects) == 1 else "same_stages"
        return claims.top(table, STAGE, "top2_pct", "pct", phrase=phrase, noun="stage", scope=scope)
    return claims.level(table, STAGE, "top2_pct", "pct", STAGE_MARGIN, noun="stage", scope=scope)


def stage_chart(
    stages: pl.DataFrame, source: Source, options: Options, scope: str = "", whose: str = ""
) -> Chart | None:
    """Satisfaction (top-2-box) for the 8 journey stages in journey order, weakest marked.

    ``scope`` names whose journey it is in the subtitle (an industry, "all 13 industries");
    ``whose`` names it in the title too (one industry), so two pages showing different
    industries never look like a contradiction.
    """
    if stages.is_empty():
        return None
    stage_rows = stages.filter(pl.col("item").is_in(list(STAGES))).sort("order")
    table = top2_table(stage_rows, ())
    said = stage_claims(table, whose)
    title = headline(said)
    subtitle = _(
        "{source} · top-2-box ({top_two}), whiskers: {interval} · {n} answers per stage"
    ).format(
        source=f"{source.survey} · {scope}" if scope else source.survey,
        top_two=source.top_two,
        interval=options.interval,
        n=answers_range(stage_rows),
    )
    weakest = (
        set(said[0].subjects)
        if isinstance(said[0], claims.Top) and said[0].phrase == "weakest"
        else None
    )
    value_title = satisfied_axis(source)
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
        label=_("Satisfaction by stage"),
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
        claims=said,
    )


def wave_table(by_wave: pl.DataFrame, change: WaveChange | None, scope: str) -> pl.DataFrame:
    """NPS per wave as an NPS-by-wave chart's table shows it: whose figures they are
    (``scope``, every row), then :data:`NPS_TABLE` and, on the latest wave's row only, its
    change from the previous wave, the test's p-value and whether it is significant."""
    latest = pl.col("wave").cast(pl.String) == change.wave if change else pl.lit(False)
    marked = by_wave.with_columns(
        scope=pl.lit(scope),
        wave_change=pl.when(latest).then(pl.lit(change.change if change else None)),
        wave_change_q=pl.when(latest).then(pl.lit(change.p_value if change else None)),
        wave_change_significant=(latest.fill_null(False) if change and change.significant
                                 else pl.lit(False)),
    )  # fmt: skip
    return human_table(marked, ["scope", "wave", *NPS_TABLE, *CHANGE_COLUMNS], PREVIOUS_WAVE)


def wave_change_claim(
    table: pl.DataFrame, change: WaveChange, scope: str, phrase: str, level: str = ""
) -> claims.Change | None:
    """The latest wave's NPS against the previous wave's, read from :func:`wave_table`
    (``phrase``: the renderer's wording; ``level`` where it names the confidence level)."""
    return claims.change(
        table, "scope", "nps", "nps", scope, change.previous_wave, change.wave,
        significant=change.significant, phrase=phrase, level=level,
    )  # fmt: skip


def nps_trend_chart(
    key: str,
    by_wave: pl.DataFrame,
    latest: Mapping[str, Any] | None,
    change: WaveChange | None,
    source: Source,
    options: Options,
    scope: str | None = None,
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
        scope: whose NPS it is ("all 13 industries"), said in the subtitle and the table;
            None: "all respondents".
    """
    scope = _("all respondents") if scope is None else scope
    shown = by_wave.filter(~pl.col("suppressed")) if by_wave.height else by_wave
    if shown.height < 2 or latest is None:
        return None
    table = wave_table(by_wave, change, scope)
    said: tuple[Claim, ...] = ()
    if change is not None:
        claim = wave_change_claim(table, change, scope, "nps", options.level)
        said = (claim,) if claim is not None else ()
    if not said:
        said = (claims.statement("one_wave"),)
    title = headline(said)
    subtitle = _(
        "{source} · {scope} · {n} · {interval} around each wave · the change from the previous "
        "wave tested at the {level} level"
    ).format(
        source=source.survey,
        scope=scope,
        n=display.n(by_wave["n"].sum()),
        interval=options.interval,
        level=options.level,
    )
    if shown.height < by_wave.height:  # only when a wave is left out for its n
        subtitle += " · " + _("gaps: n too small")
    y_range = figures.honest_range(by_wave["ci_low"].to_list(), by_wave["ci_high"].to_list())
    return Chart(
        key,
        title,
        subtitle,
        figures.trend(by_wave, "wave", None, title, subtitle, options.level, y_range=y_range),
        table,
        label=_("NPS by wave"),
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
