-- Sums of respondents who commented (kind 'all'), who mention each topic (kind 'topic') and
-- each journey stage (kind 'stage'), per value of the chosen dimension ($by: a grouping
-- dimension, 'language' or 'all'), within the selection and the chosen language.
with cells as (
    select * from topic_cells
    where
        in_selection(
            dataset, wave, country, industry, channel, segment, sales_model, powertrain,
            $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
            $powertrains
        )
        and ($language is null or language = $language)
)

select
    case
        when $by = 'language' then language
        else dimension_value(
            $by, wave, country, region, industry, brand, sales_model, segment, channel,
            ownership, powertrain
        )
    end as grp,
    kind,
    topic,
    sum(comments)::bigint as comments,
    sum(n)::bigint as n,
    sum(np)::bigint as np,
    sum(nd)::bigint as nd,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd,
    sum(sw2p) as sw2p,
    sum(sw2d) as sw2d
from cells
group by all
order by grp, kind, topic
