-- One dataset's driver cells summed over brand, sales model, segment, channel, ownership and
-- powertrain (the dimensions rollup_serves in create_macros.sql does not keep for
-- driver_rollup), per set of stages answered together.
insert into driver_rollup by name
select
    dataset, wave, country, region, industry, stage_mask,
    sum(
        columns(
            * exclude (
                dataset, wave, country, region, industry, brand, sales_model, segment, channel,
                ownership, powertrain, stage_mask
            )
        )
    )
from driver_cells
where dataset = $dataset
group by all
order by wave, country, industry
