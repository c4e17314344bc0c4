-- One dataset's stage cells summed over sales model, segment, ownership and powertrain (the
-- dimensions rollup_serves in create_macros.sql does not keep for stage_rollup).
insert into stage_rollup by name
select
    dataset, wave, country, region, industry, brand, channel, item,
    sum(
        columns(
            * exclude (
                dataset, wave, country, region, industry, brand, sales_model, segment, channel,
                ownership, powertrain, item
            )
        )
    )
from stage_cells
where dataset = $dataset
group by all
order by wave, country, industry
