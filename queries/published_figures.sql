-- Published figures with their provenance, optionally limited to some topics or figure ids.
select
    figure_id, topic, metric, entity, value, unit, year, base, publisher, seed_file, note
from published_figures
where ($topics is null or list_contains($topics, topic))
    and ($figure_ids is null or list_contains($figure_ids, figure_id))
order by figure_id
