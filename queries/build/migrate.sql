-- Columns added after the first release: older databases get them before their first upload.
alter table datasets add column if not exists content_sha256 varchar;
alter table datasets add column if not exists fields varchar;
