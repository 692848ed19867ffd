"""The annotated copy: written by patching the package (annotated_patch), openpyxl as the fallback.

Each copy is read back with openpyxl (no warnings) and compared with its source cell by cell: the
values of every original sheet unchanged, fills and comments where the findings say, the 校验结果
sheet first, selected and linked, defined names still on their sheets; the parts that had no reason
to change are byte-for-byte the source's. Workbooks the patcher does not take apart fall back to
openpyxl and still get a full copy.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName

from generator.deliver.pdf import find_soffice
from generator.model.schema import RESULTS_SHEET
from generator.render import annotated_copy
from generator.render.annotated_copy import write_annotated_copy
from generator.render.annotated_patch import Unsupported, write_patched_copy
from generator.validate.findings import Finding, Severity

ROOT = Path(__file__).resolve().parents[1]
SEED_001 = ROOT / "inputs" / "2021-高新区科技局-部门预算.xlsx"
RED, YELLOW, BLUE = "FFC7CE", "FFEB9C", "DDEBF7"
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def finding(sheet: str, cell: str, severity: Severity = W, message: str = "有问题", fix: str = "",
            code: str = "test-code", value: str = "") -> Finding:
    return Finding(code, severity, sheet, cell, "列名", value, message, fix)


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy must come from the patcher: the openpyxl path fails the test if it is taken."""
    def refuse(*args: object) -> None:
        raise AssertionError("the openpyxl fallback was taken")
    monkeypatch.setattr(annotated_copy, "_write_with_openpyxl", refuse)


@pytest.fixture
def fallback_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records each workbook the openpyxl path copies (and still copies it)."""
    calls: list[Path] = []
    real = annotated_copy._write_with_openpyxl

    def spy(source: Path, findings: list[Finding], target: Path) -> None:
        calls.append(source)
        real(source, findings, target)
    monkeypatch.setattr(annotated_copy, "_write_with_openpyxl", spy)
    return calls


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl warns about parts it finds odd
        return openpyxl.load_workbook(path)


def _rgb(cell: object) -> str | None:
    fill = cell.fill  # type: ignore[attr-defined]
    return fill.fgColor.rgb[-6:] if fill.fill_type == "solid" else None


def _rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None],
           add: dict[str, bytes] | None = None) -> Path:
    """``source`` with each member passed through ``change`` (None drops it), plus ``add``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return target


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _values(ws: object) -> Iterator[tuple[str, object]]:
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for c in row:
            if c.value is not None:
                yield c.coordinate, c.value


def _assert_values_unchanged(source: Path, copy: Path, skip: tuple[str, ...] = ()) -> None:
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(copy)
    for ws in before.worksheets:
        if ws.title in skip:
            continue
        assert dict(_values(ws)) == dict(_values(after[ws.title])), ws.title


# ---- a workbook with every case the patcher must handle ----------------------------------------

def _workbook(path: Path) -> Path:
    """Sheets 数据 (merged cells, a styled row and column, gaps), O'Brien, 其他 (selected), an old
    校验结果 second with a sheet-local name, an empty sheet; global and sheet-local names, print titles."""
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "数据"
    for r in (1, 2, 3, 5, 6, 8):
        for c in "ABC":
            data[f"{c}{r}"] = f"{c}{r}值"
    data["A1"].font = Font(bold=True)
    data["A1"].number_format = "0.00"
    data["B2"] = 12.5
    data.merge_cells("B5:C6")
    data.row_dimensions[8].font = Font(italic=True)  # a row style: <row s=.. customFormat="1">
    data.column_dimensions["E"].font = Font(underline="single")  # a column style
    data.print_title_rows = "1:1"
    old = wb.create_sheet(RESULTS_SHEET)
    old["A1"] = "上次的校验结果"
    old.defined_names.add(DefinedName("旧名", attr_text=f"'{RESULTS_SHEET}'!$A$1"))
    quoted = wb.create_sheet("O'Brien")
    quoted["A1"] = "x"
    other = wb.create_sheet("其他")
    other["A1"] = "其他值"
    other.defined_names.add(DefinedName("本表名", attr_text="'其他'!$A$1"))
    wb.create_sheet("空白")["A1"] = "空"
    wb.defined_names["总额"] = DefinedName("总额", attr_text="'数据'!$A$1")
    wb.active = 3  # 其他 selected and active
    other.sheet_view.tabSelected = True
    data.sheet_view.tabSelected = False
    wb.save(path)
    return path


FINDINGS = [
    finding("数据", "A1", E, "金额为负数", "改为正数"),
    finding("数据", "B2", W, "疑似重复", "核对"),
    finding("数据", "B2", I, "仅供参考"),  # same cell: one comment, the worse colour
    finding("数据", "B5", I, "合并区域左上角"),
    finding("数据", "C6", E, "合并区域内部"),  # covered by B5:C6: no mark, as openpyxl's MergedCell
    finding("数据", "D2", W, "空白单元格"),  # a cell the row does not hold
    finding("数据", "A4", W, "空行"),  # a row the sheet does not hold, between rows
    finding("数据", "A20", E, "最后一行之后"),
    finding("数据", "E8", W, "行样式"),  # new cell in a styled row: the row's style, filled
    finding("数据", "E9", W, "列样式"),  # new cell in a styled column: the column's style, filled
    finding("O'Brien", "A1", W, "引号"),
    finding("不存在的表", "A1", E, "缺少工作表"),  # listed, not linked
    finding("数据", "", E, "整表问题"),  # no cell: listed only
    finding("数据", "7", W, "行号"),  # a row number: column A
]


def test_the_patched_copy_marks_cells_lists_findings_and_leaves_the_rest_alone(
        tmp_path: Path, no_fallback: None) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    before = _digest(source)
    copy = write_annotated_copy(source, FINDINGS, tmp_path / "out" / "wb.校验结果.xlsx")
    assert _digest(source) == before and copy.exists()
    assert not [p for p in copy.parent.iterdir() if p != copy]  # the temporary file moved into place
    wb = _load(copy)

    # sheet order: the new 校验结果 first (the old one replaced), the only selected tab, active
    assert wb.sheetnames == [RESULTS_SHEET, "数据", "O'Brien", "其他", "空白"]
    assert wb.active.title == RESULTS_SHEET
    assert [bool(ws.sheet_view.tabSelected) for ws in wb.worksheets] == [True, False, False, False, False]
    _assert_values_unchanged(source, copy, skip=(RESULTS_SHEET,))

    data = wb["数据"]
    assert {c: _rgb(data[c]) for c in ("A1", "B2", "B5", "C6", "D2", "A4", "A20", "E8", "E9", "A7", "C1")} == {
        "A1": RED, "B2": YELLOW, "B5": BLUE, "C6": None, "D2": YELLOW, "A4": YELLOW, "A20": RED,
        "E8": YELLOW, "E9": YELLOW, "A7": YELLOW, "C1": None}
    assert data["A1"].comment.text == "【错误】金额为负数\n→ 改为正数"
    assert data["A1"].comment.author == "budget-report"
    assert data["B2"].comment.text == "【警告】疑似重复\n→ 核对\n【提示】仅供参考"
    assert data["C6"].comment is None and data["C1"].comment is None
    assert data["A20"].comment.text == "【错误】最后一行之后"
    # the marked cells keep their own format; new cells take their row's or column's
    assert data["A1"].font.b and data["A1"].number_format == "0.00" and data["A1"].value == "A1值"
    assert data["E8"].font.i and data["E9"].font.u == "single"
    assert data["B2"].value == 12.5 and data["D2"].value is None and [r.coord for r in data.merged_cells.ranges] == ["B5:C6"]
    assert wb["O'Brien"]["A1"].comment.text == "【警告】引号"

    # names: still on their sheets (sheet-local ids shifted), the old 校验结果's gone with it
    assert wb.defined_names["总额"].attr_text == "'数据'!$A$1"
    assert wb["其他"].defined_names["本表名"].attr_text == "'其他'!$A$1"
    assert data.print_title_rows == "$1:$1"
    assert all("旧名" not in ws.defined_names for ws in wb.worksheets) and "旧名" not in wb.defined_names

    results = wb[RESULTS_SHEET]
    rows = list(results.iter_rows(values_only=True))
    assert rows[0] == ("序号", "级别", "代码", "工作表", "单元格", "列", "值", "问题", "处理建议")
    assert len(rows) == len(FINDINGS) + 1 and "上次的校验结果" not in str(rows)
    for i, (f, row) in enumerate(zip(FINDINGS, rows[1:], strict=True), start=1):
        assert row[0] == i and row[1] == f.severity.value and row[2] == f.code and row[3] == f.sheet
        assert (row[4] or "") == f.cell and row[7] == f.message and (row[8] or "") == f.fix
        assert _rgb(results.cell(i + 1, 2)) == {E: RED, W: YELLOW, I: BLUE}[f.severity]
    links = {results.cell(r, 4).value + "!" + str(results.cell(r, 5).value): results.cell(r, 5).hyperlink
             for r in range(2, results.max_row + 1)}
    assert links["数据!A1"].location == "'数据'!A1"
    assert links["O'Brien!A1"].location == "'O''Brien'!A1"
    assert links["数据!C6"].location == "'数据'!C6"  # a covered cell is still linked
    assert links["数据!7"].location == "'数据'!A7"
    assert links["不存在的表!A1"] is None and links["数据!None"] is None
    assert all(results.cell(1, c).font.b for c in range(1, 10))
    assert results.cell(2, 8).alignment.wrap_text and results.cell(2, 8).alignment.vertical == "top"
    assert results.cell(2, 5).font.u == "single"
    assert results.freeze_panes == "A2"
    assert [results.column_dimensions[c].width for c in "ABCDEFGHI"] == [6, 6, 24, 14, 8, 14, 24, 60, 50]

    # the parts with nothing to change are the source's bytes
    src, out = _members(source), _members(copy)
    untouched = [n for n in src if n.startswith(("xl/worksheets/sheet", "xl/theme", "docProps"))
                 and n not in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                               "xl/worksheets/sheet4.xml")]
    assert "xl/worksheets/sheet5.xml" in untouched  # 空白
    assert all(out[n] == src[n] for n in untouched)
    assert "xl/worksheets/sheet2.xml" not in out  # the old 校验结果's part


def test_the_openpyxl_fallback_writes_the_same_marks(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_patched_copy(source, annotated_copy._notes(FINDINGS), annotated_copy._results(FINDINGS), fast)
    annotated_copy._write_with_openpyxl(source, FINDINGS, slow)
    a, b = _load(fast), openpyxl.load_workbook(slow)
    assert a.sheetnames == b.sheetnames
    for ws in b.worksheets:
        for row in ws.iter_rows():
            for c in row:
                mine = a[ws.title][c.coordinate]
                assert _rgb(mine) == _rgb(c), (ws.title, c.coordinate)
                assert (mine.comment and mine.comment.text) == (c.comment and c.comment.text), (ws.title, c.coordinate)
                if ws.title == RESULTS_SHEET:
                    assert (mine.value if mine.value != "" else None) == (c.value if c.value != "" else None)
                    assert bool(mine.hyperlink) == bool(c.hyperlink)
    assert [bool(ws.sheet_view.tabSelected) for ws in b.worksheets] == [True, False, False, False, False]


def test_the_example_keeps_its_header_comments_and_gets_the_findings(tmp_path: Path, no_fallback: None) -> None:
    """seed-001 has comments on every sheet (XlsxWriter's): they are extended, not replaced; a
    finding on a commented cell replaces that cell's comment, as the openpyxl copy did."""
    source = tmp_path / SEED_001.name
    shutil.copy(SEED_001, source)
    before = openpyxl.load_workbook(source)
    header_comment = before["绩效指标"]["B1"].comment.text
    findings = [finding("绩效指标", "G24", W, "没有写比较方向", "写明方向"),
                finding("绩效指标", "C1", E, "表头有误"),  # a header cell with its own comment
                finding("项目", "B2", I, "看一看")]
    copy = write_annotated_copy(source, findings, tmp_path / "copy.xlsx")
    wb = _load(copy)
    _assert_values_unchanged(source, copy)
    ws = wb["绩效指标"]
    assert ws["G24"].comment.text == "【警告】没有写比较方向\n→ 写明方向" and _rgb(ws["G24"]) == YELLOW
    assert ws["C1"].comment.text == "【错误】表头有误" and _rgb(ws["C1"]) == RED
    assert ws["B1"].comment.text == header_comment  # the workbook's own comments stay
    assert _rgb(ws["B1"]) == _rgb(before["绩效指标"]["B1"])
    assert wb["项目"]["B2"].comment.text == "【提示】看一看" and _rgb(wb["项目"]["B2"]) == BLUE
    def commented(book: openpyxl.Workbook) -> set[tuple[str, str]]:
        return {(w.title, c.coordinate) for w in book.worksheets for r in w.iter_rows() for c in r if c.comment}
    assert commented(wb) == commented(before) | {("绩效指标", "G24"), ("绩效指标", "C1"), ("项目", "B2")}
    assert [c.comment.text for c in wb["项目"][1] if c.comment] == [c.comment.text for c in before["项目"][1] if c.comment]


def test_the_copy_of_a_copy_replaces_its_results_sheet(tmp_path: Path, no_fallback: None) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    first = write_annotated_copy(source, FINDINGS, tmp_path / "first.xlsx")
    second = write_annotated_copy(first, FINDINGS[:2], tmp_path / "second.xlsx")
    wb = _load(second)
    assert wb.sheetnames == [RESULTS_SHEET, "数据", "O'Brien", "其他", "空白"]
    assert wb[RESULTS_SHEET].max_row == 3
    assert wb["数据"]["A1"].comment.text == "【错误】金额为负数\n→ 改为正数"
    assert wb["其他"].defined_names["本表名"].attr_text == "'其他'!$A$1"


def test_an_openpyxl_copy_with_its_hyperlink_relationships_is_patched_too(tmp_path: Path) -> None:
    """The old copies' 校验结果 had external-style hyperlinks (relationships): dropped with the sheet."""
    source = _workbook(tmp_path / "wb.xlsx")
    old = tmp_path / "old.xlsx"
    annotated_copy._write_with_openpyxl(source, FINDINGS, old)
    copy = tmp_path / "copy.xlsx"
    write_patched_copy(old, annotated_copy._notes(FINDINGS[:3]), annotated_copy._results(FINDINGS[:3]), copy)
    wb = _load(copy)
    assert wb.sheetnames[0] == RESULTS_SHEET and wb[RESULTS_SHEET].max_row == 4
    assert wb["数据"]["B2"].comment.text == "【警告】疑似重复\n→ 核对\n【提示】仅供参考"
    assert wb["数据"]["A20"].comment.text == "【错误】最后一行之后"  # openpyxl's own comments kept
    _assert_values_unchanged(old, copy, skip=(RESULTS_SHEET,))


def _structural(name: str, data: bytes) -> bytes:
    """A self-closing row, an empty <sheetData/>, no bookViews, a calcChain: forms Excel writes."""
    if name == "xl/worksheets/sheet1.xml":
        data = re.sub(rb'(<row r="9"[^>]*)></row>', rb"\1/>", data)
    if name == "xl/worksheets/sheet5.xml":
        data = re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", data)
    if name == "xl/workbook.xml":
        data = re.sub(rb"<bookViews>.*</bookViews>", b"", data)
    if name == "xl/_rels/workbook.xml.rels":
        data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                            b'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
    if name == "[Content_Types].xml":
        data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
                            b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
    return data


def test_self_closing_rows_an_empty_sheet_and_a_calc_chain(tmp_path: Path, no_fallback: None) -> None:
    base = _workbook(tmp_path / "base.xlsx")
    wb = openpyxl.load_workbook(base)
    wb["数据"].row_dimensions[9].font = Font(italic=True)  # a styled row without cells
    wb["数据"]["A9"] = None
    wb.save(base)
    wb["空白"].delete_rows(1)
    source = _rezip(base, tmp_path / "wb.xlsx", _structural,
                    {"xl/calcChain.xml": b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                                         b'main"><c r="A1" i="1"/></calcChain>'})
    members = _members(source)
    assert re.search(rb'<row r="9"[^>]*/>', members["xl/worksheets/sheet1.xml"])
    assert b"<sheetData/>" in members["xl/worksheets/sheet5.xml"] and b"bookViews" not in members["xl/workbook.xml"]
    findings = [finding("数据", "C9", E, "自闭合行"), finding("数据", "A9", W, "同一行"), finding("空白", "B3", W, "空表")]
    copy = write_annotated_copy(source, findings, tmp_path / "copy.xlsx")
    wb = _load(copy)
    assert _rgb(wb["数据"]["C9"]) == RED and wb["数据"]["C9"].font.i  # the row's own style, filled
    assert _rgb(wb["数据"]["A9"]) == YELLOW and wb["数据"]["A9"].comment.text == "【警告】同一行"
    assert _rgb(wb["空白"]["B3"]) == YELLOW and wb["空白"]["B3"].comment.text == "【警告】空表"
    assert wb.active.title == RESULTS_SHEET
    members = _members(copy)
    assert "xl/calcChain.xml" not in members  # dropped as openpyxl does: Excel rebuilds it
    assert b"calcChain" not in members["[Content_Types].xml"] + members["xl/_rels/workbook.xml.rels"]
    _assert_values_unchanged(source, copy, skip=(RESULTS_SHEET,))


def _drop_comment_relationship(name: str, data: bytes) -> bytes:
    if name.startswith("xl/worksheets/_rels/"):
        return re.sub(rb'<Relationship [^>]*relationships/comments"[^>]*/>', b"", data)
    return data


def _threaded(name: str, data: bytes) -> bytes:
    if name.startswith("xl/worksheets/_rels/"):
        return data.replace(b"</Relationships>", b'<Relationship Id="rId77" Type="http://schemas.microsoft.com/office/'
                            b'2017/10/relationships/threadedComment" Target="../threadedComments/t1.xml"/>'
                            b"</Relationships>")
    return data


def _prefixed(name: str, data: bytes) -> bytes:
    if name == "xl/worksheets/sheet1.xml":
        data = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", data)
        data = data.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="')
    return data


def _commented(path: Path) -> Path:
    wb = openpyxl.load_workbook(_workbook(path))
    wb["数据"]["C3"].comment = Comment("已有批注", "某人")
    wb.save(path)
    return path


@pytest.mark.parametrize("change", [_drop_comment_relationship, _threaded, _prefixed],
                         ids=["legacy-drawing-without-comments", "threaded-comments", "prefixed-worksheet"])
def test_packages_the_patcher_does_not_take_apart_fall_back_to_openpyxl(
        tmp_path: Path, change: Callable[[str, bytes], bytes], fallback_calls: list[Path]) -> None:
    source = _rezip(_commented(tmp_path / "base.xlsx"), tmp_path / "wb.xlsx", change)
    findings = FINDINGS[:4]
    with pytest.raises(Unsupported):
        write_patched_copy(source, annotated_copy._notes(findings), annotated_copy._results(findings),
                           tmp_path / "never.xlsx")
    copy = write_annotated_copy(source, findings, tmp_path / "copy.xlsx")
    assert fallback_calls == [source]
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == RESULTS_SHEET and wb[RESULTS_SHEET].max_row == 5
    assert _rgb(wb["数据"]["A1"]) == RED and wb["数据"]["A1"].comment.text == "【错误】金额为负数\n→ 改为正数"
    assert wb["数据"]["A1"].value == "A1值"


def test_a_workbook_with_existing_comments_is_patched_not_fallen_back(tmp_path: Path, no_fallback: None) -> None:
    source = _commented(tmp_path / "wb.xlsx")
    copy = write_annotated_copy(source, FINDINGS, tmp_path / "copy.xlsx")
    wb = _load(copy)
    assert wb["数据"]["C3"].comment.text == "已有批注" and wb["数据"]["C3"].comment.author == "某人"
    assert wb["数据"]["A1"].comment.text == "【错误】金额为负数\n→ 改为正数"


def test_the_fast_path_does_not_import_openpyxl(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.render.annotated_copy import write_annotated_copy, _write_with_openpyxl\n"
        "from generator.validate.findings import Finding, Severity\n"
        "import generator.render.annotated_copy as ac\n"
        "def refuse(*a): raise SystemExit('fallback')\n"
        "ac._write_with_openpyxl = refuse\n"
        "f = [Finding('x', Severity.ERROR, '数据', 'A1', '', '', '错')]\n"
        f"write_annotated_copy(Path({str(source)!r}), f, Path({str(tmp_path / 'copy.xlsx')!r}))\n"
        "print('openpyxl' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_text_excel_would_decode_is_written_so_it_reads_back_as_typed(tmp_path: Path, no_fallback: None) -> None:
    """A control character becomes _x000B_; a literal “_x000B_” in a message is escaped as _x005F_."""
    source = _workbook(tmp_path / "wb.xlsx")
    f = [finding("数据", "A1", E, "含\x0b控制字符", value="文本_x000B_原样")]
    copy = write_annotated_copy(source, f, tmp_path / "copy.xlsx")
    from generator.read.cell_text import unescape_ooxml

    wb = _load(copy)
    assert unescape_ooxml(wb[RESULTS_SHEET]["G2"].value) == "文本_x000B_原样"
    assert unescape_ooxml(wb["数据"]["A1"].comment.text) == "【错误】含\x0b控制字符"


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_copy(tmp_path: Path, no_fallback: None) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    copy = write_annotated_copy(source, FINDINGS, tmp_path / "copy.xlsx")
    profile = (tmp_path / "lo-profile").as_uri()
    # pdf: it renders; csv (UTF-8, the first sheet): it read the 校验结果 sheet as written
    for fmt in ("pdf", "csv:Text - txt - csv (StarCalc):44,34,76"):
        subprocess.run([str(find_soffice()), f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(tmp_path / "lo"), str(copy)], capture_output=True, timeout=240, check=True)
    pdf = tmp_path / "lo" / "copy.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
    text = (tmp_path / "lo" / "copy.csv").read_text(encoding="utf-8")
    assert text.startswith("序号,级别,代码,工作表,单元格,列,值,问题,处理建议")
    assert "金额为负数" in text and "O'Brien" in text


def test_a_corrupt_member_after_reading_falls_back(tmp_path: Path, fallback_calls: list[Path]) -> None:
    """Not a zip the patcher can copy (a member stored with bzip2): openpyxl is asked instead."""
    source = _workbook(tmp_path / "wb.xlsx")
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(odd, "w") as dst:
        for info in src.infolist():
            method = zipfile.ZIP_BZIP2 if info.filename == "docProps/core.xml" else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info), compress_type=method)
    assert zipfile.ZipFile(odd).getinfo("docProps/core.xml").compress_type == zipfile.ZIP_BZIP2
    copy = write_annotated_copy(odd, FINDINGS[:1], tmp_path / "copy.xlsx")
    assert fallback_calls == [odd] and openpyxl.load_workbook(copy).sheetnames[0] == RESULTS_SHEET


@pytest.mark.parametrize("fast", [True, False], ids=["patched", "openpyxl"])
def test_cells_beyond_the_sheet_are_listed_but_not_marked_or_linked(tmp_path: Path, fast: bool) -> None:
    source = _workbook(tmp_path / "wb.xlsx")
    findings = [finding("数据", "A0", E, "零行"), finding("数据", "XFE1", E, "超出列"),
                finding("数据", "A1048577", E, "超出行"), finding("数据", "B1", W, "正常")]
    copy = tmp_path / "copy.xlsx"
    if fast:
        write_patched_copy(source, annotated_copy._notes(findings), annotated_copy._results(findings), copy)
    else:
        annotated_copy._write_with_openpyxl(source, findings, copy)
    wb = _load(copy)
    results = wb[RESULTS_SHEET]
    assert [results.cell(r, 8).value for r in range(2, 6)] == ["零行", "超出列", "超出行", "正常"]
    assert [results.cell(r, 5).hyperlink is not None for r in range(2, 6)] == [False, False, False, True]
    assert _rgb(wb["数据"]["B1"]) == YELLOW and wb["数据"]["B1"].comment.text == "【警告】正常"
    assert sum(1 for r in wb["数据"].iter_rows() for c in r if c.comment) == 1
