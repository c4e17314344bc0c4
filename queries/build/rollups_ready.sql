-- Whether the database has the rollups' tables and macros (a database built before them has
-- neither until it is opened writable: cx.data.rollups.ready).
select
    (select count(*) from duckdb_functions() where function_name = 'rollup_serves') > 0
    and (select count(*) from duckdb_tables() where table_name = 'stage_rollup') > 0 as ready
