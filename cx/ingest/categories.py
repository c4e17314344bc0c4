"""Answers of categorical fields to their codes: recognised wordings, then the person's map.

Each categorical field (switching intent, channel, ownership, segment, powertrain, country)
has codes (:data:`CODES`). An answer is read by, in order: the person's answer-value map
(the upload step's table, ``--map-values`` on the command line), then the wordings
recognised here in English, German, Chinese and Russian. What neither reads is *left empty*
for switching intent and country (their codes are what the pages count) and counted in the
report; the other fields keep it as written (lower-cased for the channel), since any value is
a valid group there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from cx.core.i18n import N_
from cx.core.schema import CHANNELS, OWNERSHIP, POWERTRAINS, SEGMENTS, SWITCH_INTENTS
from cx.ingest.values import country_code

#: Codes per categorical field; country codes are ISO 3166 alpha-2 (any).
CODES: dict[str, tuple[str, ...]] = {
    "switch_intent": tuple(SWITCH_INTENTS),
    "channel": CHANNELS,
    "ownership": OWNERSHIP,
    "segment": SEGMENTS,
    "powertrain": POWERTRAINS,
    "country": (),
    "brand": (),
}
#: Fields whose answers are read as any text the person gives (a country's name or code, a
#: brand's name: "VW" read as "Volkswagen"), not one of a list of codes.
FREE_TEXT = ("country", "brand")
#: Fields whose unread answers are left empty (and counted); others keep them as written.
STRICT = ("switch_intent", "country")

NEGATIVE = (
    r"^(no\b|none\b|never\b|not (at all|planning|intending|considering)|no intention|"
    r"i (do not|don't|won't|will not)|nein\b|nie\b|keine? (absicht|wechsel|pläne)|"
    r"нет\b|не (планирую|собираюсь|намерен)|никогда|没有|不会|不打算|否|无此打算)"
)
#: A number of months or years: "6 months", "6-18 Monaten", "18个月", "2 года".
_SPAN = re.compile(
    r"(\d+)(?:\s*(?:-|–|to|and|bis|und|до|至|到|~)\s*(\d+))?\s*"
    r"(months?|monat\w*|mo\b|месяц\w*|мес\b|个月|月|years?|jahr\w*|год\w*|лет|年)"
)
WITHIN = r"within|in the next|next|less than|under|fewer than|up to|innerhalb|binnen|in den nächsten|weniger als|в течение|ближайш|менее|内|以内"
LATER = (
    r"more than|over|after|beyond|später als|mehr als|nach|более|больше|после|позже|以上|以后|之后"
)
SOON_WORDS = r"^(soon|as soon as possible|immediately|bald|sofort|скоро|马上|尽快)\b"
LATER_WORDS = r"^(later|some ?day|eventually|später|irgendwann|позже|когда-нибудь|以后|将来)\b"


def switch_code(text: str) -> str | None:
    """The switching-intent code of an answer ("Within the next 6 months" -> ``within_6m``),
    or None when the wording does not say which period it means."""
    t = " ".join(text.lower().split())
    if t in SWITCH_INTENTS:
        return t
    if re.search(NEGATIVE, t):
        return "no"
    if re.search(SOON_WORDS, t):
        return "within_6m"
    if re.search(LATER_WORDS, t):
        return "later"
    found = _SPAN.search(t)
    if found is None:
        return None
    low = int(found.group(1))
    high = int(found.group(2)) if found.group(2) else low
    unit = 12 if re.match(r"years?|jahr|год|лет|年", found.group(3)) else 1
    low, high = low * unit, high * unit
    before = t[: found.start()]
    after = t[found.end() :]
    if re.search(LATER, before) or re.search(r"^\s*(以上|以后|之后)", after):
        return "later" if low >= 18 else None
    if re.search(WITHIN, before) or re.search(r"^\s*(内|以内)", after):
        return "within_6m" if high <= 6 else None
    if found.group(2):  # a range: "6-18 months", "in 6 to 12 months"
        if low >= 6 and high <= 18:
            return "6_18m"
        if low >= 18:
            return "later"
        return "within_6m" if high <= 6 else None
    if high <= 6:
        return "within_6m"
    return "later" if low > 18 else "6_18m" if low > 6 else None


#: (pattern, code) per field, first match wins; English, German, Chinese, Russian.
PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "channel": (
        (r"agen(t|cy|tur)|代理|агент", "agency"),
        (r"dealer|retailer|showroom|franchise|händler|autohaus|经销商|4s|дилер|салон", "dealer"),
        (
            r"direct|brand('s)? (website|store|app)|online|manufacturer|oem|direkt|hersteller|"
            r"官网|直营|直销|напрямую|производител",
            "direct",
        ),
        (
            r"mobility|subscription|car[- ]?shar|rental|ride|abo|miet|订阅|租|аренд|подписк",
            "mobility",
        ),
    ),
    "ownership": (
        (
            r"company car|fleet|leas|\buser\b|driver|nutzer|fahrer|dienstwagen|使用者|用户|"
            r"пользовател|водител|служебн",
            "user",
        ),
        (
            r"\bown(er|ed)?\b|private|eigentümer|besitzer|halter|privat|车主|自有|владел|собственн|личн",
            "owner",
        ),
    ),
    "segment": (
        (r"^(mass|volume|mainstream|massen|大众|主流|массов)", "mass"),
        (r"^(premium|luxury|luxus|豪华|高端|премиум|люкс)", "premium"),
    ),
    "powertrain": (
        (r"plug-?in|phev|插电|подключаем", "PHEV"),
        (r"^(bev|ev|electric|battery|elektro|纯电|电动|электро)", "BEV"),
        (
            r"^(ice|petrol|gasoline|diesel|combustion|benzin|verbrenner|燃油|汽油|柴油|бензин|дизель|двс)",
            "ICE",
        ),
    ),
}


def _pattern_code(field: str) -> Callable[[str], str | None]:
    def read(text: str) -> str | None:
        t = " ".join(text.lower().split())
        codes = CODES[field]
        exact = {c.lower(): c for c in codes}
        if t in exact:
            return exact[t]
        return next((code for pattern, code in PATTERNS[field] if re.search(pattern, t)), None)

    return read


#: How each categorical field reads an answer by itself.
READERS: dict[str, Callable[[str], str | None]] = {
    "switch_intent": switch_code,
    "country": country_code,
    "brand": lambda _answer: None,  # a brand is its name: as written, unless mapped
    **{field: _pattern_code(field) for field in PATTERNS},
}


def code_of(
    field: str, answer: str, chosen: Mapping[str, str] | None = None, repurchase: bool = False
) -> str | None:
    """The code of one answer: the person's choice (an empty choice: no value), else the
    recognised wording, else None.

    ``repurchase``: the column asks whether people will buy the same brand again (see
    :func:`cx.ingest.mapping.asks_repurchase`), the opposite of switching; no answer of it is
    read as switching intent by itself ("No" there is not "no intention", and there is no
    code for switching without a horizon), only as the person maps it.
    """
    if chosen and answer in chosen:
        return chosen[answer] or None
    if repurchase and field == "switch_intent":
        return None
    return READERS[field](answer)


def check_codes(field: str, chosen: Mapping[str, str]) -> None:
    """Raise ValueError when a chosen code is not one of the field's codes."""
    if field not in CODES:
        raise ValueError(f"answer values can be mapped for {', '.join(CODES)}; not for '{field}'")
    for answer, code in chosen.items():
        if not code or (code == answer and field not in STRICT):  # empty, or as written
            continue
        if field == "country":
            if country_code(code) is None:
                raise ValueError(f"{field}: '{answer}' maps to '{code}', which is not a country")
        elif field in FREE_TEXT:
            continue
        elif code not in CODES[field]:
            raise ValueError(
                f"{field}: '{answer}' maps to '{code}'; one of: {', '.join(CODES[field])}"
            )


def merged_spellings(counts: Iterable[tuple[str, int]]) -> dict[str, str]:
    """Answers (with their row counts) that differ from another only in case, spacing, hyphens
    or accents ("Skoda", "Škoda"), each mapped to the most common spelling of them (ties: the one with capitals,
    then the first in order); answers with no such twin are left out."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for answer, n in counts:
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", answer) if not unicodedata.combining(c)
        )
        key = " ".join(re.sub(r"[-_‐–]+", " ", plain).split()).casefold()
        groups.setdefault(key, []).append((answer, n))
    out: dict[str, str] = {}
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        best = min(spellings, key=lambda s: (-s[1], s[0] == s[0].lower(), s[0]))[0]
        out.update({answer: best for answer, _n in spellings if answer != best})
    return out


#: What the answer-value table offers besides the codes: leave the field empty, or (for a
#: field that keeps unread answers) keep the answer as written.
LEAVE_EMPTY = N_("(leave empty)")
AS_WRITTEN = N_("(as written)")


def reading(
    field: str, answer: str, chosen: Mapping[str, str] | None = None, repurchase: bool = False
) -> str:
    """How an answer is read, as the answer-value table shows it: a code, or
    :data:`LEAVE_EMPTY` / :data:`AS_WRITTEN` (``repurchase``: see :func:`code_of`)."""
    code = code_of(field, answer, chosen, repurchase)
    if code is not None:
        return code
    if chosen and answer in chosen:
        return LEAVE_EMPTY
    return LEAVE_EMPTY if field in STRICT else AS_WRITTEN


def choices_from_table(
    field: str,
    answers: list[str],
    read_as: list[str],
    repurchase: bool = False,
    defaults: list[str] | None = None,
) -> dict[str, str]:
    """The answer-value map a table of answers and readings says: only the answers read
    otherwise than they would be by themselves (an empty code: leave the field empty).
    ``defaults``: how each answer is read by itself where that depends on the others (a
    brand's spellings merged, :func:`merged_spellings`), else :func:`reading`."""
    out: dict[str, str] = {}
    for i, (answer, shown) in enumerate(zip(answers, read_as, strict=True)):
        by_itself = defaults[i] if defaults else reading(field, answer, repurchase=repurchase)
        if shown == by_itself:
            continue
        if shown == AS_WRITTEN:
            out[answer] = answer
        else:
            out[answer] = "" if shown in (LEAVE_EMPTY, None) else str(shown)
    return out
