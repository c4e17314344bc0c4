"""Countries: a map and table of NPS by country, and one brand ranked across countries."""

import json
import os
from urllib.parse import quote

import polars as pl
import pydeck as pdk
import streamlit as st

from components import shell

ctx = shell.context()
shell.header(
    "Countries",
    "Response styles differ by country (Japanese respondents score lower, Brazilian higher), "
    "so compare brands within a country and rank a brand across countries, not countries as such.",
)
if not ctx.has("country"):
    shell.not_in_dataset("Country")
    st.stop()
data, page_charts = shell.page_view("countries", ctx.sel, ctx.opts, ctx.source)
by_country = data["by_country"]
if by_country.is_empty():
    shell.empty_state()
    st.stop()

charts = {c.key: c for c in page_charts}
if "country_map" in charts:
    shell.register(charts["country_map"])  # pydeck cannot export images: decks get a Plotly twin

geo = by_country.join(data["reference"], on="country", how="inner").with_columns(
    radius=(pl.col("n").sqrt() * 9000).clip(80_000, 600_000),
    nps_text=pl.when(pl.col("suppressed"))
    .then(pl.lit("n too small"))
    .otherwise(pl.col("nps").round(0).cast(pl.Int64).cast(pl.String)),
    ci_text=pl.when(pl.col("suppressed"))
    .then(pl.lit(""))
    .otherwise(
        pl.format(
            "95% CI {} to {}",
            pl.col("ci_low").round(0).cast(pl.Int64),
            pl.col("ci_high").round(0).cast(pl.Int64),
        )
    ),
    n_text=pl.format("n = {}", pl.col("n").cast(pl.Int64)),
)
_shown = geo.filter(~pl.col("suppressed"))["nps"]
lo, hi = (float(_shown.min()), float(_shown.max())) if _shown.len() >= 2 else (-40.0, 40.0)
BASEMAP_OFF = os.environ.get("CX_MAP_BASEMAP") == "off"
# an inline MapLibre style with only a background: nothing is fetched from outside
BLANK_STYLE = "data:application/json," + quote(
    json.dumps(
        {
            "version": 8,
            "sources": {},
            "layers": [
                {"id": "bg", "type": "background", "paint": {"background-color": "#E8EDF2"}}
            ],
        }
    )
)


def colour(v: float | None) -> list[int]:
    """Diverging orange-purple by NPS; grey when suppressed."""
    if v is None:
        return [190, 195, 200, 180]
    t = max(0.0, min(1.0, (v - lo) / (hi - lo)))
    a, b = (179, 88, 6), (84, 39, 143)
    return [round(a[i] + (b[i] - a[i]) * t) for i in range(3)] + [210]


geo = geo.with_columns(fill=pl.Series([colour(v) for v in geo["nps"].to_list()]))
left, right = st.columns([3, 2])
with left, st.container(border=True):
    shell.provenance_badge("survey")
    st.markdown(f"**{shell.md_escape(charts['country_nps'].title)}**")
    st.caption(
        f"{shell.md_escape(charts['country_nps'].subtitle)} · circle size: n · colour: NPS "
        "(orange low, purple high)"
    )
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=geo.select(
            "name", "latitude", "longitude", "radius", "fill", "nps_text", "ci_text", "n_text"
        ).to_dicts(),
        get_position="[longitude, latitude]",
        get_radius="radius",
        get_fill_color="fill",
        pickable=True,
        stroked=True,
        get_line_color=[255, 255, 255],
        line_width_min_pixels=1,
    )
    st.pydeck_chart(
        pdk.Deck(
            layers=[layer],
            initial_view_state=pdk.ViewState(latitude=25, longitude=15, zoom=0.35),
            tooltip={"text": "{name}\nNPS {nps_text}\n{ci_text}\n{n_text}"},
            # CX_MAP_BASEMAP=off for air-gapped servers (and CI): no external basemap tiles
            map_style=BLANK_STYLE if BASEMAP_OFF else "light",
            map_provider="carto",
        ),
        height=430,
        key="country_map",
    )
with right:
    shell.chart_card(charts["country_nps"])

brands = data["brands"]
brand = st.selectbox(
    "Rank a brand across countries",
    brands,
    key="c_brand",
    index=brands.index(data["brand"]) if data["brand"] in brands else 0,
)
_, with_brand = shell.page_view("countries", ctx.sel, ctx.opts, ctx.source, brand=brand)
for chart in with_brand:
    if chart.key == "brand_by_country":
        shell.chart_card(chart)

shell.page_exports("countries")
