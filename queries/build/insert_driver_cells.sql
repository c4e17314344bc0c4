-- Driver-model moments per cell for one dataset, per set of stages answered together.
--
-- A respondent counts towards the stages its answers cover: each row is filed under the
-- largest *kept* set of stages (``stage_mask``, one bit per stage in journey order: awareness
-- 1, research 2, shop 4, purchase 8, receive 16, use 32, maintain 64) whose stages it all
-- answered. "Recommend" is not in any set: its satisfaction is nearly the 0-10 score the
-- model predicts, so it is never a predictor (cx/metrics/drivers.py). The kept sets are each
-- industry's questionnaire (the stages at least half its respondents answered) and any answer pattern of at least a tenth of an industry's
-- respondents, of 3 stages or more. A driver model on a set S sums the cells whose mask holds
-- every stage of S: exactly the respondents who answered all of S. Only sums of stages inside
-- a cell's mask are read. Cells stay few (a handful of masks per cell), whatever the number
-- of respondents.
insert into driver_cells
with source as (
    select
        r.wave, r.country, c.region, r.industry, r.brand, b.sales_model,
        r.segment, r.channel, r.ownership, r.powertrain, r.weight,
        r.dataset, r.nps_score::double as nps_score,
        r.awareness::double as awareness, r.research::double as research, r.shop::double as shop, r.purchase::double as purchase, r.receive::double as receive, r.use::double as use, r.maintain::double as maintain, r.recommend::double as recommend,
        (case when awareness is not null then 1 else 0 end) + (case when research is not null then 2 else 0 end) + (case when shop is not null then 4 else 0 end) + (case when purchase is not null then 8 else 0 end) + (case when receive is not null then 16 else 0 end) + (case when use is not null then 32 else 0 end) + (case when maintain is not null then 64 else 0 end) as answered,
        (case when awareness is not null then 1 else 0 end) + (case when research is not null then 1 else 0 end) + (case when shop is not null then 1 else 0 end) + (case when purchase is not null then 1 else 0 end) + (case when receive is not null then 1 else 0 end) + (case when use is not null then 1 else 0 end) + (case when maintain is not null then 1 else 0 end) as answered_stages
    from respondents as r
    left join brands as b on b.brand = r.brand
    left join countries as c on c.country = r.country
    where r.dataset = $dataset
),

patterns as (
    select industry, answered, answered_stages, count(*) as n
    from source
    group by all
),

industry_sizes as (
    select industry, sum(n) as total from patterns group by all
),

questionnaires as (
    select
        industry,
        (case when count(awareness) * 2 >= count(*) then 1 else 0 end) + (case when count(research) * 2 >= count(*) then 2 else 0 end) + (case when count(shop) * 2 >= count(*) then 4 else 0 end) + (case when count(purchase) * 2 >= count(*) then 8 else 0 end) + (case when count(receive) * 2 >= count(*) then 16 else 0 end) + (case when count(use) * 2 >= count(*) then 32 else 0 end) + (case when count(maintain) * 2 >= count(*) then 64 else 0 end) as mask,
        (case when count(awareness) * 2 >= count(*) then 1 else 0 end) + (case when count(research) * 2 >= count(*) then 1 else 0 end) + (case when count(shop) * 2 >= count(*) then 1 else 0 end) + (case when count(purchase) * 2 >= count(*) then 1 else 0 end) + (case when count(receive) * 2 >= count(*) then 1 else 0 end) + (case when count(use) * 2 >= count(*) then 1 else 0 end) + (case when count(maintain) * 2 >= count(*) then 1 else 0 end) as stages
    from source
    group by all
),

kept as (
    select distinct mask, stages from (
        select mask, stages from questionnaires
        union all
        select p.answered as mask, p.answered_stages as stages
        from patterns as p
        inner join industry_sizes as t on t.industry is not distinct from p.industry
        where p.n * 10 >= t.total
    ) as masks
    where stages >= 3
),

covering as (
    select
        a.answered, k.mask,
        row_number() over (partition by a.answered order by k.stages desc, k.mask desc) as pick
    from (select distinct answered from source) as a
    inner join kept as k on (a.answered & k.mask) = k.mask
),

filed as (
    select s.*, c.mask as stage_mask
    from source as s
    inner join covering as c on c.answered = s.answered and c.pick = 1
)

select
    dataset, wave, country, region, industry, brand, sales_model, segment, channel, ownership, powertrain,
    count(*) as n,
    sum(weight) as sw,
    sum(weight * weight) as sw2,
    sum(weight * awareness) as x_awareness,
    sum(weight * research) as x_research,
    sum(weight * shop) as x_shop,
    sum(weight * purchase) as x_purchase,
    sum(weight * receive) as x_receive,
    sum(weight * use) as x_use,
    sum(weight * maintain) as x_maintain,
    sum(weight * recommend) as x_recommend,
    sum(weight * nps_score) as y,
    sum(weight * awareness * awareness) as xx_awareness__awareness,
    sum(weight * awareness * research) as xx_awareness__research,
    sum(weight * awareness * shop) as xx_awareness__shop,
    sum(weight * awareness * purchase) as xx_awareness__purchase,
    sum(weight * awareness * receive) as xx_awareness__receive,
    sum(weight * awareness * use) as xx_awareness__use,
    sum(weight * awareness * maintain) as xx_awareness__maintain,
    sum(weight * awareness * recommend) as xx_awareness__recommend,
    sum(weight * research * research) as xx_research__research,
    sum(weight * research * shop) as xx_research__shop,
    sum(weight * research * purchase) as xx_research__purchase,
    sum(weight * research * receive) as xx_research__receive,
    sum(weight * research * use) as xx_research__use,
    sum(weight * research * maintain) as xx_research__maintain,
    sum(weight * research * recommend) as xx_research__recommend,
    sum(weight * shop * shop) as xx_shop__shop,
    sum(weight * shop * purchase) as xx_shop__purchase,
    sum(weight * shop * receive) as xx_shop__receive,
    sum(weight * shop * use) as xx_shop__use,
    sum(weight * shop * maintain) as xx_shop__maintain,
    sum(weight * shop * recommend) as xx_shop__recommend,
    sum(weight * purchase * purchase) as xx_purchase__purchase,
    sum(weight * purchase * receive) as xx_purchase__receive,
    sum(weight * purchase * use) as xx_purchase__use,
    sum(weight * purchase * maintain) as xx_purchase__maintain,
    sum(weight * purchase * recommend) as xx_purchase__recommend,
    sum(weight * receive * receive) as xx_receive__receive,
    sum(weight * receive * use) as xx_receive__use,
    sum(weight * receive * maintain) as xx_receive__maintain,
    sum(weight * receive * recommend) as xx_receive__recommend,
    sum(weight * use * use) as xx_use__use,
    sum(weight * use * maintain) as xx_use__maintain,
    sum(weight * use * recommend) as xx_use__recommend,
    sum(weight * maintain * maintain) as xx_maintain__maintain,
    sum(weight * maintain * recommend) as xx_maintain__recommend,
    sum(weight * recommend * recommend) as xx_recommend__recommend,
    sum(weight * awareness * nps_score) as xy_awareness,
    sum(weight * research * nps_score) as xy_research,
    sum(weight * shop * nps_score) as xy_shop,
    sum(weight * purchase * nps_score) as xy_purchase,
    sum(weight * receive * nps_score) as xy_receive,
    sum(weight * use * nps_score) as xy_use,
    sum(weight * maintain * nps_score) as xy_maintain,
    sum(weight * recommend * nps_score) as xy_recommend,
    sum(weight * nps_score * nps_score) as yy,
    stage_mask
from filed
group by all
