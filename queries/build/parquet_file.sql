-- The rows of one Parquet file (a reference table of a lake or of a served folder).
select * from read_parquet($path)
