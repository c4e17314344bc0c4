"""Chart images: PNG and SVG rendered by kaleido driving the system Chromium.

One browser is started per process and kept (about 0.2 s per image after the first).
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import warnings
from pathlib import Path
from typing import Any, Literal

from cx.charts import theme
from cx.charts.figures import esc
from cx.core import display
from cx.core.i18n import _
from cx.exports.chart import Chart

#: Image geometry in CSS pixels (PNG is scaled 2x or 3x).
IMAGE_SIZES: dict[str, tuple[int, int]] = {
    "16:9": (1600, 900),
    "chart": (1000, 600),
    # a slide's chart box (12.1 x 4.75 in): drawn small and scaled 3x, so text stays legible on
    # a slide (at 16:9 it filled two thirds of the box's width, its labels 6 pt)
    "slide": (1400, 550),
    "brief": (720, 430),  # half a landscape page of the digest's PDF
}

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_server_lock = threading.Lock()
_server_started = False


class ImageExportError(RuntimeError):
    """Server-side image export cannot run here (no Chromium); the message says why."""


def chromium_path() -> str | None:
    """The browser kaleido should drive: ``CX_CHROMIUM``, else Debian ``chromium`` on PATH."""
    explicit = os.environ.get("CX_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def image_export_status() -> str | None:
    """None when PNG/SVG export works here, else a one-line reason for the user."""
    if os.environ.get("CX_IMAGE_EXPORT") == "off":
        return _("Server-side image export is turned off on this server (CX_IMAGE_EXPORT=off).")
    if chromium_path() is None:
        return _(
            "Server-side image export needs Chromium (Debian package 'chromium', or set "
            "CX_CHROMIUM); use the chart toolbar's camera icon instead."
        )
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return _("Server-side image export needs the 'kaleido' package.")
    return None


def _ensure_server() -> None:
    """Start kaleido's persistent browser once per process."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        reason = image_export_status()
        if reason:
            raise ImageExportError(reason)
        import kaleido

        os.environ["BROWSER_PATH"] = chromium_path() or ""
        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _server_started = True


def figure_image(
    figure: Any, fmt: Literal["png", "svg"] = "png", size: str = "16:9", scale: float = 2.0
) -> bytes:
    """Render a Plotly figure to PNG (``scale``x pixels) or SVG at a named size."""
    import plotly.io as pio

    width, height = IMAGE_SIZES.get(size, IMAGE_SIZES["16:9"])
    _ensure_server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
        try:
            data: bytes = pio.to_image(
                figure, format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1
            )
        except Exception as exc:  # kaleido/choreographer raise many types; report one line
            reason = str(exc).splitlines()[0]
            raise ImageExportError(
                _("Image export failed: {reason}").format(reason=reason)
            ) from exc
    return data


def print_figure(figure: Any, titled: bool = True) -> Any:
    """A copy of ``figure`` for export on white; ``titled=False`` drops its own title (a slide
    carries it)."""
    import plotly.graph_objects as go

    fig = go.Figure(figure)
    fig.update_layout(
        paper_bgcolor=theme.PAPER, plot_bgcolor=theme.PAPER, separators=theme.separators()
    )
    if not titled:
        fig.update_layout(title=None, margin={"t": 20})
    return fig


#: Pixels per column of text (:func:`cx.core.display.width`) of an image's title (bold, 17 px)
#: and subtitle (12 px), to wrap them within the image's width.
TITLE_PX, SUBTITLE_PX = 9.5, 6.4


def export_figure(chart: Chart, size: str = "16:9") -> Any:
    """The figure of a stand-alone image: finding as title, and as subtitle the provenance
    line a slide's footnote opens with (:func:`cx.charts.theme.provenance_line`), on white;
    both wrapped within the image's width (Plotly does not wrap), the plot moved down to fit."""
    fig = print_figure(chart.figure)
    usable = IMAGE_SIZES.get(size, IMAGE_SIZES["16:9"])[0] - 40
    title = display.wrap(chart.title, int(usable / TITLE_PX))
    subtitle = display.wrap(
        theme.provenance_line(chart.kind, chart.subtitle), int(usable / SUBTITLE_PX)
    )
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 100
    fig.update_layout(
        title={
            "text": "<br>".join(f"<b>{esc(line)}</b>" for line in title),
            "x": 20 / (usable + 40),
            "xanchor": "left",
            "subtitle": {"text": "<br>".join(esc(line) for line in subtitle)},
        },
        margin={"t": top + 22 * (len(title) - 1) + 16 * (len(subtitle) - 1)},
    )
    return fig


def titled_image(chart: Chart, fmt: Literal["png", "svg"], size: str = "16:9") -> bytes:
    """A stand-alone image of a chart (:func:`export_figure`)."""
    return figure_image(export_figure(chart, size), fmt, size, 2.0)


def slide_image(chart: Chart) -> bytes:
    """The chart as a 3x PNG for a slide whose title carries the finding."""
    return figure_image(print_figure(chart.figure, titled=False), "png", "slide", 3.0)
