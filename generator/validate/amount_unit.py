"""The classic unit slip, both ways: amounts typed in 元 in a 万元 workbook, or in 万元 in a 元 one.

A department's documents state every amount in the workbook's 金额单位; an amount typed in the
other unit would be published ten thousand times too large (or too small). What gives it away:

* 万元 workbook: a single line item of 100亿元 or more (1,000,000 万元) -- no department budget
  line is that large, while 6429768.84 typed in 元 lands exactly there; "三公" items above 1亿元.
* 元 workbook: more than two decimals (元 amounts stop at 分), or a whole budget under 1万元.

Each suspect amount is reported at its cell (a few at most: one slip usually affects them all).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from generator.compute.money import fmt_amount
from generator.model import Amounts, BudgetWorkbook, SelfEvalWorkbook
from generator.validate import findings as F
from generator.validate.findings import Finding
from generator.validate.subject import Subject

# Largest plausible single amount, in 万元.
MAX_ITEM_WAN = Decimal(1_000_000)  # 100亿元
MAX_THREE_PUBLIC_WAN = Decimal(10_000)  # 1亿元: "三公" items of the largest departments stay far below
MIN_TOTAL_YUAN = Decimal(10_000)  # a whole budget under 1万元 typed in 元 is 万元 in disguise
MAX_REPORTED = 5


@dataclass(frozen=True)
class Typed:
    """One amount as typed, with where it was typed."""

    value: Decimal
    sheet: str
    cell: str
    header: str
    limit: Decimal = MAX_ITEM_WAN


def _pair(a: Amounts, sheet: str, limit: Decimal = MAX_ITEM_WAN) -> Iterator[Typed]:
    for key, header in (("current", "本年预算数"), ("previous", "上年预算数")):
        value = getattr(a, key)
        if value is not None and value != 0:
            yield Typed(value, sheet, a.cells.get(key, ""), header, limit)


def budget_amounts(wb: BudgetWorkbook) -> Iterator[Typed]:
    """Every amount of a 部门预算 workbook with its cell."""
    for a in (*wb.income.values(), *wb.spending.values()):
        yield from _pair(a, "收支预算")
    yield from _pair(wb.operating, "机关运行经费")
    for a in wb.three_public.values():
        yield from _pair(a, "三公经费", MAX_THREE_PUBLIC_WAN)
    for f in wb.functions:
        for key, header in (("personnel", "人员经费"), ("public", "公用经费"), ("project", "项目支出")):
            yield Typed(getattr(f, key), "功能分类支出", f.cells.get(key, ""), header)
    for e in wb.economics:
        yield Typed(e.amount, "经济分类支出", e.cells.get("amount", ""), "金额")
    for p in wb.projects:
        for key, header in (("fiscal", "财政资金"), ("other", "其他资金")):
            yield Typed(getattr(p, key), "项目", p.cells.get(key, ""), header)
    for row in wb.purchases:
        yield Typed(row.price, "政府采购", row.cells.get("price", ""), "单价")
    for asset in wb.assets.values():
        if asset.value is not None:
            yield Typed(asset.value, "国有资产", asset.cells.get("value", ""), "价值")


def self_eval_amounts(wb: SelfEvalWorkbook) -> Iterator[Typed]:
    """Every amount of a 绩效自评 workbook with its cell."""
    for fund in wb.funds.values():
        for key, header in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
            value = getattr(fund, key)
            if value is not None:
                yield Typed(value, "收支情况", fund.cells.get(key, ""), header)
    for p in wb.projects:
        for key, header in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
            value = getattr(p, key)
            if value is not None:
                yield Typed(value, "项目", p.cells.get(key, ""), header)


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_amount_unit(amounts: Iterable[Typed], unit: str, unit_cell: str) -> Iterator[Finding]:
    """Amounts that do not look like ``unit`` (万元 or 元)."""
    typed = [a for a in amounts if a.value]
    reported = 0
    where_unit = f"“基本信息”{unit_cell}" if unit_cell else "“基本信息”"
    if unit == "万元":
        for a in typed:
            if abs(a.value) >= a.limit and reported < MAX_REPORTED:
                reported += 1
                yield F.make("amount-unit-suspect", a.sheet, a.cell, a.header, fmt_amount(a.value, 6),
                             f"{a.header} {fmt_amount(a.value, 6)} 万元（约 {fmt_amount(a.value / 10_000, 2)} 亿元）"
                             "远超部门预算的正常规模，疑似按“元”填写",
                             f"如果本工作簿的金额都按元填写，请把{where_unit}的金额单位改为“元”；"
                             "否则请换算成万元")
        return
    for a in typed:
        if _decimals(a.value) > 2 and reported < MAX_REPORTED:
            reported += 1
            yield F.make("amount-unit-suspect", a.sheet, a.cell, a.header, fmt_amount(a.value, 6),
                         f"{a.header} {fmt_amount(a.value, 6)} 元有 {_decimals(a.value)} 位小数，元的金额最多到分（两位），"
                         "疑似按“万元”填写",
                         f"如果本工作簿的金额都按万元填写，请把{where_unit}的金额单位改为“万元”；否则请核对金额")
    largest = max(typed, key=lambda a: abs(a.value), default=None)
    if largest is not None and reported == 0 and abs(largest.value) < MIN_TOTAL_YUAN:
        yield F.make("amount-unit-suspect", largest.sheet, largest.cell, largest.header,
                     fmt_amount(largest.value, 2),
                     f"本工作簿最大的金额只有 {fmt_amount(largest.value, 2)} 元（不足 1 万元），疑似按“万元”填写",
                     f"如果金额按万元填写，请把{where_unit}的金额单位改为“万元”")


def amount_unit(s: Subject[BudgetWorkbook | SelfEvalWorkbook]) -> Iterator[Finding]:
    """Amounts of either workbook kind that do not look like its 金额单位."""
    wb = s.workbook
    typed = budget_amounts(wb) if isinstance(wb, BudgetWorkbook) else self_eval_amounts(wb)
    yield from check_amount_unit(typed, wb.info.amount_unit, wb.info.cells.get("amount_unit", ""))
