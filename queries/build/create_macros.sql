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

-- The grouping dimensions a rollup keeps (create_tables.sql; its insert_*_rollup.sql sums over
-- the others, and tests/queries/test_rollups.py holds the two to each other).
create or replace macro rollup_keeps(k_rollup) as
    case k_rollup
        when 'stage_rollup'
            then ['all', 'wave', 'country', 'region', 'industry', 'brand', 'channel']
        when 'driver_rollup'
            then ['all', 'wave', 'country', 'region', 'industry']
        when 'topic_rollup'
            then ['all', 'wave', 'country', 'region', 'industry', 'brand', 'channel', 'language']
    end;

-- Whether a rollup gives a read the cells' own sums: no filter on a dimension it sums over, and
-- every grouping of the read (r_bys) one it keeps. Its arguments are bound parameters, known
-- when DuckDB plans the read, so a selection macro's read plans one of its two tables and
-- never scans the other.
create or replace macro rollup_serves(
    r_rollup, r_bys, r_channels, r_segments, r_sales_models, r_powertrains
) as
    r_segments is null and r_sales_models is null and r_powertrains is null
    and (r_channels is null or list_contains(rollup_keeps(r_rollup), 'channel'))
    and coalesce(
        len(r_bys) > 0
        and len(
            list_filter(r_bys, lambda d: d is null or not list_contains(rollup_keeps(r_rollup), d))
        ) = 0,
        false
    );

-- The cells of a family (stage, driver or topic) in a selection, grouped later by p_bys (a list
-- of the read's grouping dimensions): the family's rollup where it serves the read
-- (rollup_serves), else its cells. The table's name is made of bound parameters, known when
-- DuckDB plans the read, so the read plans that one table.
create or replace macro selected_cells(
    p_family, p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments,
    p_sales_models, p_powertrains, p_bys
) as table
    select * from query_table(
        p_family || case
            when rollup_serves(
                p_family || '_rollup', p_bys, p_channels, p_segments, p_sales_models,
                p_powertrains
            ) then '_rollup'
            else '_cells'
        end
    )
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
