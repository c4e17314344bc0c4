-- Remove the summary rows of one dataset before they are rebuilt.
delete from driver_cells where dataset = $dataset
