-- Remove the stage rollup of a source served as published whose cells cannot make it
-- (cx.data.rollups.fill_served).
drop table stage_rollup
