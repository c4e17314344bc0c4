"""Statistics and measures from summary cells: NPS and satisfaction with intervals and tests
(:mod:`cx.metrics.stats`), the measures pages read (:mod:`cx.metrics.measures`), empirical-Bayes
shrinkage (:mod:`cx.metrics.shrinkage`) and outlet league tables (:mod:`cx.metrics.outlets`).
"""
