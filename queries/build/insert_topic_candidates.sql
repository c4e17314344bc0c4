-- Store candidate topics registered as `candidates_source` for one dataset.
insert into topic_candidates
select $dataset, language, rank, terms, comments, share, example
from candidates_source
