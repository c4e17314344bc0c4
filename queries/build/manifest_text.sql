-- The manifest's JSON text as one value, written whole as one object on object storage.
select $text as m
