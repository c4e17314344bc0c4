"""Reports: one module per page of the dashboard; the ordered list is :mod:`cx.reports.registry`."""
