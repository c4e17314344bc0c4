-- Datasets of a lake that has no datasets table: one per dataset of its NPS cells (every
-- respondent has a score), named by itself.
insert into datasets (dataset, label, kind, rows)
select dataset, dataset, 'lake', sum(n)
from nps_cells
group by dataset
