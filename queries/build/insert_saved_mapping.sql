-- Save (or replace) what was decided about a file layout.
insert or replace into saved_mappings (fingerprint, header, choices, saved_at)
values ($fingerprint, $header, $choices, current_timestamp)
