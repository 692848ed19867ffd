"""The annotated copy: the user's workbook with every finding marked where it was typed.

Users fix problems in the cell they typed, so the findings go back onto a *copy* of their file:
each finding's cell filled red (错误) or yellow (警告) with a comment, and a first sheet
校验结果 listing them all with links to the cells. The user's own file is never written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

from generator.model.schema import RESULTS_SHEET
from generator.read.a1 import column_index, split_ref
from generator.validate.findings import Finding

if TYPE_CHECKING:
    import openpyxl
    from openpyxl.styles import PatternFill

    from generator.render.annotated_patch import CellNote, ResultsSheet

# openpyxl is imported by the function that writes a copy, not here: the batch runner and the
# CLI import this module for is_annotated_copy() and must not pay for openpyxl to do so.

ANNOTATED_SUFFIX = ".校验结果.xlsx"
_FILL_COLOURS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}


_HEADERS = ("序号", "级别", "代码", "工作表", "单元格", "列", "值", "问题", "处理建议")
_WIDTHS = (6, 6, 24, 14, 8, 14, 24, 60, 50)


def _level(findings: Sequence[Finding]) -> str:
    """Red for any 错误, yellow for any 警告, blue when only 提示."""
    if any(f.is_error for f in findings):
        return "error"
    return "warning" if any(f.is_warning for f in findings) else "info"


def _fill(findings: Sequence[Finding]) -> PatternFill:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=_FILL_COLOURS[_level(findings)])


_A1 = re.compile(r"^[A-Z]{1,3}\d+$")
_EXCEL_ROWS = 1_048_576


def annotated_path(source: Path, out_dir: Path) -> Path:
    return out_dir / f"{source.stem}{ANNOTATED_SUFFIX}"


def is_annotated_copy(path: Path) -> bool:
    return path.name.endswith(ANNOTATED_SUFFIX)


@overload
def write_annotated_copy(source: Path, findings: Sequence[Finding], target: Path) -> Path: ...
@overload
def write_annotated_copy(source: Path, findings: Sequence[Finding], target: Path, *,
                         full_load: bool) -> Path | None: ...
def write_annotated_copy(source: Path, findings: Sequence[Finding], target: Path, *,
                         full_load: bool = True) -> Path | None:
    """Write ``target``: a copy of ``source`` with fills, comments and a 校验结果 sheet.

    The copy is made by patching the package (``annotated_patch``: only the parts that change are
    rewritten, openpyxl is not imported); a workbook that patcher does not handle is copied through
    openpyxl instead, with the same result -- unless ``full_load`` is false (a workbook too large
    to hold as openpyxl objects): then no copy is written and ``None`` returned.
    """
    from generator.render.annotated_patch import write_patched_copy

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".xlsx", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        try:
            write_patched_copy(source, _notes(findings), _results(findings), tmp_path)
        except Exception:  # any surprise in the package: the openpyxl copy is slower but general
            if not full_load:
                return None
            _write_with_openpyxl(source, findings, tmp_path)
        shutil.move(str(tmp_path), target)
    finally:
        tmp_path.unlink(missing_ok=True)
    return target


def _grouped(findings: Sequence[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """The findings by (sheet, A1 cell), in order of first appearance."""
    notes: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        cell = _cell_of(f.cell)
        if cell:
            notes.setdefault((f.sheet, cell), []).append(f)
    return notes


def _comment_text(items: Sequence[Finding]) -> str:
    return "\n".join(f"【{f.severity.value}】{f.message}" + (f"\n→ {f.fix}" if f.fix else "") for f in items)


def _notes(findings: Sequence[Finding]) -> list[CellNote]:
    from generator.render.annotated_patch import CellNote

    out = []
    for (sheet, cell), items in _grouped(findings).items():
        position = _position(cell)
        if position is not None:
            row, col = position
            out.append(CellNote(sheet, row, col, _FILL_COLOURS[_level(items)], _comment_text(items)))
    return out


def _results(findings: Sequence[Finding]) -> ResultsSheet:
    from generator.render.annotated_patch import ResultRow, ResultsSheet

    rows = []
    for i, f in enumerate(findings, start=1):
        position = _position(_cell_of(f.cell))
        link = (f.sheet, *position) if position is not None else None
        rows.append(ResultRow((i, f.severity.value, f.code, f.sheet, f.cell, f.header, f.value, f.message, f.fix),
                              _FILL_COLOURS[_level([f])], link))
    if not findings:
        rows.append(ResultRow(("", "", "", "", "", "", "", "未发现问题", ""), None, None))
    return ResultsSheet(RESULTS_SHEET, _HEADERS, _WIDTHS, tuple(rows), fill_column=1, link_column=4)


def _position(cell: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference within Excel's 1,048,576 rows and 16,384 columns."""
    try:
        letters, row = split_ref(cell)
        col = column_index(letters)
    except ValueError:
        return None
    return (row, col) if 1 <= row <= _EXCEL_ROWS else None


def _on_a_sheet(cell: str) -> bool:
    return _position(cell) is not None


def _write_with_openpyxl(source: Path, findings: Sequence[Finding], target: Path) -> None:
    """The general path: a full openpyxl load and save (slow, but takes any workbook openpyxl reads)."""
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.load_workbook(source)
    if RESULTS_SHEET in wb.sheetnames:
        del wb[RESULTS_SHEET]
    for (sheet, cell), items in _grouped(findings).items():
        if sheet not in wb.sheetnames or not _on_a_sheet(cell):
            continue
        try:
            target_cell = wb[sheet][cell]
        except (AttributeError, TypeError):  # a chart sheet
            continue
        if type(target_cell).__name__ == "MergedCell":
            continue  # only the top-left cell of a merged range can carry a comment
        target_cell.fill = _fill(items)
        target_cell.comment = Comment(_comment_text(items), "budget-report", width=360, height=160)
    _write_results_sheet(wb, findings)
    wb.save(target)


def _cell_of(ref: str) -> str:
    if _A1.match(ref):
        return ref
    if ref.isdigit():
        return f"A{ref}"
    return ""


def _write_results_sheet(wb: openpyxl.Workbook, findings: Sequence[Finding]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(RESULTS_SHEET, 0)
    ws.append(_HEADERS)
    for c in range(1, len(_HEADERS) + 1):
        ws.cell(1, c).font = Font(bold=True)
    for i, f in enumerate(findings, start=1):
        ws.append((i, f.severity.value, f.code, f.sheet, f.cell, f.header, f.value, f.message, f.fix))
        cell = _cell_of(f.cell)
        if cell and f.sheet in wb.sheetnames and _on_a_sheet(cell):
            link = ws.cell(i + 1, 5)
            link.hyperlink = f"#'{f.sheet}'!{cell}"
            link.font = Font(color="0563C1", underline="single")
        ws.cell(i + 1, 2).fill = _fill([f])
    if not findings:
        ws.append(("", "", "", "", "", "", "", "未发现问题", ""))
    for col, width in zip("ABCDEFGHI", _WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    for sheet in wb.worksheets:  # only 校验结果 selected: two selected tabs are grouped sheets in Excel
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = 0
