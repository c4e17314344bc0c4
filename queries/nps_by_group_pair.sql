-- NPS sufficient statistics per pair of dimensions ($by x $by2), e.g. brand x wave.
-- Outlet dimensions (dealer, dealer_group) have their own query: dealer_nps_by_group_pair.
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
    dimension_value(
        $by2, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain
    ) as grp2,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp, grp2
