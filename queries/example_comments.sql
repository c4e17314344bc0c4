-- A bounded, stable sample of comments within the selection, filtered by language, topic and
-- NPS group (null: any); text clipped to $max_chars for display.
select
    left(text, $max_chars) as text,
    chars,
    language,
    nps_score,
    brand,
    country,
    wave,
    question_text,
    topics
from comments
where
    in_selection(
        dataset, wave, country, industry, channel, segment, sales_model, powertrain,
        $dataset, $waves, $countries, $industries, $channels, $segments, $sales_models,
        $powertrains
    )
    and ($language is null or language = $language)
    and ($topic is null or list_contains(topics, $topic))
    and (
        $nps_group is null
        or $nps_group = case
            when nps_score >= 9 then 'promoter' when nps_score <= 6 then 'detractor' else 'passive'
        end
    )
order by sample_key
limit $limit
