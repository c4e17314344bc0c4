-- Published benchmarks as stored, for the command line: part of a study's name, an entity's name
-- as published (both in any case), a year and a market; a null parameter means any.
select
    figure_id, study, metric, scale, segment, entity, value, year, country, publisher, source_url
from published_benchmarks
where ($study is null or contains(lower(study), lower($study)))
    and ($entity is null or lower(entity) = lower($entity))
    and ($year is null or year = $year)
    and ($country is null or country = upper($country))
order by study, year, value desc, figure_id
