"""A page's choices from a link, checked against the options the page offers.

One place decides what happens to a link's pick value that is not one of the pick's options:
it is left out (the report falls back to its default) and the user gets one plain notice
naming the pick, never quoting the value. A value written as an option's display name or in
another case is taken as that option (:func:`cx.core.selection.match`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cx.core.i18n import _
from cx.core.selection import match
from cx.reports.base import Choice, Pick, Report


def unknown_notice(pick: Pick) -> str:
    """The notice for a link value that is not one of ``pick``'s options."""
    label = _(pick.label).strip()
    if len(pick.label.split()) <= 2:
        return _("Ignored an unknown {pick} in the link.").format(pick=label.lower())
    return _("Ignored an unknown value of “{pick}” in the link.").format(pick=label)


def check_picks(
    report: Report[Any], given: Mapping[str, Any], choices: Mapping[str, Choice]
) -> tuple[dict[str, Any], list[str]]:
    """The picks a link gave, as options of the resolved ``choices``.

    Args:
        report: the page's report.
        given: pick values as the link gave them (after ``Report.parse_picks``).
        choices: the report's resolved choices (their options are what the page offers).

    Returns:
        (kept, notices): ``given`` with each value replaced by the option it names; a pick
        whose value names no option is left out (a ``many`` pick keeps its known values, if
        any);
        one notice per pick with an unknown value. Number picks and picks without a resolved
        choice are kept as given (the report checks them).
    """
    kept = dict(given)
    notices: list[str] = []
    for pick in report.picks:
        choice = choices.get(pick.name)
        if pick.name not in given or pick.kind == "number" or not isinstance(choice, Choice):
            continue
        value = given[pick.name]
        values = [str(v) for v in value] if pick.kind == "many" else [str(value)]
        good, bad = match(values, choice.options, choice.label)
        if bad:
            notices.append(unknown_notice(pick))
        if good or (pick.kind == "many" and not bad):
            kept[pick.name] = good if pick.kind == "many" else good[0]
        else:
            del kept[pick.name]
    return kept, notices
