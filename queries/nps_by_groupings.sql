-- NPS and switching-intent sums of several breakdowns of the selection in one scan of the
-- cells: $groupings is a list of [dimension, dimension2] pairs ('all' as dimension2 for a
-- breakdown by one dimension), e.g. [['wave', 'all'], ['industry', 'all'], ['brand', 'wave']].
-- A page's breakdowns come from this one query instead of one query each (nps_by_group gives
-- the NPS sums of one breakdown by one dimension).
with cells as (
    select * from selected_nps_cells(
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models, $powertrains
    )
),

groupings as (
    select pair[1] as dimension, pair[2] as dimension2
    from (select unnest($groupings) as pair)
)

select
    g.dimension,
    g.dimension2,
    dimension_value(
        g.dimension, wave, country, region, industry, brand, sales_model, segment, channel,
        ownership, powertrain
    ) as grp,
    dimension_value(
        g.dimension2, wave, country, region, industry, brand, sales_model, segment, channel,
        ownership, powertrain
    ) as grp2,
    sum(n)::bigint as n,
    sum(sw) as sw,
    sum(sw2) as sw2,
    sum(swp) as swp,
    sum(swd) as swd,
    sum(sw_switch_6m) as within_6m,
    sum(sw_switch_18m) as "6_18m",
    sum(sw_switch_later) as later,
    sum(sw_switch_no) as no,
    sum(sw_switch_known) as answered
from cells
cross join groupings as g
group by all
order by g.dimension, g.dimension2, grp, grp2
