-- The benchmark's baseline (`cx bench --compare-raw`): the respondent columns a filtered
-- NPS-by-brand reads, for the same computation in pandas.
select r.wave, r.country, r.industry, r.brand, r.weight, r.nps_score
from respondents as r
where r.dataset = $dataset
