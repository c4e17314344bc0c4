"""What a page's chart styling costs the browser: its charts drawn as sent, and three variants.

``python tests/scale/chart_styles.py --db data/cx.duckdb --page voice`` builds the page's
charts as a card draws them (:func:`cx.charts.figures.screen`, default selection), serves them
alone on a one-page Streamlit app (each ``st.plotly_chart`` as ``components/cards.py`` calls
it), loads that page ``--loads`` times in headless Chromium at 1440x900 and reports the median
milliseconds from the first chart's drawing starting to the last chart's last drawing ending
(Plotly's events, watched as ``draws.py`` watches them), for each variant:

- ``sent``: as the app sends them (the app's template, Streamlit's theme);
- ``template written in``: the template's defaults written into every trace and the layout
  (:func:`baked`) and no Streamlit theme, so Plotly.js applies no template;
- ``no automargin``: as sent, with the axes' ``automargin`` off;
- ``unstyled``: no template and no Streamlit theme (what the styling costs in all).

``--check`` first renders every figure of every page as sent and baked with Kaleido and
reports whether the two SVGs are the same (ids aside): the baked variant draws what the app
draws. A benchmark and an experiment, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2])]

from scale.draws import EVENTS  # noqa: E402
from support.appserver import ROOT, free_port, wait_healthy  # noqa: E402
from support.browsing import chromium  # noqa: E402

from cx.charts.sketch import merged  # noqa: E402

VARIANTS = ("sent", "template written in", "no automargin", "unstyled")

#: The one-page app: the figures of a folder drawn as cards draw them, styled per variant.
APP = """
import json, os, pathlib, streamlit as st
variant = os.environ["CX_VARIANT"]
for i, path in enumerate(sorted(pathlib.Path(os.environ["CX_FIGURES"]).glob("*.json"))):
    spec = json.loads(path.read_text())[variant]
    st.plotly_chart(spec, width="stretch", key=f"fig_{i}",
                    theme=None if variant in ("template written in", "unstyled") else "streamlit",
                    config={"displaylogo": False})
"""

#: Layout keys of a template whose defaults go to every item of a layout array.
ITEM_DEFAULTS = {"annotationdefaults": "annotations", "shapedefaults": "shapes"}
#: Trace types drawn on cartesian axes, and those with a position axis, whose grid and zero
#: line Plotly.js hides unless asked.
CARTESIAN = frozenset({"bar", "box", "heatmap", "scatter", "waterfall"})
ORIENTED = frozenset({"bar", "box", "waterfall"})
#: A template's subplot sections and the trace types drawn on them.
SUBPLOTS = {
    "xaxis": CARTESIAN,
    "yaxis": CARTESIAN,
    "geo": frozenset({"choropleth", "scattergeo"}),
    "coloraxis": frozenset(),
    "mapbox": frozenset(),
    "map": frozenset(),
}
#: An axis's show flags and the attributes whose value, given by the figure (not by a
#: template), turns each on in Plotly.js (its ``coerce2``).
SHOWN_BY = {
    "showline": ("linecolor", "linewidth"),
    "showgrid": ("gridcolor", "gridwidth", "griddash"),
    "zeroline": ("zerolinecolor", "zerolinewidth"),
}


def _axis(section: Mapping[str, Any], own: Mapping[str, Any], gridded: bool) -> dict[str, Any]:
    """An axis's settings with its template's written in, and the show flags Plotly.js would
    set had the template given them (``gridded``: not a position axis)."""
    out = merged(dict(section), own)
    for flag, attributes in SHOWN_BY.items():
        if flag not in own and flag not in section and not any(a in own for a in attributes):
            out[flag] = gridded and flag != "showline"
    return out


def baked(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A figure's dict with its template's defaults written into its traces and layout and an
    empty template (the figure's own values win; a trace takes its type's defaults in turn;
    the template's ``xaxis``/``yaxis`` are every axis's; ``annotationdefaults`` every
    annotation's)."""
    layout = dict(spec.get("layout") or {})
    template = layout.pop("template", None) or {}
    defaults = dict(template.get("layout") or {})
    traces = list(spec.get("data", ()))
    kinds = {str(t.get("type", "scatter")) for t in traces}
    positions = {
        str(t.get("yaxis", "y")).replace("y", "yaxis", 1)
        if t.get("orientation") == "h"
        else str(t.get("xaxis", "x")).replace("x", "xaxis", 1)
        for t in traces
        if str(t.get("type", "scatter")) in ORIENTED
    }
    items = {k: defaults.pop(k) for k in list(defaults) if k in ITEM_DEFAULTS}
    subplots = {k: defaults.pop(k) for k in list(defaults) if k in SUBPLOTS}
    out = merged(defaults, layout)
    for name, section in subplots.items():
        keys = [k for k in out if re.fullmatch(name + r"\d*", k)]
        keys = keys or ([name] if kinds & SUBPLOTS[name] else [])
        for key in keys:
            own = out.get(key) or {}
            axis = name in ("xaxis", "yaxis")
            out[key] = _axis(section, own, key not in positions) if axis else merged(section, own)
    for key, section in items.items():
        if out.get(ITEM_DEFAULTS[key]):
            out[ITEM_DEFAULTS[key]] = [merged(section, i) for i in out[ITEM_DEFAULTS[key]]]
    out["template"] = {}
    by_kind = template.get("data") or {}
    seen: Counter[str] = Counter()
    data = []
    for trace in traces:
        kind = str(trace.get("type", "scatter"))
        options = by_kind.get(kind) or ()
        data.append(merged(options[seen[kind] % len(options)], trace) if options else trace)
        seen[kind] += 1
    return {**spec, "data": data, "layout": out}


def variants(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A figure's dict in every variant."""
    loose = json.loads(json.dumps(spec))
    for name in ("xaxis", "yaxis"):
        loose["layout"][name] = {**loose["layout"].get(name, {}), "automargin": False}
    bare = json.loads(json.dumps(spec))
    bare["layout"]["template"] = {}
    return dict(zip(VARIANTS, (spec, baked(spec), loose, bare), strict=True))


def screen_figures(db: Path, page: str | None) -> dict[str, dict[str, Any]]:
    """Every chart of the page (every page if None) as a card draws it, as dicts, by name."""
    from cx.charts import figures
    from cx.commands.bench import Timed
    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.data import connect
    from cx.reports.base import dataset_source
    from cx.reports.registry import REPORTS

    con = connect.connect(db, read_only=True)
    timed = Timed(con)
    source = dataset_source(timed.dataset, "demo")
    out = {}
    for report in REPORTS:
        if page is None or report.key == page:
            result = report.compute(timed.page_runner(), Selection(), Options())
            for i, chart in enumerate(report.charts(result, source)):
                if chart.figure is not None:
                    out[f"{report.key}_{i}"] = figures.screen(chart.figure).to_plotly_json()
    con.close()
    return json.loads(json.dumps(out, default=str))


def check(db: Path) -> dict[str, bool]:
    """Whether each figure of every page renders to the same SVG as sent and baked."""
    import kaleido
    import plotly.io as pio

    def svg(spec: dict[str, Any]) -> str:
        image = pio.to_image(spec, format="svg", width=900, height=500, validate=False)
        return re.sub(r"(?<=[a-z-])[0-9a-f]{6}(?![0-9a-f])", "", image.decode())

    kaleido.start_sync_server(silence_warnings=True)
    try:
        return {k: svg(s) == svg(baked(s)) for k, s in screen_figures(db, None).items()}
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def time_variant(folder: Path, variant: str, loads: int) -> float:
    """Median ms from the first chart's drawing starting to the last one's ending."""
    port = free_port()
    env = {**os.environ, "CX_VARIANT": variant, "CX_FIGURES": str(folder)}
    command = [sys.executable, "-m", "streamlit", "run", str(folder / "app.py")]
    command += ["--server.port", str(port), "--server.headless", "true"]
    spans = []
    with (folder / f"{port}.log").open("w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proc, 60, "streamlit did not start")
            with chromium() as browser:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.add_init_script(f"({EVENTS})()")
                for _ in range(loads + 1):  # the first load warms the browser's cache
                    page.goto(url, wait_until="networkidle")
                    page.wait_for_function("document.querySelectorAll('.main-svg').length > 0")
                    page.wait_for_timeout(1500)
                    events = page.evaluate("window.__cxEvents")
                    began = [t for t, _c, n in events if n == "plotly_framework"]
                    ended = [t for t, _c, n in events if n == "plotly_afterplot"]
                    spans.append(max(ended) - min(began))
        finally:
            proc.terminate()
            proc.wait()
    return round(statistics.median(spans[1:]))


def main() -> int:
    """Time a page's charts in every variant (and check the baked ones first, if asked)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--page", default="voice")
    p.add_argument("--loads", type=int, default=6)
    p.add_argument("--check", action="store_true")
    args = p.parse_args()
    report: dict[str, Any] = {}
    if args.check:
        same = check(args.db)
        report["same_svg"] = {
            "figures": len(same),
            "different": [k for k, v in same.items() if not v],
        }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "app.py").write_text(APP)
        for name, spec in screen_figures(args.db, args.page).items():
            (folder / f"{name}.json").write_text(json.dumps(variants(spec)))
        report["median_ms"] = {v: time_variant(folder, v, args.loads) for v in VARIANTS}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
