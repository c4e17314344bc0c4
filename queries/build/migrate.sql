-- Columns added after the first release (tables added since come from create_tables, which
-- runs first and creates only what is missing): older databases get them when opened writable.
alter table datasets add column if not exists content_sha256 varchar;
alter table datasets add column if not exists fields varchar;
alter table datasets add column if not exists scales varchar;
alter table driver_cells add column if not exists sw2 double;
alter table respondents add column if not exists dealer_id varchar;
alter table respondents add column if not exists dealer_name varchar;
alter table respondents add column if not exists dealer_group varchar;
-- Driver cells per set of stages answered; older cells held complete cases of all 8 stages.
alter table driver_cells add column if not exists stage_mask integer default 255;
-- Saved mappings (create_tables adds the table itself): nothing to alter yet.
-- A driver rollup made beside driver cells that lacked these columns (create_tables runs first).
alter table driver_rollup add column if not exists sw2 double;
alter table driver_rollup add column if not exists stage_mask integer default 255;
