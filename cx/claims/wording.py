"""The words of claims: every template the renderer (:mod:`cx.claims.render`) fills, by kind
and phrase. A claim's numbers never appear here; the renderer formats them as the charts'
labels do. A translation replaces this module's sentences and keeps its keys and blanks.
"""

from __future__ import annotations

from cx.core import display
from cx.core.i18n import N_

#: Statements by key (sentences without numbers).
STATEMENTS: dict[str, str] = {
    "no_brand": N_("No brand has enough responses to report"),
    "no_group": N_("No {noun} has enough responses to report"),
    "no_stages": N_("Too few responses to rate the journey stages"),
    "no_trend": N_("Too few responses per wave to show a trend"),
    "no_trend_of": N_("{subjects}: too few responses per wave for a trend"),
    "one_wave": N_("One wave in this selection: no trend to show"),
    "nothing": N_("Nothing to show for this selection"),
    "few_mapped": N_("Too few countries with enough responses to map"),
    "few_compared": N_("Too few {noun} with enough responses to compare"),
    "few_per_country": N_("{subject}: too few responses per country to rank"),
    "one_country": N_("One country in this selection: choose more in the sidebar to compare"),
    "no_model": N_("Too few complete answers for a driver model"),
    "no_model_why": N_("No driver model: {why}"),
    "weak_model": (
        N_("The stages explain little of NPS here: no stage can be named the one to fix first")
    ),
    "unsettled": N_("its lead over {other} is not settled at the {level} level"),
    "not_compared": N_("{what} by {by}"),
    "no_answers": N_("No statement answered yet: answer the statements below to get a stage"),
    "answer_to_compare": N_("answer them to compare"),
    "no_strategy_figure": N_("Capgemini's executive figures on CX strategy"),
    "few_assessments": N_("Too few complete assessments of {organisation} for a trend"),
    "outlet_unranked": N_(
        "{name} has {n} responses, under the minimum of {min_n}: listed, not ranked"
    ),
    "outlet_no_trend": N_("Too few answers at {name} per half of the waves to show a trend"),
    "outlet_only": N_("{name} is the only {brand} outlet in view: it has no rank in its brand"),
    "outlet_no_stages": N_("Too few answers at {name} to rate its stages"),
    "outlet_no_rest": N_("too few other {brand} answers in view to compare"),
    "demo_brands": N_("the brands are fictional demo brands"),
    "survey_none": N_("Your survey: no brand of {where} has enough responses to report"),
    "averages_only": N_("{study}: published averages only, no brand figures"),
    "no_figure_that_year": N_("{brand} has no published figure that year"),
    "too_few_published": N_("{brand}: too few published brands per study to place it in quartiles"),
    # the What changed page and the digest
    "one_wave_compare": N_("One wave in this selection: nothing to compare"),
    "no_control": N_(
        "No outlet has enough responses in its baseline and its latest wave for a control chart"
    ),
}

#: Top claims by phrase: {who} the row(s), {value} the figure, {noun} and {scope} as given.
TOP: dict[str, str] = {
    "leads": N_("{who} {leads} with an NPS of {value}{scope}"),
    "trails": N_("{who} {trails} with an NPS of {value}{scope}"),
    "sales_lead": N_("{who} sales lead on NPS ({value})"),
    "highest_nps": N_("highest NPS: {who} ({value})"),
    "lowest_nps": N_("lowest: {who} ({value})"),
    "largest": N_("{who} {has} the largest {noun}: {value}"),
    "smallest": N_("{who} {has} the smallest {noun}: {value}"),
    "weakest": N_("{who} {is} the weakest {noun}{scope} ({value} satisfied)"),
    "strongest": N_("{who} {is} the strongest {noun}{scope} ({value} satisfied)"),
    "only_stage": N_("{who} is the only {noun} with enough answers{scope} ({value} satisfied)"),
    "same_stages": N_("{who} are equally satisfying{scope} ({value} satisfied)"),
    "level": N_(
        "No {noun} is clearly more or less satisfying than the others{scope} ({value} satisfied)"
    ),
    "highest": N_("{who} {has} the highest {noun}: {value}"),
    "lowest": N_("{who} {has} the lowest {noun}: {value}"),
    "highest_in": N_("NPS is highest in {who} ({value})"),
    "same_nps": N_("{who} show the same NPS ({value})"),
    "lowest_in": N_("lowest in {who} ({value})"),
    "best_in": N_("{noun} does best in {who} ({value})"),
    "none_leads": N_("No {noun} clearly leads{scope} (NPS {value})"),
    "none_highest_nps": N_("No industry's NPS is clearly the highest ({value})"),
    "none_highest_in": N_("NPS is not clearly highest in any country ({value})"),
    "none_best_in": N_("{noun} does not clearly do best in any country ({value})"),
    "worst_in": N_("worst in {who} ({value})"),
    "converts": N_("{who} {converts} {value} of leads into orders, the most of any {noun}"),
    "swing": N_("{who} {moves} the result most"),
    "fix_first": (
        N_(
            "Fix {who} first: of the less-satisfied half of the stages it weighs most for NPS "
            "({value} of what the stages explain)"
        )
    ),
    "weighs_most": (
        N_(
            "{who} {weighs} most for NPS among the less-satisfied half of the stages ({value} of "
            "what the stages explain)"
        )
    ),
    "weighs_most_all": N_("{who} {weighs} most for NPS ({value} of what the stages explain)"),
    "most": N_("{who} {is} mentioned most often ({value})"),
    "least": N_("{who} {is} mentioned least often ({value})"),
    "holds_there": N_("{who} ({value}) {holds} the programme there"),
    "strongest_of": N_("strongest: {who} ({value})"),
    "weakest_of": N_("weakest: {who} ({value})"),
    "share_from": N_("between {value}"),
    "share_to": N_("and {value} of {noun} organisations do these practices"),
    "leads_shrunk": N_("{who} {leads} with a shrunk NPS of {value}"),
    "highest_median": N_("{who} outlets have the highest median shrunk NPS ({value})"),
    "median_only": N_("{who} outlets: median shrunk NPS {value}"),
    # a group's name may be plural in form ("Independent dealers has the best median outlet"),
    # and a group is no outlet ("best median outlet: Crown Dealer Network")
    "best_median": N_("highest group median: {who} ({value})"),
    "weakest_median": N_("lowest group median: {who} ({value})"),
    "theme": N_("Themes the taxonomy misses: {quoted} {is} the largest ({value} comments)"),
    "leads_study": N_("{who} {leads}{scope} with {value}"),
    "survey_leads": N_("Your survey: {who} {leads}{scope} with NPS {value}"),
    "survey_none_leads": N_("Your survey: no brand clearly leads{scope} (NPS {value})"),
    "survey_none_leads_top2": N_(
        "Your survey: no brand clearly leads{scope} on satisfaction with the purchase stage "
        "({value})"
    ),
    "survey_leads_top2": (
        N_("Your survey: {who} {leads}{scope} on satisfaction with the purchase stage ({value})")
    ),
    "best_placing": N_("{scope_name}'s best placing is {who} (percentile rank {value})"),
    # the same findings of a single row: it leads nothing, it is the one there is
    "only_channel": N_("NPS of {who}: {value} (the only channel in this selection)"),
    "one_theme": N_("Themes the taxonomy misses: one, {quoted} ({value} comments)"),
    "only_stage_shown": N_(
        "{scope_name}'s only stage with enough answers is {who} ({value} satisfied)"
    ),
    "only_in_study": N_("{who} is the only brand with a figure in{scope}: {value}"),
    "only_share": N_("{who} {has} a {noun} of {value}, the only one with enough responses"),
    "only_brand": N_("{who} is the only brand with enough responses: NPS {value}{scope}"),
    "survey_only": N_(
        "Your survey: {who} is the only brand of{scope} with enough answers: NPS {value}"
    ),
    "survey_only_top2": N_(
        "Your survey: {who} is the only brand of{scope} with enough answers: {value} satisfied with "
        "the purchase stage"
    ),
    "only_converts": N_(
        "{who} {converts} {value} of leads into orders (the only channel in this selection)"
    ),
    "lowest_stage": N_("{scope_name}'s lowest stage is {who} ({value} satisfied)"),
    "lowest_stage_shown": (
        N_("{scope_name}'s lowest stage with enough answers is {who} ({value} satisfied)")
    ),
}

#: Value claims by phrase: {who} the row, {value} its figure, {scope} whose figure it is.
VALUE: dict[str, str] = {
    "value": N_("{value}"),
    "at_risk": N_("{value} a year at risk"),
    "kept": N_("{value} could be kept by better CX"),
    "only_satisfied": N_("only {value} are satisfied with it"),
    "nps_of": N_("NPS of {who}: {value}{scope}"),
    "shrunk_nps_of": N_("shrunk NPS of {who}: {value}{scope}"),
    "switch_if_dissatisfied": (
        N_("{value} of customers dissatisfied with {who} intend to switch brand within 18 months")
    ),
    "vehicles": N_("{value} vehicles a year"),
    "promoters": N_("promoters {value}"),
    "r2": N_("R² = {value}"),
    "stage_is": N_("Stage {value}"),
    "mean_score": N_("mean score {value}"),
    "below_mean": N_("below its mean of {value}"),
    "were_at": N_("{value} of large organisations were at {who}"),
    "reached": N_("{value} reached {who}"),
    "like_you": N_("like you, {value} of large organisations were at {who}"),
    "have_strategy": N_("You have a coherent CX strategy; only {value} of organisations do"),
    "only_strategy": N_("Only {value} of organisations have a coherent, comprehensive CX strategy"),
    "no_strategy": N_(
        "Like most organisations (only {value} have one), no coherent CX strategy yet"
    ),
}

#: Value claims whose figure shows zero, by phrase: said in words rather than "0%".
VALUE_ZERO: dict[str, str] = {
    "reached": N_("none reached {who}"),
    "like_you": N_("no large organisation in the study was at {who}, where you are"),
}

#: Change claims by phrase: {subject}, {before}, {after}, {change} (the labels' difference),
#: {start}, {end}, {verdict} (significant or not) and {level}.
CHANGE: dict[str, str] = {
    "moved": N_("{subject} moved {change} from {start} to {end}, {verdict}"),
    "moved_points": N_("{subject} {direction} from {start} to {end}, {verdict}"),
    "nps": N_("NPS {after} in {end}, {change} vs {start} ({short})"),
    "vs": N_("{change} vs {start} ({short})"),
    "rose": N_("NPS {direction}, from {before} in {start} to {after} in {end}, {verdict}{at}"),
    "stage": N_("Stage {before} → {after} from {start} to {end}"),
    "mean_over": N_("mean {before} → {after}"),
    "published": N_("{subject}: {before} in {start}, {after} in {end}"),
}

#: Change claims whose two figures show the same, by phrase.
CHANGE_HELD: dict[str, str] = {"stage": N_("Still stage {after} from {start} to {end}")}

#: Total claims by phrase: {value} the total as its parts' labels add up, {subject}, {predicate}.
TOTAL: dict[str, str] = {
    "of": N_("{value} of {subject} {predicate}"),
    "below": N_("{value} below"),
    "answered": N_("{value} statements answered"),
}

#: Total claims whose total shows one, by phrase.
TOTAL_ONE: dict[str, str] = {"answered": N_("{value} statement answered")}

#: Tally claims by phrase: {count} of {total} rows read the value, {who} names them,
#: {unanswered} says how many show none.
TALLY: dict[str, str] = {
    "you_do": N_(
        "You do {count} of the {total} practices that set {noun} organisations apart{unanswered}"
    ),
    "unscored": N_("not scored yet: {who}"),
    "top_quartile": N_(
        "{brand} is in the top quartile of {count} of {total} {studies} (latest "
        "published year each)"
    ),
}

#: Tally claims counting no row, by phrase.
TALLY_NONE: dict[str, str] = {
    "top_quartile": N_("{brand} is not in the top quartile of any study with quartiles")
}

#: Versus wordings: the relation of the first figure to the second, as shown.
VERSUS: dict[str, str] = {
    "reaches": N_("{first} ({a}) {reaches} {second} ({b})"),
    "median": N_("{first} outlets' median shrunk NPS ({a}) is {relation} {second} outlets' ({b})"),
}

#: Rank claims by phrase: {subject}, {place} ("joint 2nd"), {total}, {noun}, {figure} (" (+2)").
RANK: dict[str, str] = {
    "ranks": N_("{subject} ranks {place} of {total} {noun}{figure}"),
    "place": N_("{subject}{figure}: {place} of {total} {noun}"),
}

#: Distinct wordings by phrase: (one value, several).
DISTINCT: dict[str, tuple[str, str]] = {
    "studies": (
        N_("{brand}: published scores in 1 study"),
        N_("{brand}: published scores in {count} studies"),
    ),
}

#: Cells by metric: what a row of a changes table is called.
CELLS: dict[str, str] = {
    "nps": N_("NPS of {group}"),
    "outlet_nps": N_("NPS of {group}"),
    "satisfied": N_("{item} satisfaction at {group}"),
    "topic_share": N_("Share of comments on {group}"),
}

#: Groups without a name of their own.
GROUPS: dict[str, str] = {"All": N_("all respondents")}

#: Tallies by phrase: (nothing flagged, some flagged).
FLAGGED: dict[str, tuple[str, str]] = {
    "changed": (
        N_("no significant change in {which} from {start} to {end}"),
        N_("{count} of {total} {noun} changed significantly from {start} to {end}"),
    ),
    "beyond": (  # the detractor share named: beside "no significant change" in the cells'
        # NPS, "moved beyond their limits" read as a contradiction (another measure and test)
        N_(
            "no {singular}'s detractor share moved beyond its control limits in {end} ({total} tested)"
        ),
        N_("{count} of {total} {noun}: detractor share beyond the control limits in {end}"),
    ),
}

#: Contrast wordings: (the difference is positive, negative). Blanks: {subject} (and
#: {subject_lower}), {size} and {difference} (the difference as labelled), {q0}, {q1}... (the
#: quoted figures), {verdict} (significant or not) and the claim's ``values``.
CONTRAST: dict[str, tuple[str, str]] = {
    "nps_mentioning": (
        N_(
            "Commenters who mention {subject_lower} give an NPS {size} points higher than the "
            "other commenters"
        ),
        N_(
            "Commenters who mention {subject_lower} give an NPS {size} points lower than the "
            "other commenters"
        ),
    ),
    "group_mentions": (
        N_("{item} sets detractors apart: mentioned by {q0} of detractors and {q1} of promoters"),
        N_("{item} sets promoters apart: mentioned by {q0} of detractors and {q1} of promoters"),
    ),
    "brand_mentions": (
        N_(
            "{subject}'s commenters mention {item_lower} more often than other brands' ({q0} vs {q1})"
        ),
        N_(
            "{subject}'s commenters mention {item_lower} less often than other brands' ({q0} vs {q1})"
        ),
    ),
    "stage_trails": (
        N_(
            "{outlet} is at or above the rest of {brand} at every stage it delivers; its smallest "
            "lead is at {subject} ({q0} satisfied against {q1}, {verdict})"
        ),
        N_(
            "{outlet} trails the rest of {brand} most at {subject}: {q0} satisfied against {q1} "
            "({verdict})"
        ),
    ),
    # some of the outlet's stages cannot be compared (too few answers from it or from the
    # rest): "every stage it delivers" stood over one stage compared of five
    "stage_trails_shown": (
        N_(
            "{outlet} is at or above the rest of {brand} at every stage where the two can be "
            "compared; its smallest lead is at {subject} ({q0} satisfied against {q1}, {verdict})"
        ),
        N_(
            "{outlet} trails the rest of {brand} most at {subject} of the stages where the two "
            "can be compared: {q0} satisfied against {q1} ({verdict})"
        ),
    ),
    "stage_trails_one": (
        N_(
            "{outlet} is at or above the rest of {brand} at {subject}, the only stage where the "
            "two can be compared ({q0} satisfied against {q1}, {verdict})"
        ),
        N_(
            "{outlet} trails the rest of {brand} at {subject}, the only stage where the two can "
            "be compared: {q0} satisfied against {q1} ({verdict})"
        ),
    ),
    "outlet_rest": (
        N_("{subject}'s raw NPS of {q0} is {above} the rest of {brand} ({q1})"),
        N_("{subject}'s raw NPS of {q0} is {below} the rest of {brand} ({q1})"),
    ),
}

#: Sides wordings of one row by phrase, after a claim that names it: (above, below, neither).
SIDES_ONE: dict[str, tuple[str, str, str]] = {
    "rest": (
        N_("it is significantly above {benchmark}"),
        N_("it is significantly below {benchmark}"),
        N_("it is not significantly above or below {benchmark}"),
    ),
}

#: Sides wordings by phrase: (some rows significant, none). Blanks: {above}, {below}, {total},
#: {noun}, {of_them} ("3 of 52" or "none of the 52") and the claim's ``values``.
SIDES: dict[str, tuple[str, str]] = {
    "rest": (
        N_("{of_them} {noun} {are} significantly above {benchmark}, {below} below"),
        N_("none of the {total} {noun} is significantly above or below {benchmark}"),
    ),
    "mentions_groups": (
        N_(
            "{above} of {total} {noun} are mentioned significantly more often by detractors than "
            "by promoters, {below} less often"
        ),
        N_(
            "No {singular} is mentioned significantly more or less often by detractors than by "
            "promoters"
        ),
    ),
    "nps_topics": (
        N_(
            "{above} of {total} {noun} go with a significantly higher NPS than the other "
            "commenters', {below} with a lower one"
        ),
        N_("No topic goes with a significantly different NPS"),
    ),
    "brand_topics": (
        N_(
            "{above} of {total} brand-topic pairs are mentioned significantly more often than at "
            "other brands, {below} less often"
        ),
        N_(
            "No brand's commenters mention a topic significantly more or less often than other brands'"
        ),
    ),
}

#: Strongest wordings by phrase: (some rows named, none flagged).
STRONGEST: dict[str, tuple[str, str]] = {
    "writes": (N_("{who} write {subjects}"), N_("no term sets {who_lower} apart")),
}

#: Verbs agreeing with one subject, by the blank they fill ({leads}, {has}...).
VERBS_ONE: dict[str, str] = {
    "leads": N_("leads"),
    "trails": N_("trails"),
    "has": N_("has"),
    "is": N_("is"),
    "converts": N_("converts"),
    "moves": N_("moves"),
    "weighs": N_("weighs"),
    "holds": N_("holds"),
}
#: ...and with several.
VERBS_MANY: dict[str, str] = {
    "leads": N_("lead"),
    "trails": N_("trail"),
    "has": N_("have"),
    "is": N_("are"),
    "converts": N_("convert"),
    "moves": N_("move"),
    "weighs": N_("weigh"),
    "holds": N_("hold"),
}

#: Words the reports pass into claims (nouns counted or named, benchmarks, predicates): the
#: renderer shows each in the language (:func:`cx.claims.render.said`); other text (names
#: from data, words a report already translated) is shown as given.
PHRASES: frozenset[str] = display.WORDS


#: A top claim's phrase when one row shows a value: "X leads" of one row said as the one there
#: is (:func:`cx.claims.model.top`); the checker holds every other top to two rows or more.
ALONE: dict[str, str] = {
    "sales_lead": "only_channel",
    "theme": "one_theme",
    "leads_study": "only_in_study",
    "converts": "only_converts",
    "leads": "only_brand",
    "largest": "only_share",
    "smallest": "only_share",
    "lowest_stage": "only_stage_shown",
    "lowest_stage_shown": "only_stage_shown",
    "survey_leads": "survey_only",
    "survey_leads_top2": "survey_only_top2",
}

#: A top phrase when the whiskers tell no row from the top (every row named): "Voltara and
#: Ikaru lead" stood over a chart of those two brands alone.
NONE_CLEAR: dict[str, str] = {
    "leads": "none_leads",
    "sales_lead": "none_leads",
    "survey_leads": "survey_none_leads",
    "survey_leads_top2": "survey_none_leads_top2",
    "highest_nps": "none_highest_nps",
    "highest_in": "none_highest_in",
    "best_in": "none_best_in",
}

#: Top phrases whose noun is not the kind of their subjects (a brand doing best in countries).
NOUN_NOT_SUBJECTS = frozenset({"best_in"})

#: Top phrases that say their row is the only one shown: the checker holds them to one row, as
#: it holds every other top claim to two or more.
ONE_ROW = frozenset({*ALONE.values(), "only_stage", "median_only"})
#: Top phrases true of any number of rows: a subject's best of its own rows.
ANY_ROWS = frozenset({"best_placing"})
