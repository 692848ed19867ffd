"""The standard disclosure tables (财预〔2016〕143号 plus common local additions) as one workbook.

Layout only. The figures come computed: what the Word document states too (三公, projects,
purchases, assets) from ``compute.disclosure.Disclosure``, the rest (功能分类 and 经济分类
breakdowns, the 收支总表 lines) from ``compute.standard_tables``. The words come from the templates
folder: titles, headers and notes from ``公开表.toml``, and the phrases the Word document uses too
(the spending-plan sentence, the empty-table statements) from the wording definitions of the
outline's Word template, so the two documents say them the same way.

How every table is written (title, 部门/单位 line, merged headers, borders, formats, totals row,
empty-table note, print setup) is ``xlsx_base.write_table``'s job, the same for every sheet.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook

from generator.compute.disclosure import Disclosure, ProjectTable
from generator.compute.standard_tables import ALL_FUNDS, FUND_SOURCES, StandardTables
from generator.messages import say
from generator.model.outlines import DEFAULT_OUTLINE, OUTLINES
from generator.render.docx_render import template_macros
from generator.render.wording import Wording, WordingError
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

WORDING = "公开表"  # templates/公开表.toml: which sheets, in which order, with which words


class _Tables:
    """The words and facts one workbook's sheets are written from."""

    def __init__(self, d: Disclosure, t: StandardTables, templates_dir: Path) -> None:
        self.d, self.t = d, t
        self.words = Wording.load(templates_dir, WORDING)
        outline = OUTLINES.get(d.style) or OUTLINES[DEFAULT_OUTLINE]
        self.phrases = template_macros(Path(templates_dir) / outline.template, {"unit": d.unit, "year": d.year})
        self.facts: dict[str, Any] = {"year": d.year, "unit": d.unit, "unit_name": d.unit_name}

    def say(self, key: str, **extra: Any) -> str:
        return self.words(key, **self.facts, **extra)

    def header(self, key: str) -> tuple[tuple[HeaderCell | str, ...], ...]:
        rows = self.words.raw(key)
        return tuple(tuple(HeaderCell(self.words.render(c["text"], key, **self.facts), c.get("colspan", 1),
                                      c.get("rowspan", 1)) if isinstance(c, dict)
                           else self.words.render(c, key, **self.facts) for c in row) for row in rows)

    def empty(self, table: str) -> str:
        return self.say("empty", what=self.say(f"{table}.empty"))

    def spec(self, name: str, columns: tuple[Column, ...], header_key: str | None = None, **kw: Any) -> TableSpec:
        return TableSpec(title=self.say(f"{name}.title"), columns=columns,
                         header=self.header(header_key or f"{name}.header"), unit=self.say("unit"),
                         unit_line=self.dept_line, **kw)

    @property
    def dept_line(self) -> str:
        """"<编码> <单位全称>" above department-level tables (部门编码, else 单位编码)."""
        return f"{self.d.dept_code or self.d.unit_code} {self.d.org_full_name}".strip()

    @property
    def unit_line(self) -> str:
        """"<单位编码> <预算单位名称>" above unit-level tables (绩效目标表, as in seed 001)."""
        return f"{self.d.unit_code} {self.d.unit_name}".strip()


def sheet_names(templates_dir: Path) -> list[str]:
    """The sheets of the 公开表, in order (the wording file lists them)."""
    return Wording.load(templates_dir, WORDING).list("sheets")


def render_tables(d: Disclosure, t: StandardTables, out: Path, templates_dir: Path) -> Path:
    """Write every standard table into the workbook ``out``; return ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    x = _Tables(d, t, templates_dir)
    # Written row by row (write_table lays each table out first): the 项目绩效目标表 of
    # 10,000 projects is never held in memory whole. The rows wait in a folder of our own,
    # removed even when a wording error stops the workbook half-way.
    with tempfile.TemporaryDirectory(prefix="budget-xlsx-", ignore_cleanup_errors=True) as tmp:
        book = new_workbook(out, row_order=True, tmpdir=tmp)
        styles = Styles(book)
        for name in x.words.list("sheets"):
            layout = x.words.raw(f"{name}.layout")
            if layout == "performance":
                _write_performance_sheet(book, name, x, styles)
                continue
            if layout not in _BUILDERS:
                raise WordingError(say("wording.layout", name=x.words.source, sheet=name, layout=layout))
            spec, rows = _BUILDERS[layout](x, name)
            write_sheet(book, name, spec, rows, styles)
        book.close()
    return out


# --------------------------------------------------------------------------------------------
# 功能分类 / 经济分类 tables
# --------------------------------------------------------------------------------------------

_SPENDING_COLUMNS = (
    Column("center", min_width=10),
    Column("text", min_width=24),
    *(Column("money", total=True) for _ in range(5)),
)


def _spending_by_function(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    fund = x.words.raw(f"{name}.fund") or ALL_FUNDS  # "" is every fund: the 部门支出总表
    rows = [Row([ln.code, ln.name, ln.total, ln.basic, ln.personnel, ln.public, ln.project],
                "subtotal" if ln.subtotal else "data") for ln in x.t.spending[fund]]
    empty = x.empty(name)
    if fund in x.d.empty_funds:
        empty = "本部门" + x.phrases.empty_fund(fund) + "。"
    spec = x.spec(name, _SPENDING_COLUMNS, "function_header", totals=Totals(x.say("total"), label_span=2),
                  empty_note=empty)
    return spec, rows


def _basic_spending_by_economic(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    rows = [Row([r.code, r.name, r.amount, r.personnel, r.public], "subtotal" if r.subtotal else "data")
            for r in x.t.basic_by_economic]
    spec = x.spec(name, (Column("center", min_width=10), Column("text", min_width=24),
                         *(Column("money", total=True) for _ in range(3))),
                  totals=Totals(x.say("total"), label_span=2), empty_note=x.empty(name),
                  notes=tuple(x.words.list(f"{name}.notes")))
    return spec, rows


# --------------------------------------------------------------------------------------------
# Two-sided summaries (收入 | 支出)
# --------------------------------------------------------------------------------------------


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
        right: list[object] = [spending[i][0], *spending[i][1]] if i < len(spending) else [None] * (width + 1)
        seq += 1
        rows.append(Row(([seq] if numbered else []) + left + right))
    for left_label, left_amount, right_label, right_amounts in footer:
        seq += 1
        rows.append(Row(([seq] if numbered else []) + [left_label, left_amount, right_label, *right_amounts],
                        "total"))
    return rows


def _footer(x: _Tables, name: str, amounts: Sequence[tuple[Decimal, Sequence[Decimal]]]
            ) -> list[tuple[str, Decimal | None, str, Sequence[Decimal | None]]]:
    labels = x.words.raw(f"{name}.footer")
    return [(left, a, right, list(b)) for (left, right), (a, b) in zip(labels, amounts, strict=True)]


def _income_expense_summary(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """部门收支总表, Hebei 一体化 layout: all 功能分类 类 in order, empty ones included."""
    income = list(zip(x.words.list(f"{name}.income"), x.t.summary_income, strict=True))
    income_total = sum(x.t.summary_income, Decimal(0))
    spending = [(c.label, list(c.amounts)) for c in x.t.summary_classes]
    spending_total = sum((c.amounts[0] or Decimal(0) for c in x.t.summary_classes), Decimal(0))
    year_end_balance = Decimal(0)  # a budget plans to spend everything: 年终结转结余 is nil
    footer = _footer(x, name, [(income_total, [spending_total]), (x.t.carryover, [year_end_balance]),
                               (income_total + x.t.carryover, [spending_total + year_end_balance])])
    numbering = tuple(enumerate(x.words.list(f"{name}.numbering")))
    spec = x.spec(name, (Column("int", width=6), Column("text", min_width=28), Column("money"),
                         Column("text", min_width=28), Column("money")),
                  numbering_row=numbering, landscape=False)
    return spec, _balance_rows(income, spending, footer, numbered=True)


def _fiscal_summary(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """财政拨款收支总表: the three budget appropriations in, spending by 类 and fund out."""
    income = list(zip(x.words.list(f"{name}.income"), x.t.fiscal_income, strict=True))
    spending = [(c.label, list(c.amounts)) for c in x.t.fiscal_classes]
    income_total = sum(x.t.fiscal_income, Decimal(0))
    per_fund = [sum((c.amounts[i] or Decimal(0) for c in x.t.fiscal_classes), Decimal(0)) for i in range(4)]
    footer = _footer(x, name, [(income_total, per_fund), (x.t.carryover, [Decimal(0)] * 4),
                               (income_total + x.t.carryover, per_fund)])
    spec = x.spec(name, (Column("text", min_width=24), Column("money"), Column("text", min_width=28),
                         *(Column("money") for _ in range(4))), landscape=False)
    return spec, _balance_rows(income, spending, footer, numbered=False)


def _income_table(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """部门收入总表: one row per budget unit (the department's own), by income source."""
    rows = [Row([x.d.unit_code, x.d.unit_name, *x.t.income_row])]
    spec = x.spec(name, (Column("center", min_width=8), Column("text", min_width=20, max_width=30),
                         *(Column("money", total=True) for _ in x.t.income_row)),
                  totals=Totals(x.say("total"), label_span=2))
    return spec, rows


# --------------------------------------------------------------------------------------------
# “三公”, projects, purchases, assets
# --------------------------------------------------------------------------------------------


def _three_public(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """一般公共预算“三公”经费支出表: 本年 / 上年 / 增减 by item; 合计 and 公务用车小计 computed."""
    tp = x.d.three_public
    figures = (tp.total, tp.overseas, tp.vehicle, tp.vehicle_purchase, tp.vehicle_running, tp.reception)
    labels = x.words.list(f"{name}.rows")
    rows = [Row([labels[0], *(f.current for f in figures)]),
            Row([labels[1], *(f.previous for f in figures)]),
            Row([labels[2], *(None if f.change is None else f.change.amount for f in figures)], "subtotal")]
    spec = x.spec(name, (Column("center", min_width=12), *(Column("money", min_width=12) for _ in range(6))))
    return spec, rows


def _projects(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """项目支出表: every project, 预算数 = 财政资金 + 其他资金 (never the typed 预算数)."""
    rows = [Row([p.no, p.code, p.name, p.budget, p.fiscal, p.other]) for p in x.d.projects]
    spec = x.spec(name, (Column("int", width=6), Column("text", min_width=14, max_width=26),
                         Column("text", min_width=24, max_width=44), *(Column("money", total=True) for _ in range(3))),
                  totals=Totals(x.say("total"), label_span=3), empty_note=x.empty(name))
    return spec, rows


def _purchases(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """政府采购预算表 (seed 001 layout): 合计, the unit's 小计, then one row per item with its
    source project merged down over the project's consecutive items."""
    pur = x.d.purchases
    rows: list[Row] = []
    if pur.rows:
        rows.append(Row([Cell(x.say(f"{name}.subtotal"), colspan=7), pur.total.current, *pur.fund_totals],
                        "subtotal"))
    for r in pur.rows:
        head: list[object] = [Cell(r.project, rowspan=r.project_span),
                              Cell(r.project_budget, rowspan=r.project_span)] if r.project_first else []
        rows.append(Row([*head, r.item, r.catalog_code, r.unit, r.quantity, r.price, r.amount, *r.funds]))
    spec = x.spec(name, (Column("text", min_width=16, max_width=28), Column("money"),
                         Column("text", min_width=14, max_width=30), Column("center", min_width=10),
                         Column("center", width=6), Column("number", min_width=6), Column("price", min_width=8),
                         Column("money", total=True), *(Column("money", total=True, min_width=10) for _ in FUND_SOURCES)),
                  totals=Totals(x.say("total"), label_span=7), empty_note=x.empty(name))
    return spec, rows


def _assets(x: _Tables, name: str) -> tuple[TableSpec, list[Row]]:
    """国有资产占用情况表 (seed 001 section 七): 资产总额 = the numbered classes (the
    "其中：办公用房" line is part of 房屋 and is not added again)."""
    rows = [Row([r.item if r.number is None else x.say(f"{name}.row", number=r.number, item=r.item),
                 r.quantity, r.value], "memo" if r.number is None else "data") for r in x.d.assets.rows]
    spec = TableSpec(title=x.say(f"{name}.title"),
                     columns=(Column("text", min_width=28), Column("number", min_width=10),
                              Column("money", total=True, min_width=14)),
                     header=x.header(f"{name}.header"), unit=x.say(f"{name}.unit"), unit_line=x.dept_line,
                     totals=Totals(x.say(f"{name}.total")), notes=tuple(x.words.list(f"{name}.notes")))
    return spec, rows


# layout (in 公开表.toml) -> how that sheet is built
_BUILDERS: dict[str, Callable[[_Tables, str], tuple[TableSpec, list[Row]]]] = {
    "summary": _income_expense_summary,
    "income": _income_table,
    "function": _spending_by_function,
    "fiscal": _fiscal_summary,
    "economic": _basic_spending_by_economic,
    "three_public": _three_public,
    "projects": _projects,
    "purchases": _purchases,
    "assets": _assets,
}


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


class _BlockWords:
    """The words every 项目绩效目标表 block of a sheet shares, rendered once for the sheet
    (``key``: its section of the wording file), with the label cells made from them."""

    def __init__(self, x: _Tables, key: str) -> None:
        self.key = key
        lb = {k: x.say(f"{key}.labels.{k}") for k in x.words.raw(f"{key}.labels")}
        self.label = {k: _label(v) for k, v in lb.items()}
        self.budget_use = _label(lb["budget_use"], rowspan=2)
        self.plan = _label(lb["plan"], rowspan=2)
        header = x.words.list(f"{key}.indicator_header")
        self.indicator_header = Row([*(_label(h) for h in header[:5]), _label(header[5], colspan=2)])
        self.no_indicators = Cell(x.say(f"{key}.no_indicators"), colspan=_PERF_WIDTH, kind="center")
        self.unit = x.say("unit")
        self.unit_line = x.unit_line


def _performance_block(x: _Tables, w: _BlockWords, p: ProjectTable) -> tuple[TableSpec, list[Row]]:
    """One 项目绩效目标表 in the seed 001 layout."""
    lb = w.label
    goals = "\n".join(f"{n}.{g}" for n, g in enumerate(p.goals, start=1))
    labels = [s.label for s in p.plan]
    spans = _spread(len(labels), _PERF_WIDTH - 1)
    rows = [
        Row([lb["code"], Cell(p.code, colspan=2, kind="text"), lb["name"], Cell(p.name, colspan=3, kind="text")]),
        Row([w.budget_use, lb["budget"], Cell(p.budget, kind="money"),
             lb["fiscal"], Cell(p.fiscal, kind="money"), lb["other"], Cell(p.other, kind="money")]),
        Row([Cell(p.purpose + str(x.phrases.plan_sentence(p)), colspan=_PERF_WIDTH - 1, kind="text")]),
        Row([w.plan, *(_label(s, colspan=n) for s, n in zip(labels, spans, strict=True))]),
        Row([Cell(s.value, colspan=n, kind="percent") for s, n in zip(p.plan, spans, strict=True)]),
        Row([lb["goals"], Cell(goals, colspan=_PERF_WIDTH - 1, kind="text")]),
        w.indicator_header,
    ]
    for r in p.indicators:
        cells: list[object] = []
        if r.l1_first:
            cells.append(Cell(r.level1, rowspan=r.l1_span))
        if r.l2_first:
            cells.append(Cell(r.level2, rowspan=r.l2_span))
        cells += [r.level3, r.description, r.target, Cell(r.basis, colspan=2)]
        rows.append(Row(cells))
    if not p.indicators:
        rows.append(Row([w.no_indicators]))
    spec = TableSpec(title=x.say(f"{w.key}.block_title", no=p.no, name=p.name), columns=_PERF_COLUMNS, header=(),
                     unit=w.unit, unit_line=w.unit_line)
    return spec, rows


def _write_performance_sheet(book: Workbook, name: str, x: _Tables, styles: Styles) -> None:
    """All project blocks on one sheet, each starting a new printed page."""
    ws = book.add_worksheet(name)
    row = 0
    starts: list[int] = []
    widths: tuple[float, ...] = ()
    if not x.d.projects:
        spec = TableSpec(title=x.say(f"{name}.title"), columns=_PERF_COLUMNS, header=(), unit=x.say("unit"),
                         unit_line=x.unit_line, empty_note=x.empty(name))
        placed = write_table(ws, spec, [], styles)
        widths, row = placed.widths, placed.next_row
    if x.d.projects:
        words = _BlockWords(x, name)  # rendered once: the same in every block
        for project in x.d.projects:
            spec, rows = _performance_block(x, words, project)
            if project.no > 1:
                row += 1  # a blank row between blocks on screen; the page break is above the title
                starts.append(row)
            placed = write_table(ws, spec, rows, styles, first_row=row, set_widths=project.no == 1)
            widths, row = placed.widths, placed.next_row
    # Blocks never share a page; a block longer than a page continues without a repeated
    # header (Excel repeats one row range per sheet, not one per block).
    setup_print(ws, landscape=False, last_col=_PERF_WIDTH - 1, last_row=max(row - 1, 0),
                page_breaks=starts, widths=widths)
