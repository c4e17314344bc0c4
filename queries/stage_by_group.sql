-- Satisfaction sums per value of the chosen dimension ($by) and item (stage).
with cells as (
    select * from selected_cells(
        'stage', $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains, [$by]
    )
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain
    ) as grp,
    item,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swt) as swt,
    sum(swb) as swb,
    sum(sws) as sws,
    sum(sws2) as sws2,
    sum(swb_switch) as swb_switch,
    sum(swb_switch_known) as swb_switch_known
from cells
group by all
order by grp, item
