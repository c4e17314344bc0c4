-- One scenario by its id (ids are unguessable: a link holding one opens it).
select scenario_id, name, params
from scenarios
where scenario_id = $scenario_id
