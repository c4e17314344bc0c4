-- Candidate topics found in comments that match no topic of the taxonomy.
select language, rank, terms, comments, share, example
from topic_candidates
where dataset = $dataset and ($language is null or language = $language)
order by comments desc, language, rank
