"""The digest: the What changed page as a brief for one reader (everyone, a brand, an outlet).

Built from the page's own result (:func:`cx.reports.changes.compute`): the same family of tests,
the same q-values, the same claims and words. A brand's brief keeps the cells of its brand (its
NPS, its stages, its outlets); a dealer's brief keeps its outlet's cells only. The family is
always the whole selection's: narrowing the brief does not re-run the control on fewer cells.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import polars as pl

from cx.claims import changes as changes_claims
from cx.claims.render import headline, sentence
from cx.core import display
from cx.core.i18n import _, ngettext
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.brief import Brief, Flag, Move, Share
from cx.exports.chart import Kpi
from cx.metrics import changes as family_tests
from cx.metrics import outlets
from cx.reports import changes
from cx.reports.base import Runner, Source, filter_values
from cx.text import summary, topics

#: Topics listed (what detractors talk about most).
TOPICS = 6


class DigestError(ValueError):
    """The digest cannot be made for these arguments (one line, no traceback)."""


def _scope(
    run: Runner,
    sel: Selection,
    result: changes.ChangesResult,
    brand: str | None,
    dealer: str | None,
) -> tuple[str, pl.DataFrame, pl.DataFrame, str | None]:
    """(the scope in words, its cells, its outlets on control charts, the brand of its
    comments); an unknown brand or dealer is a :class:`DigestError`."""
    table = result.table
    control = result.control
    tested = control.outlets if control is not None else pl.DataFrame()
    if dealer is not None:
        known = outlets.wave_sums(run, sel)
        rows = known.filter(pl.col("dealer_id") == dealer)
        if rows.is_empty():
            raise DigestError(
                _("unknown dealer {dealer} in dataset {dataset}").format(
                    dealer=repr(display.clip(dealer, 40)), dataset=repr(sel.dataset)
                )
            )
        if brand is not None and brand not in rows["brand"].to_list():
            raise DigestError(
                _("dealer {dealer} does not sell {brand}").format(
                    dealer=repr(display.clip(dealer, 40)), brand=repr(display.clip(brand, 40))
                )
            )
        first = rows.row(0, named=True)
        named = changes.outlet_name(first)
        cells = table.filter((pl.col("metric") == "outlet_nps") & (pl.col("group") == dealer))
        if brand is not None:
            cells = cells.filter(pl.col("brand") == brand)
        mine = tested.filter(pl.col("dealer_id") == dealer) if tested.height else tested
        scope = _("Outlet: {name} ({dealer})").format(name=named, dealer=dealer)
        return scope, cells, mine, brand or first["brand"]
    if brand is not None:
        if brand not in filter_values(run, sel.dataset).get("brands", []):
            raise DigestError(
                _("unknown brand {brand} in dataset {dataset}").format(
                    brand=repr(display.clip(brand, 40)), dataset=repr(sel.dataset)
                )
            )
        cells = table.filter(pl.col("brand") == brand)
        mine = tested.filter(pl.col("brand") == brand) if tested.height else tested
        return _("Brand: {brand}").format(brand=brand), cells, mine, brand
    return _("All respondents in the selection"), table, tested, None


def scoped(
    result: changes.ChangesResult, cells: pl.DataFrame, flagged: pl.DataFrame
) -> changes.ChangesResult:
    """The page's result narrowed to a brief's cells and outlets (the family unchanged): its
    charts are the brief's, its first outlet the one whose control chart the brief shows."""
    control = result.control
    if control is not None:
        control = replace(control, outlets=flagged)
    rows = list(flagged.iter_rows(named=True)) if flagged.height else []
    return replace(result, table=cells, control=control, outlet=rows[0] if rows else None)


def _moves(
    cells: pl.DataFrame, table: pl.DataFrame, start: str, end: str, base_url: str
) -> tuple[Move, ...]:
    out = []
    for row in cells.filter(pl.col("significant")).iter_rows(named=True):
        said = changes_claims.shift(
            table, "Change in", row["label"], changes.UNITS[row["metric"]], start, end
        )
        if said is None:
            continue
        out.append(
            Move(
                sentence(said),
                row["metric"],
                row["dimension"],
                str(row["group"]),
                row["item"],
                row["brand"],
                row["label"],
                row["measure"],
                row["unit"],
                row["before"],
                row["after"],
                row["change"],
                row["ci_low"],
                row["ci_high"],
                row["p_value"],
                row["q_value"],
                _absolute(base_url, row["link"]),
            )
        )
    return tuple(out)


def _absolute(base_url: str, link: str) -> str:
    return f"{base_url.rstrip('/')}/{link}" if base_url else link


def _kpis(
    result: changes.ChangesResult,
    cells: pl.DataFrame,
    flagged: pl.DataFrame,
    lead: dict[str, Any] | None,
) -> tuple[Kpi, ...]:
    f = result.family
    assert f is not None
    out = []
    if lead is not None:
        word = _("significant") if lead["significant"] else _("not significant")
        label = lead["label"][:1].upper() + lead["label"][1:]
        out.append(
            Kpi(
                _("{measure} in {wave}").format(measure=label, wave=f.end),
                changes.figure_text(lead["after"], lead["unit"]),
                _("{change} from {wave} ({significance}) · {n}").format(
                    change=display.points(lead["change"]), wave=f.start, significance=word,
                    n=display.n(lead["n_after"]),
                ),
            )
        )  # fmt: skip
    found = int(cells["significant"].sum()) if cells.height else 0
    out.append(
        Kpi(
            _("Significant changes"),
            display.count(found),
            ngettext(
                "of {count} cell tested here · family of {family}",
                "of {count} cells tested here · family of {family}",
                cells.height,
            ).format(count=display.count(cells.height), family=display.count(f.tested)),
        )
    )
    if flagged.is_empty():
        return tuple(out)
    beyond = int(flagged["beyond"].sum())
    out.append(
        Kpi(
            _("Outlets beyond control limits"),
            display.count(beyond),
            ngettext(
                "of {count} outlet tested against their waves up to {wave}",
                "of {count} outlets tested against their waves up to {wave}",
                flagged.height,
            ).format(count=display.count(flagged.height), wave=f.start),
        )
    )
    return tuple(out)


def _lead(cells: pl.DataFrame, dealer: str | None, brand: str | None) -> dict[str, Any] | None:
    """The headline figure's cell: the outlet's, the brand's or everyone's NPS."""
    if dealer is not None:
        rows = cells.filter(pl.col("metric") == "outlet_nps")
    elif brand is not None:
        rows = cells.filter((pl.col("metric") == "nps") & (pl.col("dimension") == "brand"))
    else:
        rows = cells.filter((pl.col("metric") == "nps") & (pl.col("dimension") == "all"))
    return rows.row(0, named=True) if rows.height else None


def _topics(
    run: Runner, sel: Selection, end: str, opts: Options, brand: str | None, dealer: str | None
) -> tuple[tuple[Share, ...], str]:
    """What commenting detractors mention most in ``end`` (of the brand, for a brand or outlet)."""
    latest = sel.with_filter("waves", [end])
    by = "brand" if brand else "all"
    sums = summary.topic_sums(run, latest, by, None)
    if brand:
        sums = sums.filter(pl.col("grp") == brand)
    shares = family_tests.topic_shares(sums, opts, "detractors")
    shown = (
        shares.filter(~pl.col("suppressed")).sort("value", descending=True)
        if shares.height
        else shares
    )
    base = int(shares["n"].cast(pl.Float64).max() or 0) if shares.height else 0  # type: ignore[arg-type]
    note = (
        _(
            "Share of {brand}'s detractors (0-6) who commented in {wave} and mention each topic (n = {n}; a comment can mention several)."
        )
        if brand
        else _(
            "Share of the selection's detractors (0-6) who commented in {wave} and mention each topic (n = {n}; a comment can mention several)."
        )
    ).format(brand=brand, wave=end, n=display.count(base))
    if dealer is not None:
        note += " " + _(
            "Comments are not broken down by outlet: these are all {brand} outlets'."
        ).format(brand=brand)
    if sums.is_empty():
        note = _("No comments in {wave} in this selection.").format(wave=end)
    elif shown.is_empty():
        note = _(
            "Too few commenting detractors in {wave} (under n = {min_n}) to say what they talk about."
        ).format(wave=end, min_n=opts.min_n)
    out = tuple(
        Share(topics.label(r["topic"]), r["value"], r["ci_low"], r["ci_high"], int(r["mentions"]))
        for r in shown.head(TOPICS).iter_rows(named=True)
    )
    return out, note


def _outlets_note(source: Source, flagged: pl.DataFrame, start: str, opts: Options) -> str:
    """Why no outlet has a control chart, when none has."""
    if flagged.height:
        return ""
    if not source.has("dealer_id"):
        return _("This dataset names no outlets (dealers or stores): no control charts.")
    return _(
        "No outlet here has {min_n} effective answers both in its baseline (waves up to "
        "{wave}) and in a later wave: no control chart to read."
    ).format(min_n=opts.min_n, wave=start)


def _flags(flagged: pl.DataFrame) -> tuple[Flag, ...]:
    if flagged.is_empty():
        return ()
    return tuple(
        Flag(changes.outlet_name(r), display.name("country", r["country"]), r["latest_wave"],
             r["baseline_pct"], r["latest_pct"], r["latest_q"])
        for r in flagged.filter(pl.col("beyond")).iter_rows(named=True)
    )  # fmt: skip


def build(
    run: Runner,
    sel: Selection,
    opts: Options,
    source: Source,
    *,
    wave: str | None = None,
    since: str | None = None,
    brand: str | None = None,
    dealer: str | None = None,
    base_url: str = "",
) -> Brief:
    """The brief of the What changed page for one scope.

    Raises:
        DigestError: fewer than two waves, an unknown wave, brand or dealer.
    """
    for name, value in (("--wave", wave), ("--since", since)):
        waves = filter_values(run, sel.dataset).get("waves", [])
        if value is not None and value not in waves:
            raise DigestError(
                _("{flag} {value}: the dataset's waves are {waves}").format(
                    flag=name, value=repr(display.clip(value, 20)), waves=", ".join(waves)
                )
            )
    result = changes.compute(run, sel, opts, wave=wave, since=since)
    f = result.family
    if f is None:
        raise DigestError(
            ngettext(
                "dataset {dataset} has {count} wave in this selection: nothing to compare",
                "dataset {dataset} has {count} wave in this selection: nothing to compare",
                len(result.waves),
            ).format(dataset=repr(sel.dataset), count=len(result.waves))
        )
    if since is not None and since >= f.end:
        raise DigestError(
            _("--since {since} is not before --wave {wave}").format(since=since, wave=f.end)
        )
    scope, cells, flagged, comments_of = _scope(run, sel, result, brand, dealer)
    table = changes.human(cells)
    narrowed = scoped(result, cells, flagged)
    said = changes.change_claims(narrowed, table)
    shares, note = _topics(run, sel, f.end, opts, comments_of, dealer)
    page = {**sel.to_query_params(), "wave": f.end, "since": f.start}
    return Brief(
        headline=headline(said),
        scope=scope,
        dataset=display.dataset_label(source.dataset, source.label or source.dataset),
        source=source.survey,
        filters=sel.describe(),
        start=f.start,
        end=f.end,
        kpis=_kpis(result, cells, flagged, _lead(cells, dealer, brand)),
        moves=_moves(cells, table, f.start, f.end, base_url),
        tested=f.tested,
        suppressed=f.suppressed,
        level=opts.level,
        cells=cells.height,
        interval=changes.interval_text(result),
        topics=shares,
        topics_note=note,
        flags=_flags(flagged),
        outlets_tested=flagged.height,
        outlets_note=_outlets_note(source, flagged, f.start, opts),
        notes=notes(result, source),
        link=_absolute(base_url, f"changes?{urlencode(page)}") if base_url else "",
        charts=tuple(changes.charts(narrowed, source)),
    )


def notes(result: changes.ChangesResult, source: Source) -> tuple[str, ...]:
    """How to read the brief: the tests, the control, the intervals, what was left out."""
    f, opts = result.family, result.options
    assert f is not None
    synthetic = (
        _(
            "The demo dataset is synthetic survey data with fictional brands: no figure here is a real company's score."
        )
        if source.kind == "demo"
        else _("Figures come from the uploaded survey named above.")
    )
    return (
        ngettext(
            "Each cell (the NPS of everyone, of each brand, country, channel and outlet; each brand's satisfaction at each journey stage; the share of commenters mentioning each topic) is tested {wave} against {since}; the {count} cells tested are one family, {significance} (Benjamini-Hochberg q-values).",
            "Each cell (the NPS of everyone, of each brand, country, channel and outlet; each brand's satisfaction at each journey stage; the share of commenters mentioning each topic) is tested {wave} against {since}; the {count} cells tested are one family, {significance} (Benjamini-Hochberg q-values).",
            f.tested,
        ).format(wave=f.end, since=f.start, count=display.count(f.tested), significance=opts.controlled(f.tested, _("cells"))),
        ngettext(
            "{count} cells had fewer than {min_n} effective responses in a wave and were left out.",
            "{count} cells had fewer than {min_n} effective responses in a wave and were left out.",
            f.suppressed,
        ).format(count=display.count(f.suppressed), min_n=opts.min_n),
        _("Intervals of the changes: {interval} (false coverage rate, Benjamini-Yekutieli), so a significant change's interval excludes zero.").format(interval=changes.interval_text(result)),
        _("Outlets: a p-chart of each outlet's detractor share, its centre line fixed from the waves up to {wave} so a real shift cannot widen its own limits; a point is beyond its limits when the move survives the false-discovery control across the outlets tested.").format(wave=f.start),
        synthetic,
    )  # fmt: skip
