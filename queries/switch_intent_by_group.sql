-- Weighted switching-intent answers per value of the chosen dimension ($by).
with cells as (
    select * from selected_nps_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain
    ) as grp,
    sum(n)::bigint as n,
    sum(sw_switch_6m) as within_6m,
    sum(sw_switch_18m) as "6_18m",
    sum(sw_switch_later) as later,
    sum(sw_switch_no) as no,
    sum(sw_switch_known) as answered
from cells
group by all
order by grp
