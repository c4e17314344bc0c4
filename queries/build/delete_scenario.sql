-- Delete one of an owner's scenarios (another owner's id deletes nothing).
delete from scenarios where scenario_id = $scenario_id and owner = $owner
