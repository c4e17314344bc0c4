-- The datasets held in the database, demo first.
select dataset, label, kind, rows, created_at, source_file, fields
from datasets
order by kind = 'demo' desc, created_at
