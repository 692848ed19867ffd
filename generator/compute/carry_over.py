"""``template 绩效自评 --from BUDGET.xlsx``: carry a year's budget targets into its self-evaluation.

The targets set in the budget (indicators with 指标值) are the ones scored at year end;
re-typing them is where errors creep in. This copies projects, indicators (with 指标值 and
依据), the department goals and the year, pre-fills the default weights and the 自评组织 wording
(marked as pre-filled), and leaves the actual-result columns empty for the user.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from generator.model import ZERO, BudgetWorkbook, Indicator
from generator.model.indicator_tree import DEFAULT, IndicatorTree
from generator.render.workbook_template import Noted, WorkbookData


def split_weights(indicators: list[Indicator], tree: IndicatorTree = DEFAULT) -> list[Decimal]:
    """Each 一级's default weight shared equally by its indicators (2 decimals, exact sum).

    The remainder of the rounding goes to the group's last indicator, so 50 over 3 indicators
    gives 16.66, 16.66, 16.68 and the 一级 still adds up to 50.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, ind in enumerate(indicators):
        groups[ind.level1].append(i)
    weights = [ZERO] * len(indicators)
    for level1, positions in groups.items():
        total = Decimal(tree.weights.get(level1, 0))
        share = (total / len(positions)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        for pos in positions:
            weights[pos] = share
        weights[positions[-1]] = total - share * (len(positions) - 1)
    return weights


def self_eval_from_budget(budget: BudgetWorkbook, tree: IndicatorTree = DEFAULT) -> WorkbookData:
    info = budget.info
    data = WorkbookData()
    data.forms["基本信息"] = {
        "dept_name": info.dept_name, "org_full_name": info.org_full_name, "year": info.year,
        "project_count": len(budget.projects), "contact_email": info.contact_email,
    }
    carry = budget.income.get("上年结转")
    total = sum((a.current or ZERO for a in budget.income.values()), ZERO)
    carry_amount = (carry.current if carry else None) or ZERO
    data.tables["收支情况"] = [
        {"source": "当年财政拨款", "initial": total - carry_amount, "budget": total - carry_amount},
        {"source": "上年结转资金", "initial": carry_amount, "budget": carry_amount},
        {"source": "其他资金", "initial": ZERO, "budget": ZERO},
    ]
    # Pre-filled wording the user adjusts (each cell says so): the report needs these three,
    # and the national rules (财预〔2020〕10号) are the basis every department shares.
    prefilled = "预填内容，请按本部门实际情况修改"
    data.forms["自评组织"] = {
        "basis": Noted("《项目支出绩效评价管理办法》（财预〔2020〕10号）", prefilled),
        "group": Noted(f"以{info.org_full_name or info.dept_name}主要负责人为组长、各处室负责人为成员的绩效评价工作领导小组",
                       prefilled),
        "method": Noted("自评采用业务处室填报、评价小组审核、组长审批的方式开展，由业务处室对各项指标逐项打分，"
                        "最终评价按综合得分计算。", prefilled),
    }
    data.tables["整体绩效目标"] = [
        {"type": g.type, "name": g.name, "goal": g.goal} for g in budget.goals]
    projects, indicators = [], []
    for p in budget.projects:
        projects.append({
            "code": p.code, "name": p.name, "area": p.area, "unit": info.unit_name,
            "initial": p.budget, "budget": p.budget, "other_budget": p.other or None,
            "goal": "；".join(p.goals),
        })
        for ind, weight in zip(p.indicators, split_weights(p.indicators, tree), strict=True):
            indicators.append({
                "project_code": p.code, "project_name": p.name, "level1": ind.level1,
                "level2": ind.level2, "level3": ind.level3, "target": ind.target.raw,
                "weight": weight, "basis": ind.basis, "description": ind.description,
            })
    data.tables["项目"] = projects
    data.tables["绩效指标"] = indicators
    return data
