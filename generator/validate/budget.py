"""Rules for the 部门预算 workbook: required content per document style, and consistency.

Each ``check_*`` yields findings; ``validate_budget`` runs them all. Money comparisons are exact
in Decimal: the workbook holds raw amounts and the published document derives everything from
them, so any disagreement is a real inconsistency, not a rounding artefact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from generator.compute.money import fmt_amount, fmt_rate
from generator.model import ZERO, BudgetWorkbook, Project, catalog
from generator.model.indicator_tree import IndicatorTree
from generator.model.schema import SHEETS, WorkbookKind
from generator.validate import findings as F
from generator.validate import indicators as I
from generator.validate.findings import Finding
from generator.validate.text_figures import agrees, stated_plan, stated_totals

FULL_STYLE = "信息公开说明"
ONE_HUNDRED = Decimal(1)
# plan label ("6月底") -> column key ("plan_m6"), to point findings at the plan cell
_PLAN_KEYS = {c.header: c.key for s in SHEETS[WorkbookKind.BUDGET] if s.name == "项目"
              for c in getattr(s, "columns", ()) if c.key.startswith("plan_")}


def _amount(d: Decimal) -> str:
    # Findings quote amounts as typed (up to 6 decimals): "2.0083", not a rounded "2.01".
    return fmt_amount(d, places=6)


def check_required_content(wb: BudgetWorkbook) -> Iterator[Finding]:
    """The full disclosure needs its duties, money tables and running-cost figures."""
    if not wb.projects:
        yield F.make("required", "项目", "A2", "项目名称", "", "“项目”表没有任何项目",
                     "请至少填写一个预算项目及其绩效指标")
    if wb.info.style != FULL_STYLE:
        return
    if not wb.duties:
        yield F.make("required", "部门职责", "B2", "职责内容", "", "“部门职责”表为空",
                     "信息公开说明第一部分需要部门职责，请逐条填写")
    if sum((a.current for a in wb.income.values()), ZERO) == 0:
        yield F.make("required", "收支预算", "C2", "本年预算数", "", "收支预算的本年收入全部为 0 或空白",
                     "请填写本年各项收入预算数")


def check_money(wb: BudgetWorkbook) -> Iterator[Finding]:
    """Income = spending; 本级项目 = Σ projects; 功能分类/经济分类 agree with the spending kinds."""
    if wb.info.style != FULL_STYLE:
        return
    income = sum((a.current for a in wb.income.values()), ZERO)
    spending = sum((a.current for a in wb.spending.values()), ZERO)
    if income != spending:
        src = wb.spending["人员经费"].source
        yield F.make("income-vs-spending", "收支预算", src.cell if src else "", "本年预算数",
                     f"{_amount(income)} / {_amount(spending)}",
                     f"本年收入合计 {_amount(income)} 万元，支出合计 {_amount(spending)} 万元，二者应相等"
                     f"（差 {_amount(income - spending)} 万元）", "请核对收支预算表各行金额")
    for period, pick in (("本年", "current"), ("上年", "previous")):
        inc = sum((getattr(a, pick) for a in wb.income.values()), ZERO)
        spe = sum((getattr(a, pick) for a in wb.spending.values()), ZERO)
        if period == "上年" and inc != spe and inc and spe:
            yield F.make("income-vs-spending", "收支预算", "D2", "上年预算数",
                         f"{_amount(inc)} / {_amount(spe)}",
                         f"上年收入合计 {_amount(inc)} 万元，支出合计 {_amount(spe)} 万元，二者应相等",
                         "请核对上年预算数")
    own = wb.spending["本级项目支出"]
    projects_total = sum((p.budget for p in wb.projects), ZERO)
    if wb.projects and projects_total != own.current:
        yield F.make("projects-vs-spending", "收支预算", own.source.cell if own.source else "",
                     "本年预算数", _amount(own.current),
                     f"“项目”表 {len(wb.projects)} 个项目预算合计 {_amount(projects_total)} 万元，"
                     f"与本级项目支出 {_amount(own.current)} 万元不符（差 {_amount(projects_total - own.current)}）",
                     "请核对项目预算数或本级项目支出")
    if wb.functions:
        pairs = (
            ("人员经费", sum((f.personnel for f in wb.functions), ZERO), wb.spending["人员经费"].current),
            ("公用经费", sum((f.public for f in wb.functions), ZERO), wb.spending["日常公用经费"].current),
            ("项目支出", sum((f.project for f in wb.functions), ZERO),
             wb.spending["本级项目支出"].current + wb.spending["上年结转项目支出"].current),
        )
        for name, got, want in pairs:
            if got != want:
                yield F.make("functions-vs-spending", "功能分类支出", "A1", name, _amount(got),
                             f"功能分类支出的{name}合计 {_amount(got)} 万元，与收支预算中的 {_amount(want)} 万元不符",
                             "请核对功能分类各科目金额")
    if wb.economics:
        got = sum((e.amount for e in wb.economics), ZERO)
        want = wb.spending["人员经费"].current + wb.spending["日常公用经费"].current
        if got != want:
            yield F.make("economics-vs-basic", "经济分类支出", "A1", "金额", _amount(got),
                         f"经济分类支出合计 {_amount(got)} 万元，与基本支出（人员经费+日常公用经费）"
                         f"{_amount(want)} 万元不符", "请核对经济分类各科目金额")
    public = wb.spending["日常公用经费"].current
    if wb.operating.current > public > 0:
        yield F.make("operating-vs-public", "机关运行经费", wb.operating.source.cell if wb.operating.source
                     else "B2", "本年预算数", _amount(wb.operating.current),
                     f"机关运行经费 {_amount(wb.operating.current)} 万元超过日常公用经费 {_amount(public)} 万元",
                     "机关运行经费是日常公用经费的一部分，请核对")


def check_codes(wb: BudgetWorkbook) -> Iterator[Finding]:
    """功能分类/经济分类 codes named as in the chosen catalogue, each code once per fund source.

    A line whose 类 the catalogue does not list is an error: the 部门收支总表 lists the
    catalogue's 类 only, so its amount would be left out of the published table."""
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


def check_projects(wb: BudgetWorkbook) -> Iterator[Finding]:
    """Per project: typed 预算数, plan shape, figures typed in 资金用途, duplicates."""
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
                         f"项目“{p.name}”预算数 {_amount(p.typed_budget)} 万元 ≠ 财政资金 {_amount(p.fiscal)}"
                         f" + 其他资金 {_amount(p.other)} = {_amount(p.budget)} 万元",
                         "请核对三个金额；预算数也可以留空由工具计算")
        yield from _check_plan(p)
        for total in stated_totals(p.purpose):
            if not agrees(total, p.budget):
                yield F.make("stated-amount-mismatch", "项目", p.cells.get("purpose", ""), "资金用途", total,
                             f"资金用途中写“共计{total}万元”，而项目预算数为 {_amount(p.budget)} 万元",
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


def _check_plan(p: Project) -> Iterator[Finding]:
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


def check_main_projects(wb: BudgetWorkbook) -> Iterator[Finding]:
    """Names listed in 本级项目主要内容 must be projects of the 项目 sheet."""
    names = {p.name for p in wb.projects}
    for name in re.split(r"[、，,；;\s]+", wb.info.main_projects.rstrip("等。")):
        name = name.strip().removesuffix("等")
        if name and names and name not in names:
            yield F.make("stated-name-mismatch", "基本信息", wb.info.cells.get("main_projects", ""),
                         "本级项目主要内容", name,
                         f"“本级项目主要内容”中的“{name}”不是“项目”表中的项目名称",
                         "改为项目表中的名称，或留空由工具自动列出")
            return


def check_purchases(wb: BudgetWorkbook) -> Iterator[Finding]:
    prefix = {"A": "货物", "B": "工程", "C": "服务"}
    for row in wb.purchases:
        code = row.catalog_code[:1].upper()
        if code in prefix and row.category and prefix[code] != row.category:
            yield F.make("purchase-category", "政府采购", row.cells.get("category", ""), "采购类别",
                         row.category, f"目录序号 {row.catalog_code} 属于{prefix[code]}类，采购类别却填“{row.category}”",
                         f"请改为“{prefix[code]}”或核对目录序号")
        if row.project_budget is not None and row.amount > row.project_budget:
            yield F.make("purchase-over-budget", "政府采购", row.cells.get("price", ""), "单价",
                         _amount(row.amount), f"“{row.item}”采购金额 {_amount(row.amount)} 万元（数量×单价）"
                         f"超过来源项目预算 {_amount(row.project_budget)} 万元", "请核对数量、单价或预算资金")


def check_indicators(wb: BudgetWorkbook, tree: IndicatorTree) -> Iterator[Finding]:
    for ind in wb.orphan_indicators:
        name = ind.project_code or ind.project_name
        yield F.make("unknown-project", ind.source.sheet if ind.source else "绩效指标",
                     ind.cells.get("project_code") or ind.cells.get("project_name", ""), "项目编码", name,
                     f"指标“{ind.level3}”所属项目“{name}”在“项目”表中不存在", "请核对项目编码/名称")
    all_indicators = [i for p in wb.projects for i in p.indicators]
    yield from I.check_levels(all_indicators + wb.orphan_indicators, tree)
    yield from I.check_values(all_indicators)
    for p in wb.projects:
        yield from I.check_structure(p.name, p.indicators, tree, "项目", p.cells.get("name", ""))
        yield from I.check_years(p.indicators, wb.info.year)
        for ind in p.indicators:
            if ind.project_code and p.code and ind.project_name and ind.project_name != p.name:
                yield F.make("project-name-mismatch", "绩效指标", ind.cells.get("project_name", ""),
                             "项目名称", ind.project_name,
                             f"项目编码 {p.code} 对应的项目是“{p.name}”，这里写的是“{ind.project_name}”",
                             "请核对项目编码和名称")
    yield from I.check_doc_numbers(all_indicators)
    yield from I.check_title_variants(all_indicators)


def validate_budget(wb: BudgetWorkbook, tree: IndicatorTree) -> list[Finding]:
    out: list[Finding] = []
    for check in (check_required_content, check_money, check_codes, check_projects, check_main_projects,
                  check_purchases):
        out.extend(check(wb))
    out.extend(check_indicators(wb, tree))
    return out
