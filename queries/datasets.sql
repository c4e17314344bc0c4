-- The datasets held in the database, demo first (every column: a database or lake written
-- before a column was added, opened read-only, still lists its datasets).
select *
from datasets
order by kind = 'demo' desc, created_at
