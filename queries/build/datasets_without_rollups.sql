-- Datasets whose stage, driver or topic cells have no rollup rows (cx.build.cells.fill_rollups).
select distinct dataset from stage_cells
where dataset not in (select distinct dataset from stage_rollup)
union
select distinct dataset from driver_cells
where dataset not in (select distinct dataset from driver_rollup)
union
select distinct dataset from topic_cells
where dataset not in (select distinct dataset from topic_rollup)
order by dataset
