"""Opening a user's workbook safely, and turning each sheet into a plain grid of values.

This is the only module that touches openpyxl for reading. It never writes to the user's file.
Anything that makes a file unreadable raises ``UnreadableWorkbook`` with a Chinese message
(exit code 2); everything else is left to the reader as findings.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401  -- openpyxl guards against XML bombs only when this is importable
import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.model.schema import INSTRUCTIONS_SHEET, KIND_TITLES, SHEETS, WorkbookKind
from generator.model.text import normalize_label

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # a zip bomb inflates far beyond its size
MAX_SHEETS = 100
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000  # rows × columns of one sheet

EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook at all. ``str(exc)`` is the user-facing message."""


@dataclass
class Grid:
    """The values of one sheet, rows and columns 1-based as in Excel."""

    name: str
    rows: list[list[Any]]  # rows[r-1][c-1]
    hidden_rows: set[int] = field(default_factory=set)
    formulas_without_cache: set[tuple[int, int]] = field(default_factory=set)

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int) -> Any:
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


def cell_ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def open_workbook(path: Path) -> dict[str, Grid]:
    """Read every sheet of ``path`` into grids (cached values of formulas, merged cells filled)."""
    _check_file(path)
    wb = _load(path, data_only=False)
    formula_cells: dict[str, set[tuple[int, int]]] = {}
    for ws in wb.worksheets:
        found = {(c.row, c.column) for row in ws.iter_rows() for c in row
                 if c.data_type == "f"}
        if found:
            formula_cells[ws.title] = found
    cached = _load(path, data_only=True) if formula_cells else wb
    grids: dict[str, Grid] = {}
    for ws in cached.worksheets:
        grids[ws.title] = _grid(ws, formula_cells.get(ws.title, set()))
    return grids


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableWorkbook(f"找不到文件：{path}")
    if path.is_dir():
        raise UnreadableWorkbook(f"{path} 是文件夹，不是工作簿")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UnreadableWorkbook(f"{path.name} 是旧版 .xls 格式：请在 Excel/WPS 中“另存为”.xlsx 后再运行")
    if suffix not in (".xlsx", ".xlsm"):
        raise UnreadableWorkbook(f"{path.name} 不是 .xlsx 工作簿：请提供 Excel/WPS 保存的 .xlsx 文件")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableWorkbook(f"{path.name} 是空文件（0 字节）")
    if size > MAX_FILE_BYTES:
        raise UnreadableWorkbook(f"{path.name} 过大（{size // 1024 // 1024} MB，上限 "
                                 f"{MAX_FILE_BYTES // 1024 // 1024} MB）：请删除无关内容后再试")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2: an encrypted .xlsx or an .xls renamed to .xlsx
        raise UnreadableWorkbook(f"{path.name} 设置了打开密码或是旧版 .xls 格式：请取消密码保护"
                                 "并另存为 .xlsx 后再运行")
    if not zipfile.is_zipfile(path):
        raise UnreadableWorkbook(f"{path.name} 不是有效的 .xlsx 文件（可能已损坏或只是改了扩展名）："
                                 "请在 Excel/WPS 中打开并另存为 .xlsx")
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableWorkbook(f"{path.name} 已损坏（{exc}）：请重新保存后再试") from exc
    if bad is not None:
        raise UnreadableWorkbook(f"{path.name} 已损坏（{bad} 校验失败）：请重新保存后再试")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(f"{path.name} 解压后过大（{total // 1024 // 1024} MB）：疑似异常文件，已拒绝读取")


def _load(path: Path, data_only: bool) -> Workbook:
    try:
        wb = openpyxl.load_workbook(path, data_only=data_only, read_only=False)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # openpyxl raises many types on broken files; all mean "unreadable"
        raise UnreadableWorkbook(f"{path.name} 无法作为 Excel 工作簿读取（{type(exc).__name__}）："
                                 "请在 Excel/WPS 中打开并另存为 .xlsx") from exc
    if len(wb.worksheets) > MAX_SHEETS:
        raise UnreadableWorkbook(f"{path.name} 有 {len(wb.worksheets)} 个工作表，超过上限 {MAX_SHEETS}")
    return wb


def _grid(ws: Worksheet, formula_cells: set[tuple[int, int]]) -> Grid:
    if (ws.max_row or 0) > MAX_ROWS:
        raise UnreadableWorkbook(f"工作表“{ws.title}”有 {ws.max_row} 行，超过上限 {MAX_ROWS} 行："
                                 "请删除多余的空行或无关数据后再试")
    if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
        raise UnreadableWorkbook(f"工作表“{ws.title}”的单元格范围过大（{ws.max_row} 行 × {ws.max_column} 列）："
                                 "请删除多余的行列后再试")
    max_row = ws.max_row or 0
    max_col = min(ws.max_column or 0, MAX_COLUMNS)
    rows = [[None] * max_col for _ in range(max_row)]
    for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
        for c in row:
            if c.value is not None:
                rows[c.row - 1][c.column - 1] = c.value
    # Merged cells hold their value in the top-left cell only: copy it to the whole range,
    # so a merged 项目名称 or 一级指标 reads the same on every row it spans.
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= max_row and \
            rng.min_col <= max_col else None
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                rows[r - 1][c - 1] = top
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden and r <= len(rows)}
    no_cache = {(r, c) for (r, c) in formula_cells
                if r <= len(rows) and c <= max_col and rows[r - 1][c - 1] is None}
    return Grid(ws.title, rows, hidden, no_cache)


def detect_kind(grids: dict[str, Grid]) -> WorkbookKind | None:
    """The kind written in 填表说明!A1 by the template, else the kind whose sheets fit best."""
    sheet = grids.get(INSTRUCTIONS_SHEET)
    if sheet is not None:
        title = normalize_label(sheet.value(1, 1))
        for kind, kind_title in KIND_TITLES.items():
            if normalize_label(kind_title) == title:
                return kind
    names = {normalize_label(n) for n in grids}
    best: tuple[int, WorkbookKind | None] = (0, None)
    for kind, sheets in SHEETS.items():
        distinctive = {normalize_label(s.name) for s in sheets} - {
            normalize_label(s.name) for other, ss in SHEETS.items() if other != kind for s in ss}
        score = len(distinctive & names)
        if score > best[0]:
            best = (score, kind)
    return best[1]


def file_fingerprint(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): cheap evidence that the user's file was not touched."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns
