-- The rows of a hive-partitioned Parquet folder (a glob); partition values stay text, so a
-- dataset named 2024 is not read as a number.
select * from read_parquet($path, hive_partitioning = true, hive_types_autocast = false)
