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
from generator.model.schema import INCOME_ROWS, SPENDING_ROWS, THREE_PUBLIC_ROWS, BudgetSheets
from generator.render.wording import Wording
from generator.render.workbook_template import WORDING, Noted, WorkbookData
from generator.resources import templates_dir

S = BudgetSheets


def _last(amounts: Amounts | None) -> Decimal | None:
    """Last year's 本年 figure; a blank stays blank (never printed as a 0 to compare with)."""
    return None if amounts is None else amounts.current


def budget_from_last_year(last: BudgetWorkbook) -> WorkbookData:
    """This year's 部门预算 workbook content from last year's (see the module docstring)."""
    info = last.info
    words = Wording.load(templates_dir(), WORDING)
    quarterly = bool(last.plan_labels) and any(label.endswith("季度") for label in last.plan_labels)
    data = WorkbookData(plan="quarter" if quarterly else "month")
    default_unit_name = info.org_full_name + "本级"  # what the reader fills in for a blank
    data.forms[S.INFO] = {
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
    data.tables[S.MONEY] = [
        {"item": label, "previous": _last((last.income if label in INCOME_ROWS else last.spending).get(label))}
        for label in INCOME_ROWS + SPENDING_ROWS]
    data.forms[S.OPERATING] = {"previous": _last(last.operating)}
    data.tables[S.THREE_PUBLIC] = [{"item": label, "previous": _last(last.three_public.get(label))}
                              for label in THREE_PUBLIC_ROWS]
    data.tables[S.DUTIES] = [{"no": i, "text": text} for i, text in enumerate(last.duties, start=1)]
    data.tables[S.INSTITUTIONS] = [{"name": u.name, "nature": u.nature, "rank": u.rank, "funding": u.funding}
                              for u in last.institutions]
    if last.terms:  # none: the template's standard terms are the better start
        data.tables[S.TERMS] = [{"no": i, "term": t.term, "text": t.text}
                                  for i, t in enumerate(last.terms, start=1)]
    data.tables[S.GOALS] = [
        {"type": g.type, "name": g.name, "goal": Noted(g.goal, words("carry_forward.goal")), "indicators": g.indicators}
        for g in last.goals]
    data.tables[S.MEASURES] = [{"no": i, "text": Noted(text, words("carry_forward.measure"))}
                                for i, text in enumerate(last.measures, start=1)]
    data.tables[S.PROJECTS] = [
        {"code": p.code, "name": Noted(p.name, words("carry_forward.project")), "purpose": p.purpose,
         "goals": "\n".join(p.goals), "area": p.area}
        for p in last.projects]
    data.tables[S.INDICATORS] = [
        {"project_code": p.code, "project_name": p.name, "level1": ind.level1, "level2": ind.level2,
         "level3": ind.level3, "description": ind.description, "target": ind.target.raw,
         "basis": ind.basis}
        for p in last.projects for ind in p.indicators]
    source = Path(last.source_path).name if last.source_path else words("carry_forward.source_unknown")
    data.notes = words.list("carry_forward.notes", source=source,
                            year=f"{info.year}年" if info.year else words("carry_forward.year_unknown"),
                            projects=len(last.projects),
                            plan_columns=words("carry_forward.plan_quarters" if quarterly else "carry_forward.plan_months"))
    return data
