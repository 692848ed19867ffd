"""The standard disclosure tables (财预〔2016〕143号 plus common local additions) as one workbook.

``render_tables(model, out)`` writes one sheet per table, in ``SHEET_NAMES`` order. This module
only decides *what* each table holds (header, columns, rows); *how* a table is written (title,
部门/单位 line, merged headers, borders, formats, totals row, empty-table note, print setup) is
``xlsx_base.write_table``'s job, the same for every sheet.

Every figure is derived here from raw model facts (功能分类 lines, income by source, projects,
purchases…); no total is ever read from the user's workbook. Totals are written as values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xlsxwriter.workbook import Workbook

from generator.compute.disclosure import indicator_rows, plan_sentence, purpose_text
from generator.model import ZERO, BudgetWorkbook, EconomicLine, FunctionLine, Indicator, Project
from generator.model.catalog import Catalog, for_workbook
from generator.model.schema import ASSET_ROWS, FUND_SOURCES
from generator.render.xlsx_base import (
    Cell,
    Column,
    HeaderCell,
    Row,
    Styles,
    TableSpec,
    Totals,
    new_workbook,
    setup_print,
    write_sheet,
    write_table,
)

GENERAL, GOV_FUND, STATE_CAPITAL, SPECIAL_ACCOUNT, UNIT_FUNDS = FUND_SOURCES
FISCAL_FUNDS = (GENERAL, GOV_FUND, STATE_CAPITAL)  # 财政拨款 = the three budget appropriations
UNIT_INCOME = ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
# 经济分类 classes counted as 人员经费 in the 基本支出表; every other class is 公用经费.
PERSONNEL_ECONOMIC_CLASSES = frozenset({"301", "303"})

SHEET_NAMES = (
    "部门收支总表",
    "部门收入总表",
    "部门支出总表",
    "财政拨款收支总表",
    "一般公共预算支出表",
    "一般公共预算基本支出表",
    "一般公共预算“三公”经费支出表",
    "政府性基金预算支出表",
    "国有资本经营预算支出表",
    "项目支出表",
    "政府采购预算表",
    "项目绩效目标表",
    "国有资产占用情况表",
)

Builder = Callable[[BudgetWorkbook], tuple[TableSpec, list[Row]]]


def render_tables(wb: BudgetWorkbook, out: Path) -> Path:
    """Write every standard table of ``wb`` into the workbook ``out``; return ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    book = new_workbook(out)
    styles = Styles(book)
    builders: dict[str, Builder] = {
        "部门收支总表": _income_expense_summary,
        "部门收入总表": _income_table,
        "部门支出总表": _spending_table,
        "财政拨款收支总表": _fiscal_summary,
        "一般公共预算支出表": _general_budget_spending,
        "一般公共预算基本支出表": _basic_spending_by_economic,
        "一般公共预算“三公”经费支出表": _three_public,
        "政府性基金预算支出表": _gov_fund_spending,
        "国有资本经营预算支出表": _state_capital_spending,
        "项目支出表": _projects,
        "政府采购预算表": _purchases,
        "国有资产占用情况表": _assets,
    }
    for name in SHEET_NAMES:
        if name == "项目绩效目标表":
            _write_performance_sheet(book, name, wb, styles)
        else:
            spec, rows = builders[name](wb)
            write_sheet(book, name, spec, rows, styles)
    book.close()
    return out


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def _title(wb: BudgetWorkbook, name: str) -> str:
    return f"{wb.info.year}年{name}" if wb.info.year else name


def _dept_line(wb: BudgetWorkbook) -> str:
    """"<编码> <单位全称>" above department-level tables (部门编码, else 单位编码)."""
    info = wb.info
    return f"{info.dept_code or info.unit_code} {info.org_full_name}".strip()


def _unit_line(wb: BudgetWorkbook) -> str:
    """"<单位编码> <预算单位名称>" above unit-level tables (绩效目标表, as in seed 001)."""
    info = wb.info
    return f"{info.unit_code} {info.unit_name or info.org_full_name}".strip()


def _empty_note(wb: BudgetWorkbook, what: str) -> str:
    """The note an empty table carries (the disclosure text cites the same fact)."""
    year = f"{wb.info.year}年" if wb.info.year else "本年度"
    return f"本部门{year}无{what}，本表为空表。"


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _fund_is(line_fund: str, fund: str) -> bool:
    return line_fund.strip() == fund


# --------------------------------------------------------------------------------------------
# 功能分类 / 经济分类 trees
# --------------------------------------------------------------------------------------------


@dataclass
class _Amounts:
    """Personnel / public / project amounts of one 功能分类 code (lines of equal code merged)."""

    name: str
    personnel: Decimal = ZERO
    public: Decimal = ZERO
    project: Decimal = ZERO

    def add(self, line: FunctionLine) -> None:
        self.personnel += line.personnel
        self.public += line.public
        self.project += line.project

    def add_amounts(self, other: _Amounts) -> None:
        self.personnel += other.personnel
        self.public += other.public
        self.project += other.project

    def cells(self, code: str) -> list[object]:
        basic = self.personnel + self.public
        return [code, self.name, basic + self.project, basic, self.personnel, self.public,
                self.project]


def _function_rows(lines: Sequence[FunctionLine], chosen: Catalog) -> list[Row]:
    """类 and 款 subtotal rows over the 项 data rows, codes ascending.

    Lines with the same code (e.g. one per fund) are merged. Names of 类/款 come from the
    catalogue, else from a line carrying that code; the 项 rows keep the name the user typed.
    """
    items: dict[str, _Amounts] = {}
    typed_names: dict[str, str] = {}
    for line in lines:
        code = line.code.strip()
        typed_names.setdefault(code, line.name)
        items.setdefault(code, _Amounts(line.name)).add(line)

    def name_of(code: str) -> str:
        return chosen.function_name(code) or typed_names.get(code, "")

    rows: list[Row] = []
    by_class: dict[str, dict[str, list[str]]] = {}
    for code in sorted(items):
        section = code[:5] if len(code) > 5 else ""
        by_class.setdefault(code[:3], {}).setdefault(section, []).append(code)
    for class_code, sections in by_class.items():
        if list(sections) == [""] and sections[""] == [class_code]:
            # Only a 类-level line: it is the data row itself, no subtotal above it.
            rows.append(Row(items[class_code].cells(class_code)))
            continue
        class_total = _Amounts(name_of(class_code))
        for codes in sections.values():
            for code in codes:
                class_total.add_amounts(items[code])
        rows.append(Row(class_total.cells(class_code), "subtotal"))
        for section_code, codes in sections.items():
            if section_code:
                section_total = _Amounts(name_of(section_code))
                for code in codes:
                    section_total.add_amounts(items[code])
                rows.append(Row(section_total.cells(section_code), "subtotal"))
            # Every line is a data row (the totals row sums data rows only), 类/款-level
            # lines included, under the subtotal of their own code.
            rows.extend(Row(items[code].cells(code)) for code in codes)
    return rows


_SPENDING_COLUMNS = (
    Column("center", min_width=10),
    Column("text", min_width=24),
    Column("money", total=True),
    Column("money", total=True),
    Column("money", total=True),
    Column("money", total=True),
    Column("money", total=True),
)
_SPENDING_HEADER: tuple[tuple[HeaderCell | str, ...], ...] = (
    (HeaderCell("科目编码", rowspan=2), HeaderCell("科目名称", rowspan=2),
     HeaderCell("合计", rowspan=2), HeaderCell("基本支出", colspan=3),
     HeaderCell("项目支出", rowspan=2)),
    ("小计", "人员经费", "公用经费"),
)


def _spending_by_function(wb: BudgetWorkbook, name: str, funds: Sequence[str] | None,
                          empty_what: str) -> tuple[TableSpec, list[Row]]:
    """A 功能分类 spending table over the lines of ``funds`` (all funds when None)."""
    lines = [ln for ln in wb.functions
             if funds is None or any(_fund_is(ln.fund, f) for f in funds)]
    spec = TableSpec(
        title=_title(wb, name), columns=_SPENDING_COLUMNS, header=_SPENDING_HEADER,
        unit_line=_dept_line(wb), totals=Totals("合计", label_span=2),
        empty_note=_empty_note(wb, empty_what),
    )
    return spec, _function_rows(lines, for_workbook(wb))


def _spending_table(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    return _spending_by_function(wb, "部门支出总表", None, "支出预算")


def _general_budget_spending(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    return _spending_by_function(wb, "一般公共预算支出表", (GENERAL,), "一般公共预算拨款安排的支出")


def _gov_fund_spending(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    return _spending_by_function(wb, "政府性基金预算支出表", (GOV_FUND,),
                                 "政府性基金预算拨款安排的支出")


def _state_capital_spending(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    return _spending_by_function(wb, "国有资本经营预算支出表", (STATE_CAPITAL,),
                                 "国有资本经营预算拨款安排的支出")


def _basic_spending_by_economic(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """一般公共预算基本支出表: 经济分类 类 subtotals over 款 rows, split 人员经费 / 公用经费."""
    lines: list[EconomicLine] = [ln for ln in wb.economics if _fund_is(ln.fund, GENERAL)]
    merged: dict[str, tuple[str, Decimal]] = {}
    for line in lines:
        code = line.code.strip()
        name, amount = merged.get(code, (line.name, ZERO))
        merged[code] = (name, amount + line.amount)
    chosen = for_workbook(wb)
    class_order = [s.code for s in chosen.economic_classes]

    def class_key(code: str) -> tuple[int, str]:
        head = code[:3]
        return (class_order.index(head) if head in class_order else len(class_order), code)

    def cells(code: str, name: str, amount: Decimal) -> list[object]:
        personnel = code[:3] in PERSONNEL_ECONOMIC_CLASSES
        return [code, name, amount, amount if personnel else ZERO, ZERO if personnel else amount]

    groups: dict[str, list[str]] = {}
    for code in sorted(merged, key=class_key):
        groups.setdefault(code[:3], []).append(code)
    rows: list[Row] = []
    for head, codes in groups.items():
        if codes != [head]:  # a lone 类-level line is its own data row, without a subtotal
            total = _sum(merged[c][1] for c in codes)
            name = chosen.economic_name(head) or merged.get(head, ("", ZERO))[0]
            rows.append(Row(cells(head, name, total), "subtotal"))
        rows.extend(Row(cells(c, *merged[c])) for c in codes)
    spec = TableSpec(
        title=_title(wb, "一般公共预算基本支出表"),
        columns=(Column("center", min_width=10), Column("text", min_width=24),
                 Column("money", total=True), Column("money", total=True),
                 Column("money", total=True)),
        header=(("科目编码", "科目名称", "合计", "人员经费", "公用经费"),),
        unit_line=_dept_line(wb), totals=Totals("合计", label_span=2),
        empty_note=_empty_note(wb, "一般公共预算基本支出"),
        notes=("注：人员经费为工资福利支出和对个人和家庭的补助，公用经费为其他经济分类支出。",),
    )
    return spec, rows


# --------------------------------------------------------------------------------------------
# Two-sided summaries (收入 | 支出)
# --------------------------------------------------------------------------------------------


def _class_amounts(lines: Iterable[FunctionLine], labels: Sequence[tuple[str, str]],
                   funds: Sequence[str] | None) -> list[tuple[str, list[Decimal | None]]]:
    """Every 功能分类 类 label (the chosen catalogue's, in order) with its amount per fund of
    ``funds`` (or one all-fund amount).

    A class no line touches gets blanks, not zeros: the Hebei export leaves them empty.
    """
    columns = list(funds) if funds else [""]
    sums: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        for fund in columns:
            if not fund or _fund_is(line.fund, fund):
                per_fund = sums.setdefault(line.code.strip()[:3], {})
                per_fund[fund] = per_fund.get(fund, ZERO) + line.total
    result: list[tuple[str, list[Decimal | None]]] = []
    for code, label in labels:
        found = sums.get(code) if code else None  # a 类 listed without code holds no line
        amounts: list[Decimal | None] = [None] * len(columns) if found is None else \
            [found.get(f, ZERO) for f in columns]
        result.append((label, amounts))
    return result


def _balance_rows(income: Sequence[tuple[str, Decimal | None]],
                  spending: Sequence[tuple[str, Sequence[Decimal | None]]],
                  footer: Sequence[tuple[str, Decimal | None, str, Sequence[Decimal | None]]],
                  numbered: bool) -> list[Row]:
    """Income lines on the left, spending lines on the right, side by side; then the
    totals lines (本年收入合计 | 本年支出合计 …) in bold."""
    width = len(spending[0][1]) if spending else 1
    rows: list[Row] = []
    seq = 0
    for i in range(max(len(income), len(spending))):
        left: list[object] = list(income[i]) if i < len(income) else [None, None]
        right: list[object] = [spending[i][0], *spending[i][1]] if i < len(spending) \
            else [None] * (width + 1)
        seq += 1
        rows.append(Row(([seq] if numbered else []) + left + right))
    for left_label, left_amount, right_label, right_amounts in footer:
        seq += 1
        rows.append(Row(([seq] if numbered else []) +
                        [left_label, left_amount, right_label, *right_amounts], "total"))
    return rows


def _income_expense_summary(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """部门收支总表, Hebei 一体化 layout: all 功能分类 类 in order, empty ones included."""
    inc = {k: a.current for k, a in wb.income.items()}
    income = [
        ("一、一般公共预算拨款收入", inc.get("一般公共预算拨款", ZERO)),
        ("二、政府性基金预算拨款收入", inc.get("政府性基金预算拨款", ZERO)),
        ("三、国有资本经营预算拨款收入", inc.get("国有资本经营预算拨款", ZERO)),
        ("四、财政专户管理资金收入", inc.get("财政专户管理资金", ZERO)),
        ("五、单位资金", _sum(inc.get(k) for k in UNIT_INCOME)),
    ]
    income_total = _sum(a for _, a in income)
    carryover = inc.get("上年结转", ZERO)
    spending: list[tuple[str, list[Decimal | None]]] = _class_amounts(
        wb.functions, for_workbook(wb).class_labels(), None)
    spending_total = _sum(a[0] for _, a in spending)
    year_end_balance = ZERO  # a budget plans to spend everything: 年终结转结余 is nil
    footer = [
        ("本年收入合计", income_total, "本年支出合计", [spending_total]),
        ("上年结转结余", carryover, "年终结转结余", [year_end_balance]),
        ("收入总计", income_total + carryover, "支出总计", [spending_total + year_end_balance]),
    ]
    spec = TableSpec(
        title=_title(wb, "部门收支总表"),
        columns=(Column("int", width=6), Column("text", min_width=28), Column("money"),
                 Column("text", min_width=28), Column("money")),
        header=((HeaderCell("序号", rowspan=2), HeaderCell("收入", colspan=2),
                 HeaderCell("支出", colspan=2)),
                ("项目", "预算数", "项目", "预算数")),
        numbering_row=((0, "栏次"), (1, "1"), (2, "2"), (3, "3"), (4, "4")),
        unit_line=_dept_line(wb), landscape=False,
    )
    return spec, _balance_rows(income, spending, footer, numbered=True)


def _fiscal_summary(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """财政拨款收支总表: the three budget appropriations in, spending by 类 and fund out."""
    inc = {k: a.current for k, a in wb.income.items()}
    income = [
        ("一、一般公共预算拨款", inc.get("一般公共预算拨款", ZERO)),
        ("二、政府性基金预算拨款", inc.get("政府性基金预算拨款", ZERO)),
        ("三、国有资本经营预算拨款", inc.get("国有资本经营预算拨款", ZERO)),
    ]
    fiscal_lines = [ln for ln in wb.functions if any(_fund_is(ln.fund, f) for f in FISCAL_FUNDS)]
    classes = _class_amounts(fiscal_lines, for_workbook(wb).class_labels(), FISCAL_FUNDS)
    spending: list[tuple[str, list[Decimal | None]]] = [
        (label, [None if amounts[0] is None else _sum(amounts), *amounts])
        for label, amounts in classes]
    income_total = _sum(a for _, a in income)
    carryover = inc.get("上年结转", ZERO)
    per_fund = [_sum(amounts[i] for _, amounts in spending) for i in range(len(FISCAL_FUNDS) + 1)]
    zero_row = [ZERO] * (len(FISCAL_FUNDS) + 1)
    footer = [
        ("本年收入合计", income_total, "本年支出合计", list(per_fund)),
        ("上年结转", carryover, "年终结转结余", zero_row),
        ("收入总计", income_total + carryover, "支出总计", list(per_fund)),
    ]
    spec = TableSpec(
        title=_title(wb, "财政拨款收支总表"),
        columns=(Column("text", min_width=24), Column("money"), Column("text", min_width=28),
                 Column("money"), Column("money"), Column("money"), Column("money")),
        header=((HeaderCell("收入", colspan=2), HeaderCell("支出", colspan=5)),
                (HeaderCell("项目", rowspan=2), HeaderCell("预算数", rowspan=2),
                 HeaderCell("项目", rowspan=2), HeaderCell("合计", rowspan=2),
                 HeaderCell("财政拨款", colspan=3)),
                ("一般公共预算", "政府性基金预算", "国有资本经营预算")),
        unit_line=_dept_line(wb), landscape=False,
    )
    return spec, _balance_rows(income, spending, footer, numbered=False)


def _income_table(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """部门收入总表: one row per budget unit (the department's own), by income source."""
    inc = {k: a.current for k, a in wb.income.items()}
    sources = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
               *UNIT_INCOME)
    amounts = [inc.get(k, ZERO) for k in sources]
    carryover = inc.get("上年结转", ZERO)
    total = _sum(amounts) + carryover
    info = wb.info
    rows = [Row([info.unit_code, info.unit_name or info.org_full_name, total, carryover,
                 *amounts])]
    spec = TableSpec(
        title=_title(wb, "部门收入总表"),
        columns=(Column("center", min_width=8), Column("text", min_width=20, max_width=30),
                 *(Column("money", total=True) for _ in range(2 + len(sources)))),
        header=((HeaderCell("单位编码", rowspan=2), HeaderCell("单位名称", rowspan=2),
                 HeaderCell("合计", rowspan=2), HeaderCell("上年结转", rowspan=2),
                 HeaderCell("财政拨款收入", colspan=3), HeaderCell("财政专户管理资金", rowspan=2),
                 HeaderCell("单位资金", colspan=5)),
                ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", *UNIT_INCOME)),
        unit_line=_dept_line(wb), totals=Totals("合计", label_span=2),
    )
    return spec, rows


# --------------------------------------------------------------------------------------------
# “三公”, projects, purchases, assets
# --------------------------------------------------------------------------------------------


def _three_public(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """一般公共预算“三公”经费支出表: 本年 / 上年 / 增减 by item; 合计 and the 公务用车 小计 computed."""

    def figures(pick: Callable[[str], Decimal]) -> list[object]:
        abroad, buy, run, reception = (pick(k) for k in (
            "因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"))
        return [abroad + buy + run + reception, abroad, buy + run, buy, run, reception]

    def amount(key: str, previous: bool) -> Decimal:
        a = wb.three_public.get(key)
        return ZERO if a is None else (a.previous if previous else a.current)

    current = figures(lambda k: amount(k, False))
    previous = figures(lambda k: amount(k, True))
    change = [Decimal(str(c)) - Decimal(str(p)) for c, p in zip(current, previous, strict=True)]
    rows = [Row(["本年预算数", *current]), Row(["上年预算数", *previous]),
            Row(["增减额", *change], "subtotal")]
    spec = TableSpec(
        title=_title(wb, "一般公共预算“三公”经费支出表"),
        columns=(Column("center", min_width=12), *(Column("money", min_width=12)
                                                   for _ in range(6))),
        header=((HeaderCell("项目", rowspan=2), HeaderCell("合计", rowspan=2),
                 HeaderCell("因公出国（境）费", rowspan=2),
                 HeaderCell("公务用车购置及运行费", colspan=3),
                 HeaderCell("公务接待费", rowspan=2)),
                ("小计", "公务用车购置费", "公务用车运行费")),
        unit_line=_dept_line(wb),
    )
    return spec, rows


def _projects(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """项目支出表: every project, 预算数 = 财政资金 + 其他资金 (never the typed 预算数)."""
    rows = [Row([i, p.code, p.name, p.budget, p.fiscal, p.other])
            for i, p in enumerate(wb.projects, start=1)]
    spec = TableSpec(
        title=_title(wb, "项目支出表"),
        columns=(Column("int", width=6), Column("text", min_width=14, max_width=26),
                 Column("text", min_width=24, max_width=44), Column("money", total=True),
                 Column("money", total=True), Column("money", total=True)),
        header=(("序号", "项目编码", "项目名称", "预算数", "财政资金", "其他资金"),),
        unit_line=_dept_line(wb), totals=Totals("合计", label_span=3),
        empty_note=_empty_note(wb, "项目支出"),
    )
    return spec, rows


# 资金来源 → the seed's column header for it in the 政府采购预算表.
_PURCHASE_FUND_HEADERS = {
    GENERAL: "一般公共预算拨款",
    GOV_FUND: "基金预算拨款",
    STATE_CAPITAL: "国有资本经营预算拨款",
    SPECIAL_ACCOUNT: "财政专户核拨",
    UNIT_FUNDS: "单位资金",
}


def _purchases(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """政府采购预算表 (seed 001 layout): 合计, the unit's 小计, then one row per item with its
    source project merged down over the project's consecutive items."""
    funds = list(_PURCHASE_FUND_HEADERS)
    item_rows: list[Row] = []
    purchases = wb.purchases
    i = 0
    while i < len(purchases):
        j = i
        while j + 1 < len(purchases) and purchases[j + 1].project.strip() == \
                purchases[i].project.strip():
            j += 1
        group = purchases[i:j + 1]
        for k, p in enumerate(group):
            fund_cells: list[object] = [p.amount if _fund_is(p.fund, f) else None for f in funds]
            if not any(c is not None for c in fund_cells):
                fund_cells[0] = p.amount  # an unknown 资金来源 reads as the default, 一般公共预算
            head: list[object] = [Cell(p.project, rowspan=len(group)),
                                  Cell(p.project_budget, rowspan=len(group))] if k == 0 else []
            item_rows.append(Row([*head, p.item, p.catalog_code, p.unit, p.quantity, p.price,
                                  p.amount, *fund_cells]))
        i = j + 1
    rows: list[Row] = []
    if item_rows:
        amounts = [p.amount for p in purchases]
        by_fund = [_sum(p.amount for p in purchases if _fund_is(p.fund, f)) for f in funds]
        unknown = _sum(amounts) - _sum(by_fund)
        by_fund[0] += unknown
        unit = wb.info.unit_name or wb.info.org_full_name
        rows.append(Row([Cell(f"{unit}小计", colspan=7), _sum(amounts), *by_fund], "subtotal"))
        rows.extend(item_rows)
    spec = TableSpec(
        title=_title(wb, "政府采购预算表"),
        columns=(Column("text", min_width=16, max_width=28), Column("money"),
                 Column("text", min_width=14, max_width=30), Column("center", min_width=10),
                 Column("center", width=6), Column("number", min_width=6),
                 Column("price", min_width=8), Column("money", total=True),
                 *(Column("money", total=True, min_width=10) for _ in funds)),
        header=((HeaderCell("政府采购项目来源", colspan=2), HeaderCell("采购物品名称", rowspan=2),
                 HeaderCell("政府采购目录序号", rowspan=2), HeaderCell("计量单位", rowspan=2),
                 HeaderCell("数量", rowspan=2), HeaderCell("单价", rowspan=2),
                 HeaderCell("政府采购金额（当年部门预算安排资金）", colspan=1 + len(funds))),
                ("项目名称", "预算资金", "合计", *_PURCHASE_FUND_HEADERS.values())),
        unit_line=_dept_line(wb), totals=Totals("合计", label_span=7),
        empty_note=_empty_note(wb, "政府采购预算"),
    )
    return spec, rows


def _assets(wb: BudgetWorkbook) -> tuple[TableSpec, list[Row]]:
    """国有资产占用情况表 (seed 001 section 七): 资产总额 = the numbered classes (the
    "其中：办公用房" line is part of 房屋 and is not added again)."""
    rows: list[Row] = []
    number = 0
    for label in ASSET_ROWS:
        asset = wb.assets.get(label)
        quantity = asset.quantity if asset else None
        value = asset.value if asset else ZERO
        if label.startswith("其中"):
            rows.append(Row([label, quantity, value], "memo"))
        else:
            number += 1
            rows.append(Row([f"{number}、{label}", quantity, value]))
    spec = TableSpec(
        title=_title(wb, "国有资产占用情况表"),
        columns=(Column("text", min_width=28), Column("number", min_width=10),
                 Column("money", total=True, min_width=14)),
        header=(("项目", "数量", "价值"),),
        unit=("金额单位：万元"), unit_line=_dept_line(wb),
        totals=Totals("资产总额"),
        notes=("注：数据截至上年末。",),
    )
    return spec, rows


# --------------------------------------------------------------------------------------------
# 项目绩效目标表: one block per project on one sheet
# --------------------------------------------------------------------------------------------

# Fixed widths (every block on the sheet shares them), about 100 units: portrait A4 at ~75%.
_PERF_COLUMNS = (
    Column("center", width=11),
    Column("center", width=12),
    Column("text", width=16),
    Column("text", width=22),
    Column("center", width=12),
    Column("text", width=13),
    Column("text", width=13),
)
_PERF_WIDTH = len(_PERF_COLUMNS)


def _label(text: str, **spans: int) -> Cell:
    return Cell(text, kind="center", style="section", **spans)


def _spread(n: int, width: int) -> list[int]:
    """Column spans that spread ``n`` cells over ``width`` columns, extra width at the ends
    (4 plan labels over 6 columns → 2, 1, 1, 2 as in seed 001)."""
    if n == 0:
        return []
    spans = [width // n] * n
    extra = width - sum(spans)
    ends = [0, n - 1] * width
    for k in range(extra):
        spans[ends[k] if n > 1 else 0] += 1
    return spans


def _purpose_text(project: Project, labels: Sequence[str]) -> str:
    """资金用途 as typed, without a typed plan sentence, followed by the generated one."""
    return purpose_text(project.purpose) + plan_sentence(project, labels)


def _indicator_rows(indicators: Sequence[Indicator]) -> list[Row]:
    """Indicator rows with 一级 merged down its group and 二级 down its group within it
    (the grouping is the Word document's: compute.disclosure.indicator_rows)."""
    rows: list[Row] = []
    for r in indicator_rows(indicators):
        cells: list[object] = []
        if r["l1_first"]:
            cells.append(Cell(r["level1"], rowspan=r["l1_span"]))
        if r["l2_first"]:
            cells.append(Cell(r["level2"], rowspan=r["l2_span"]))
        cells += [r["level3"], r["description"], r["target"], Cell(r["basis"], colspan=2)]
        rows.append(Row(cells))
    return rows


def _performance_block(wb: BudgetWorkbook, project: Project, index: int
                       ) -> tuple[TableSpec, list[Row]]:
    """One 项目绩效目标表 in the seed 001 layout."""
    goals = "\n".join(f"{n}.{g}" for n, g in enumerate(project.goals, start=1))
    plan_labels = list(project.plan) or list(wb.plan_labels)
    spans = _spread(len(plan_labels), _PERF_WIDTH - 1)
    rows = [
        Row([_label("项目编码"), Cell(project.code, colspan=2, kind="text"), _label("项目名称"),
             Cell(project.name, colspan=3, kind="text")]),
        Row([_label("预算规模及资金用途", rowspan=2), _label("预算数"),
             Cell(project.budget, kind="money"), _label("其中：财政资金"),
             Cell(project.fiscal, kind="money"), _label("其他资金"),
             Cell(project.other, kind="money")]),
        Row([Cell(_purpose_text(project, plan_labels), colspan=_PERF_WIDTH - 1, kind="text")]),
        Row([_label("资金支出计划（%）", rowspan=2),
             *(_label(lb, colspan=s) for lb, s in zip(plan_labels, spans, strict=True))]),
        Row([Cell(project.plan.get(lb), colspan=s, kind="percent")
             for lb, s in zip(plan_labels, spans, strict=True)]),
        Row([_label("绩效目标"), Cell(goals, colspan=_PERF_WIDTH - 1, kind="text")]),
        Row([_label("一级指标"), _label("二级指标"), _label("三级指标"), _label("绩效指标描述"),
             _label("指标值"), _label("指标值确定依据", colspan=2)]),
    ]
    indicator_rows = _indicator_rows(project.indicators)
    rows += indicator_rows or [Row([Cell("（未填写绩效指标）", colspan=_PERF_WIDTH, kind="center")])]
    spec = TableSpec(title=f"{index}、{project.name}绩效目标表", columns=_PERF_COLUMNS, header=(),
                     unit_line=_unit_line(wb))
    return spec, rows


def _write_performance_sheet(book: Workbook, name: str, wb: BudgetWorkbook,
                             styles: Styles) -> None:
    """All project blocks on one sheet, each starting a new printed page."""
    ws = book.add_worksheet(name)
    row = 0
    starts: list[int] = []
    widths: tuple[float, ...] = ()
    if not wb.projects:
        spec = TableSpec(title=_title(wb, "项目绩效目标表"), columns=_PERF_COLUMNS, header=(),
                         unit_line=_unit_line(wb), empty_note=_empty_note(wb, "项目支出"))
        placed = write_table(ws, spec, [], styles)
        widths, row = placed.widths, placed.next_row
    for index, project in enumerate(wb.projects, start=1):
        spec, rows = _performance_block(wb, project, index)
        if index > 1:
            row += 1  # a blank row between blocks on screen; the page break is above the title
            starts.append(row)
        placed = write_table(ws, spec, rows, styles, first_row=row, set_widths=index == 1)
        widths, row = placed.widths, placed.next_row
    # Blocks never share a page; a block longer than a page continues without a repeated
    # header (Excel repeats one row range per sheet, not one per block).
    setup_print(ws, landscape=False, last_col=_PERF_WIDTH - 1, last_row=max(row - 1, 0),
                page_breaks=starts, widths=widths)
