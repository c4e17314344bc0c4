-- Weighted moments of the stages and NPS per value of $by and set of stages answered together
-- (stage_mask), for driver models on the stages a selection has.
with cells as (
    select * from selected_cells(
        'driver', $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains, [$by]
    )
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain
    ) as grp,
    stage_mask,
    sum(columns('^(n|sw|sw2|y|yy|x_.*|xx_.*|xy_.*)$'))
from cells
group by all
order by grp, stage_mask
