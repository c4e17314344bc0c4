"""Builders of survey export files in the layouts and encodings that analysts bring.

Each builder returns the file's bytes. The answers are generated from a seed, so the expected
NPS of every file can be computed from the same rows (:func:`answers`).
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import polars as pl

BRANDS = ["Voltara", "Kestrel", "Norvik", "Citroën-like Ésprit"]
COUNTRIES = {"DE": "Germany", "US": "United States", "JP": "Japan", "FR": "France"}
STAGE_WORDING = {
    "awareness": "How satisfied were you with how you became aware of the brand?",
    "research": "How satisfied were you with researching information about the vehicle?",
    "shop": "How satisfied were you with the showroom visit and test drive?",
    "purchase": "How satisfied were you with the purchase itself?",
    "receive": "How satisfied were you with the delivery of your vehicle?",
    "use": "How satisfied are you with the driving experience?",
    "maintain": "How satisfied are you with after-sales service and maintenance?",
    "recommend": "How satisfied are you with the referral programme?",
}
LABELS5 = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Dissatisfied",
    1: "Very dissatisfied",
}
NPS_QUESTION = "How likely are you to recommend this brand to a friend or colleague?"
COMMENT_QUESTION = "Is there anything else you would like to tell us?"
#: Open answers in four languages (detractor, promoter), some with personal data to mask.
COMMENTS = (
    (
        "I waited three weeks for a service appointment. Call me on +1 415 555 0134.",
        "Great car, the staff were friendly and helpful.",
    ),
    (
        "Der Preis war nicht transparent, versteckte Gebühren. Mail: max.muster@example.de",
        "Sehr zufrieden, die Übergabe war pünktlich.",
    ),
    ("等了很久才提车，价格也不透明。电话13812345678", "售后服务很好，APP也很好用。"),
    (
        "Дилер заставил ждать три недели, никто не перезвонил. +49 170 1234567",
        "Отличная машина, вежливый персонал.",
    ),
)


def answers(n: int = 240, seed: int = 3) -> list[dict[str, Any]]:
    """Respondent answers in canonical form (stage scores 1-5)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"R_{seed}{i:05d}",
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:{i % 60:02d}:00",
                "country": rng.choice(list(COUNTRIES)),
                "brand": rng.choice(BRANDS),
                "nps": rng.choice([0, 3, 6, 7, 8, 9, 9, 10, 10, 5]),
                "channel": rng.choice(["Dealer", "Direct from the brand", "Agency"]),
                **{s: rng.randint(1, 5) for s in STAGE_WORDING},
            }
        )
    for i, row in enumerate(rows):
        row["comment"] = comment(i, row["nps"])
    return rows


def comment(i: int, nps: int) -> str:
    """The open answer of respondent ``i``: empty for every fifth, blank for some, a very
    long one once, else a template in one of four languages (detractors complain)."""
    if i % 5 == 4:
        return ""
    if i % 17 == 3:
        return "   "
    if i == 7:
        return "The delivery was late. " * 260  # over 5,000 characters
    complaint, praise = COMMENTS[i % len(COMMENTS)]
    return complaint if nps <= 6 else praise


def expected_nps(rows: list[dict[str, Any]]) -> float:
    """Unweighted NPS of the rows."""
    p = sum(r["nps"] >= 9 for r in rows)
    d = sum(r["nps"] <= 6 for r in rows)
    return 100 * (p - d) / len(rows)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def qualtrics(rows: list[dict[str, Any]], labels: bool = False) -> bytes:
    """A Qualtrics CSV export: ids, question text and ImportId rows, metadata columns."""
    stage_ids = {s: f"Q{10 + i}" for i, s in enumerate(STAGE_WORDING)}
    ids = [
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "DistributionChannel",
        "UserLanguage",
        "Q1",
        "Q2",
        "Q3",
        "Q3_NPS_GROUP",
        "Q4",
        *stage_ids.values(),
        "Q5",
    ]
    text = [
        "Start Date",
        "End Date",
        "Response Type",
        "Progress",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Distribution Channel",
        "User Language",
        "In which country do you live?",
        "Which brand is your current vehicle?",
        NPS_QUESTION,
        f"{NPS_QUESTION} - Group",
        "How did you buy your vehicle?",
        *STAGE_WORDING.values(),
        COMMENT_QUESTION,
    ]
    imports = [json.dumps({"ImportId": k}) for k in ids]
    body = []
    for r in rows:
        group = "Promoter" if r["nps"] >= 9 else "Detractor" if r["nps"] <= 6 else "Passive"
        nps = f"{r['nps']} - Extremely likely" if labels and r["nps"] == 10 else str(r["nps"])
        if labels and r["nps"] == 0:
            nps = "0 - Not at all likely"
        stages = [LABELS5[r[s]] if labels else str(r[s]) for s in STAGE_WORDING]
        body.append(
            [
                r["date"],
                r["date"],
                "IP Address",
                "100",
                "True",
                r["date"],
                r["id"],
                "anonymous",
                "EN",
                COUNTRIES[r["country"]],
                r["brand"],
                nps,
                group,
                r["channel"],
                *stages,
                r["comment"],
            ]
        )
    return ("\ufeff" + _csv([ids, text, imports, *body])).encode("utf-8")


def surveymonkey(rows: list[dict[str, Any]]) -> bytes:
    """A SurveyMonkey export: question row, sub-label row ("Response"), data."""
    top = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Which country do you live in?",
        "Which brand do you drive?",
        NPS_QUESTION,
        *STAGE_WORDING.values(),
    ]
    sub = ["", "", "", "", "", "Response", "Response", "Response", *["Response"] * 8]
    body = []
    for r in rows:
        us_date = r["date"][5:7] + "/" + r["date"][8:10] + "/" + r["date"][:4] + " 10:00:00 AM"
        body.append(
            [
                r["id"],
                "4321",
                us_date,
                us_date,
                "",
                COUNTRIES[r["country"]],
                r["brand"],
                str(r["nps"]),
                *[LABELS5[r[s]] for s in STAGE_WORDING],
            ]
        )
    return _csv([top, sub, *body]).encode("utf-8")


def plain(
    rows: list[dict[str, Any]],
    delimiter: str = ",",
    encoding: str = "utf-8",
    scale: int = 5,
    decimal_comma: bool = False,
) -> bytes:
    """One header row; stage scores on a 1-``scale`` scale; optional weights with commas."""
    header = [
        "respondent",
        "country",
        "brand",
        "likelihood to recommend",
        "weight",
        *[f"{s} satisfaction" for s in STAGE_WORDING],
    ]
    up = {
        5: {s: s for s in range(1, 6)},
        7: {1: 1, 2: 2, 3: 4, 4: 6, 5: 7},
        10: {1: 1, 2: 2, 3: 5, 4: 9, 5: 10},
    }[scale]
    body = []
    for r in rows:
        weight = "1,5" if decimal_comma else "1.5"
        body.append(
            [
                r["id"],
                r["country"],
                r["brand"],
                str(r["nps"]),
                weight,
                *[str(up[r[s]]) for s in STAGE_WORDING],
            ]
        )
    text = _csv([header, *body], delimiter)
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM, as Excel's "Unicode text"
    return text.encode(encoding)


def xlsx(rows: list[dict[str, Any]], title: str = "") -> bytes:
    """An Excel workbook with one header row (below a title row and a blank one, if given)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Responses")
    header = ["ResponseId", "Country", "Brand", "NPS", *list(STAGE_WORDING)]
    top = 2 if title else 0
    if title:
        sheet.write(0, 0, title)
    for c, h in enumerate(header):
        sheet.write(top, c, h)
    for i, r in enumerate(rows, start=top + 1):
        values = [r["id"], r["country"], r["brand"], r["nps"], *[r[s] for s in STAGE_WORDING]]
        for c, v in enumerate(values):
            sheet.write(i, c, v)
    book.close()
    return out.getvalue()


def parquet(rows: list[dict[str, Any]]) -> bytes:
    """A Parquet file with canonical column names and numeric types."""
    frame = pl.DataFrame(
        {
            "respondent_id": [r["id"] for r in rows],
            "country": [r["country"] for r in rows],
            "brand": [r["brand"] for r in rows],
            "nps_score": [r["nps"] for r in rows],
            **{s: [r[s] for r in rows] for s in STAGE_WORDING},
        }
    )
    out = io.BytesIO()
    frame.write_parquet(out)
    return out.getvalue()


#: A Qualtrics matrix question: one question, a short sub-label per stage after " - ".
MATRIX_QUESTION = "How satisfied were you with each stage of your journey with the brand?"
MATRIX_LABELS = {
    "awareness": "Awareness",
    "research": "Research",
    "shop": "Shop",
    "purchase": "Purchase",
    "receive": "Receive",
    "use": "Use",
    "maintain": "Maintain",
    "recommend": "Recommend",
}


def qualtrics_matrix(rows: list[dict[str, Any]]) -> bytes:
    """A standard Qualtrics export whose 8 stages are one matrix question (``Q5_1``..``Q5_8``,
    question text ``"<question> - Use"``)."""
    stage_ids = {s: f"Q5_{i + 1}" for i, s in enumerate(MATRIX_LABELS)}
    ids = ["StartDate", "RecordedDate", "ResponseId", "Q1", "Q2", "Q3", "Q3_NPS_GROUP", "Q4"]
    text = [
        "Start Date",
        "Recorded Date",
        "Response ID",
        "In which country do you live?",
        "Which brand is your current vehicle?",
        NPS_QUESTION,
        f"{NPS_QUESTION} - Group",
        "How did you buy your vehicle?",
    ]
    ids += list(stage_ids.values())
    text += [f"{MATRIX_QUESTION} - {label}" for label in MATRIX_LABELS.values()]
    imports = [json.dumps({"ImportId": k}) for k in ids]
    body = []
    for r in rows:
        group = "Promoter" if r["nps"] >= 9 else "Detractor" if r["nps"] <= 6 else "Passive"
        body.append(
            [r["date"], r["date"], r["id"], COUNTRIES[r["country"]], r["brand"], str(r["nps"]),
             group, r["channel"], *[str(r[s]) for s in MATRIX_LABELS]]
        )  # fmt: skip
    return ("\ufeff" + _csv([ids, text, imports, *body])).encode("utf-8")


#: Outlet columns as dealer-CRM exports name them, per language: code, name, group.
OUTLET_HEADERS = {
    "en": ("Dealer code", "Dealer", "Dealer group"),
    "de": ("Händlernummer", "Händler", "Händlergruppe"),
    "zh": ("经销商代码", "经销商", "经销商集团"),
    "ru": ("Код дилера", "Дилер", "Дилерская группа"),
}
OUTLET_PLACES = ("Nord", "Mitte", "Süd")


def outlet_of(row: dict[str, Any], index: int) -> tuple[str, str, str]:
    """The outlet of an answer (code, name, group): three per brand and country, the first two
    in one group."""
    k = index % len(OUTLET_PLACES)
    code = f"{row['country']}-{row['brand'][:3].upper()}-{k + 1}"
    name = f"{row['brand']} {COUNTRIES[row['country']]} {OUTLET_PLACES[k]}"
    return code, name, "Gruppe Adler" if k < 2 else ""


def dealer_export(rows: list[dict[str, Any]], language: str = "en") -> bytes:
    """A one-header CSV with the outlet's code, name and group (headers in ``language``)."""
    header = [
        "respondent",
        "country",
        "brand",
        "likelihood to recommend",
        *OUTLET_HEADERS[language],
        *[f"{s} satisfaction" for s in STAGE_WORDING],
    ]
    body = [
        [
            r["id"],
            r["country"],
            r["brand"],
            str(r["nps"]),
            *outlet_of(r, i),
            *[str(r[s]) for s in STAGE_WORDING],
        ]
        for i, r in enumerate(rows)
    ]
    return _csv([header, *body]).encode("utf-8")


def stored_copy(
    database: Path, target: Path, dataset: str, data: bytes, label: str = "Stored for a test"
) -> Path:
    """A copy of ``database`` at ``target`` with the survey file ``data`` (detected mapping)
    stored as ``dataset``, as an upload stores it."""
    import shutil

    from cx.data.database import Database
    from cx.ingest.mapping import detect_mapping
    from cx.ingest.normalise import normalise
    from cx.ingest.read import read_survey
    from cx.ingest.store import store

    shutil.copy(database, target)
    raw = read_survey(data, f"{dataset}.csv")
    result = normalise(raw, detect_mapping(raw), dataset)
    with Database(str(target), read_only=False) as opened:
        store(opened, result, dataset, label, data, f"{dataset}.csv")
    return target
