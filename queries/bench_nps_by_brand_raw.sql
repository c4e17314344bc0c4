-- The benchmark's baseline (`cx bench --compare-raw`): NPS sums per brand of the selection
-- computed by scanning respondent rows, as a page would without summary cells. The pages never
-- read this; they read nps_by_group over the cells, which gives the same sums.
with source as (
    select r.*, b.sales_model
    from respondents as r
    left join brands as b on b.brand = r.brand
)

select
    brand as grp,
    count(*)::bigint as n,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    coalesce(sum(weight) filter (where nps_score >= 9), 0) as swp,
    coalesce(sum(weight) filter (where nps_score <= 6), 0) as swd
from source
where
    in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, powertrain,
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains
    )
group by all
order by grp
