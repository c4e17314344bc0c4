-- Write a table to object storage partitioned by dataset and wave (cx.publishing.PARTITION_BY),
-- overwriting the files of partitions written before ($table: a served table's name).
copy (from query_table($table)) to $path (
    format parquet, partition_by (dataset, wave), overwrite_or_ignore true
)
