-- Load the reference table from the frame registered as `brands_source`.
insert into brands by name
select * from brands_source
