-- Row counts of the summary tables (for the benchmark report).
select 'nps_cells' as summary_table, count(*) as row_count from nps_cells
union all
select 'stage_cells', count(*) from stage_cells
union all
select 'driver_cells', count(*) from driver_cells
union all
select 'dealer_cells', count(*) from dealer_cells
