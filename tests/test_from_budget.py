"""The way into the self-evaluation: a year's budget carried over, only the results filled in,
then the report renders (DOMAIN.md §1: the targets published are the ones scored)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from docx import Document

from generator.app.cli import main
from generator.read.values import parse_indicator_value

BUDGET = Path(__file__).resolve().parent.parent / "inputs" / "2021-高新区科技局-部门预算.xlsx"


def _made_up_actual(target: str) -> str:
    """A result that meets the target: the number with its unit, the deadline month, or 达成."""
    value = parse_indicator_value(target)
    if value.kind == "quantitative" and value.number is not None:
        # "≤12月" is a duration: a result typed "12月" would read as the month of December.
        return f"{value.number}{'个月' if value.unit == '月' else value.unit}"
    if value.kind == "deadline" and value.deadline is not None:
        return f"{value.deadline.last_month()}月"
    return "达成年度指标"


def _column(ws: openpyxl.worksheet.worksheet.Worksheet, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


@pytest.mark.skipif(not BUDGET.exists(), reason="seed-001 example workbook not present")
def test_the_2021_budget_renders_a_self_evaluation_after_filling_only_the_results(tmp_path: Path) -> None:
    workbook = tmp_path / "2021绩效自评.xlsx"
    assert main(["template", "绩效自评", "--from", str(BUDGET), "-o", str(workbook)]) == 0
    wb = openpyxl.load_workbook(workbook)
    indicators = wb["绩效指标"]
    target, actual = _column(indicators, "年度指标值"), _column(indicators, "实际完成值")
    for row in range(2, indicators.max_row + 1):
        if indicators.cell(row, target).value:
            indicators.cell(row, actual).value = _made_up_actual(str(indicators.cell(row, target).value))
    projects = wb["项目"]
    budget, executed = _column(projects, "全年预算数"), _column(projects, "全年执行数")
    for row in range(2, projects.max_row + 1):
        projects.cell(row, executed).value = projects.cell(row, budget).value
    goals = wb["整体绩效目标"]
    for row in range(2, goals.max_row + 1):
        if goals.cell(row, _column(goals, "年度目标")).value:
            goals.cell(row, _column(goals, "实际完成情况")).value = "已完成年度目标。"
    funds = wb["收支情况"]
    for row in range(2, funds.max_row + 1):
        funds.cell(row, _column(funds, "全年执行数")).value = funds.cell(row, _column(funds, "全年预算数")).value
    wb.save(workbook)

    out = tmp_path / "out"
    assert main(["build", str(workbook), "-o", str(out)]) == 0
    folder = out / "2021-高新区科技局"
    report = Document(str(folder / "2021年度整体支出绩效自评报告.docx"))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "预算执行率达到100%" in text
    assert "优秀" in text
    assert (folder / "2021年度绩效自评表.xlsx").exists()
