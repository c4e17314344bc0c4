-- An owner's saved scenarios, newest first.
select scenario_id, name, params, created_at
from scenarios
where owner = $owner
order by created_at desc, name
