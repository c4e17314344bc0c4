"""The demo's synthetic outlet network: dealers, agency outlets and direct stores per brand and
country, the dealer groups that own many of them, and each outlet's effect on its customers.

Like the rest of the demo this is *synthetic*: outlet and group names are invented (city names
only say where an outlet is). How the network is made (all draws from
``numpy.random.default_rng([seed, 3])``, so one seed gives one network for every chunk):

1. outlets per brand, country and channel in proportion to the brand's expected respondents
   there (about :data:`TARGET_OUTLETS` in all): dealer-sold and agency brands have dealer or
   agency outlets, direct-sales brands fewer, larger own stores, hybrid brands both; outlet
   sizes (their share of the brand's customers in the country) are log-normal;
2. dealer groups: in each country a few multi-brand groups own most dealer and agency outlets
   (:data:`GROUP_SHARE`, larger in China, where the dealer-CRM blue book describes such
   groups and their after-sales focus); the rest are independent;
3. effects on the latent satisfaction (SD units, the scale of :mod:`cx.build.demo`): an outlet
   effect (most small, :data:`OUTLIER_SHARE` of outlets far off), a group effect shared by a
   group's outlets, a group's after-sales emphasis, per-stage deviations on the stages an
   outlet delivers (shop, purchase, delivery, after-sales, price transparency) and a trend
   over the waves. Every effect is centred to zero within the brand (weighted by outlet
   size), so brand and industry figures keep their calibration.

Calibration: most outlets' true NPS lies within ±15 points of their brand's, a few outliers
beyond (``tests/queries/test_demo.py``, ``data/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from cx.core.schema import OUTLET_ITEMS

#: Outlets of the whole network (automakers), before rounding per brand and country.
TARGET_OUTLETS = 520
#: Direct-sales brands run fewer, larger stores than a dealer network of the same volume.
DIRECT_STORE_RATIO = 0.45
#: Share of dealer and agency outlets owned by a dealer group, per country (default otherwise).
GROUP_SHARE: dict[str, float] = {"CN": 0.8, "US": 0.6, "GB": 0.65}
DEFAULT_GROUP_SHARE = 0.55
#: SD of the outlet effect, of the group effect, of a group's after-sales emphasis, of the
#: per-stage deviations and of the trend over all waves (latent units).
OUTLET_SD, GROUP_SD, AFTERSALES_SD, STAGE_SD, TREND_SD = 0.14, 0.06, 0.10, 0.08, 0.10
#: Share of outlets far from their brand (an effect drawn with SD :data:`OUTLIER_SD`).
OUTLIER_SHARE, OUTLIER_SD = 0.04, 0.40
#: Weight of the outlet's stage effects in the likelihood to recommend beyond the stages'
#: own weights (a good dealer is recommended for the dealer, too).
NPS_DIRECT = 0.35

#: Cities per survey country (where outlets are; names of places, not of businesses).
CITIES: dict[str, tuple[str, ...]] = {
    "US": ("New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Dallas", "Atlanta", "Denver", "Seattle", "Miami", "Boston", "Detroit"),
    "CA": ("Toronto", "Montreal", "Vancouver", "Calgary", "Ottawa", "Edmonton", "Winnipeg", "Quebec City", "Halifax"),
    "BR": ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília", "Curitiba", "Porto Alegre", "Salvador", "Recife", "Fortaleza"),
    "GB": ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Edinburgh", "Cardiff", "Newcastle", "Nottingham"),
    "DE": ("Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Hannover", "Nürnberg", "Dresden", "Bremen"),
    "FR": ("Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Bordeaux", "Lille", "Rennes"),
    "IT": ("Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Genova", "Verona", "Bari", "Palermo"),
    "SE": ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping"),
    "CN": ("Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Chengdu", "Hangzhou", "Wuhan", "Nanjing", "Chongqing", "Suzhou", "Xi'an", "Tianjin"),
    "JP": ("Tokyo", "Osaka", "Nagoya", "Yokohama", "Sapporo", "Fukuoka", "Kobe", "Kyoto", "Sendai", "Hiroshima"),
    "IN": ("Mumbai", "Delhi", "Bengaluru", "Chennai", "Hyderabad", "Pune", "Kolkata", "Ahmedabad", "Jaipur"),
}  # fmt: skip

#: Fictional dealer groups per country, largest first (the four of the demo's "Car dealers"
#: industry among them, in their home markets).
GROUPS: dict[str, tuple[str, ...]] = {
    "US": ("Summit Auto Group", "Lakeshore Motor Group", "Prairie Crest Automotive"),
    "CA": ("Laurentide Motor Group", "Northcape Auto Partners"),
    "BR": ("Grupo Cerrado Veículos", "Grupo Maré Alta Motors"),
    "GB": ("Harbor Motor Group", "Pennine Vale Motors", "Thameside Retail Group"),
    "DE": ("Crown Dealer Network", "Alpenstern Autogruppe", "Rheinfeld Mobil Gruppe"),
    "FR": ("Groupe Lavandière Auto", "Groupe Cormoran Distribution"),
    "IT": ("Gruppo Aurora Motori", "Gruppo Tirreno Auto"),
    "SE": ("Norrsken Bilgrupp",),
    "CN": ("Jinma Auto Service", "Huacheng Qiche Group", "Longyuan Motor Holdings", "Xinghai Auto Group"),
    "JP": ("Sakuragi Motors Holdings", "Aozora Auto Group"),
    "IN": ("Deccan Wheels Group", "Ganga Motor Partners"),
}  # fmt: skip

#: Names of independent dealers (family businesses), per country.
FAMILIES: dict[str, tuple[str, ...]] = {
    "US": ("Whitfield", "Castellano", "Brennan", "Okafor", "Lindqvist"),
    "CA": ("Tremblay & Fils", "MacAllister", "Gagnon"),
    "BR": ("Ferraz", "Albuquerque", "Tavares"),
    "GB": ("Ashcombe", "Pendleton", "Marlowe"),
    "DE": ("Autohaus Kessler", "Autohaus Brandt", "Autohaus Vogel", "Autohaus Seidel"),
    "FR": ("Garage Delorme", "Garage Fabre", "Garage Roussel"),
    "IT": ("Autosalone Ferrante", "Autosalone Gallo", "Autosalone Vitale"),
    "SE": ("Lundgren Bil", "Ekström Bil"),
    "CN": ("Hengtai", "Ruifeng", "Shunda"),
    "JP": ("Kanemoto Motors", "Hoshino Jidosha"),
    "IN": ("Malhotra Motors", "Iyer Autos", "Bansal Cars"),
}  # fmt: skip

CHANNEL_CODES: dict[str, int] = {"dealer": 0, "direct": 1, "agency": 2}


@dataclass(frozen=True)
class Network:
    """The outlets of the demo and what each does to its customers' answers.

    Attributes:
        outlets: one row per outlet: ``dealer_id``, ``dealer_name``, ``dealer_group`` (null
            for direct stores and independents), ``brand``, ``country``, ``channel``,
            ``size`` (share of the brand's customers in the country and channel),
            ``customers`` (expected share of all the brand's customers), ``effect``
            (latent shift of every outlet stage), ``trend`` (latent change from the first to
            the last wave), ``stage_<item>`` (extra shift of each outlet stage).
        lookup: ``(brand index, country index, channel code)`` -> (row numbers of its outlets,
            probabilities of each).
    """

    outlets: pl.DataFrame
    lookup: dict[tuple[int, int, int], tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]


@dataclass(frozen=True)
class OutletDraw:
    """The outlet of each respondent of a chunk (None where there is none) and its effects."""

    dealer_id: pl.Series
    dealer_name: pl.Series
    dealer_group: pl.Series
    stage_shift: dict[str, npt.NDArray[np.float64]]
    nps_shift: npt.NDArray[np.float64]


def _counts(
    brands: pl.DataFrame, countries: list[str]
) -> dict[tuple[int, str, str], tuple[int, float]]:
    """Outlets per (brand row, country, channel) and that cell's expected share of the brand's
    respondents (brands are drawn by volume, three times as often in their home market)."""
    autos = brands.with_row_index("row").filter(pl.col("industry") == "Automakers")
    volume = autos["vehicles_per_year"].cast(pl.Float64).to_numpy()
    homes = np.array(autos["home_country"].to_list())
    out: dict[tuple[int, str, str], tuple[int, float]] = {}
    for country in countries:
        pull = volume * np.where(homes == country, 3.0, 1.0)
        share = pull / pull.sum() / len(countries)
        for row, model, s in zip(autos["row"], autos["sales_model"], share, strict=True):
            parts = {"dealer": 0.5, "direct": 0.5} if model == "hybrid" else {model: 1.0}
            for channel, part in parts.items():
                ratio = DIRECT_STORE_RATIO if channel == "direct" else 1.0
                k = max(1, round(TARGET_OUTLETS * s * part * ratio))
                out[(int(row), country, channel)] = (k, float(s * part))
    return out


def _name(channel: str, brand: str, city: str, owner: str | None, family: str) -> str:
    if channel == "direct":
        return f"{brand} Store {city}"
    if owner:
        words = [w for w in owner.split() if w not in ("Groupe", "Grupo", "Gruppo")]
        return f"{words[0]} {brand} {city}"
    return f"{family} {brand} {city}"


def build_network(brands: pl.DataFrame, countries: list[str], seed: int) -> Network:
    """The outlet network of the demo's automakers (see the module docstring)."""
    rng = np.random.default_rng([seed, 3])
    group_effect = {g: rng.normal(0.0, GROUP_SD) for c in countries for g in GROUPS[c]}
    group_service = {g: rng.normal(0.0, AFTERSALES_SD) for c in countries for g in GROUPS[c]}
    names = brands["brand"].to_list()
    rows: list[dict[str, object]] = []
    used: set[str] = set()
    for (b, country, channel), (k, customers) in sorted(_counts(brands, countries).items()):
        brand, cities = names[b], CITIES[country]
        sizes = rng.lognormal(0.0, 0.8, k)
        start = int(rng.integers(len(cities)))
        for i in range(k):
            owned = channel != "direct" and rng.random() < GROUP_SHARE.get(
                country, DEFAULT_GROUP_SHARE
            )
            groups = GROUPS[country]
            weights = 1.0 / np.arange(1, len(groups) + 1)
            owner = (
                str(groups[rng.choice(len(groups), p=weights / weights.sum())]) if owned else None
            )
            family = str(FAMILIES[country][int(rng.integers(len(FAMILIES[country])))])
            name = _name(channel, brand, cities[(start + i) % len(cities)], owner, family)
            name = _unique(name, used)
            outlier = rng.random() < OUTLIER_SHARE
            effect = rng.normal(0.0, OUTLIER_SD if outlier else OUTLET_SD)
            stage = {s: rng.normal(0.0, STAGE_SD) for s in OUTLET_ITEMS}
            if owner:
                effect += group_effect[owner]
                stage["maintain"] += group_service[owner]
            rows.append(
                {
                    "brand_row": b,
                    "brand": brand,
                    "country": country,
                    "channel": channel,
                    "dealer_name": name,
                    "dealer_group": owner,
                    "size": float(sizes[i] / sizes.sum()),
                    "customers": customers * float(sizes[i] / sizes.sum()),
                    "effect": effect,
                    "trend": rng.normal(0.0, TREND_SD),
                    **{f"stage_{s}": v for s, v in stage.items()},
                }
            )
    return _finish(pl.DataFrame(rows), countries)


def _unique(name: str, used: set[str]) -> str:
    """``name``, or ``name 2``, ``name 3``... if taken; the result is added to ``used``."""
    candidate, i = name, 2
    while candidate in used:
        candidate, i = f"{name} {i}", i + 1
    used.add(candidate)
    return candidate


def _finish(outlets: pl.DataFrame, countries: list[str]) -> Network:
    """Ids, effects centred within the brand (weighted by expected customers), the lookup."""
    weight = pl.col("customers")
    centred = ["effect", "trend", *[f"stage_{s}" for s in OUTLET_ITEMS]]
    outlets = outlets.with_columns(
        [
            (pl.col(c) - (pl.col(c) * weight).sum().over("brand") / weight.sum().over("brand"))
            for c in centred
        ]
    ).with_columns(
        dealer_id=pl.format(
            "{}-{}-{}",
            pl.col("country"),
            pl.col("brand").str.replace_all(r"[^A-Za-z]", "").str.slice(0, 3).str.to_uppercase(),
            (pl.int_range(pl.len()).over("country", "brand") + 1).cast(pl.String).str.zfill(2),
        )
    )
    if outlets["dealer_id"].n_unique() != outlets.height:
        raise ValueError("outlet ids are not unique: brands share their first three letters")
    country_index = {c: i for i, c in enumerate(countries)}
    lookup: dict[tuple[int, int, int], tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
    for (b, country, channel), part in outlets.with_row_index("i").group_by(
        "brand_row", "country", "channel", maintain_order=True
    ):
        key = (int(str(b)), country_index[str(country)], CHANNEL_CODES[str(channel)])
        sizes = part["size"].to_numpy()
        lookup[key] = (part["i"].to_numpy().astype(np.int64), sizes / sizes.sum())
    columns = [
        "dealer_id",
        "dealer_name",
        "dealer_group",
        "brand",
        "country",
        "channel",
        "size",
        "customers",
    ]
    return Network(outlets.select(*columns, *centred), lookup)


def assign(
    network: Network,
    rng: np.random.Generator,
    brand: npt.NDArray[np.int64],
    country: npt.NDArray[np.int64],
    channel: npt.NDArray[np.object_],
    wave_position: npt.NDArray[np.float64],
) -> OutletDraw:
    """Each respondent's outlet (by brand, country and channel; by outlet size) and its effects.

    Args:
        network: from :func:`build_network`.
        rng: the chunk's outlet generator.
        brand, country: row numbers into the catalogue's brands and countries.
        channel: sales channel codes ("" where none); only channels with outlets get one.
        wave_position: from -0.5 (first wave) to +0.5 (last wave), for the outlet's trend.
    """
    n = len(brand)
    codes = np.full(n, -1, dtype=np.int64)
    for name, code in CHANNEL_CODES.items():
        codes[channel == name] = code
    outlet = np.full(n, -1, dtype=np.int64)
    key = (brand * 1000 + country) * 10 + codes
    has = codes >= 0
    order = np.flatnonzero(has)[np.argsort(key[has], kind="stable")]
    keys, starts = np.unique(key[order], return_index=True)
    for k, lo, hi in zip(keys, starts, [*starts[1:], len(order)], strict=True):
        found = network.lookup.get((int(k) // 10000, int(k) // 10 % 1000, int(k) % 10))
        if found is None:
            continue
        members, p = found
        outlet[order[lo:hi]] = members[rng.choice(len(members), size=hi - lo, p=p)]
    table = network.outlets
    take = np.where(outlet >= 0, outlet, 0)
    known = outlet >= 0

    def column(name: str) -> pl.Series:
        values = table[name].gather(take)
        return (
            values.to_frame()
            .select(pl.when(pl.Series(known)).then(pl.col(name)).otherwise(None))
            .to_series()
        )

    def numbers(name: str) -> npt.NDArray[np.float64]:
        return np.where(known, table[name].to_numpy()[take], 0.0)

    common = numbers("effect") + numbers("trend") * wave_position
    stage_shift = {s: common + numbers(f"stage_{s}") for s in OUTLET_ITEMS}
    return OutletDraw(
        dealer_id=column("dealer_id"),
        dealer_name=column("dealer_name"),
        dealer_group=column("dealer_group"),
        stage_shift=stage_shift,
        nps_shift=NPS_DIRECT * common,
    )
