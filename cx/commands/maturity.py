"""``maturity``: the CX programme self-assessment on the command line.

``python -m cx maturity --template`` prints the statements with their ids (and an answers file
to fill in); ``python -m cx maturity --answers FILE.json`` scores a file
``{"answers": {"<id>": 1-5, ...}}`` with the page's function
(:func:`cx.reports.programme.evaluate`) and prints the stage, the competency scores, the gap to
the next stage and the published distributions beside them. An unknown statement id or an
answer off the scale is named on stderr, one line each, and nothing is scored (exit code 2);
unanswered statements are named too, and the competencies they belong to are not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cx.charts.theme import localised
from cx.commands.common import CliError
from cx.core import display
from cx.core.i18n import _
from cx.models import maturity, studies
from cx.reports import programme

#: The largest answers file read (the template filled in is about 1 kB).
MAX_FILE_BYTES = 1_000_000


def add_parsers(sub: Any) -> None:
    """Register ``maturity``."""
    p = sub.add_parser(
        "maturity",
        help="CX programme self-assessment: the statements, or a stage from answers",
        description=(
            "--template prints the 24 statements with their ids, the scale, the stages and the "
            'rule. --answers FILE.json scores {"answers": {"<id>": 1-5, ...}} as the CX '
            'programme page does: the stage ({"number", "name"}), competency scores, the '
            "gap to the next stage, the practices to adopt next and the published studies "
            "beside them (Qualtrics' stage distribution, IBM's Elite/Pro/Amateur shares, "
            "Capgemini's executive figures), each with its source. Unknown ids and answers "
            "off the scale: one line each on stderr, exit code 2. Unanswered statements: one "
            "line each on stderr; their competencies are not scored."
        ),
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--template", action="store_true", help="print the statements")
    what.add_argument("--answers", type=Path, metavar="FILE.json", help="score a file of answers")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.set_defaults(func=cmd_maturity)


def read_file(path: Path) -> dict[str, Any]:
    """The ``answers`` object of an answers file (bounded in size; one-line errors)."""
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CliError(f"{path.name} is over {MAX_FILE_BYTES // 1_000_000} MB; an answers file is about 1 kB")  # fmt: skip
    try:
        loaded = json.loads(path.read_bytes()[: MAX_FILE_BYTES + 1].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CliError(f"{path.name} is not JSON: {first}") from exc
    answers = loaded.get("answers") if isinstance(loaded, dict) else None
    if not isinstance(answers, dict):
        raise CliError(f'{path.name}: expected {{"answers": {{"<statement id>": 1-5, ...}}}}')
    return answers


def _stage(stage: maturity.Stage | None) -> dict[str, Any] | None:
    return None if stage is None else {"number": stage.number, "name": stage.name}


def _practices(rows: tuple[studies.PracticeRow, ...]) -> dict[str, Any]:
    first = rows[0] if rows else None
    return {
        "source": first.citation if first else None,
        "base": first.base if first else None,
        "practices": [
            {
                "key": r.practice.key,
                "label": r.practice.label,
                "statement": r.practice.statement,
                "your_answer": r.answer,
                "reads": r.practice.words.get(r.reads, r.reads),
                "percent": {g: f.value for g, f in r.shares.items()},
                "figure_ids": {g: f.figure_id for g, f in r.shares.items()},
                "not_published": dict(r.unpublished),
            }
            for r in rows
        ],
    }


def payload(e: programme.Evaluation) -> dict[str, Any]:
    """The JSON contract of ``--answers``."""
    s = e.scores
    source = studies.qualtrics_source()
    gap = s.gap
    return {
        "stage": _stage(s.stage),
        "mean": None if s.mean is None else round(s.mean, 4),
        "rule": maturity.RULE,
        "competencies": [
            {"key": c.competency.key, "label": c.competency.label,
             "score": None if c.score is None else round(c.score, 4), "answered": c.answered,
             "statements": c.total, "band": _stage(c.band)}
            for c in s.competencies
        ],
        "unscored_competencies": [c.competency.key for c in s.unscored],
        "missing": list(s.missing),
        "gap": None if gap is None else {
            "to": _stage(gap.to), "mean_needed": gap.mean_needed,
            "mean_short": round(gap.mean_short, 4), "points": gap.points,
            "holding": [{"competency": k, "points": p} for k, p in gap.holding],
        },
        "next_practices": [
            {"id": p.statement.id, "practice": p.statement.practice, "answer": p.answer,
             "competency": p.statement.competency, "holds_stage": p.holds_stage,
             "evidence": [{"text": x.text, "source": x.citation, "figure_id": x.figure_id}
                          for x in studies.evidence(p.statement)]}
            for p in e.next
        ],
        "published": {
            "qualtrics": {
                "source": source.citation if source else None,
                "base": source.base if source else None,
                "caveat": programme.STAGE_CAVEAT,
                "stages": [
                    {"label": d.label, "stages": list(d.stages), "percent": d.value,
                     "figure_id": d.figure_id, "note": d.note,
                     "yours": s.stage is not None and s.stage.number in d.stages}
                    for d in e.qualtrics
                ],
            },
            "ibm": _practices(e.ibm),
            "capgemini": _practices(e.capgemini),
        },
    }  # fmt: skip


def _print_table(e: programme.Evaluation) -> None:
    # labels of stages, competencies and practices are marked messages of the models
    s = e.scores
    print(_("Stage: {stage}").format(stage=_(s.stage.label) if s.stage else _("not scored")))
    if s.mean is not None:
        print(_("Mean score: {score}").format(score=localised(f"{s.mean:.2f}")))
    print(programme.gap_text(s))
    print()
    for c in s.competencies:
        score = (
            localised(f"{c.score:.2f}")
            if c.score is not None
            else _("not scored ({answered} of {total} answered)").format(
                answered=c.answered, total=c.total
            )
        )
        print(f"  {_(c.competency.label):<34} {score}")
    print()
    source = studies.qualtrics_source()
    if e.qualtrics and source:
        print(
            _("Published: {citation} ({base})").format(citation=source.citation, base=source.base)
        )
        for d in e.qualtrics:
            yours = s.stage is not None and s.stage.number in d.stages
            mark = "  " + _("<- yours") if yours else ""
            print(f"  {_(d.label):<20} {display.published_pct(d.value):>5}{mark}")
        print()
    for rows in (e.ibm, e.capgemini):
        if not rows:
            continue
        published = _("Published: {citation} ({base})")
        print(published.format(citation=rows[0].citation, base=rows[0].base))
        for r in rows:
            shares = ", ".join(f"{g} {display.published_pct(f.value)}" for g, f in r.shares.items())
            print(f"  {_(r.practice.label)}: {shares}; {studies.you_phrase(r)}")
        print()
    for i, p in enumerate(e.next, start=1):
        line = _("Next {number}: {practice} (answer {answer})")
        print(line.format(number=i, practice=_(p.statement.practice), answer=p.answer))


def cmd_maturity(args: argparse.Namespace) -> int:
    """Print the template, or score an answers file."""
    if args.template:
        template = maturity.template()
        if args.format == "json":
            print(json.dumps(template, indent=2, ensure_ascii=False))
        else:
            for comp in template["competencies"]:
                print(comp["label"])
                for st in comp["statements"]:
                    print(f"  {st['id']:<22} {st['text']}")
            print()
            scale = "; ".join(f"{k} {v}" for k, v in template["scale"].items())
            print(_("Scale: {scale}").format(scale=scale))
        return 0
    name = args.answers.name
    raw = read_file(args.answers)
    read = maturity.read_answers(raw)
    for line in read.problems:
        print(f"cx maturity: {name}: {line}", file=sys.stderr)
    for s in maturity.STATEMENTS:
        if raw.get(s.id) is None:
            label = maturity.COMPETENCY_BY_KEY[s.competency].label
            line = _("cx maturity: {file}: missing answer: {id} ({label}: not scored)")
            print(line.format(file=name, id=s.id, label=_(label)), file=sys.stderr)
    if read.problems:
        raise CliError(
            _("{count} answers of {file} could not be used; nothing was scored").format(
                count=len(read.problems), file=name
            )
        )
    evaluation = programme.evaluate(read)
    if args.format == "json":
        print(json.dumps(payload(evaluation), indent=2, ensure_ascii=False))
    else:
        _print_table(evaluation)
    return 0
