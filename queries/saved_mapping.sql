-- The saved mapping of a file layout, by the fingerprint of its header.
select choices, saved_at from saved_mappings
where fingerprint = $fingerprint
