-- Whether the database has a table of this name (an older database may lack a newer table).
select count(*) > 0 as present
from information_schema.tables
where table_name = $table_name
