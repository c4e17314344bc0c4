-- Remove the summary rows of one dataset before they are rebuilt.
delete from nps_cells where dataset = $dataset
