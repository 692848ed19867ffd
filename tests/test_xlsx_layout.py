"""How the Excel tables are laid out and written: the row-ordered writer (``xlsx_rows``) against
XlsxWriter's own, streaming workbooks against ordinary ones, and what every example's cells
need from their columns and rows.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.worksheet.worksheet import Worksheet as SheetView

from generator.app.pipeline import OK, build_one
from generator.compute.disclosure import compute_disclosure
from generator.compute.standard_tables import compute_standard_tables
from generator.messages import UserError
from generator.model import BudgetWorkbook
from generator.read.reader import read_workbook
from generator.render import xlsx_base
from generator.render.wording import WordingError
from generator.render.xlsx_base import (
    LINE_HEIGHT,
    Cell,
    Column,
    HeaderCell,
    Row,
    Styles,
    TableSpec,
    Totals,
    lines_needed,
    new_workbook,
    text_width,
    write_sheet,
    write_table,
)
from generator.render.xlsx_rows import RowSheet, add_merges, write_rows
from generator.render.xlsx_tables import render_tables
from generator.resources import examples_dir, templates_dir
from tests.factories import write_budget

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

# Every kind of value a table cell can hold, and strings XlsxWriter writes other than as they are.
AWKWARD = [
    "项目名称", "=SUM(A1:A9) 平台", "A & B < C > D", " 前导空格", "尾随空格 ", "第一行\n第二行",
    "控制\x01字符", "转义 _x0041_ 样子", "<r><t>富文本</t></r>", '引号"', "长" * 20000, "𠀀" * 17000,
    D("1234.5"), 7, 0.125, D("-0.01"), None, "", True,
]


def _sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(part)


def _write_both_ways(tmp_path: Path) -> tuple[Path, Path]:
    paths = []
    for direct in (True, False):
        path = tmp_path / f"{'direct' if direct else 'stock'}.xlsx"
        # The stock way: XlsxWriter's own constant_memory worksheet, through the public calls.
        wb = new_workbook(path, row_order=True, tmpdir=tmp_path) if direct else \
            xlsxwriter.Workbook(str(path), {**OPTIONS, "constant_memory": True, "tmpdir": str(tmp_path)})
        ws = wb.add_worksheet("表")
        assert isinstance(ws, RowSheet) == direct
        styles = Styles(wb)
        fmts = [styles.text, styles.money, styles.center, styles.header, styles.note]
        cells: dict[int, dict[int, tuple[object, object]]] = {}
        for i, value in enumerate(AWKWARD):
            cells[i] = {0: (value, fmts[i % len(fmts)]), 27: ("AB列", styles.text)}
        cells[len(AWKWARD) + 1] = {3: (D("5"), styles.money)}  # a row without a height
        heights = {i: 18.0 + 0.3 * i for i in range(len(AWKWARD))}  # whole pixels or not
        write_rows(ws, cells, heights)
        add_merges(ws, [(0, 1, 2, 3), (4, 1, 4, 26)])
        cells2 = {len(AWKWARD) + 5: {1: ("下一张表", styles.total)}}
        write_rows(ws, cells2, {len(AWKWARD) + 5: 30.0})
        wb.close()
        paths.append(path)
    return paths[0], paths[1]


def test_direct_rows_are_the_bytes_xlsxwriter_writes(tmp_path: Path) -> None:
    direct, stock = _write_both_ways(tmp_path)
    assert _sheet_xml(direct) == _sheet_xml(stock)
    assert _sheet_xml(direct, "xl/styles.xml") == _sheet_xml(stock, "xl/styles.xml")
    ws = openpyxl.load_workbook(direct)["表"]
    assert ws["A2"].value == "=SUM(A1:A9) 平台" and ws["A2"].data_type == "s"  # text, not a formula
    assert ws["A4"].value == " 前导空格" and ws["A6"].value == "第一行\n第二行"
    assert len(ws["A12"].value) == 16383  # 32,767 UTF-16 units at most: 16,383 surrogate pairs
    assert ws["A13"].value == 1234.5 and ws["A19"].value == "True" and ws["AB1"].value == "AB列"
    assert {"B1:D3", "B5:AA5"} == {str(m) for m in ws.merged_cells.ranges}
    # Heights are whole pixels: 18.3 pt is 24.4 px, written as 24 px = 18 pt; 18.6 pt → 25 px = 18.75 pt.
    assert (ws.row_dimensions[2].height, ws.row_dimensions[3].height) == (18.0, 18.75)


def test_direct_rows_refuse_to_go_back_above_a_written_row(tmp_path: Path) -> None:
    wb = new_workbook(tmp_path / "t.xlsx", row_order=True, tmpdir=tmp_path)
    ws = wb.add_worksheet()
    styles = Styles(wb)
    spec = TableSpec(title="表", columns=(Column("text"),), header=(("项目",),))
    write_table(ws, spec, [Row(["a"])], styles, first_row=10)
    with pytest.raises(ValueError, match="row 1 "):  # XlsxWriter alone would drop it silently
        write_table(ws, spec, [Row(["b"])], styles, first_row=0)
    wb.close()


@pytest.mark.parametrize("header, rows, message", [
    (((HeaderCell("项目", rowspan=3), "金额"), ("甲",)), [Row(["a", D("1")])], "超出表头行数 2"),
    ((("项目", "金额"),), [Row(["a", D("1")]), Row([Cell("b", rowspan=2), D("2")])], "第 2 行的单元格向下超出"),
])
def test_a_span_past_its_section_is_refused_not_written_over_other_merges(
        tmp_path: Path, header: tuple[tuple[HeaderCell | str, ...], ...], rows: list[Row], message: str) -> None:
    """Merged ranges are not checked cell by cell: a span reaching out of the header or the body
    would overlap the next part's merges, a file Excel calls damaged. Such a table is refused."""
    wb = new_workbook(tmp_path / "t.xlsx", row_order=True, tmpdir=tmp_path)
    spec = TableSpec(title="表", columns=(Column("text"), Column("money", total=True)), header=header,
                     totals=Totals(position="bottom"))
    with pytest.raises(UserError, match=message):
        write_sheet(wb, "表", spec, rows, Styles(wb))
    wb.close()


def _spec() -> tuple[TableSpec, list[Row]]:
    spec = TableSpec(
        title="测试表", columns=(Column("text", max_width=12), Column("money", total=True), Column("money", total=True),
                               Column("percent"), Column("center", width=9)),
        header=((HeaderCell("项目", rowspan=2), HeaderCell("金额", colspan=2), HeaderCell("比例与说明很长很长很长的表头", colspan=2)),
                ("甲", "乙", "比例", "说明")),
        unit_line="001 某单位", totals=Totals("总计", position="top"), numbering_row=((0, "栏次"), (1, "1")),
        notes=("注：本表为测试表，说明文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。",))
    rows = [Row(["一个很长很长很长很长很长很长的项目名称", D("1.25"), D("2"), D("0.5"), "甲"]),
            Row([Cell("合并\n两行", rowspan=2), D("3"), None, Cell("跨两列", colspan=2)]),
            Row([D("4"), D("5"), D("0.123"), "=1+1"]),
            Row([Cell("小计", style="section"), D("100"), D("100"), None, ""], "subtotal"),
            Row([Cell("三行", rowspan=3, kind="center"), Cell("二乘二", rowspan=2, colspan=2), D("1"), "x"]),
            Row([D("2"), "y"]), Row([D("3"), D("4"), D("5"), "z"])]
    return spec, rows


def _everything(path: Path) -> list[str]:
    """What a reader sees and what it looks like: values, formats, fonts, borders, fills,
    alignment, merges, widths, row heights, print setup."""
    out: list[str] = []
    for ws in openpyxl.load_workbook(path).worksheets:
        out.append(f"{ws.title} {sorted(str(m) for m in ws.merged_cells.ranges)} {ws.print_title_rows} "
                   f"{ws.print_area} {ws.page_setup.orientation} {ws.page_setup.fitToHeight}")
        out += [f"col {k} {d.width}" for k, d in sorted(ws.column_dimensions.items())]
        out += [f"row {r} {d.height}" for r, d in sorted(ws.row_dimensions.items())]
        for row in ws.iter_rows():
            for c in row:
                if c.has_style or c.value is not None:
                    out.append(f"{c.coordinate} {c.value!r} {c.number_format} {c.font.name} {c.font.b} "
                               f"{c.border.left.style} {c.border.bottom.style} {c.fill.fgColor.rgb} "
                               f"{c.alignment.horizontal} {c.alignment.wrap_text} {c.alignment.indent}")
    return out


def test_a_streaming_workbook_holds_what_an_ordinary_one_does(tmp_path: Path) -> None:
    spec, rows = _spec()
    paths = []
    for row_order in (False, True):
        path = tmp_path / f"{row_order}.xlsx"
        wb = new_workbook(path, row_order=row_order, tmpdir=tmp_path)
        write_sheet(wb, "表", spec, rows, Styles(wb))
        ws = wb.add_worksheet("两张表")
        styles = Styles(wb)
        placed = write_table(ws, spec, rows, styles)
        write_table(ws, spec, [], styles, first_row=placed.next_row + 1, set_widths=False)
        wb.close()
        paths.append(path)
    plain, streamed = (_everything(p) for p in paths)
    assert streamed == plain
    assert plain[0].startswith("表 ['A11:A13', 'A14:E14', 'A1:E1', 'A2:D2', 'A3:A4', 'A8:A9', 'B11:C12', "
                               "'B3:C3', 'D3:E3', 'D8:E8'] $3:$5")
    # 合计 of the data rows (not the 小计 row), bold, right-aligned, on both sheets
    assert [line for line in plain if line.startswith("B6 ")] == [
        "B6 11.25 #,##0.00 宋体 True thin thin 00000000 right True 1.0"] * 2


def test_a_long_table_goes_out_in_pieces_without_changing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Body rows are written every few hundred rows; a span reaching across such a point
    keeps its cells, its merge and the height it shares out."""
    spec = TableSpec(title="长表", columns=(Column("text", max_width=10), Column("text", max_width=12),
                                          Column("money", total=True)),
                     header=(("分组", "名称", "金额"),), totals=Totals(position="bottom"))
    rows: list[Row] = []
    for i in range(700):
        first = [Cell(f"第{i // 5}组，说明文字较长需要换行显示" * (1 + i % 3), rowspan=5)] if i % 5 == 0 else []
        rows.append(Row([*first, "名称" * (i % 9), D(i) / 4]))
    seen = []
    every_so_often = xlsx_base._WRITE_EVERY
    assert every_so_often < 700
    for every in (every_so_often, 10**9):
        monkeypatch.setattr(xlsx_base, "_WRITE_EVERY", every)
        path = tmp_path / f"{every}.xlsx"
        wb = new_workbook(path, row_order=True, tmpdir=tmp_path)
        write_sheet(wb, "表", spec, rows, Styles(wb))
        wb.close()
        seen.append(_everything(path))
    assert seen[0] == seen[1]
    # The piece written first ends above row 260 (3 rows of title and header + 256): the group of
    # rows 259-263 reaches across.
    assert "A259:A263" in seen[0][0]


# --------------------------------------------------------------------------------------------
# Every example: cells fit their columns and rows
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_tables(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("examples")
    tables: list[Path] = []
    for workbook in sorted(examples_dir().glob("*.xlsx")):
        outcome = build_one(workbook, out / workbook.stem, templates_dir())
        assert outcome.status == OK, outcome.message
        tables += [f for f in outcome.files if f.suffix == ".xlsx"]
    assert len(tables) >= 5
    return tables


def _widths(ws: SheetView) -> dict[int, float]:
    """Column number -> width (openpyxl keeps neighbouring columns of one width as one entry)."""
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min and dim.max:
            widths.update(dict.fromkeys(range(dim.min, dim.max + 1), dim.width))
    return widths


def _span(ws: SheetView, cell: SheetCell) -> tuple[range, range]:
    """The columns and rows ``cell`` takes, merged or not."""
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return range(merged.min_col, merged.max_col + 1), range(merged.min_row, merged.max_row + 1)
    return range(cell.column, cell.column + 1), range(cell.row, cell.row + 1)


def _shown_number(value: float, number_format: str) -> str:
    if number_format == "0.00%":
        return f"{value * 100:.2f}%"
    if number_format == "#,##0.00####":  # at least 2 decimals, at most 6
        whole, _, decimals = f"{value:,.6f}".partition(".")
        return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"
    if number_format == "#,##0.00":
        return f"{value:,.2f}"
    if number_format == "0":
        return str(round(value))
    return str(int(value)) if float(value).is_integer() else str(value)


def test_every_example_cell_fits_its_column_or_its_rows(example_tables: list[Path]) -> None:
    """Numbers never wrap: their columns are at least as wide as the figure and its indent (no
    ####). Wrapping text: its rows are tall enough for the lines it wraps into at the column's
    width (neither Excel nor LibreOffice grows a row for merged cells)."""
    problems: list[str] = []
    for path in example_tables:
        for ws in openpyxl.load_workbook(path).worksheets:
            widths = _widths(ws)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None or cell.value == "":
                        continue
                    columns, rows = _span(ws, cell)
                    width = sum(widths[c] for c in columns)
                    where = f"{path.name} {ws.title}!{cell.coordinate}"
                    if isinstance(cell.value, (int, float)):
                        shown = _shown_number(cell.value, cell.number_format)
                        need = text_width(shown) + (cell.alignment.indent or 0)
                        if need > width:
                            problems.append(f"{where} {shown!r} needs {need}, column is {width}")
                    elif cell.alignment.wrap_text:
                        height = sum(ws.row_dimensions[r].height or 15 for r in rows)
                        lines = lines_needed(str(cell.value), width)
                        # Heights are whole pixels (0.75 pt), rounded to the nearest.
                        if lines * LINE_HEIGHT > height + 0.5:
                            problems.append(f"{where}: {lines} lines at width {width} need "
                                            f"{lines * LINE_HEIGHT}, rows give {height}")
    assert not problems, "\n".join(problems[:20])


# --------------------------------------------------------------------------------------------
# Temporary rows
# --------------------------------------------------------------------------------------------


def test_a_wording_error_half_way_leaves_no_temporary_rows_behind(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    wording = templates / "公开表.toml"
    text = wording.read_text(encoding="utf-8")
    assert text.count('layout = "assets"') == 1
    wording.write_text(text.replace('layout = "assets"', 'layout = "nonsense"'), encoding="utf-8")
    model = read_workbook(write_budget(tmp_path / "in.xlsx")).model
    assert isinstance(model, BudgetWorkbook)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(WordingError):  # the last sheet: every other one was written already
        render_tables(compute_disclosure(model), compute_standard_tables(model), tmp_path / "out.xlsx", templates)
    assert list(scratch.iterdir()) == []
