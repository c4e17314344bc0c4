-- NPS and switching-intent sums per cell for one dataset.
insert into nps_cells
with source as (
    select
        r.dataset, r.wave, r.country, c.region, r.industry, r.brand, b.sales_model, r.segment,
        r.channel, r.ownership, r.powertrain, r.weight, r.nps_score, r.switch_intent
    from respondents as r
    left join brands as b on b.brand = r.brand
    left join countries as c on c.country = r.country
    where r.dataset = $dataset
)

select
    dataset, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
    powertrain,
    count(*) as n,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    coalesce(sum(weight) filter (where nps_score >= 9), 0) as swp,
    coalesce(sum(weight) filter (where nps_score <= 6), 0) as swd,
    coalesce(sum(weight) filter (where switch_intent = 'within_6m'), 0) as sw_switch_6m,
    coalesce(sum(weight) filter (where switch_intent = '6_18m'), 0) as sw_switch_18m,
    coalesce(sum(weight) filter (where switch_intent = 'later'), 0) as sw_switch_later,
    coalesce(sum(weight) filter (where switch_intent = 'no'), 0) as sw_switch_no,
    coalesce(sum(weight) filter (where switch_intent is not null), 0) as sw_switch_known
from source
group by all
