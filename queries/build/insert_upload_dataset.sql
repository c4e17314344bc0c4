-- Register an uploaded dataset with its fingerprint and the canonical fields it provides.
insert into datasets (dataset, label, kind, rows, source_file, content_sha256, fields)
values ($dataset, $label, 'upload', $rows, $source_file, $content_sha256, $fields)
