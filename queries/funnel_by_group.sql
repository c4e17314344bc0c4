-- Lifecycle funnel totals (lead to referral) per value of $by (channel, brand or country).
with source as (
    select
        f.*,
        b.industry,
        b.segment,
        b.sales_model,
        substr(f.month, 1, 4) || 'Q' || ((cast(substr(f.month, 6, 2) as integer) + 2) // 3)
            as wave
    from funnel as f
    left join brands as b on b.brand = f.brand
),

selected as (
    select * from source
    where in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, null,
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, null
    )
)

select
    case $by when 'channel' then channel when 'brand' then brand when 'country' then country end
        as grp,
    sum(leads) as leads,
    sum(test_drives) as test_drives,
    sum(orders) as orders,
    sum(deliveries) as deliveries,
    sum(service_retained) as service_retained,
    sum(referrals) as referrals
from selected
group by all
order by grp
