"""The kinds of claim: what each one holds (its figures, the rows it names, the table columns it
was read from). :mod:`cx.claims.model` makes them from a chart's table; its docstring says what
each kind is for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cx.claims.figure import Figure, Unit, rounded


@dataclass(frozen=True)
class Claim:
    """What every claim has: the table columns it was read from, and the rows it is about.

    Attributes:
        label: the column naming the rows (``Brand``).
        column: the column of the measure (``NPS``).
        where: the rows the claim is about (column -> value as a cell reads); empty: every row.
    """

    label: str
    column: str
    where: Mapping[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def kind(self) -> str:
        """The claim's kind (its class name in lower case)."""
        return type(self).__name__.lower()


@dataclass(frozen=True)
class Top(Claim):
    """The row(s) at the top (or bottom) of a measure; rows showing the same value once rounded
    are named together.

    ``phrase`` picks the wording: ``leads`` (an NPS leader), ``largest``/``smallest`` (a share),
    ``weakest``/``strongest`` (a journey stage), ``most``/``least`` (mentions); ``scope`` says
    who the claim is about when the chart shows a part of the data ("for Automakers").

    ``margin`` (the table's interval columns, low and high) names with the top row every row
    the two rows' whiskers cannot tell from it (:func:`cx.claims.figure.told_apart`: "Maintain
    is the weakest stage" stood over 68.2% against 68.8%, whiskers over each other). ``upto`` is then
    the other end of the named rows' figures, when it reads differently ("68% to 69%").
    Phrase ``level``: no row is clearly the top or the bottom (the two are not told apart).
    """

    subjects: tuple[str, ...] = ()
    figure: Figure = Figure(0.0, "nps")
    lowest: bool = False
    phrase: str = "leads"
    noun: str = ""
    scope: str = ""
    margin: tuple[str, str] | None = None
    upto: Figure | None = None


@dataclass(frozen=True)
class Change(Claim):
    """A row's move from one wave to another, significant after control (or the largest
    significant of several).

    ``phrase`` picks the wording (``moved``: a series moved; ``nps``: the NPS of a wave and its
    change; ``vs``: the change alone; ``rose``: rose or fell; ``published``: two published
    figures); ``level`` names the confidence level where the wording says it; ``name`` is how
    the headline names the subject (default: as the table does).

    ``significant`` None claims no test (published figures). ``flag`` names the table's column
    saying whether the change is significant (read on the ``end`` wave's row); a change claimed
    significant must be flagged there.
    """

    subject: str = ""
    before: Figure = Figure(0.0, "nps")
    after: Figure = Figure(0.0, "nps")
    start: str = ""
    end: str = ""
    significant: bool | None = False
    wave: str = "Wave"
    phrase: str = "moved"
    level: str = ""
    flag: str = ""
    name: str = ""

    @property
    def change(self) -> Figure:
        """The change as the two labels show it (their difference once rounded): points of
        NPS, percentage points of a share, else in the figures' own unit (a score, a count, a
        published figure)."""
        unit: Unit = (
            "points" if self.after.unit == "nps"
            else self.after.unit if self.after.unit in ("score", "count", "published")
            else "pct_points"
        )  # fmt: skip
        return Figure(rounded(self.after.shown - self.before.shown, unit), unit)


@dataclass(frozen=True)
class Steady(Claim):
    """None of ``subjects`` changed significantly between two waves (``noun``: the headline
    counts them, "the 5 most mentioned topics", instead of naming each)."""

    subjects: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    noun: str = ""


@dataclass(frozen=True)
class Gap(Claim):
    """Row ``first`` against row ``second`` on one measure; the gap is the difference of the two
    figures as shown, so it adds up with the labels.

    ``flag`` names the table column saying whether ``first``'s gap to ``second`` is significant
    (the claimed ``significant`` must be what it says); ``words`` says the two rows in a
    sentence ("Direct buyers", "dealer buyers"), ``context`` what is compared ("with the
    purchase").
    """

    first: str = ""
    second: str = ""
    first_figure: Figure = Figure(0.0, "pct")
    second_figure: Figure = Figure(0.0, "pct")
    significant: bool | None = None
    more: str = "more satisfied"
    less: str = "less satisfied"
    flag: str = ""
    words: tuple[str, ...] = ()
    context: str = ""

    @property
    def gap(self) -> float:
        """The difference as shown."""
        return self.first_figure.shown - self.second_figure.shown


@dataclass(frozen=True)
class Total(Claim):
    """The sum of parts (e.g. switching within 6 and within 18 months), as shown: the sum of
    the parts' labels.

    The parts are rows of ``column``; with ``row`` set they are columns of that row instead
    (a wide table: one row per channel, one column per answer).
    """

    parts: tuple[tuple[str, Figure], ...] = ()
    subject: str = ""
    predicate: str = ""
    row: str = ""
    phrase: str = "of"

    @property
    def figure(self) -> Figure:
        """The total as the parts' labels add up."""
        unit = self.parts[0][1].unit if self.parts else "pct"
        return Figure(sum(f.shown for _, f in self.parts), unit)


@dataclass(frozen=True)
class Versus(Claim):
    """One figure against another (e.g. the best quarter of dealer outlets against the average
    direct store); the relation is read off the two figures as shown, worded by ``phrase``
    (``reaches``: reaches or not; ``median``: above, below or level with)."""

    first: str = ""
    second: str = ""
    first_figure: Figure = Figure(0.0, "nps")
    second_figure: Figure = Figure(0.0, "nps")
    phrase: str = "reaches"

    @property
    def reaches(self) -> bool:
        """Whether the first figure, as shown, is at least the second."""
        return self.first_figure.shown >= self.second_figure.shown


@dataclass(frozen=True)
class Rank(Claim):
    """A row's place among ``total`` ranked rows (ties share a place); with ``figure``, rows
    are ranked as their labels show them and the figure is said."""

    subject: str = ""
    rank: int = 0
    total: int = 0
    tied: bool = False
    noun: str = ""
    figure: Figure | None = None
    phrase: str = "ranks"


@dataclass(frozen=True)
class Value(Claim):
    """One row's figure (the row ``subject`` of ``label``, narrowed by ``where``), worded by the
    renderer's template ``phrase``; ``scope`` says whose figure it is where the wording does."""

    subject: str = ""
    figure: Figure = Figure(0.0, "nps")
    phrase: str = "value"
    scope: str = ""


@dataclass(frozen=True)
class Spread(Claim):
    """The group(s) of ``by`` whose rows lie furthest apart on ``column`` (as shown), with the
    highest and lowest rows of the first group; ``noun`` names the rows, plural ("brands")."""

    by: str = ""
    groups: tuple[str, ...] = ()
    high: tuple[str, ...] = ()
    low: tuple[str, ...] = ()
    high_figure: Figure = Figure(0.0, "pct")
    low_figure: Figure = Figure(0.0, "pct")
    noun: str = ""

    @property
    def spread(self) -> float:
        """Highest minus lowest, as shown."""
        return self.high_figure.shown - self.low_figure.shown


@dataclass(frozen=True)
class Statement(Claim):
    """A sentence without numbers ("Too few responses to rate the journey stages").

    ``key`` names it (the renderer's wording, one per key); ``values`` fills its blanks.
    """

    key: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Range(Claim):
    """The rows ``subjects`` go from ``low_figure`` (in ``column``) to ``high_figure`` (in
    ``high``), each showing the same two figures; ``named`` says the row's name in the
    sentence (when it is not the row the claim before named)."""

    subjects: tuple[str, ...] = ()
    high: str = ""
    low_figure: Figure = Figure(0.0, "usd_m")
    high_figure: Figure = Figure(0.0, "usd_m")
    named: bool = False


@dataclass(frozen=True)
class Tally(Claim):
    """How many rows (those ``where`` picks) read ``value`` in ``column``: ``count`` of the
    ``total`` that show a value there; ``unshown`` rows show none (unanswered). ``subjects``
    names the rows counted where the wording names them; ``noun``, ``phrase`` and ``values``
    (names the wording fills in) pick the wording."""

    value: str = "True"
    count: int = 0
    total: int = 0
    unshown: int = 0
    subjects: tuple[str, ...] = ()
    noun: str = ""
    phrase: str = "tally"
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Distinct(Claim):
    """``column`` shows ``count`` distinct values (within ``where``); ``phrase`` and ``values``
    pick the wording."""

    count: int = 0
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
