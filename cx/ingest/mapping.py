"""Step 2, mapping: canonical columns from header names, question wording and answers."""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from cx.core.schema import NOT_ANSWERED, SATISFACTION_ITEMS
from cx.ingest.model import CANONICAL, IngestError, RawSurvey
from cx.ingest.values import parse_nps, scale_values

#: Words for an outlet (dealer, agency outlet, direct store) in the languages of the survey
#: countries: English, German, French, Spanish, Italian, Portuguese, Chinese, Russian, Japanese.
OUTLET_WORDS = (
    r"dealer|dealership|outlet|store|retailer|händler|autohaus|concessionnaire|concession|"
    r"concesionario|concessionario|concessionária|concessionaria|经销商|门店|4s店|дилер|"
    r"дилерский центр|автосалон|ディーラー|販売店"
)
#: Outlet columns (before the channel and brand rules, whose wording they share: "bought
#: from"): the group first, then codes, then names; their answers must not be a 0-10 scale.
OUTLET_RULES: tuple[tuple[str, str], ...] = (
    (
        "dealer_group",
        r"(dealer|dealership|retail|motor|auto|händler|autohaus)[ _-]?group|händlergruppe|"
        r"groupe de concession|grupo (de )?concesionario|经销商集团|汽车集团|дилерская группа|"
        r"дилерский холдинг|which (dealer )?group",
    ),
    (
        "dealer_id",
        rf"^({OUTLET_WORDS})[ _-]?(id|code|no\.?|number|nr\.?|#|key|编号|代码|код|номер)$|"
        r"händlernummer|код дилера|номер дилера",
    ),
    (
        "dealer_name",
        rf"^({OUTLET_WORDS})$|(dealer|dealership|outlet|store|retailer) name|"
        r"name of (the |your )?(dealer|dealership|outlet|store|retailer)|"
        r"which (dealer|dealership|outlet|store|retailer)|"
        r"(selling|servicing|sales|service) (dealer|dealership|outlet)|"
        r"经销商名称|门店名称|название дилера|наименование дилера|händlername|"
        r"nom du concessionnaire",
    ),
)
OUTLET_FIELDS = tuple(name for name, _ in OUTLET_RULES)

#: (canonical, regex on the lowercased column name or question). First match wins per column,
#: and each canonical column takes the first matching source column (Qualtrics ids such as
#: ``Q3`` are matched through their question text).
_RULES: tuple[tuple[str, str], ...] = (
    (
        "respondent_id",
        r"^(responseid|response id|respondent|respondent id|respondent_id|respondentid|record id|_recordid|id)$",
    ),
    (
        "date",
        r"^(recordeddate|recorded date|enddate|end date|date|response date|submitted( at)?|submitdate|startdate|start date|timestamp)$",
    ),
    ("wave", r"^(wave|survey wave|period|quarter)$"),
    ("weight", r"^(weight|wt|weighting|weight factor|survey weight)$"),
    ("switch_intent", r"switch|change (to another|brand)|another brand"),
    (
        "nps_score",
        r"^(nps|nps_score|nps score|ltr|likelihood to recommend)$|how likely .*recommend|likely.*recommend",
    ),
    (
        "country",
        r"^(country|country code|country_code|iso country|market)$|which country|country (of|where)|in which country",
    ),
    *OUTLET_RULES,
    ("industry", r"^(industry|sector|category)$|which industry"),
    (
        "channel",
        r"^(channel|sales channel|sales_channel|purchase channel)$|how did you (buy|purchase)|where did you (buy|purchase)|bought (it )?(from|through|via)",
    ),
    (
        "brand",
        r"^(brand|make|manufacturer|company)$|which brand|brand (of|do you)|which (company|manufacturer|make)",
    ),
    ("segment", r"^(segment|vehicle segment)$"),
    ("ownership", r"^(ownership|owner or user|owner_user)$"),
    ("powertrain", r"^(powertrain|fuel type|drivetrain|engine type)$"),
    ("price_transparency", r"price transparen"),
    ("awareness", r"\bawareness\b|aware"),
    ("research", r"\bresearch|information (search|gathering)"),
    ("shop", r"\bshop\b|shopping|showroom|test drive|dealer visit"),
    ("purchase", r"\bpurchase\b|purchas|buying"),
    ("receive", r"\breceive\b|deliver|handover|hand-over|receiving"),
    ("use", r"^use\b|\buse satisf|usage|using the|driving experience|ownership experience"),
    ("maintain", r"\bmaintain\b|after-?sales|after sales|maintenance|servic|repair"),
    ("recommend", r"^recommend\b|referr|recommendation experience|satisf.*recommend"),
)


#: Header names that make a column the NPS score whatever its values (they are then validated
#: row by row); other matches must also have 0-10 answers.
STRONG_NPS_NAMES = r"nps|nps_score|nps score|ltr|likelihood to recommend"


def detect_mapping(raw: RawSurvey) -> dict[str, str]:
    """Map canonical columns to source columns from names, question wording and values.

    A column is the NPS score only if its answers are 0-10 (numbers or "10 - Extremely likely"
    labels); Qualtrics' derived ``*_NPS_GROUP`` columns are never taken as scores.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    columns = raw.frame.columns
    # exact canonical names first (files written by cxbench or prepared by hand)
    for col in columns:
        key = col.strip().lower()
        if key in CANONICAL and key not in mapping:
            mapping[key] = col
            taken.add(col)
    for col in columns:
        if col in taken or col.upper().endswith("_NPS_GROUP"):
            continue
        texts = question_texts(col, raw.questions.get(col, ""))
        for canonical, pattern in _RULES:
            if canonical in mapping:
                continue
            if not any(re.search(pattern, t) for t in texts if t):
                continue
            named = re.fullmatch(STRONG_NPS_NAMES, texts[0]) is not None
            if canonical == "nps_score" and not named and not _looks_like_nps(raw.frame[col]):
                continue
            if canonical in SATISFACTION_ITEMS and not _looks_like_scale(raw.frame[col]):
                continue
            if canonical in OUTLET_FIELDS and _looks_like_nps(raw.frame[col]):
                continue  # a 0-10 rating of the dealer, not the dealer itself
            mapping[canonical] = col
            taken.add(col)
            break
    if "date" in mapping and "wave" in mapping:
        mapping.pop("date")
    return mapping


def question_texts(column: str, question: str) -> list[str]:
    """What a column is matched on: its name, its question and, for a matrix question
    (Qualtrics ``"How satisfied ... - Use"``), the row label after the last " - " alone."""
    texts = [column.strip().lower(), question.strip().lower()]
    if " - " in question:
        texts.append(question.rsplit(" - ", 1)[1].strip().lower())
    return texts


#: Question wording or headers of open answers (English, German, Chinese, Russian).
COMMENT_WORDING = (
    r"anything else|why did you|why do you|reason for (your|the)? ?(score|rating)|comment|"
    r"feedback|suggest|tell us|improve|please (explain|specify|describe)|in your own words|"
    r"open answer|verbatim|kommentar|anmerkung|begründ|warum|sonstige|verbesser|anregung|"
    r"评论|意见|建议|原因|为什么|留言|комментар|отзыв|почему|пожелан|предложен|замечан"
)
#: Headers that are never comments: survey metadata and contact details (personal data,
#: which must not be stored as text); questions asking for contact details are not either.
NOT_COMMENT = (
    r"e-?mail|name|phone|address|\bip\b|latitude|longitude|external|recipient|date|time|"
    r"duration|progress|status|finished|language|distribution|^id$|_id$|\bid\b|nps_group"
)
CONTACT = r"e-?mail|your name|phone|address|contact details|telefon|电话|邮箱|телефон|почт"
#: Free text without wording: longer answers (mean characters), mostly distinct, with spaces.
MIN_MEAN_CHARS = 25
MIN_DISTINCT_SHARE = 0.6


def detect_comments(raw: RawSurvey, mapping: Mapping[str, str]) -> list[str]:
    """Columns of open answers: question wording that asks for one ("anything else you would
    like to tell us", "why did you give this score", "Kommentar", "意见", "комментарий") with
    text answers, or long free text with many distinct values. Mapped columns, survey
    metadata and contact details (e-mail, names, phone) are never comments.
    """
    taken = set(mapping.values())
    found = []
    for col in raw.frame.columns:
        if col in taken:
            continue
        header = col.strip().lower()
        question = raw.questions.get(col, "").strip().lower()
        if re.search(NOT_COMMENT, header) or re.search(CONTACT, question):
            continue
        sample = _answered(raw.frame[col].head(2000)).str.strip_chars()
        sample = sample.filter(sample != "")
        if sample.len() < 3:
            continue
        numeric = _share(sample.str.contains(r"^[\d\s.,:/+-]*$"))
        wordy = _share(sample.str.contains(r"\s|[\u3400-\u9fff]"))
        distinct = sample.n_unique() / sample.len()
        mean_chars = float(sample.str.len_chars().cast(pl.Float64).mean() or 0.0)  # type: ignore[arg-type]
        asked = any(re.search(COMMENT_WORDING, t) for t in (header, question) if t)
        if numeric > 0.2:
            continue
        if asked or (
            mean_chars >= MIN_MEAN_CHARS and distinct >= MIN_DISTINCT_SHARE and wordy >= 0.5
        ):
            found.append(col)
    return found


def _answered(series: pl.Series) -> pl.Series:
    return series.filter(~series.str.strip_chars().str.to_lowercase().is_in(list(NOT_ANSWERED)))


def _looks_like_nps(series: pl.Series) -> bool:
    sample = _answered(series.head(2000))
    if sample.is_empty():
        return False
    parsed = parse_nps(sample.to_frame("v"), "v")
    return _share(parsed.is_not_null()) >= 0.9


def _looks_like_scale(series: pl.Series) -> bool:
    sample = _answered(series.head(2000))
    if sample.is_empty():
        return True  # an empty stage column is a stage not asked: still map it
    scores = scale_values(sample.to_frame("v"), "v")
    return _share(scores.is_not_null()) >= 0.8


def _share(flags: pl.Series) -> float:
    """Share of True in a boolean series (0 for an empty one)."""
    return float(flags.sum()) / flags.len() if flags.len() else 0.0


def apply_overrides(
    raw: RawSurvey, mapping: Mapping[str, str], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The detected mapping with the user's corrections (an empty source unmaps a column)."""
    out = dict(mapping)
    for canonical, source in overrides.items():
        if canonical not in CANONICAL:
            raise IngestError(
                f"unknown canonical column '{canonical}'; one of: {', '.join(CANONICAL)}"
            )
        if source == "":
            out.pop(canonical, None)
            continue
        if source not in raw.frame.columns:
            raise IngestError(f"{canonical}={source}: the file has no column '{source}'")
        out = {k: v for k, v in out.items() if v != source}
        out[canonical] = source
    return out
