"""The digest's brief: what it holds, and the brief as JSON, Markdown, HTML and PDF.

A :class:`Brief` is built by :mod:`cx.reports.digest` from the What changed page's computations;
this module only lays it out. The PDF is the HTML brief printed by the system Chromium (the
browser the image exports drive), two landscape A4 pages at most: the headline, key figures and
the significant changes on the first; what detractors talk about and the outlets flagged on the
second, with how to read it. Every text is escaped: nothing from data becomes markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cx.charts import theme
from cx.charts.theme import localised
from cx.core import display, i18n
from cx.core.i18n import _, ngettext
from cx.exports.chart import Chart, DeckMeta, Kpi
from cx.exports.images import ImageExportError, chromium_path, figure_image, print_figure
from cx.exports.slides import pptx_deck

#: Changes, topics and outlets a PDF page has room for (JSON and Markdown carry every change).
PDF_CHANGES = 8
PDF_TOPICS = 6
PDF_OUTLETS = 5
#: Seconds the browser may take to print.
PRINT_SECONDS = 60


class BriefError(RuntimeError):
    """The brief cannot be printed here (no Chromium, or the print failed); one line."""


@dataclass(frozen=True)
class Move:
    """One cell's change between the two waves (significant after the family's control).

    Attributes:
        sentence: the change in words (the claims layer's, as on the page).
        metric, dimension, group, item, brand: what moved (``item``: a stage).
        label: the cell in words; measure: what its values are (NPS, Satisfied %...).
        unit: ``nps`` (NPS points) or ``pct`` (percent).
        before, after, change, ci_low, ci_high: the figures and the change's interval.
        p_value, q_value: the test and its false-discovery-rate adjusted value.
        link: the page and filters that show it.
    """

    sentence: str
    metric: str
    dimension: str
    group: str
    item: str | None
    brand: str | None
    label: str
    measure: str
    unit: str
    before: float
    after: float
    change: float
    ci_low: float
    ci_high: float
    p_value: float
    q_value: float
    link: str


@dataclass(frozen=True)
class Share:
    """A topic detractors mention, with the share of commenting detractors who do."""

    label: str
    share: float
    low: float
    high: float
    mentions: int


@dataclass(frozen=True)
class Flag:
    """An outlet whose detractor share moved beyond its control limits."""

    outlet: str
    country: str
    wave: str
    baseline: float
    latest: float
    q_value: float


@dataclass(frozen=True)
class Brief:
    """Everything a digest says, in the words of the page.

    Attributes:
        headline: the claims of the brief's scope in words (the e-mail's subject).
        scope: who the brief is about ("All respondents", "Brand: Voltara", an outlet).
        dataset: the dataset's label; source: the survey-sample line; filters: the selection.
        start, end: the waves compared.
        kpis: headline figures with their change.
        moves: the significant changes in scope, largest first.
        tested, suppressed: cells tested in the family and cells left out (n too small).
        cells: the family's cells in the brief's scope.
        level: the confidence level in words; interval: how the changes' intervals are named.
        topics, topics_note: what commenting detractors mention most in ``end``, and of whom.
        flags, outlets_tested: outlets beyond their control limits, and outlets tested.
        outlets_note: why no outlet was tested, when none was.
        notes: how to read the brief (methods, provenance).
        link: the page the brief summarises.
        charts: the page's charts of the brief's scope (the PowerPoint brief's slides).
    """

    headline: str
    scope: str
    dataset: str
    source: str
    filters: str
    start: str
    end: str
    kpis: tuple[Kpi, ...]
    moves: tuple[Move, ...]
    tested: int
    suppressed: int
    level: str
    cells: int
    interval: str
    topics: tuple[Share, ...] = ()
    topics_note: str = ""
    flags: tuple[Flag, ...] = ()
    outlets_tested: int = 0
    outlets_note: str = ""
    notes: tuple[str, ...] = ()
    link: str = ""
    charts: tuple[Chart, ...] = ()
    made: str = field(default_factory=lambda: dt.date.today().isoformat())

    @property
    def nothing_changed(self) -> str:
        """What the brief says when no change is significant."""
        values = {
            "start": self.start,
            "end": self.end,
            "level": self.level,
            "cells": i18n.number(self.cells),
            "tested": i18n.number(self.tested),
        }
        if self.cells == 1 and self.cells == self.tested:
            text = _(
                "No significant change: the cell of this brief did not move from {start} to "
                "{end} by more than sampling noise explains ({level} level, false discovery "
                "rate controlled)."
            )
        elif self.cells == 1:
            text = _(
                "No significant change: the cell of this brief did not move from {start} to "
                "{end} by more than sampling noise explains ({level} level, false discovery "
                "rate controlled across the {tested} cells tested)."
            )
        elif self.cells == self.tested:
            text = _(
                "No significant change: none of the {cells} cells of this brief moved from "
                "{start} to {end} by more than sampling noise explains ({level} level, false "
                "discovery rate controlled)."
            )
        else:
            text = _(
                "No significant change: none of the {cells} cells of this brief moved from "
                "{start} to {end} by more than sampling noise explains ({level} level, false "
                "discovery rate controlled across the {tested} cells tested)."
            )
        return text.format(**values)


def as_json(brief: Brief) -> dict[str, Any]:
    """The brief as JSON-ready data: ``changes`` with what moved, from what to what, the
    interval, p- and q-value; the key figures, topics and outlets flagged."""
    return {
        "headline": brief.headline,
        "scope": brief.scope,
        "dataset": brief.dataset,
        "filters": brief.filters,
        "since": brief.start,
        "wave": brief.end,
        "tested": brief.tested,
        "suppressed": brief.suppressed,
        "cells": brief.cells,
        "level": brief.level,
        "interval": brief.interval,
        "figures": [{"label": k.label, "value": k.value, "note": k.note} for k in brief.kpis],
        "changes": [
            {
                "metric": m.metric,
                "dimension": m.dimension,
                "group": m.group,
                "item": m.item,
                "brand": m.brand,
                "label": m.label,
                "measure": m.measure,
                "from": round(m.before, 2),
                "to": round(m.after, 2),
                "change": round(m.change, 2),
                "ci_low": round(m.ci_low, 2),
                "ci_high": round(m.ci_high, 2),
                "p_value": m.p_value,
                "q_value": m.q_value,
                "sentence": m.sentence,
                "link": m.link,
            }
            for m in brief.moves
        ],
        "detractor_topics": [
            {
                "topic": t.label,
                "share_pct": round(t.share, 1),
                "ci_low": round(t.low, 1),
                "ci_high": round(t.high, 1),
                "mentions": t.mentions,
            }
            for t in brief.topics
        ],
        "topics_note": brief.topics_note,
        "outlets_flagged": [
            {
                "outlet": f.outlet,
                "country": f.country,
                "wave": f.wave,
                "baseline_pct": round(f.baseline, 1),
                "detractors_pct": round(f.latest, 1),
                "q_value": f.q_value,
            }
            for f in brief.flags
        ],
        "outlets_tested": brief.outlets_tested,
        "outlets_note": brief.outlets_note,
        "notes": list(brief.notes),
        "link": brief.link,
        "made": brief.made,
    }


def _outlets(count: int) -> str:
    """A count of outlets ("1 outlet", "70 outlets"), by the language's plural rules."""
    return ngettext("{n} outlet", "{n} outlets", count).format(n=i18n.number(count))


def _against(brief: Brief) -> str:
    """The waves compared ("2025-Q2 against 2025-Q1")."""
    return _("{end} against {start}").format(end=brief.end, start=brief.start)


def _no_outlet(brief: Brief) -> str:
    return _("No outlet moved beyond its control limits ({outlets} tested).").format(
        outlets=_outlets(brief.outlets_tested)
    )


def as_markdown(brief: Brief) -> str:
    """The brief as Markdown (every change, every topic and outlet listed)."""
    lines = [
        f"# {_md(brief.headline)}",
        "",
        f"**{_md(brief.scope)}** · {_against(brief)} · {_md(brief.dataset)} · {brief.made}",
        "",
        *[f"- **{_md(k.label)}**: {_md(k.value)} ({_md(k.note)})" for k in brief.kpis],
        "",
        "## " + _("Significant changes"),
        "",
    ]
    if not brief.moves:
        lines.append(brief.nothing_changed)
    for m in brief.moves:
        change = _("{sentence}: {interval} {low} to {high}, q = {q}").format(
            sentence=_md(m.sentence),
            interval=brief.interval,
            low=display.points(m.ci_low),
            high=display.points(m.ci_high),
            q=q_text(m.q_value),
        )
        opener = _("open")
        lines.append(f"- {change}" + (f" ([{opener}]({m.link}))" if m.link else ""))
    heading = _("What detractors talk about most in {wave}").format(wave=brief.end)
    lines += ["", f"## {heading}", ""]
    lines += [
        "- "
        + _("{topic}: {share} of commenting detractors").format(
            topic=_md(t.label), share=display.pct(t.share)
        )
        for t in brief.topics
    ]
    lines += ["", f"_{_md(brief.topics_note)}_", "", "## " + _("Outlets flagged"), ""]
    if brief.outlets_note:
        lines.append(_md(brief.outlets_note))
    elif not brief.flags:
        lines.append(_no_outlet(brief))
    lines += [
        "- "
        + _(
            "{outlet} ({country}): detractors {latest} in {wave}, baseline {baseline}, q = {q}"
        ).format(
            outlet=_md(f.outlet),
            country=_md(f.country),
            latest=display.pct(f.latest),
            wave=f.wave,
            baseline=display.pct(f.baseline),
            q=q_text(f.q_value),
        )
        for f in brief.flags
    ]
    lines += ["", "## " + _("How to read this"), "", *[f"- {_md(n)}" for n in brief.notes], ""]
    return "\n".join(lines)


def _md(text: Any) -> str:
    """Data text for Markdown: printable, with the characters Markdown acts on escaped."""
    out = display.clip(text, 400)
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _track(m: Move, span: float) -> str:
    """A change as a dot on a zero-centred track with its interval (pure CSS, prints crisply)."""

    def at(x: float) -> float:
        return 50.0 + 50.0 * max(-1.0, min(1.0, x / span))

    colour = theme.BETTER if m.change > 0 else theme.WORSE
    low, high = at(m.ci_low), at(m.ci_high)
    return (
        '<div class="track"><div class="zero"></div>'
        f'<div class="ci" style="left:{low:.1f}%;width:{max(high - low, 0.5):.1f}%"></div>'
        f'<div class="dot" style="left:{at(m.change):.1f}%;background:{colour}"></div></div>'
    )


#: Page one's height and what it holds besides the headline and the changes, in mm (A4
#: landscape less margins: the top bar, scope, key figures, headings, notes, footer).
PAGE_MM = 183.0
FIXED_MM = 84.0
#: Characters per line of the headline (at its size) and of a change's sentence.
HEADLINE_CHARS = {18: 84, 15: 100}
SENTENCE_CHARS = 92


def headline_size(brief: Brief) -> int:
    """The headline's size in points: smaller when it is long."""
    return 18 if len(brief.headline) <= 170 else 15


def changes_that_fit(brief: Brief) -> int:
    """How many changes page one has room for (at most :data:`PDF_CHANGES`), from the lines
    the headline and each change's sentence take."""
    size = headline_size(brief)
    lines = -(-len(brief.headline) // HEADLINE_CHARS[size])
    room = PAGE_MM - FIXED_MM - lines * size * 0.42
    shown = 0
    for move in brief.moves[:PDF_CHANGES]:
        height = 7.5 if len(move.sentence) + 5 <= SENTENCE_CHARS else 12.0
        if room < height:
            break
        room -= height
        shown += 1
    return shown


def _moves_html(brief: Brief) -> str:
    shown = brief.moves[: changes_that_fit(brief)]
    if not shown:
        usual = _("That is the usual answer, and a useful one: nothing here needs a reaction.")
        return f'<div class="calm"><b>{_e(brief.nothing_changed)}</b><br>{_e(usual)}</div>'
    widest = max([abs(v) for m in shown for v in (m.ci_low, m.ci_high)] + [10.0])
    span = next(s for s in (10, 20, 25, 50, 100, 150, 200, 1e9) if s >= widest)
    rows = []
    for m in shown:
        opener = _("open")
        link = f' <a href="{_e(m.link)}">{_e(opener)}</a>' if m.link.startswith("http") else ""
        between = _("{low} to {high}").format(
            low=display.nps(m.ci_low), high=display.nps(m.ci_high)
        )
        rows.append(
            f"<tr><td class='what'>{_e(m.sentence)}{link}</td>"
            f"<td class='num small'>{_e(between)}</td>"
            f"<td>{_track(m, span)}</td><td class='num small'>{_e(q_text(m.q_value))}</td></tr>"
        )
    more = len(brief.moves) - len(shown)
    rest = _("{n} more significant changes: in the JSON, the Markdown and on the page.")
    tail = f"<p class='note'>{_e(rest.format(n=i18n.number(more)))}</p>" if more else ""
    what, between = _("What moved"), _("Interval of the change")
    return (
        f"<table class='moves'><thead><tr><th>{_e(what)}</th>"
        f"<th>{_e(between)}</th>"
        f"<th><span class='scale'><span>−{span:.0f}</span><span>0</span><span>+{span:.0f}</span></span></th>"
        "<th>q</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + tail
    )


def _topics_html(brief: Brief) -> str:
    if not brief.topics:
        return f"<p class='note'>{_e(brief.topics_note)}</p>"
    top = max(t.high for t in brief.topics[:PDF_TOPICS]) or 1.0
    rows = "".join(
        f"<div class='bar'><span class='lab'>{_e(t.label)}</span><span class='fill' "
        f"style='width:{60 * t.share / top:.1f}%'></span><span class='val'>{_e(display.pct(t.share))}</span></div>"
        for t in brief.topics[:PDF_TOPICS]
    )
    return rows + f"<p class='note'>{_e(brief.topics_note)}</p>"


def _flags_html(brief: Brief) -> str:
    if brief.outlets_note:
        return f"<p>{_e(brief.outlets_note)}</p>"
    if not brief.flags:
        return f"<p>{_e(_no_outlet(brief))}</p>"
    rows = "".join(
        f"<tr><td>{_e(f.outlet)}</td><td>{_e(f.country)}</td><td class='num'>{_e(display.pct(f.baseline))}</td>"
        f"<td class='num'><b style='color:{theme.WORSE if f.latest > f.baseline else theme.BETTER}'>"
        f"{_e(display.pct(f.latest))}</b></td><td class='num small'>{localised(f'{f.q_value:.2g}')}</td></tr>"
        for f in brief.flags[:PDF_OUTLETS]
    )
    more = len(brief.flags) - PDF_OUTLETS
    rest = _("{n} more outlets flagged: on the page.").format(n=i18n.number(more))
    tail = f"<p class='note'>{_e(rest)}</p>" if more > 0 else ""
    note = _("Detractor share in {wave} against each outlet's own baseline ({outlets} tested).")
    note = note.format(wave=brief.end, outlets=_outlets(brief.outlets_tested))
    heads = (_("Outlet"), _("Country"), _("Baseline"), _("Now"), "q")
    return (
        f"<p class='note'>{html.escape(note, quote=False)}</p><table class='flags'><thead><tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
        + rows
        + "</tbody></table>"
        + tail
    )


CSS = f"""
@page {{ size: A4 landscape; margin: 11mm 13mm 14mm 13mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {theme.FONT}; color: {theme.INK};
       font-size: 10.5pt; line-height: 1.35; margin: 0; }}
.page {{ page-break-after: always; height: 183mm; position: relative; overflow: hidden; }}
.page:last-child {{ page-break-after: auto; }}
.top {{ display: flex; justify-content: space-between; align-items: baseline;
       border-bottom: 2px solid {theme.ACCENT}; padding-bottom: 4px; }}
.brand {{ color: {theme.ACCENT}; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; font-size: 9pt; }}
.meta {{ color: {theme.MUTED}; font-size: 9pt; }}
.scope {{ margin: 10px 0 2px; color: {theme.MUTED}; font-size: 10pt; text-transform: uppercase; letter-spacing: .04em; }}
h1 {{ font-size: 18pt; line-height: 1.2; margin: 2px 0 12px; font-weight: 700; }}
h2 {{ font-size: 11.5pt; margin: 14px 0 6px; color: {theme.ACCENT}; text-transform: uppercase; letter-spacing: .04em; }}
.kpis {{ display: flex; gap: 10px; }}
.kpi {{ flex: 1; border: 1px solid {theme.GRID}; border-radius: 6px; padding: 8px 10px; }}
.kpi .l {{ font-size: 8.5pt; color: {theme.MUTED}; text-transform: uppercase; letter-spacing: .03em; }}
.kpi .v {{ font-size: 19pt; font-weight: 700; margin: 2px 0; }}
.kpi .n {{ font-size: 8.5pt; color: {theme.MUTED}; }}
table {{ width: 100%; border-collapse: collapse; }}
th {{ text-align: left; font-size: 8pt; color: {theme.MUTED}; font-weight: 600; border-bottom: 1px solid {theme.GRID}; padding: 3px 6px; }}
td {{ padding: 4px 6px; border-bottom: 1px solid {theme.GRID}; vertical-align: middle; }}
td.num {{ text-align: right; white-space: nowrap; }} .small {{ font-size: 8.5pt; color: {theme.MUTED}; }}
.track {{ position: relative; height: 14px; width: 190px; }}
.pic {{ width: 100%; max-height: 66mm; object-fit: contain; }}
.scale {{ display: flex; justify-content: space-between; width: 190px; }}
td.what {{ width: 62%; }}
.track .zero {{ position: absolute; left: 50%; top: 0; bottom: 0; border-left: 1px solid {theme.MUTED}; }}
.track .ci {{ position: absolute; top: 6px; height: 2px; background: {theme.WHISKER}; }}
.track .dot {{ position: absolute; top: 2px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; }}
.calm {{ border-left: 4px solid {theme.NEUTRAL}; background: {theme.rgba(theme.NEUTRAL, 0.12)}; padding: 12px 14px; font-size: 11pt; margin-top: 6px; }}
.cols {{ display: flex; gap: 26px; }} .cols > div {{ flex: 1; }}
.bar {{ display: flex; align-items: center; gap: 8px; margin: 5px 0; }}
.bar .lab {{ flex: 0 0 36%; }} .bar .fill {{ height: 12px; background: {theme.DETRACTOR}; border-radius: 2px; }}
.bar .val {{ font-weight: 600; }}
.note {{ color: {theme.MUTED}; font-size: 8.5pt; margin: 4px 0; }}
ul.notes {{ padding-left: 16px; color: {theme.MUTED}; font-size: 8.5pt; margin: 4px 0; }}
a {{ color: {theme.ACCENT}; }}
.foot {{ position: absolute; bottom: 0; left: 0; right: 0; font-size: 7.5pt; color: {theme.MUTED};
        border-top: 1px solid {theme.GRID}; padding-top: 3px; display: flex; justify-content: space-between; }}
"""  # fmt: skip


def picture(brief: Brief) -> str:
    """The control chart of the brief's outlet, when it shows one beyond its limits (or the
    brief is an outlet's), as an inline SVG image; empty when there is none or no renderer."""
    chart = next((c for c in brief.charts if c.key == "outlet_control"), None)
    if chart is None or not (brief.flags or brief.scope.startswith(("Outlet", _("Outlet")))):
        return ""
    try:
        svg = figure_image(print_figure(chart.figure, titled=False), "svg", "brief")
    except ImageExportError:
        return ""
    data = base64.b64encode(svg).decode()
    heading = _("Control chart")
    return (
        f"<h2>{_e(heading)}</h2><p class='note'>{_e(chart.title)}</p>"
        f"<img class='pic' alt='{_e(chart.title)}' src='data:image/svg+xml;base64,{data}'>"
    )


def as_html(brief: Brief, pictures: bool = False) -> str:
    """The brief as a two-page landscape HTML document (what the PDF prints); ``pictures``
    adds the outlet's control chart (drawn by the image renderer)."""
    kpis = "".join(
        f"<div class='kpi'><div class='l'>{_e(k.label)}</div><div class='v'>{_e(k.value)}</div>"
        f"<div class='n'>{_e(k.note)}</div></div>"
        for k in brief.kpis
    )
    words = {
        "page": _("What changed"),
        "open": _("open the page"),
        "changes": _("Significant changes"),
        "topics": _("What detractors talk about most"),
        "read": _("How to read this"),
        "flags": _("Outlets flagged"),
    }
    top = (
        f"<div class='top'><span class='brand'>cxbench · {_e(words['page'])}</span>"
        f"<span class='meta'>{_e(_against(brief))} · {_e(brief.dataset)} · {_e(brief.made)}</span></div>"
    )
    link = (
        f" · <a href='{_e(brief.link)}'>{_e(words['open'])}</a>"
        if brief.link.startswith("http")
        else ""
    )
    foot = f"<div class='foot'><span>{_e(brief.source)} · {_e(brief.filters)}</span><span>{{page}}</span></div>"
    count = ngettext("{shown} of {tested} cells", "{shown} of {tested} cells", brief.tested).format(
        shown=i18n.number(len(brief.moves)), tested=i18n.number(brief.tested)
    )
    reading = _(
        "Intervals: {interval}. q: the false-discovery-rate adjusted p-value; a change is "
        "significant when q is under {alpha}."
    ).format(interval=brief.interval, alpha=_alpha(brief.level))
    first = (
        f"<section class='page'>{top}<div class='scope'>{_e(brief.scope)}</div>"
        f"<h1 style='font-size:{headline_size(brief)}pt'>{_e(brief.headline)}</h1>"
        f"<div class='kpis'>{kpis}</div><h2>{_e(words['changes'])} · {_e(count)}</h2>"
        f"{_moves_html(brief)}<p class='note'>{_e(reading)}{link}</p>"
        + foot.replace("{page}", "1 / 2")
        + "</section>"
    )
    second = (
        f"<section class='page'>{top}<div class='cols'><div>"
        f"<h2>{_e(words['topics'])}</h2>"
        f"{_topics_html(brief)}<h2>{_e(words['read'])}</h2><ul class='notes'>"
        f"{''.join(f'<li>{_e(n)}</li>' for n in brief.notes)}</ul></div>"
        f"<div><h2>{_e(words['flags'])}</h2>{_flags_html(brief)}"
        f"{picture(brief) if pictures else ''}</div></div>"
        + foot.replace("{page}", "2 / 2")
        + "</section>"
    )
    return (
        f"<!doctype html><html lang='{i18n.language()}'><head><meta charset='utf-8'>"
        f"<title>{_e(brief.headline)}</title><style>{CSS}</style></head><body>{first}{second}</body></html>"
    )


def q_text(q: float) -> str:
    """A q-value for people (< 0.001, 0.012)."""
    return localised("< 0.001" if q < 0.001 else f"{q:.3f}")


def _alpha(level: str) -> str:
    """1 - confidence as people write it ("0.05" for a ninety-five percent level)."""
    value = 1.0 - float(level.rstrip("%")) / 100.0
    return localised(f"{value:.3g}")


def as_pdf(brief: Brief) -> bytes:
    """The brief printed to PDF by headless Chromium (two landscape A4 pages).

    Raises:
        BriefError: no Chromium here, or the print failed or took too long.
    """
    browser = chromium_path()
    if browser is None:
        raise BriefError(
            "printing the brief needs Chromium (Debian package 'chromium', or CX_CHROMIUM)"
        )
    with tempfile.TemporaryDirectory(prefix="cx-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        out = Path(tmp) / "brief.pdf"
        page.write_text(as_html(brief, pictures=True), encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-extensions", "--no-first-run", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(  # noqa: S603 (a fixed browser and our own file, no shell)
                command, capture_output=True, timeout=PRINT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise BriefError(f"printing the brief took over {PRINT_SECONDS} s") from exc
        if not out.is_file() or out.stat().st_size == 0:
            raise BriefError("Chromium did not print the brief")
        return out.read_bytes()


def as_pptx(brief: Brief) -> bytes:
    """The brief as a deck: the key figures and significant changes, then the page's charts."""
    meta = DeckMeta(
        page=_("What changed: {end} against {start}").format(end=brief.end, start=brief.start),
        filters=f"{brief.scope}; {brief.filters}",
        dataset=brief.dataset,
        highlights=tuple(m.sentence for m in brief.moves[:5]) or (brief.nothing_changed,),
        kpis=brief.kpis,
    )
    return pptx_deck(list(brief.charts), meta)
