"""The global selection (dataset and filters): validation, query parameters and URL form."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cx.core import display, i18n
from cx.core.display import clip
from cx.core.i18n import N_, _
from cx.core.schema import DEMO_DATASET

#: Filter keys in URL/display order; every one is a list of allowed values (empty = all).
FILTER_KEYS: tuple[str, ...] = (
    "waves",
    "countries",
    "industries",
    "channels",
    "segments",
    "sales_models",
    "powertrains",
)

MAX_URL_VALUE = 2_000

#: Filters as a sentence names them (lower case: "waves: 2024Q1, 2024Q2").
FILTER_WORDS: dict[str, str] = {
    "waves": N_("waves"),
    "countries": N_("countries"),
    "industries": N_("industries"),
    "channels": N_("channels"),
    "segments": N_("segments"),
    "sales_models": N_("sales models"),
    "powertrains": N_("powertrains"),
}


@dataclass(frozen=True)
class Selection:
    """What the user has selected. Empty tuples mean "all values" of that dimension."""

    dataset: str = DEMO_DATASET
    waves: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    sales_models: tuple[str, ...] = ()
    powertrains: tuple[str, ...] = ()

    def params(self, **more: Any) -> dict[str, Any]:
        """Named query parameters: lists for active filters, None for "all"."""
        out: dict[str, Any] = {"dataset": self.dataset}
        for key in FILTER_KEYS:
            values = getattr(self, key)
            out[key] = list(values) if values else None
        out.update(more)
        return out

    def with_filter(self, key: str, values: Sequence[str]) -> Selection:
        """A copy with one filter replaced (key must be one of ``FILTER_KEYS``)."""
        if key not in FILTER_KEYS:
            raise KeyError(key)
        changes: dict[str, Any] = {key: tuple(values)}
        return replace(self, **changes)

    def describe(self) -> str:
        """One line naming the active filters, for subtitles and exports."""
        english = i18n.language() == i18n.DEFAULT
        separator = "、" if i18n.language() == "zh" else ", "
        parts = [
            _("{filter}: {values}").format(
                filter=_(FILTER_WORDS[k]),
                values=separator.join(
                    getattr(self, k) if english else display.names(k, getattr(self, k))
                ),
            )
            for k in FILTER_KEYS
            if getattr(self, k)
        ]
        return "; ".join(parts) if parts else _("all respondents")

    def to_query_params(self) -> dict[str, str]:
        """URL form: one comma-separated value per active filter, plus the dataset."""
        out = {"dataset": self.dataset} if self.dataset != DEMO_DATASET else {}
        for key in FILTER_KEYS:
            values = getattr(self, key)
            if values:
                out[key] = ",".join(values)
        return out


def from_query_params(
    query: Mapping[str, str | Sequence[str]],
    options: Mapping[str, Sequence[str]],
    datasets: Sequence[str],
    also_allowed: Collection[str] = (),
) -> tuple[Selection, list[str]]:
    """Parse URL parameters into a Selection, ignoring what is not valid.

    Args:
        query: URL query parameters (``st.query_params`` or a dict).
        options: allowed values per filter key for the chosen dataset.
        datasets: dataset names that exist.
        also_allowed: other parameter names that are understood (page choices, options).

    Returns:
        (selection, notices): one human notice per ignored parameter or value; never raises.
    """
    notices: list[str] = []
    dataset = _first(query.get("dataset")) or DEMO_DATASET
    if dataset not in datasets:
        notices.append(
            _("Unknown dataset '{name}' in the link was ignored.").format(name=clip(dataset, 40))
        )
        dataset = (
            DEMO_DATASET
            if DEMO_DATASET in datasets
            else (datasets[0] if datasets else DEMO_DATASET)
        )
    values: dict[str, Any] = {}
    for key in FILTER_KEYS:
        raw = _first(query.get(key))
        if not raw:
            continue
        wanted = [v.strip() for v in raw[:MAX_URL_VALUE].split(",") if v.strip()]
        good, bad = match(wanted, options.get(key, ()), functools.partial(display.name, key))
        if bad:
            notices.append(
                _("Ignored unknown {filter} in the link: {values}").format(
                    filter=_(FILTER_WORDS[key]),
                    values=", ".join(clip(b, 40) for b in bad[:5]) + ("…" if len(bad) > 5 else ""),
                )
            )
        if good:
            values[key] = good
    unknown = [k for k in query if k not in (*FILTER_KEYS, "dataset", *also_allowed)]
    if unknown:
        notices.append(
            _("Ignored unknown link parameters: {names}").format(
                names=", ".join(clip(k, 40) for k in unknown[:5])
            )
        )
    return Selection(dataset=dataset, **values), notices


def match(
    values: Iterable[str], options: Sequence[str], name: Callable[[str], str] = str
) -> tuple[tuple[str, ...], list[str]]:
    """Link values as options: an option's code, else its code or display name in any case
    (a link may say ``Dealer`` where the option is ``dealer``).

    Returns:
        (matched, unknown): the options matched, in link order and once each, and the values
        that match no option.
    """
    exact = set(options)
    folded: dict[str, str] = {}
    for code in options:  # codes first: a display name never hides another option's code
        folded.setdefault(code.casefold(), code)
    for code in options:
        folded.setdefault(name(code).casefold(), code)
    if i18n.language() != i18n.DEFAULT:  # a link shared from an English session still works
        with i18n.use(i18n.DEFAULT):
            for code in options:
                folded.setdefault(name(code).casefold(), code)
    matched: list[str] = []
    unknown: list[str] = []
    for value in values:
        found = value if value in exact else folded.get(value.strip().casefold())
        if found is None:
            unknown.append(value)
        else:
            matched.append(found)
    return tuple(dict.fromkeys(matched)), unknown


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value[0] if value else None
