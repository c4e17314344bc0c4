-- Add map rows for countries of an upload that the reference table does not hold yet.
insert into countries (country, name, region, latitude, longitude)
select n.country, n.name, n.region, n.latitude, n.longitude
from new_countries as n
where not exists (select 1 from countries as c where c.country = n.country)
