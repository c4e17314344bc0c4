-- NPS sufficient statistics per value of the chosen dimension ($by) within the selection.
-- The outlet dimensions (dealer, dealer_group) have their own query: dealer_nps_by_group.
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
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp
