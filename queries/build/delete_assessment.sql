-- Delete one of an owner's saved self-assessments (another owner's id deletes nothing).
delete from assessments where assessment_id = $assessment_id and owner = $owner
