-- NPS sufficient statistics per value of the chosen dimension ($by) within the selection.
-- The outlet dimensions (dealer, dealer_group) are read from the outlet cells instead.
with cells as (
    select * from selected_nps_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
    where not outlet_dimension($by)
    union all by name
    select * from selected_dealer_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
    where outlet_dimension($by)
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain, dealer_id := dealer_id, dealer_group := dealer_group
    ) as grp,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp
