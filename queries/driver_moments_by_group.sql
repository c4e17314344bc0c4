-- Weighted moments of complete cases (8 stages and NPS) per value of $by, for driver models.
with cells as (
    select * from selected_driver_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
)

select
    dimension_value(
        $by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
        powertrain
    ) as grp,
    sum(columns('^(n|sw|sw2|y|yy|x_.*|xx_.*|xy_.*)$'))
from cells
group by all
order by grp
