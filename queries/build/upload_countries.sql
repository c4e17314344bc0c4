-- The countries of one dataset's respondents (to add their map rows).
select distinct country from respondents
where dataset = $dataset and country is not null
order by country
