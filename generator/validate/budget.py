"""Rules for the 部门预算 workbook: required content per document style, and consistency.

Each rule is registered in ``validate/rules.py``. Money comparisons are exact
in Decimal: the workbook holds raw amounts and the published document derives everything from
them, so any disagreement is a real inconsistency, not a rounding artefact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from generator.compute.money import fmt_amount, fmt_rate
from generator.model import ZERO, Amounts, BudgetWorkbook, Project, catalog
from generator.model.outlines import DEFAULT_OUTLINE, OUTLINES, Outline
from generator.model.schema import SHEETS, STANDARD_TERMS, WorkbookKind
from generator.model.units import MONEY_FAMILY, UNIT_FAMILIES
from generator.validate import findings as F
from generator.validate.findings import Finding
from generator.validate.subject import Subject
from generator.validate.text_figures import agrees, stated_plan, stated_totals

ONE_HUNDRED = Decimal(1)
# plan label ("6月底") -> column key ("plan_m6"), to point findings at the plan cell
_PLAN_KEYS = {c.header: c.key for s in SHEETS[WorkbookKind.BUDGET] if s.name == "项目"
              for c in getattr(s, "columns", ()) if c.key.startswith("plan_")}
_SHEETS = {s.name: s for s in SHEETS[WorkbookKind.BUDGET]}
# Spending rows every disclosure states: a blank 本年 there is not a zero, it is missing. (Project
# spending is stated only when given: blank 本级/上年结转项目支出 leave their clauses out.)
STATED_SPENDING = ("人员经费", "日常公用经费")
PREFILLED_TERMS = tuple(STANDARD_TERMS)

_MONEY = UNIT_FAMILIES[MONEY_FAMILY]  # unit -> factor to 元


def _amount(d: Decimal | None) -> str:
    # Findings quote amounts as typed (up to 6 decimals): "2.0083", not a rounded "2.01".
    return fmt_amount(d, places=6)


def _v(d: Decimal | None) -> Decimal:
    """An amount in a consistency sum: a blank row adds nothing."""
    return ZERO if d is None else d


def _outline(wb: BudgetWorkbook) -> Outline | None:
    return OUTLINES.get(wb.info.style or DEFAULT_OUTLINE)


def _sheet_is_empty(wb: BudgetWorkbook, sheet: str) -> bool:
    """Whether the content a document section takes from ``sheet`` is missing."""
    if sheet == "收支预算":
        return all(a.current is None for a in (*wb.income.values(), *wb.spending.values()))
    if sheet == "机关运行经费":
        return wb.operating.current is None
    if sheet == "三公经费":
        return all(a.current is None for a in wb.three_public.values())
    if sheet == "国有资产":
        return all(a.value is None for a in wb.assets.values())
    content = {"部门职责": wb.duties, "整体绩效目标": wb.goals, "工作保障措施": wb.measures, "项目": wb.projects,
               "名词解释": wb.terms}
    return not content.get(sheet, [True])


def required_content(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Every sheet the chosen outline (文件样式) cannot do without has content; every amount its
    sentences state is filled (a blank is not a zero)."""
    wb = s.workbook
    outline = _outline(wb)
    if outline is None:
        return  # an unknown 文件样式 is a bad-choice finding of the reader
    for sheet in outline.requires:
        if _sheet_is_empty(wb, sheet):
            yield F.make("section-empty", sheet, "A2", "", "",
                         f"“{sheet}”表为空，而文件样式“{wb.info.style or DEFAULT_OUTLINE}”的文件需要这部分内容",
                         f"请填写“{sheet}”表；{_SHEETS[sheet].help}")
    if not outline.tables:
        return
    rows: list[tuple[str, str, Amounts]] = [("收支预算", label, wb.spending[label]) for label in STATED_SPENDING
                                            if label in wb.spending]
    rows += [("三公经费", label, a) for label, a in wb.three_public.items()]
    rows.append(("机关运行经费", "运行经费", wb.operating))
    for sheet, label, a in rows:
        if a.current is None and not _sheet_is_empty(wb, sheet):
            yield F.make("required", sheet, a.cells.get("current", ""), "本年预算数", "",
                         f"“{label}”的本年预算数为空，文件需要写明这一金额",
                         "请填写本年预算数；没有该项支出请填 0")
    if not _sheet_is_empty(wb, "国有资产"):
        for label, asset in wb.assets.items():
            if asset.value is None:  # the 资产总额 the documents state adds every row
                yield F.make("required", "国有资产", asset.cells.get("value", ""), "价值", "",
                             f"“{label}”的价值为空，资产总额无法计算", "请填写价值；没有该类资产请填 0")


def previous_blank(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """A blank 上年预算数 next to a filled 本年: the documents leave the comparison out."""
    wb = s.workbook
    rows: list[tuple[str, str, Amounts]] = [("收支预算", label, a) for label, a in (*wb.income.items(),
                                                                              *wb.spending.items())]
    rows += [("三公经费", label, a) for label, a in wb.three_public.items()]
    rows.append(("机关运行经费", "运行经费", wb.operating))
    for sheet, label, a in rows:
        if a.current is not None and a.previous is None and (a.current != 0 or sheet != "收支预算"):
            cell = a.cells.get("previous") or a.cells.get("current", "")
            yield F.make("previous-blank", sheet, cell, "上年预算数", "",
                         f"“{label}”的上年预算数为空：文件中不与上年比较（写“上年无可比数据”）",
                         "如有上年数请填写；上年为零请填 0")


def prefilled_terms(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """The standard 名词解释 pre-filled by the template, left as they were: worth a look."""
    wb = s.workbook
    outline = _outline(wb)
    unchanged = bool(wb.terms) and tuple((t.term, t.text) for t in wb.terms) == PREFILLED_TERMS
    if outline is not None and "名词解释" in outline.requires and unchanged:
        yield F.make("prefilled-default", "名词解释", "B2", "名词", "",
                     "“名词解释”是模板预填的标准解释，未作修改", "请确认这些解释适用于本部门；可增删修改")


def money(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Income = spending; 本级项目 = Σ projects; 功能分类/经济分类 agree with the spending kinds."""
    wb = s.workbook
    outline = _outline(wb)
    if outline is None or not outline.tables:
        return
    unit = wb.info.amount_unit
    income = sum((_v(a.current) for a in wb.income.values()), ZERO)
    spending = sum((_v(a.current) for a in wb.spending.values()), ZERO)
    if income != spending:
        src = wb.spending["人员经费"].cells.get("current", "")
        yield F.make("income-vs-spending", "收支预算", src, "本年预算数",
                     f"{_amount(income)} / {_amount(spending)}",
                     f"本年收入合计 {_amount(income)} {unit}，支出合计 {_amount(spending)} {unit}，二者应相等"
                     f"（差 {_amount(income - spending)} {unit}）", "请核对收支预算表各行金额")
    inc = [a.previous for a in wb.income.values() if a.previous is not None]
    spe = [a.previous for a in wb.spending.values() if a.previous is not None]
    # A blank 上年 (a 警告 of its own) leaves last year's totals unknown: nothing to compare.
    complete = all(a.previous is not None for a in (*wb.income.values(), *wb.spending.values())
                   if a.current is not None)
    if complete and inc and spe and sum(inc, ZERO) != sum(spe, ZERO):
        src = wb.spending["人员经费"].cells.get("previous", "")
        yield F.make("income-vs-spending", "收支预算", src, "上年预算数",
                     f"{_amount(sum(inc, ZERO))} / {_amount(sum(spe, ZERO))}",
                     f"上年收入合计 {_amount(sum(inc, ZERO))} {unit}，支出合计 {_amount(sum(spe, ZERO))} {unit}，"
                     "二者应相等", "请核对上年预算数")
    own = wb.spending["本级项目支出"]
    projects_total = sum((p.budget for p in wb.projects), ZERO)
    if (wb.projects or _v(own.current)) and projects_total != _v(own.current):
        yield F.make("projects-vs-spending", "收支预算", own.cells.get("current", ""),
                     "本年预算数", _amount(own.current),
                     f"“项目”表 {len(wb.projects)} 个项目预算合计 {_amount(projects_total)} {unit}，"
                     f"与本级项目支出 {_amount(own.current)} {unit}不符（差 {_amount(projects_total - _v(own.current))}）",
                     "请核对项目预算数或本级项目支出")
    if wb.functions:
        first = wb.functions[0].cells
        pairs = (
            ("personnel", "人员经费", sum((f.personnel for f in wb.functions), ZERO), _v(wb.spending["人员经费"].current)),
            ("public", "公用经费", sum((f.public for f in wb.functions), ZERO), _v(wb.spending["日常公用经费"].current)),
            ("project", "项目支出", sum((f.project for f in wb.functions), ZERO),
             _v(wb.spending["本级项目支出"].current) + _v(wb.spending["上年结转项目支出"].current)),
        )
        for key, name, got, want in pairs:
            if got != want:
                yield F.make("functions-vs-spending", "功能分类支出", first.get(key, ""), name, _amount(got),
                             f"功能分类支出的{name}合计 {_amount(got)} {unit}，与收支预算中的 {_amount(want)} {unit}不符",
                             "请核对功能分类各科目金额")
    if wb.economics:
        got = sum((e.amount for e in wb.economics), ZERO)
        want = _v(wb.spending["人员经费"].current) + _v(wb.spending["日常公用经费"].current)
        if got != want:
            yield F.make("economics-vs-basic", "经济分类支出", wb.economics[0].cells.get("amount", ""), "金额",
                         _amount(got), f"经济分类支出合计 {_amount(got)} {unit}，与基本支出（人员经费+日常公用经费）"
                         f"{_amount(want)} {unit}不符", "请核对经济分类各科目金额")
    public = _v(wb.spending["日常公用经费"].current)
    operating = _v(wb.operating.current)
    administrative = wb.operating.project is None and wb.operating.basic is None
    if administrative and operating > public > 0:
        yield F.make("operating-vs-public", "机关运行经费", wb.operating.cells.get("current", ""), "本年预算数",
                     _amount(operating), f"机关运行经费 {_amount(operating)} {unit}超过日常公用经费 {_amount(public)} {unit}",
                     "机关运行经费是日常公用经费的一部分，请核对")
    split = [x for x in (wb.operating.basic, wb.operating.project) if x is not None]
    if split and wb.operating.current is not None and sum(split, ZERO) > wb.operating.current:
        yield F.make("operating-split", "机关运行经费", wb.operating.cells.get("basic", ""), "其中：基本支出",
                     _amount(sum(split, ZERO)),
                     f"运行经费的基本支出与项目支出之和 {_amount(sum(split, ZERO))} {unit}大于本年预算数 "
                     f"{_amount(wb.operating.current)} {unit}", "请核对运行经费的分项金额")


def catalogue_codes(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """功能分类/经济分类 codes named as in the chosen catalogue, each code once per fund source.

    A line whose 类 the catalogue does not list is an error: the 部门收支总表 lists the
    catalogue's 类 only, so its amount would be left out of the published table."""
    wb = s.workbook
    chosen = catalog.for_workbook(wb)
    for note in chosen.notes:
        yield F.make("catalog-choice", "基本信息", wb.info.cells.get("region", ""), "地区", wb.info.region, note,
                     "如需其他科目表，见 docs/catalog.md")
    seen: set[tuple[str, str]] = set()
    for line in wb.functions:
        cell = line.source.cell if line.source else ""
        if (line.code, line.fund) in seen:
            yield F.make("duplicate-code", "功能分类支出", cell, "科目编码", line.code,
                         f"科目 {line.code} 在同一资金来源下出现两次", "请合并为一行")
        seen.add((line.code, line.fund))
        problem = chosen.check_function_code_name(line.code, line.name)
        if problem and chosen.function_class(line.code)[1] is None:
            yield F.make("function-code-unknown", "功能分类支出", cell, "科目编码", line.code,
                         f"{problem}，部门收支总表无法列示这笔支出",
                         "请核对科目编码；本地区科目表确有此类时，在基本信息填写地区或提供科目表文件（见 docs/catalog.md）")
        elif problem:
            yield F.make("function-code-name", "功能分类支出", cell, "科目编码", line.code, problem,
                         "请按《政府收支分类科目》核对编码和名称")
    for eline in wb.economics:
        problem = chosen.check_economic_code_name(eline.code, eline.name)
        if problem:
            yield F.make("function-code-name", "经济分类支出", eline.source.cell if eline.source else "",
                         "科目编码", eline.code, problem, "请按部门预算支出经济分类科目核对编码和名称")


def projects(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Per project: typed 预算数, figures typed in 资金用途, duplicates."""
    wb = s.workbook
    unit = wb.info.amount_unit
    seen: dict[str, Project] = {}
    for p in wb.projects:
        key = p.code or p.name
        if key in seen:
            yield F.make("duplicate-project", "项目", p.cells.get("code") or p.cells.get("name", ""),
                         "项目编码" if p.code else "项目名称", key,
                         f"项目“{key}”出现两次（另见 {seen[key].cells.get('name', '')}）", "请删除重复行或改正编码")
        seen[key] = p
        if p.typed_budget is not None and p.typed_budget != p.budget:
            yield F.make("project-budget-sum", "项目", p.cells.get("budget", ""), "预算数",
                         _amount(p.typed_budget),
                         f"项目“{p.name}”预算数 {_amount(p.typed_budget)} {unit} ≠ 财政资金 {_amount(p.fiscal)}"
                         f" + 其他资金 {_amount(p.other)} = {_amount(p.budget)} {unit}",
                         "请核对三个金额；预算数也可以留空由工具计算")
        for total in stated_totals(p.purpose):  # stated in 万元, whatever the workbook's unit
            if not agrees(total, p.budget * _MONEY[unit] / _MONEY["万元"]):
                yield F.make("stated-amount-mismatch", "项目", p.cells.get("purpose", ""), "资金用途", total,
                             f"资金用途中写“共计{total}万元”，而项目预算数为 {_amount(p.budget)} {unit}",
                             "删除文字中的金额（工具会自动生成“以上专项经费共计…”），或改正金额")
        if p.purpose and not p.purpose.rstrip().endswith(("。", "！", "；", ".", "”", "）")):
            yield F.make("missing-final-punctuation", "项目", p.cells.get("purpose", ""), "资金用途",
                         p.purpose[-20:], f"项目“{p.name}”的资金用途末尾缺少句号",
                         "补上“。”（文件中其后会接“以上专项经费共计…”一句）")
        typed_plan = stated_plan(p.purpose)
        foreign = [label for label in typed_plan if label not in p.plan]
        if foreign:  # one finding for the sentence, however many time points it names
            yield F.make("stated-rate-mismatch", "项目", p.cells.get("purpose", ""), "资金用途",
                         "、".join(foreign),
                         f"资金用途中按“{'、'.join(foreign)}”描述支出进度，而资金支出计划的时点是"
                         f"{'、'.join(p.plan)}", "删除文字中的支出进度（工具会根据支出计划自动生成），或改正计划")
        for label, stated in typed_plan.items():
            if label in foreign:
                continue
            value = p.plan.get(label)
            if value is not None and not agrees(stated, value * 100):
                yield F.make("stated-rate-mismatch", "项目", p.cells.get("purpose", ""), "资金用途",
                             f"{label} {stated}%",
                             f"资金用途中写{label}支出 {stated}%，而资金支出计划为 {_pct(value)}",
                             "删除文字中的支出进度（工具会根据支出计划自动生成），或改正计划")


def _pct(fraction: Decimal) -> str:
    return fmt_rate(fraction, places=2)


def spending_plans(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """资金支出计划: cumulative, never above 100%, at 100% by the last time point."""
    for p in s.workbook.projects:
        yield from _plan(p)


def _plan(p: Project) -> Iterator[Finding]:
    previous: Decimal | None = None
    labels = list(p.plan)
    for label in labels:
        value = p.plan[label]
        if value is None:
            continue
        if value > ONE_HUNDRED:
            yield F.make("plan-above-100", "项目", p.cells.get(_PLAN_KEYS.get(label, ""), ""), label, _pct(value),
                         f"项目“{p.name}”{label}累计支出计划 {_pct(value)} 超过 100%", "累计比例最多 100%")
        if previous is not None and value < previous:
            yield F.make("plan-decreasing", "项目", p.cells.get(_PLAN_KEYS.get(label, ""), ""), label, _pct(value),
                         f"项目“{p.name}”{label}累计支出计划 {_pct(value)} 小于上一期 {_pct(previous)}",
                         "资金支出计划是累计进度，应逐期不减")
        previous = value
    last = p.plan.get(labels[-1]) if labels else None
    if labels and (last is None or last != ONE_HUNDRED):
        yield F.make("plan-not-complete", "项目", p.cells.get(_PLAN_KEYS.get(labels[-1], ""), ""),
                     labels[-1], "" if last is None else _pct(last),
                     f"项目“{p.name}”{labels[-1]}累计支出计划为 {'空' if last is None else _pct(last)}，"
                     "年底应达到 100%", "如确需跨年支出，请在资金用途中说明")


def main_projects(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Names listed in 本级项目主要内容 must be projects of the 项目 sheet."""
    wb = s.workbook
    names = {p.name for p in wb.projects}
    for name in re.split(r"[、，,；;\s]+", wb.info.main_projects.rstrip("等。")):
        name = name.strip().removesuffix("等")
        if name and names and name not in names:
            yield F.make("stated-name-mismatch", "基本信息", wb.info.cells.get("main_projects", ""),
                         "本级项目主要内容", name,
                         f"“本级项目主要内容”中的“{name}”不是“项目”表中的项目名称",
                         "改为项目表中的名称，或留空由工具自动列出")
            return


def purchases(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Each purchase's 采购类别 matches its 目录序号; no purchase costs more than its project."""
    wb = s.workbook
    unit = wb.info.amount_unit
    prefix = {"A": "货物", "B": "工程", "C": "服务"}
    for row in wb.purchases:
        code = row.catalog_code[:1].upper()
        if code in prefix and row.category and prefix[code] != row.category:
            yield F.make("purchase-category", "政府采购", row.cells.get("category", ""), "采购类别",
                         row.category, f"目录序号 {row.catalog_code} 属于{prefix[code]}类，采购类别却填“{row.category}”",
                         f"请改为“{prefix[code]}”或核对目录序号")
        if row.project_budget is not None and row.amount > row.project_budget:
            yield F.make("purchase-over-budget", "政府采购", row.cells.get("price", ""), "单价",
                         _amount(row.amount), f"“{row.item}”采购金额 {_amount(row.amount)} {unit}（数量×单价）"
                         f"超过来源项目预算 {_amount(row.project_budget)} {unit}", "请核对数量、单价或预算资金")
