-- Remove the survey rows of one dataset.
delete from respondents where dataset = $dataset
