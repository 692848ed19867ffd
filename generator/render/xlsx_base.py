"""Shared Excel-output toolkit: safe workbook creation, named formats, CJK-aware widths, print
setup, and ONE generic table writer used by every published table.

Why a single writer: the published tables differ only in their header, columns and rows. Title,
the 部门/单位 line, merged multi-row headers, borders, number formats, the computed totals row,
the "empty table" note, row heights and print setup are the same everywhere, and a fix to any of
them must reach every table at once.

Usage::

    wb = new_workbook(path)
    styles = Styles(wb)
    spec = TableSpec(title="部门收入总表", columns=(Column("text"), Column("money", total=True)),
                     header=(("项目", "金额"),), unit_line="306001 某局", totals=Totals())
    write_sheet(wb, "部门收入总表", spec, [Row(["一般公共预算拨款", Decimal("1")])], styles)
    wb.close()

Conventions:

* every user text goes through ``write_string`` (never ``write``): a project name starting with
  "=" must stay text, and the workbook is created with ``strings_to_formulas`` off as well;
* money is ``Decimal`` in the model and written as numbers with ``#,##0.00``;
* totals are computed here in Python and written as values -- XlsxWriter formulas have no cached
  value, so readers that do not recalculate (openpyxl, previewers, some WPS versions) see 0;
* widths count East Asian wide characters as 2 (XlsxWriter's ``autofit`` counts them as 1);
* row heights are estimated and set explicitly because neither Excel nor LibreOffice grows a row
  for wrapped text inside merged cells.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.messages import UserError, say
from generator.render.xlsx_rows import add_merges, is_number, row_order_workbook, write_rows

CellKind = Literal["text", "center", "money", "price", "percent", "number", "int"]
# data: summed into the totals row · memo: looks like data, not summed ("其中：" lines) ·
# subtotal / total: bold, not summed · section: bold on grey, for labels inside a table body.
RowStyle = Literal["data", "memo", "subtotal", "total", "section"]

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_SIZE = 10
LINE_HEIGHT = 13.5  # points per wrapped line at BODY_SIZE
MIN_ROW_HEIGHT = 18.0
TITLE_ROW_HEIGHT = 30.0
HEADER_TEXT_CAP = 12  # header cells wrap: they widen a column at most this much
LANDSCAPE_WIDTH = 130  # total column width (character units) above which a sheet goes landscape
PAGE_FOOTER = "&C第 &P 页 共 &N 页"
EMPTY_NOTE = "本表无数据，空表列示。"
UNIT_WANYUAN = "单位：万元"


def new_workbook(path: Path | str, *, row_order: bool = False, tmpdir: Path | str | None = None) -> Workbook:
    """Create a workbook that never turns user text into formulas, links or numbers.

    ``row_order``: every sheet is written top to bottom, as ``write_table`` does, and goes out
    to a temporary file in ``tmpdir`` as it is written (``xlsx_rows``: XlsxWriter's
    ``constant_memory``, strings kept in their cells): a 10,000-project sheet is never held in
    memory whole. Nothing may then be written above a row already written.
    """
    options: dict[str, object] = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    if row_order:
        return row_order_workbook(str(path), options, None if tmpdir is None else str(tmpdir))
    return xlsxwriter.Workbook(str(path), options)


@lru_cache(maxsize=1 << 16)
def text_width(text: str) -> int:
    """Display width of ``text`` in Excel character units, East Asian wide/full-width as 2.

    Cached: a 1,000-project table measures the same indicator names, units and amounts tens
    of thousands of times (per-character lookups were a tenth of the Excel output's time)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def display_text(value: object, kind: CellKind = "text") -> str:
    """How a value will look in the cell (used for widths and row heights)."""
    if value is None:
        return ""
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        if kind in ("money", "price"):
            return f"{Decimal(value):,.2f}"
        if kind == "percent":
            return f"{Decimal(value) * 100:.2f}%"
        return str(value)
    return str(value)


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


class Styles:
    """Named cell formats of one workbook, created once and shared by every sheet.

    The fixed ones (``title``, ``subtitle``, ``unit``, ``header``, ``text``, ``wrap``,
    ``money``, ``percent``, ``total``, ``note``) cover hand-written cells; ``cell(kind, style)``
    gives the body format for a column kind in a data / subtotal / total / section row.
    """

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._cache: dict[tuple[str, str], Format] = {}
        base = {"font_name": BODY_FONT, "font_size": BODY_SIZE, "valign": "vcenter"}
        self._base = base
        self.title = wb.add_format({"font_name": TITLE_FONT, "font_size": 16, "bold": True,
                                    "align": "center", "valign": "vcenter"})
        self.subtitle = wb.add_format({**base, "align": "left"})
        self.unit = wb.add_format({**base, "align": "right"})
        self.header = wb.add_format({**base, "bold": True, "border": 1, "align": "center",
                                     "text_wrap": True, "bg_color": "#D9D9D9"})
        self.note = wb.add_format({**base, "align": "left", "text_wrap": True})
        self.text = self.cell("text")
        self.wrap = self.text  # every body text cell wraps; the alias reads better at call sites
        self.center = self.cell("center")
        self.money = self.cell("money")
        self.percent = self.cell("percent")
        self.total = self.cell("text", "total")
        self.total_money = self.cell("money", "total")

    def cell(self, kind: CellKind = "text", style: RowStyle = "data") -> Format:
        """Bordered body format for a column ``kind`` in a row of ``style``."""
        key = (kind, style)
        if key not in self._cache:
            props: dict[str, object] = {**self._base, "border": 1, "text_wrap": True}
            # indent 1: a character of air between the border and the text or figure.
            if kind == "money":
                props.update(num_format="#,##0.00", align="right", indent=1)
            elif kind == "price":
                # Unit prices in 万元 can be small (0.0125): show up to 6 decimals, at least 2.
                props.update(num_format="#,##0.00####", align="right", indent=1)
            elif kind == "percent":
                props.update(num_format="0.00%", align="right")
            elif kind == "int":
                props.update(num_format="0", align="center")
            elif kind == "number":
                props.update(num_format="General", align="right", indent=1)
            elif kind == "center":
                props.update(align="center")
            else:
                props.update(align="left", indent=1)
            if style in ("total", "subtotal", "section"):
                props["bold"] = True
            if style == "total" and kind in ("text", "center"):
                props.update(align="center", indent=0)
            if style == "section":
                props["bg_color"] = "#F2F2F2"
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


# --------------------------------------------------------------------------------------------
# Widths, heights and print setup
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 12)
def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped ``text`` takes in a cell ``width`` character units wide (estimate).

    Cached: the labels of a 1,000-project 绩效目标表 are measured again in every block. A
    small cache: the labels come back in every block and stay; long one-off texts pass through."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(text_width(p) / usable)) for p in text.split("\n")) if text else 1


# Printable A4 width in pixels at 96 dpi with 0.5" side margins (portrait, landscape).
_PRINTABLE_PX = {False: (8.27 - 1.0) * 96, True: (11.69 - 1.0) * 96}
# Pixels per column-width unit: Excel draws about 7 (Calibri 11), LibreOffice without Calibri
# measured about 9.5 here. 10 is used so that no renderer cuts a column off.
_PX_PER_UNIT = 10


def print_scale(widths: Sequence[float], landscape: bool) -> int:
    """Print scale (%) that fits columns of ``widths`` on one page width.

    For sheets with manual page breaks: Excel ignores manual breaks under ``fit_to_pages``, so
    those sheets get an explicit scale instead.
    """
    pixels = sum(w * _PX_PER_UNIT + 5 for w in widths)
    return max(10, min(100, int(_PRINTABLE_PX[landscape] / pixels * 100))) if pixels else 100


def setup_print(ws: Worksheet, *, landscape: bool = False,
                header_rows: tuple[int, int] | None = None, last_col: int | None = None,
                last_row: int | None = None, margins: tuple[float, float, float, float] = (
                    0.5, 0.5, 0.7, 0.7), page_breaks: Sequence[int] = (),
                widths: Sequence[float] = ()) -> None:
    """A4 print setup users expect: orientation, repeated header rows, fit to one page wide,
    centred horizontally, margins (left, right, top, bottom in inches), page-number footer.

    With ``page_breaks`` (rows that start a new page, 0-based) the sheet is scaled from
    ``widths`` instead of fitted, because fitting would make Excel drop the breaks.
    """
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    if page_breaks:
        ws.set_h_pagebreaks(list(page_breaks))
        ws.set_print_scale(print_scale(widths, landscape))
    else:
        # One page wide, as many pages tall as needed: tables are long, never cut columns.
        ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    left, right, top, bottom = margins
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    ws.set_footer(PAGE_FOOTER)
    if last_col is not None and last_row is not None:
        ws.print_area(0, 0, last_row, last_col)


# --------------------------------------------------------------------------------------------
# Table specification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a published table.

    ``total``: summed into the totals row. ``width``: fixed width, else fitted to the content
    between ``min_width`` and ``max_width``.
    """

    kind: CellKind = "text"
    width: float | None = None
    min_width: float = 6
    max_width: float = 40
    total: bool = False


@dataclass(frozen=True)
class HeaderCell:
    """A header cell spanning ``colspan`` columns and ``rowspan`` header rows."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Cell:
    """A body cell with spans, or a kind / style other than its column's and row's (e.g. a
    label in a money column, a bold label cell in a data row). Plain values in a ``Row`` are
    one-column cells of the column's kind in the row's style."""

    value: object
    colspan: int = 1
    rowspan: int = 1
    kind: CellKind | None = None
    style: RowStyle | None = None


@dataclass
class Row:
    """One body row. Cells are placed left to right, skipping positions covered by a rowspan
    from a row above (as in HTML tables). ``data`` rows are summed into the totals row."""

    cells: Sequence[object]
    style: RowStyle = "data"


@dataclass(frozen=True)
class Totals:
    """The computed totals row: ``label`` spanning ``label_span`` columns from ``label_col``;
    every ``Column(total=True)`` holds the sum of the ``data`` rows. Chinese budget tables put
    合计 first (``top``); some put it last."""

    label: str = "合计"
    label_col: int = 0
    label_span: int = 1
    position: Literal["top", "bottom"] = "top"


@dataclass(frozen=True)
class TableSpec:
    """Everything that makes one published table, except its rows.

    ``header`` is a list of header rows; each row lists ``HeaderCell`` (or plain strings for
    single cells) placed left to right around the cells spanning down from rows above.
    ``unit_line`` is the left part of the line under the title ("306001 某局"); ``unit`` its
    right part. ``numbering_row`` appends a 栏次 row ("栏次", 1, 2 …) under the header for the
    columns given as (column, label) pairs. ``landscape`` None chooses by total width.
    """

    title: str
    columns: tuple[Column, ...]
    header: tuple[tuple[HeaderCell | str, ...], ...]
    unit_line: str = ""
    unit: str = UNIT_WANYUAN
    totals: Totals | None = None
    empty_note: str = EMPTY_NOTE
    notes: tuple[str, ...] = ()
    numbering_row: tuple[tuple[int, str], ...] = ()
    landscape: bool | None = None
    title_row: bool = True


class Placement(NamedTuple):
    """Where ``write_table`` put a table: header row range (0-based, inclusive), the next free
    row, and the column widths set."""

    header_rows: tuple[int, int]
    next_row: int
    widths: tuple[float, ...]

    @property
    def total_width(self) -> float:
        return sum(self.widths)


# A body cell placed on the grid: (row relative to the first body row, column, value, rowspan,
# colspan, kind, the style it is drawn in, the style of its row). Plain tuples: a 1,000-project
# 绩效目标表 places about 100,000 of them.
_Placed = tuple[int, int, object, int, int, CellKind, RowStyle, RowStyle]


def _place(columns: Sequence[Column], rows: Sequence[Row]) -> list[_Placed]:
    """Place ``rows`` on a grid of ``columns`` as in HTML tables: cells left to right, skipping
    the positions covered by a rowspan from a row above."""
    ncols = len(columns)
    below: dict[int, set[int]] = {}  # row -> columns covered by rowspans from rows above
    placed: list[_Placed] = []
    append = placed.append
    for r, row in enumerate(rows):
        covered = below.pop(r, None)
        row_style = row.style
        c = 0
        for value in row.cells:
            if covered:
                while c in covered:
                    c += 1
            if isinstance(value, Cell):
                rowspan, colspan = value.rowspan, value.colspan
                if c + colspan > ncols:
                    raise UserError(say("table.row_too_wide", row=r + 1, columns=ncols))
                if rowspan > 1:
                    # A span below the last row would overlap the totals or notes merged there:
                    # Excel reports such a file as damaged.
                    if r + rowspan > len(rows):
                        raise UserError(say("table.row_too_tall", row=r + 1, rows=len(rows)))
                    for dr in range(1, rowspan):
                        below.setdefault(r + dr, set()).update(range(c, c + colspan))
                append((r, c, value.value, rowspan, colspan, value.kind or columns[c].kind,
                        value.style or row_style, row_style))
            else:
                if c >= ncols:
                    raise UserError(say("table.row_too_wide", row=r + 1, columns=ncols))
                append((r, c, value, 1, 1, columns[c].kind, row_style, row_style))
                colspan = 1
            c += colspan
    return placed


_WRITE_EVERY = 256  # body rows laid out before they are written out


class _Layout:
    """A table laid out as plain data -- cell values and formats, row heights, merged ranges --
    and then written to the worksheet in row order.

    Row order is what XlsxWriter's ``constant_memory`` mode needs (it writes each row out as
    soon as a later row is started, and drops what comes after for an earlier row); it also
    lets a merge be recorded as a range while its cells are written with everything else,
    instead of ``merge_range`` checking and storing every covered cell.
    """

    __slots__ = ("cells", "heights", "merges")

    def __init__(self) -> None:
        self.cells: dict[int, dict[int, tuple[object, Format]]] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []

    def put(self, r: int, c: int, value: object, fmt: Format) -> None:
        row = self.cells.get(r)
        if row is None:
            row = self.cells[r] = {}
        row[c] = (value, fmt)

    def span(self, r: int, c: int, rowspan: int, colspan: int, value: object, fmt: Format) -> None:
        """One cell, merged over ``rowspan`` x ``colspan`` when it spans: the value in the first
        cell, every other cell of the range blank in the same format (so borders are drawn
        around the whole range), as ``merge_range`` does."""
        self.put(r, c, value, fmt)
        if rowspan == 1 and colspan == 1:
            return
        self.merges.append((r, c, r + rowspan - 1, c + colspan - 1))
        blank = (None, fmt)
        for rr in range(r, r + rowspan):
            row = self.cells.get(rr)
            if row is None:
                row = self.cells[rr] = {}
            for cc in range(c + 1 if rr == r else c, c + colspan):
                row[cc] = blank

    def write_above(self, ws: Worksheet, below: int) -> None:
        """Write out the rows above row ``below`` and forget them (a long table is not held
        whole). They must be complete: spans only reach down, so rows above the one being
        laid out are."""
        cells = {r: row for r, row in self.cells.items() if r < below}
        heights = {r: h for r, h in self.heights.items() if r < below}
        write_rows(ws, cells, heights)
        for r in cells:
            del self.cells[r]
        for r in heights:
            del self.heights[r]

    def write(self, ws: Worksheet) -> None:
        """Write everything (left) out, row by row, each row's cells left to right."""
        write_rows(ws, self.cells, self.heights)
        add_merges(ws, self.merges)


# --------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------


def _sums(spec: TableSpec, placed: Sequence[_Placed]) -> dict[int, Decimal]:
    sums = {c: Decimal(0) for c, col in enumerate(spec.columns) if col.total}
    if sums:
        for _, c, value, _, _, _, _, row_style in placed:
            if row_style == "data" and c in sums and is_number(value):
                sums[c] += Decimal(str(value))
    return sums


def _header_grid(spec: TableSpec) -> list[tuple[int, int, HeaderCell]]:
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, HeaderCell]] = []
    ncols = len(spec.columns)
    for r, header_row in enumerate(spec.header):
        c = 0
        for item in header_row:
            cell = HeaderCell(item) if isinstance(item, str) else item
            while (r, c) in taken:
                c += 1
            if c + cell.colspan > ncols:
                raise UserError(say("table.header_too_wide", text=cell.text, columns=ncols))
            if r + cell.rowspan > len(spec.header):  # it would overlap the body's cells
                raise UserError(say("table.header_too_tall", text=cell.text, rows=len(spec.header)))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            placed.append((r, c, cell))
            c += cell.colspan
    return placed


def _fit_widths(spec: TableSpec, header: list[tuple[int, int, HeaderCell]],
                placed: Sequence[_Placed], shown: Sequence[str], totals_label: str) -> list[float]:
    """Column widths: fixed ones as given, the others fitted to their one-column cells
    (``shown``: each placed cell's display text)."""
    free = {c for c, col in enumerate(spec.columns) if col.width is None}
    texts: dict[int, list[str]] = {c: [] for c in free}
    if free:
        for _, c, h in header:
            if h.colspan == 1 and c in free:
                # Header cells wrap, so a long header widens its column only up to a cap.
                texts[c].append(h.text if text_width(h.text) <= HEADER_TEXT_CAP else "汉" * 6)
        for p, text in zip(placed, shown, strict=True):
            if p[4] == 1 and p[1] in free:
                texts[p[1]].append(text)
        if spec.totals and spec.totals.label_col in free:
            texts[spec.totals.label_col].append(totals_label)
    widths: list[float] = []
    for c, col in enumerate(spec.columns):
        if col.width is not None:
            widths.append(col.width)
            continue
        longest = max((text_width(line) for t in texts[c] for line in t.split("\n")), default=0)
        if col.kind == "money":
            longest = max(longest, 10)  # room for 999,999.00 so amounts never show ####
        if col.kind in ("text", "money", "price", "percent"):
            longest += 1  # the indent
        widths.append(min(max(longest + 2, col.min_width), col.max_width))
    return widths


def write_table(ws: Worksheet, spec: TableSpec, rows: Sequence[Row], styles: Styles,
                first_row: int = 0, set_widths: bool = True) -> Placement:
    """Write ``spec`` with ``rows`` from ``first_row``; return where it went.

    Layout: title (merged, 16pt) · unit line ("<单位编码><单位名称>" left, "单位：万元" right) ·
    header rows (merged spans, grey) · optional 栏次 row · totals row when ``top`` · body rows ·
    totals row when ``bottom`` · notes. With no body rows the table keeps its header and shows
    ``spec.empty_note`` in one merged row, so an empty table is still published.

    The table is laid out first and written in row order, from ``first_row`` down: a sheet
    holding several tables writes them top to bottom (``constant_memory`` workbooks need it).
    """
    ncols = len(spec.columns)
    last_col = ncols - 1
    placed = _place(spec.columns, rows)
    shown = [v if v.__class__ is str else display_text(v, kind) for _, _, v, _, _, kind, _, _ in placed]
    header = _header_grid(spec)
    totals_label = spec.totals.label if spec.totals else ""
    widths = _fit_widths(spec, header, placed, shown, totals_label)
    if set_widths:
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
    span_widths: dict[tuple[int, int], float] = {}

    def span_width(c: int, colspan: int) -> float:
        key = (c, colspan)
        width = span_widths.get(key)
        if width is None:
            width = span_widths[key] = sum(widths[c:c + colspan])
        return width

    out = _Layout()
    r = first_row
    if spec.title_row:
        out.heights[r] = TITLE_ROW_HEIGHT
        out.span(r, 0, 1, ncols, spec.title, styles.title)
        r += 1
    if spec.unit_line or spec.unit:
        if ncols == 1:
            out.put(r, 0, f"{spec.unit_line}  {spec.unit}".strip(), styles.subtitle)
        else:
            # The unit sits in the last column; the 部门 line takes the rest, merged.
            out.span(r, 0, 1, ncols - 1, spec.unit_line, styles.subtitle)
            out.put(r, last_col, spec.unit, styles.unit)
        out.heights[r] = MIN_ROW_HEIGHT
        r += 1

    header_first = r
    header_heights = [MIN_ROW_HEIGHT] * len(spec.header)
    for hr, hc, h in header:
        out.span(r + hr, hc, h.rowspan, h.colspan, h.text, styles.header)
        need = lines_needed(h.text, span_width(hc, h.colspan)) * LINE_HEIGHT + 4
        header_heights[hr + h.rowspan - 1] = max(header_heights[hr + h.rowspan - 1],
                                                 need - MIN_ROW_HEIGHT * (h.rowspan - 1))
    for i, height in enumerate(header_heights):
        out.heights[r + i] = height
    r += len(spec.header)
    if spec.numbering_row:
        numbered = dict(spec.numbering_row)
        for c in range(ncols):
            out.put(r, c, numbered.get(c, ""), styles.header)
        r += 1
    header_last = r - 1

    def put_totals(at: int) -> int:
        assert spec.totals is not None
        sums = _sums(spec, placed)
        t = spec.totals
        for c in range(ncols):
            if t.label_col <= c < t.label_col + t.label_span:
                continue
            out.put(at, c, sums.get(c), styles.cell(spec.columns[c].kind, "total"))
        out.span(at, t.label_col, 1, t.label_span, t.label, styles.cell("center", "total"))
        out.heights[at] = MIN_ROW_HEIGHT
        return at + 1

    if not rows:
        out.span(r, 0, 1, ncols, spec.empty_note, styles.cell("center"))
        out.heights[r] = MIN_ROW_HEIGHT * 1.5
        r += 1
    else:
        if spec.totals and spec.totals.position == "top":
            r = put_totals(r)
        body_first = r
        heights, cells = out.heights, out.cells
        cell_format = styles.cell
        written = body_first  # rows above it went out already
        for (pr, pc, value, rowspan, colspan, kind, style, _), text in zip(placed, shown, strict=True):
            at = body_first + pr
            if at - written >= _WRITE_EVERY:
                out.write_above(ws, at)
                written = at
            if rowspan == 1 and colspan == 1:
                row_cells = cells.get(at)
                if row_cells is None:
                    row_cells = cells[at] = {}
                row_cells[pc] = (value, cell_format(kind, style))
                width = widths[pc]
            else:
                out.span(at, pc, rowspan, colspan, value, cell_format(kind, style))
                width = span_width(pc, colspan)
            need = lines_needed(text, width) * LINE_HEIGHT + 4
            if rowspan == 1:
                if need > heights.get(at, MIN_ROW_HEIGHT):
                    heights[at] = need
                else:
                    heights.setdefault(at, MIN_ROW_HEIGHT)
                continue
            # A cell spanning rows shares its height among them.
            per_row = need / rowspan
            for below in range(at, at + rowspan):
                heights[below] = max(heights.get(below, MIN_ROW_HEIGHT), per_row)
        r = body_first + len(rows)
        if spec.totals and spec.totals.position == "bottom":
            r = put_totals(r)

    for note in spec.notes:
        out.span(r, 0, 1, ncols, note, styles.note)
        out.heights[r] = lines_needed(note, sum(widths)) * LINE_HEIGHT + 4
        r += 1
    out.write(ws)
    return Placement((header_first, header_last), r, tuple(widths))


def write_sheet(wb: Workbook, name: str, spec: TableSpec, rows: Sequence[Row],
                styles: Styles) -> Worksheet:
    """Add sheet ``name`` holding one table, with print setup (orientation from the spec or the
    table's width, header rows repeated on every page)."""
    ws = wb.add_worksheet(name)
    placed = write_table(ws, spec, rows, styles)
    landscape = spec.landscape if spec.landscape is not None else \
        placed.total_width > LANDSCAPE_WIDTH
    first, last = placed.header_rows
    setup_print(ws, landscape=landscape, header_rows=(first, last) if last >= first else None,
                last_col=len(spec.columns) - 1, last_row=placed.next_row - 1)
    return ws
