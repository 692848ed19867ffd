"""Writing laid-out rows to an XlsxWriter worksheet: in row order, and for the big sheets
straight into the sheet's XML.

``write_table`` (``xlsx_base``) lays a table out as plain data first -- each row's cells
(value, format) and height, and the merged ranges -- and hands it here. Two ways out:

* any worksheet: the public calls (``set_row``, ``write_string`` / ``write_number`` /
  ``write_blank``), row by row, each row's cells left to right;
* a :class:`RowSheet` of a :func:`row_order_workbook` (XlsxWriter's ``constant_memory``
  mode, where rows go to a temporary file as soon as a later row is started): the row and cell
  elements are written to that file directly, as XlsxWriter itself would write them
  (``tests/test_xlsx_layout.py`` holds the two ways to the same bytes). XlsxWriter's own path
  stores a tuple per cell and a row record per row, then formats each cell with generic
  attribute lists and escaping: most of the time of a 1,000-project 项目绩效目标表
  (100,000 cells), and a few hundred bytes per row kept to the end.

Merged ranges are recorded with :func:`add_merges`: the cells of a range are written with the
rest of their rows, so ``merge_range`` (which writes them itself, and keeps a dictionary entry
per covered cell to refuse overlaps) is not used.

The direct path relies on XlsxWriter 3.x internals, all named here: the worksheet's temporary
row file (``fh``), the row it is filling (``previous_row``, ``table``, ``_write_single_row``),
its extent (``_check_dimensions``), default row heights, ``_write_cell`` for the rare strings
that need escaping, ``Format._get_xf_index`` and the ``merge`` list. A worksheet that does not
look like that (another XlsxWriter, another mode) takes the public path.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import chain
from math import isfinite

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellStringTuple, Worksheet

__all__ = ["RowSheet", "add_merges", "row_order_workbook", "write_rows"]

# A row's cells: column -> (value, format). ``None`` and "" are blank cells in the format.
RowCells = Mapping[int, tuple[object, Format]]

# Strings XlsxWriter writes other than as they are: XML specials, control characters and their
# _xHHHH_ escapes, leading or trailing whitespace (xml:space), and rich strings ("<r>…</r>").
# Those cells go through XlsxWriter's own cell writer. One alternation of single characters and
# anchors: linear.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x|^\s|\s$")
_STRING_MAX = 32767  # UTF-16 units in a cell, as XlsxWriter truncates
_COLUMN_NAMES: dict[int, str] = {}


def is_number(value: object) -> bool:
    return isinstance(value, (Decimal, int, float)) and not isinstance(value, bool)


def _column_name(col: int) -> str:
    name = _COLUMN_NAMES.get(col)
    if name is None:
        name = _COLUMN_NAMES[col] = xl_col_to_name(col)
    return name


def _truncated(text: str) -> str:
    """``text`` cut to the 32,767 UTF-16 units a cell holds (XlsxWriter's ``_write_string``)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > _STRING_MAX:
            return text[:index]
    return text


class RowSheet(Worksheet):
    """A worksheet that can take laid-out rows straight into its XML (see the module), and
    keeps the merged ranges of those rows as four machine integers each (as Python tuples they
    took 25 MB for the 200,000 ranges of 10,000 projects)."""

    def __init__(self) -> None:
        super().__init__()
        self.merged_ranges = array("i")  # first row, first col, last row, last col, ...

    def _write_merge_cells(self) -> None:
        """<mergeCells>: the ranges ``merge_range`` recorded, then the compact ones, written
        as XlsxWriter writes each <mergeCell>."""
        ranges = self.merged_ranges
        if not ranges:
            super()._write_merge_cells()
            return
        stock: list[Sequence[int]] = self.merge
        self.fh.write(f'<mergeCells count="{len(stock) + len(ranges) // 4}">')
        chunk: list[str] = []
        compact = (ranges[i:i + 4] for i in range(0, len(ranges), 4))
        for first_row, first_col, last_row, last_col in chain(stock, compact):
            chunk.append(f'<mergeCell ref="{_column_name(first_col)}{first_row + 1}:'
                         f'{_column_name(last_col)}{last_row + 1}"/>')
            if len(chunk) == 4096:
                self.fh.write("".join(chunk))
                chunk.clear()
        self.fh.write("".join(chunk) + "</mergeCells>")

    def takes_rows_directly(self) -> bool:
        """True when this worksheet streams rows (``constant_memory``) in the plain 2007 format
        the direct writer produces, with the internals it uses."""
        return bool(getattr(self, "constant_memory", False)) and getattr(self, "excel_version", None) == 2007 \
            and all(hasattr(self, name) for name in (
                "fh", "previous_row", "table", "row_info", "original_row_height", "default_row_height",
                "_write_single_row", "_check_dimensions", "_write_cell", "merge"))

    def write_rows_directly(self, cells: Mapping[int, RowCells], heights: Mapping[int, float]) -> None:
        """Write ``cells`` and ``heights`` (row -> points), rows in order, below everything
        written so far."""
        rows = sorted(cells.keys() | heights.keys())
        if not rows:
            return
        first, last = rows[0], rows[-1]
        previous: int = self.previous_row  # type: ignore[has-type]  # set in _initialize
        if first > previous:
            self._write_single_row(first)  # out goes whatever XlsxWriter holds of an earlier row
        elif first < previous or self.table.get(first) or first in self.row_info:
            raise ValueError(f"row {first + 1} is above or inside rows already written")
        columns = [c for row in cells.values() for c in row]
        if columns:
            self._check_dimensions(first, min(columns))
            self._check_dimensions(last, max(columns))
        else:
            self._check_dimensions(first, self.dim_colmin or 0)
            self._check_dimensions(last, self.dim_colmin or 0)

        original, default = self.original_row_height, self.default_row_height
        out: list[str] = []
        append = out.append
        for r in rows:
            height = heights.get(r)
            # XlsxWriter keeps heights in whole pixels (set_row) and writes them back in points.
            pixels = default if height is None else int(height * 4.0 / 3.0 + 0.5)
            number = str(r + 1)
            tag = '<row r="' + number + '"'
            if pixels != original or pixels != default:
                tag += f' ht="{pixels * 0.75:.16g}" customHeight="1"'
            row = cells.get(r)
            if not row:
                append(tag + "/>")
                continue
            append(tag + ">")
            for c in sorted(row):
                value, fmt = row[c]
                start = f'<c r="{_column_name(c)}{number}" s="{fmt._get_xf_index()}"'
                if value is None or value == "":
                    append(start + "/>")
                    continue
                if value.__class__ is not str:
                    if is_number(value):
                        figure = float(value)  # type: ignore[arg-type]
                        if not isfinite(figure):  # XlsxWriter refuses them too: no such cell in Excel
                            raise TypeError(f"{value!r} in row {number} is not a number Excel can hold")
                        append(f"{start}><v>{figure:.16G}</v></c>")
                        continue
                    value = str(value)
                text = value if len(value) <= _STRING_MAX // 2 else _truncated(value)  # type: ignore[arg-type]
                if _NEEDS_CARE.search(text):
                    self.fh.write("".join(out))
                    out.clear()
                    self._write_cell(r, c, CellStringTuple(text, fmt))
                else:
                    append(f'{start} t="inlineStr"><is><t>{text}</t></is></c>')
            append("</row>")
            if len(out) > 4096:
                self.fh.write("".join(out))
                out.clear()
        self.fh.write("".join(out))
        # Later public writes may only go below: XlsxWriter drops what comes for a row above.
        self.previous_row = last + 1


class _RowOrderWorkbook(Workbook):
    worksheet_class = RowSheet


def row_order_workbook(path: str, options: dict[str, object], tmpdir: str | None) -> Workbook:
    """An XlsxWriter workbook in ``constant_memory`` mode whose sheets are :class:`RowSheet`."""
    options = {**options, "constant_memory": True}
    if tmpdir is not None:
        options["tmpdir"] = tmpdir
    return _RowOrderWorkbook(path, options)


def write_rows(ws: Worksheet, cells: Mapping[int, RowCells], heights: Mapping[int, float]) -> None:
    """Write laid-out rows (row -> column -> (value, format); row -> height in points) in row
    order: directly into a streaming :class:`RowSheet`, else through the public calls."""
    if isinstance(ws, RowSheet) and ws.takes_rows_directly():
        ws.write_rows_directly(cells, heights)
        return
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    for r in sorted(cells.keys() | heights.keys()):
        height = heights.get(r)
        if height is not None:
            ws.set_row(r, height)
        row = cells.get(r)
        if not row:
            continue
        for c in sorted(row):
            value, fmt = row[c]
            # Numbers stay numbers; user text is always a string, never a formula.
            if value is None or value == "":
                write_blank(r, c, None, fmt)
            elif is_number(value):
                write_number(r, c, float(value), fmt)  # type: ignore[arg-type]
            else:
                write_string(r, c, str(value), fmt)


def add_merges(ws: Worksheet, ranges: Sequence[tuple[int, int, int, int]]) -> None:
    """Record merged ranges (first row, first col, last row, last col) whose cells are written
    separately. XlsxWriter has no public call for this: ``merge_range`` also writes the cells,
    which ``constant_memory`` forbids for rows below the current one, and keeps a dictionary
    entry per covered cell to refuse overlaps (hundreds of megabytes at 10,000 projects).
    Callers place cells on a grid, so their ranges never overlap. A :class:`RowSheet` keeps
    them compact; elsewhere they go to ``worksheet.merge``, the list ``merge_range`` appends to
    and the sheet's <mergeCells> is written from."""
    if isinstance(ws, RowSheet) and ws.takes_rows_directly():
        for merged in ranges:
            ws.merged_ranges.extend(merged)
    else:
        ws.merge.extend(ranges)
