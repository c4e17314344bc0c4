"""Countries: NPS by country on a map and in a ranking, and one brand across countries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import polars as pl

from cx.charts import figures, maps
from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display, i18n
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, Deferred
from cx.metrics import frames, measures
from cx.reports.base import Choice, Pick, Report, Runner, Source, n_total, one_of
from cx.reports.common import NPS_MARGIN, answers_range, human_table, nps_chart, nps_table

#: The countries' tables name each country (``name``) beside its code.
NAMES = {"name": N_("Country")}
#: The countries' tables' row label, as they name it.
COUNTRY = NAMES["name"]


@dataclass(frozen=True)
class CountriesResult:
    """NPS per country (with names and map positions) and one brand across countries.

    Attributes:
        options: statistical options.
        by_country: NPS per country with ``name``, ``latitude``, ``longitude``, best first,
            each tested against the rest of the sample (``gap``, ``p_value``, ``q_value``,
            ``significant``: false discovery rate controlled across the countries).
        brand: the brand ranked across countries (None without brands).
        brand_by_country: that brand's NPS per country, with names.
        choices: the page's resolved picks.
        sample_nps: the NPS of every answer with a country (the countries' sums together),
            the middle of the map's colours.
        industries: the industries the sidebar chose (the charts' source names them).
    """

    options: Options
    by_country: pl.DataFrame
    brand: str | None
    brand_by_country: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)
    sample_nps: float | None = None
    industries: tuple[str, ...] = ()

    @property
    def colour_range(self) -> tuple[float, float]:
        """The map's colour range: the reported countries' NPS range, widened to be even
        about :attr:`sample_nps`, so that the scale's white middle is the sample's NPS and a
        country's colour says above or below it, as the ranking beside it does (the middle
        of the range, +10 while the sample stood at +14, coloured Canada purple on the map
        and orange, significantly below the rest, in the ranking)."""
        shown = self.by_country.filter(~pl.col("suppressed"))["nps"]
        if shown.len() < 2:  # one country: the default width about the sample (it is the sample)
            low, high = figures.MAP_RANGE
            centre = self.sample_nps if self.sample_nps is not None else (low + high) / 2
            return centre - (high - low) / 2, centre + (high - low) / 2
        low, high = float(cast(float, shown.min())), float(cast(float, shown.max()))
        if self.sample_nps is None:
            return low, high
        reach = max(self.sample_nps - low, high - self.sample_nps, figures.MAP_MIN_REACH)
        # min/max: the subtraction may round the end a hair inside the country it came from
        return min(low, self.sample_nps - reach), max(high, self.sample_nps + reach)


def _named(frame: pl.DataFrame) -> pl.DataFrame:
    """Each country's name in the language (English: the reference's; Chinese and Russian: the
    CLDR's), else its code as stored."""
    names = {c: display.country_name(c) for c in frame["country"].drop_nulls().unique()}
    english = pl.coalesce(pl.col("name"), pl.col("country"))
    if i18n.language() == i18n.DEFAULT:
        return frame.with_columns(english.alias("name"))
    return frame.with_columns(
        pl.col("country").replace_strict(names, default=english).alias("name")
    )


def compute(
    run: Runner, sel: Selection, opts: Options, brand: str | None = None
) -> CountriesResult:
    """NPS by country (each against the rest of the sample) and one brand (default: the
    report's preferred brand) across countries."""
    reference = run("country_reference", {})
    sums = measures.breakdowns(run, sel, ("country",), ("brand", "country"))
    every = sums.nps("country")
    country = frames.kept(every, frames.present(every["country"]))
    tested = (
        measures.versus_rest(country, "country", opts=opts) if not country.is_empty() else country
    )
    by_country = (
        tested.join(reference, on="country", how="left")
        .pipe(_named)
        .sort("nps", descending=True, nulls_last=True)
        if not tested.is_empty()
        else pl.DataFrame()
    )
    pair = measures.nps_of(sums.nps("brand", "country"), opts)
    names = sorted(pair["brand"].drop_nulls().unique().to_list()) if not pair.is_empty() else []
    chosen = one_of(brand, names, REPORT.defaults["brand"])
    part = (
        # answers without a country are no country's (an unrecognised name stays empty)
        frames.kept(pair, (pair["brand"].to_numpy() == chosen) & frames.present(pair["country"]))
        .join(reference.select("country", "name"), on="country", how="left")
        .pipe(_named)
        if chosen
        else pl.DataFrame()
    )
    choices = {"brand": Choice(tuple(names), chosen)}
    sample = None
    weight = float(country["sw"].sum()) if not country.is_empty() else 0.0
    if weight > 0:
        sample = 100.0 * (float(country["swp"].sum()) - float(country["swd"].sum())) / weight
    return CountriesResult(opts, by_country, chosen, part, choices, sample, sel.industries)


def map_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """What the map shows: where NPS is highest and lowest among the countries it colours."""
    high = claims.top(
        table, COUNTRY, "nps", "nps", phrase="highest_in", noun="country", margin=NPS_MARGIN
    )
    low = claims.top(
        table, COUNTRY, "nps", "nps", lowest=True, phrase="lowest_in", noun="country",
        margin=NPS_MARGIN,
    )  # fmt: skip
    if high is None or low is None:
        return (claims.statement("few_mapped"),)
    if high.figure.shown == low.figure.shown and len(high.subjects) > 1:
        return (claims.top(table, COUNTRY, "nps", "nps", phrase="same_nps") or high,)
    if claims.reportable(table, "nps").height == 1:
        one = claims.value(
            table, COUNTRY, high.subjects[0], "nps", "nps", phrase="nps_of",
            scope=_("the only country in this selection") if table.height == 1
            else _("the one country with enough responses"),
        )  # fmt: skip
        return (one,) if one is not None else (claims.statement("few_mapped"),)
    if claims.shared(high, low):  # the whiskers tell no top from the bottom
        return (high,)
    return (high, low)


def map_chart(r: CountriesResult, source: Source) -> Chart | None:
    """The map: where NPS is high and low (its own finding, a colour bar, works offline)."""
    if r.by_country.is_empty() or "latitude" not in r.by_country.columns:
        return None
    geo = r.by_country.filter(pl.col("latitude").is_not_null())
    if geo.is_empty():
        return None
    table = human_table(
        geo, ("country", "name", "region", "n", "nps", "ci_low", "ci_high", "suppressed"), NAMES
    )
    said = map_claims(table)
    title = headline(said)
    subtitle = _(
        "{source} · {n} · colour: NPS by country · response styles differ by country"
    ).format(source=source.survey, n=n_total(geo))
    lo, hi = r.colour_range
    return Chart(
        "country_map",
        title,
        subtitle,
        # drawn by pydeck on screen: the Plotly twin is built when an export asks for it
        Deferred(maps.static_map, geo, title, subtitle, lo, hi),
        table,
        label=_("Map"),
        claims=said,
    )


def _ranking(r: CountriesResult, source: Source) -> Chart:
    table = r.by_country
    keys = ("name", "country")
    human = nps_table(table, keys, NAMES)
    if table.height == 1:  # the sidebar chose one country: nothing is short of responses
        said: tuple[Claim, ...] = (claims.statement("one_country"),)
    elif claims.reportable(human, "nps").height < 2:
        said = (claims.statement("few_compared", noun="countries"),)
    else:
        said = tuple(
            contrasts.count(human, COUNTRY, "gap", side, "countries", "country",
                         "the rest of the sample")
            for side in ("above", "below")
        )  # fmt: skip
    tested = int(table.filter(pl.col("p_value").is_not_null()).height)
    subtitle = (
        _(
            "{source} · {n} · colour: gap to the rest of the sample {controlled} (blue above, "
            "vermillion below, grey not significant) · whiskers: {interval} · response styles "
            "differ by country: compare brands within a country"
        )
        if tested
        else _(  # nothing tested: no colour to explain, and no family of 0 countries
            "{source} · {n} · whiskers: {interval} · response styles differ by country: compare "
            "brands within a country"
        )
    ).format(
        source=source.survey,
        n=n_total(table),
        controlled=r.options.controlled(tested, "countries"),
        interval=r.options.interval,
    )
    return nps_chart(
        "country_nps", _("NPS by country"), headline(said), subtitle, table, "name", keys,
        r.options, "significance", NAMES, said,
    )  # fmt: skip


def _brand(r: CountriesResult, source: Source) -> Chart | None:
    if r.brand is None or r.brand_by_country.is_empty():
        return None
    part = r.brand_by_country
    keys = ("brand", "name")
    table = nps_table(part, keys, NAMES)
    best = claims.top(
        table, COUNTRY, "nps", "nps", phrase="best_in", noun=r.brand, margin=NPS_MARGIN
    )
    worst = claims.top(
        table, COUNTRY, "nps", "nps", lowest=True, phrase="worst_in", margin=NPS_MARGIN
    )
    said: tuple[Claim, ...] = (
        (claims.statement("one_country"),)
        if r.by_country.height == 1  # one country chosen: ranking it across one is moot
        else (best,)  # the whiskers tell no best from the worst
        if best is not None
        and worst is not None
        and claims.shared(best, worst)
        and best.figure.shown != worst.figure.shown
        else (best, worst)
        if best is not None and worst is not None and best.figure.shown != worst.figure.shown
        else (claims.statement("few_per_country", subject=r.brand),)
        if best is None or claims.reportable(table, "nps").height < 2
        else (claims.top(table, COUNTRY, "nps", "nps", phrase="same_nps") or best,)
    )
    subtitle = _(
        "{source} · {brand} by country, {n} per country · whiskers: {interval} · response "
        "styles differ by country"
    ).format(
        source=source.survey, brand=r.brand, n=answers_range(part), interval=r.options.interval
    )
    return nps_chart(
        "brand_by_country", _("{brand} by country").format(brand=r.brand), headline(said), subtitle, part, "name",
        keys, r.options, names=NAMES, said=said,
    )  # fmt: skip


def charts(r: CountriesResult, source: Source) -> list[Chart]:
    """The map, the country ranking and the chosen brand across countries (their source names
    the industries chosen)."""
    if r.by_country.is_empty():
        return []
    source = source.within(r.industries)
    out = [map_chart(r, source), _ranking(r, source), _brand(r, source)]
    return [c for c in out if c is not None]


REPORT: Report[CountriesResult] = Report(
    key="countries",
    title=N_("Countries"),
    nav=N_("Countries"),
    icon=":material/public:",
    section=N_("Benchmarks"),
    lead=N_(
        "Response styles differ by country (Japanese respondents score lower, Brazilian "
        "higher), so compare brands within a country and rank a brand across countries, not "
        "countries as such."
    ),
    compute=compute,
    charts=charts,
    picks=(Pick("brand", N_("Rank a brand across countries")),),
    defaults={"brand": "Voltara"},
    needs=("country",),
)
