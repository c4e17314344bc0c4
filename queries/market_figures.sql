-- Every published benchmark with its role: a brand the publisher ranked, a brand it did not rank,
-- a segment or industry average, or a manufacturer, group of manufacturers or the rest of a
-- study's brands together (ACSI's airline "All Others", listed as if a brand). The table holds
-- hundreds of rows; ranks within each study and year are computed from them in
-- cx.benchmarks.ranked (window functions here cost more than the whole read).
select
    figure_id, study, metric, scale, segment, entity, value, year, country, publisher, source_url,
    case
        when lower(coalesce(segment, '')) = 'industry average'
            or contains(lower(entity), 'average') then 'average'
        when lower(coalesce(segment, '')) in ('manufacturer', 'manufacturer group', 'all others')
            or lower(entity) in ('all others', 'all other', 'others', 'other')
            then 'group'
        when contains(lower(coalesce(segment, '')), 'not ranked') then 'unranked'
        else 'brand'
    end as role
from published_benchmarks
order by study, year, value desc, figure_id
