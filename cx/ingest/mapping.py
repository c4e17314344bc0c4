"""Step 2, mapping: canonical columns from header names, question wording and answers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from cx.core.i18n import _
from cx.core.schema import NOT_ANSWERED, SATISFACTION_ITEMS
from cx.ingest import dates
from cx.ingest.model import CANONICAL, IngestError, RawSurvey, field_words, join_and
from cx.ingest.values import parse_nps, scale_values
from cx.ingest.wording import (
    COMMENT_WORDING,
    CONTACT,
    METADATA,
    NOT_COMMENT,
    OUTLET_FIELDS,
    REPURCHASE,
    RULES,
    STRONG_NPS_NAMES,
)


@dataclass
class Detection:
    """What was detected: the mapping and, per column not used, why (for the mapping step).

    Attributes:
        mapping: canonical field -> source column.
        notes: source column -> why it feeds no field (or what else it could have been).
    """

    mapping: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)


def detect_mapping(raw: RawSurvey) -> dict[str, str]:
    """Map canonical columns to source columns (see :func:`detect`)."""
    return detect(raw).mapping


def detect(raw: RawSurvey) -> Detection:
    """Map canonical columns to source columns from names, question wording and values.

    A column is the NPS score only if its answers are 0-10 (numbers or "10 - Extremely likely"
    labels); Qualtrics' derived ``*_NPS_GROUP`` columns are never taken as scores. A stage
    needs satisfaction answers; a respondent id, unique values; a column of dates whatever its
    name is the response date when no column is named so.
    """
    mapping: dict[str, str] = {}
    notes: dict[str, str] = {}
    columns = raw.frame.columns
    # exact canonical names first (files written by cxbench or prepared by hand)
    for col in columns:
        key = col.strip().lower()
        if key in CANONICAL and key not in mapping:
            mapping[key] = col
    for col in columns:
        if col in mapping.values():
            continue
        if col.upper().endswith("_NPS_GROUP"):
            notes[col] = _("Qualtrics' derived NPS group: the score column itself is used")
            continue
        texts = question_texts(col, raw.questions.get(col, ""))
        if any(re.fullmatch(METADATA, t) for t in texts[:2] if t):
            notes[col] = _("survey-platform metadata")
            continue
        canonical, note = _match(raw.frame[col], texts, mapping)
        if canonical is not None:
            mapping[canonical] = col
        elif note:
            notes[col] = note
    _by_values(raw, mapping, notes)
    if "date" in mapping and "wave" in mapping:
        notes[mapping.pop("date")] = _("dates: the file's wave column gives the wave")
    return Detection(mapping, notes)


def _match(
    series: pl.Series, texts: list[str], mapping: Mapping[str, str]
) -> tuple[str | None, str]:
    """The first rule whose wording matches and whose answers fit; else why not."""
    note = ""
    for canonical, pattern in RULES:
        if not any(re.search(pattern, t) for t in texts if t):
            continue
        label = field_words(canonical)
        if canonical in mapping:
            note = note or _("reads like {field}, which '{column}' already gives").format(
                field=label, column=mapping[canonical]
            )
            continue
        named = re.fullmatch(STRONG_NPS_NAMES, texts[0]) is not None
        if canonical == "nps_score" and not named and not _looks_like_nps(series):
            note = note or _("reads like {field}, but its answers are not 0-10").format(field=label)
            continue
        if canonical in SATISFACTION_ITEMS and not _looks_like_scale(series):
            note = note or _(
                "reads like {field}, but its answers are not a satisfaction scale"
            ).format(field=label)
            continue
        if canonical in OUTLET_FIELDS and _looks_like_nps(series):
            continue  # a 0-10 rating of the dealer, not the dealer itself
        if canonical == "respondent_id" and not _unique(series, NAMED_ID_SHARE):
            note = note or _("reads like {field}, but its values repeat").format(field=label)
            continue
        if canonical == "date" and not dates.looks_like_dates(_answered(series.head(2000))):
            note = note or _("reads like {field}, but its answers are not dates").format(
                field=label
            )
            continue
        return canonical, ""
    return None, note


def _by_values(raw: RawSurvey, mapping: dict[str, str], notes: dict[str, str]) -> None:
    """Fields found by their answers when no name or wording gave them: a column of dates is
    the response date, an id-like column of unique values the respondent id."""
    free = [c for c in raw.frame.columns if c not in mapping.values() and c not in notes]
    if "date" not in mapping and "wave" not in mapping:
        found = [c for c in free if dates.looks_like_dates(_answered(raw.frame[c].head(2000)))]
        if found:
            mapping["date"] = found[0]
            free.remove(found[0])
    if "respondent_id" not in mapping:
        for col in free:
            name = " ".join(question_texts(col, "")[:1])
            if re.search(ID_WORDS, name) and _unique(raw.frame[col]):
                mapping["respondent_id"] = col
                break


#: Words in a column name that make it an id when its values are unique.
ID_WORDS = r"\bid\b|_id$|^id_|\bno\.?$|\bnr\.?$|number|编号|номер|код|kennung|\bcode\b"


#: A column named like an id is the id when this share of its values is distinct (duplicates
#: are then rejected row by row); one found by its values alone must have no duplicate.
NAMED_ID_SHARE = 0.9


def _unique(series: pl.Series, share: float = 1.0) -> bool:
    """Whether a column's answered values are (this share) distinct, and short: an id."""
    answered = series.str.strip_chars()
    answered = answered.filter(answered != "")
    if answered.len() < 2 or int(answered.str.len_chars().max() or 0) > 64:  # type: ignore[arg-type]
        return False
    return answered.n_unique() >= share * answered.len()


def question_texts(column: str, question: str) -> list[str]:
    """What a column is matched on: its name (also with ``_`` and camel case as spaces: "interview
    date" for ``Interview_Date`` and ``InterviewDate``), its question and, for a matrix
    question (Qualtrics ``"How satisfied ... - Use"``), the row label after the last " - "."""
    name = column.strip()
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").replace(".", " ")
    texts = [name.lower(), question.strip().lower()]
    if " - " in question:
        texts.append(question.rsplit(" - ", 1)[1].strip().lower())
    spaced = " ".join(spaced.lower().split())
    if spaced != texts[0]:
        texts.append(spaced)
    return texts


def asks_repurchase(column: str, question: str) -> bool:
    """Whether a column asks if people will buy the same brand again ("Will you buy the same
    brand next time?", "repurchase", "stay with"): the opposite of "will you switch"."""
    return any(re.search(REPURCHASE, t) for t in question_texts(column, question) if t)


def mapping_warnings(
    mapping: Mapping[str, str], questions: Mapping[str, str], brand_pages: Sequence[str] = ()
) -> list[str]:
    """One line per thing a mapping will cost the pages: a repurchase question taken as
    switching intent (its answers are not read), no brand column (``brand_pages``: the pages
    or parts of pages that then have nothing to show)."""
    out = []
    source = mapping.get("switch_intent")
    if source is not None and asks_repurchase(source, questions.get(source, "")):
        out.append(
            _(
                "'{column}' asks whether people will buy the same brand again, not whether "
                "they will switch: its answers are not read as intention to switch (a 'No' "
                "there is not 'no intention', and there is no code for switching without a time "
                "frame), so they are left empty unless you map them yourself."
            ).format(column=source[:80])
        )
    if "brand" not in mapping:
        pages = join_and(list(brand_pages)) or _("the pages that compare brands")
        out.append(
            _("No brand column is mapped: {pages} will have nothing to show for it.").format(
                pages=pages
            )
        )
    return out


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
