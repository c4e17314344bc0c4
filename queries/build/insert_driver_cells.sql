-- Driver-model moments per cell for one dataset: complete cases only.
insert into driver_cells
with source as (
    select
        r.dataset, r.wave, r.country, c.region, r.industry, r.brand, b.sales_model, r.segment,
        r.channel, r.ownership, r.powertrain, r.weight, r.nps_score::double as nps_score,
        r.awareness::double as awareness, r.research::double as research, r.shop::double as shop, r.purchase::double as purchase, r.receive::double as receive, r.use::double as use, r.maintain::double as maintain, r.recommend::double as recommend
    from respondents as r
    left join brands as b on b.brand = r.brand
    left join countries as c on c.country = r.country
    where r.dataset = $dataset
),

complete as (
    select * from source
    where awareness is not null and research is not null and shop is not null and purchase is not null and receive is not null and use is not null and maintain is not null and recommend is not null
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
    sum(weight * nps_score * nps_score) as yy
from complete
group by all
