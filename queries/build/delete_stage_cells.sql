-- Remove the summary rows of one dataset before they are rebuilt.
delete from stage_cells where dataset = $dataset
