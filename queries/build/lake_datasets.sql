-- The datasets of a lake's respondent rows (a partition column: no row data is read).
select distinct dataset
from respondents
order by dataset
