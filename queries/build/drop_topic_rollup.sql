-- Remove the topic rollup of a source served as published whose cells cannot make it
-- (cx.data.rollups.fill_served).
drop table topic_rollup
