"""The figures of the standard 公开表 that the Word document does not state (财预〔2016〕143号).

Spending by 功能分类 (类/款/项 with subtotals) for each fund type, basic spending by 经济分类, the
two-sided 收支总表 lines and the 收入总表 row, computed once from the workbook's raw lines; the
Excel writer (``render/xlsx_tables.py``) only lays them out. The facts both documents state (三公,
projects, purchases, assets) come from ``compute.disclosure``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.compute.money import ZERO
from generator.model import Amounts, BudgetWorkbook, EconomicLine, FunctionLine
from generator.model.catalog import Catalog, for_workbook
from generator.model.schema import (
    CARRYOVER_INCOME,
    FUND_SOURCES,
    INCOME_ROWS,
    SPECIAL_ACCOUNT_INCOME,
    UNIT_INCOME_ROWS,
)

GENERAL, GOV_FUND, STATE_CAPITAL, SPECIAL_ACCOUNT, UNIT_FUNDS = FUND_SOURCES
ALL_FUNDS = ""  # the key of the rows over every fund (部门支出总表)
FISCAL_FUNDS = (GENERAL, GOV_FUND, STATE_CAPITAL)  # 财政拨款 = the three budget appropriations
FISCAL_SOURCES_INCOME = INCOME_ROWS[:3]  # the three appropriations
# The 收入 side of the 部门收支总表 (Hebei 一体化 layout): fiscal sources, 财政专户, 单位资金.
SUMMARY_INCOME = (*((row,) for row in FISCAL_SOURCES_INCOME), (SPECIAL_ACCOUNT_INCOME,), UNIT_INCOME_ROWS)
INCOME_SOURCES = INCOME_ROWS[:9]  # every source but 上年结转, in the 收入总表's order
# 经济分类 classes counted as 人员经费 in the 基本支出表; every other class is 公用经费.
PERSONNEL_ECONOMIC_CLASSES = frozenset({"301", "303"})


@dataclass(frozen=True)
class SpendingLine:
    """One row of a 功能分类 spending table: a 类/款 subtotal or a data line."""

    code: str
    name: str
    personnel: Decimal
    public: Decimal
    project: Decimal
    subtotal: bool = False

    @property
    def basic(self) -> Decimal:
        return self.personnel + self.public

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


@dataclass(frozen=True)
class EconomicRow:
    """One row of the 基本支出表: a 类 subtotal or a 款 line, split 人员经费 / 公用经费."""

    code: str
    name: str
    amount: Decimal
    personnel: Decimal
    public: Decimal
    subtotal: bool = False


@dataclass(frozen=True)
class ClassLine:
    """A 功能分类 类 of the 收支总表: its label and amounts (None: no line touches it)."""

    label: str
    amounts: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class StandardTables:
    """Everything the 公开表 state beyond the disclosure model."""

    summary_income: tuple[Decimal, ...]
    """收支总表 income lines, in SUMMARY_INCOME order."""
    carryover: Decimal
    summary_classes: tuple[ClassLine, ...]
    """Every 类 of the catalogue with the department's spending (one amount)."""
    fiscal_income: tuple[Decimal, ...]
    """财政拨款收支总表 income lines (the three appropriations)."""
    fiscal_classes: tuple[ClassLine, ...]
    """Every 类 with 合计 and the three appropriations' spending."""
    income_row: tuple[Decimal, ...]
    """收入总表: 合计, 上年结转, then INCOME_SOURCES."""
    spending: dict[str, tuple[SpendingLine, ...]]
    """功能分类 rows per table: every fund (ALL_FUNDS), and each fund of FUND_SOURCES."""
    basic_by_economic: tuple[EconomicRow, ...]


def _current(a: Amounts | None) -> Decimal:
    return (a.current if a is not None else None) or ZERO


def compute_standard_tables(wb: BudgetWorkbook) -> StandardTables:
    """The 公开表 figures of ``wb``, with the 功能分类 类 of the catalogue it chose (年度 + 地区)."""
    inc = wb.income
    chosen = for_workbook(wb)
    labels = chosen.class_labels()
    summary_income = tuple(sum((_current(inc.get(k)) for k in keys), ZERO) for keys in SUMMARY_INCOME)
    fiscal_lines = [ln for ln in wb.functions if ln.fund.strip() in FISCAL_FUNDS]
    fiscal_classes = tuple(
        ClassLine(c.label, (None if c.amounts[0] is None else sum((a or ZERO for a in c.amounts), ZERO), *c.amounts))
        for c in class_amounts(fiscal_lines, labels, FISCAL_FUNDS))
    sources = tuple(_current(inc.get(k)) for k in INCOME_SOURCES)
    carryover = _current(inc.get(CARRYOVER_INCOME))
    spending = {ALL_FUNDS: function_rows(wb.functions, chosen)}
    for fund in FUND_SOURCES:
        spending[fund] = function_rows([ln for ln in wb.functions if ln.fund.strip() == fund], chosen)
    return StandardTables(
        summary_income=summary_income,
        carryover=carryover,
        summary_classes=tuple(class_amounts(wb.functions, labels, None)),
        fiscal_income=tuple(_current(inc.get(k)) for k in FISCAL_SOURCES_INCOME),
        fiscal_classes=fiscal_classes,
        income_row=(sum(sources, ZERO) + carryover, carryover, *sources),
        spending=spending,
        basic_by_economic=economic_rows([ln for ln in wb.economics if ln.fund.strip() == GENERAL], chosen),
    )



def function_rows(lines: Sequence[FunctionLine], chosen: Catalog) -> tuple[SpendingLine, ...]:
    """类 and 款 subtotal rows over the 项 data rows, codes ascending.

    Lines with the same code (e.g. one per fund) are merged. Names of 类/款 come from the
    catalogue, else from a line carrying that code; the 项 rows keep the name the user typed.
    """
    items: dict[str, list[Decimal]] = {}
    typed_names: dict[str, str] = {}
    for line in lines:
        code = line.code.strip()
        typed_names.setdefault(code, line.name)
        amounts = items.setdefault(code, [ZERO, ZERO, ZERO])
        amounts[0] += line.personnel
        amounts[1] += line.public
        amounts[2] += line.project

    def name_of(code: str) -> str:
        return chosen.function_name(code) or typed_names.get(code, "")

    def line_of(code: str, name: str, codes: Iterable[str], subtotal: bool) -> SpendingLine:
        sums = [sum((items[c][k] for c in codes), ZERO) for k in range(3)]
        return SpendingLine(code, name, sums[0], sums[1], sums[2], subtotal)

    by_class: dict[str, dict[str, list[str]]] = {}
    for code in sorted(items):
        section = code[:5] if len(code) > 5 else ""
        by_class.setdefault(code[:3], {}).setdefault(section, []).append(code)
    rows: list[SpendingLine] = []
    for class_code, sections in by_class.items():
        if list(sections) == [""] and sections[""] == [class_code]:
            # Only a 类-level line: it is the data row itself, no subtotal above it.
            rows.append(line_of(class_code, typed_names[class_code], [class_code], False))
            continue
        every = [c for codes in sections.values() for c in codes]
        rows.append(line_of(class_code, name_of(class_code), every, True))
        for section_code, codes in sections.items():
            if section_code:
                rows.append(line_of(section_code, name_of(section_code), codes, True))
            # Every line is a data row (the totals row sums data rows only), 类/款-level
            # lines included, under the subtotal of their own code.
            rows.extend(line_of(code, typed_names[code], [code], False) for code in codes)
    return tuple(rows)


def economic_rows(lines: Sequence[EconomicLine], chosen: Catalog) -> tuple[EconomicRow, ...]:
    """经济分类 类 subtotals over 款 rows, split 人员经费 (301, 303) / 公用经费."""
    merged: dict[str, tuple[str, Decimal]] = {}
    for line in lines:
        code = line.code.strip()
        name, amount = merged.get(code, (line.name, ZERO))
        merged[code] = (name, amount + line.amount)
    class_order = [s.code for s in chosen.economic_classes]

    def class_key(code: str) -> tuple[int, str]:
        head = code[:3]
        return (class_order.index(head) if head in class_order else len(class_order), code)

    def row(code: str, name: str, amount: Decimal, subtotal: bool = False) -> EconomicRow:
        personnel = code[:3] in PERSONNEL_ECONOMIC_CLASSES
        return EconomicRow(code, name, amount, amount if personnel else ZERO, ZERO if personnel else amount,
                           subtotal)

    groups: dict[str, list[str]] = {}
    for code in sorted(merged, key=class_key):
        groups.setdefault(code[:3], []).append(code)
    rows: list[EconomicRow] = []
    for head, codes in groups.items():
        if codes != [head]:  # a lone 类-level line is its own data row, without a subtotal
            total = sum((merged[c][1] for c in codes), ZERO)
            rows.append(row(head, chosen.economic_name(head) or merged.get(head, ("", ZERO))[0], total, True))
        rows.extend(row(c, *merged[c]) for c in codes)
    return tuple(rows)


def class_amounts(lines: Iterable[FunctionLine], labels: Sequence[tuple[str, str]],
                  funds: Sequence[str] | None) -> list[ClassLine]:
    """Every 功能分类 类 label (the chosen catalogue's, in order) with its amount per fund of
    ``funds`` (or one all-fund amount).

    A class no line touches gets blanks, not zeros: the Hebei export leaves them empty.
    """
    columns = list(funds) if funds else [""]
    sums: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        for fund in columns:
            if not fund or line.fund.strip() == fund:
                per_fund = sums.setdefault(line.code.strip()[:3], {})
                per_fund[fund] = per_fund.get(fund, ZERO) + line.total
    result: list[ClassLine] = []
    for code, label in labels:
        found = sums.get(code) if code else None  # a 类 listed without code holds no line
        amounts: tuple[Decimal | None, ...] = (None,) * len(columns) if found is None else \
            tuple(found.get(f, ZERO) for f in columns)
        result.append(ClassLine(label, amounts))
    return result
