"""Countries: NPS by country on a map and in a ranking, and one brand across countries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import polars as pl

from cx.charts import figures
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, Deferred
from cx.reports.base import Choice, Pick, Report, Runner, Source, n_total, one_of
from cx.reports.common import human_table, nps_chart

#: The countries' tables name each country (``name``) beside its code.
NAMES = {"name": "Country"}


@dataclass(frozen=True)
class CountriesResult:
    """NPS per country (with names and map positions) and one brand across countries.

    Attributes:
        options: statistical options.
        by_country: NPS per country with ``name``, ``latitude``, ``longitude``, best first.
        by_region: NPS per region (from the same sums, not an average of countries).
        brand: the brand ranked across countries (None without brands).
        brand_by_country: that brand's NPS per country, with names.
        choices: the page's resolved picks.
    """

    options: Options
    by_country: pl.DataFrame
    by_region: pl.DataFrame
    brand: str | None
    brand_by_country: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)

    @property
    def colour_range(self) -> tuple[float, float]:
        """The map's colour range: the reported countries' NPS range."""
        shown = self.by_country.filter(~pl.col("suppressed"))["nps"]
        if shown.len() >= 2:
            return float(cast(float, shown.min())), float(cast(float, shown.max()))
        return figures.MAP_RANGE


def compute(
    run: Runner, sel: Selection, opts: Options, brand: str | None = None
) -> CountriesResult:
    """NPS by country and one brand (default: the report's preferred brand) across countries."""
    from cx.metrics import measures

    reference = run("country_reference", {})
    sums = measures.breakdowns(run, sel, ("country",), ("region",), ("brand", "country"))
    by_country = (
        measures.nps_ranked(sums.nps("country"), opts)
        .join(reference, on="country", how="left")
        .with_columns(pl.coalesce(pl.col("name"), pl.col("country")).alias("name"))
    )
    pair = measures.nps_of(sums.nps("brand", "country"), opts)
    names = sorted(pair["brand"].drop_nulls().unique().to_list()) if not pair.is_empty() else []
    chosen = one_of(brand, names, REPORT.defaults["brand"])
    part = (
        pair.filter(pl.col("brand") == chosen)
        .join(reference.select("country", "name"), on="country", how="left")
        .with_columns(pl.coalesce(pl.col("name"), pl.col("country")).alias("name"))
        if chosen
        else pl.DataFrame()
    )
    by_region = measures.nps_ranked(sums.nps("region"), opts).filter(pl.col("region").is_not_null())
    choices = {"brand": Choice(tuple(names), chosen)}
    return CountriesResult(opts, by_country, by_region, chosen, part, choices)


def map_chart(r: CountriesResult, source: Source) -> Chart | None:
    """The map: where NPS is high and low (its own finding, a legend, works offline)."""
    geo = r.by_country.filter(pl.col("latitude").is_not_null())
    if geo.is_empty():
        return None
    shown = geo.filter(~pl.col("suppressed"))
    regions = r.by_region.filter(~pl.col("suppressed")).sort("nps", descending=True)
    if regions.height >= 2:
        top, low = regions.row(0, named=True), regions.row(-1, named=True)
        title = (
            f"By region, NPS is highest in {top['region']} ({display.nps(top['nps'])}) and "
            f"lowest in {low['region']} ({display.nps(low['nps'])})"
        )
    elif shown.height:
        title = f"NPS across {shown.height} {'country' if shown.height == 1 else 'countries'}"
    else:
        title = "Too few countries with enough responses to map"
    subtitle = f"{source.survey} · {n_total(geo)} · response styles differ by country"
    lo, hi = r.colour_range
    return Chart(
        "country_map",
        title,
        subtitle,
        # drawn by pydeck on screen: the Plotly twin is built when an export asks for it
        Deferred(figures.static_map, geo, title, subtitle, lo, hi),
        human_table(geo, ("country", "name", "region", "n", "nps", "suppressed"), NAMES),
        label="Map",
    )


def _ranking(r: CountriesResult, source: Source) -> Chart:
    table = r.by_country
    shown = table.filter(~pl.col("suppressed"))
    if shown.height >= 2:
        hi, lo = shown.row(0, named=True), shown.row(-1, named=True)
        title = (
            f"{hi['name']} scores highest ({display.nps(hi['nps'])}) and {lo['name']} lowest "
            f"({display.nps(lo['nps'])}): partly response style"
        )
    else:
        title = "Too few countries with enough responses to compare"
    subtitle = (
        f"{source.survey} · {n_total(table)} · whiskers: {r.options.interval} · compare brands "
        "within a country"
    )
    return nps_chart(
        "country_nps", "NPS by country", title, subtitle, table, "name", ("name", "country"),
        r.options, names=NAMES,
    )  # fmt: skip


def _brand(r: CountriesResult, source: Source) -> Chart | None:
    if r.brand is None or r.brand_by_country.is_empty():
        return None
    part = r.brand_by_country
    ok = part.filter(~pl.col("suppressed")).sort("nps", descending=True)
    title = (
        f"{r.brand} does best in {ok['name'][0]} ({display.nps(ok['nps'][0])}) and worst in "
        f"{ok['name'][-1]} ({display.nps(ok['nps'][-1])})"
        if ok.height >= 2
        else f"{r.brand}: too few responses per country to rank"
    )
    subtitle = (
        f"{source.survey} · {r.brand} by country · whiskers: {r.options.interval} · response "
        "styles differ by country"
    )
    return nps_chart(
        "brand_by_country", f"{r.brand} by country", title, subtitle, part, "name",
        ("brand", "name"), r.options, names=NAMES,
    )  # fmt: skip


def charts(r: CountriesResult, source: Source) -> list[Chart]:
    """The map, the country ranking and the chosen brand across countries."""
    if r.by_country.is_empty():
        return []
    out = [map_chart(r, source), _ranking(r, source), _brand(r, source)]
    return [c for c in out if c is not None]


REPORT: Report[CountriesResult] = Report(
    key="countries",
    title="Countries",
    nav="Countries",
    icon=":material/public:",
    section="Benchmarks",
    lead=(
        "Response styles differ by country (Japanese respondents score lower, Brazilian "
        "higher), so compare brands within a country and rank a brand across countries, not "
        "countries as such."
    ),
    compute=compute,
    charts=charts,
    picks=(Pick("brand", "Rank a brand across countries"),),
    defaults={"brand": "Voltara"},
    needs=("country",),
)
