-- Remove one dataset's topic rollup (before it is made again from its cells).
delete from topic_rollup where dataset = $dataset
