"""How exports name their columns: header names and question wording per canonical field.

Patterns are matched on the lower-cased column name, its question and (for a matrix question)
the row label after the last " - " (:func:`cx.ingest.mapping.question_texts`). English, German,
Chinese and Russian, the languages of our users' field teams; stage questions in the words a
questionnaire uses ("Finding information about the car online", "Negotiating the price and
signing the contract"), not only the framework's stage names.
"""

from __future__ import annotations

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

#: Respondent ids: what exports and field agencies call them.
ID_NAMES = (
    r"^(responseid|response id|respondent|respondent id|respondent_id|respondentid|resp\.? ?id|"
    r"resp\.? ?no\.?|record id|_recordid|record|id|uid|case|case ?id|caseid|case number|serial|"
    r"serial no\.?|interview ?(id|no\.?|number)|participant|participant id|customer id|"
    r"client id|questionnaire (id|no\.?)|lfdn|lfd\.? ?nr\.?|befragten-?id|fragebogen-?nr\.?|"
    r"teilnehmer-?id|编号|編號|问卷编号|样本编号|受访者编号|答卷编号|序号|номер анкеты|номер респондента|"
    r"id респондента|ид|№)$"
)
#: Response or interview dates.
DATE_NAMES = (
    r"^(recordeddate|recorded date|enddate|end date|date|response date|submitted( at)?|"
    r"submitdate|startdate|start date|timestamp|interview date|date of (the )?interview|"
    r"survey date|completion date|completed( at| on)?|date completed|datum|befragungsdatum|"
    r"interviewdatum|erhebungsdatum|日期|调查日期|访问日期|填写日期|提交时间|日付|回答日|дата|"
    r"дата (интервью|опроса|анкетирования|заполнения))$"
)

#: (canonical, regex). First match wins per column, and each canonical column takes the
#: first matching source column (Qualtrics ids such as ``Q3`` are matched through their
#: question text).
RULES: tuple[tuple[str, str], ...] = (
    ("respondent_id", ID_NAMES),
    ("date", DATE_NAMES),
    ("wave", r"^(wave|survey wave|period|quarter|welle|erhebungswelle|波次|волна)$"),
    (
        "weight",
        r"^(weight|weights|wt|wgt|weighting|weight factor|weighting factor|survey weight|"
        r"design weight|final weight|gewicht|gewichtung|gewichtungsfaktor|gewichtungsvariable|"
        r"权重|加权|权重系数|вес|весовой коэффициент)$",
    ),
    (
        "switch_intent",
        r"switch|change (to another|brand)|another brand|different brand|other brand|"
        r"marke\b.*\bwechseln|markenwechsel|wechselabsicht|wechselbereitschaft|andere marke|"
        r"换品牌|更换品牌|其他品牌|換品牌|"
        r"сменить марку|другую марку|смена марки",
    ),
    (
        "nps_score",
        r"^(nps|nps_score|nps score|ltr|likelihood to recommend)$|how likely .*recommend|"
        r"likely.*recommend|recommend.*\b0\s*-\s*10\b|weiterempfehl|推荐给|推荐.*可能|推薦.*可能|"
        r"可能.*推荐|可能.*推薦|推奨|рекомендовать|порекомендуете|"
        r"порекомендовали",
    ),
    (
        "country",
        r"^(country|country code|country_code|iso country|market|land|国家|страна)$|"
        r"which country|country (of|where)|in which country|in welchem land|哪个国家|в какой стране",
    ),
    *OUTLET_RULES,
    ("industry", r"^(industry|sector|category|branche|行业|отрасль)$|which industry"),
    (
        "channel",
        r"^(channel|sales channel|sales_channel|purchase channel|vertriebskanal|kaufkanal|kaufart|"
        r"art des kaufs|vertriebsweg|"
        r"购买渠道|渠道|канал( продаж| покупки)?)$|how did you (buy|purchase)|"
        r"where did you (buy|purchase)|bought (it )?(from|through|via)|wo haben sie .* gekauft|"
        # Qualtrics' "Did you buy from a dealer or directly online?": a question that offers
        # the dealer or the brand, not one that mentions a dealer ("Which brand did you buy from
        # the dealer?", "Did you buy the car at a fair price?")
        r"^did you (buy|purchase)\b.*\b(dealer|dealership)\b.*\bor\b.*\b(direct|directly|online)\b|"
        r"在哪里购买|где вы купили",
    ),
    (
        "brand",
        r"^(brand|make|manufacturer|company|marke|hersteller|品牌|марка|бренд|ブランド|メーカー)$|"
        r"^(brand owned|owned brand|current brand|car brand|vehicle brand|car make|vehicle make|"
        r"make of (car|vehicle)|car manufacturer|vehicle manufacturer|marque|automarke|fahrzeugmarke|"
        r"汽车品牌|车辆品牌|марка автомобиля)$|which brand|brand (of|do you)|"
        r"which (company|manufacturer|make)|which (car|vehicle) (brand|make)|"
        r"what (car |vehicle )?(brand|make)|welche (auto|fahrzeug)?marke|哪个品牌|什么品牌|"
        r"какой марки|какую марку",
    ),
    ("segment", r"^(segment|vehicle segment|fahrzeugsegment|细分市场|сегмент)$"),
    ("ownership", r"^(ownership|owner or user|owner_user|halter|车主类型|владение)$"),
    (
        "powertrain",
        r"^(powertrain|fuel type|drivetrain|engine type|antrieb|antriebsart|kraftstoff|"
        r"动力类型|燃料类型|тип двигателя|топливо)$",
    ),
    ("price_transparency", r"price transparen|preistransparenz|价格透明|прозрачность цен"),
    (
        "awareness",
        r"\bawareness\b|aware|first heard|hear(d|ing) (about|of)|learn(ed|ing|t)? about the brand|"
        r"advertis|bekanntheit|aufmerksam|werbung|erfahren|知晓|认知|广告|得知|узнали|узнавани|"
        r"осведомл|реклам",
    ),
    (
        "research",
        r"\bresearch|information (search|gathering)|finding information|find(ing)? out about|"
        r"looking (up|for) information|information (about|on)|compar(e|ing) (models|cars|offers)|"
        r"configurator|informationssuche|informieren|recherch|信息|資訊|搜索|查询|查找|了解车型|研究|情報収集|"
        r"поиск информации|информаци|изучени",
    ),
    (
        "shop",
        r"\bshop\b|shopping|showroom|test drive|dealer visit|visit(ing)? the (dealer|store|"
        r"showroom|retailer)|sales consultation|advice from|probefahrt|autohausbesuch|beratung|"
        r"试驾|試駕|到店|看车|看車|展厅|試乗|тест-драйв|посещени|консультаци",
    ),
    (
        "purchase",
        r"\bpurchase\b|purchas|buying|negotiat|sign(ing|ed)? the contract|contract|financing|"
        r"\bkauf|vertrag|verhandl|finanzierung|购买|购车|購車|签约|合同|合約|谈价|談價|購入|покупк|договор|"
        r"оформлени|переговор",
    ),
    (
        "receive",
        r"\breceive\b|deliver|handover|hand-over|receiving|pick(ing)? up (the|your) (car|vehicle)|"
        r"collect(ing)? (the|your) (car|vehicle)|übergabe|auslieferung|lieferung|abholung|交付|"
        r"交车|交車|提车|納車|получени|выдач|доставк|передач",
    ),
    (
        "use",
        r"^use\b|\buse satisf|usage|using the|driving experience|ownership experience|daily use|"
        r"living with|nutzung|fahrerlebnis|im alltag|使用|驾驶体验|用车|использовани|эксплуатаци|"
        r"вождени",
    ),
    (
        "maintain",
        r"\bmaintain\b|after-?sales|after sales|maintenance|servic|repair|workshop|wartung|"
        r"werkstatt|inspektion|reparatur|kundendienst|保养|保養|维修|維修|售后|售後|整備|点検|"
        r"обслуживани|ремонт|сервис",
    ),
    (
        "recommend",
        r"^recommend\b|referr|recommendation experience|satisf.*recommend|empfehlungsprogramm|"
        r"推荐奖励|推荐计划|реферальн|программ\w* рекомендаций",
    ),
)

#: Questions asking whether the respondent will buy the same brand again: the opposite of
#: "will you switch", so their yes/no answers are never read as switching intent.
REPURCHASE = (
    r"same (brand|make|marque|manufacturer)|repurchas|re-purchas|buy .*\bagain\b|"
    r"(stay|stick|remain) (with|loyal)|\bloyal|next (car|vehicle) (from|of) the same|"
    r"(gleiche|dieselbe|selbe) marke|wieder .*(kaufen|wählen)|treu|同一品牌|同品牌|再次购买|复购|"
    r"ту же марку|снова (купить|купите|выберете)|повторн"
)

#: Header names that make a column the NPS score whatever its values (they are then validated
#: row by row); other matches must also have 0-10 answers.
STRONG_NPS_NAMES = r"nps|nps_score|nps score|ltr|likelihood to recommend"

#: Question wording or headers of open answers (English, German, Chinese, Russian).
COMMENT_WORDING = (
    r"anything else|why did you|why do you|reason for (your|the)? ?(score|rating)|comment|"
    r"feedback|suggest|tell us|improve|please (explain|specify|describe)|in your own words|"
    r"open answer|verbatim|kommentar|anmerkung|begründ|warum|sonstige|verbesser|anregung|"
    r"mitteilen|sonst noch|noch etwas|"
    r"评论|意见|意見|建议|建議|原因|为什么|留言|想告诉|补充|コメント|ご意見|комментар|отзыв|почему|"
    r"пожелан|предложен|замечан|что-нибудь ещё|что-нибудь еще|хотели бы добавить"
)
#: Headers that are never comments: survey metadata and contact details (personal data,
#: which must not be stored as text); questions asking for contact details are not either.
NOT_COMMENT = (
    r"e-?mail|name|phone|address|\bip\b|latitude|longitude|external|recipient|date|time|"
    r"duration|progress|status|finished|language|distribution|^id$|_id$|\bid\b|nps_group"
)
CONTACT = r"e-?mail|your name|phone|address|contact details|telefon|电话|邮箱|телефон|почт"
#: Survey-platform metadata: never a field, said so in the mapping step.
METADATA = (
    r"^(status|progress|finished|duration.*|ipaddress|ip address|distributionchannel|"
    r"distribution channel|userlanguage|user language|locationlatitude|locationlongitude|"
    r"location ?latitude|location ?longitude|externalreference|external reference|"
    r"recipient.*|collector id|response type)$"
)


#: Industry answers that name carmakers' customers (compared folded: lower case, single
#: spaces), read as the app's Automakers, the industry the automotive pages show: an upload's
#: "Automotive" left its insurance customers on the Dealer vs direct page. Car dealers, a
#: published industry of their own, are not among them, nor "Auto" or "Cars" (an insurer's
#: lines of business: Auto, Home, Life).
AUTOMOTIVE_INDUSTRY = frozenset(
    {
        "automotive", "automobile", "automobiles", "automaker", "automakers",
        "auto maker", "auto makers", "carmaker", "carmakers", "car maker", "car makers",
        "car manufacturer", "car manufacturers", "automotive oem", "automotive brands",
        "automobil", "automobilindustrie", "automobilhersteller", "autohersteller",
        "汽车", "汽车行业", "汽车制造商", "автомобили", "автопроизводители", "автомобильная отрасль",
    }
)  # fmt: skip
