-- Capgemini's published 13-industry ranking (share placing the industry in their top five).
select
    i.industry,
    i.sector,
    i.published_rank,
    p.value as share_top5_pct,
    p.figure_id,
    p.publisher,
    p.year,
    p.base,
    p.seed_file
from industries as i
inner join published_figures as p on p.figure_id = i.ranking_figure_id
order by i.published_rank
