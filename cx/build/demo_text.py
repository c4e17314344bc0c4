"""Synthetic open answers for the demo: what respondents "write", in four languages.

The demo's open question ("Is there anything else you would like to tell us?") is asked in the
automotive sector (automakers, car dealers, mobility services); the other industries' demo
questionnaires have none. Answers are **synthetic**, written from the templates below, and
follow each respondent's other answers so the Voice page finds real patterns:

- whether someone writes depends on their NPS group (detractors write most); a share answer
  nothing, a blank or "-" (which are not comments);
- detractors complain about their weakest journey stage (the lowest of their stage scores),
  promoters praise their strongest, passives do both; BEV drivers write about charging;
- some answers mention themes the topic taxonomy does not cover (seats, navigation), which
  the candidate-topic discovery should find; a few leave a (fictional) phone number or
  address, which masking must remove before storing;
- the language follows the country: German in Germany, Chinese in China, English elsewhere,
  with a Russian-speaking share in the European markets.
"""

from __future__ import annotations

from typing import Final

import duckdb
import numpy as np
import polars as pl

from cx.core.schema import DEMO_DATASET, NOT_ANSWERED

QUESTION: Final = "comment"
QUESTION_TEXT: Final = "Is there anything else you would like to tell us?"
#: Industries whose questionnaire has the open question.
SECTOR: Final = ("Automakers", "Car dealers", "Mobility-as-a-Service")
#: Share answering, by NPS group (detractor, passive, promoter).
ANSWER_SHARE: Final = {"detractor": 0.72, "passive": 0.55, "promoter": 0.60}
#: Language shares by country (the rest: English).
LANGUAGE_SHARES: Final[dict[str, dict[str, float]]] = {
    "DE": {"de": 0.88, "ru": 0.08},
    "CN": {"zh": 0.95},
    "FR": {"ru": 0.06},
    "IT": {"ru": 0.06},
    "SE": {"ru": 0.06},
    "GB": {"ru": 0.06},
}
#: Journey item -> theme of the templates ("use" is chosen per respondent).
THEME_OF: Final = {
    "awareness": "brand",
    "research": "website",
    "shop": "showroom",
    "purchase": "price",
    "price_transparency": "price",
    "receive": "delivery",
    "maintain": "service",
    "recommend": "followup",
}
ITEMS: Final = ("awareness", "research", "shop", "purchase", "price_transparency", "receive",
                "use", "maintain", "recommend")  # fmt: skip
#: Themes outside the shipped taxonomy (found by discovery, not by keywords).
EXTRA_THEMES: Final = ("seats", "navigation")

# Templates: language -> theme -> (complaints, praise).
T = tuple[tuple[str, ...], tuple[str, ...]]
TEMPLATES: Final[dict[str, dict[str, T]]] = {
    "en": {
        "brand": (("The advertising promised much more than the car delivers.", "The brand image does not match reality."),
                  ("I have trusted this brand for years.", "Love the brand and its design.")),
        "website": (("The website was confusing and the online configurator kept crashing.", "Hard to find clear information on the website."),
                    ("The website and online configurator were easy to use.", "Great information online before I bought.")),
        "showroom": (("The salesperson was rude and pushy during the test drive.", "Nobody in the showroom had time for us, staff were unfriendly."),
                     ("Friendly staff and a great test drive.", "The salesperson was helpful and knowledgeable.")),
        "price": (("The price was not transparent, there were hidden fees on the invoice.", "Far too expensive for what you get, and the discount disappeared at signing."),
                  ("Fair and transparent price, no haggling.", "Good value for money and a clear price.")),
        "delivery": (("Delivery was delayed twice and nobody told me why.", "The handover was rushed and the car was dirty."),
                     ("Smooth handover, the car was delivered on time.", "Delivery day was a great experience.")),
        "charging": (("Charging takes forever and the range in winter is poor.", "Public charging stations are often broken."),
                     ("Charging at home is easy and the range is more than enough.", "Fast charging works great on long trips.")),
        "quality": (("Rattles and noises everywhere, poor build quality.", "Several defects in the first months, the quality is disappointing."),
                    ("Excellent build quality, not a single fault.", "Solid quality, the car drives beautifully.")),
        "app": (("The app keeps crashing and the software is buggy.", "The screen freezes and the app loses connection."),
                ("The app is great, I check the car from my phone.", "Software updates over-the-air keep the car fresh.")),
        "service": (("I waited three weeks for a service appointment.", "The workshop kept the car for ten days and the repair still failed.", "Waited hours at the garage for a simple inspection."),
                    ("The workshop fixed everything the same day.", "Service is quick and the mechanics are excellent.")),
        "followup": (("Nobody called back after I complained.", "I sent three messages and never got a response."),
                     ("They kept me updated at every step.", "Quick response whenever I contact them.")),
        "seats": (("The seats are uncomfortable on long drives, my back hurts.", "Seats too hard, no lumbar support on long drives."),
                  ("Very comfortable seats, even after hours of driving.", "The seats are super comfortable on long drives.")),
        "navigation": (("The navigation maps are outdated and the route guidance is wrong.", "Navigation sends me the wrong way, the maps are outdated."),
                       ("The navigation is accurate and the maps are current.", "Navigation maps are accurate, route guidance is spot on.")),
    },
    "de": {
        "brand": (("Die Werbung verspricht viel mehr, als das Auto hält.", "Das Markenimage passt nicht zur Realität."),
                  ("Ich vertraue der Marke seit Jahren.", "Ich liebe die Marke und das Design.")),
        "website": (("Die Website war unübersichtlich und der Online-Konfigurator stürzte ständig ab.", "Auf der Website findet man keine klaren Informationen."),
                    ("Website und Online-Konfigurator waren einfach zu bedienen.", "Sehr gute Informationen online vor dem Kauf.")),
        "showroom": (("Der Verkäufer war bei der Probefahrt unfreundlich und aufdringlich.", "Im Autohaus hatte niemand Zeit für uns."),
                     ("Freundliche Beratung und eine tolle Probefahrt.", "Der Verkäufer war kompetent und hilfsbereit.")),
        "price": (("Der Preis war nicht transparent, versteckte Gebühren auf der Rechnung.", "Viel zu teuer für das, was man bekommt."),
                  ("Fairer und transparenter Preis.", "Gutes Preis-Leistungs-Verhältnis.")),
        "delivery": (("Die Auslieferung wurde zweimal verschoben, niemand hat erklärt warum.", "Die Übergabe war hektisch und das Auto war schmutzig."),
                     ("Reibungslose Übergabe, pünktlich geliefert.", "Der Tag der Auslieferung war ein tolles Erlebnis.")),
        "charging": (("Das Laden dauert ewig und die Reichweite im Winter ist schlecht.", "Öffentliche Ladesäulen sind oft defekt."),
                     ("Zuhause laden ist einfach und die Reichweite reicht völlig.", "Schnellladen an der Ladesäule klappt auf langen Fahrten super.")),
        "quality": (("Überall klappert es, die Verarbeitung ist schlecht.", "Mehrere Mängel in den ersten Monaten, die Qualität enttäuscht."),
                    ("Hervorragende Verarbeitung, kein einziger Mangel.", "Solide Qualität, das Auto fährt wunderbar.")),
        "app": (("Die App stürzt ständig ab und die Software ist fehlerhaft.", "Der Bildschirm friert ein und die App verliert die Verbindung."),
                ("Die App ist super, ich sehe alles auf dem Handy.", "Software-Updates halten das Auto aktuell.")),
        "service": (("Ich habe drei Wochen auf einen Werkstatttermin gewartet.", "Die Werkstatt hatte das Auto zehn Tage und die Reparatur hat nicht geholfen.", "Stundenlang in der Werkstatt gewartet für eine einfache Inspektion."),
                    ("Die Werkstatt hat alles am selben Tag erledigt.", "Der Service ist schnell und die Mechaniker sind top.")),
        "followup": (("Nach meiner Beschwerde hat niemand zurückgerufen.", "Drei Nachrichten geschrieben, nie eine Antwort bekommen."),
                     ("Ich wurde bei jedem Schritt informiert.", "Schnelle Antwort, wann immer ich schreibe.")),
        "seats": (("Die Sitze sind auf langen Fahrten unbequem, mein Rücken schmerzt.", "Sitze zu hart, keine Lordosenstütze auf langen Fahrten."),
                  ("Sehr bequeme Sitze, auch nach Stunden.", "Die Sitze sind auf langen Fahrten super bequem.")),
        "navigation": (("Die Navigation hat veraltete Karten und führt falsch.", "Das Navi schickt mich in die falsche Richtung, veraltete Karten."),
                       ("Die Navigation ist präzise und die Karten aktuell.", "Navigation mit aktuellen Karten, führt immer richtig.")),
    },
    "zh": {
        "brand": (("广告宣传和实际差距太大。", "品牌形象和实际不符。"),
                  ("多年来一直信任这个品牌。", "很喜欢这个品牌的设计。")),
        "website": (("官网信息混乱，在线配置器经常崩溃。", "网站上找不到清楚的信息。"),
                    ("官网和在线配置器很好用。", "购车前在网站上获得了很多信息。")),
        "showroom": (("试驾时销售态度很差，一直推销。", "展厅里没人理我们，员工态度冷淡。"),
                     ("销售很热情，试驾体验很好。", "销售顾问专业又耐心。")),
        "price": (("价格不透明，发票上有隐藏费用。", "太贵了，签合同时优惠突然没了。"),
                  ("价格公道透明，不用讨价还价。", "性价比很高，价格清楚。")),
        "delivery": (("交付推迟了两次，没有人解释原因。", "交车很仓促，车还是脏的。"),
                     ("交车很顺利，按时提车。", "提车那天体验很棒。")),
        "charging": (("充电太慢，冬天续航很差。", "公共充电桩经常坏。"),
                     ("在家充电很方便，续航完全够用。", "长途快充很好用。")),
        "quality": (("到处都有异响，做工很差。", "头几个月就出了好几个故障，质量令人失望。"),
                    ("做工非常好，一点毛病都没有。", "质量很扎实，开起来很舒服。")),
        "app": (("APP经常闪退，车机系统很卡。", "屏幕经常死机，APP连不上车。"),
                ("APP很好用，手机上就能看车的状态。", "车机系统在线升级，越用越好。")),
        "service": (("等了三周才约到保养。", "车在维修店放了十天，还是没修好。", "做个简单保养在4S店等了好几个小时。"),
                    ("售后当天就修好了。", "保养很快，师傅很专业。")),
        "followup": (("投诉后没有人回电话。", "发了三次消息都没有回复。"),
                     ("每一步都及时通知我。", "每次联系都回复很快。")),
        "seats": (("座椅长途坐着不舒服，腰疼。", "座椅太硬，长途没有腰部支撑。"),
                  ("座椅非常舒服，开几个小时也不累。", "长途座椅很舒适。")),
        "navigation": (("导航地图太旧，经常指错路。", "导航总是带错路，地图太旧。"),
                       ("导航很准，地图也是最新的。", "导航地图很准，从不指错路。")),
    },
    "ru": {
        "brand": (("Реклама обещает гораздо больше, чем дает машина.", "Имидж марки не соответствует реальности."),
                  ("Доверяю этой марке много лет.", "Люблю эту марку и её дизайн.")),
        "website": (("Сайт запутанный, онлайн-конфигуратор постоянно зависает.", "На сайте невозможно найти понятную информацию."),
                    ("Сайт и онлайн-конфигуратор очень удобные.", "Много полезной информации на сайте до покупки.")),
        "showroom": (("Продавец на тест-драйве был груб и навязчив.", "В салоне никто не уделил нам время."),
                     ("Вежливый персонал и отличный тест-драйв.", "Менеджер был внимательным и компетентным.")),
        "price": (("Цена непрозрачная, в счёте скрытые платежи.", "Слишком дорого за то, что получаешь, скидка исчезла при подписании."),
                  ("Честная и прозрачная цена.", "Хорошее соотношение цены и качества.")),
        "delivery": (("Выдачу машины дважды переносили, никто не объяснил почему.", "Передача машины прошла в спешке, машина была грязной."),
                     ("Машину выдали вовремя, всё прошло гладко.", "Выдача машины прошла отлично.")),
        "charging": (("Зарядка идёт очень долго, зимой запас хода плохой.", "Общественные зарядные станции часто сломаны."),
                     ("Зарядка дома удобная, запаса хода хватает.", "Быстрая зарядка отлично работает в дальних поездках.")),
        "quality": (("Везде скрипы и шумы, сборка плохая.", "Несколько поломок за первые месяцы, качество разочаровывает."),
                    ("Отличное качество сборки, ни одного дефекта.", "Надёжное качество, машина едет прекрасно.")),
        "app": (("Приложение постоянно вылетает, программа глючит.", "Экран зависает, приложение теряет связь с машиной."),
                ("Приложение отличное, всё видно в телефоне.", "Обновления прошивки по воздуху работают отлично.")),
        "service": (("Три недели ждал записи на сервис.", "Машина стояла в ремонте десять дней, а проблему так и не решили.", "Ждал несколько часов в сервисе ради простого ТО."),
                    ("В сервисе всё починили в тот же день.", "Обслуживание быстрое, мастера отличные.")),
        "followup": (("После жалобы мне никто не перезвонил.", "Написал три сообщения и не получил ответа."),
                     ("Меня информировали на каждом этапе.", "Всегда быстрый ответ на мои вопросы.")),
        "seats": (("Сиденья неудобные в дальних поездках, болит спина.", "Сиденья слишком жёсткие для дальних поездок."),
                  ("Очень удобные сиденья, даже после долгой дороги.", "Сиденья супер удобные в дальних поездках.")),
        "navigation": (("Карты навигации устарели, маршрут часто неверный.", "Навигация ведёт не туда, карты устарели."),
                       ("Навигация точная, карты актуальные.", "Карты навигации точные, маршрут всегда верный.")),
    },
}  # fmt: skip

#: Openers by language and NPS group, and the short answers that say little.
OPENERS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {"detractor": ("Very disappointed.", "Never again.", "Not happy."),
           "passive": ("Mostly fine.", "Okay overall."),
           "promoter": ("Great experience overall.", "Very happy with my car.", "Highly recommend.")},
    "de": {"detractor": ("Sehr enttäuscht.", "Nie wieder.", "Nicht zufrieden."),
           "passive": ("Im Großen und Ganzen okay.", "Ganz in Ordnung."),
           "promoter": ("Insgesamt tolle Erfahrung.", "Sehr zufrieden mit meinem Auto.", "Klare Empfehlung.")},
    "zh": {"detractor": ("非常失望。", "再也不买了。", "不满意。"),
           "passive": ("总体还行。", "还可以。"),
           "promoter": ("整体体验很好。", "对我的车非常满意。", "强烈推荐。")},
    "ru": {"detractor": ("Очень разочарован.", "Больше никогда.", "Недоволен."),
           "passive": ("В целом нормально.", "Неплохо."),
           "promoter": ("В целом отличный опыт.", "Очень доволен машиной.", "Рекомендую.")},
}  # fmt: skip
SHORT: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en": {"detractor": ("Bad.",), "passive": ("Nothing.",), "promoter": ("All good", "Nothing to add")},
    "de": {"detractor": ("Schlecht.",), "passive": ("Nichts.",), "promoter": ("Alles gut", "Nichts hinzuzufügen")},
    "zh": {"detractor": ("很差。",), "passive": ("没有。",), "promoter": ("都很好", "没有了")},
    "ru": {"detractor": ("Плохо.",), "passive": ("Ничего.",), "promoter": ("Всё хорошо", "Добавить нечего")},
}  # fmt: skip
#: Fictional contact details some respondents leave (masking removes them before storing).
CONTACT: Final[dict[str, tuple[str, ...]]] = {
    "en": ("Call me on +1 415 555 0134.", "Write to me: j.smith@example.com"),
    "de": ("Rufen Sie mich an: +49 170 1234567", "Meine Mail: k.muster@example.de"),
    "zh": ("请打我电话13812345678。",),
    "ru": ("Позвоните мне: +7 916 123-45-67",),
}
SHORT_SHARE: Final = 0.12
OPENER_SHARE: Final = 0.5
SECOND_SHARE: Final = 0.35
EXTRA_SHARE: Final = 0.12
CONTACT_SHARE: Final = 0.006
#: Of those not answering: a blank or a dash instead of nothing (not comments either).
BLANK_SHARE: Final = 0.15


def _groups(scores: np.ndarray) -> np.ndarray:
    return np.where(scores >= 9, "promoter", np.where(scores <= 6, "detractor", "passive"))


def _languages(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    draw = rng.random(len(countries))
    out = np.full(len(countries), "en", dtype=object)
    for country, shares in LANGUAGE_SHARES.items():
        mask = countries == country
        start = 0.0
        for code, share in shares.items():
            out[mask & (draw >= start) & (draw < start + share)] = code
            start += share
    return out


def _ranked_items(rng: np.random.Generator, frame: pl.DataFrame) -> np.ndarray:
    """Per respondent, the journey items from weakest to strongest (unanswered last)."""
    scores = np.column_stack(
        [frame[i].cast(pl.Float64).fill_null(np.nan).to_numpy() for i in ITEMS]
    )
    noisy = np.where(np.isnan(scores), 99.0, scores) + rng.random(scores.shape) * 0.5
    return np.argsort(noisy, axis=1)


def _theme(item: str, bev: bool, u: float) -> str:
    if item != "use":
        return THEME_OF[item]
    if u < 0.3:
        return "app"
    return "charging" if bev else "quality"


def _pick(options: tuple[str, ...], u: float) -> str:
    """The option a uniform draw in [0, 1) falls on."""
    return options[int(u * len(options))]


#: Uniform draws each answer uses (drawn for all respondents at once: fast and seeded).
DRAWS = 14


def _compose(u: list[float], lang: str, group: str, order: list[int], bev: bool) -> str:
    """One answer from its draws ``u``: an opener, the themes the respondent's scores point
    to (weakest for complaints, strongest for praise), maybe an extra theme or a contact."""
    if u[0] < SHORT_SHARE:
        return _pick(SHORT[lang][group], u[1])
    templates = TEMPLATES[lang]
    parts = [_pick(OPENERS[lang][group], u[1])] if u[2] < OPENER_SHARE else []
    weakest = [_theme(ITEMS[order[0]], bev, u[3]), _theme(ITEMS[order[1]], bev, u[4])]
    strongest = [_theme(ITEMS[order[-1]], bev, u[3]), _theme(ITEMS[order[-2]], bev, u[4])]
    two = u[5] < SECOND_SHARE
    if group == "detractor":
        parts += [_pick(templates[t][0], u[6 + k]) for k, t in enumerate(weakest[: 1 + two])]
    elif group == "promoter":
        parts += [_pick(templates[t][1], u[6 + k]) for k, t in enumerate(strongest[: 1 + two])]
    else:
        both = [_pick(templates[strongest[0]][1], u[6]), _pick(templates[weakest[0]][0], u[7])]
        parts += both if u[5] < 0.6 else both[1:]
    if u[8] < EXTRA_SHARE:
        theme = _pick(EXTRA_THEMES, u[9])
        parts.append(_pick(templates[theme][1 if group == "promoter" else 0], u[10]))
    if u[11] < CONTACT_SHARE:
        parts.append(_pick(CONTACT[lang], u[12]))
    return ("" if lang == "zh" else " ").join(dict.fromkeys(parts))


def answers(frame: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The open answers of one chunk of demo respondents (null where nobody wrote).

    Args:
        frame: demo respondents (:func:`cx.build.demo.generate`).
        seed: the demo's seed (with the chunk's first respondent, it seeds the draws).

    Returns:
        ``respondent_id``, ``question``, ``question_text``, ``text`` for the sector's
        respondents; ``text`` is null, blank or "-" for those who wrote nothing.
    """
    first = int(str(frame["respondent_id"][0])[1:]) if frame.height else 0
    rng = np.random.default_rng([seed, 77, first])
    sector = frame.filter(pl.col("industry").is_in(list(SECTOR)))
    groups = _groups(sector["nps_score"].to_numpy()).tolist()
    languages = _languages(rng, sector["country"].to_numpy()).tolist()
    ranked = _ranked_items(rng, sector).tolist()
    bev = (sector["powertrain"] == "BEV").fill_null(False).to_list()
    share = np.array([ANSWER_SHARE[g] for g in groups]) if groups else np.array([])
    writes = (rng.random(len(groups)) < share).tolist()
    draws = rng.random((len(groups), DRAWS)).tolist()
    blanks = ("", " ", "-")
    texts: list[str | None] = [
        _compose(u, lang, g, order, b)
        if w
        else (blanks[int(u[13] * 3)] if u[0] < BLANK_SHARE else None)
        for w, u, lang, g, order, b in zip(
            writes, draws, languages, groups, ranked, bev, strict=True
        )
    ]
    return pl.DataFrame(
        {
            "respondent_id": sector["respondent_id"],
            "question": pl.repeat(QUESTION, sector.height, eager=True, dtype=pl.String),
            "question_text": pl.repeat(QUESTION_TEXT, sector.height, eager=True, dtype=pl.String),
            "text": pl.Series(texts, dtype=pl.String),
        }
    )


def store(con: duckdb.DuckDBPyConnection, raw: pl.DataFrame) -> int:
    """Prepare (mask, drop empty answers), analyse and store the demo's answers.

    Returns:
        The number of comments stored.
    """
    from cx.text import pipeline
    from cx.text import store as text_store

    comments = pipeline.prepare(raw, NOT_ANSWERED)
    return text_store.write(con, DEMO_DATASET, pipeline.analyse(comments))
