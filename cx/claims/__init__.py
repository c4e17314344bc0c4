"""Claims: chart headlines as typed data computed from the chart's own table, checked against it
(:mod:`cx.claims.check`) and worded by one renderer (:mod:`cx.claims.render`)."""
