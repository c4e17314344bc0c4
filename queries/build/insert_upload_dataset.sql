-- Register an uploaded dataset with its fingerprint, the canonical fields it provides and the
-- scales its satisfaction items were answered on.
insert into datasets (dataset, label, kind, rows, source_file, content_sha256, fields, scales)
values ($dataset, $label, 'upload', $rows, $source_file, $content_sha256, $fields, $scales)
