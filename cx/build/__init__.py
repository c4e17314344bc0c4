"""Building data: the synthetic demo (respondents, outlets, comments), reference tables from
``data/``, the summary cells (in DuckDB, or from a lake on DuckDB or Spark) and whole
databases, each built beside its target and renamed into place.
"""
