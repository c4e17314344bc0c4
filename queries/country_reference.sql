-- Country names, regions and map coordinates.
select country, name, region, latitude, longitude
from countries
order by country
