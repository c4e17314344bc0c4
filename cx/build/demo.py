"""Deterministic generator of the synthetic demo survey, calibrated to published figures.

The demo is *synthetic microdata with fictional brands*. Its calibration targets, each with the
published figure it follows, are listed in ``data/README.md`` and checked by
``tests/queries/test_demo.py``.

How a respondent is made (all draws from ``numpy.random.default_rng([seed, chunk])``):

1. industry (fixed shares, automotive-heavy), country (equal quota), wave (uniform), brand
   (popularity within the industry, three times as likely in its home country), channel (the
   brand's sales model; hybrid brands sell half direct, half through dealers), ownership and
   powertrain (brand's BEV/PHEV shares); automakers' customers get an outlet (dealer, agency
   outlet or direct store) of their brand, country and channel (:mod:`cx.build.demo_outlets`, its
   own generator);
2. a latent satisfaction per journey stage: stage baseline + brand quality and trend + sales
   channel effect (direct and agency ahead in purchase and price transparency) + the country's
   response style (Japan low, Brazil high) + the outlet's effect on the stages it delivers
   (zero on average within the brand) + a common respondent factor + noise; the 1-5 score is
   the latent cut at fixed thresholds;
3. a latent likelihood to recommend driven by the stage latents (use and after-sales weigh most),
   mapped to 0-10 by weighted quantiles *within the industry* so that each industry's weighted
   score distribution has the target NPS exactly (thresholds come from the first chunk);
4. switching intent from the NPS category; automotive customers dissatisfied with after-sales
   (1-2 of 5) intend to switch within 18 months with probability 0.57 (Capgemini 2024).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from cx.build import demo_outlets
from cx.core.paths import DATA_DIR
from cx.core.schema import DEMO_DATASET, RESPONDENT_COLUMNS, STAGES

WAVES: tuple[str, ...] = tuple(f"{y}Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4))

#: Share of respondents per industry (the demo is automotive-centred).
INDUSTRY_SHARES: dict[str, float] = {
    "Automakers": 0.40,
    "Car dealers": 0.08,
    "Mobility-as-a-Service": 0.07,
}
OTHER_INDUSTRY_SHARE = 0.045  # each of the 10 other industries

#: Latent response-style shift per country (SD units). Japan answers lowest, Brazil and India
#: highest: the well-documented pattern of country response styles in satisfaction surveys.
COUNTRY_STYLE: dict[str, float] = {
    "US": 0.08,
    "CA": 0.03,
    "BR": 0.22,
    "GB": -0.03,
    "DE": -0.08,
    "FR": -0.11,
    "IT": 0.00,
    "SE": -0.06,
    "CN": 0.14,
    "JP": -0.25,
    "IN": 0.19,
}

#: Population share per country used to weight the equal-quota sample (survey weights).
COUNTRY_POPULATION_SHARE: dict[str, float] = {
    "US": 0.16,
    "CA": 0.04,
    "BR": 0.08,
    "GB": 0.06,
    "DE": 0.07,
    "FR": 0.06,
    "IT": 0.05,
    "SE": 0.02,
    "CN": 0.24,
    "JP": 0.08,
    "IN": 0.14,
}

#: Stage baselines (latent SD units): after-sales (maintain) is the weakest automotive stage.
STAGE_BASE_AUTOMOTIVE: dict[str, float] = {
    "awareness": 0.35,
    "research": 0.20,
    "shop": 0.00,
    "purchase": -0.10,
    "receive": 0.15,
    "use": 0.40,
    "maintain": -0.45,
    "recommend": 0.05,
    "price_transparency": -0.25,
}
STAGE_BASE_OTHER: dict[str, float] = {
    "awareness": 0.35,
    "research": 0.25,
    "shop": 0.20,
    "purchase": 0.25,
    "receive": 0.15,
    "use": 0.30,
    "maintain": -0.05,
    "recommend": 0.10,
    "price_transparency": 0.0,
}

#: Effect of the sales channel on stage latents: direct sales and agency (fixed prices) lead in
#: purchase and price transparency; direct trails slightly in delivery and after-sales (fewer
#: service points).
CHANNEL_EFFECT: dict[str, dict[str, float]] = {
    "direct": {
        "research": 0.10,
        "purchase": 0.45,
        "price_transparency": 0.70,
        "receive": -0.05,
        "maintain": -0.10,
    },
    "agency": {"purchase": 0.25, "price_transparency": 0.45},
    "dealer": {},
    "mobility": {"use": 0.15},
}

#: Weight of each stage latent in the latent likelihood to recommend.
NPS_BETA: dict[str, float] = {
    "awareness": 0.03,
    "research": 0.05,
    "shop": 0.08,
    "purchase": 0.14,
    "receive": 0.08,
    "use": 0.32,
    "maintain": 0.26,
    "recommend": 0.10,
}

STAGE_THRESHOLDS = np.array([-1.5, -0.8, 0.0, 1.0])
PASSIVE_SHARE = 0.30
AFTERSALES_SWITCH_18M = 0.57  # cg_aftersales_switch
ITEM_NONRESPONSE = 0.02
ITEMS: tuple[str, ...] = (*STAGES, "price_transparency")


@dataclass(frozen=True)
class Catalog:
    """Reference tables read from ``data/`` that the generator draws from."""

    brands: pl.DataFrame
    countries: pl.DataFrame
    industries: pl.DataFrame


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read brands, countries and industries from the CSV sources in ``data_dir``."""
    return Catalog(
        brands=pl.read_csv(data_dir / "brands.csv"),
        countries=pl.read_csv(data_dir / "countries.csv"),
        industries=pl.read_csv(data_dir / "industries.csv"),
    )


def target_score_distribution(nps_target: float) -> npt.NDArray[np.float64]:
    """Share of each score 0..10 for a target NPS with 30% passives (clipped where needed).

    Detractor shares rise towards 6, passives split 45/55 over 7/8, promoters 45/55 over 9/10.
    """
    t = nps_target / 100.0
    passives = min(PASSIVE_SHARE, 1.0 - abs(t))
    promoters = (1.0 - passives + t) / 2.0
    detractors = 1.0 - passives - promoters
    det_shape = np.array([1.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0])
    dist = np.concatenate(
        [
            detractors * det_shape / det_shape.sum(),
            passives * np.array([0.45, 0.55]),
            promoters * np.array([0.45, 0.55]),
        ]
    )
    return np.asarray(dist, dtype=float)


def weighted_thresholds(
    latent: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], dist: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Latent cut points so that the weighted share of each score equals ``dist``.

    Returns 10 increasing thresholds; score = number of thresholds below the latent value.
    """
    order = np.argsort(latent, kind="stable")
    y = latent[order]
    w = weights[order]
    cum = (np.cumsum(w) - w / 2.0) / w.sum()
    targets = np.cumsum(dist)[:-1]
    return np.asarray(np.interp(targets, cum, y), dtype=float)


def _industry_probabilities(industries: list[str]) -> npt.NDArray[np.float64]:
    p = np.array([INDUSTRY_SHARES.get(i, OTHER_INDUSTRY_SHARE) for i in industries])
    return np.asarray(p / p.sum(), dtype=float)


def generate_chunk(
    catalog: Catalog, seed: int, chunk: int, n: int, start_id: int
) -> tuple[pl.DataFrame, npt.NDArray[np.float64]]:
    """Generate one chunk of respondents (without NPS score) and its NPS latent.

    Returns:
        (frame with every respondent column except ``nps_score`` and ``switch_intent``,
        latent likelihood-to-recommend per row).
    """
    rng = np.random.default_rng([seed, chunk])
    industries = catalog.industries["industry"].to_list()
    countries = catalog.countries["country"].to_list()
    brands = catalog.brands
    brand_names = brands["brand"].to_list()
    brand_model = brands["sales_model"].fill_null("").to_list()
    brand_quality = brands["demo_quality"].to_numpy().astype(float)
    popularity = brands["vehicles_per_year"].fill_null(1.0).to_numpy().astype(float)
    bev = brands["bev_share"].fill_null(0.0).to_numpy().astype(float)
    phev = brands["phev_share"].fill_null(0.0).to_numpy().astype(float)
    # brand trend over the 8 waves: deterministic per brand name, independent of the seed
    trend = np.array(
        [np.random.default_rng(sum(map(ord, b))).normal(0.0, 0.18) for b in brand_names]
    )

    ind = rng.choice(len(industries), size=n, p=_industry_probabilities(industries))
    cty = rng.integers(0, len(countries), size=n)
    wave = rng.integers(0, len(WAVES), size=n)
    brand = _draw_brands(rng, catalog, ind, cty, popularity)
    ind_name = np.array(industries)[ind]
    kinds = _Kinds(ind_name)
    channel, ownership, powertrain = _draw_profile(rng, kinds, brand_model, brand, bev, phev)
    network = demo_outlets.build_network(brands, countries, seed)
    outlets = demo_outlets.assign(
        network, np.random.default_rng([seed, chunk, 2]), brand, cty, channel, (wave - 3.5) / 7
    )

    style = np.array([COUNTRY_STYLE[c] for c in countries])[cty]
    quality = brand_quality[brand] + trend[brand] * (wave - 3.5) / 7.0
    common = rng.normal(0.0, 1.0, n)
    latents, scores = _stage_scores(
        rng, kinds, channel, ownership, powertrain, style + quality, common, outlets.stage_shift
    )

    y = sum(NPS_BETA[s] * latents[s] for s in STAGES)
    y = y + 0.25 * quality + np.where(ownership == "user", 0.2, 0.0) + rng.normal(0.0, 0.55, n)
    y = y + outlets.nps_shift

    # survey weights: population share / sample share, times a little design noise
    pop_share = np.array([COUNTRY_POPULATION_SHARE[c] for c in countries])
    base_w = (pop_share * len(countries))[cty] * rng.lognormal(0.0, 0.3, n)
    weight = base_w / base_w.mean()

    segment = np.array(brands["segment"].fill_null("").to_list(), dtype=object)[brand]
    segment = np.where(kinds.automaker, segment, "")

    frame = pl.DataFrame(
        {
            "respondent_id": pl.int_range(start_id, start_id + n, eager=True),
            "dataset": pl.repeat(DEMO_DATASET, n, eager=True),
            "wave": pl.Series(WAVES).gather(wave),
            "country": pl.Series(countries).gather(cty),
            "industry": pl.Series(ind_name.astype(str)),
            "brand": pl.Series(brand_names).gather(brand),
            "segment": pl.Series(segment.astype(str)),
            "channel": pl.Series(channel.astype(str)),
            "ownership": pl.Series(ownership.astype(str)),
            "powertrain": pl.Series(powertrain.astype(str)),
            "weight": weight,
            **{item: scores[item] for item in ITEMS},
            "dealer_id": outlets.dealer_id,
            "dealer_name": outlets.dealer_name,
            "dealer_group": outlets.dealer_group,
        }
    ).with_columns(
        pl.format("R{}", pl.col("respondent_id").cast(pl.String).str.zfill(9)).alias(
            "respondent_id"
        ),
        *[pl.col(c).replace("", None) for c in ("segment", "channel", "ownership", "powertrain")],
        *[pl.col(item).fill_nan(None).cast(pl.Int8) for item in ITEMS],
    )
    return frame, np.asarray(y, dtype=float)


@dataclass(frozen=True)
class _Kinds:
    """Which respondents belong to which part of the automotive sector."""

    industry: npt.NDArray[np.object_]

    @property
    def automaker(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.industry == "Automakers")

    @property
    def dealer_group(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.industry == "Car dealers")

    @property
    def maas(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.industry == "Mobility-as-a-Service")

    @property
    def auto_sector(self) -> npt.NDArray[np.bool_]:
        return self.automaker | self.dealer_group | self.maas


def _draw_brands(
    rng: np.random.Generator,
    catalog: Catalog,
    ind: npt.NDArray[np.int64],
    cty: npt.NDArray[np.int64],
    popularity: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """A brand per respondent within (industry, country): popularity, x3 in the home market."""
    industries = catalog.industries["industry"].to_list()
    countries = catalog.countries["country"].to_list()
    brand_industry = catalog.brands["industry"].to_list()
    brand_home = catalog.brands["home_country"].to_list()
    brand = np.empty(len(ind), dtype=np.int64)
    for i, industry in enumerate(industries):
        members = np.array([b for b, bi in enumerate(brand_industry) if bi == industry])
        for c, country in enumerate(countries):
            mask = (ind == i) & (cty == c)
            k = int(mask.sum())
            if k == 0:
                continue
            pop = popularity[members] * np.where(
                np.array([brand_home[b] for b in members]) == country, 3.0, 1.0
            )
            brand[mask] = members[rng.choice(len(members), size=k, p=pop / pop.sum())]
    return brand


def _draw_profile(
    rng: np.random.Generator,
    kinds: _Kinds,
    brand_model: list[str],
    brand: npt.NDArray[np.int64],
    bev: npt.NDArray[np.float64],
    phev: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    """Sales channel (from the brand's sales model), ownership and powertrain."""
    n = len(brand)
    model = np.array(brand_model, dtype=object)[brand]
    channel = np.where(model == "hybrid", np.where(rng.random(n) < 0.5, "direct", "dealer"), model)
    channel = np.where(kinds.auto_sector, channel, "")
    ownership = np.where(
        kinds.automaker,
        np.where(rng.random(n) < 0.8, "owner", "user"),
        np.where(kinds.dealer_group, "owner", np.where(kinds.maas, "user", "")),
    )
    r = rng.random(n)
    powertrain = np.where(
        r < bev[brand], "BEV", np.where(r < bev[brand] + phev[brand], "PHEV", "ICE")
    )
    dealer_r = rng.random(n)
    powertrain = np.where(
        kinds.dealer_group,
        np.where(dealer_r < 0.1, "BEV", np.where(dealer_r < 0.2, "PHEV", "ICE")),
        powertrain,
    )
    powertrain = np.where(kinds.automaker | kinds.dealer_group, powertrain, "")
    return channel, ownership, powertrain


def _stage_scores(
    rng: np.random.Generator,
    kinds: _Kinds,
    channel: npt.NDArray[Any],
    ownership: npt.NDArray[Any],
    powertrain: npt.NDArray[Any],
    shift: npt.NDArray[np.float64],
    common: npt.NDArray[np.float64],
    outlet_shift: dict[str, npt.NDArray[np.float64]],
) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, npt.NDArray[np.float64]]]:
    """Latent satisfaction per stage and its 1-5 score (NaN where not asked or not answered).

    ``shift`` is the respondent's country style plus brand quality and trend; ``outlet_shift``
    the effect of the respondent's outlet on the stages it delivers (:mod:`cx.build.demo_outlets`).
    """
    n = len(channel)
    is_bev = powertrain == "BEV"
    latents: dict[str, npt.NDArray[np.float64]] = {}
    scores: dict[str, npt.NDArray[np.float64]] = {}
    for item in ITEMS:
        base = np.where(kinds.auto_sector, STAGE_BASE_AUTOMOTIVE[item], STAGE_BASE_OTHER[item])
        effect = np.zeros(n)
        for ch, effects in CHANNEL_EFFECT.items():
            if item in effects:
                effect += np.where(channel == ch, effects[item], 0.0)
        if item == "maintain":
            effect += np.where(is_bev, -0.15, 0.0)  # J.D. Power: BEV owners rate service lower
        if item == "use":
            effect += np.where(is_bev, 0.10, 0.0)
        z = base + shift + effect + outlet_shift.get(item, 0.0) + 0.75 * common
        z = z + rng.normal(0.0, 0.65, n)
        latents[item] = z
        score = 1.0 + (z[:, None] > STAGE_THRESHOLDS[None, :]).sum(axis=1)
        missing = rng.random(n) < ITEM_NONRESPONSE
        if item in ("purchase",):
            missing |= (ownership == "user") & kinds.automaker
        if item in ("purchase", "receive", "maintain"):
            missing |= kinds.maas
        if item == "price_transparency":
            missing |= ~(kinds.automaker | kinds.dealer_group)
        scores[item] = np.where(missing, np.nan, score)
    return latents, scores


def industry_thresholds(
    catalog: Catalog, frame: pl.DataFrame, latent: npt.NDArray[np.float64]
) -> dict[str, npt.NDArray[np.float64]]:
    """Per-industry latent thresholds that give each industry its target weighted NPS."""
    targets = dict(
        zip(catalog.industries["industry"], catalog.industries["demo_nps_target"], strict=True)
    )
    industry = frame["industry"].to_numpy()
    weight = frame["weight"].to_numpy()
    out: dict[str, npt.NDArray[np.float64]] = {}
    for name, target in targets.items():
        mask = industry == name
        if mask.any():
            dist = target_score_distribution(float(target))
            out[name] = weighted_thresholds(latent[mask], weight[mask], dist)
    return out


def finish_chunk(
    frame: pl.DataFrame,
    latent: npt.NDArray[np.float64],
    thresholds: dict[str, npt.NDArray[np.float64]],
    seed: int,
    chunk: int,
) -> pl.DataFrame:
    """Map latents to 0-10 scores with the thresholds and draw switching intent."""
    rng = np.random.default_rng([seed, chunk, 1])
    industry = frame["industry"].to_numpy()
    nps = np.zeros(len(frame), dtype=np.int8)
    for name, cuts in thresholds.items():
        mask = industry == name
        nps[mask] = np.searchsorted(cuts, latent[mask], side="right")
    maintain = frame["maintain"].to_numpy(allow_copy=True).astype(float)
    aftersales_unhappy = np.isin(industry, ["Automakers", "Car dealers"]) & (maintain <= 2)
    p_switch = np.where(nps >= 9, 0.07, np.where(nps >= 7, 0.20, 0.42))
    p_switch = np.where(aftersales_unhappy, AFTERSALES_SWITCH_18M, p_switch)
    switch = rng.random(len(frame)) < p_switch
    soon = rng.random(len(frame)) < 0.4
    never = rng.random(len(frame)) < 0.65
    intent = np.where(switch, np.where(soon, "within_6m", "6_18m"), np.where(never, "no", "later"))
    return frame.with_columns(
        nps_score=pl.Series(nps, dtype=pl.Int8), switch_intent=pl.Series(intent)
    ).select(list(RESPONDENT_COLUMNS))


def generate(
    rows: int, seed: int = 42, chunk_rows: int = 1_000_000, catalog: Catalog | None = None
) -> Iterator[pl.DataFrame]:
    """Yield the demo respondents in chunks of at most ``chunk_rows`` rows.

    The first chunk fixes the NPS thresholds, so for ``rows <= chunk_rows`` every industry hits
    its target NPS exactly and larger runs hit it within sampling error.
    """
    if rows <= 0:
        raise ValueError("rows must be positive")
    cat = catalog or load_catalog()
    thresholds: dict[str, npt.NDArray[np.float64]] | None = None
    start = 0
    chunk = 0
    while start < rows:
        n = min(chunk_rows, rows - start)
        frame, latent = generate_chunk(cat, seed, chunk, n, start + 1)
        if thresholds is None:
            thresholds = industry_thresholds(cat, frame, latent)
        yield finish_chunk(frame, latent, thresholds, seed, chunk)
        start += n
        chunk += 1


FUNNEL_RATES: dict[str, tuple[float, float, float, float, float]] = {
    # lead->test drive, test drive->order, order->delivery, delivery->service retained, ->referral
    "dealer": (0.38, 0.27, 0.95, 0.68, 0.07),
    "direct": (0.22, 0.36, 0.97, 0.55, 0.11),
    "agency": (0.30, 0.31, 0.96, 0.63, 0.09),
}


def generate_funnel(seed: int = 42, catalog: Catalog | None = None) -> pl.DataFrame:
    """Monthly dealer-lifecycle funnel per automaker, channel and country (24 months).

    Stages follow the dealer-CRM blue book's lifecycle (lead capture, nurturing, conversion,
    retention, referral): leads, test drives, orders, deliveries, customers retained for
    service, referrals. Deliveries follow the brand's annual volume spread over the countries
    (home market x3); each stage is a binomial draw at the channel's conversion rate.
    """
    cat = catalog or load_catalog()
    rng = np.random.default_rng([seed, 99])
    months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
    countries = cat.countries["country"].to_list()
    rows: list[dict[str, object]] = []
    autos = cat.brands.filter(pl.col("industry") == "Automakers")
    for b in autos.iter_rows(named=True):
        channels = ["direct", "dealer"] if b["sales_model"] == "hybrid" else [b["sales_model"]]
        share = np.array([3.0 if c == b["home_country"] else 1.0 for c in countries])
        share = share / share.sum()
        for ch in channels:
            lt, to, od, ds, dr = FUNNEL_RATES[ch]
            for ci, country in enumerate(countries):
                monthly = b["vehicles_per_year"] * share[ci] / 12.0 / len(channels)
                for month in months:
                    expected_leads = monthly / (lt * to * od) * rng.lognormal(0.0, 0.1)
                    leads = int(rng.poisson(expected_leads))
                    tds = int(rng.binomial(leads, lt))
                    orders = int(rng.binomial(tds, to))
                    deliveries = int(rng.binomial(orders, od))
                    retained = int(rng.binomial(deliveries, ds))
                    referrals = int(rng.binomial(deliveries, dr))
                    rows.append(
                        {
                            "dataset": DEMO_DATASET,
                            "brand": b["brand"],
                            "channel": ch,
                            "country": country,
                            "month": month,
                            "leads": leads,
                            "test_drives": tds,
                            "orders": orders,
                            "deliveries": deliveries,
                            "service_retained": retained,
                            "referrals": referrals,
                        }
                    )
    return pl.DataFrame(rows)
