"""What people write: masking, language, tokens, topics, the distinguishing-terms statistic,
comments through ingest and the demo, the summary cells, the Voice report and ``text``."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest
from support import survey_files as sf
from support.cli import cx

from cx.claims.check import problems
from cx.core.options import Options
from cx.core.schema import NOT_ANSWERED
from cx.core.selection import Selection
from cx.data import sql
from cx.data.database import Database
from cx.ingest.files import ingest_file, prepare_file
from cx.ingest.mapping import detect_comments, detect_mapping
from cx.ingest.model import IngestError, RawSurvey
from cx.ingest.store import delete_dataset
from cx.reports import voice, voice_claims
from cx.reports.base import Source, dataset_source
from cx.text import distinguish, language, mask, pipeline, summary, tokens, topics


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    """The first row of a query (every row fetched, so the connection is free again)."""
    return con.execute(sql).fetchall()[0]


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on +1 415 555 0134 please", "Call me on [phone] please"),
        ("Handy +49 170 1234567!", "Handy [phone]!"),
        ("我的电话13812345678", "我的电话[phone]"),
        ("mobile 138 1234 5678", "mobile [phone]"),
        ("US (415) 555-0134 or 415-555-0134", "US [phone] or [phone]"),
        ("Festnetz 030/1234567, Handy 0170 1234567", "Festnetz [phone], Handy [phone]"),
        ("Звоните 8 (916) 123-45-67", "Звоните [phone]"),
        ("Tel. 0049 170 1234567", "Tel. [number]"),
        ("mail john.doe+cx@example.co.uk now", "mail [e-mail] now"),
        ("Karte 4111 1111 1111 1111 abgelehnt", "Karte [number] abgelehnt"),
        ("card 4111-1111-1111-1111", "card [number]"),
        ("Kundennummer 1234567", "Kundennummer [number]"),
        ("order ID 4711-0815-4242", "order ID [number]"),
        ("IBAN DE89 3704 0044 0532 0130 00", "IBAN [number]"),
        ("VIN WVWZZZ1JZ3W386752", "VIN [number]"),
    ],
)
def test_masking_replaces_each_kind_of_personal_data(text: str, expected: str) -> None:
    assert mask.mask(text) == expected


def test_masking_keeps_dates_years_prices_and_counts() -> None:
    text = "On 2024-03-12 and 12.03.2024 I paid 35,000 EUR (1.234.567 km?) for 2 cars, 2022-2024"
    assert mask.mask(text) == text
    assert mask.mask("waited 3 weeks, 500 km range") == "waited 3 weeks, 500 km range"


def test_mask_series_masks_only_what_needs_it() -> None:
    texts = pl.Series(["fine", "call +49 170 1234567", None, "a@b.de"])
    assert mask.mask_series(texts).to_list() == ["fine", "call [phone]", None, "[e-mail]"]


# --------------------------------------------------------------------------------------------
# Language and tokens
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The dealer kept me waiting for three weeks and nobody called back.", "en"),
        ("Der Händler hat mich drei Wochen warten lassen, niemand hat zurückgerufen.", "de"),
        ("经销商让我等了三周，没有人回电话。", "zh"),
        ("Дилер заставил меня ждать три недели, никто не перезвонил.", "ru"),
        ("ok", None),
        ("12345", None),
        ("—", None),
    ],
)
def test_language_is_detected_among_the_four_or_left_open(text: str, code: str | None) -> None:
    assert language.detect(text) == code


def test_detect_many_agrees_with_detect() -> None:
    texts = ["Sehr zufrieden mit dem Service", "very happy with the service", "很好", "ok"]
    assert language.detect_many(texts) == [language.detect(t) for t in texts]


def test_tokens_per_language_are_lemmas_without_stop_words() -> None:
    en = tokens.tokenize("I waited three weeks and the service was great. Call [phone]", "en")
    assert "wait" in en and "week" in en and "great" in en and "service" in en
    assert "the" not in en and "phone" not in en
    de = tokens.tokenize("Ich habe drei Wochen auf einen Werkstatttermin gewartet.", "de")
    assert "woche" in de and "warten" in de and "ich" not in de
    ru = tokens.tokenize("Дилер заставил меня ждать три недели", "ru")
    assert "дилер" in ru and "неделя" in ru and "меня" not in ru
    zh = tokens.tokenize("售后服务太差了，价格也不透明。APP很好用", "zh")
    assert "售后服务" in zh and "价格" in zh and "app" in zh and "了" not in zh
    assert tokens.tokenize("whatever", None) == []


# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------


def test_the_shipped_taxonomy_covers_the_journey_in_four_languages() -> None:
    tax = topics.taxonomy()
    for key in ("price", "waiting", "staff", "digital", "delivery", "charging", "quality"):
        assert set(tax[key].keywords) == set(language.LANGUAGES), key


def test_topics_match_keywords_per_language_as_words() -> None:
    texts = pl.Series(
        [
            "I waited three weeks for my appointment",
            "the app crashes",
            "Der Kaufpreis war zu hoch",
            "提车等了很久",
            "цены непрозрачные",
            "price was fair",
        ]
    )
    langs = pl.Series(["en", "en", "de", "zh", "ru", None])
    found, stages = topics.match_topics(texts, langs)
    assert found.to_list() == [
        ["waiting"], ["digital"], ["price"], ["waiting", "delivery"], ["price"], ["price"]
    ]  # fmt: skip
    assert stages.to_list()[2] == ["purchase"]


def test_a_bad_taxonomy_row_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "topics.csv"
    bad.write_text("topic,label,stage,language,keywords\nx,X,nowhere,en,foo\n", encoding="utf-8")
    with pytest.raises(topics.TaxonomyError, match="line 2"):
        topics.read_taxonomy(bad)


# --------------------------------------------------------------------------------------------
# Distinguishing terms: log-odds ratio with informative Dirichlet prior
# --------------------------------------------------------------------------------------------


def test_log_odds_with_informative_prior_matches_a_hand_computed_example() -> None:
    """a0 = 100, prior total 1000, detractors 300 tokens, promoters 400.

    "wait": y_i = 30, y_j = 5, prior 40 -> alpha = 100 * 40 / 1000 = 4;
    delta = ln(34 / 366) - ln(9 / 491) = -2.37628 + 3.99921 = 1.62293;
    se = sqrt(1/34 + 1/9) = 0.37486; z = 4.3294.
    "great": y_i = 2, y_j = 40, prior 50 -> alpha = 5;
    delta = ln(7 / 393) - ln(45 / 455) = -4.02784 + 2.31364 = -1.71420;
    se = sqrt(1/7 + 1/45) = 0.40630; z = -4.2191.
    """
    counts = pl.DataFrame(
        {"term": ["wait", "great"], "y_i": [30, 2], "y_j": [5, 40], "prior": [40, 50]}
    )
    out = distinguish.log_odds(counts, 300, 400, 1000, prior_size=100).rows_by_key(
        "term", named=True
    )
    wait, great = out["wait"][0], out["great"][0]
    assert wait["alpha"] == pytest.approx(4.0)
    assert wait["delta"] == pytest.approx(1.62293, abs=1e-4)
    assert wait["se"] == pytest.approx(0.37486, abs=1e-4)
    assert wait["z"] == pytest.approx(4.3294, abs=1e-3)
    assert great["delta"] == pytest.approx(-1.71420, abs=1e-4)
    assert great["z"] == pytest.approx(-4.2191, abs=1e-3)
    assert wait["z"] == pytest.approx(
        (math.log(34 / 366) - math.log(9 / 491)) / math.sqrt(1 / 34 + 1 / 9)
    )


def test_distinguishing_terms_per_language_from_cells() -> None:
    cells = pl.DataFrame(
        {
            "language": ["en"] * 9,
            "nps_group": ["detractor", "passive", "promoter"] * 3,
            "term": ["wait"] * 3 + ["great"] * 3 + [None] * 3,
            "n": [30, 5, 5, 2, 8, 40, 300, 300, 400],
        }
    )
    out = distinguish.distinguishing_terms(cells, 0.95)
    assert out["term"].to_list() == ["wait", "great"]
    assert out["significant"].to_list() == [True, True]
    assert summary.top_terms(out, "promoters")["term"].to_list() == ["great"]


def test_a_term_that_is_a_languages_whole_vocabulary_is_never_significant() -> None:
    """The issue: a language whose comments all say one word gave that term z = NaN, marked
    significant (NaN compares above every number in polars) and sorted first. Its ratio has no
    other words to compare with: it is left empty, not significant, and listed last."""
    cells = pl.DataFrame(
        {
            "language": ["xx"] * 6 + ["en"] * 9,
            "nps_group": ["detractor", "passive", "promoter"] * 5,
            "term": ["ok"] * 3 + [None] * 3 + ["wait"] * 3 + ["great"] * 3 + [None] * 3,
            "n": [20, 5, 3, 20, 5, 3, 30, 5, 5, 2, 8, 40, 300, 300, 400],
        }
    )
    out = distinguish.distinguishing_terms(cells, 0.95)
    whole = out.filter(pl.col("language") == "xx").row(0, named=True)
    assert whole["z"] is None and whole["q_value"] is None and whole["significant"] is False
    assert out["term"].to_list()[-1] == "ok"
    assert "ok" not in summary.top_terms(out, "detractors")["term"].to_list()
    assert out.filter(pl.col("language") == "en")["significant"].to_list() == [True, True]


def test_terms_are_one_family_with_benjamini_yekutieli_q_values() -> None:
    """Each term's two-sided p-value from its z, q-values as statsmodels' fdr_by over the
    table's terms; significant means q under 1 - confidence."""
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(60)]
    d, p_ = rng.poisson(200, 60), rng.poisson(200, 60)
    d[:3] += 200  # three words truly over-represented among detractors
    cells = pl.DataFrame(
        {
            "language": ["en"] * (3 * 60 + 3),
            "nps_group": ["detractor", "passive", "promoter"] * 61,
            "term": [w for w in words for _ in range(3)] + [None] * 3,
            "n": [int(x) for i in range(60) for x in (d[i], 10, p_[i])]
            + [int(d.sum()), 600, int(p_.sum())],
        }
    )
    out = distinguish.distinguishing_terms(cells, 0.95)
    reject, q, _, _ = multipletests(out["p_value"].to_numpy(), alpha=0.05, method="fdr_by")
    assert out["q_value"].to_numpy() == pytest.approx(q)
    assert out["significant"].to_list() == list(reject)
    assert set(out.filter("significant")["term"]) <= {"w0", "w1", "w2"}
    assert out.filter("significant").height >= 1
    unadjusted = out.filter(pl.col("p_value") < 0.05).height
    assert unadjusted >= out.filter("significant").height


# --------------------------------------------------------------------------------------------
# Comments: prepare, analyse, ingest, store, delete
# --------------------------------------------------------------------------------------------


def test_empty_and_not_answered_answers_are_not_comments_and_long_ones_stay_whole() -> None:
    long = "The delivery was late. " * 300
    raw = pl.DataFrame(
        {
            "respondent_id": list("abcdef"),
            "question": ["Q5"] * 6,
            "question_text": ["Anything else?"] * 6,
            "text": ["", "   ", None, "n/a", long, " Mail me: x@y.com "],
        }
    )
    out = pipeline.prepare(raw, NOT_ANSWERED)
    assert out["respondent_id"].to_list() == ["e", "f"]
    assert out["text"].to_list() == [long.strip(), "Mail me: [e-mail]"]
    analysed = pipeline.analyse(out)
    assert analysed["chars"][0] > voice.DISPLAY_CHARS
    assert analysed["language"].to_list() == ["en", "en"]
    assert analysed["topics"][0].to_list() == ["delivery"]


def test_a_qualtrics_open_answer_column_is_detected_masked_and_stored(tmp_path: Path) -> None:
    rows = sf.answers(300)
    path = tmp_path / "export.csv"
    path.write_bytes(sf.qualtrics(rows))
    target = tmp_path / "cx.duckdb"
    status, result = ingest_file(path, "withtext", target)
    assert status == "stored"
    assert result.report["comment_columns"] == ["Q5"]
    assert "comments" in result.report["fields"] and "Q5" not in result.report["unmapped_columns"]
    expected = sum(1 for r in rows if r["comment"].strip())
    assert result.report["comments"] == expected
    con = duckdb.connect(str(target), read_only=True)
    try:
        stored = con.sql("select text, language, question_text from comments").pl()
        cells = one(con, "select sum(n) as n from topic_cells where kind = 'all'")
    finally:
        con.close()
    assert stored.height == expected
    text = "\n".join(stored["text"].to_list())
    for raw in ("415 555 0134", "13812345678", "max.muster@example.de", "170 1234567"):
        assert raw not in text
    assert "[phone]" in text and "[e-mail]" in text
    assert set(stored["language"].drop_nulls()) == {"en", "de", "zh", "ru"}
    assert cells is not None and cells[0] == expected  # one answer per respondent here
    with Database(str(target), read_only=False) as database:
        delete_dataset(database, "withtext")
        left = database.run("datasets")
        assert left.is_empty()
    con = duckdb.connect(str(target), read_only=True)
    try:
        for table in ("comments", "topic_cells", "term_cells", "topic_candidates"):
            assert one(con, f"select count(*) from {table}") == (0,), table  # noqa: S608
    finally:
        con.close()


def test_comment_columns_can_be_chosen_or_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(sf.qualtrics(sf.answers(60)))
    _, none = prepare_file(path, "x", comment_columns=[])
    assert none.comments.height == 0 and "comments" not in none.report["fields"]
    with pytest.raises(IngestError, match="no column 'Q9'"):
        prepare_file(path, "x", comment_columns=["Q9"])
    with pytest.raises(IngestError, match="already feeds"):
        prepare_file(path, "x", comment_columns=["Q3"])


def test_metadata_and_contact_columns_are_never_comments() -> None:
    frame = pl.DataFrame(
        {
            "RecipientEmail": [f"person{i}@example.com" for i in range(40)],
            "RecipientLastName": [f"Name with space {i}" for i in range(40)],
            "nps": [str(i % 11) for i in range(40)],
            "Why did you give this score?": [
                f"Because reason number {i} matters" for i in range(40)
            ],
        }
    )
    raw = RawSurvey(frame=frame, questions={}, layout="plain", format="csv", first_row=2)
    found = detect_comments(raw, detect_mapping(raw))
    assert found == ["Why did you give this score?"]


# --------------------------------------------------------------------------------------------
# The demo's comments, the cells and the report
# --------------------------------------------------------------------------------------------


def test_demo_comments_follow_nps_groups_and_are_in_four_languages(
    con: duckdb.DuckDBPyConnection,
) -> None:
    langs = summary.topic_sums(lambda n, p: sql.run(con, n, p), Selection(), "language", None)
    codes = set(langs.filter(pl.col("kind") == "all")["grp"].drop_nulls())
    assert codes == {"en", "de", "zh", "ru"}
    comments = one(con, "select count(*), count(distinct respondent_id) from comments")
    cells = one(con, "select sum(comments), sum(n) from topic_cells where kind = 'all'")
    assert comments is not None and cells is not None and comments == cells
    empty = one(con, "select count(*) from comments where trim(text) = ''")
    assert empty == (0,)
    sums = summary.topic_sums(lambda n, p: sql.run(con, n, p), Selection(), "all", None)
    table = summary.topic_table(sums, Options())
    waiting = table.filter(pl.col("topic") == "waiting").row(0, named=True)
    assert waiting["significant"] and waiting["gap"] < -20  # those who wait are detractors


def test_topic_cells_add_up_to_the_comment_rows(con: duckdb.DuckDBPyConnection) -> None:
    direct = one(
        con,
        "select count(distinct respondent_id) from comments where list_contains(topics, 'price')"
        " and country = 'DE'",
    )
    cells = one(
        con,
        "select sum(n) from topic_cells where kind = 'topic' and topic = 'price' and country = 'DE'",
    )
    assert direct == cells


def test_example_comments_are_bounded_and_filtered(con: duckdb.DuckDBPyConnection) -> None:
    params = Selection(countries=("DE",)).params(
        language="de", topic="waiting", nps_group="detractor", limit=5, max_chars=40
    )
    rows = sql.run(con, "example_comments", params)
    assert rows.height == 5
    assert (rows["nps_score"] <= 6).all() and (rows["language"] == "de").all()
    assert all("waiting" in t.to_list() for t in rows["topics"])
    assert rows["text"].str.len_chars().max() <= 40
    assert sql.run(con, "example_comments", params).equals(rows)  # a stable sample


def test_the_voice_report_states_findings_with_the_chosen_level(
    con: duckdb.DuckDBPyConnection,
) -> None:
    def run(name: str, params: dict) -> pl.DataFrame:
        return sql.run(con, name, params)

    opts = Options(confidence=0.9)
    result = voice.compute(run, Selection(), opts, language="nope", topic="waiting", group="x")
    assert result.language is None and result.example_topic == "waiting"
    assert result.choices["group"].value == "all"
    charts = {c.key: c for c in voice.charts(result, dataset_source(run, "demo"))}
    assert {"topic_nps_groups", "topic_nps_impact", "distinguishing_terms", "topic_trend",
            "topic_brands", "stage_mentions", "candidate_topics"} <= set(charts)  # fmt: skip
    assert "90% interval" in charts["topic_nps_groups"].subtitle
    assert charts["topic_nps_impact"].native is not None
    assert charts["topic_nps_impact"].native.errors is not None
    assert "Detractors write" in charts["distinguishing_terms"].title
    summary_ = voice.summary_of(result)
    assert summary_.kpis[0].label == "Comments" and summary_.tables


@pytest.fixture()
def voice_result(con: duckdb.DuckDBPyConnection) -> voice.VoiceResult:
    return voice.compute(lambda name, params: sql.run(con, name, params), Selection(), Options())


def test_a_brands_topic_mentioned_significantly_less_often_is_said_to_be_less_often(
    voice_result: voice.VoiceResult,
) -> None:
    """The issue, on an upload: "Tesla's commenters mention follow-up and communication most
    often compared with other brands (8% vs 12%)" where the cell is 8▼. The only significant
    cell of this heatmap is below the other brands: the title says less often, with both
    shares, and the claim holds on the chart's table."""
    bb = voice_result.by_brand
    brand, topic = str(bb["grp"][0]), str(bb["topic"][0])
    cell = (pl.col("grp") == brand) & (pl.col("topic") == topic)
    constructed = bb.with_columns(
        share_pct=pl.when(cell).then(8.0).otherwise(pl.col("share_pct")),
        rest_pct=pl.when(cell).then(12.0).otherwise(pl.col("rest_pct")),
        gap=pl.when(cell).then(-4.0).otherwise(pl.col("gap")),
        significant=cell,
        suppressed=pl.lit(False),
    )
    result = dataclasses.replace(voice_result, by_brand=constructed)
    chart = next(c for c in voice.charts(result, Source("demo")) if c.key == "topic_brands")
    label = topics.label(topic)
    assert chart.title == (
        f"{brand}'s commenters mention {label.lower()} less often than other brands' (8% vs 12%)"
    )
    assert "most often" not in chart.title
    assert all(problems(c, chart.table) == [] for c in chart.claims)
    flipped = constructed.with_columns(
        significant=pl.lit(False)
    )  # nothing significant: nothing is said to differ
    quiet = dataclasses.replace(voice_result, by_brand=flipped)
    chart = next(c for c in voice.charts(quiet, Source("demo")) if c.key == "topic_brands")
    assert chart.title.startswith("No brand's commenters mention a topic significantly")


def test_distinguishing_term_bars_and_their_labels_have_the_same_sign(
    voice_result: voice.VoiceResult,
) -> None:
    """The issue: detractors' bars pointed left with positive z labels. Each bar's length and
    its label are one signed z (negative: detractors), the table's z column too."""
    chart = next(
        c for c in voice.charts(voice_result, Source("demo")) if c.key == "distinguishing_terms"
    )
    table = dict(zip(chart.table["Term"], chart.table[voice_claims.SIGNED_Z], strict=False))
    bars = 0
    for trace in chart.figure.data:
        for x, text, term in zip(trace.x, trace.text, trace.y, strict=True):
            assert float(text) == pytest.approx(x, abs=0.051), (term, x, text)
            if "detractors" in trace.name:
                assert x < 0
            bars += 1
    assert bars == chart.table.height
    detractors = chart.table.filter(pl.col("Over-represented among") == "detractors")
    assert (detractors[voice_claims.SIGNED_Z] < 0).all() and table


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_text_command_prints_languages_topics_and_distinguishing_terms(fixture_db: Path) -> None:
    out = json.loads(
        cx("text", "--dataset", "demo", "--db", str(fixture_db), in_process=True, check=True).stdout
    )
    assert out["comments"] > 0 and set(out["languages"]) == {"en", "de", "zh", "ru"}
    assert sum(out["languages"].values()) + out["undetermined_language"] == out["comments"]
    first = out["topics"][0]
    assert {"label", "terms", "n", "shares_by_nps_group", "significant"} <= set(first)
    for side in ("detractors", "promoters"):
        zs = [t["z"] for t in out["distinguishing"][side]]
        assert zs == sorted(zs, reverse=True) and zs[0] > 0
    for by in ("brand", "stage", "wave", "language"):
        proc = cx("text", "--dataset", "demo", "--db", str(fixture_db), "--by", by,
                  "--format", "csv", in_process=True, check=True)  # fmt: skip
        assert proc.stdout.startswith("label,group,")


def test_text_command_says_when_there_is_nothing_to_summarise(fixture_db: Path) -> None:
    proc = cx("text", "--dataset", "nope", "--db", str(fixture_db), in_process=True)
    assert proc.returncode == 2
    assert "unknown dataset" in proc.stderr
    proc = cx("text", "--dataset", "demo", "--db", str(fixture_db), "--industries", "Banking",
              in_process=True)  # fmt: skip
    assert proc.returncode == 2
    assert "no comments" in proc.stderr


def test_the_translated_topic_labels_are_the_shipped_taxonomys() -> None:
    """The catalogs need the shipped labels written in the code (``SHIPPED_LABELS``); they
    must stay the labels of ``data/topics.csv``, or a label edited there reads in English."""
    shipped = {t.label for t in topics.taxonomy().values()}
    assert set(topics.SHIPPED_LABELS) == shipped


def test_the_terms_shown_are_kept_by_the_terms_and_languages(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The distinguishing terms are the whole dataset's: another selection reads what the chart
    shows of them (its table, its claims) from memory; another language of the comments or of
    the page makes it again; what is kept is what would be made."""
    from cx.core import i18n

    run = sql.memo(lambda n, p: sql.run(con, n, p))
    source = dataset_source(run, "demo")
    made: list[str | None] = []
    real = voice.top_terms

    def counted(r: voice.VoiceResult) -> pl.DataFrame:
        made.append(r.language)
        return real(r)

    monkeypatch.setattr(voice, "top_terms", counted)
    voice._TERMS_SHOWN.clear()

    def chart(sel: Selection, **picks: str) -> Any:
        result = voice.compute(run, sel, Options(), **picks)
        return next(c for c in voice.charts(result, source) if c.key == "distinguishing_terms")

    first = chart(Selection())
    again = chart(Selection(countries=("DE",)))
    assert made == [None]
    assert first.table.equals(again.table) and first.title == again.title
    # the footnote too: the whole dataset's comments, whatever the filters (it opened with the
    # selection's commenters, over the same bars)
    assert first.subtitle == again.subtitle and "the filters do not apply" in first.subtitle
    chart(Selection(), language="de")
    assert made == [None, "de"]
    with i18n.use("ru"):
        chart(Selection())
    assert made == [None, "de", None]
    voice._TERMS_SHOWN.clear()
    fresh = chart(Selection(countries=("DE",)))
    assert fresh.table.equals(again.table) and fresh.title == again.title
    assert fresh.figure is not None and again.figure is not None
    assert fresh.figure.to_json() == again.figure.to_json()
