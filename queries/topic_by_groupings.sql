-- topic_sums for several breakdowns of the selection in one scan of the topic cells: $bys is
-- a list of grouping dimensions ('language', 'all' or a grouping dimension). Every breakdown
-- but 'language' is within the chosen language ($language, null for all); the 'language'
-- breakdown gives every language, so a page can list them and pool the one it shows.
with cells as (
    select * from selected_cells(
        'topic', $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains, $bys
    )
),

dimensions as (
    select unnest($bys) as dimension
)

select
    d.dimension,
    case
        when d.dimension = 'language' then language
        else dimension_value(
            d.dimension, wave, country, region, industry, brand, sales_model, segment, channel,
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
cross join dimensions as d
where d.dimension = 'language' or $language is null or language = $language
group by all
order by d.dimension, grp, kind, topic
