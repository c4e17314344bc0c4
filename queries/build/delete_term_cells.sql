-- Remove the summary rows of one dataset before they are rebuilt.
delete from term_cells where dataset = $dataset
