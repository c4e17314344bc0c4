-- NPS and top-2-box sums per outlet and wave for one dataset (rows without an outlet are left
-- out). An outlet id keeps one name and one group: the most frequent of its rows, so a typo in
-- a few rows does not split an outlet; a tie goes to the first in sort order, so every rebuild
-- and every engine (DuckDB, Spark) names the outlet alike.
insert into dealer_cells
with answered as (
    select * from respondents
    where dataset = $dataset and dealer_id is not null
),

name_counts as (
    select dealer_id, dealer_name, count(*) as n
    from answered
    where dealer_name is not null
    group by dealer_id, dealer_name
),

group_counts as (
    select dealer_id, dealer_group, count(*) as n
    from answered
    where dealer_group is not null
    group by dealer_id, dealer_group
),

top_names as (
    select dealer_id, dealer_name
    from (
        select
            dealer_id, dealer_name,
            row_number() over (partition by dealer_id order by n desc, dealer_name) as pick
        from name_counts
    )
    where pick = 1
),

top_groups as (
    select dealer_id, dealer_group
    from (
        select
            dealer_id, dealer_group,
            row_number() over (partition by dealer_id order by n desc, dealer_group) as pick
        from group_counts
    )
    where pick = 1
),

names as (
    select o.dealer_id, t.dealer_name, g.dealer_group
    from (select distinct dealer_id from answered) as o
    left join top_names as t on t.dealer_id = o.dealer_id
    left join top_groups as g on g.dealer_id = o.dealer_id
),

source as (
    select
        r.dataset, r.wave, r.country, c.region, r.industry, r.brand, b.sales_model, r.segment,
        r.channel, r.dealer_id, coalesce(m.dealer_name, r.dealer_id) as dealer_name,
        m.dealer_group, r.weight, r.nps_score,
        r.awareness, r.research, r.shop, r.purchase, r.receive, r.use, r.maintain, r.recommend,
        r.price_transparency
    from answered as r
    inner join names as m on m.dealer_id = r.dealer_id
    left join brands as b on b.brand = r.brand
    left join countries as c on c.country = r.country
)

select
    dataset, wave, country, region, industry, brand, sales_model, segment, channel,
    dealer_id, dealer_name, dealer_group,
    count(*) as n,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    coalesce(sum(weight) filter (where nps_score >= 9), 0) as swp,
    coalesce(sum(weight) filter (where nps_score <= 6), 0) as swd,
    count(awareness) as n_awareness,
    coalesce(sum(weight) filter (where awareness is not null), 0) as sw_awareness,
    coalesce(sum(weight * weight) filter (where awareness is not null), 0) as sw2_awareness,
    coalesce(sum(weight) filter (where awareness >= 4), 0) as swt_awareness,
    count(research) as n_research,
    coalesce(sum(weight) filter (where research is not null), 0) as sw_research,
    coalesce(sum(weight * weight) filter (where research is not null), 0) as sw2_research,
    coalesce(sum(weight) filter (where research >= 4), 0) as swt_research,
    count(shop) as n_shop,
    coalesce(sum(weight) filter (where shop is not null), 0) as sw_shop,
    coalesce(sum(weight * weight) filter (where shop is not null), 0) as sw2_shop,
    coalesce(sum(weight) filter (where shop >= 4), 0) as swt_shop,
    count(purchase) as n_purchase,
    coalesce(sum(weight) filter (where purchase is not null), 0) as sw_purchase,
    coalesce(sum(weight * weight) filter (where purchase is not null), 0) as sw2_purchase,
    coalesce(sum(weight) filter (where purchase >= 4), 0) as swt_purchase,
    count(receive) as n_receive,
    coalesce(sum(weight) filter (where receive is not null), 0) as sw_receive,
    coalesce(sum(weight * weight) filter (where receive is not null), 0) as sw2_receive,
    coalesce(sum(weight) filter (where receive >= 4), 0) as swt_receive,
    count(use) as n_use,
    coalesce(sum(weight) filter (where use is not null), 0) as sw_use,
    coalesce(sum(weight * weight) filter (where use is not null), 0) as sw2_use,
    coalesce(sum(weight) filter (where use >= 4), 0) as swt_use,
    count(maintain) as n_maintain,
    coalesce(sum(weight) filter (where maintain is not null), 0) as sw_maintain,
    coalesce(sum(weight * weight) filter (where maintain is not null), 0) as sw2_maintain,
    coalesce(sum(weight) filter (where maintain >= 4), 0) as swt_maintain,
    count(recommend) as n_recommend,
    coalesce(sum(weight) filter (where recommend is not null), 0) as sw_recommend,
    coalesce(sum(weight * weight) filter (where recommend is not null), 0) as sw2_recommend,
    coalesce(sum(weight) filter (where recommend >= 4), 0) as swt_recommend,
    count(price_transparency) as n_price_transparency,
    coalesce(sum(weight) filter (where price_transparency is not null), 0) as sw_price_transparency,
    coalesce(sum(weight * weight) filter (where price_transparency is not null), 0) as sw2_price_transparency,
    coalesce(sum(weight) filter (where price_transparency >= 4), 0) as swt_price_transparency
from source
group by all
