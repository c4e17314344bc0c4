-- The content fingerprint of one dataset (empty when the dataset does not exist).
select dataset, content_sha256
from datasets
where dataset = $dataset
