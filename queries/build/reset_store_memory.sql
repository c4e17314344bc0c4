-- After storing an upload: DuckDB's default memory limit again.
reset memory_limit
