"""Figures made in one go. Plotly's step-by-step API (``add_trace``, ``update_layout``,
``update_xaxes``) runs its update machinery at every step, 1-3 ms each, which was the largest
single cost of drawing a page's charts; a :class:`Sketch` collects the steps and makes the figure
once, and :func:`restyled` merges layout into a made figure without that machinery.

Traces (:func:`trace`) and layouts are validated as Plotly validates them (a wrong name or
value refused) when :data:`CHECKED` only: validating a trace took twice as long as making it,
and a layout's validation 0.2-0.7 ms a figure, a tenth of a page's figure time each. Unchecked,
the one change validation makes to the app's layouts is made by hand (a title given as text
becomes ``{"text": ...}``, which Plotly.js needs: :func:`titles_as_objects`), and
``tests/unit/test_figures.py`` builds every page's charts checked and unchecked and holds the
two equal, so a trace or layout Plotly would refuse or change fails there."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeVar

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

#: Whether traces are validated as they are made (``CX_CHECK_FIGURES=1``; see the module
#: docstring).
CHECKED = os.environ.get("CX_CHECK_FIGURES") == "1"

TraceT = TypeVar("TraceT", bound=BaseTraceType)


def trace(kind: type[TraceT], **props: Any) -> TraceT:
    """A trace of ``kind`` (``go.Bar``, ``go.Scatter``, ...) with ``props``, validated when
    :data:`CHECKED` (else made as given, at less than half the cost)."""
    return kind(_validate=CHECKED, **props)


def merged(base: dict[str, Any], more: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated with ``more`` as Plotly's ``update`` does: mappings merge key by key,
    anything else (lists, numbers, text) replaces."""
    out = dict(base)
    for key, value in more.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def restyled(fig: go.Figure, layout: Mapping[str, Any]) -> go.Figure:
    """``fig`` with ``layout`` merged into its layout, as ``fig.update_layout(layout)`` would
    give it, at a third of the cost: the new part is validated on its own when :data:`CHECKED`
    (``go.Layout``, which refuses a wrong name or value as ``update_layout`` does) and the
    figure is made again from its dict unvalidated (it was validated as it was built).
    Plotly's update machinery took 2.5-3.5 ms a call, the largest single cost of drawing a
    page's charts."""
    checked = go.Layout(layout).to_plotly_json() if CHECKED else titles_as_objects(layout)
    spec = fig.to_dict()
    spec["layout"] = merged(spec.get("layout", {}), checked)
    return go.Figure(spec, _validate=False)


def titles_as_objects(layout: Mapping[str, Any]) -> dict[str, Any]:
    """``layout`` with every title given as text made ``{"text": ...}``, as Plotly's validation
    makes it (Plotly.js 3 draws no title given as text): the one change validation makes to the
    app's layouts, so an unchecked layout is the checked one (``tests/unit/test_figures.py``)."""
    out: dict[str, Any] = {}
    for key, value in layout.items():
        if key == "title" and isinstance(value, str):
            out[key] = {"text": value}
        elif isinstance(value, Mapping):
            out[key] = titles_as_objects(value)
        else:
            out[key] = value
    return out


class Sketch:
    """A figure in the making: traces (Plotly trace objects, :func:`trace`) and
    layout settings (nested dicts, explicit paths), made into one figure at the end
    (:meth:`titled`). Building a figure step by step (``add_trace``, ``update_layout``,
    ``update_xaxes``) costs Plotly its update machinery at every step, 1-3 ms each; a sketch
    pays for one assembly (and one validation of its layout when :data:`CHECKED`). The figure
    is the one the steps would have made (``tests/unit/test_figures.py`` holds them equal).
    :func:`cx.charts.figures.titled` titles and makes it."""

    def __init__(self, *traces: BaseTraceType) -> None:
        self.traces: list[BaseTraceType] = list(traces)
        self.settings: dict[str, Any] = {}

    @property
    def data(self) -> tuple[BaseTraceType, ...]:
        """The traces so far (as ``go.Figure.data``)."""
        return tuple(self.traces)

    def add(self, trace: BaseTraceType) -> Sketch:
        """Add a trace (``fig.add_trace``)."""
        self.traces.append(trace)
        return self

    def layout(self, **settings: Any) -> Sketch:
        """Merge layout settings (``fig.update_layout`` with nested dicts; ``xaxis`` for
        ``update_xaxes`` of a figure with one x axis)."""
        self.settings = merged(self.settings, settings)
        return self

    def shape(self, **shape: Any) -> Sketch:
        """Add a shape (``fig.add_shape``)."""
        self.settings["shapes"] = [*self.settings.get("shapes", []), shape]
        return self

    def vline(self, x: float, **line: Any) -> Sketch:
        """A vertical line at ``x`` across the plot, drawn with ``line`` (what
        ``fig.add_vline(x=x, line=line)`` adds)."""
        return self.shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)

    def annotation(self, **note: Any) -> Sketch:
        """Add an annotation (``fig.add_annotation``)."""
        self.settings["annotations"] = [*self.settings.get("annotations", []), note]
        return self

    def figure(self, layout: Mapping[str, Any] | None = None) -> go.Figure:
        """The figure: the traces, the layout settings and then ``layout`` merged in, the
        default template applied as ``go.Figure`` applies it."""
        settings = merged(self.settings, layout or {})
        # the checked properties themselves, not a copy (``to_plotly_json`` deep-copies them,
        # and the figure copies them again as it is made): nothing else holds them
        checked = (go.Layout(settings)._props or {}) if CHECKED else titles_as_objects(settings)
        data = [t._props or {} for t in self.traces]
        return go.Figure({"data": data, "layout": checked}, _validate=False)
