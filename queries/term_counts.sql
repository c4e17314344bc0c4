-- Token counts per language, NPS group and term of one dataset (term null: all tokens of the
-- group), for the distinguishing-terms statistic.
select language, nps_group, term, n
from term_cells
where dataset = $dataset and ($language is null or language = $language)
