-- Load the reference table from the frame registered as `countries_source`.
insert into countries by name
select * from countries_source
