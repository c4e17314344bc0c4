-- Whether the database's reads can run: it has the rollups' tables and macros, or no cells at
-- all (an empty file). A database built before rollups has cells but neither until it is
-- opened writable (cx.data.rollups.ready).
select
    (select count(*) from duckdb_tables() where table_name = 'stage_cells') = 0
    or (
        (select count(*) from duckdb_functions() where function_name = 'rollup_serves') > 0
        and (select count(*) from duckdb_tables() where table_name = 'stage_rollup') > 0
    ) as ready
