"""Nothing silently altered at the cell: what a cell may carry that nobody sees, dates where text
is expected, content in hidden places, formulas, and the names of files and folders."""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from generator.app.pipeline import safe_folder_name
from generator.read import cell_text as T
from generator.read import workbook_io as W
from generator.read.reader import read_workbook
from tests.factories import budget_data, write_budget


def test_the_format_character_class_is_unicode_category_cf() -> None:
    """Every Cf character of this Python's Unicode table, and nothing else that is assigned in it
    (the class follows Unicode 15; an older table does not know U+13439–1343F yet). If this fails
    on a newer Python, its table added Cf characters: extend FORMAT_CHARS."""
    expected = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    found = {chr(c) for c in range(sys.maxunicode + 1) if T.FORMAT_CHARS.fullmatch(chr(c))}
    assert expected <= found
    assert all(unicodedata.category(ch) == "Cn" for ch in found - expected)


def test_noncharacters_are_the_66_of_unicode_and_the_surrogates() -> None:
    found = [c for c in range(sys.maxunicode + 1) if T.NONCHARACTERS.fullmatch(chr(c))]
    surrogates = [c for c in found if 0xD800 <= c <= 0xDFFF]
    assert len(surrogates) == 2048 and len(found) - 2048 == 66
    assert all((c & 0xFFFE) == 0xFFFE or 0xFDD0 <= c <= 0xFDEF for c in found if c not in surrogates)


def test_escapes_are_decoded_and_an_escaped_underscore_stays_literal() -> None:
    assert T.unescape_ooxml("a_x000B_b") == "a\x0bb"
    assert T.unescape_ooxml("_x005F_x000B_") == "_x000B_"
    assert T.remove_noncharacters(T.unescape_ooxml("对_xD800_企_xFFFF_业")) == ("对企业", ["U+D800", "U+FFFF"])


def test_bidi_controls_are_named_first_among_the_removed_format_characters() -> None:
    clean, removed = T.remove_format_chars("测试\u200b科技\u202e局\u00ad")
    assert clean == "测试科技局" and removed[0] == "U+202E" and set(removed) == {"U+202E", "U+200B", "U+00AD"}


@pytest.mark.parametrize(("value", "text"), [
    (dt.datetime(2021, 3, 5), "2021年3月5日"),
    (dt.datetime(2021, 3, 5, 8, 30), "2021年3月5日 8:30"),
    (dt.date(2021, 12, 31), "2021年12月31日"),
    (dt.time(14, 5, 9), "14:05:09"),
    (dt.timedelta(hours=36), "36:00"),
])
def test_dates_and_times_read_as_chinese_text(value: object, text: str) -> None:
    assert T.date_text(value) == text  # type: ignore[arg-type]


def test_file_and_folder_names_lose_invisible_and_unsafe_characters() -> None:
    assert safe_folder_name("2021-测试局\u202excod.exe") == "2021-测试局xcod.exe"
    assert safe_folder_name("2021-\u200e科技局\u2066") == "2021-科技局"
    assert safe_folder_name("../..\\局:*?") not in ("", "..")
    assert "\x7f" not in safe_folder_name("a\x7fb")


def _edit(path: Path, sheet: str, header: str, value: object, row: int = 2) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row, col).value = value
    wb.save(path)


def test_a_date_in_a_number_column_is_an_error_that_shows_the_date_as_typed(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "项目", "财政资金", dt.datetime(2021, 3, 5))
    found = [f for f in read_workbook(path).findings if f.sheet == "项目" and f.header == "财政资金"]
    assert found and found[0].is_error and "2021年3月5日" in found[0].message
    assert "00:00:00" not in found[0].message


def test_hidden_places_are_reported_once_each_not_once_per_cell(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"].sheet_state = "hidden"
    ws = wb["项目"]
    ws.column_dimensions["B"].hidden = True  # 项目名称, on every project row
    wb.save(path)
    findings = read_workbook(path).findings
    hidden_sheet = [f for f in findings if f.code == "hidden-sheet"]
    hidden_column = [f for f in findings if f.code == "hidden-column"]
    assert [(f.sheet, f.severity.value) for f in hidden_sheet] == [("绩效指标", "警告")]
    assert [(f.sheet, f.cell) for f in hidden_column] == [("项目", "B2")]
    assert "第 B 列" in hidden_column[0].message


def _rewrite_part(path: Path, part: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_zero_height_row_is_hidden_too(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path) as zf:
        parts = W._workbook_parts(zf).sheets
    part = next(p.path for p in parts if p.sheet_name == "绩效指标")
    _rewrite_part(path, part, b'<row r="3" ', b'<row r="3" ht="0" customHeight="1" ')
    assert any(f.code == "hidden-row" and f.sheet == "绩效指标" for f in read_workbook(path).findings)


def _formula_workbook(path: Path, value: object) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ws.write_string(0, 0, "名称")
    ws.write_formula(1, 0, '=IF(1=1,"","x")', None, value)
    wb.close()
    return path


def test_a_formula_whose_cached_result_is_empty_text_is_a_blank_not_a_missing_cache(tmp_path: Path) -> None:
    path = _formula_workbook(tmp_path / "f.xlsx", "")
    # As Excel saves =IF(…,"",…): a text result, empty (XlsxWriter leaves out the t="str").
    _rewrite_part(path, "xl/worksheets/sheet1.xml", b'<c r="A2">', b'<c r="A2" t="str">')
    assert W.scan_layout(path)["表"].formulas_without_cache == set()


def test_a_formula_without_any_cached_result_is_noticed(tmp_path: Path) -> None:
    path = _formula_workbook(tmp_path / "f.xlsx", 0)
    _rewrite_part(path, "xl/worksheets/sheet1.xml", b"</f><v>0</v>", b"</f>")  # as a script writes it
    assert W.scan_layout(path)["表"].formulas_without_cache == {(2, 1)}


def test_rows_are_as_long_as_their_content_and_blank_rows_at_the_end_are_dropped(tmp_path: Path) -> None:
    data = budget_data()
    path = write_budget(tmp_path / "b.xlsx", data)
    wb = openpyxl.load_workbook(path)
    wb["其他说明"].cell(500, 1).value = " "  # whitespace far down: not content worth 500 rows
    wb.save(path)
    grids = W.open_workbook(path)
    assert grids["其他说明"].max_row < 500
    assert all(len(row) <= len(grids["项目"].rows[0]) for row in grids["项目"].rows)
