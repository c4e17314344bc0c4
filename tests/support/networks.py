"""Simulated outlet networks for the dealer scorecards' statistical tests: brands with their
own mean and true spread, outlets whose answers are drawn as promoters, passives and
detractors from their true NPS."""

from __future__ import annotations

import numpy as np
import polars as pl

from cx.metrics import outlets


def network(
    rng: np.random.Generator,
    sizes: tuple[int, ...],
    spread: tuple[float, float] = (0.0, 24.0),
    brands: int = 20,
) -> tuple[pl.DataFrame, np.ndarray]:
    """Outlet sums (as :func:`cx.metrics.outlets.outlet_sums` gives them) and each outlet's
    true NPS.

    Args:
        rng: the random generator.
        sizes: outlets per brand, drawn from these.
        spread: each brand's true between-outlet SD is drawn uniformly from this range
            (points); (0, 0): every outlet of a brand is the same.
        brands: brands in the network.
    """
    frames, truth = [], []
    for b in range(brands):
        k = int(rng.choice(sizes))
        passive = rng.uniform(0.2, 0.35, k)
        theta = rng.uniform(-30, 50) + rng.uniform(*spread) * rng.standard_normal(k)
        theta = np.clip(theta, -(1 - passive) * 100 + 2, (1 - passive) * 100 - 2)
        n = np.maximum(30, np.round(np.exp(rng.normal(np.log(120), 0.6, k)))).astype(int)
        p, d = (1 - passive + theta / 100) / 2, (1 - passive - theta / 100) / 2
        counts = rng.multinomial(n, np.stack([p, passive, d], axis=1))
        frames.append(
            pl.DataFrame(
                {
                    "dealer_id": [f"D{b}-{i}" for i in range(k)],
                    "brand": [f"B{b}"] * k,
                    "n": n.astype(float),
                    "swp": counts[:, 0].astype(float),
                    "swd": counts[:, 2].astype(float),
                }
            )
        )
        truth.append(theta)
    sums = pl.concat(frames).with_columns(
        sw=pl.col("n"), sw2=pl.col("n"), dealer_name=pl.col("dealer_id"),
        dealer_group=pl.lit(None, pl.String), country=pl.lit("US"), channel=pl.lit("dealer"),
    )  # fmt: skip
    return sums.with_columns(pool=outlets.POOL), np.concatenate(truth)
