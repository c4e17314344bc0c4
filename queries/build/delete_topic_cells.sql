-- Remove the summary rows of one dataset before they are rebuilt.
delete from topic_cells where dataset = $dataset
