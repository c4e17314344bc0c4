"""Plotly figure builders for screen and image exports, with one theme (:mod:`cx.charts.theme`):
shared builders in :mod:`cx.charts.figures`, page-specific ones in modules named like their
report, label placement in :mod:`cx.charts.labels`.
"""
