-- Remove one dataset from the catalogue of datasets.
delete from datasets where dataset = $dataset
