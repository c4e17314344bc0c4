-- Remove the candidate topics of one dataset.
delete from topic_candidates where dataset = $dataset
