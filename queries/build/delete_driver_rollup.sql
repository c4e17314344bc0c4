-- Remove one dataset's driver rollup (before it is made again from its cells).
delete from driver_rollup where dataset = $dataset
