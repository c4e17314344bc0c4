-- Topic sums per cell for one dataset: respondents who commented, who mention each topic, and
-- who mention any topic of each journey stage (a respondent counts once per row). Ownership is
-- left out (no filter or grouping of the page uses it): fewer cells.
insert into topic_cells
with respondent as (
    select
        dataset, respondent_id, wave, country, region, industry, brand, sales_model, segment,
        channel, null::varchar as ownership, powertrain, nps_score, weight,
        count(*) as comments,
        arg_max(language, chars) as language,
        list_distinct(flatten(list(topics))) as topics,
        list_distinct(flatten(list(stages))) as stages
    from comments
    where dataset = $dataset
    group by all
),

mentions as (
    select * exclude (topics, stages), 'all' as kind, '*' as topic from respondent
    union all
    select * exclude (topics, stages), 'topic' as kind, unnest(topics) as topic from respondent
    union all
    select * exclude (topics, stages), 'stage' as kind, unnest(stages) as topic from respondent
)

select
    dataset, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
    powertrain, language, kind, topic,
    sum(comments) as comments,
    count(*) as n,
    count(*) filter (where nps_score >= 9) as np,
    count(*) filter (where nps_score <= 6) as nd,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    coalesce(sum(weight) filter (where nps_score >= 9), 0) as swp,
    coalesce(sum(weight) filter (where nps_score <= 6), 0) as swd,
    coalesce(sum(weight * weight) filter (where nps_score >= 9), 0) as sw2p,
    coalesce(sum(weight * weight) filter (where nps_score <= 6), 0) as sw2d
from mentions
group by all
