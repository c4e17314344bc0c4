-- One saved self-assessment by its id (ids are unguessable: a link holding one opens it).
select assessment_id, organisation, answers, created_at
from assessments
where assessment_id = $assessment_id
