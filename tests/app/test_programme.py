"""CX programme maturity: the rule at every boundary, partial and bad answers, the published
studies beside the result, saved assessments, the command's JSON contract and the page."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pptx import Presentation
from support.apptest import open_app
from support.cli import cx

from components import page, session
from cx.build import databases
from cx.claims import model as claims
from cx.claims.check import problems
from cx.claims.render import headline
from cx.core.options import Options
from cx.core.paths import DATA_DIR
from cx.core.selection import Selection
from cx.data import sql
from cx.data.database import Database
from cx.exports.slides import pptx_deck
from cx.models import assessments, citations, maturity, studies
from cx.reports import programme
from cx.reports import programme_headlines as headlines
from cx.reports.base import dataset_source

ROOT = Path(__file__).resolve().parents[2]
IDS = [s.id for s in maturity.STATEMENTS]


def answers_with_total(total: int) -> dict[str, int]:
    """Complete answers summing to ``total``, spread as evenly as the scale allows: the extra
    points go round the competencies, so no competency lags."""
    base, extra = divmod(total, len(IDS))
    by_round = sorted(
        maturity.STATEMENTS,
        key=lambda s: (maturity.statements_of(s.competency).index(s), s.competency),
    )
    out = dict.fromkeys(IDS, base)
    for s in by_round[:extra]:
        out[s.id] += 1
    return out


def with_competency(value: dict[str, int], competency: str, answers: list[int]) -> dict[str, int]:
    out = dict(value)
    for s, a in zip(maturity.statements_of(competency), answers, strict=True):
        out[s.id] = a
    return out


# --- the questionnaire --------------------------------------------------------------------------


def test_the_questionnaire_has_24_statements_four_per_competency_with_unique_ids() -> None:
    assert 12 <= len(maturity.STATEMENTS) <= 30
    assert len(set(IDS)) == len(IDS)
    for comp in maturity.COMPETENCIES:
        assert len(maturity.statements_of(comp.key)) == 4, comp.key
    assert {s.competency for s in maturity.STATEMENTS} == set(maturity.COMPETENCY_BY_KEY)
    assert [s.name for s in maturity.STAGES] == [
        "Investigate", "Initiate", "Mobilize", "Scale", "Embed"
    ]  # fmt: skip


# --- the rule ------------------------------------------------------------------------------------


def test_lowest_answers_give_stage_1_and_highest_stage_5() -> None:
    low = maturity.assess(dict.fromkeys(IDS, maturity.LOWEST))
    high = maturity.assess(dict.fromkeys(IDS, maturity.HIGHEST))
    assert low.stage is not None and low.stage.number == 1 and low.mean == 1.0
    assert high.stage is not None and high.stage.number == 5 and high.mean == 5.0
    assert high.gap is None and low.gap is not None and low.gap.to.number == 2


@pytest.mark.parametrize("stage", maturity.STAGES[1:], ids=lambda s: s.name)
def test_the_band_starts_exactly_at_its_floor(stage: maturity.Stage) -> None:
    below = stage.floor - Fraction(1, 10**6)
    assert maturity.band(stage.floor).number == stage.number
    assert maturity.band(below).number == stage.number - 1
    # the weakest competency in the same band does not cap it
    assert maturity.stage_for(stage.floor, stage.floor).number == stage.number
    assert maturity.stage_for(below, below).number == stage.number - 1


@pytest.mark.parametrize("stage", maturity.STAGES[1:], ids=lambda s: s.name)
def test_answers_just_above_and_below_each_floor_give_the_stages_either_side(
    stage: maturity.Stage,
) -> None:
    """The mean of 24 answers moves in steps of 1/24: the totals either side of each floor."""
    above = int(-(-stage.floor * len(IDS) // 1))  # the smallest total whose mean reaches it
    at = maturity.assess(answers_with_total(above))
    under = maturity.assess(answers_with_total(above - 1))
    assert at.mean is not None and Fraction(above, len(IDS)) >= stage.floor > Fraction(above - 1, len(IDS))  # fmt: skip
    assert at.stage is not None and at.stage.number == stage.number, at.mean
    assert under.stage is not None and under.stage.number == stage.number - 1, under.mean
    assert not at.capped and not under.capped


@pytest.mark.parametrize(
    ("weakest", "expected"),
    [
        ([1, 1, 1, 1], 2),  # band 1: at most stage 2
        ([1, 2, 2, 2], 2),  # 1.75 is still band 1
        ([2, 2, 2, 2], 3),  # 2.0: band 2, at most stage 3
        ([2, 3, 3, 2], 3),  # 2.5 is still band 2
        ([3, 3, 3, 2], 4),  # 2.75: band 3
        ([3, 3, 4, 3], 4),  # 3.25 is still band 3
        ([3, 4, 4, 3], 5),  # 3.5: band 4, at most stage 5
    ],
)
def test_the_weakest_competency_caps_the_stage_one_above_its_band(
    weakest: list[int], expected: int
) -> None:
    scores = maturity.assess(
        with_competency(dict.fromkeys(IDS, 5), "technology", weakest)
    )  # the mean stays in band 5 in every case
    assert scores.mean is not None and scores.mean >= float(maturity.STAGES[-1].floor)
    assert scores.stage is not None and scores.stage.number == expected
    assert scores.capped == (expected < 5)


def test_the_gap_to_the_next_stage_is_counted_in_answer_points() -> None:
    all_twos = maturity.assess(dict.fromkeys(IDS, 2))
    assert all_twos.stage is not None and all_twos.stage.number == 2
    assert all_twos.gap is not None and all_twos.gap.to.name == "Mobilize"
    assert all_twos.gap.points == 15  # 2.6 x 24 = 62.4 -> 63, minus 48
    assert all_twos.gap.holding == ()
    capped = maturity.assess(with_competency(dict.fromkeys(IDS, 5), "technology", [1, 1, 1, 1]))
    assert capped.gap is not None and capped.gap.points == 0
    assert capped.gap.holding == (("technology", 4),)  # 1.8 x 4 = 7.2 -> 8, minus 4
    assert "4 more answer points in Technology and integration" in programme.gap_text(capped)


def test_a_stage_is_named_as_a_stage_in_every_language() -> None:
    """The next-stage tile and its note read "量表" (a questionnaire's scale) for stage 4,
    Scale, where the stage chart read "扩展（Scale）": every stage name goes through the stage's
    own message (:func:`cx.models.maturity.stage_name`)."""
    from cx.core import i18n

    threes = maturity.assess(dict.fromkeys(IDS, 3))  # Mobilize; the next stage is Scale
    assert threes.gap is not None and threes.gap.to.name == "Scale"
    for lang in ("zh", "ru"):
        with i18n.use(lang):
            named = maturity.stage_name("Scale")
            assert named != "Scale"
            assert programme.gap_note(threes).startswith(f"{named}: ")
            assert named in programme.gap_text(threes)
    with i18n.use("zh"):
        assert "量表" not in programme.gap_note(threes) + programme.gap_text(threes)


# --- partial and bad answers ---------------------------------------------------------------------


def test_a_partial_assessment_names_what_it_could_not_score_and_gives_no_stage() -> None:
    given = dict.fromkeys(IDS, 4)
    del given["listen_text"], given["tech_automation"]
    scores = maturity.assess(given)
    assert scores.stage is None and scores.mean is None and scores.gap is None
    assert [c.competency.key for c in scores.unscored] == ["insight", "technology"]
    assert scores.missing == ("listen_text", "tech_automation")
    scored = {c.competency.key: c.score for c in scores.competencies}
    assert scored["leadership"] == 4.0 and scored["insight"] is None
    assert "not scored yet: Customer insight and listening and Technology and integration" in (
        headlines.competency_title(scores)
    )


def test_unknown_and_out_of_range_answers_are_named_one_line_each_and_left_out() -> None:
    read = maturity.read_answers(
        {"nope": 3, "lead_sponsor": 6, "lead_strategy": True, "data_value": "x",
         "act_design": 2.5, "listen_text": 0, "listen_journey": "4", "tech_platform": 3.0,
         "tech_channels": None}
    )  # fmt: skip
    assert read.values == {"listen_journey": 4, "tech_platform": 3}
    assert len(read.problems) == 6
    for name in (
        "nope",
        "lead_sponsor",
        "lead_strategy",
        "data_value",
        "act_design",
        "listen_text",
    ):
        assert sum(name in line for line in read.problems) == 1, name
    assert all("\n" not in line and len(line) < 120 for line in read.problems)


def test_the_link_code_round_trips_and_names_a_bad_character() -> None:
    given = {s.id: (i % 5) + 1 for i, s in enumerate(maturity.STATEMENTS) if i != 3}
    code = maturity.encode(given)
    assert len(code) == len(IDS) and code[3] == maturity.UNANSWERED
    assert maturity.decode(code).values == given
    bad = maturity.decode(code[:5] + "9" + code[6:])
    assert len(bad.problems) == 1 and IDS[5] in bad.problems[0]
    assert IDS[5] not in bad.values
    short = maturity.decode("12345")
    assert short.values == {} and "24 characters" in short.problems[0]


def test_practices_to_adopt_next_put_what_holds_the_stage_back_first() -> None:
    given = with_competency(dict.fromkeys(IDS, 5), "technology", [2, 3, 2, 3])
    given["lead_sponsor"] = 1  # lower, but leadership does not hold the stage back
    scores = maturity.assess(given)
    chosen = maturity.next_practices(scores)
    assert [p.statement.id for p in chosen] == [
        "tech_platform",
        "tech_channels",
        "tech_single_view",
    ]
    assert all(p.holds_stage for p in chosen)
    nothing_low = maturity.assess(dict.fromkeys(IDS, 4))
    assert maturity.next_practices(nothing_low) == ()


# --- published figures ---------------------------------------------------------------------------


def _csv_rows() -> dict[str, dict[str, str]]:
    with (DATA_DIR / "published_figures.csv").open(encoding="utf-8", newline="") as fh:
        return {r["figure_id"]: r for r in csv.DictReader(fh)}


def test_every_figure_the_page_uses_is_in_the_csv_with_its_provenance() -> None:
    used = set(studies.QUALTRICS_STAGES.values()) | {"ibm_elite_share", "cg_sample_execs"}
    for p in (*studies.IBM_PRACTICES, *studies.CAPGEMINI_PRACTICES):
        used |= set(p.figures.values())
    for s in maturity.STATEMENTS:
        used |= set(s.evidence)
    rows = _csv_rows()
    sources = citations.documents()
    for fid in sorted(used):
        row = rows.get(fid)
        assert row is not None, fid
        assert row["publisher"] and row["seed_file"] in sources and row["year"], fid
    for s in maturity.STATEMENTS:  # every evidence figure reads as a sentence
        assert all(fid in studies.EVIDENCE for fid in s.evidence), s.id
        assert len(studies.evidence(s)) == len(s.evidence), s.id


def test_the_published_distributions_are_the_studies_figures() -> None:
    dist = studies.qualtrics_distribution()
    assert [(d.label, d.value) for d in dist] == [
        ("Investigate", 52.0), ("Initiate", 29.0), ("Mobilize or Scale", 19.0), ("Embed", 0.0)
    ]  # fmt: skip
    assert dist[2].figure_id is None and "not split" in dist[2].note
    assert sum(d.value for d in dist) == 100.0
    ibm = {r.practice.key: {g: f.value for g, f in r.shares.items()} for r in studies.beside(studies.IBM_PRACTICES, {})}  # fmt: skip
    assert ibm["data_insights"] == {"Elite": 96.0, "Pro": 47.0, "Amateur": 31.0}
    assert ibm["integrated_data"] == {"Elite": 89.0, "Pro": 49.0, "Amateur": 45.0}
    assert ibm["cross_functional"] == {"Elite": 93.0, "Pro": 54.0, "Amateur": 61.0}
    assert ibm["strategy"] == {"Elite": 70.0, "Amateur": 20.0}  # Pro: "under one third"
    cg = {r.practice.key: r for r in studies.beside(studies.CAPGEMINI_PRACTICES, {})}
    assert cg["coherent_strategy"].shares["Organisations"].value == 18.0
    assert cg["sales_marketing_only"].shares["Organisations"].value == 41.0
    assert cg["coherent_strategy"].base == "600 executives"


def test_each_study_is_its_own_chart_with_its_source_and_the_answer_beside_it(con: Any) -> None:
    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    code = maturity.encode(with_competency(dict.fromkeys(IDS, 4), "leadership", [4, 4, 1, 4]))
    result = programme.compute(run, Selection(), Options(), answers=code)
    charts = {c.key: c for c in programme.charts(result, dataset_source(run, "demo"))}
    stage = charts["programme_stage"]
    assert stage.kind == "published" and "Qualtrics XM Institute, 2021" in stage.subtitle
    assert stage.table.filter(stage.table["Yours"])["Stage"].to_list() == ["Mobilize or Scale"]
    assert "19% of large organisations were at Mobilize or Scale, 81% below" in stage.title
    ibm = charts["programme_ibm"]
    assert (
        "IBM Institute for Business Value, 2020" in ibm.subtitle
        and "82 of them Elite" in ibm.subtitle
    )
    assert set(ibm.table["Group"].to_list()) == {"Elite", "Pro", "Amateur"}
    assert "You do 4 of the 4 practices" in ibm.title
    cg = charts["programme_capgemini"]
    assert "Capgemini Research Institute, 2024" in cg.subtitle and "600 executives" in cg.subtitle
    confined = cg.table.filter(cg.table["Practice"].str.starts_with("Confine"))
    assert confined["Reads"].to_list() == ["confined"] and confined[
        "% of organisations"
    ].to_list() == [41.0]
    assert "only 18% of organisations do" in cg.title
    assert charts["programme_competencies"].kind == "assessment"
    for chart in charts.values():  # never one chart mixing two studies or a study and the answers
        assert chart.kind in ("published", "assessment", "survey")
    # the title's numbers are the table's: a share, or the sum of the shares below it
    values = stage.table["% of organisations"].to_list()
    derivable = {f"{v:g}%" for v in values} | {f"{sum(values[:i]):g}%" for i in range(len(values))}
    assert set(re.findall(r"\d+%", stage.title)) <= derivable


#: Answers that take every branch of the headlines: capped by the weakest competency, scored,
#: partial, one answer, all at the top, none.
HEADLINE_ANSWERS = {
    "capped": with_competency(dict.fromkeys(IDS, 5), "technology", [1, 1, 1, 1]),
    "scored": {i: (k % 5) + 1 for k, i in enumerate(IDS)},
    "ties": with_competency(dict.fromkeys(IDS, 4), "leadership", [4, 4, 1, 4]),
    "partial": {i: 4 for i in IDS if i not in ("listen_text", "tech_automation")},
    "one": {"lead_sponsor": 2},
    "top": dict.fromkeys(IDS, 5),
    "none": {},
}


@pytest.mark.parametrize("answers", HEADLINE_ANSWERS.values(), ids=HEADLINE_ANSWERS.keys())
def test_every_programme_headline_is_its_claims_and_true_of_its_table(
    con: Any, answers: dict[str, int]
) -> None:
    """The stage, competency and study charts' titles were free-form sentences; each is now
    its claims in words, every claim holding on the chart's own table (and the deck's findings
    are the same claims)."""
    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    result = programme.compute(run, Selection(), Options(), answers=maturity.encode(answers))
    for chart in programme.charts(result, dataset_source(run, "demo")):
        assert chart.claims, chart.key
        assert chart.title == headline(chart.claims), chart.key
        for claim in chart.claims:
            assert problems(claim, chart.table) == [], (chart.key, chart.title)
    summary = programme.summary(result)
    assert summary.findings == tuple(f.text for f in summary.checked)
    for finding in summary.checked:
        assert all(problems(c, finding.table) == [] for c in finding.claims), finding.text


def test_the_competency_headline_names_what_holds_the_stage_and_what_is_unscored() -> None:
    capped = maturity.assess(HEADLINE_ANSWERS["capped"])
    assert headlines.competency_title(capped) == (
        "Stage 2: Technology and integration (1.00) holds the programme there, below its mean "
        "of 4.33"
    )
    partial = maturity.assess(HEADLINE_ANSWERS["partial"])
    assert headlines.competency_title(partial).startswith("22 statements answered; not scored")
    one = maturity.assess(HEADLINE_ANSWERS["one"])
    assert headlines.competency_title(one).startswith("1 statement answered;")


def test_a_tally_counts_the_rows_reading_a_value_and_the_check_reads_them_afresh() -> None:
    table = headlines.practice_table(
        studies.beside(studies.IBM_PRACTICES, {"data_decisions": 5, "data_integrated": 1}),
        studies.ARCHETYPES,
    )
    done = headlines.practices_claims(table, "Elite")
    assert headline(done) == (
        "You do 1 of the 2 practices that set Elite organisations apart (2 unanswered)"
    )
    assert problems(done[0], table) == []
    assert isinstance(done[0], claims.Tally)
    inflated = claims.Tally(done[0].label, done[0].column, "True", 2, 2, 2, (), "Elite",
                            "you_do", where={"Group": "Elite"})  # fmt: skip
    assert problems(inflated, table) == ["1 rows read 'True', the claim says 2"]


def test_the_customers_nps_by_wave_states_its_change(con: Any) -> None:
    """The shared NPS-by-wave chart read its claim from a Scope column its table lacked, so
    the programme page said "One wave in this selection" under a chart of four waves."""
    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    result = programme.compute(run, Selection(), Options())
    charts = {c.key: c for c in programme.charts(result, dataset_source(run, "demo"))}
    trend = charts["programme_nps"]
    assert result.change is not None
    assert isinstance(trend.claims[0], claims.Change), trend.title
    assert trend.title.startswith("NPS ") and f"vs {result.change.previous_wave}" in trend.title


# --- saved assessments ---------------------------------------------------------------------------


@pytest.fixture()
def store(tmp_path: Path) -> Database:
    path = databases.create_database(tmp_path / "a.duckdb")
    return Database(str(path), read_only=False)


def test_assessments_are_saved_per_owner_listed_oldest_first_loaded_and_deleted(
    store: Database,
) -> None:
    first = assessments.save(store, "alice", "  Acme   Motors ", dict.fromkeys(IDS, 2))
    second = assessments.save(store, "alice", "Acme Motors", dict.fromkeys(IDS, 3))
    other = assessments.save(store, "bob", "Other", {"lead_sponsor": 5})  # partial: allowed
    listed = assessments.listing(store.run, "alice")
    assert [s.assessment_id for s in listed] == [first, second]
    assert listed[0].organisation == "Acme Motors" and listed[1].answers == dict.fromkeys(IDS, 3)
    loaded = assessments.load(store.run, other)
    assert loaded is not None and loaded.answers == {"lead_sponsor": 5}
    assessments.delete(store, "alice", other)  # another owner's id deletes nothing
    assert assessments.load(store.run, other) is not None
    assessments.delete(store, "bob", other)
    assert assessments.load(store.run, other) is None
    trend = programme.trend_chart(assessments.history(listed, "Acme Motors"), "Acme Motors")
    assert trend is not None and trend.title.startswith("Stage 2 → 3 from ")
    assert trend.title.endswith("; mean 2.00 → 3.00")
    assert trend.title == headline(trend.claims)
    assert all(problems(c, trend.table) == [] for c in trend.claims)


def test_saving_refuses_no_name_no_answers_and_bad_answers(store: Database) -> None:
    with pytest.raises(assessments.AssessmentError, match="organisation"):
        assessments.save(store, "o", "  ", dict.fromkeys(IDS, 3))
    with pytest.raises(assessments.AssessmentError, match="at least one"):
        assessments.save(store, "o", "Acme", {})
    with pytest.raises(assessments.AssessmentError, match="lead_sponsor"):
        assessments.save(store, "o", "Acme", {"lead_sponsor": 9})
    assert assessments.listing(store.run, "o") == []


def test_a_bad_id_or_a_source_without_assessments_loads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()  # a database built before saved assessments existed
    with Database(str(path)) as old:
        assert assessments.load(old.run, "abcdefghijkl") is None
    assert assessments.load(lambda n, p: pytest.fail("queried"), "'; drop table x --") is None


# --- the command line ----------------------------------------------------------------------------


def run_maturity(*args: str) -> subprocess.CompletedProcess[str]:
    return cx("maturity", *args)


def test_cli_template_lists_every_statement_with_its_id() -> None:
    proc = run_maturity("--template")
    assert proc.returncode == 0, proc.stderr
    template = json.loads(proc.stdout)
    ids = [s["id"] for c in template["competencies"] for s in c["statements"]]
    assert ids == IDS and template["rule"] == maturity.RULE
    assert list(template["answers_file"]["answers"]) == IDS
    table = run_maturity("--template", "--format", "table")
    assert table.returncode == 0 and all(i in table.stdout for i in IDS)


def test_cli_answers_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": with_competency(dict.fromkeys(IDS, 4), "technology", [2, 2, 3, 3])}))  # fmt: skip
    proc = run_maturity("--answers", str(path))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["stage"] == {"number": 3, "name": "Mobilize"}  # technology 2.5 caps at 3
    assert out["mean"] == pytest.approx(3.75)
    assert [c["key"] for c in out["competencies"]] == [c.key for c in maturity.COMPETENCIES]
    tech = out["competencies"][-1]
    assert tech["score"] == 2.5 and tech["band"] == {"number": 2, "name": "Initiate"}
    assert out["gap"]["to"] == {"number": 4, "name": "Scale"}
    assert out["gap"]["holding"] == [{"competency": "technology", "points": 1}]
    assert out["unscored_competencies"] == [] and out["missing"] == []
    qx = out["published"]["qualtrics"]
    assert qx["source"].startswith("Qualtrics XM Institute, 2021")
    assert [(s["percent"], s["yours"]) for s in qx["stages"]] == [(52.0, False), (29.0, False), (19.0, True), (0.0, False)]  # fmt: skip
    ibm = out["published"]["ibm"]
    assert ibm["source"].startswith("IBM Institute for Business Value")
    assert ibm["practices"][0]["percent"] == {"Elite": 96.0, "Pro": 47.0, "Amateur": 31.0}
    assert ibm["practices"][0]["figure_ids"]["Elite"] == "ibm_data_elite"
    assert out["published"]["capgemini"]["base"] == "600 executives"
    assert len(out["next_practices"]) == 3 and out["next_practices"][0]["holds_stage"]
    table = run_maturity("--answers", str(path), "--format", "table")
    assert table.returncode == 0 and "Stage: 3 · Mobilize" in table.stdout


def test_cli_names_bad_and_missing_answers_one_line_each(tmp_path: Path) -> None:
    given: dict[str, Any] = dict.fromkeys(IDS, 3)
    given["data_value"] = 7
    given["typo_id"] = 2
    del given["lead_sponsor"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"answers": given}))
    proc = run_maturity("--answers", str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert sum("data_value" in x for x in lines) == 1 and sum("typo_id" in x for x in lines) == 1
    assert sum("missing answer: lead_sponsor" in x for x in lines) == 1
    assert lines[-1].startswith("cx maturity: error: 2 answers of bad.json")
    given["data_value"] = 3
    del given["typo_id"]
    path.write_text(json.dumps({"answers": given}))
    partial = run_maturity("--answers", str(path))
    assert partial.returncode == 0, partial.stderr
    out = json.loads(partial.stdout)
    assert out["stage"] is None and out["unscored_competencies"] == ["leadership"]
    assert out["missing"] == ["lead_sponsor"] and "lead_sponsor" in partial.stderr
    for content, words in (("[1]", "expected"), ("{nope", "not JSON")):
        path.write_text(content)
        bad = run_maturity("--answers", str(path))
        assert bad.returncode == 2 and words in bad.stderr and len(bad.stderr.splitlines()) == 1


# --- the page ------------------------------------------------------------------------------------


def _texts(at: Any) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts).replace("\\", "")


def _metric(at: Any, label: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == label)


@pytest.mark.usefixtures("app_env")
def test_the_page_renders_with_the_rule_and_the_published_studies() -> None:
    at = open_app("pages/programme.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    shown = _texts(at)
    assert maturity.RULE in shown
    assert _metric(at, "Stage") == "not scored"
    assert len(at.segmented_control) == len(IDS)
    drawn = at.session_state["_drawn"]["programme"]
    keys = drawn.keys
    assert keys[:4] == ["programme_competencies", "programme_stage", "programme_ibm", "programme_capgemini"]  # fmt: skip


@pytest.mark.usefixtures("app_env")
def test_answer_changes_update_the_stage_and_the_link() -> None:
    at = open_app("pages/programme.py", answers="2" * len(IDS))
    assert _metric(at, "Stage") == "2 · Initiate"
    for sid in IDS:
        at.segmented_control(key=session.widget_key("programme", sid)).set_value(5).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "Stage") == "5 · Embed"
    assert at.query_params["answers"] == "5" * len(IDS)
    at.segmented_control(key=session.widget_key("programme", "tech_platform")).set_value(None).run()
    assert _metric(at, "Stage") == "not scored"
    assert "Technology and integration" in _texts(at)


@pytest.mark.usefixtures("app_env")
def test_bad_answers_in_the_link_are_named_on_the_page() -> None:
    at = open_app("pages/programme.py", answers="3" * 5 + "x" + "3" * 18)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and IDS[5] in warnings[0].replace("\\", "")
    assert _metric(at, "Answered") == f"{len(IDS) - 1} of {len(IDS)}"


@pytest.mark.usefixtures("app_env")
def test_an_assessment_is_saved_opened_by_link_and_deleted() -> None:
    code = maturity.encode(with_competency(dict.fromkeys(IDS, 3), "culture", [1, 1, 2, 2]))
    at = open_app("pages/programme.py", answers=code)
    stage = _metric(at, "Stage")
    at.text_input(key=session.widget_key("programme", "organisation")).set_value("Acme Test").run()
    at.button(key=session.widget_key("programme", "save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved_id = at.query_params["assessment"]
    assert saved_id and "answers" not in at.query_params
    again = open_app("pages/programme.py", assessment=saved_id)  # a new session, by link
    assert not again.exception
    assert _metric(again, "Stage") == stage
    assert again.segmented_control(key=session.widget_key("programme", "culture_focus")).value == 1
    assert "Acme Test" in _texts(again)
    # the deck of what the page shows: the stage, the charts, the practices to adopt next
    charts, meta = page.deck(again.session_state["_drawn"]["programme"])
    assert meta.kpis[0].value == stage
    assert {c.key for c in charts} >= {"programme_competencies", "programme_stage", "programme_ibm"}
    assert meta.tables and meta.tables[0].kicker == "NEXT PRACTICES"
    slides = Presentation(io.BytesIO(pptx_deck(charts, meta))).slides
    assert len(slides) >= len(charts) + 2
    again.selectbox(key=session.widget_key("programme", "saved")).set_value(saved_id).run()
    again.button(key=session.widget_key("programme", "delete")).click().run()
    assert not again.exception
    assert "assessment" not in again.query_params and again.query_params["answers"] == code
    gone = open_app("pages/programme.py", assessment=saved_id)
    assert "does not exist here" in _texts(gone)


def test_the_study_charts_are_made_once_per_answers_and_language(
    con: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The charts beside the published studies depend on the answers and the language only:
    another selection (or session) with the same answers reads them from memory, other
    answers or another language make them again, and what is kept is what would be made."""
    from cx.core import i18n
    from cx.metrics import stats

    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    source = dataset_source(run, "demo")
    made: list[str] = []
    real = programme._competency_chart

    def counted(e: programme.Evaluation) -> Any:
        made.append(i18n.language())
        return real(e)

    monkeypatch.setattr(programme, "_competency_chart", counted)
    programme._RESEARCH.clear()
    code = maturity.encode(dict.fromkeys(IDS, 3))
    first = programme.charts(programme.compute(run, Selection(), Options(), answers=code), source)
    stats.forget()
    other_view = programme.compute(run, Selection(countries=("US",)), Options(), answers=code)
    again = programme.charts(other_view, source)
    assert made == ["en"]
    assert [c.key for c in first[:4]] == [c.key for c in again[:4]]
    assert all(a is b for a, b in zip(first[:4], again[:4], strict=True))
    with i18n.use("zh"):
        chinese = programme.charts(other_view, source)
    assert made == ["en", "zh"] and chinese[0].title != first[0].title
    fewer = maturity.encode(dict.fromkeys(IDS, 2))
    programme.charts(programme.compute(run, Selection(), Options(), answers=fewer), source)
    assert made == ["en", "zh", "en"]
    programme._RESEARCH.clear()
    fresh = programme.charts(other_view, source)
    for a, b in zip(again[:4], fresh[:4], strict=True):
        assert (a.key, a.title, a.subtitle) == (b.key, b.title, b.subtitle)
        assert a.figure is not None and a.figure.to_json() == b.figure.to_json()
