-- Satisfaction sums per pair of dimensions ($by x $by2) and item (stage), e.g. brand x wave:
-- what the wave-to-wave change of each brand's journey stages is tested on.
with cells as (
    select * from selected_cells(
        'stage', $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains, [$by, $by2]
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
    item,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swt) as swt,
    sum(sws) as sws,
    sum(sws2) as sws2
from cells
group by all
order by grp, grp2, item
