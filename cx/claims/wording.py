"""The words of claims: every template the renderer (:mod:`cx.claims.render`) fills, by kind
and phrase. A claim's numbers never appear here; the renderer formats them as the charts'
labels do. A translation replaces this module's sentences and keeps its keys and blanks.
"""

from __future__ import annotations

#: Statements by key (sentences without numbers).
STATEMENTS: dict[str, str] = {
    "no_brand": "No brand has enough responses to report",
    "no_group": "No {noun} has enough responses to report",
    "no_stages": "Too few responses to rate the journey stages",
    "no_trend": "Too few responses per wave to show a trend",
    "no_trend_of": "{subjects}: too few responses per wave for a trend",
    "one_wave": "One wave in this selection: no trend to show",
    "nothing": "Nothing to show for this selection",
    "few_mapped": "Too few countries with enough responses to map",
    "few_compared": "Too few {noun} with enough responses to compare",
    "few_per_country": "{subject}: too few responses per country to rank",
    "no_model": "Too few complete answers for a driver model",
    "no_model_why": "No driver model: {why}",
    "weak_model": (
        "The stages explain little of NPS here: no stage can be named the one to fix first"
    ),
    "unsettled": "its lead over {other} is not settled at the {level} level",
    "not_compared": "{what} by {by}",
    "no_answers": "No statement answered yet: answer the statements below to get a stage",
    "answer_to_compare": "answer them to compare",
    "no_strategy_figure": "Capgemini's executive figures on CX strategy",
    "few_assessments": "Too few complete assessments of {organisation} for a trend",
    "outlet_unranked": "{name} has {n} responses, under the minimum of {min_n}: listed, not ranked",
    "outlet_no_trend": "Too few answers at {name} per half of the waves to show a trend",
    "outlet_no_stages": "Too few answers at {name} to rate its stages",
    "outlet_no_rest": "too few other {brand} answers in view to compare",
    "demo_brands": "the brands are fictional demo brands",
    "survey_none": "Your survey: no brand of {where} has enough responses to report",
    "averages_only": "{study}: published averages only, no brand figures",
    "no_figure_that_year": "{brand} has no published figure that year",
    "too_few_published": "{brand}: too few published brands per study to place it in quartiles",
    # the What changed page and the digest
    "one_wave_compare": "One wave in this selection: nothing to compare",
    "no_control": "No outlet has enough responses in its baseline and its latest wave for a control chart",
}

#: Top claims by phrase: {who} the row(s), {value} the figure, {noun} and {scope} as given.
TOP: dict[str, str] = {
    "leads": "{who} {leads} with an NPS of {value}{scope}",
    "trails": "{who} {trails} with an NPS of {value}{scope}",
    "sales_lead": "{who} sales lead on NPS ({value})",
    "highest_nps": "highest NPS: {who} ({value})",
    "lowest_nps": "lowest: {who} ({value})",
    "largest": "{who} {has} the largest {noun}: {value}",
    "smallest": "{who} {has} the smallest {noun}: {value}",
    "weakest": "{who} {is} the weakest {noun}{scope} ({value} satisfied)",
    "strongest": "{who} {is} the strongest {noun}{scope} ({value} satisfied)",
    "highest": "{who} {has} the highest {noun}: {value}",
    "lowest": "{who} {has} the lowest {noun}: {value}",
    "highest_in": "NPS is highest in {who} ({value})",
    "same_nps": "{who} show the same NPS ({value})",
    "lowest_in": "lowest in {who} ({value})",
    "best_in": "{noun} does best in {who} ({value})",
    "worst_in": "worst in {who} ({value})",
    "converts": "{who} {converts} {value} of leads into orders, the most of any {noun}",
    "swing": "{who} {moves} the result most",
    "fix_first": (
        "Fix {who} first: of the less-satisfied half of the stages it weighs most for NPS "
        "({value} of what the stages explain)"
    ),
    "weighs_most": (
        "{who} {weighs} most for NPS among the less-satisfied half of the stages ({value} of "
        "what the stages explain)"
    ),
    "weighs_most_all": "{who} {weighs} most for NPS ({value} of what the stages explain)",
    "most": "{who} {is} mentioned most often ({value})",
    "least": "{who} {is} mentioned least often ({value})",
    "holds_there": "{who} ({value}) {holds} the programme there",
    "strongest_of": "strongest: {who} ({value})",
    "weakest_of": "weakest: {who} ({value})",
    "share_from": "between {value}",
    "share_to": "and {value} of {noun} organisations do these practices",
    "leads_shrunk": "{who} {leads} with a shrunk NPS of {value}",
    "highest_median": "{who} outlets have the highest median shrunk NPS ({value})",
    "median_only": "{who} outlets: median shrunk NPS {value}",
    "best_median": "{who} {has} the best median outlet ({value})",
    "weakest_median": "{who} {has} the weakest median outlet ({value})",
    "theme": "Themes the taxonomy misses: {quoted} {is} the largest ({value} comments)",
    "leads_study": "{who} {leads}{scope} with {value}",
    "survey_leads": "Your survey: {who} {leads}{scope} with NPS {value}",
    "survey_leads_top2": (
        "Your survey: {who} {leads}{scope} on satisfaction with the purchase stage ({value})"
    ),
    "best_placing": "{scope_name}'s best placing is {who} (percentile rank {value})",
    "lowest_stage": "{scope_name}'s lowest stage is {who} ({value} satisfied)",
    "lowest_stage_shown": (
        "{scope_name}'s lowest stage with enough answers is {who} ({value} satisfied)"
    ),
}

#: Value claims by phrase: {who} the row, {value} its figure, {scope} whose figure it is.
VALUE: dict[str, str] = {
    "value": "{value}",
    "at_risk": "{value} a year at risk",
    "kept": "{value} could be kept by better CX",
    "only_satisfied": "only {value} are satisfied with it",
    "nps_of": "NPS of {who}: {value}{scope}",
    "switch_if_dissatisfied": (
        "{value} of customers dissatisfied with {who} intend to switch brand within 18 months"
    ),
    "vehicles": "{value} vehicles a year",
    "promoters": "promoters {value}",
    "r2": "R² = {value}",
    "stage_is": "Stage {value}",
    "mean_score": "mean score {value}",
    "below_mean": "below its mean of {value}",
    "were_at": "{value} of large organisations were at {who}",
    "reached": "{value} reached {who}",
    "like_you": "like you, {value} of large organisations were at {who}",
    "have_strategy": "You have a coherent CX strategy; only {value} of organisations do",
    "only_strategy": "Only {value} of organisations have a coherent, comprehensive CX strategy",
    "no_strategy": "Like most organisations (only {value} have one), no coherent CX strategy yet",
}

#: Value claims whose figure shows zero, by phrase: said in words rather than "0%".
VALUE_ZERO: dict[str, str] = {
    "reached": "none reached {who}",
    "like_you": "no large organisation in the study was at {who}, where you are",
}

#: Change claims by phrase: {subject}, {before}, {after}, {change} (the labels' difference),
#: {start}, {end}, {verdict} (significant or not) and {level}.
CHANGE: dict[str, str] = {
    "moved": "{subject} moved {change} from {start} to {end}, {verdict}",
    "nps": "NPS {after} in {end}, {change} vs {start} ({short})",
    "vs": "{change} vs {start} ({short})",
    "rose": "NPS {direction}, from {before} in {start} to {after} in {end}, {verdict}{at}",
    "stage": "Stage {before} → {after} from {start} to {end}",
    "mean_over": "mean {before} → {after}",
    "published": "{subject}: {before} in {start}, {after} in {end}",
}

#: Change claims whose two figures show the same, by phrase.
CHANGE_HELD: dict[str, str] = {"stage": "Still stage {after} from {start} to {end}"}

#: Total claims by phrase: {value} the total as its parts' labels add up, {subject}, {predicate}.
TOTAL: dict[str, str] = {
    "of": "{value} of {subject} {predicate}",
    "below": "{value} below",
    "answered": "{value} statements answered",
}

#: Total claims whose total shows one, by phrase.
TOTAL_ONE: dict[str, str] = {"answered": "{value} statement answered"}

#: Tally claims by phrase: {count} of {total} rows read the value, {who} names them,
#: {unanswered} says how many show none.
TALLY: dict[str, str] = {
    "you_do": "You do {count} of the {total} practices that set {noun} organisations apart"
    "{unanswered}",
    "unscored": "not scored yet: {who}",
    "top_quartile": "{brand} is in the top quartile of {count} of {total} {studies} (latest "
    "published year each)",
}

#: Tally claims counting no row, by phrase.
TALLY_NONE: dict[str, str] = {
    "top_quartile": "{brand} is not in the top quartile of any study with quartiles"
}

#: Versus wordings: the relation of the first figure to the second, as shown.
VERSUS: dict[str, str] = {
    "reaches": "{first} ({a}) {reaches} {second} ({b})",
    "median": "{first} outlets' median shrunk NPS ({a}) is {relation} {second} outlets' ({b})",
}

#: Rank claims by phrase: {subject}, {place} ("joint 2nd"), {total}, {noun}, {figure} (" (+2)").
RANK: dict[str, str] = {
    "ranks": "{subject} ranks {place} of {total} {noun}{figure}",
    "place": "{subject}{figure}: {place} of {total} {noun}",
}

#: Distinct wordings by phrase: (one value, several).
DISTINCT: dict[str, tuple[str, str]] = {
    "studies": (
        "{brand}: published scores in 1 study",
        "{brand}: published scores in {count} studies",
    ),
}

#: Cells by metric: what a row of a changes table is called.
CELLS: dict[str, str] = {
    "nps": "NPS of {group}",
    "outlet_nps": "NPS of {group}",
    "satisfied": "{item} satisfaction at {group}",
    "topic_share": "Share of comments on {group}",
}

#: Groups without a name of their own.
GROUPS: dict[str, str] = {"All": "all respondents"}

#: Tallies by phrase: (nothing flagged, some flagged).
FLAGGED: dict[str, tuple[str, str]] = {
    "changed": (
        "no significant change in {which} from {start} to {end}",
        "{count} of {total} {noun} changed significantly from {start} to {end}",
    ),
    "beyond": (
        "no {singular} moved beyond its control limits in {end} ({total} tested)",
        "{count} of {total} {noun} moved beyond their control limits in {end}",
    ),
}

#: Contrast wordings: (the difference is positive, negative). Blanks: {subject} (and
#: {subject_lower}), {size} and {difference} (the difference as labelled), {q0}, {q1}... (the
#: quoted figures), {verdict} (significant or not) and the claim's ``values``.
CONTRAST: dict[str, tuple[str, str]] = {
    "nps_mentioning": (
        "Commenters who mention {subject_lower} give an NPS {size} points higher than the "
        "other commenters",
        "Commenters who mention {subject_lower} give an NPS {size} points lower than the "
        "other commenters",
    ),
    "group_mentions": (
        "{item} sets detractors apart: mentioned by {q0} of detractors and {q1} of promoters",
        "{item} sets promoters apart: mentioned by {q0} of detractors and {q1} of promoters",
    ),
    "brand_mentions": (
        "{subject}'s commenters mention {item_lower} more often than other brands' ({q0} vs {q1})",
        "{subject}'s commenters mention {item_lower} less often than other brands' ({q0} vs {q1})",
    ),
    "stage_trails": (
        "{outlet} is at or above the rest of {brand} at every stage it delivers; its smallest "
        "lead is at {subject} ({q0} satisfied against {q1}, {verdict})",
        "{outlet} trails the rest of {brand} most at {subject}: {q0} satisfied against {q1} "
        "({verdict})",
    ),
    "outlet_rest": (
        "{subject}'s raw NPS of {q0} is {above} the rest of {brand} ({q1})",
        "{subject}'s raw NPS of {q0} is {below} the rest of {brand} ({q1})",
    ),
}

#: Sides wordings by phrase: (some rows significant, none). Blanks: {above}, {below}, {total},
#: {noun}, {of_them} ("3 of 52" or "none of the 52") and the claim's ``values``.
SIDES: dict[str, tuple[str, str]] = {
    "rest": (
        "{of_them} {noun} {are} significantly above {benchmark}, {below} below",
        "none of the {total} {noun} is significantly above or below {benchmark}",
    ),
    "mentions_groups": (
        "{above} of {total} {noun} are mentioned significantly more often by detractors than "
        "by promoters, {below} less often",
        "No {singular} is mentioned significantly more or less often by detractors than by "
        "promoters",
    ),
    "nps_topics": (
        "{above} of {total} {noun} go with a significantly higher NPS than the other "
        "commenters', {below} with a lower one",
        "No topic goes with a significantly different NPS",
    ),
    "brand_topics": (
        "{above} of {total} brand-topic pairs are mentioned significantly more often than at "
        "other brands, {below} less often",
        "No brand's commenters mention a topic significantly more or less often than other brands'",
    ),
}

#: Strongest wordings by phrase: (some rows named, none flagged).
STRONGEST: dict[str, tuple[str, str]] = {
    "writes": ("{who} write {subjects}", "no term sets {who_lower} apart"),
}
