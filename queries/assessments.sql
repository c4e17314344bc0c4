-- An owner's saved self-assessments, oldest first (the trend reads them in this order).
select assessment_id, organisation, answers, created_at
from assessments
where owner = $owner
order by created_at, assessment_id
