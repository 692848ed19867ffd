"""The way into the self-evaluation: a year's budget carried over, only the results filled in,
then the report renders (DOMAIN.md §1: the targets published are the ones scored).

Also what `--from` must not do: publish a figure nobody typed. Left blank, 全年执行数 refuses
the build at 收支情况 (today's "全年支出0万元，预算执行率达到0%" was a zero nobody typed), and the
wording it pre-fills is listed as 提示 until the user changes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from generator.app.cli import main
from generator.read.values import parse_indicator_value

BUDGET = Path(__file__).resolve().parent.parent / "inputs" / "2021-高新区科技局-部门预算.xlsx"
pytestmark = pytest.mark.skipif(not BUDGET.exists(), reason="seed-001 example workbook not present")


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


def _carried(tmp_path: Path) -> Path:
    workbook = tmp_path / "2021绩效自评.xlsx"
    assert main(["template", "绩效自评", "--from", str(BUDGET), "-o", str(workbook)]) == 0
    return workbook


def _fill_results(workbook: Path, executed: bool = True) -> None:
    """What a user types at year end: results, 执行数, goals reached, problems and measures."""
    wb = openpyxl.load_workbook(workbook)
    indicators = wb["绩效指标"]
    target, actual = _column(indicators, "年度指标值"), _column(indicators, "实际完成值")
    for row in range(2, indicators.max_row + 1):
        if indicators.cell(row, target).value:
            indicators.cell(row, actual).value = _made_up_actual(str(indicators.cell(row, target).value))
    projects = wb["项目"]
    budget, done = _column(projects, "全年预算数"), _column(projects, "全年执行数")
    for row in range(2, projects.max_row + 1):
        projects.cell(row, done).value = projects.cell(row, budget).value
    goals = wb["整体绩效目标"]
    for row in range(2, goals.max_row + 1):
        if goals.cell(row, _column(goals, "年度目标")).value:
            goals.cell(row, _column(goals, "实际完成情况")).value = "已完成年度目标。"
    if executed:
        funds = wb["收支情况"]
        for row in range(2, funds.max_row + 1):
            funds.cell(row, _column(funds, "全年执行数")).value = funds.cell(row, _column(funds, "全年预算数")).value
    problems = wb["问题与改进"]
    problems.append(["存在问题", "个别项目预算执行进度偏慢。"])
    problems.append(["改进措施", "加强预算执行进度管理。"])
    wb.save(workbook)


def _findings(workbook: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    capsys.readouterr()
    main(["check", str(workbook), "--json", "-o", str(out)])
    return json.loads(capsys.readouterr().out)[0]["findings"]  # type: ignore[no-any-return]


def test_the_2021_budget_renders_a_self_evaluation_after_filling_only_the_results(tmp_path: Path) -> None:
    workbook = _carried(tmp_path)
    _fill_results(workbook)
    out = tmp_path / "out"
    assert main(["build", str(workbook), "-o", str(out)]) == 0
    (folder,) = out.glob("2021-高新区科技局*")  # <年度>-<部门>[-<单位编码>]
    report = Document(str(folder / "2021年度整体支出绩效自评报告.docx"))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "预算执行率达到100%" in text
    assert "优秀" in text
    assert (folder / "2021年度绩效自评表.xlsx").exists()


def test_a_blank_execution_is_refused_at_the_funds_sheet_not_published_as_zero(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _carried(tmp_path)
    _fill_results(workbook, executed=False)
    found = _findings(workbook, tmp_path / "o", capsys)
    errors = [(f["code"], f["sheet"], f["cell"], f["header"]) for f in found if f["severity"] == "错误"]
    # Both carried sources (当年财政拨款, 上年结转资金) have a budget and no execution.
    assert errors == [("funds-missing", "收支情况", "D2", "全年执行数"),
                      ("funds-missing", "收支情况", "D3", "全年执行数")]
    assert main(["build", str(workbook), "-o", str(tmp_path / "out")]) == 1
    assert not list((tmp_path / "out").glob("2021-高新区科技局*"))


def test_prefilled_wording_is_marked_and_listed_as_hints_until_changed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _carried(tmp_path)
    sheet = openpyxl.load_workbook(workbook)["自评组织"]
    marked = {sheet.cell(r, 1).value: sheet.cell(r, 2).comment for r in range(2, sheet.max_row + 1)}
    assert all(c is not None and "预填内容" in c.text for c in marked.values())
    _fill_results(workbook)
    hints = [(f["code"], f["header"]) for f in _findings(workbook, tmp_path / "o", capsys)
             if f["severity"] == "提示"]
    assert hints == [("prefilled-default", "依据文件"), ("prefilled-default", "领导小组"),
                     ("prefilled-default", "方法过程")]
    wb = openpyxl.load_workbook(workbook)
    wb["自评组织"]["B2"] = "《某某区预算绩效管理办法》"
    wb.save(workbook)
    left = [f["header"] for f in _findings(workbook, tmp_path / "o2", capsys) if f["severity"] == "提示"]
    assert left == ["领导小组", "方法过程"]
