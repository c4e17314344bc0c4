"""What a report is: one page of the dashboard, computed without Streamlit.

A :class:`Report` has a key, a title, ``compute(run, selection, options, **picks)`` returning
a typed, frozen result, ``charts(result, source)`` returning the charts (the same objects the
app draws and every export writes), its page-level choices (:class:`Pick`) with their
defaults, and optionally a ``summary(result)`` with the key figures and findings a deck opens
with. The ordered registry is :data:`cx.reports.registry.REPORTS`.

``run(query_name, params) -> DataFrame`` is the one way a report reads data: the app passes
its cached runner, the command line and the benchmark pass :func:`cx.data.sql.run` on a
connection, so all of them compute exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

import polars as pl

from cx.charts import theme
from cx.core import display, i18n
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.selection import FILTER_KEYS, MAX_URL_VALUE, Selection
from cx.data.sql import Runner
from cx.exports.chart import Chart, Finding, Kpi, SlideTable

R = TypeVar("R")


@dataclass(frozen=True)
class Pick:
    """A page-level choice: a keyword of ``compute``, a URL parameter and a widget.

    Attributes:
        name: the keyword of ``compute`` and the URL parameter's name.
        label: what the widget says.
        kind: ``one`` (a select box), ``many`` (a multiselect, comma-separated in the URL),
            ``mode`` (a segmented control) or ``number`` (a slider or number input).
        help: the widget's help text.
        max_items: for ``many``: at most this many values.
        named: whether a deck's filters line names it: not a pick of what one chart draws
            (What changed's outlet read as a deck about one outlet).
    """

    name: str
    label: str
    kind: Literal["one", "many", "mode", "number"] = "one"
    help: str = ""
    max_items: int | None = None
    named: bool = True


@dataclass(frozen=True)
class Choice:
    """A pick as resolved by ``compute``: the values it could take and the one it took.

    ``value`` is a string for ``one``/``mode``, a tuple for ``many`` and a float for
    ``number``; ``labels`` gives display names of option codes; ``disabled`` greys the widget
    out (e.g. a benchmark brand while comparing with the rest of the industry).
    """

    options: tuple[str, ...]
    value: Any
    labels: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    note: str = ""

    def label(self, option: str) -> str:
        """Display name of an option."""
        return self.labels.get(option, option)


#: The value of a pick that takes every option ("All brands", "All topics"): no choice to name.
EVERY = "all"
#: Picks that narrow a filter of the same meaning (the page's industry, the dealers' country):
#: the filters line names them once.
PICKED_FILTERS = {"industry": "industries", "country": "countries"}

#: The sidebar's filters as a chart's source line names them ("countries: Germany").
FILTER_WORDS: dict[str, str] = {
    "industries": N_("industries"),
    "waves": N_("waves"),
    "countries": N_("countries"),
    "channels": N_("channels"),
    "segments": N_("segments"),
    "sales_models": N_("sales models"),
    "powertrains": N_("powertrains"),
}


@dataclass(frozen=True)
class Source:
    """Where a report's survey numbers come from: the dataset and what it provides.

    Attributes:
        dataset: the dataset's name.
        kind: ``demo`` (synthetic) or ``upload`` (the user's own survey).
        label: the dataset's display label.
        fields: canonical fields an upload provides; None means all (the demo).
    """

    dataset: str
    kind: str = "demo"
    label: str = ""
    fields: frozenset[str] | None = None
    filters: str = ""
    scales: str = ""

    @property
    def top_two(self) -> str:
        """The points "satisfied" counts, as the file's scale has them: "4-5 of 5" (the demo,
        and any 1-5 scale), "6-7 of 7", or "the top two of each scale" for items asked on
        different ones (an upload's 1-7 satisfaction read "4-5 of 5" under every stage)."""
        return self._two(top=True)

    @property
    def bottom_two(self) -> str:
        """The points "dissatisfied" counts ("1-2 of 5", "1-2 of 7"), as :attr:`top_two`."""
        return self._two(top=False)

    def _two(self, top: bool) -> str:
        found = {s.split(":", 1)[1] for s in self.scales.split(",") if ":" in s}
        if not found and self.kind != "demo":  # an upload stored before its scales were kept
            return (
                _("the top two points of the scale")
                if top
                else _("the bottom two points of the scale")
            )
        if len(found) > 1:
            return (
                _("the top two points of each scale")
                if top
                else _("the bottom two points of each scale")
            )
        low, high = (int(v) for v in (found.pop() if found else "1-5").split("-"))
        of = str(high) if low == 1 else f"{low}-{high}"
        first = high - 1 if top else low
        return _("{low}-{high} of {of}").format(low=first, high=first + 1, of=of)

    @property
    def survey(self) -> str:
        """The subtitle source of survey-sample charts (opening with the kind's words), with the
        sidebar's filters other than industries, so a chart exported alone still says it shows
        Germany only; industries are named by each chart as its scope, or here where a page
        names them so (:meth:`within`)."""
        if self.kind == "demo":
            base = _("{survey} (synthetic demo survey: {dataset})")
        else:
            base = _("{survey} (uploaded survey: {dataset})")
        survey = theme.PROVENANCE["survey"].short
        base = base.format(survey=_(survey), dataset=self.dataset)
        return f"{base} · {self.filters}" if self.filters else base

    @property
    def whole(self) -> str:
        """:attr:`survey` without the filters, for what is computed from the whole dataset
        (Voice's distinguishing terms opened with "countries: Japan · 6,059 respondents who
        commented" over the same bars as every other selection's)."""
        return replace(self, filters="").survey

    def of(self, sel: Selection) -> Source:
        """This source as a selection's charts name it (:attr:`filters` in words, in the
        current language: a source is made per page run)."""
        parts = [
            _("{filter}: {values}").format(
                filter=_(FILTER_WORDS.get(key, key)),
                values=display.join(display.names(key, getattr(sel, key))),
            )
            for key in FILTER_KEYS
            if key != "industries" and getattr(sel, key)
        ]
        return replace(self, filters="; ".join(parts))

    def within(self, industries: Sequence[str]) -> Source:
        """This source naming the industries its charts show first ("industries: Automakers;
        countries: Germany"), for a page whose charts do not name them as their scope: a
        brand ranking exported alone said "Voltara leads with an NPS of +26" of the 24
        Automakers brands of 63, with nothing saying so."""
        if not industries:
            return self
        named = _("{filter}: {values}").format(
            filter=_(FILTER_WORDS["industries"]), values=display.join(industries)
        )
        return replace(self, filters="; ".join(p for p in (named, self.filters) if p))

    def line(self, sel: Selection) -> str:
        """A page's source line: :attr:`survey` (with its filters), then the industries chosen,
        or "all respondents" when nothing is filtered."""
        if sel.industries:
            return _("{source} · industries: {industries}").format(
                source=self.survey, industries=display.join(sel.industries)
            )
        if self.filters:
            return self.survey
        return _("{source} · all respondents").format(source=self.survey)

    def has(self, *names: str) -> bool:
        """Whether the dataset provides all of these canonical fields (the demo has all)."""
        return self.fields is None or all(n in self.fields for n in names)


def dataset_source(run: Runner, dataset: str) -> Source:
    """The :class:`Source` of a dataset, from the datasets catalogue."""
    catalogue = run("datasets", {})
    row = catalogue.filter(pl.col("dataset") == dataset)
    if row.is_empty():
        return Source(dataset)
    r = row.row(0, named=True)
    fields = r.get("fields")
    return Source(
        dataset,
        str(r["kind"]),
        str(r["label"]),
        frozenset(str(fields).split(",")) if fields else None,
        scales=str(r.get("scales") or ""),
    )


def filter_values(run: Runner, dataset: str) -> dict[str, list[str]]:
    """Every value each filter (and brand) can take in a dataset."""
    out: dict[str, list[str]] = {}
    for dim, value in run("filter_options", {"dataset": dataset}).iter_rows():
        out.setdefault(str(dim), []).append(str(value))
    return out


@dataclass(frozen=True)
class Summary:
    """What a deck opens with: key figures, findings and table slides.

    ``checked`` holds findings as claims with their tables; :meth:`of` words ``findings`` from
    them, so what a deck says is what the claims say.
    """

    kpis: tuple[Kpi, ...] = ()
    findings: tuple[str, ...] = ()
    tables: tuple[SlideTable, ...] = ()
    checked: tuple[Finding, ...] = ()

    @classmethod
    def of(
        cls,
        kpis: tuple[Kpi, ...] = (),
        checked: tuple[Finding, ...] = (),
        tables: tuple[SlideTable, ...] = (),
    ) -> Summary:
        """A summary whose findings are the wording of ``checked``."""
        return cls(kpis, tuple(f.text for f in checked), tables, checked)


@dataclass(frozen=True)
class Report(Generic[R]):
    """One page of the dashboard.

    Attributes:
        key: URL path and command-line name (``brands``).
        title: page heading and deck title.
        nav: the sidebar's label.
        icon: Material icon of the sidebar entry.
        section: the sidebar section.
        lead: one line under the title; ``{level}`` is replaced by the confidence level.
        compute: ``(run, selection, options, **picks) -> result``.
        charts: ``(result, source) -> list[Chart]``, in page order.
        picks: the page-level choices, in the order the page shows them.
        defaults: preferred values of picks (used when the data has them).
        summary: ``result -> Summary`` for decks (key figures, findings, tables).
        needs: canonical fields without which the page has nothing to show.
    """

    key: str
    title: str
    nav: str
    icon: str
    section: str
    lead: str
    compute: Callable[..., R]
    charts: Callable[[R, Source], list[Chart]]
    picks: tuple[Pick, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    summary: Callable[[R], Summary] | None = None
    needs: tuple[str, ...] = ()

    def lead_for(self, options: Options) -> str:
        """The lead line in the current language, with the chosen confidence level."""
        return _(self.lead).replace("{level}", options.level) if self.lead else ""

    def filters_line(self, result: R, selection: Selection) -> str:
        """What a deck's title slide and a workbook's summary say the view is: the sidebar's
        filters, then the page's choices as resolved ("Brand: Brenner; Outlet: …"; a dealer
        deck said "countries: DE" of a view of one brand, What changed's "all respondents" of
        two waves picked). Number inputs are left to their own slide (the revenue model's
        assumptions), a choice greyed out is not one."""
        choices: Mapping[str, Choice] = getattr(result, "choices", None) or {}
        separator = "、" if i18n.language() == "zh" else ", "
        parts = []
        for pick in self.picks:
            choice = choices.get(pick.name)
            if choice is None or choice.disabled or pick.kind == "number" or not pick.named:
                continue
            values = choice.value if isinstance(choice.value, tuple) else (choice.value,)
            shown = [choice.label(str(v)) for v in values if v not in (None, "", EVERY)]
            said = getattr(selection, PICKED_FILTERS.get(pick.name, ""), ())
            if shown and tuple(str(v) for v in values) != tuple(said):  # not said twice
                parts.append(
                    _("{filter}: {values}").format(
                        filter=_(pick.label), values=separator.join(shown)
                    )
                )
        return "; ".join([selection.describe(), *parts])

    def pick(self, name: str) -> Pick:
        """The pick called ``name``."""
        for p in self.picks:
            if p.name == name:
                return p
        raise KeyError(name)

    def parse_picks(self, query: Mapping[str, Any]) -> dict[str, Any]:
        """Pick values from URL-style text (comma-separated lists, numbers as text).

        Unknown names are ignored; values are checked by ``compute``, which falls back to the
        defaults for anything it cannot use.
        """
        out: dict[str, Any] = {}
        for p in self.picks:
            raw = query.get(p.name)
            if raw is None:
                continue
            text = raw if isinstance(raw, str) else ",".join(str(v) for v in raw)
            text = text[:MAX_URL_VALUE]
            if p.kind == "many":
                out[p.name] = tuple(v.strip() for v in text.split(",") if v.strip())
            elif p.kind == "number":
                try:
                    out[p.name] = float(text)
                except ValueError:
                    continue
            else:
                out[p.name] = text.strip()
        return out


# --------------------------------------------------------------------------------------------
# Helpers shared by reports
# --------------------------------------------------------------------------------------------


def one_of(value: Any, options: Sequence[str], *preferred: Any) -> str | None:
    """``value`` if it is an option, else the first preferred value that is, else the first
    option (None when there are none)."""
    for candidate in (value, *preferred):
        if candidate is not None and candidate in options:
            return str(candidate)
    return options[0] if options else None


def some_of(
    value: Any, options: Sequence[str], default: Sequence[str], limit: int
) -> tuple[str, ...]:
    """The values of ``value`` that are options (at most ``limit``), else ``default``."""
    if value is not None:
        chosen = tuple(dict.fromkeys(v for v in value if v in options))[:limit]
        return chosen
    return tuple(v for v in default if v in options)[:limit]


def sig_phrase(row: Mapping[str, Any], others: str) -> str:
    """How a group compares with ``others``, in words that only claim what the test supports."""
    if row.get("suppressed"):
        return _("too few responses to tell")
    if not row.get("significant"):
        return _("not significantly different from {others}").format(others=others)
    if (row.get("gap") or 0) > 0:
        return _("significantly above {others}").format(others=others)
    return _("significantly below {others}").format(others=others)


def n_total(frame: pl.DataFrame, column: str = "n") -> str:
    """The n of a table, for a subtitle."""
    return display.n(frame[column].sum() if frame.height else 0)
