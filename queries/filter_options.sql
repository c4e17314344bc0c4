-- Every value each global filter can take in one dataset, as (dimension, value) pairs.
with cells as (
    select * from nps_cells where dataset = $dataset
),

options as (
    select distinct 'waves' as dimension, wave as value from cells
    union all
    select distinct 'countries', country from cells
    union all
    select distinct 'industries', industry from cells
    union all
    select distinct 'channels', channel from cells
    union all
    select distinct 'segments', segment from cells
    union all
    select distinct 'sales_models', sales_model from cells
    union all
    select distinct 'powertrains', powertrain from cells
    union all
    select distinct 'brands', brand from cells
)

select dimension, value from options
where value is not null
order by dimension, value
