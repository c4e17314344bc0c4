"""Published brand benchmarks: the figures, their validation, method breaks and positions.

``data/published_benchmarks.csv`` holds real published figures (ACSI, J.D. Power, Temkin,
UKCSI...) with the study, metric, scale, segment, entity, value, year, market and the public
page each was read from. They live in their own table, ``published_benchmarks``, apart from
survey aggregates and never averaged with them. Every file of figures (the shipped one and
``cx benchmarks --add``) goes through :func:`check`: one clear line per bad row.

Studies whose method changed (J.D. Power's SSI redesigns, for instance) cannot be read as one
trend: ``data/benchmark_breaks.csv`` declares known changes with their source, and
:func:`detect_breaks` flags study-wide shifts the file does not explain, so trend lines are
drawn as separate segments (:func:`periods`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

from cx.core import i18n
from cx.core.i18n import N_, _
from cx.core.paths import DATA_DIR
from cx.metrics import kept

REFERENCE_FILE = DATA_DIR / "published_benchmarks.csv"
BREAKS_FILE = DATA_DIR / "benchmark_breaks.csv"

#: Columns of a benchmark file, in order (the ``published_benchmarks`` table has the same).
COLUMNS: tuple[str, ...] = (
    "figure_id",
    "study",
    "metric",
    "scale",
    "segment",
    "entity",
    "value",
    "year",
    "country",
    "publisher",
    "source_url",
)
REQUIRED_TEXT = ("figure_id", "study", "metric", "scale", "entity", "country", "publisher")
#: Column types of the validated figures (and of the table).
SCHEMA: dict[str, type[pl.DataType]] = {
    **dict.fromkeys(COLUMNS, pl.String),
    "value": pl.Float64,
    "year": pl.Int64,
}

FIRST_YEAR = 1980  # no study in the file is older; earlier years are typing errors
MAX_FILE_MB = 10
MAX_TEXT = 300
MAX_URL = 2_000
#: A study-wide shift of at least this share of the scale between two published years, with
#: no declared break, is flagged as a possible method change: more than a whole market moves
#: in the file otherwise (ACSI's automobile study at most 4.5 points of 100 from one year to
#: the next, J.D. Power's studies at most 20 of 1,000 within a method).
SHIFT_SHARE = 0.075
#: ... when at least this many entities were published in both years.
SHIFT_MIN_PAIRS = 2

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_URL = re.compile(r"^https?://[^\s/?#.][^\s/?#]*\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|to|–)\s*(-?\d+(?:\.\d+)?)\s*$")
PERCENT_SCALES = ("percent", "%", "0-100%")


class BenchmarkError(ValueError):
    """A file of figures that cannot be used; ``lines`` says why, one line per problem."""

    def __init__(self, summary: str, lines: Sequence[str] = ()) -> None:
        super().__init__("\n".join([summary, *lines]))
        self.summary = summary
        self.lines = tuple(lines)


def scale_range(scale: str) -> tuple[float, float] | None:
    """The lowest and highest value of a scale as published (``0-1000``, ``-100 to 100``,
    ``percent``), or None when the text is not a scale."""
    text = scale.strip().lower()
    if text in PERCENT_SCALES:
        return (0.0, 100.0)
    match = _RANGE.match(text)
    if not match:
        return None
    low, high = float(match.group(1)), float(match.group(2))
    return (low, high) if low < high else None


def is_percent(scale: str) -> bool:
    """Whether a scale is a percentage of respondents."""
    return scale.strip().lower() in PERCENT_SCALES


def is_nps(scale: str) -> bool:
    """Whether a scale is the Net Promoter Score's -100 to 100."""
    return scale_range(scale) == (-100.0, 100.0)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A checked file of figures.

    Attributes:
        figures: the rows that passed, typed (:data:`SCHEMA`), in file order.
        errors: one line per bad row (``line N (figure_id x): reason; reason``).
        rows: rows read.
    """

    figures: pl.DataFrame
    errors: tuple[str, ...]
    rows: int


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_problems(
    row: Mapping[str, str],
    seen: dict[str, int],
    existing_ids: frozenset[str],
    scales: dict[str, str],
    last_year: int,
) -> list[str]:
    """Every reason one row is not acceptable (empty list: the row is fine)."""
    problems = [f"{c} is empty" for c in REQUIRED_TEXT if not row[c]]
    problems += [
        f"{c} is longer than {MAX_TEXT} characters"
        for c in COLUMNS
        if c != "source_url" and len(row[c]) > MAX_TEXT
    ]
    fid = row["figure_id"]
    if fid and not _ID.match(fid):
        problems.append(f"figure_id {fid!r} has characters other than letters, digits, _ . -")
    elif fid in seen:
        problems.append(f"figure_id {fid!r} repeats line {seen[fid]}")
    elif fid in existing_ids:
        problems.append(f"figure_id {fid!r} is already in the database")
    bounds = scale_range(row["scale"]) if row["scale"] else None
    if row["scale"] and bounds is None:
        problems.append(
            f"scale {row['scale']!r} is not a scale (write it as 0-100, -100 to 100 or percent)"
        )
    known = scales.get(row["study"])
    if row["study"] and row["scale"] and known is not None and known != row["scale"]:
        problems.append(f"study {row['study']!r} uses scale {known!r}, not {row['scale']!r}")
    try:
        value = float(row["value"])
    except ValueError:
        problems.append(
            f"value {row['value']!r} is not a number" if row["value"] else "value is empty"
        )
    else:
        if not math.isfinite(value):
            problems.append(f"value {row['value']!r} is not a number")
        elif bounds is not None and not bounds[0] <= value <= bounds[1]:
            problems.append(f"value {row['value']} is outside the scale {row['scale']}")
    if not re.fullmatch(r"\d{4}", row["year"]):
        problems.append(f"year {row['year']!r} is not a year" if row["year"] else "year is empty")
    elif not FIRST_YEAR <= int(row["year"]) <= last_year:
        problems.append(f"year {row['year']} is not between {FIRST_YEAR} and {last_year}")
    if row["country"] and not _COUNTRY.match(row["country"]):
        problems.append(f"country {row['country']!r} is not an ISO code such as US, CN or GB")
    url = row["source_url"]
    if not url:
        problems.append("source_url is empty")
    elif len(url) > MAX_URL or not _URL.match(url):
        problems.append(f"source_url {url[:80]!r} is not an http(s) link")
    return problems


def check(
    frame: pl.DataFrame,
    existing_ids: Iterable[str] = (),
    study_scales: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Checked:
    """Validate figures read as text (columns :data:`COLUMNS`).

    Args:
        frame: the file's rows, every cell as text.
        existing_ids: figure ids already stored (a new figure may not reuse one).
        study_scales: the scale each stored study uses (a study keeps one scale).
        today: the date that bounds plausible years (default: today).

    Returns:
        The rows that passed, typed, and one line per bad row.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    extra = [c for c in frame.columns if c not in COLUMNS]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected columns: {', '.join(extra)}")
        raise BenchmarkError(f"{'; '.join(parts)} (expected: {', '.join(COLUMNS)})")
    last_year = (today or dt.date.today()).year + 1
    ids = frozenset(existing_ids)
    scales = dict(study_scales or {})
    seen: dict[str, int] = {}
    good: list[dict[str, str]] = []
    errors: list[str] = []
    for i, raw in enumerate(frame.select(COLUMNS).iter_rows(named=True)):
        row = {c: _text(raw[c]) for c in COLUMNS}
        line = i + 2  # the header is line 1
        problems = _row_problems(row, seen, ids, scales, last_year)
        if row["figure_id"] and row["figure_id"] not in seen:
            seen[row["figure_id"]] = line
        if problems:
            label = f" (figure_id {row['figure_id']})" if row["figure_id"] else ""
            errors.append(f"line {line}{label}: {'; '.join(problems)}")
            continue
        scales.setdefault(row["study"], row["scale"])
        good.append(row)
    figures = pl.DataFrame(good, schema=dict.fromkeys(COLUMNS, pl.String))
    typed = figures.with_columns(
        pl.col("value").cast(pl.Float64),
        pl.col("year").cast(pl.Int64),
        pl.when(pl.col("segment") == "").then(None).otherwise(pl.col("segment")).alias("segment"),
    )
    return Checked(typed, tuple(errors), frame.height)


def read_file(path: Path) -> pl.DataFrame:
    """A CSV file of figures, every cell as text (bounded in size before it is read).

    Raises:
        BenchmarkError: the file is missing, too large, empty or not CSV text.
    """
    if not path.is_file():
        raise BenchmarkError(f"no such file: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_MB * 1024 * 1024:
        raise BenchmarkError(f"{path.name} is larger than {MAX_FILE_MB} MB")
    data = path.read_bytes()
    if not data.strip():
        raise BenchmarkError(f"{path.name} is empty")
    if b"\x00" in data[:4096]:
        raise BenchmarkError(f"{path.name} is not a CSV text file")
    try:
        frame = pl.read_csv(data, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise BenchmarkError(
            f"{path.name} is not readable CSV: {str(exc).splitlines()[0]}"
        ) from exc
    if frame.height == 0:
        raise BenchmarkError(f"{path.name} has a header but no figures")
    return frame


def load_reference(path: Path = REFERENCE_FILE) -> pl.DataFrame:
    """The shipped figures, validated; a bad row stops the build with every bad line."""
    checked = check(read_file(path))
    if checked.errors:
        raise BenchmarkError(f"{len(checked.errors)} bad rows in {path.name}", checked.errors)
    return checked.figures


# --------------------------------------------------------------------------------------------
# Positions within a study and year
# --------------------------------------------------------------------------------------------

#: A ranking is a study's figures of one year in one market.
RANKING_KEYS = ("study", "year", "country")


def ranked(figures: pl.DataFrame) -> pl.DataFrame:
    """Figures (with ``role``) plus what a ranking needs, per study, year and market.

    Adds ``sources`` (figures giving the entity's score that year), ``low`` and ``high`` (their
    range: sources can differ by a point), ``plotted`` (the one figure drawn per entity: the
    value most sources agree on, then the first id) and, for plotted ranked brands, ``rank``
    (1 = highest, ties share a rank), ``ranked`` (brands ranked) and ``percentile`` (mid-rank
    percentile rank, 100 x (brands below + half of those level, itself included) / brands;
    none for a lone brand).
    """
    keys = list(RANKING_KEYS)
    entity = [*keys, "entity"]
    frame = figures.with_columns(
        pl.len().over([*entity, "value"]).alias("_same"),
        pl.len().over(entity).cast(pl.Int64).alias("sources"),
        pl.col("value").min().over(entity).alias("low"),
        pl.col("value").max().over(entity).alias("high"),
    ).sort([*entity, "_same", "figure_id"], descending=[False] * 4 + [True, False])
    frame = frame.with_columns((pl.int_range(pl.len()).over(entity) == 0).alias("plotted"))
    brands = frame.filter(pl.col("plotted") & (pl.col("role") == "brand")).select(
        "figure_id",
        pl.col("value").rank("min", descending=True).over(keys).cast(pl.Int64).alias("rank"),
        pl.len().over(keys).cast(pl.Int64).alias("ranked"),
        (pl.col("value").rank("min").over(keys) - 1).alias("_below"),
        pl.len().over([*keys, "value"]).alias("_level"),
    )
    brands = brands.with_columns(
        pl.when(pl.col("ranked") > 1)
        .then(100.0 * (pl.col("_below") + 0.5 * pl.col("_level")) / pl.col("ranked"))
        .alias("percentile")
    ).select("figure_id", "rank", "ranked", "percentile")
    return (
        frame.drop("_same")
        .join(brands, on="figure_id", how="left")
        .sort(["study", "year", "value", "figure_id"], descending=[False, False, True, False])
    )


# --------------------------------------------------------------------------------------------
# Method breaks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """A change of a study's method: scores before ``first_year`` are not comparable with
    scores from ``first_year`` on.

    Attributes:
        study: the study, as named in the figures.
        first_year: the first year of the new method.
        change: what changed, in words.
        source_url: where the change is documented ("" for a detected break).
        detected: True when inferred from the figures (a study-wide shift), not declared.
        shift: for a detected break, the median move of the entities published both years.
    """

    study: str
    first_year: int
    change: str
    source_url: str = ""
    detected: bool = False
    shift: float | None = None

    @property
    def label(self) -> str:
        """What a chart writes at the break."""
        return _("possible method change") if self.detected else _("method changed")


@functools.cache
def declared_breaks() -> tuple[Break, ...]:
    """Known method changes with their source, from ``data/benchmark_breaks.csv``."""
    with BREAKS_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Break(r["study"], int(r["first_year"]), r["change"], r["source_url"])
            for r in csv.DictReader(fh)
        )


def detect_breaks(figures: pl.DataFrame, declared: Sequence[Break] = ()) -> list[Break]:
    """Study-wide shifts between consecutive published years that no declared break explains.

    For each study and pair of consecutive years with figures, the entities published in both
    years are paired; when at least :data:`SHIFT_MIN_PAIRS` moved by a median of at least
    :data:`SHIFT_SHARE` of the scale, the whole study moved together, which is what a method
    change looks like (one brand improving moves alone).

    Args:
        figures: columns study, scale, entity, year, value (one value per entity and year).
        declared: known breaks; a pair of years across one of them is not examined.
    """
    out: list[Break] = []
    if figures.is_empty():
        return out
    starts = {(b.study, b.first_year) for b in declared}
    for (study,), part in figures.group_by(["study"], maintain_order=True):
        bounds = scale_range(str(part["scale"][0]))
        if bounds is None:
            continue
        span = bounds[1] - bounds[0]
        by_year: dict[int, dict[str, float]] = {}
        for row in part.iter_rows(named=True):
            by_year.setdefault(int(row["year"]), {})[str(row["entity"])] = float(row["value"])
        years = sorted(by_year)
        for y0, y1 in itertools.pairwise(years):
            if any((study, y) in starts for y in range(y0 + 1, y1 + 1)):
                continue
            pairs = [by_year[y1][e] - v for e, v in by_year[y0].items() if e in by_year[y1]]
            if len(pairs) < SHIFT_MIN_PAIRS:
                continue
            shift = statistics.median(pairs)
            if abs(shift) >= SHIFT_SHARE * span:
                out.append(
                    Break(
                        str(study),
                        y1,
                        _(
                            "the {count} entities published in both {first} and {second} moved "
                            "together by a median of {shift} points ({share} of the scale); no "
                            "method note is on file"
                        ).format(
                            count=len(pairs),
                            first=y0,
                            second=y1,
                            shift=i18n.number(shift, 1, signed=True),
                            share=i18n.number(abs(shift) / span * 100) + "%",
                        ),
                        detected=True,
                        shift=shift,
                    )
                )
    return out


def periods(years: Sequence[int], breaks: Iterable[Break]) -> list[int]:
    """The method period of each year (0 before the first break, 1 after it, ...)."""
    starts = sorted({b.first_year for b in breaks})
    return [sum(1 for s in starts if y >= s) for y in years]


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

#: Roles of a published row: a brand ranked by the publisher, one it did not rank, a segment
#: or industry average, a manufacturer or group of manufacturers.
ROLE_NAMES = {
    "brand": N_("Brand"),
    "unranked": N_("Brand (not ranked by the publisher)"),
    "average": N_("Segment or industry average"),
    "group": N_("Manufacturer or group"),
}
#: Words the publishers use for their averages and groups ("Industry average", "All others"):
#: category words, not brand names, so they are said in the language shown (the Chinese and
#: Russian rankings listed them in English); in English each reads as published.
AVERAGE_NAMES = {
    "All Others": N_("All Others"),
    "All others": N_("All others"),
    "All airlines (average)": N_("All airlines (average)"),
    "Auto dealer industry average": N_("Auto dealer industry average"),
    "Auto dealers industry average": N_("Auto dealers industry average"),
    "Domestic brands average": N_("Domestic brands average"),
    "Industry average": N_("Industry average"),
    "Luxury average": N_("Luxury average"),
    "Mass-market average": N_("Mass-market average"),
    "Mass-market international brands average": N_("Mass-market international brands average"),
    "Premium average": N_("Premium average"),
    "Streaming media industry average": N_("Streaming media industry average"),
    "TV & Internet service providers industry average": N_(
        "TV & Internet service providers industry average"
    ),
    "TV/Internet service providers industry average": N_(
        "TV/Internet service providers industry average"
    ),
    "UK all-sector average": N_("UK all-sector average"),
}
QUARTILES = (
    N_("bottom quartile"),
    N_("third quartile"),
    N_("second quartile"),
    N_("top quartile"),
)


def quartile(percentile: float | None, ranked: int | None) -> str | None:
    """The quartile of a percentile rank, when at least four brands are ranked."""
    if percentile is None or ranked is None or ranked < 4:
        return None
    return QUARTILES[min(3, int(percentile // 25))]


#: The published metrics and scales in the interface's words (the reference file's are
#: English; one the catalogue does not name is shown as written). A Chinese axis read
#: "customer satisfaction index (0-100)".
METRICS = {
    "customer satisfaction index": N_("customer satisfaction index"),
    "sales satisfaction score": N_("sales satisfaction score"),
    "service satisfaction score": N_("service satisfaction score"),
    "APEAL score": N_("APEAL score"),
    "customer experience rating": N_("customer experience rating"),
    "NPS": N_("NPS"),
}
SCALES = {"percent": N_("percent"), "-100 to 100": N_("-100 to 100")}


def metric_words(metric: str, scale: str | None = None) -> str:
    """A published metric in words, with its scale in brackets when given."""
    said = _(METRICS[metric]) if metric in METRICS else metric
    if scale is None:
        return said
    return f"{said} ({_(SCALES[scale]) if scale in SCALES else scale})"


def scale_words(scale: str) -> str:
    """A published scale in words."""
    return _(SCALES[scale]) if scale in SCALES else scale


def short_study(study: str) -> str:
    """A study's name for narrow places: a spelled-out name followed by its acronym becomes
    the acronym ("... Sales Satisfaction Index (SSI) Study" -> "... SSI"); "Study" goes."""
    name = re.sub(r"\s+Study$", "", study.strip())
    match = re.search(r"\(([A-Z]{2,8})\)", name)
    if match:
        acronym = match.group(1)
        words = name[: match.start()].split()
        for start in range(len(words)):
            tail = words[start:]
            initials = "".join(w if w.isupper() else w[0] for w in tail if w[:1].isalpha())
            strict = "".join(
                w if w.isupper() else w[0] for w in tail if w[:1].isupper() or w.isupper()
            )
            if acronym in (initials.upper(), strict.upper()):
                head = " ".join(words[:start])
                rest = name[match.end() :].strip()
                return " ".join(p for p in (head, acronym, rest) if p)
    return name


def host(url: str) -> str:
    """The site of a link (``www.`` dropped), for footnotes."""
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def hosts(urls: Iterable[str], limit: int = 4) -> str:
    """The sites of some links, most cited first, at most ``limit`` then "and N more"."""
    counts: dict[str, int] = {}
    for url in urls:
        if url:
            counts[host(url)] = counts.get(host(url), 0) + 1
    ordered = sorted(counts, key=lambda h: (-counts[h], h))
    shown = ", ".join(ordered[:limit])
    more = len(ordered) - limit
    return _("{sites} and {count} more").format(sites=shown, count=more) if more > 0 else shown


def ranked_once(published: pl.DataFrame) -> pl.DataFrame:
    """:func:`ranked` of the published figures, made once per content of the figures: they do
    not depend on the survey data or its filters, so every selection and session after the
    first reads them from memory (:mod:`cx.metrics.kept`)."""
    return _RANKED.get(kept.digest(published), lambda: ranked(published))


def every_break(figures: pl.DataFrame) -> tuple[Break, ...]:
    """Every method change of the ranked figures (:func:`ranked_once`), declared and detected
    in the figures plotted, once per content of those figures and of the declared list and per
    language."""
    plotted = figures.filter(pl.col("plotted")).select("study", "scale", "entity", "year", "value")
    declared = declared_breaks()
    return _BREAKS.get(  # a detected change is described in the current language
        (kept.digest(plotted), declared, i18n.language()),
        lambda: (*declared, *detect_breaks(plotted, declared)),
    )


#: The published figures ranked, and their method changes, by the figures' content.
_RANKED: kept.Kept[pl.DataFrame] = kept.Kept(4)
_BREAKS: kept.Kept[tuple[Break, ...]] = kept.Kept(4)


def period_label(study_breaks: list[Break], year: int) -> str:
    """The method period a year belongs to, in words ("one method", "until 2010", ...)."""
    starts = sorted({b.first_year for b in study_breaks})
    if not starts:
        return _("one method")
    period = periods([year], study_breaks)[0]
    first = starts[period - 1] if period > 0 else None
    until = starts[period] - 1 if period < len(starts) else None
    if first is None:
        return _("until {year}").format(year=until)
    if until is not None:
        return f"{first}-{until}"
    return _("from {year}").format(year=first)
