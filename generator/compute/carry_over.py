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
from generator.model.schema import EVAL_FUND_ROWS, INCOME_ROWS, PREFILLED_NOTE, SELF_EVAL_PREFILLED, SelfEvalSheets
from generator.render.workbook_template import Noted, WorkbookData

S = SelfEvalSheets
# 收入 rows that are this year's appropriations (当年财政拨款) and the carry-over row.
FISCAL_INCOME_ROWS = INCOME_ROWS[:3]
CARRYOVER_INCOME_ROW = INCOME_ROWS[-1]


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
    data.forms[S.INFO] = {
        "dept_name": info.dept_name, "org_full_name": info.org_full_name, "year": info.year,
        "project_count": len(budget.projects), "contact_email": info.contact_email,
    }
    # The budget's income by the self-evaluation's sources: appropriations of the three
    # budgets are 当年财政拨款, 上年结转 is 上年结转资金, everything else 其他资金. A source
    # the budget does not have stays blank (not 0); 全年执行数 is left for the user.
    def amount(rows: tuple[str, ...]) -> Decimal:
        # ``or ZERO``: a blank budget cell adds nothing (the budget side may keep it as None).
        return sum((budget.income[r].current or ZERO for r in rows if r in budget.income), ZERO)

    fiscal, carry = amount(FISCAL_INCOME_ROWS), amount((CARRYOVER_INCOME_ROW,))
    other = amount(tuple(r for r in INCOME_ROWS if r not in FISCAL_INCOME_ROWS and r != CARRYOVER_INCOME_ROW))
    data.tables[S.FUNDS] = [
        {"source": source, "initial": value, "budget": value} if value else {"source": source}
        for source, value in zip(EVAL_FUND_ROWS, (fiscal, carry, other), strict=True)
    ]
    # Pre-filled wording the user adjusts (each cell says so, and `check` lists those left
    # unchanged): the report needs these three, and the national rules (财预〔2020〕10号) are
    # the basis every department shares.
    org = info.org_full_name or info.dept_name
    data.forms[S.ORGANISATION] = {key: Noted(text.format(org=org), PREFILLED_NOTE)
                           for key, text in SELF_EVAL_PREFILLED.items()}
    data.tables[S.GOALS] = [
        {"type": g.type, "name": g.name, "goal": g.goal} for g in budget.goals]
    projects, indicators = [], []
    for p in budget.projects:
        projects.append({
            "code": p.code, "name": p.name, "area": p.area, "unit": info.unit_name,
            "initial": p.budget, "budget": p.budget, "other_budget": p.other or None,
            "other_initial": p.other or None,
            "goal": "；".join(p.goals),
        })
        for ind, weight in zip(p.indicators, split_weights(p.indicators, tree), strict=True):
            indicators.append({
                "project_code": p.code, "project_name": p.name, "level1": ind.level1,
                "level2": ind.level2, "level3": ind.level3, "target": ind.target.raw,
                "weight": weight, "basis": ind.basis, "description": ind.description,
            })
    data.tables[S.PROJECTS] = projects
    data.tables[S.INDICATORS] = indicators
    return data
