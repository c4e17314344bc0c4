-- Save a CX programme self-assessment (a new row each time: the trend keeps every one).
insert into assessments (assessment_id, owner, organisation, answers)
values ($assessment_id, $owner, $organisation, $answers)
