-- Remove the funnel rows of one dataset.
delete from funnel where dataset = $dataset
