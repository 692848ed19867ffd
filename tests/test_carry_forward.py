"""`template 部门预算 --from LAST_YEAR.xlsx`: last year's 本年 figures become this year's 上年, typed once.

Round trip over the 2021 example budget: carried into a 2022 workbook, written, read back. Every
上年 cell the schema declares equals last year's 本年 cell; every 本年 cell is blank, not zero.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from generator.app.cli import main
from generator.compute.carry_forward import budget_from_last_year
from generator.model import BudgetWorkbook
from generator.model.schema import BUDGET_SHEETS, INSTRUCTIONS_SHEET, FormSheet, TableSheet, WorkbookKind
from generator.read.reader import read_workbook
from generator.render.wording import Wording
from generator.render.workbook_template import WORDING, write_workbook
from generator.resources import templates_dir
from generator.validate import validate

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
LAST_YEAR = INPUTS / "2021-高新区科技局-部门预算.xlsx"
QUARTERLY = INPUTS / "2021-唐山高新区科技局-部门预算.xlsx"

pytestmark = pytest.mark.skipif(not LAST_YEAR.exists(), reason="seed-001 example workbook not present")


def _read(path: Path) -> BudgetWorkbook:
    model = read_workbook(path).model
    assert isinstance(model, BudgetWorkbook)
    return model


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("carry") / "2022部门预算.xlsx"
    write_workbook(WorkbookKind.BUDGET, out, budget_from_last_year(_read(LAST_YEAR)))
    return out


def _header_columns(ws: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def _by_label(ws: Worksheet, sheet: TableSheet | FormSheet) -> dict[str, dict[str, Any]]:
    """Row label -> {column key: cell value}, for the columns of ``sheet`` (tables) or the
    label/value pairs (forms, keyed by the form's own field keys under label "")."""
    if isinstance(sheet, FormSheet):
        headers = {f.header: f.key for f in sheet.fields}
        return {"": {headers[str(r[0])]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)
                     if r[0] in headers}}
    columns = _header_columns(ws)
    keys = {c.key: columns[c.header] for c in sheet.columns if c.header in columns}
    label_key = "item" if "item" in keys else sheet.columns[0].key
    rows: dict[str, dict[str, Any]] = {}
    for r in range(2, ws.max_row + 1):
        label = ws.cell(r, keys[label_key]).value
        if label:
            rows[str(label)] = {k: ws.cell(r, c).value for k, c in keys.items()}
    return rows


def _sheets_with_last_year_columns() -> list[TableSheet | FormSheet]:
    return [s for s in BUDGET_SHEETS
            if any(c.key == "previous" for c in (s.fields if isinstance(s, FormSheet) else s.columns))]


def test_every_last_year_cell_is_last_years_this_year_cell_and_this_year_is_blank(carried: Path) -> None:
    # Driven by the schema: a sheet that gains a 上年 column is covered without touching this test.
    sheets = _sheets_with_last_year_columns()
    assert {s.name for s in sheets} >= {"收支预算", "机关运行经费", "三公经费"}
    last, new = openpyxl.load_workbook(LAST_YEAR, data_only=True), openpyxl.load_workbook(carried)
    compared = 0
    for sheet in sheets:
        before, after = _by_label(last[sheet.name], sheet), _by_label(new[sheet.name], sheet)
        assert before.keys() == after.keys(), sheet.name
        for label, old in before.items():
            current = old.get("current")
            expected = None if current in (None, "") else Decimal(str(current))
            got = after[label]["previous"]
            assert (None if got is None else Decimal(str(got))) == expected, (sheet.name, label)
            assert after[label].get("current") is None, (sheet.name, label)  # blank, not 0
            compared += 1
    assert compared >= 15


def test_reading_the_new_workbook_gives_last_years_figures_as_last_year(carried: Path) -> None:
    last, new = _read(LAST_YEAR), _read(carried)
    assert new.info.year == last.info.year + 1 == 2022
    for label, amounts in last.income.items():
        assert new.income[label].previous == amounts.current, label
    for label, amounts in last.spending.items():
        assert new.spending[label].previous == amounts.current, label
    for label, amounts in last.three_public.items():
        assert new.three_public[label].previous == amounts.current, label
    assert new.operating.previous == last.operating.current
    assert sum(a.previous or 0 for a in new.income.values()) == sum(a.current or 0 for a in last.income.values()) > 0


def test_what_rarely_changes_is_copied_as_it_stands(carried: Path) -> None:
    last, new = _read(LAST_YEAR), _read(carried)
    for key in ("dept_name", "org_full_name", "dept_code", "unit_code", "unit_name", "style", "region",
                "duty_basis", "sub_units", "contact_email"):
        assert getattr(new.info, key) == getattr(last.info, key), key
    assert new.duties == last.duties and len(new.duties) > 3
    assert new.institutions == last.institutions
    assert new.terms == last.terms
    for key in ("carryover_note", "basic_change_reason", "project_change_reason", "main_projects"):
        assert getattr(new.info, key) == "", key  # this year's reasons are this year's
    assert not new.functions and not new.economics and not new.purchases


def test_goals_and_projects_are_carried_for_review(carried: Path) -> None:
    last, new = _read(LAST_YEAR), _read(carried)
    assert [(g.type, g.name, g.goal) for g in new.goals] == [(g.type, g.name, g.goal) for g in last.goals]
    assert [(p.code, p.name, p.purpose, p.goals, p.area) for p in new.projects] == \
        [(p.code, p.name, p.purpose, p.goals, p.area) for p in last.projects]
    assert [[(i.level1, i.level2, i.level3, i.description, i.target.raw, i.basis) for i in p.indicators]
            for p in new.projects] == \
        [[(i.level1, i.level2, i.level3, i.description, i.target.raw, i.basis) for i in p.indicators]
         for p in last.projects]
    book = openpyxl.load_workbook(carried)
    projects = book["项目"]
    columns = _header_columns(projects)
    for row in range(2, len(last.projects) + 2):
        assert projects.cell(row, columns["项目名称"]).comment.text == Wording.load(templates_dir(), WORDING)("carry_forward.project")
        for header in ("预算数", "财政资金", "其他资金", "3月底", "6月底", "10月底", "12月底"):
            assert projects.cell(row, columns[header]).value is None, header
    goals = book["整体绩效目标"]
    assert all(goals.cell(r, _header_columns(goals)["绩效目标"]).comment is not None
               for r in range(2, len(last.goals) + 2))
    notes = "\n".join(str(r[1]) for r in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if r[1])
    assert "2021-高新区科技局-部门预算.xlsx" in notes and f"上年的 {len(last.projects)} 个项目" in notes


def test_check_asks_for_every_carried_projects_amount(carried: Path) -> None:
    result = read_workbook(carried)
    missing = [f for f in validate(result) if f.code == "required" and f.sheet == "项目"]
    assert len(missing) == len(_read(LAST_YEAR).projects)
    assert {f.header for f in missing} == {"财政资金"}


def test_filled_with_this_years_amounts_the_new_workbook_validates_clean(carried: Path, tmp_path: Path) -> None:
    """What the user adds to a carried workbook (本年 amounts, project money and plans, 分类 lines)
    is all it needs: no other error is left by the carrying itself."""
    last = openpyxl.load_workbook(LAST_YEAR, data_only=True)
    book = openpyxl.load_workbook(carried)
    for name in ("收支预算", "三公经费"):
        sheet = next(s for s in BUDGET_SHEETS if s.name == name)
        assert isinstance(sheet, TableSheet)
        before, ws = _by_label(last[name], sheet), book[name]
        columns, label_col = _header_columns(ws), _header_columns(ws)["项目"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, columns["本年预算数"]).value = before[ws.cell(r, label_col).value]["current"]
    form = book["机关运行经费"]
    last_form = {r[0]: r[1] for r in last["机关运行经费"].iter_rows(min_row=2, values_only=True)}
    for r in range(2, form.max_row + 1):
        if form.cell(r, 1).value == "本年预算数":
            form.cell(r, 2).value = last_form["本年预算数"]
    for name in ("功能分类支出", "经济分类支出"):  # this year's lines, typed anew
        for row in last[name].iter_rows(min_row=2, values_only=True):
            book[name].append(row)
    for target, source in zip(book["国有资产"].iter_rows(min_row=2), last["国有资产"].iter_rows(min_row=2),
                              strict=True):  # this year's assets, typed anew
        for cell, value in zip(target, source, strict=False):
            cell.value = value.value
    old, new = last["项目"], book["项目"]
    old_cols, new_cols = _header_columns(old), _header_columns(new)
    for r in range(2, old.max_row + 1):
        for header in ("预算数", "财政资金", "其他资金", "3月底", "6月底", "10月底", "12月底"):
            new.cell(r, new_cols[header]).value = old.cell(r, old_cols[header]).value
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    last_errors = {(f.code, f.sheet, f.cell) for f in validate(read_workbook(LAST_YEAR)) if f.is_error}
    errors = [f for f in validate(read_workbook(filled)) if f.is_error]
    assert not last_errors and not errors, [f.message for f in errors]


def test_the_cli_carries_a_budget_and_keeps_a_quarterly_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "2022.xlsx"
    assert main(["template", "部门预算", "--from", str(QUARTERLY), "-o", str(out)]) == 0
    assert "个延续项目" in capsys.readouterr().out
    new = _read(out)
    assert new.plan_labels == ("第一季度", "第二季度", "第三季度", "第四季度")
    assert new.info.year == _read(QUARTERLY).info.year + 1


def test_the_cli_refuses_a_self_evaluation_as_last_years_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    self_eval = INPUTS / "2024-科学技术局-绩效自评.xlsx"
    out = tmp_path / "x.xlsx"
    assert main(["template", "部门预算", "--from", str(self_eval), "-o", str(out)]) == 1
    assert "不是部门预算工作簿" in capsys.readouterr().err
    assert not out.exists()
