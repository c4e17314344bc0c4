"""Data access, the bottom layer above ``core``: the one read path (:func:`cx.data.sql.run`, named
SQL files with bound parameters), connections to a DuckDB file, a Parquet folder or MotherDuck
(:mod:`cx.data.connect`), the :class:`~cx.data.database.Database` that owns a connection and
its one writer, and publishing for replicas (:mod:`cx.data.publishing`).
"""
