-- Append a chunk of respondent rows registered by the loader as `respondents_chunk`.
insert into respondents by name
select * from respondents_chunk
