-- Register a dataset in the catalogue of datasets.
insert into datasets (dataset, label, kind, rows, source_file)
values ($dataset, $label, $kind, $rows, $source_file)
