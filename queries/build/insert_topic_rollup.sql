-- One dataset's topic cells summed over sales model, segment, ownership and powertrain (the
-- dimensions rollup_serves in create_macros.sql does not keep for topic_rollup).
insert into topic_rollup by name
select
    dataset, wave, country, region, industry, brand, channel, language, kind, topic,
    sum(
        columns(
            * exclude (
                dataset, wave, country, region, industry, brand, sales_model, segment, channel,
                ownership, powertrain, language, kind, topic
            )
        )
    )
from topic_cells
where dataset = $dataset
group by all
order by wave, country, industry
