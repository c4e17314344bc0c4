"""Key drivers: which journey stages weigh most for the 0-10 recommend score (Johnson's
relative weights from the driver cells' moment sums, with bootstrap intervals), and whether
the model supports naming a stage to fix first. The Journey page and ``python -m cx drivers``
call :func:`key_drivers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cx.core import display, i18n
from cx.core.i18n import _, ngettext
from cx.core.options import Options
from cx.core.schema import ITEM_LABELS, STAGES
from cx.core.selection import Selection
from cx.data.sql import Read, Runner
from cx.metrics import stats

DEFAULT = Options()


@dataclass(frozen=True)
class DriverModel:
    """Key-driver analysis of the stages a selection has for the 0-10 score (Johnson's
    relative weights).

    Attributes:
        table: one row per stage: ``item``, ``label``, ``raw_weight`` (sums to R²),
            ``importance_pct`` (share of R², %), its interval ``importance_low`` /
            ``importance_high`` at the chosen level (parametric bootstrap), ``correlation``.
        r2: the model's R².
        n: complete answers (respondents who answered every stage of the model);
            n_effective: Kish effective n used for the intervals.
        stable_top: True when the top driver's interval does not overlap the second's.
        supports_advice: True when R² >= :data:`MIN_R2_FOR_ADVICE` and the top is stable.
        stages: the stages of the model, in journey order.
        left_out: stages of the selection not in the model (too few answered them with the
            others).
        adjusted_r2: R² adjusted for the number of stages (on the effective n).
    """

    table: pl.DataFrame
    r2: float
    n: float
    n_effective: float
    stable_top: bool
    supports_advice: bool
    stages: tuple[str, ...] = STAGES
    left_out: tuple[str, ...] = ()
    adjusted_r2: float = float("nan")


@dataclass(frozen=True)
class KeyDrivers:
    """What the driver model of a selection can say: the model, or why there is none.

    Attributes:
        model: the model (None when no set of 3 or more stages has enough complete answers).
        present: stages some respondent of the selection answered together with others.
        note: the model's stages in words, or why there is no model.
    """

    model: DriverModel | None
    present: tuple[str, ...]
    note: str


#: Below this R² the stages explain too little of NPS to say which to fix first.
MIN_R2_FOR_ADVICE = 0.10
BOOTSTRAP_DRAWS = 200
#: A driver model needs at least this many stages...
MIN_DRIVER_STAGES = 3
#: ...and at least this many complete answers per stage (and the minimum n).
ANSWERS_PER_STAGE = 20
#: The stages a driver model may use as predictors: every stage but "Recommend", whose
#: satisfaction is nearly the 0-10 recommend score it would predict (a circular predictor that
#: would take most of the weight and leave the other stages looking unimportant).
NOT_PREDICTORS: tuple[str, ...] = ("recommend",)
_PREDICTOR_MASK = sum(1 << i for i, s in enumerate(STAGES) if s not in NOT_PREDICTORS)


def _stage_set(mask: int) -> tuple[str, ...]:
    """The stages of a ``stage_mask`` (bit i is the i-th stage in journey order)."""
    return tuple(s for i, s in enumerate(STAGES) if mask >> i & 1)


def stage_words(stages: tuple[str, ...]) -> str:
    """Stages in words, in journey order ("Research, Shop and Purchase"), in the current
    language."""
    labels = [_(ITEM_LABELS[s]) for s in STAGES if s in stages]
    if len(labels) == 1:
        return labels[0]
    head = labels[0]
    for label in labels[1:-1]:
        head = _("{list}, {item}").format(list=head, item=label)
    return _("{list} and {item}").format(list=head, item=labels[-1])


def key_drivers_read(sel: Selection) -> Read:
    """The query :func:`key_drivers` reads."""
    return "driver_moments_by_group", sel.params(by="all")


def key_drivers(run: Runner, sel: Selection, opts: Options = DEFAULT) -> KeyDrivers:
    """The key-driver model of a selection on the stages it has: the one function the Journey
    page and ``python -m cx drivers`` call.

    The driver cells hold moment sums per set of stages answered together (``stage_mask``);
    the model takes the largest set of 3 or more stages with at least ``max(min_n, 20 per
    stage)`` respondents who answered all of it (ties: the most respondents), from the cells
    whose set holds it. Stages of :data:`NOT_PREDICTORS` are never predictors (their answers are
    left out of each cell's set). Nothing here reads respondent rows.
    """
    raw = run(*key_drivers_read(sel))
    if raw.is_empty():
        return KeyDrivers(None, (), _("No respondent of this selection answered 3 stages or more"))
    sums = (
        raw.drop("grp")
        .with_columns(pl.col("stage_mask") & _PREDICTOR_MASK)
        .group_by("stage_mask")
        .agg(pl.all().sum())
    )
    masks = [int(m) for m in sums["stage_mask"].to_list()]
    present = tuple(s for s in STAGES if any(s in _stage_set(m) for m in masks))
    counts = dict(zip(masks, sums["n"].to_list(), strict=True))
    options = []
    for mask in set(masks):
        stages = _stage_set(mask)
        if len(stages) < MIN_DRIVER_STAGES:
            continue
        n = sum(c for m, c in counts.items() if m & mask == mask)
        options.append((len(stages), n, mask))
    fitting = [o for o in options if o[1] >= max(opts.min_n, ANSWERS_PER_STAGE * o[0])]
    if not fitting:
        best = max(options, default=(0, 0, 0))
        if not best[0]:
            return KeyDrivers(
                None, present, _("No respondent of this selection answered 3 stages or more")
            )
        return KeyDrivers(
            None,
            present,
            _(
                "Too few complete answers for a driver model: {answered} answered all of "
                "{stages}; {needed} are needed"
            ).format(
                answered=i18n.number(best[1]),
                stages=stage_words(_stage_set(best[2])),
                needed=i18n.number(max(opts.min_n, ANSWERS_PER_STAGE * best[0])),
            ),
        )
    _count, _n, mask = max(fitting)
    stages = _stage_set(mask)
    total = sums.filter((pl.col("stage_mask") & mask) == mask).drop("stage_mask").sum()
    model = _fit(total, stages, opts, tuple(s for s in present if s not in stages))
    note = ngettext("on {n} stage: {stages}", "on {n} stages: {stages}", len(stages))
    return KeyDrivers(model, present, note.format(n=len(stages), stages=stage_words(stages)))


def _fit(
    tot: pl.DataFrame, stages: tuple[str, ...], opts: Options, left_out: tuple[str, ...]
) -> DriverModel:
    """Relative weights of ``stages`` from the summed moments of their complete answers.

    The weighted correlation matrix of the stage scores and the 0-10 score is rebuilt from
    the moment sums. Intervals come from a parametric bootstrap: covariance matrices drawn
    from the Wishart distribution with the estimate as scale and the Kish effective n as
    degrees of freedom (seeded, so the same data always give the same intervals).
    """
    k = len(stages)
    order = {s: i for i, s in enumerate(STAGES)}
    n = float(tot["n"][0])
    sx = np.array([tot[f"x_{s}"][0] for s in stages] + [tot["y"][0]], dtype=float)
    sxx = np.zeros((k + 1, k + 1))
    for i, a in enumerate(stages):
        for j in range(i, k):
            b = stages[j]
            lo, hi = (a, b) if order[a] <= order[b] else (b, a)
            sxx[i, j] = sxx[j, i] = float(tot[f"xx_{lo}__{hi}"][0])
        sxx[i, k] = sxx[k, i] = float(tot[f"xy_{a}"][0])
    sxx[k, k] = float(tot["yy"][0])
    sw = float(tot["sw"][0])
    sw2 = float(tot["sw2"][0]) if "sw2" in tot.columns and tot["sw2"][0] else n
    n_eff = float(stats.effective_n(sw, sw2)) if sw2 else n
    corr = stats.correlation_from_moments(sw, sx, sxx)
    weights, r2 = stats.relative_weights(corr)
    low, high = stats.relative_weight_intervals(corr, n_eff, opts.confidence, BOOTSTRAP_DRAWS)
    share = weights / r2 * 100.0 if r2 > 0 else weights * 0
    table = pl.DataFrame(
        {
            "item": list(stages),
            "label": [display.stage_label(s) for s in stages],
            "raw_weight": weights,
            "importance_pct": share,
            "importance_low": low * 100.0,
            "importance_high": high * 100.0,
            "correlation": corr[:-1, -1],
        }
    ).sort("importance_pct", descending=True)
    first, second = table.row(0, named=True), table.row(1, named=True)
    stable = bool(first["importance_low"] > second["importance_high"])
    return DriverModel(
        table=table,
        r2=r2,
        n=n,
        n_effective=n_eff,
        stable_top=stable,
        supports_advice=stable and r2 >= MIN_R2_FOR_ADVICE,
        stages=stages,
        left_out=left_out,
        adjusted_r2=stats.adjusted_r2(r2, n_eff, k),
    )


def drivers(
    run: Runner, sel: Selection, by: str = "all", opts: Options = DEFAULT
) -> DriverModel | None:
    """The model of :func:`key_drivers` (None when there is none); ``by`` is not used (the
    model is of the whole selection)."""
    return key_drivers(run, sel, opts).model
