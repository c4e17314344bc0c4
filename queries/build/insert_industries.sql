-- Load the reference table from the frame registered as `industries_source`.
insert into industries by name
select * from industries_source
