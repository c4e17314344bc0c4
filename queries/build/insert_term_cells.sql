-- Token counts per language, NPS group and term for one dataset: the 5,000 most frequent
-- terms of each language said at least 3 times, plus each group's total of all tokens
-- (term null), which the log-odds statistic needs.
insert into term_cells
with tokens as (
    select
        language,
        case when nps_score >= 9 then 'promoter' when nps_score <= 6 then 'detractor' else 'passive' end
            as nps_group,
        unnest(tokens) as term
    from comments
    where dataset = $dataset and language is not null
),

counts as (
    select language, nps_group, term, count(*) as n from tokens group by all
),

kept as (
    select language, term
    from counts
    group by language, term
    having sum(n) >= 3
    qualify row_number() over (partition by language order by sum(n) desc, term) <= 5000
)

select $dataset as dataset, c.language, c.nps_group, c.term, c.n
from counts as c
inner join kept as k on k.language = c.language and k.term = c.term
union all
select $dataset, language, nps_group, null, sum(n) from counts group by all
