"""Statistical options every report, label, test and export reads: one home for the
confidence level and the minimum group size.

No label anywhere writes a level itself: it asks :attr:`Options.level`, so the words on
screen, in decks and on the command line follow the level the user chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cx.core import display
from cx.core.i18n import _

#: Confidence levels the sidebar offers (the command line accepts any level in (0, 1)).
CONFIDENCE_LEVELS: Final[tuple[float, ...]] = (0.90, 0.95, 0.99)
DEFAULT_CONFIDENCE: Final[float] = 0.95
#: Groups with fewer responses are suppressed ("n too small").
DEFAULT_MIN_N: Final[int] = 30
#: Choices of the sidebar's minimum-n input.
MIN_N_RANGE: Final[tuple[int, int, int]] = (10, 1000, 10)


def level_text(confidence: float) -> str:
    """A confidence level as people write it (0.95 gives ninety-five percent, 0.975 one
    decimal)."""
    pct = confidence * 100
    return display.pct(pct, 0 if abs(pct - round(pct)) < 1e-9 else 1)


@dataclass(frozen=True)
class Options:
    """Statistical settings shared by every report.

    Attributes:
        min_n: groups with fewer responses are suppressed (no score, "n too small").
        confidence: level of every interval and significance test, in (0, 1).
    """

    min_n: int = DEFAULT_MIN_N
    confidence: float = DEFAULT_CONFIDENCE

    def __post_init__(self) -> None:
        if not 0.0 < self.confidence < 1.0:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence}")
        if self.min_n < 0:
            raise ValueError(f"min_n must be zero or more, got {self.min_n}")

    @property
    def level(self) -> str:
        """The level as text (see :func:`level_text`)."""
        return level_text(self.confidence)

    @property
    def interval(self) -> str:
        """How an interval is named in labels: the level, then "interval"."""
        return _("{level} interval").format(level=self.level)

    @property
    def significance(self) -> str:
        """How a test's threshold is named: "significant at the <level> level"."""
        return _("significant at the {level} level").format(level=self.level)

    def controlled(self, count: int, noun: str, method: str = "bh") -> str:
        """How a family's significance is named: the level and the false-discovery control
        over the family ("significant at the <level> level, false discovery rate controlled
        across the 24 brands"); ``method`` ``by`` adds that the control is Benjamini-Yekutieli's,
        which holds for tests that depend on each other."""
        if count == 0:  # not "controlled across the 0 topics"
            return _("(none tested)")
        if count == 1:  # not "controlled across the 1 brands": one test is no family
            return _("{significant} (one test)").format(significant=self.significance)
        words = {"level": self.level, "count": display.count(count), "noun": display.noun(noun)}
        if method == "by":
            return _(
                "significant at the {level} level, false discovery rate controlled across the "
                "{count} {noun} (Benjamini-Yekutieli, for dependent tests)"
            ).format(**words)
        return _(
            "significant at the {level} level, false discovery rate controlled across the "
            "{count} {noun}"
        ).format(**words)
