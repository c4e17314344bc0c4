"""Exports for decks: the chart model, images, PowerPoint, Excel and the formula neutraliser.

No Streamlit here: the app and the command line export the same :class:`Chart` objects.
"""

from cx.exports.chart import (
    EXPORT_SOURCE,
    KIND_LABELS,
    Chart,
    DeckMeta,
    Kpi,
    Native,
    SlideTable,
    native_columns,
    native_pivot,
)
from cx.exports.images import (
    ImageExportError,
    figure_image,
    image_export_status,
    titled_image,
)
from cx.exports.safety import cell_text, neutralise_formulas, safe_csv, safe_csv_text
from cx.exports.slides import footnote, pptx_deck
from cx.exports.workbook import xlsx_workbook

__all__ = [
    "EXPORT_SOURCE",
    "KIND_LABELS",
    "Chart",
    "DeckMeta",
    "ImageExportError",
    "Kpi",
    "Native",
    "SlideTable",
    "cell_text",
    "figure_image",
    "footnote",
    "image_export_status",
    "native_columns",
    "native_pivot",
    "neutralise_formulas",
    "pptx_deck",
    "safe_csv",
    "safe_csv_text",
    "titled_image",
    "xlsx_workbook",
]
