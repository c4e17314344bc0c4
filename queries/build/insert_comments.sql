-- Append analysed comments registered as `comments_chunk`, with their respondent's
-- dimensions, score and weight (respondents of the same dataset must be stored first), in
-- language and sample-key order: a sample of examples (of one language) reads only the first
-- row groups of its language (DuckDB skips the rest by their sample-key range).
insert into comments by name
select
    r.dataset, c.respondent_id, c.question, c.question_text,
    r.wave, r.country, co.region, r.industry, r.brand, b.sales_model, r.segment, r.channel,
    r.ownership, r.powertrain, r.nps_score, r.weight,
    c.text, c.chars, c.language, c.topics, c.stages, c.tokens,
    hash(r.dataset, c.respondent_id, c.question) as sample_key
from comments_chunk as c
inner join respondents as r on r.dataset = $dataset and r.respondent_id = c.respondent_id
left join brands as b on b.brand = r.brand
left join countries as co on co.country = r.country
order by language, sample_key
