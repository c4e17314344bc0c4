-- Remove one dataset's stage rollup (before it is made again from its cells).
delete from stage_rollup where dataset = $dataset
