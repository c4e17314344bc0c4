-- Remove the outlet summary rows of one dataset before they are rebuilt.
delete from dealer_cells where dataset = $dataset
