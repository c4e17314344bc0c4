-- Remove the comments of one dataset.
delete from comments where dataset = $dataset
