-- Schema of the cxbench database. Survey rows live in `respondents`; the `*_cells` tables hold
-- decomposable sums per cell (dataset x wave x country x brand x channel x ownership x
-- powertrain) from which every page computes NPS, intervals, top-2-box and driver models
-- without touching respondent rows.
create table if not exists respondents (
    respondent_id varchar not null,
    dataset varchar not null,
    wave varchar not null,
    country varchar,
    industry varchar,
    brand varchar,
    segment varchar,
    channel varchar,
    ownership varchar,
    powertrain varchar,
    nps_score tinyint not null check (nps_score between 0 and 10),
    weight double not null default 1 check (weight > 0),
    switch_intent varchar,
    awareness tinyint check (awareness between 1 and 5),
    research tinyint check (research between 1 and 5),
    shop tinyint check (shop between 1 and 5),
    purchase tinyint check (purchase between 1 and 5),
    receive tinyint check (receive between 1 and 5),
    use tinyint check (use between 1 and 5),
    maintain tinyint check (maintain between 1 and 5),
    recommend tinyint check (recommend between 1 and 5),
    price_transparency tinyint check (price_transparency between 1 and 5),
    dealer_id varchar,
    dealer_name varchar,
    dealer_group varchar
);

create table if not exists brands (
    brand varchar primary key,
    industry varchar not null,
    home_country varchar,
    sales_model varchar,
    segment varchar,
    vehicles_per_year bigint,
    average_transaction_price_usd double
);

create table if not exists countries (
    country varchar primary key,
    name varchar not null,
    region varchar not null,
    latitude double not null,
    longitude double not null
);

create table if not exists industries (
    industry varchar primary key,
    sector varchar not null,
    published_rank integer,
    ranking_figure_id varchar,
    demo_nps_target double,
    target_source varchar
);

create table if not exists published_figures (
    figure_id varchar primary key,
    topic varchar,
    metric varchar,
    entity varchar,
    value double,
    unit varchar,
    year varchar,
    base varchar,
    publisher varchar,
    seed_file varchar,
    note varchar
);

-- Real published brand figures (ACSI, J.D. Power, Temkin, UKCSI...) with their study, scale
-- and the public page each was read from: reference data, never mixed with survey aggregates.
create table if not exists published_benchmarks (
    figure_id varchar primary key,
    study varchar not null,
    metric varchar not null,
    scale varchar not null,
    segment varchar,
    entity varchar not null,
    value double not null,
    year integer not null,
    country varchar not null,
    publisher varchar not null,
    source_url varchar not null
);

create table if not exists funnel (
    dataset varchar not null,
    brand varchar not null,
    channel varchar not null,
    country varchar not null,
    month varchar not null,
    leads bigint not null,
    test_drives bigint not null,
    orders bigint not null,
    deliveries bigint not null,
    service_retained bigint not null,
    referrals bigint not null
);

create table if not exists datasets (
    dataset varchar primary key,
    label varchar not null,
    kind varchar not null,
    rows bigint not null,
    created_at timestamp not null default current_timestamp,
    source_file varchar,
    content_sha256 varchar,  -- uploads: fingerprint of file + mapping (idempotent re-ingest)
    fields varchar,          -- uploads: canonical fields the file provides (null: all)
    scales varchar           -- uploads: each satisfaction item's scale in the file
                             -- ("purchase:1-7,receive:1-7"; null: 1-5, as the demo's)
);

create table if not exists nps_cells (
    dataset varchar, wave varchar, country varchar, region varchar, industry varchar,
    brand varchar, sales_model varchar, segment varchar, channel varchar, ownership varchar,
    powertrain varchar,
    n bigint, sw double, sw2 double, swp double, swd double,
    sw_switch_6m double, sw_switch_18m double, sw_switch_later double, sw_switch_no double,
    sw_switch_known double
);

create table if not exists stage_cells (
    dataset varchar, wave varchar, country varchar, region varchar, industry varchar,
    brand varchar, sales_model varchar, segment varchar, channel varchar, ownership varchar,
    powertrain varchar, item varchar,
    n bigint, sw double, sw2 double, swt double, swb double, sws double, sws2 double,
    swb_switch double, swb_switch_known double
);

-- Weighted moments of the NPS score and the stages, per cell and per set of stages answered
-- together (``stage_mask``, one bit per stage in journey order; see insert_driver_cells.sql):
-- enough to rebuild the weighted correlation matrix of a driver regression on any 3 or more
-- stages a selection has, from the respondents who answered all of them.
create table if not exists driver_cells (
    dataset varchar, wave varchar, country varchar, region varchar, industry varchar,
    brand varchar, sales_model varchar, segment varchar, channel varchar, ownership varchar,
    powertrain varchar,
    n bigint,
    sw double,
    sw2 double,
    x_awareness double,
    x_research double,
    x_shop double,
    x_purchase double,
    x_receive double,
    x_use double,
    x_maintain double,
    x_recommend double,
    y double,
    xx_awareness__awareness double,
    xx_awareness__research double,
    xx_awareness__shop double,
    xx_awareness__purchase double,
    xx_awareness__receive double,
    xx_awareness__use double,
    xx_awareness__maintain double,
    xx_awareness__recommend double,
    xx_research__research double,
    xx_research__shop double,
    xx_research__purchase double,
    xx_research__receive double,
    xx_research__use double,
    xx_research__maintain double,
    xx_research__recommend double,
    xx_shop__shop double,
    xx_shop__purchase double,
    xx_shop__receive double,
    xx_shop__use double,
    xx_shop__maintain double,
    xx_shop__recommend double,
    xx_purchase__purchase double,
    xx_purchase__receive double,
    xx_purchase__use double,
    xx_purchase__maintain double,
    xx_purchase__recommend double,
    xx_receive__receive double,
    xx_receive__use double,
    xx_receive__maintain double,
    xx_receive__recommend double,
    xx_use__use double,
    xx_use__maintain double,
    xx_use__recommend double,
    xx_maintain__maintain double,
    xx_maintain__recommend double,
    xx_recommend__recommend double,
    xy_awareness double,
    xy_research double,
    xy_shop double,
    xy_purchase double,
    xy_receive double,
    xy_use double,
    xy_maintain double,
    xy_recommend double,
    yy double,
    stage_mask integer
);

-- Saved revenue-at-risk scenarios: the link parameters of the view (dataset, filters, preset,
-- brand, changed inputs) as JSON, per owner (a pseudonym of the signed-in user, or 'open').
create table if not exists scenarios (
    scenario_id varchar primary key,
    owner varchar not null,
    name varchar not null,
    params varchar not null,
    created_at timestamp not null default current_timestamp
);

-- Saved CX programme self-assessments: the answers (JSON, statement id -> 1-5) under the
-- organisation's name, per owner (a pseudonym of the signed-in user, or 'open'). Stages and
-- scores are not stored: they follow from the answers by the rule in cx.models.maturity.
create table if not exists assessments (
    assessment_id varchar primary key,
    owner varchar not null,
    organisation varchar not null,
    answers varchar not null,
    created_at timestamp not null default current_timestamp
);

-- Open answers (comments), one row per respondent and question, personal data masked before
-- they were stored (the original upload file is the only place raw text remains). The
-- respondent's dimensions, score and weight are copied in so that example comments are read
-- without a join. language: ISO 639-1 code or null; topics/stages/tokens: from the analysis
-- at ingest (cx.text); sample_key orders a stable random sample.
create table if not exists comments (
    dataset varchar not null,
    respondent_id varchar not null,
    question varchar not null,
    question_text varchar,
    wave varchar, country varchar, region varchar, industry varchar, brand varchar,
    sales_model varchar, segment varchar, channel varchar, ownership varchar, powertrain varchar,
    nps_score tinyint, weight double,
    text varchar not null,
    chars integer not null,
    language varchar,
    topics varchar[],
    stages varchar[],
    tokens varchar[],
    sample_key ubigint
);

-- Sums per cell of respondents who commented (kind 'all', topic '*'), who mention a topic
-- (kind 'topic') or a topic of a journey stage (kind 'stage', topic = the stage); a
-- respondent counts once per row however many of their answers mention it. language: of the
-- respondent's longest comment. n/np/nd: respondents (all, promoters, detractors); sw, sw2,
-- swp, swd, sw2p, sw2d: weights, squared weights, of promoters and detractors; comments:
-- the answers those respondents wrote.
create table if not exists topic_cells (
    dataset varchar, wave varchar, country varchar, region varchar, industry varchar,
    brand varchar, sales_model varchar, segment varchar, channel varchar, ownership varchar,
    powertrain varchar, language varchar, kind varchar, topic varchar,
    comments bigint, n bigint, np bigint, nd bigint, sw double, sw2 double, swp double, swd double,
    sw2p double, sw2d double
);

-- Token counts per language, NPS group (detractor, passive, promoter) and term, capped to the
-- most frequent terms of each language; term null: the group's count of all tokens.
create table if not exists term_cells (
    dataset varchar, language varchar, nps_group varchar, term varchar, n bigint
);

-- Candidate topics found in comments that match no topic of the taxonomy (cx.text.discover).
create table if not exists topic_candidates (
    dataset varchar, language varchar, rank integer, terms varchar, comments bigint,
    share double, example varchar
);

-- NPS and top-2-box sums per outlet (dealer, agency outlet or direct store) and wave: one row
-- per outlet x wave x brand x channel, so the dealer scorecards never read respondent rows and
-- the other cells stay small. Stage sums are wide: n_<item> answers, sw_/sw2_ weights, swt_
-- weights of top-2-box (4-5 of 5) answers.
create table if not exists dealer_cells (
    dataset varchar, wave varchar, country varchar, region varchar, industry varchar,
    brand varchar, sales_model varchar, segment varchar, channel varchar,
    dealer_id varchar, dealer_name varchar, dealer_group varchar,
    n bigint, sw double, sw2 double, swp double, swd double,
    n_awareness bigint, sw_awareness double, sw2_awareness double, swt_awareness double,
    n_research bigint, sw_research double, sw2_research double, swt_research double,
    n_shop bigint, sw_shop double, sw2_shop double, swt_shop double,
    n_purchase bigint, sw_purchase double, sw2_purchase double, swt_purchase double,
    n_receive bigint, sw_receive double, sw2_receive double, swt_receive double,
    n_use bigint, sw_use double, sw2_use double, swt_use double,
    n_maintain bigint, sw_maintain double, sw2_maintain double, swt_maintain double,
    n_recommend bigint, sw_recommend double, sw2_recommend double, swt_recommend double,
    n_price_transparency bigint, sw_price_transparency double, sw2_price_transparency double, swt_price_transparency double
);

-- What a person decided about a file's layout in the mapping step (columns to fields, answer
-- values, open answers, waves, date order, industry), keyed by the fingerprint of the header
-- (layout, column names, questions): the next upload of the same layout maps itself.
create table if not exists saved_mappings (
    fingerprint varchar primary key,
    header varchar not null,
    choices varchar not null,
    saved_at timestamp not null default current_timestamp
);

-- Rollups: cells tables summed over the dimensions few views filter or group by (the stage and
-- topic cells keep wave, country, region, industry, brand and channel; the driver cells, read
-- only for the whole selection, keep wave, country, region and industry). Derived from the
-- cells of a dataset whenever they are rebuilt (cx.data.rollups.rebuild), never written on
-- their own; selected_cells in create_macros.sql reads a rollup only where it gives the cells'
-- own sums (rollup_serves). Same columns as their cells, summed-over ones null.
create table if not exists stage_rollup as select * from stage_cells limit 0;
create table if not exists driver_rollup as select * from driver_cells limit 0;
create table if not exists topic_rollup as select * from topic_cells limit 0;
