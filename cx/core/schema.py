"""Canonical names shared by the generator, the query layer, the CLI and the pages.

Everything a user can choose as a grouping dimension or filter is listed here; SQL never
receives an identifier that is not in one of these whitelists.

Labels are English and marked for the catalogs (``N_``): show them through
:func:`cx.core.display.name` (``name("item", key)``, ``stage_label``, ``group_label``,
``filter_label``), which translates them.
"""

from __future__ import annotations

from typing import Final

from cx.core.i18n import N_

#: The 8 customer-journey stages of the Capgemini 2024 automotive CX framework, in journey order.
STAGES: Final[tuple[str, ...]] = (
    "awareness",
    "research",
    "shop",
    "purchase",
    "receive",
    "use",
    "maintain",
    "recommend",
)

#: Human labels for the stages (the framework's wording).
STAGE_LABELS: Final[dict[str, str]] = {
    "awareness": N_("Awareness"),
    "research": N_("Research"),
    "shop": N_("Shop"),
    "purchase": N_("Purchase"),
    "receive": N_("Receive (delivery)"),
    "use": N_("Use"),
    "maintain": N_("Maintain (after-sales)"),
    "recommend": N_("Recommend"),
}

#: Extra satisfaction items measured on the same 1-5 scale (automotive only).
EXTRA_ITEMS: Final[tuple[str, ...]] = ("price_transparency",)

#: All 1-5 satisfaction items that the stage summary covers.
SATISFACTION_ITEMS: Final[tuple[str, ...]] = STAGES + EXTRA_ITEMS

ITEM_LABELS: Final[dict[str, str]] = {
    **STAGE_LABELS,
    "price_transparency": N_("Price transparency"),
}

#: The items an outlet (dealer, agency outlet, direct store) delivers itself; awareness,
#: research and use are the brand's and the product's.
OUTLET_ITEMS: Final[tuple[str, ...]] = (
    "shop",
    "purchase",
    "receive",
    "maintain",
    "price_transparency",
)

CHANNELS: Final[tuple[str, ...]] = ("dealer", "direct", "agency", "mobility")
SALES_MODELS: Final[tuple[str, ...]] = ("dealer", "direct", "agency", "hybrid", "mobility")
SEGMENTS: Final[tuple[str, ...]] = ("mass", "premium")
OWNERSHIP: Final[tuple[str, ...]] = ("owner", "user")
POWERTRAINS: Final[tuple[str, ...]] = ("BEV", "PHEV", "ICE")

#: Switching intent answer codes, in order of urgency, with labels.
SWITCH_INTENTS: Final[dict[str, str]] = {
    "within_6m": N_("Within 6 months"),
    "6_18m": N_("In 6-18 months"),
    "later": N_("Later"),
    "no": N_("No intention"),
}

#: Dimensions a user may group by (key) with their display label. The SQL files map these
#: keys to columns with a `case` expression, so the key is bound as a parameter, never spliced.
GROUP_DIMENSIONS: Final[dict[str, str]] = {
    "industry": N_("Industry"),
    "brand": N_("Brand"),
    "country": N_("Country"),
    "wave": N_("Wave"),
    "channel": N_("Sales channel"),
    "segment": N_("Segment"),
    "ownership": N_("Ownership"),
    "powertrain": N_("Powertrain"),
    "sales_model": N_("Sales model"),
    "region": N_("Region"),
    "dealer": N_("Dealer (outlet)"),
    "dealer_group": N_("Dealer group"),
}

#: Grouping dimensions read from the dealer cells (one row per outlet), not the NPS cells.
DEALER_DIMENSIONS: Final[tuple[str, ...]] = ("dealer", "dealer_group")

#: Filters of the global sidebar, in display order, with labels.
FILTER_DIMENSIONS: Final[dict[str, str]] = {
    "waves": N_("Waves"),
    "countries": N_("Countries"),
    "industries": N_("Industries"),
    "channels": N_("Sales channels"),
    "segments": N_("Segments"),
}

#: Columns of the `respondents` table, in order, with their DuckDB types.
RESPONDENT_COLUMNS: Final[dict[str, str]] = {
    "respondent_id": "varchar",
    "dataset": "varchar",
    "wave": "varchar",
    "country": "varchar",
    "industry": "varchar",
    "brand": "varchar",
    "segment": "varchar",
    "channel": "varchar",
    "ownership": "varchar",
    "powertrain": "varchar",
    "nps_score": "tinyint",
    "weight": "double",
    "switch_intent": "varchar",
    **dict.fromkeys(SATISFACTION_ITEMS, "tinyint"),
    # the outlet (dealer, agency outlet or direct store) the answer is about, and its group
    "dealer_id": "varchar",
    "dealer_name": "varchar",
    "dealer_group": "varchar",
}

DEMO_DATASET: Final[str] = "demo"
#: The industry of uploads without an industry column (a placeholder, never a finding).
NO_INDUSTRY: Final[str] = "All respondents"
#: The industry the automotive pages and the car-brand revenue model read by default.
AUTOMAKERS: Final[str] = "Automakers"

#: Answers that mean no answer (compared lower-cased, after trimming).
NOT_ANSWERED = {"", "na", "n/a", "n.a.", "-", "don't know", "dont know", "not applicable", "none"}
