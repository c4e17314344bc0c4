"""Models and published reference data: the revenue-at-risk model and its presets
(:mod:`cx.models.revenue`), saved scenarios (:mod:`cx.models.scenarios`), published market
benchmarks (:mod:`cx.models.market`) and citations of published figures
(:mod:`cx.models.citations`).
"""
