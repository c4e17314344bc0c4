"""Countries: a map and a ranking of NPS by country, and one brand ranked across countries."""

import os

import polars as pl
import pydeck as pdk
import streamlit as st

from components import cards, page
from cx.charts import maps, theme
from cx.core import display
from cx.core.i18n import _
from cx.reports.countries import CountriesResult

view = page.start("countries")
result: CountriesResult = view.result
if result.by_country.is_empty():
    cards.empty_state()
    st.stop()

#: Basemap tiles are fetched from Carto only when asked for (CX_MAP_BASEMAP=on); the country
#: outlines shipped with the app draw the map everywhere else, air-gapped servers included, with
#: no basemap (an empty basemap took a second and a half to load and then jumped to its size:
#: Countries was the one page slower than a second on a revisit); the page's stylesheet gives
#: the map its sea colour (``cards.TILE_STYLE``), also where it is panned or zoomed out to.
TILES = os.environ.get("CX_MAP_BASEMAP") == "on"
lo, hi = result.colour_range

geo = result.by_country.filter(pl.col("latitude").is_not_null())
rows = geo.to_dicts()
# the countries shown fill the map (the world for the demo's; a region for a region's data)
latitude, longitude, zoom = maps.deck_view(
    maps.extent(geo["longitude"].to_list(), geo["latitude"].to_list())
)
level = view.ctx.opts.level
# The texts are made in Python over the rows, not with map_elements: a Python function inside a
# polars expression deadlocked the whole server under concurrent sessions (replica load test).
geo = geo.with_columns(
    radius=pl.Series(  # not in metres: a circle grew with latitude on the projection
        [
            size / 2 * maps.radius_scale(zoom)
            for size in maps.circle_sizes(geo["n"].to_list(), geo["suppressed"].to_list())
        ]
    ),
    nps_text=pl.Series(
        [_(display.TOO_SMALL) if r["suppressed"] else display.nps(r["nps"]) for r in rows],
        dtype=pl.String,
    ),
    ci_text=pl.Series(
        [
            ""
            if r["suppressed"]
            else _("{level} interval {low} to {high}").format(
                level=level, low=display.nps(r["ci_low"]), high=display.nps(r["ci_high"])
            )
            for r in rows
        ],
        dtype=pl.String,
    ),
    n_text=pl.Series([display.n(r["n"]) for r in rows], dtype=pl.String),
    fill=pl.Series([theme.map_rgba(r["nps"], lo, hi) for r in rows]),
)
outlines = pdk.Layer(
    "PolygonLayer",
    data=[{"polygon": ring} for ring in maps.world_rings()],
    get_polygon="polygon",
    get_fill_color=list(theme.rgb(theme.LAND)),
    get_line_color=list(theme.rgb(theme.COAST)),
    line_width_min_pixels=0.5,
    stroked=True,
    pickable=False,
)
circles = pdk.Layer(
    "ScatterplotLayer",
    data=geo.select(
        "name", "latitude", "longitude", "radius", "fill", "nps_text", "ci_text", "n_text"
    ).to_dicts(),
    get_position="[longitude, latitude]",
    get_radius="radius",
    radius_units="pixels",
    get_fill_color="fill",
    pickable=True,
    stroked=True,
    get_line_color=list(theme.rgb(theme.MUTED)),  # mid-scale circles are near white
    line_width_min_pixels=1,
)
map_chart = view.chart("country_map")
left, right = st.columns([3, 2])
with left, st.container(border=True):
    cards.provenance_badge("survey")
    if map_chart is not None:
        view.drawn_by_page(map_chart.key)  # pydeck cannot export: decks get a Plotly twin
        st.markdown(f"**{display.plain(map_chart.title)}**")
        st.caption(display.plain(map_chart.subtitle))
    st.pydeck_chart(
        pdk.Deck(
            layers=[circles] if TILES else [outlines, circles],
            initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom),
            tooltip={"text": "{name}\nNPS {nps_text}\n{ci_text}\n{n_text}"},
            # no provider and no style is pydeck's "no basemap" (a missing style would make
            # Streamlit fetch Carto's)
            **(
                {"map_style": "light", "map_provider": "carto"} if TILES else {"map_provider": None}
            ),
        ),
        height=430,
        key="country_map",
    )
    key_left, key_right = st.columns([1, 1], vertical_alignment="center")
    with key_left:
        st.plotly_chart(
            maps.map_legend(lo, hi), width="content", key="country_map_legend",
            config={"displayModeBar": False, "staticPlot": True},
        )  # fmt: skip
    with key_right:
        st.caption(maps.map_key(result.sample_nps))
    if map_chart is not None:
        _blank, export = st.columns([1, 1])
        with export, st.popover(_("Export"), icon=":material/download:", width="stretch"):
            cards.chart_downloads(map_chart, view.ctx.sel.dataset)
with right:
    view.card("country_nps")

page.choices(view, ["brand"], [1])
view.card("brand_by_country")
page.exports(view)
