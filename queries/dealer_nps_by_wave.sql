-- NPS sums, and top-2-box sums of the items an outlet delivers (cx.schema.OUTLET_ITEMS), per
-- outlet, brand and wave within the selection: everything the dealer scorecards read.
with cells as (
    select * from selected_dealer_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
)

select
    dealer_id,
    any_value(dealer_name) as dealer_name,  -- one name and group per outlet (the cells' build)
    any_value(dealer_group) as dealer_group,
    brand,
    country,
    channel,
    wave,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd,
    sum(n_shop)::bigint as n_shop,
    sum(sw_shop) as sw_shop,
    sum(sw2_shop) as sw2_shop,
    sum(swt_shop) as swt_shop,
    sum(n_purchase)::bigint as n_purchase,
    sum(sw_purchase) as sw_purchase,
    sum(sw2_purchase) as sw2_purchase,
    sum(swt_purchase) as swt_purchase,
    sum(n_receive)::bigint as n_receive,
    sum(sw_receive) as sw_receive,
    sum(sw2_receive) as sw2_receive,
    sum(swt_receive) as swt_receive,
    sum(n_maintain)::bigint as n_maintain,
    sum(sw_maintain) as sw_maintain,
    sum(sw2_maintain) as sw2_maintain,
    sum(swt_maintain) as swt_maintain,
    sum(n_price_transparency)::bigint as n_price_transparency,
    sum(sw_price_transparency) as sw_price_transparency,
    sum(sw2_price_transparency) as sw2_price_transparency,
    sum(swt_price_transparency) as swt_price_transparency
from cells
group by dealer_id, brand, country, channel, wave
