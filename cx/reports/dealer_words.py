"""The words of the dealer charts' footnotes and marks: the outlets a league leaves out, the
brands' spread of outlet NPS, why an outlet's stages were not tested."""

from __future__ import annotations

import polars as pl

from cx.core import i18n
from cx.core.i18n import _


def gap_words(hidden: pl.DataFrame) -> str:
    """The mark of the outlets a league leaves out, with those of them significantly above or
    below the rest of their brand (the title counted one above, ranked 29th, inside "⋯ 31 more
    outlets ⋯", and no bar drawn was coloured above)."""
    flagged = hidden.filter(pl.col("significant").fill_null(False))
    above = int((flagged["gap"] > 0).sum())
    below = int((flagged["gap"] < 0).sum())
    if not above and not below:
        return _("⋯ {n} more outlets ⋯").format(n=hidden.height)
    return _("⋯ {n} more outlets: {above} significantly above, {below} below ⋯").format(
        n=hidden.height, above=above, below=below
    )


def spread(league: pl.DataFrame) -> str:
    """The brands' between-outlet SDs in words ("0.0-23.6 points", or one value)."""
    ranked = league.filter(~pl.col("suppressed")) if league.height else league
    if "pool_alone" in ranked.columns:  # a brand's only outlet takes every outlet's spread
        ranked = ranked.filter(~pl.col("pool_alone"))
    taus = ranked["pool_tau"].drop_nulls() if "pool_tau" in ranked.columns else ranked["n"].clear()
    if taus.is_empty():
        return _("no spread to estimate")
    low, high = float(taus.min()), float(taus.max())  # type: ignore[arg-type]
    lo, hi = i18n.number(low, 1), i18n.number(high, 1)
    if lo == hi:
        return _("{value} points").format(value=lo)
    return _("{low}-{high} points").format(low=lo, high=hi)


def alone_spread(league: pl.DataFrame) -> str | None:
    """The between-outlet SD a brand's only outlet is shrunk with (every outlet's), in words;
    None when no ranked outlet is its brand's only one. Sweden's league said "SD by brand 0.0
    points" over an outlet moved from +21 to +13: it was its brand's only outlet, shrunk with
    every outlet's spread of 21.5 points, which the subtitle did not give."""
    if "pool_alone" not in league.columns or not league.height:
        return None
    alone = league.filter(~pl.col("suppressed") & pl.col("pool_alone"))["pool_tau"].drop_nulls()
    if alone.is_empty():
        return None
    return _("{value} points").format(value=i18n.number(float(alone[0]), 1))


def untested_reason(stages: pl.DataFrame, name: str, brand: str) -> str:
    """Why no stage of an outlet was tested against the rest of its brand: the outlet's own
    answers too few at every stage, or the rest's (an outlet of 26 answers was "too few answers
    from the rest of Brenner", of some 1,500)."""
    if bool(stages["suppressed"].all()):
        return _("no stage tested: too few answers from {outlet}").format(outlet=name)
    if bool(stages["rest_suppressed"].all()):
        return _("no stage tested: too few answers from the rest of {brand}").format(brand=brand)
    return _("no stage tested: too few answers from {outlet} or the rest of {brand}").format(
        outlet=name, brand=brand
    )
