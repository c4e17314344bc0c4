-- The text of a published folder's manifest (no row when the folder has none).
select content
from read_text($path)
