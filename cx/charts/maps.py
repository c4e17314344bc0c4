"""Maps of NPS by country: the exported map (Plotly, on country outlines shipped with the app,
so it works offline) and the colour legend of the on-screen map, both on
:data:`cx.charts.theme.MAP_SCALE`."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Final

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import MAP_RANGE, esc, titled
from cx.core.display import TOO_SMALL, signed
from cx.core.i18n import _
from cx.core.paths import WORLD_OUTLINES


@functools.cache
def world_rings() -> list[list[list[float]]]:
    """Country outlines (Natural Earth 1:110m), shipped with the app so maps work offline."""
    rings: list[list[list[float]]] = json.loads(WORLD_OUTLINES.read_text())["rings"]
    return rings


#: Label sides for countries whose circles sit close together (Europe); others go below.
MAP_LABEL_POSITIONS = {
    "GB": "middle left",
    "FR": "bottom left",
    "DE": "top right",
    "IT": "bottom right",
    "SE": "top center",
    "ES": "bottom left",
    "NL": "top left",
}


#: A reported country's circle: its diameter in pixels from the smallest to the largest n.
CIRCLE_PX: Final = (14.0, 40.0)
#: A country with too few answers: a small grey circle of this diameter.
TOO_SMALL_PX: Final = 12.0


#: The whole world as the maps draw it: longitudes and latitudes.
WORLD: Final = ((-170.0, 190.0), (-58.0, 84.0))
#: The narrowest view (degrees of longitude): one country is shown among its neighbours.
NARROWEST: Final = 36.0
#: The margin around the countries' circles, as a share of their spread on each side.
MARGIN: Final = 0.25
#: The on-screen map's size in pixels for fitting it: its width (at 1366 px, read
#: conservatively) and its height; the deck.gl view is fitted to both.
SCREEN_MAP_PX: Final = (560.0, 430.0)

Extent = tuple[tuple[float, float], tuple[float, float]]


def extent(longitudes: Sequence[float], latitudes: Sequence[float]) -> Extent:
    """The part of the world the maps show: the countries' positions with a margin
    (:data:`MARGIN`), at least :data:`NARROWEST` degrees wide and half as tall, and the whole
    :data:`WORLD` once they spread over half of it. A dataset of Germany, Austria and
    Switzerland drew three circles on one spot of a world map, their labels over each other."""
    (west, east), (south, north) = WORLD
    if not longitudes:
        return WORLD
    lo_x, hi_x = min(longitudes), max(longitudes)
    lo_y, hi_y = min(latitudes), max(latitudes)
    if hi_x - lo_x > (east - west) / 2 or hi_y - lo_y > (north - south) / 2:
        return WORLD
    pad_x = max((hi_x - lo_x) * MARGIN, (NARROWEST - (hi_x - lo_x)) / 2)
    pad_y = max((hi_y - lo_y) * MARGIN, (NARROWEST / 2 - (hi_y - lo_y)) / 2)
    return (
        (max(west, lo_x - pad_x), min(east, hi_x + pad_x)),
        (max(south, lo_y - pad_y), min(north, hi_y + pad_y)),
    )


def _mercator(latitude: float) -> float:
    """Web Mercator's y of a latitude (radians of the projection)."""
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


#: The world view of the on-screen map: latitude, longitude, zoom.
WORLD_VIEW: Final = (25.0, 15.0, 0.35)


def radius_scale(zoom: float) -> float:
    """What a circle's radius is multiplied by at ``zoom`` so that it is drawn as wide as at the
    world view: the map draws radii that grow with the zoom (twice as wide each step in), so
    circles sized for the world view filled a map of Germany, France and Italy."""
    return float(2 ** (WORLD_VIEW[2] - zoom))


def deck_view(shown: Extent) -> tuple[float, float, float]:
    """The on-screen map's (deck.gl) latitude, longitude and zoom showing ``shown``
    (:func:`extent`) whole on a map of :data:`SCREEN_MAP_PX`: the world view the page always
    had for the whole :data:`WORLD`. deck.gl draws the world 512 pixels wide at zoom 0."""
    if shown == WORLD:
        return WORLD_VIEW
    (west, east), (south, north) = shown
    width, height = SCREEN_MAP_PX
    across = math.log2(width * 360 / (512 * (east - west)))
    down = math.log2(height * 2 * math.pi / (512 * (_mercator(north) - _mercator(south))))
    middle = math.degrees(2 * math.atan(math.exp((_mercator(north) + _mercator(south)) / 2)))
    return middle - 90, (west + east) / 2, max(WORLD_VIEW[2], min(across, down))


def circle_sizes(ns: Sequence[float], too_small: Sequence[bool] | None = None) -> list[float]:
    """Each country's circle diameter in pixels, from the least to the most answers of the
    countries reported (:data:`CIRCLE_PX`, area growing with n); :data:`TOO_SMALL_PX` where
    ``too_small``. The screen's map and the exported one alike: the screen's, in metres, grew
    with latitude on the map's projection and reached its cap everywhere, so Sweden drew twice
    India's size at equal n."""
    hidden = list(too_small) if too_small is not None else [False] * len(ns)
    most = max((float(n) for n, h in zip(ns, hidden, strict=True) if not h), default=0.0) or 1.0
    low, high = CIRCLE_PX
    return [
        TOO_SMALL_PX if h else low + (high - low) * (max(float(n), 0.0) / most) ** 0.5
        for n, h in zip(ns, hidden, strict=True)
    ]


def static_map(
    df: pl.DataFrame,
    title: str,
    subtitle: str,
    lo: float = MAP_RANGE[0],
    hi: float = MAP_RANGE[1],
) -> go.Figure:
    """A world map of NPS by country drawn on bundled outlines (works offline, exports as an
    image): circles sized by n, coloured by NPS, with a colour legend.

    ``df`` needs country, name, latitude, longitude, n, nps and suppressed.
    """
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in world_rings():
        xs.extend([p[0] for p in ring] + [None])
        ys.extend([p[1] for p in ring] + [None])
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor=theme.LAND,
        line={"color": theme.COAST, "width": 0.6},
        hoverinfo="skip",
        showlegend=False,
    )
    shown = df.filter(~pl.col("suppressed"))
    hidden = df.filter(pl.col("suppressed"))
    if shown.height:
        fig.add_scatter(
            x=shown["longitude"].to_list(),
            y=shown["latitude"].to_list(),
            mode="markers+text",
            text=[f"{esc(n)} {signed(v)}" for n, v in zip(shown["name"], shown["nps"], strict=True)],
            textposition=[MAP_LABEL_POSITIONS.get(c, "bottom center") for c in shown["country"].to_list()],
            textfont={"size": 11, "color": theme.INK},
            marker={
                "size": circle_sizes(shown["n"].to_list()),
                "color": shown["nps"].to_list(),
                "colorscale": theme.MAP_SCALE,
                "cmin": lo,
                "cmax": hi,
                "line": {"color": theme.MUTED, "width": 1},
                "colorbar": {
                    "title": {"text": "NPS"}, "thickness": 12, "len": 0.6,
                    "tickvals": legend_ticks(lo, hi), "ticktext": [signed(v) for v in legend_ticks(lo, hi)],
                },
            },
            showlegend=False,
            hovertemplate="%{text}<extra></extra>",
        )  # fmt: skip
    if hidden.height:
        fig.add_scatter(
            x=hidden["longitude"].to_list(),
            y=hidden["latitude"].to_list(),
            mode="markers+text",
            text=[_("{name}: n too small").format(name=esc(n)) for n in hidden["name"].to_list()],
            textposition="bottom center",
            textfont={"size": 10, "color": theme.MUTED},
            marker={"size": TOO_SMALL_PX, "color": theme.SUPPRESSED},
            showlegend=False,
        )
    fig.add_annotation(
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom", showarrow=False,
        text=esc(_("Circle size: responses (n) · colour: NPS (orange low, purple high) · grey: n too small")),
        font={"size": 11, "color": theme.MUTED},
    )  # fmt: skip
    (west, east), (south, north) = extent(df["longitude"].to_list(), df["latitude"].to_list())
    fig.update_xaxes(visible=False, range=[west, east], fixedrange=True)
    fig.update_yaxes(visible=False, range=[south, north], scaleanchor="x", fixedrange=True)
    return titled(fig, title, subtitle, height=520)


def map_key(middle: float | None) -> str:
    """What the map's circles mean beside its colour legend: size, the white middle (the NPS
    of all countries together, which the scale is even about; one country alone drew white,
    and read as the grey of too few answers) and grey."""
    if middle is None:
        return _("Circle size: responses (n) · grey: {too_small}").format(too_small=_(TOO_SMALL))
    return _(
        "Circle size: responses (n) · white: {nps}, all countries together · grey: {too_small}"
    ).format(nps=signed(middle), too_small=_(TOO_SMALL))


def legend_ticks(lo: float, hi: float) -> list[float]:
    """The values a map's colour legend names: its ends and, between them, the middle."""
    return [lo, (lo + hi) / 2, hi] if hi > lo else [lo]


def map_legend(lo: float, hi: float, width: int = 320) -> go.Figure:
    """The map's colour scale as a legend of its own (for the on-screen map, which draws
    circles without one): a bar from ``lo`` to ``hi`` in :data:`theme.MAP_SCALE`, ticks at
    its ends and middle, titled NPS, with the grey of n too small beside it."""
    steps = 60
    values = [lo + (hi - lo) * i / (steps - 1) for i in range(steps)] if hi > lo else [lo, lo]
    fig = go.Figure(
        go.Heatmap(
            z=[values], x=values, y=[0], colorscale=theme.MAP_SCALE, zmin=lo, zmax=hi,
            showscale=False, hoverinfo="skip",
        )
    )  # fmt: skip
    ticks = legend_ticks(lo, hi)
    fig.update_xaxes(
        tickvals=ticks, ticktext=[signed(v) for v in ticks], showgrid=False, zeroline=False,
        ticks="outside", tickfont={"size": 11}, title={"text": esc(_("NPS (colour)")), "font": {"size": 11}},
        fixedrange=True,
    )  # fmt: skip
    fig.update_yaxes(visible=False, fixedrange=True)
    fig.update_layout(
        height=74, width=width, margin={"l": 10, "r": 10, "t": 4, "b": 40},
        paper_bgcolor=theme.TRANSPARENT, plot_bgcolor=theme.TRANSPARENT,
        separators=theme.separators(),
    )  # fmt: skip
    return fig
