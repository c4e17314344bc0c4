-- Macros shared by every query: one definition of the global filters and of the whitelisted
-- grouping dimensions. A null list parameter means "no filter on this dimension".
create or replace macro in_selection(
    dataset, wave, country, industry, channel, segment, sales_model, powertrain,
    p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
    p_powertrains
) as
    dataset = p_dataset
    and (p_waves is null or list_contains(p_waves, wave))
    and (p_countries is null or list_contains(p_countries, country))
    and (p_industries is null or list_contains(p_industries, industry))
    and (p_channels is null or list_contains(p_channels, channel))
    and (p_segments is null or list_contains(p_segments, segment))
    and (p_sales_models is null or list_contains(p_sales_models, sales_model))
    and (p_powertrains is null or list_contains(p_powertrains, powertrain));

-- The grouping key chosen by the user, bound as a parameter and mapped to a column here; an
-- unknown key gives null, never SQL text. The outlet keys exist only in `dealer_cells`, whose
-- queries pass them by name (dealer_id := ..., dealer_group := ...).
create or replace macro dimension_value(
    p_by, wave, country, region, industry, brand, sales_model, segment, channel, ownership,
    powertrain, dealer_id := null, dealer_group := null
) as
    case p_by
        when 'all' then 'All'
        when 'wave' then wave
        when 'country' then country
        when 'region' then region
        when 'industry' then industry
        when 'brand' then brand
        when 'sales_model' then sales_model
        when 'segment' then segment
        when 'channel' then channel
        when 'ownership' then ownership
        when 'powertrain' then powertrain
        when 'dealer' then dealer_id
        when 'dealer_group' then dealer_group
    end;

create or replace macro selected_nps_cells(
    p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
    p_powertrains
) as table
    select * from nps_cells
    where in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, powertrain,
        p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
        p_powertrains
    );

create or replace macro selected_stage_cells(
    p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
    p_powertrains
) as table
    select * from stage_cells
    where in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, powertrain,
        p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
        p_powertrains
    );

create or replace macro selected_driver_cells(
    p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
    p_powertrains
) as table
    select * from driver_cells
    where in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, powertrain,
        p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
        p_powertrains
    );

-- Grouping keys that only the outlet cells have (cx.schema.DEALER_DIMENSIONS).
create or replace macro outlet_dimension(p_by) as p_by in ('dealer', 'dealer_group');

-- Outlet cells have no ownership or powertrain: a powertrain filter leaves no outlet rows
-- (rather than rows it could not filter).
create or replace macro selected_dealer_cells(
    p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
    p_powertrains
) as table
    select * from dealer_cells
    where in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, null,
        p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models,
        p_powertrains
    );
