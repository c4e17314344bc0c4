-- While an upload is stored (one writer at a time), DuckDB works within this much memory and
-- spills the rest to its temporary folder: storing a million rows then adds about 160 MB to
-- the server's memory instead of about 260 MB, most of which it kept afterwards
-- (docs/security.md, Memory). Page queries read summary cells and need far less.
set memory_limit = '128MB'
