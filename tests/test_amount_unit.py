"""金额单位: amounts are read in the workbook's unit, and a unit slip is caught at its cells."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from generator.app.pipeline import check_one
from generator.model import BudgetWorkbook
from generator.read.amounts import parse_amount
from generator.read.reader import read_workbook
from generator.read.values import ValueParseError
from generator.render.workbook_template import WorkbookData
from tests.factories import budget_data, self_eval_data, write_budget, write_self_eval


def _times(data: WorkbookData, factor: D) -> WorkbookData:
    """Every amount of ``data`` multiplied by ``factor`` (a budget typed in another unit)."""
    money_keys = {"current", "previous", "personnel", "public", "project", "amount", "fiscal", "other",
                  "price", "value", "budget", "executed", "initial", "asset_purchase", "project_budget"}
    for rows in [*data.tables.values(), *([f] for f in data.forms.values())]:
        for row in rows:
            for key, value in row.items():
                if key in money_keys and isinstance(value, D):
                    row[key] = value * factor
    return data


def _unit_findings(path: Path, out: Path) -> list[tuple[str, str, str]]:
    found = check_one(path, out, annotate=False).outcome.findings
    return [(f.sheet, f.cell, f.message) for f in found if f.code == "amount-unit-suspect"]


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("42.40", "万元", D("42.40")),
    ("42.40万元", "万元", D("42.40")),
    ("42.40万", "万元", D("42.40")),
    ("6429768.84元", "元", D("6429768.84")),
    ("6,429,768.84", "元", D("6429768.84")),
    ("", "元", None),
])
def test_amounts_are_read_in_the_workbooks_unit(raw: str, unit: str, expected: D | None) -> None:
    assert parse_amount(raw, unit) == expected


@pytest.mark.parametrize(("raw", "unit"), [("6429768.84元", "万元"), ("42.4万元", "元"), ("3亿元", "万元")])
def test_an_amount_typed_with_the_other_unit_is_refused_naming_the_workbooks_unit(raw: str, unit: str) -> None:
    with pytest.raises(ValueParseError, match=f"本工作簿的金额单位为{unit}"):
        parse_amount(raw, unit)


def test_a_budget_typed_in_yuan_under_wanyuan_is_reported_at_its_cells(tmp_path: Path) -> None:
    """Issue 9: 6429768.84 typed in 元 would have been published as "6429768.84万元"."""
    data = budget_data()
    data.tables["项目"][0]["fiscal"] = D("6429768.84")
    path = write_budget(tmp_path / "b.xlsx", data)
    found = _unit_findings(path, tmp_path)
    assert found, "a 100亿元 project in a 万元 workbook must be questioned"
    sheet, cell, message = found[0]
    assert (sheet, cell) == ("项目", "D2")
    assert "疑似按“元”填写" in message and "6429768.84 万元" in message


def test_the_whole_budget_typed_in_yuan_is_refused(tmp_path: Path) -> None:
    path = write_budget(tmp_path / "b.xlsx", _times(budget_data(), D(10_000_000)))
    outcome = check_one(path, tmp_path, annotate=False).outcome
    assert outcome.errors and any(f.code == "amount-unit-suspect" for f in outcome.findings)


def test_a_yuan_workbook_in_yuan_passes_and_is_read_in_yuan(tmp_path: Path) -> None:
    data = _times(budget_data(), D(10_000))
    data.forms["基本信息"]["amount_unit"] = "元"
    path = write_budget(tmp_path / "b.xlsx", data)
    assert _unit_findings(path, tmp_path) == []
    model = read_workbook(path).model
    assert isinstance(model, BudgetWorkbook) and model.info.amount_unit == "元"
    assert model.income["一般公共预算拨款"].current == D(1_000_000)


def test_a_yuan_workbook_with_wanyuan_decimals_is_reported(tmp_path: Path) -> None:
    data = budget_data()
    data.forms["基本信息"]["amount_unit"] = "元"
    data.tables["项目"][0]["fiscal"] = D("42.4523")  # 万元 precision: 元 stops at 分
    path = write_budget(tmp_path / "b.xlsx", data)
    found = _unit_findings(path, tmp_path)
    assert found and "疑似按“万元”填写" in found[0][2]


def test_a_yuan_workbook_whose_whole_budget_is_under_ten_thousand_is_reported(tmp_path: Path) -> None:
    data = budget_data()
    data.forms["基本信息"]["amount_unit"] = "元"
    path = write_budget(tmp_path / "b.xlsx", data)  # amounts of 100, 60 …: 万元 figures under 元
    found = _unit_findings(path, tmp_path)
    assert found and "不足 1 万元" in found[0][2]


def test_a_self_evaluation_typed_in_yuan_under_wanyuan_is_reported(tmp_path: Path) -> None:
    data = _times(self_eval_data(), D(10_000_000))
    path = write_self_eval(tmp_path / "s.xlsx", data)
    found = _unit_findings(path, tmp_path)
    assert found and all("疑似按“元”填写" in message for _, _, message in found)


def test_a_total_stated_in_wanyuan_is_compared_in_wanyuan_in_a_yuan_workbook(tmp_path: Path) -> None:
    data = _times(budget_data(), D(10_000))
    data.forms["基本信息"]["amount_unit"] = "元"
    model = read_workbook(write_budget(tmp_path / "probe.xlsx", data)).model
    assert isinstance(model, BudgetWorkbook)
    wan = model.projects[0].budget / 10_000  # the project's budget, as the sentence states it
    for stated, reported in ((wan, False), (wan + 1, True)):
        data.tables["项目"][0]["purpose"] = f"对科技型企业投保给予保费支持，共计{stated:f}万元。"
        path = write_budget(tmp_path / f"b{stated}.xlsx", data)
        found = [f for f in check_one(path, tmp_path, annotate=False).outcome.findings
                 if f.code == "stated-amount-mismatch"]
        assert bool(found) is reported, found
