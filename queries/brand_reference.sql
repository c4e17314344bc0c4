-- The brand catalogue: industry, home market, sales model, segment, volume and price.
select
    brand, industry, home_country, sales_model, segment, vehicles_per_year,
    average_transaction_price_usd
from brands
order by industry, brand
