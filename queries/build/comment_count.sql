-- How many comments one dataset has.
select count(*) as n from comments where dataset = $dataset
