-- Add validated published benchmarks from the frame registered as `published_benchmarks_source`.
insert into published_benchmarks by name
select * from published_benchmarks_source
