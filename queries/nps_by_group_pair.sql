-- NPS sufficient statistics per pair of dimensions ($by x $by2), e.g. brand x wave.
-- Outlet dimensions (dealer, dealer_group) on either side read the outlet cells instead.
with cells as (
    select * from selected_nps_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
    where not outlet_dimension($by) and not outlet_dimension($by2)
    union all by name
    select * from selected_dealer_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
    where outlet_dimension($by) or outlet_dimension($by2)
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain, dealer_id := dealer_id, dealer_group := dealer_group
    ) as grp,
    dimension_value(
        $by2, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain, dealer_id := dealer_id, dealer_group := dealer_group
    ) as grp2,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp, grp2
