"""The reports of the dashboard, in page order: the one list of pages.

``app.py``'s navigation, the command line (``export --page`` choices), the benchmark, the
AppTest smoke test, the browser test and the load test all loop over :data:`REPORTS`. Adding a
report is one module in this package plus one line below.
"""

from __future__ import annotations

from typing import Any

from cx.core.i18n import N_, _
from cx.reports import (
    brands,
    changes,
    channels,
    countries,
    dealers,
    industries,
    journey,
    market,
    overview,
    programme,
    revenue,
    voice,
)
from cx.reports.base import Report

REPORTS: tuple[Report[Any], ...] = (
    overview.REPORT,
    changes.REPORT,
    industries.REPORT,
    brands.REPORT,
    countries.REPORT,
    journey.REPORT,
    market.REPORT,
    voice.REPORT,
    channels.REPORT,
    dealers.REPORT,
    programme.REPORT,
    revenue.REPORT,
)

#: Reports by key.
BY_KEY: dict[str, Report[Any]] = {r.key: r for r in REPORTS}

#: The pages, or parts of pages, that compare brands (key -> the part, a whole message in which
#: ``{page}`` is the page's title; "" for the whole page): an upload without a brand column has
#: nothing to show there.
BRAND_PARTS: dict[str, str] = {
    "brands": "",
    "journey": N_("{page}'s brand grid"),
    "dealers": N_("{page}' rankings within a brand"),
}


def brand_pages() -> list[str]:
    """:data:`BRAND_PARTS` in words, in the current language: "Brands", "Customer journey's
    brand grid", ..."""
    out = []
    for key, part in BRAND_PARTS.items():
        title = _(BY_KEY[key].title)
        out.append(_(part).format(page=title) if part else title)
    return out
