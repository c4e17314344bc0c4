-- Save (or overwrite, by owner and name) a revenue scenario.
insert or replace into scenarios (scenario_id, owner, name, params)
values ($scenario_id, $owner, $name, $params)
