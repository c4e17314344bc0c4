-- NPS sufficient statistics per outlet dimension ($by: dealer, dealer_group, or any key the
-- outlet cells carry) within the selection, from the outlet cells (cx.measures picks this query
-- for the outlet dimensions, nps_by_group for the others). Outlet cells have no ownership or
-- powertrain: grouping by them gives one null group.
with cells as (
    select * from selected_dealer_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel,
        null, null, dealer_id := dealer_id, dealer_group := dealer_group
    ) as grp,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp
