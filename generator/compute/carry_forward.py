"""``template 部门预算 --from LAST_YEAR.xlsx``: this year's budget workbook started from last year's.

Every 上年 figure the disclosure compares with (收支预算, 机关运行经费, "三公"经费) is last year's
本年 figure, already typed and checked in last year's workbook: typing it again is where
"比上年增长" sentences go wrong. So they are copied, and this year's columns are left blank
(not zero) for the user.

What rarely changes is copied as it stands (部门职责, 机构设置, 名词解释, the 基本信息 that
identify the department). What may continue is offered as a starting point and marked for
review, with a cell comment and a line in 填表说明: the 整体绩效目标 and 工作保障措施, and last year's projects with
their 资金用途, 绩效目标 and 绩效指标. A carried project has no amount: 财政资金 is required, so
`check` reports every project the user has not yet decided on (fill in this year's amount, or
delete the row). Year-specific content (功能/经济分类 lines, 政府采购, 国有资产, change reasons,
其他说明) is not carried.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.model import Amounts, BudgetWorkbook
from generator.model.schema import INCOME_ROWS, SPENDING_ROWS, THREE_PUBLIC_ROWS
from generator.render.workbook_template import Noted, WorkbookData

GOAL_NOTE = "上年的整体绩效目标，作为起点带入：请按本年工作修改"
MEASURE_NOTE = "上年的工作保障措施，作为起点带入：请按本年工作修改"
PROJECT_NOTE = ("上年项目，作为延续项目带入：继续安排的，请填写本年财政资金、其他资金和资金支出计划，"
                "并核对资金用途、绩效目标和绩效指标；不再安排的，请删除该行及其绩效指标")


def _last(amounts: Amounts | None) -> Decimal | None:
    """Last year's 本年 figure; a blank stays blank (never printed as a 0 to compare with)."""
    return None if amounts is None else amounts.current


def budget_from_last_year(last: BudgetWorkbook) -> WorkbookData:
    """This year's 部门预算 workbook content from last year's (see the module docstring)."""
    info = last.info
    quarterly = bool(last.plan_labels) and last.plan_labels[0] == "第一季度"
    data = WorkbookData(plan="quarter" if quarterly else "month")
    default_unit_name = info.org_full_name + "本级"  # what the reader fills in for a blank
    data.forms["基本信息"] = {
        "dept_name": info.dept_name, "org_full_name": info.org_full_name,
        "dept_code": info.dept_code, "unit_code": info.unit_code,
        "unit_name": info.unit_name if info.unit_name != default_unit_name else None,
        "year": info.year + 1 if info.year else None, "style": info.style, "region": info.region,
        "amount_unit": info.amount_unit, "unit_nature": info.unit_nature or None,
        # Last year's purchases, already typed item by item: this year's 上年政府采购预算.
        "purchase_previous": sum((row.amount for row in last.purchases), Decimal(0)) if last.purchases else None,
        "duty_basis": info.duty_basis, "sub_units": info.sub_units,
        "contact_email": info.contact_email,
    }
    data.tables["收支预算"] = [
        {"item": label, "previous": _last((last.income if label in INCOME_ROWS else last.spending).get(label))}
        for label in INCOME_ROWS + SPENDING_ROWS]
    data.forms["机关运行经费"] = {"previous": _last(last.operating)}
    data.tables["三公经费"] = [{"item": label, "previous": _last(last.three_public.get(label))}
                              for label in THREE_PUBLIC_ROWS]
    data.tables["部门职责"] = [{"no": i, "text": text} for i, text in enumerate(last.duties, start=1)]
    data.tables["机构设置"] = [{"name": u.name, "nature": u.nature, "rank": u.rank, "funding": u.funding}
                              for u in last.institutions]
    if last.terms:  # none: the template's standard terms are the better start
        data.tables["名词解释"] = [{"no": i, "term": t.term, "text": t.text}
                                  for i, t in enumerate(last.terms, start=1)]
    data.tables["整体绩效目标"] = [
        {"type": g.type, "name": g.name, "goal": Noted(g.goal, GOAL_NOTE), "indicators": g.indicators}
        for g in last.goals]
    data.tables["工作保障措施"] = [{"no": i, "text": Noted(text, MEASURE_NOTE)}
                                for i, text in enumerate(last.measures, start=1)]
    data.tables["项目"] = [
        {"code": p.code, "name": Noted(p.name, PROJECT_NOTE), "purpose": p.purpose,
         "goals": "\n".join(p.goals), "area": p.area}
        for p in last.projects]
    data.tables["绩效指标"] = [
        {"project_code": p.code, "project_name": p.name, "level1": ind.level1, "level2": ind.level2,
         "level3": ind.level3, "description": ind.description, "target": ind.target.raw,
         "basis": ind.basis}
        for p in last.projects for ind in p.indicators]
    data.notes = _notes(last, "第一季度…第四季度" if quarterly else "3月底…12月底")
    return data


def _notes(last: BudgetWorkbook, plan_columns: str) -> list[str]:
    source = Path(last.source_path).name if last.source_path else "上年工作簿"
    year = f"{last.info.year}年" if last.info.year else "上年"
    return [
        f"本工作簿由上年工作簿“{source}”（{year}）带入，预算年度已设为下一年，请核对基本信息。",
        "收支预算、机关运行经费、三公经费的“上年预算数”是上年工作簿的本年预算数，不必重新填写；"
        "“本年预算数”留空，请填写。",
        "部门职责、机构设置、名词解释按上年内容带入，如有变化请修改。",
        "整体绩效目标和工作保障措施按上年内容带入作为起点（单元格有批注），请按本年工作修改。",
        "基本信息的“上年政府采购预算”是上年工作簿政府采购各品目金额之和。",
        f"项目：上年的 {len(last.projects)} 个项目作为延续项目带入（项目名称单元格有批注），"
        f"财政资金、其他资金和资金支出计划（{plan_columns}）为空。继续安排的项目请填写并核对资金用途、"
        "绩效目标和绩效指标；不再安排的项目请删除该行及其绩效指标。校验时，未填写财政资金的项目会列为错误。",
        "未带入（均为当年内容）：功能分类支出、经济分类支出、政府采购、国有资产、资产构成、其他说明，"
        "以及上年结转说明、增减原因、采购说明等说明文字。",
    ]
