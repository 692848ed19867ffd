"""The reader: tolerant of what people type, strict about what cannot be guessed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.model import BudgetWorkbook
from generator.read.reader import read_workbook
from generator.read.workbook_io import UnreadableWorkbook
from generator.validate import validate
from tests.factories import budget_data, write_budget


def _read(path: Path) -> tuple[BudgetWorkbook, list]:
    result = read_workbook(path)
    assert isinstance(result.model, BudgetWorkbook)
    return result.model, validate(result)


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _cell_of(path: Path, sheet: str, header: str, row: int = 2) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    for c in ws[1]:
        if c.value == header:
            return f"{c.column_letter}{row}"
    raise KeyError(header)


def test_the_factory_workbook_validates_clean(tmp_path: Path) -> None:
    model, found = _read(write_budget(tmp_path / "b.xlsx"))
    assert [f for f in found if f.is_error] == []
    assert model.projects[0].budget == Decimal("60")
    assert len(model.projects[0].indicators) == 3


@pytest.mark.parametrize("typed, expected", [
    ("60", Decimal("60")), ("60.00", Decimal("60")), ("60万元", Decimal("60")), ("６０", Decimal("60")),
    (" 60 ", Decimal("60")), ("60.0000", Decimal("60")),
])
def test_money_typed_as_text_reads_as_decimal(tmp_path: Path, typed: str, expected: Decimal) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "项目", _cell_of(path, "项目", "财政资金"), typed)
    model, found = _read(path)
    assert model.projects[0].fiscal == expected
    assert not [f for f in found if f.code == "bad-number"]


def test_float_cells_become_exact_decimals_without_binary_noise(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "项目", _cell_of(path, "项目", "财政资金"), 274.66)
    model, _ = _read(path)
    # Decimal(274.66) would be 274.66000000000002501…; the reader goes through str().
    assert model.projects[0].fiscal == Decimal("274.66")


@pytest.mark.parametrize("typed", [0.5, 50, "50%", "50", "５０％"])
def test_percentages_as_fraction_number_or_text_all_mean_half(tmp_path: Path, typed: object) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "项目", _cell_of(path, "项目", "6月底"), typed)
    model, _ = _read(path)
    assert model.projects[0].plan["6月底"] == Decimal("0.5")


def test_stray_spaces_and_line_breaks_in_names_are_cleaned(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "项目", _cell_of(path, "项目", "项目名称"), "  科技保险\n保费补贴 ")
    _edit(path, "绩效指标", _cell_of(path, "绩效指标", "项目名称"), "科技保险保费补贴\u3000")
    model, found = _read(path)
    assert model.projects[0].name == "科技保险保费补贴"
    assert not [f for f in found if f.code == "unknown-project"]


def test_columns_are_found_by_header_not_position(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["项目"]
    ws.insert_cols(1)  # every column moves one to the right
    ws["A1"] = "我的备注"
    ws["A2"] = "随便写点什么"
    wb.save(path)
    model, found = _read(path)
    assert model.projects[0].fiscal == Decimal("60")
    assert not [f for f in found if f.is_error]


def test_blank_rows_between_blocks_are_skipped(tmp_path: Path) -> None:
    data = budget_data()
    inds = data.tables["绩效指标"]
    data.tables["绩效指标"] = [inds[0], {}, {}, inds[1], {}, inds[2]]
    model, found = _read(write_budget(tmp_path / "b.xlsx", data))
    assert len(model.projects[0].indicators) == 3
    assert not [f for f in found if f.is_error]


def test_merged_level1_cells_apply_to_every_row_they_span(tmp_path: Path) -> None:
    data = budget_data()
    extra = dict(data.tables["绩效指标"][0], level2="质量指标", level3="保单金额", description="金额",
                 target="≥2亿元")
    data.tables["绩效指标"].insert(1, extra)
    path = write_budget(tmp_path / "b.xlsx", data)
    wb = openpyxl.load_workbook(path)
    ws = wb["绩效指标"]
    col = _cell_of(path, "绩效指标", "一级指标")[0]
    ws[f"{col}3"] = None
    ws.merge_cells(f"{col}2:{col}3")
    wb.save(path)
    model, found = _read(path)
    assert [i.level1 for i in model.projects[0].indicators][:2] == ["产出指标", "产出指标"]
    assert not [f for f in found if f.is_error]


def test_a_hand_typed_totals_row_is_ignored_with_a_warning(tmp_path: Path) -> None:
    data = budget_data()
    data.tables["项目"].append({"name": "合计", "fiscal": Decimal("60"), "purpose": "", "goals": ""})
    model, found = _read(write_budget(tmp_path / "b.xlsx", data))
    assert len(model.projects) == 1
    assert any(f.code == "totals-row-ignored" for f in found)


def test_hidden_rows_with_data_are_counted_and_reported(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["绩效指标"].row_dimensions[3].hidden = True
    wb.save(path)
    model, found = _read(path)
    assert len(model.projects[0].indicators) == 3
    assert any(f.code == "hidden-row" and f.sheet == "绩效指标" for f in found)


def test_a_missing_column_is_an_error_naming_sheet_and_header(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    _edit(path, "绩效指标", _cell_of(path, "绩效指标", "指标值", row=1), "目标")
    _, found = _read(path)
    hit = [f for f in found if f.code == "missing-column"]
    assert hit and hit[0].sheet == "绩效指标" and hit[0].header == "指标值"


def test_a_missing_sheet_is_an_error(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb["绩效指标"]
    wb.save(path)
    _, found = _read(path)
    assert any(f.code == "missing-sheet" and f.sheet == "绩效指标" for f in found)


def test_an_excel_error_value_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    cell = _cell_of(path, "项目", "财政资金")
    _edit(path, "项目", cell, "#DIV/0!")
    _, found = _read(path)
    assert any(f.code == "excel-error" and f.cell == cell for f in found)


def test_a_formula_without_cached_value_asks_to_save_in_excel(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    cell = _cell_of(path, "项目", "财政资金")
    _edit(path, "项目", cell, "=30+30")  # openpyxl writes no cached value
    _, found = _read(path)
    hit = [f for f in found if f.code == "formula-no-cache"]
    assert hit and hit[0].cell == cell and "保存" in hit[0].fix


def test_money_in_yuan_is_refused_rather_than_silently_scaled(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    cell = _cell_of(path, "项目", "财政资金")
    _edit(path, "项目", cell, "600000元")
    _, found = _read(path)
    assert any(f.code == "bad-number" and f.cell == cell for f in found)


@pytest.mark.parametrize("content, name, fragment", [
    (b"just text", "x.xlsx", "不是有效的 .xlsx"),
    (b"", "x.xlsx", "空文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xlsx", "密码"),
    (b"\xd0\xcf\x11\xe0", "x.xls", "另存为"),
])
def test_unreadable_files_raise_a_chinese_message(tmp_path: Path, content: bytes, name: str,
                                                  fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableWorkbook) as exc:
        read_workbook(path)
    assert fragment in str(exc.value)


def test_a_truncated_workbook_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableWorkbook):
        read_workbook(path)
