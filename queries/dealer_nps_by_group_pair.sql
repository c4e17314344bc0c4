-- NPS sufficient statistics per pair of dimensions ($by x $by2), e.g. dealer group x wave.
-- This one reads the outlet cells: cx.measures picks it when either key is an outlet dimension;
-- they have no ownership or powertrain (null).
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
    dimension_value(
        $by2, wave, country, region, industry, brand, sales_model, segment, channel,
        null, null, dealer_id := dealer_id, dealer_group := dealer_group
    ) as grp2,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd
from cells
group by all
order by grp, grp2
