-- Load the reference table from the frame registered as `published_figures_source`.
insert into published_figures by name
select * from published_figures_source
