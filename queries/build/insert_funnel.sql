-- Append funnel rows registered by the loader as `funnel_source`.
insert into funnel by name
select * from funnel_source
