"""Exports as field teams send them: files we did not design, in every layout family.

Unlike :mod:`survey_files` (our own column names), these carry what agencies and survey
platforms write: question wording as headers ("Finding information about the car online"),
only some of the journey stages, interview dates day-first, the agency's own respondent ids,
answers in words we never listed ("Within the next 6 months", "Company car"), comments in two
languages with non-answers ("nothing", "keine Angabe", "无", "нет", "-"), no industry column.
Each builder returns the file's bytes; :func:`rows` gives the answers they are written from,
so a test knows what every file must yield.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from typing import Any

#: The five stages this questionnaire asks, in its own words (English), with our stage.
STAGE_QUESTIONS = {
    "research": "Finding information about the car online",
    "shop": "Visiting the showroom and the test drive",
    "purchase": "Negotiating the price and signing the contract",
    "receive": "Picking up the car at the handover",
    "maintain": "Servicing and repairs at the workshop",
}
#: The same five questions as German, Chinese and Russian questionnaires word them.
STAGE_QUESTIONS_DE = {
    "research": "Informationssuche zum Fahrzeug im Internet",
    "shop": "Besuch im Autohaus und Probefahrt",
    "purchase": "Preisverhandlung und Vertragsabschluss",
    "receive": "Übergabe des Fahrzeugs",
    "maintain": "Wartung und Reparatur in der Werkstatt",
}
STAGE_QUESTIONS_ZH = {
    "research": "在网上查找车辆信息",
    "shop": "到店看车和试驾",
    "purchase": "谈价和签订购车合同",
    "receive": "交车提车",
    "maintain": "保养和维修",
}
STAGE_QUESTIONS_RU = {
    "research": "Поиск информации об автомобиле в интернете",
    "shop": "Посещение салона и тест-драйв",
    "purchase": "Переговоры о цене и подписание договора",
    "receive": "Получение автомобиля",
    "maintain": "Техническое обслуживание и ремонт",
}
#: Switching answers as the questionnaire words them, with the code each must become.
SWITCH_ANSWERS = {
    "Within the next 6 months": "within_6m",
    "In 6 to 18 months": "6_18m",
    "Later than that": "later",
    "No, I will stay with my brand": "no",
}
CHANNEL_ANSWERS = {"At a dealership": "dealer", "Online from the manufacturer": "direct"}
OWNERSHIP_ANSWERS = {"Private owner": "owner", "Company car": "user"}
BRANDS = ["Voltara", "Kestrel", "Norvik"]
COUNTRIES = {"DE": "Germany", "AT": "Austria", "GB": "United Kingdom", "FR": "France"}
#: Comments in two languages; non-answers that must not become comments.
COMMENTS_EN = ("The handover took far too long.", "Great service at the workshop, thank you!")
COMMENTS_DE = ("Die Übergabe hat viel zu lange gedauert.", "Sehr freundliche Beratung im Autohaus.")
NON_ANSWERS = ("nothing", "Nothing.", "keine Angabe", "n/a", "-", "无", "нет", "Nichts.", "No.")
NPS_QUESTION = "How likely is it that you would recommend this brand to a friend? (0-10)"
SWITCH_QUESTION = "Are you planning to switch to another brand for your next car?"


def rows(n: int = 1500, seed: int = 11) -> list[dict[str, Any]]:
    """The respondents: stage answers follow a latent satisfaction that drives the score."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    start = dt.date(2024, 1, 1)
    out = []
    for i in range(n):
        mood = rng.gauss(0, 1)
        stages = {
            s: max(1, min(5, round(3.4 + 0.9 * mood * w + rng.gauss(0, 0.8))))
            for s, w in zip(STAGE_QUESTIONS, (0.4, 0.6, 1.0, 0.5, 0.9), strict=True)
        }
        nps = max(0, min(10, round(7 + 2.2 * mood + rng.gauss(0, 1))))
        comment: str
        if i % 7 == 0:
            comment = NON_ANSWERS[(i // 7) % len(NON_ANSWERS)]
        elif i % 3 == 0:
            comment = ""
        else:
            pool = COMMENTS_DE if i % 2 else COMMENTS_EN
            comment = pool[0] if nps <= 6 else pool[1]
        out.append(
            {
                "id": f"INT-{seed}-{i + 1:05d}",
                "date": start + dt.timedelta(days=rng.randint(0, 364)),
                "country": rng.choice(list(COUNTRIES)),
                "brand": rng.choice(BRANDS),
                "nps": nps,
                "switch": rng.choice(list(SWITCH_ANSWERS)),
                "channel": rng.choice(list(CHANNEL_ANSWERS)),
                "ownership": rng.choice(list(OWNERSHIP_ANSWERS)),
                "dealer": f"{rng.choice(['Autohaus', 'Garage'])} {rng.choice('ABCDEFGHIJ')}",
                "comment": comment,
                **stages,
            }
        )
    return out


def _csv(table: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue()


def _day_first(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def natural(data: list[dict[str, Any]], stage_questions: dict[str, str] | None = None) -> bytes:
    """One header row of question wording: the field export of the issue (UTF-8 CSV)."""
    questions = stage_questions or STAGE_QUESTIONS
    header = [
        "Interview ID", "Interview date", "Country", "Which brand is your car?", NPS_QUESTION,
        SWITCH_QUESTION, "Where did you buy your car?", "Owner or user", "Dealer",
        *questions.values(), "Is there anything else you would like to tell us?",
    ]  # fmt: skip
    body = [
        [
            r["id"], _day_first(r["date"]), COUNTRIES[r["country"]], r["brand"], str(r["nps"]),
            r["switch"], r["channel"], r["ownership"], r["dealer"],
            *[str(r[s]) for s in questions], r["comment"],
        ]
        for r in data
    ]  # fmt: skip
    return _csv([header, *body]).encode("utf-8")


def ours(data: list[dict[str, Any]]) -> bytes:
    """Our canonical column names, but the field's answers (words, day-first dates)."""
    header = [
        "respondent_id", "date", "country", "brand", "nps_score", "switch_intent", "channel",
        "ownership", "dealer_name", *STAGE_QUESTIONS, "comment",
    ]  # fmt: skip
    body = [
        [
            r["id"], _day_first(r["date"]), r["country"], r["brand"], str(r["nps"]), r["switch"],
            r["channel"], r["ownership"], r["dealer"], *[str(r[s]) for s in STAGE_QUESTIONS],
            r["comment"],
        ]
        for r in data
    ]  # fmt: skip
    return _csv([header, *body]).encode("utf-8")


def qualtrics(data: list[dict[str, Any]]) -> bytes:
    """A Qualtrics export (ids, question text, ImportId rows) of the same questionnaire, its
    stages a matrix question, dates as Qualtrics writes them (ISO)."""
    ids = ["StartDate", "EndDate", "Status", "ResponseId", "Q1", "Q2", "Q3", "Q3_NPS_GROUP",
           "Q4", "Q6", "Q7", *[f"Q5_{i + 1}" for i in range(len(STAGE_QUESTIONS))], "Q8"]  # fmt: skip
    text = ["Start Date", "End Date", "Response Type", "Response ID", "In which country do you live?",
            "Which brand is your car?", NPS_QUESTION, f"{NPS_QUESTION} - Group", SWITCH_QUESTION,
            "Where did you buy your car?", "Dealer",
            *[f"How satisfied were you with each step? - {q}" for q in STAGE_QUESTIONS.values()],
            "Is there anything else you would like to tell us?"]  # fmt: skip
    imports = [json.dumps({"ImportId": k}) for k in ids]
    body = []
    for r in data:
        stamp = f"{r['date'].isoformat()} 10:15:00"
        body.append(
            [stamp, stamp, "IP Address", r["id"], COUNTRIES[r["country"]], r["brand"],
             str(r["nps"]), "", r["switch"], r["channel"], r["dealer"],
             *[str(r[s]) for s in STAGE_QUESTIONS], r["comment"]]
        )  # fmt: skip
    return ("\ufeff" + _csv([ids, text, imports, *body])).encode("utf-8")


def surveymonkey(data: list[dict[str, Any]]) -> bytes:
    """A SurveyMonkey export: question row, sub-labels ("Response"), month-first dates."""
    top = ["Respondent ID", "Collector ID", "Start Date", "End Date", "Which country do you live in?",
           "Which brand is your car?", NPS_QUESTION, SWITCH_QUESTION,
           *STAGE_QUESTIONS.values(), "Is there anything else you would like to tell us?"]  # fmt: skip
    sub = ["", "", "", "", "Response", "Response", "Response", "Response",
           *["Response"] * len(STAGE_QUESTIONS), "Open-Ended Response"]  # fmt: skip
    body = []
    for r in data:
        us = r["date"].strftime("%m/%d/%Y") + " 10:00:00 AM"
        body.append(
            [r["id"], "4321", us, us, COUNTRIES[r["country"]], r["brand"], str(r["nps"]),
             r["switch"], *[str(r[s]) for s in STAGE_QUESTIONS], r["comment"]]
        )  # fmt: skip
    return _csv([top, sub, *body]).encode("utf-8")


def semicolon_cp1252(data: list[dict[str, Any]]) -> bytes:
    """A German Excel "CSV (semicolon)" export in Windows-1252: German headers, dotted
    dates, stages on 1-7."""
    up = {1: 1, 2: 2, 3: 4, 4: 6, 5: 7}
    header = ["Befragten-ID", "Interviewdatum", "Land", "Marke", "Weiterempfehlung (0-10)",
              "Planen Sie, beim nächsten Auto die Marke zu wechseln?", "Händler",
              *STAGE_QUESTIONS_DE.values(), "Kommentar"]  # fmt: skip
    body = [
        [r["id"], r["date"].strftime("%d.%m.%Y"), COUNTRIES[r["country"]].replace("Germany", "Deutschland"),
         r["brand"], str(r["nps"]), r["switch"], r["dealer"].replace("Garage", "Autohaus Müller"),
         *[str(up[r[s]]) for s in STAGE_QUESTIONS], r["comment"].replace("无", "").replace("нет", "")]
        for r in data
    ]  # fmt: skip
    return _csv([header, *body], ";").encode("cp1252")


def xlsx(data: list[dict[str, Any]]) -> bytes:
    """An Excel workbook of the natural-language layout, dates as real Excel dates."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Responses")
    when = book.add_format({"num_format": "dd/mm/yyyy"})
    header = ["Resp. No.", "Date of interview", "Country", "Which brand is your car?",
              NPS_QUESTION, SWITCH_QUESTION, *STAGE_QUESTIONS.values(), "Comments"]  # fmt: skip
    for c, h in enumerate(header):
        sheet.write(0, c, h)
    for i, r in enumerate(data, start=1):
        sheet.write(i, 0, r["id"])
        sheet.write_datetime(i, 1, dt.datetime.combine(r["date"], dt.time()), when)
        values = [COUNTRIES[r["country"]], r["brand"], r["nps"], r["switch"],
                  *[r[s] for s in STAGE_QUESTIONS], r["comment"]]  # fmt: skip
        for c, v in enumerate(values, start=2):
            sheet.write(i, c, v)
    book.close()
    return out.getvalue()


#: Every layout family, by file name: what a field team may send.
def families(data: list[dict[str, Any]]) -> dict[str, bytes]:
    """One file per layout family from the same answers."""
    return {
        "ours.csv": ours(data),
        "natural.csv": natural(data),
        "qualtrics.csv": qualtrics(data),
        "surveymonkey.csv": surveymonkey(data),
        "semicolon-cp1252.csv": semicolon_cp1252(data),
        "export.xlsx": xlsx(data),
    }


# ---- a field team's wave export: repurchase instead of switching, countries in their own names

#: Country names as a field team writes them (their own languages and short forms), with codes.
LOCAL_COUNTRIES = {
    "Österreich": "AT", "Deutschland": "DE", "España": "ES", "UK": "GB", "Россия": "RU",
    "Autriche": "AT", "Oostenrijk": "AT", "Áustria": "AT", "奥地利": "AT", "オーストリア": "AT",
}  # fmt: skip
REPURCHASE_QUESTION = "Q6 - Will you buy the same brand next time?"
REPURCHASE_ANSWERS = ("Yes, definitely", "Probably", "Probably not", "No")


def repurchase_export(data: list[dict[str, Any]], brand_header: str = "Brand owned") -> bytes:
    """A wave export with the brand under ``brand_header``, countries in their own languages
    and a buy-the-same-brand-again question instead of a switching one (answers cycle through
    :data:`REPURCHASE_ANSWERS`)."""
    names = list(LOCAL_COUNTRIES)
    header = ["Response ID", "Country of residence", brand_header, NPS_QUESTION,
              REPURCHASE_QUESTION]  # fmt: skip
    body = [
        [r["id"], names[i % len(names)], r["brand"], str(r["nps"]),
         REPURCHASE_ANSWERS[i % len(REPURCHASE_ANSWERS)]]
        for i, r in enumerate(data)
    ]  # fmt: skip
    return _csv([header, *body], ";").encode("utf-8-sig")


# ---- legacy encodings: what exports from China, Taiwan, Russia and Japan come in -----------

LEGACY = {
    "gb18030": ("zh", ["比亚迪", "吉利", "长城汽车", "蔚来"], "中国"),
    "big5": ("zh", ["比亞迪", "吉利", "長城汽車", "蔚來"], "台灣"),
    "koi8_r": ("ru", ["Лада", "Москвич", "УАЗ", "Хавал"], "Россия"),
    "cp1251": ("ru", ["Лада", "Москвич", "УАЗ", "Хавал"], "Россия"),
    "shift_jis": ("ja", ["トヨタ", "ホンダ", "日産", "スバル"], "日本"),
}
HEADERS = {
    "zh": ["编号", "日期", "品牌", "您向朋友推荐该品牌的可能性有多大？", *STAGE_QUESTIONS_ZH.values(), "意见"],
    "tw": ["編號", "日期", "品牌", "您向朋友推薦該品牌的可能性有多大？", "在網上查找車輛資訊", "到店看車和試駕",
           "談價和簽訂購車合約", "交車提車", "保養和維修", "意見"],
    "ru": ["Номер анкеты", "Дата", "Марка", "Насколько вероятно, что вы порекомендуете марку другу?",
           *STAGE_QUESTIONS_RU.values(), "Комментарий"],
    "ja": ["id", "日付", "ブランド", "推奨度 (0-10)", "情報収集", "試乗", "購入", "納車", "整備", "コメント"],
}  # fmt: skip
LEGACY_COMMENTS = {
    "zh": ("等了很久才提车，价格也不透明。", "售后服务很好，销售顾问很专业。", "无"),
    "tw": ("等了很久才交車，價格也不透明。", "售後服務很好，銷售顧問很專業。", "無"),
    "ru": ("Долго ждал выдачи автомобиля.", "Отличный сервис, вежливый персонал.", "нет"),
    "ja": ("納車まで長く待ちました。", "とても良いサービスでした。", "特になし"),
}


def legacy(encoding: str, data: list[dict[str, Any]]) -> bytes:
    """A CSV in a legacy encoding (GB18030, Big5, KOI8-R, Windows-1251, Shift-JIS) with
    brands, headers and comments in the country's language."""
    language, brands, _country = LEGACY[encoding]
    language = "tw" if encoding == "big5" else language
    body = [
        [r["id"], r["date"].isoformat(), brands[i % len(brands)], str(r["nps"]),
         *[str(r[s]) for s in STAGE_QUESTIONS], LEGACY_COMMENTS[language][i % 3]]
        for i, r in enumerate(data)
    ]  # fmt: skip
    return _csv([HEADERS[language], *body]).encode(encoding)
