"""How much text fits a slide's boxes: lines of a wrapped title, the size of a key figure, and
the key-figure slide's layout (each tile's label, value and note one below the other inside
its card). Estimates err wide: LibreOffice without Calibri sets text in a wider face."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cx.core import display
from cx.exports.chart import Kpi

#: A character column's width in ems (a wide character is two), as the widest of the deck's
#: faces sets bold text (LibreOffice without Calibri); a line is 1.2 ems high.
_EM_PER_COLUMN = 0.6
_LINE_EM = 1.2


def title_lines(text: str, width_in: float, size: int) -> int:
    """How many lines ``text`` takes in a box ``width_in`` wide at ``size`` points, wrapped at
    spaces (and between wide characters, which have none), estimated on the wide side."""
    columns = max(1, int(width_in * 72 / (size * _EM_PER_COLUMN)))
    lines = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in _words(paragraph):
            w = display.width(word.rstrip())
            if used and used + w > columns:
                count, used = count + 1, 0
            if w > columns:  # a word longer than a line takes whole lines
                count += (w - 1) // columns
                used = w % columns or columns
            else:
                used += display.width(word)
        lines += count
    return lines


def _words(paragraph: str) -> list[str]:
    """What wraps as one: a run of characters up to a space (with the space), or each
    character of a run of wide characters only (Chinese has no spaces to break at)."""
    out: list[str] = []
    for word in re.findall(r"\S+\s*", paragraph):
        bare = word.rstrip()
        wide = display.width(bare) == 2 * len(bare)
        out.extend([*bare[:-1], bare[-1] + word[len(bare) :]] if wide else [word])
    return out


#: Width of a column of a key figure in ems (:func:`cx.core.display.width` counts a wide glyph
#: as two): its large bold digits run wider than :data:`_EM_PER_COLUMN`, the more so in a
#: Chinese run, whose font draws them.
_BOLD_EM_PER_COLUMN = 0.75


def kpi_value_size(value: str, box_inches: float, largest: int = 30, smallest: int = 14) -> int:
    """The font size (pt) that keeps a key figure on one line of its box: ``largest`` where it
    fits, else as large as fits. "5.32 亿美元" at 30 pt broke after the number in a row of
    five, its second line over the tile's note."""
    needed = display.width(value) * _BOLD_EM_PER_COLUMN  # ems
    fits = int((box_inches - _INSETS) * 72 / needed) if needed else largest
    return max(smallest, min(largest, fits))


#: The left and right insets of a text box (python-pptx's default, 0.1 in each), inches.
_INSETS = 0.2


def fitted_size(
    text: str, box_inches: float, height_inches: float, largest: int, smallest: int
) -> int:
    """The largest font size (pt, from ``largest`` down to ``smallest``) at which ``text``,
    wrapped to its box's width, fits its height: a Russian tile's long note ran past the
    tile's edge."""
    for size in range(largest, smallest, -1):
        if title_lines(text, box_inches - _INSETS, size) * size * _LINE_EM <= height_inches * 72:
            return size
    return smallest


#: The key-figure slide: where the tiles start and must end (the scope line is below), the
#: gap between tiles, a tile's padding and the sizes (pt) of its label and value (largest).
KPI_TOP, KPI_BOTTOM, KPI_GAP, KPI_PAD = 1.7, 6.6, 0.3, 0.15
KPI_LABEL_SIZE, KPI_VALUE_SIZE, KPI_NOTE_SIZES = 12, 30, (10, 7)


@dataclass(frozen=True)
class Tile:
    """Where one key figure's card and texts go (inches: left, top, width, height) and the
    sizes of its value and note (pt)."""

    card: tuple[float, float, float, float]
    label: tuple[float, float, float, float]
    value: tuple[float, float, float, float]
    note: tuple[float, float, float, float]
    value_size: int
    note_size: int


def value_lines(value: str, box_inches: float, size: int) -> int:
    """How many lines a key figure takes in its box at ``size`` points, set bold (one, unless
    it is too wide at the smallest size: "5.29 亿美元" in a row of five)."""
    return title_lines(value, (box_inches - _INSETS) * _EM_PER_COLUMN / _BOLD_EM_PER_COLUMN, size)


def _lines_height(lines: int, size: int) -> float:
    """The height (inches) of ``lines`` lines at ``size`` points, with the box's insets."""
    return lines * size * _LINE_EM / 72 + 0.1


def kpi_tiles(kpis: Sequence[Kpi]) -> list[Tile]:
    """The key-figure slide's layout: rows of four (five when there are five), each row's
    labels, values and notes level, each text below the one before it and inside its card,
    every card above the slide's scope line.

    A tall label (Russian runs to three lines, "Weakest stage (vs rest of brand): Maintain
    (after-sales)" to four) moves its row's values and notes down and the cards grow, not the
    value over the note (the Dealers deck drew "1 of 5" over its note)."""
    kpis = list(kpis[:8])
    if not kpis:
        return []
    per_row = min(5 if len(kpis) == 5 else 4, len(kpis))
    width = (12.1 - KPI_GAP * (per_row - 1)) / per_row
    inner = width - 0.4
    rows = [kpis[i : i + per_row] for i in range(0, len(kpis), per_row)]
    budget = (KPI_BOTTOM - KPI_TOP - KPI_GAP * (len(rows) - 1)) / len(rows)  # a row's height
    out: list[Tile] = []
    top = KPI_TOP
    for row in rows:
        lines = max(title_lines(k.label, inner - _INSETS, KPI_LABEL_SIZE) for k in row)
        label_h = max(0.4, _lines_height(lines, KPI_LABEL_SIZE))
        sizes = [kpi_value_size(k.value, inner) for k in row]
        value_h = max(
            _lines_height(value_lines(k.value, inner, z), z)
            for k, z in zip(row, sizes, strict=True)
        )
        room = max(0.35, budget - 2 * KPI_PAD - label_h - value_h)  # for the notes
        smallest = KPI_NOTE_SIZES[1]
        note_sizes = [
            fitted_size(k.note, inner, room, KPI_NOTE_SIZES[0], smallest) if k.note else smallest
            for k in row
        ]
        note_h = max(
            (
                _lines_height(title_lines(k.note, inner - _INSETS, z), z)
                for k, z in zip(row, note_sizes, strict=True)
                if k.note
            ),
            default=0.0,
        )
        height = max(min(2.1, budget), 2 * KPI_PAD + label_h + value_h + note_h)
        for col, (k, size, note_size) in enumerate(zip(row, sizes, note_sizes, strict=True)):
            left = 0.6 + col * (width + KPI_GAP)
            x = left + 0.2
            label_top = top + KPI_PAD
            value_top = label_top + label_h
            note_top = value_top + value_h
            note_box = (x, note_top, inner, note_h if k.note else 0.0)
            out.append(
                Tile(
                    (left, top, width, height),
                    (x, label_top, inner, label_h),
                    (x, value_top, inner, value_h),
                    note_box,
                    size,
                    note_size,
                )
            )
        top += height + KPI_GAP
    return out
