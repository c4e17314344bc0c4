-- Satisfaction sums per cell and item (8 journey stages + price transparency) for one dataset.
-- unpivot drops unanswered items, so n counts answers, not respondents.
insert into stage_cells
with source as (
    select
        r.dataset, r.wave, r.country, c.region, r.industry, r.brand, b.sales_model, r.segment,
        r.channel, r.ownership, r.powertrain, r.weight, r.switch_intent,
        r.awareness, r.research, r.shop, r.purchase, r.receive, r.use, r.maintain, r.recommend,
        r.price_transparency
    from respondents as r
    left join brands as b on b.brand = r.brand
    left join countries as c on c.country = r.country
    where r.dataset = $dataset
),

long as (
    unpivot source
    on awareness, research, shop, purchase, receive, use, maintain, recommend, price_transparency
    into name item value score
)

select
    dataset, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
    powertrain, item,
    count(*) as n,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    coalesce(sum(weight) filter (where score >= 4), 0) as swt,
    coalesce(sum(weight) filter (where score <= 2), 0) as swb,
    sum(weight * score) as sws,
    sum(weight * score * score) as sws2,
    coalesce(
        sum(weight) filter (where score <= 2 and switch_intent in ('within_6m', '6_18m')), 0
    ) as swb_switch,
    coalesce(sum(weight) filter (where score <= 2 and switch_intent is not null), 0)
        as swb_switch_known
from long
group by all
