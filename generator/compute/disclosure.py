"""Every figure and derived phrase of the 部门预算信息公开说明, computed from a BudgetWorkbook.

``disclosure_context(wb)`` returns the dict a Word template is rendered with. The split of work:

* the **template** holds the wording ("本年收入总计{{ income.total|amount }}万元，…") and chooses
  the precision of each figure through the Jinja filters ``amount`` / ``fixed`` / ``pct``;
* this module computes the **figures** (as Decimal, never rounded here) and the **derived words**
  that depend on them (增长/减少/持平 through ``money.Change``, the grouping of indicator rows
  for merged cells, the computed 空表列示 statement, the spending-plan sentence).

Nothing here types a figure the workbook can give: totals, shares, rates and 增减 are all derived,
so changing one amount in the workbook changes every sentence that depends on it.

Context keys avoid ``items``/``keys``/``values``/``get``…: Jinja resolves ``x.items`` on a dict to
the dict method, not the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.compute.money import ZERO, Change, change, fmt_amount, fmt_rate, rate
from generator.model import Amounts, BudgetWorkbook, DeptGoal, Indicator, Project, Purchase

# ---- document styles --------------------------------------------------------------------------

# 基本信息 → 文件样式 chooses the template; the outline lives in the template, not in code.
TEMPLATE_FOR_STYLE: dict[str, str] = {
    "信息公开说明": "部门预算信息公开说明.docx",
    "绩效目标": "部门整体绩效目标.docx",
}
OUTPUT_NAME_FOR_STYLE: dict[str, str] = {
    "信息公开说明": "{year}年部门预算信息公开情况说明.docx",
    "绩效目标": "{year}年部门整体绩效目标.docx",
}
DEFAULT_STYLE = "信息公开说明"

# Income rows compared one by one in the 收入 paragraph (上年结转 has its own clause).
CARRYOVER = "上年结转"
FUND_INCOME = "政府性基金预算拨款"
CAPITAL_INCOME = "国有资本经营预算拨款"

# The published 政府采购 table's fund columns, keyed by the workbook's 资金来源 choice.
PURCHASE_FUND_COLUMNS: tuple[tuple[str, str], ...] = (
    ("一般公共预算", "一般公共预算拨款"),
    ("政府性基金预算", "基金预算拨款"),
    ("国有资本经营预算", "国有资本经营预算拨款"),
    ("财政专户管理资金", "财政专户核拨"),
    ("单位资金", "单位资金"),
)
PURCHASE_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    # (category, catalogue-code prefix, key in the context)
    ("货物", "A", "goods"),
    ("工程", "B", "works"),
    ("服务", "C", "services"),
)
ASSET_SUBTOTAL_PREFIX = "其中"  # "其中：办公用房" is part of 房屋, not added to the total
ASSET_LABELS: dict[str, str] = {
    # Published labels carry the row numbers of the official table.
    "房屋（平方米）": "1、房屋（平方米）",
    "其中：办公用房（平方米）": "其中：办公用房（平方米）",
    "车辆（台、辆）": "2、车辆（台、辆）",
    "单价在20万元以上的设备": "3、单价在20万元以上的设备",
    "其他固定资产": "4、其他固定资产",
}

# A spending-plan sentence typed into 资金用途 (copied from an old document) would duplicate the
# generated one and may contradict the plan columns: it is dropped, the plan columns win.
# The look-behinds start a match only where a run of punctuation/space begins (the leftmost match
# starts there anyway): otherwise every position of a long run rescans it (quadratic).
_TYPED_PLAN_SENTENCE = re.compile(
    r"(?:(?<![。，,；;])[。，,；;]+|(?<![。，,；;\s]))\s*以上(?:专项)?(?:经费|费用|资金)共(?:计)?.*$", re.S)
_LEADING_NUMBER = re.compile(
    r"^\s*(?:目标\s*\d+\s*[:：]|\d+\s*[.．、)）]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+、)\s*")

_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class DisclosureOptions:
    """Choices that are not facts of the workbook."""

    main_project_count: int = 6  # projects named when 本级项目主要内容 is blank
    drop_typed_plan_sentence: bool = True


# ================================================================================================
# Small helpers
# ================================================================================================

def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五 (for （一） headings and 第一部分)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _CN_DIGITS[tens]) + "十"
    if ones:
        text += _CN_DIGITS[ones]
    return text


def strip_numbering(text: str) -> str:
    """Drop a typed leading number ("1.", "2、", "（三）", "目标1：") so the template numbers."""
    return _LEADING_NUMBER.sub("", text).strip()


def split_lines(text: str) -> list[str]:
    """A multi-line cell as a list of items without typed numbering."""
    return [line for line in (strip_numbering(x) for x in text.split("\n")) if line]


def clause(text: str) -> str:
    """User text that a template embeds mid-sentence: no trailing full stop or semicolon."""
    return text.strip().rstrip("。；;，,.")


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", "", name).removesuffix("项目")


def _amounts(a: Amounts | None) -> Amounts:
    return a if a is not None else Amounts()


def figure(current: Decimal, previous: Decimal, whole: Decimal | None = None,
           **extra: Any) -> dict[str, Any]:
    """One compared figure: amounts, ``change`` (money.Change) and ``share`` of ``whole``."""
    result: dict[str, Any] = {
        "current": current,
        "previous": previous,
        "change": change(current, previous),
        "share": rate(current, whole) if whole is not None else None,
    }
    result.update(extra)
    return result


def change_phrase(c: Change, places: int = 2) -> str:
    """The 收入 paragraph's comparison: "比上年增长4606.21万元，增长11.4%" / "较上年无变化".

    Provided ready-made for templates that want it; the shipped template writes the same words
    itself from ``change.direction`` / ``change.magnitude`` / ``change.rate_magnitude``.
    """
    if c.same:
        return "较上年无变化"
    text = f"比上年{c.direction}{fmt_amount(c.magnitude, places)}万元"
    if c.rate_magnitude is not None:
        text += f"，{c.direction}{fmt_rate(c.rate_magnitude, places)}"
    return text


# ================================================================================================
# The context
# ================================================================================================

def disclosure_context(wb: BudgetWorkbook, options: DisclosureOptions | None = None
                       ) -> dict[str, Any]:
    """Everything the disclosure templates need, computed from ``wb``."""
    opts = options or DisclosureOptions()
    info = wb.info
    style = info.style or DEFAULT_STYLE
    income = _income(wb)
    spending = _spending(wb, opts)
    projects = [_project(i, p, wb, opts) for i, p in enumerate(wb.projects, 1)]
    ctx: dict[str, Any] = {
        "year": info.year,
        "prev_year": info.year - 1 if info.year else "",
        "dept_name": info.dept_name,
        "org_full_name": info.org_full_name,
        "dept_code": info.dept_code,
        "unit_code": info.unit_code,
        "unit_name": info.unit_name or (info.org_full_name + "本级"),
        "style": style,
        "title": f"{info.dept_name}{info.year}年部门预算信息公开情况说明",
        "duty_basis": info.duty_basis,
        "duties": [strip_numbering(d) for d in wb.duties],
        "institutions": [
            {"name": i.name, "nature": i.nature, "rank": i.rank, "funding": i.funding}
            for i in wb.institutions
        ],
        "sub_units": info.sub_units,
        "income": income,
        "spending": spending,
        "budget_change": change(income["total"], income["previous_total"]),
        "operating": {
            **figure(wb.operating.current, wb.operating.previous),
            "use": clause(wb.operating.note),
            "reason": clause(wb.operating_reason),
        },
        "three_public": _three_public(wb),
        "goals": _goals(wb.goals, wb.projects),
        "measures": [strip_numbering(m) for m in wb.measures],
        "plan_labels": list(wb.plan_labels),
        "plan_is_quarterly": any("季度" in label for label in wb.plan_labels),
        "projects": projects,
        "project_total": sum((p.budget for p in wb.projects), ZERO),
        "purchases": _purchases(
            wb.purchases, info.unit_name or info.org_full_name + "本级",
            {"goods": info.goods_note, "works": info.works_note, "services": info.services_note}),
        "assets": _assets(wb),
        "terms": [{"no": n, "term": t.term, "text": t.text} for n, t in enumerate(wb.terms, 1)],
    }
    empty = empty_table_statement(wb)
    ctx["empty_tables"] = empty
    ctx["notes"] = [strip_numbering(n) for n in wb.notes] + ([empty] if empty else [])
    return ctx


def _income(wb: BudgetWorkbook) -> dict[str, Any]:
    rows = {name: _amounts(a) for name, a in wb.income.items()}
    total = sum((a.current for a in rows.values()), ZERO)
    previous_total = sum((a.previous for a in rows.values()), ZERO)
    sources = [
        figure(a.current, a.previous, total, name=name, note=a.note)
        for name, a in rows.items() if name != CARRYOVER
    ]
    carry = rows.get(CARRYOVER, Amounts())
    carry_note = clause(carry.note or wb.info.carryover_note)
    changed = [s for s in sources if not s["change"].same]
    unchanged = [s for s in sources if s["change"].same]
    # The paragraph's clauses, joined with "；" by the template: each changed source on its own,
    # the unchanged ones together (ending with one "较上年无变化"), then 上年结转 (seed 001).
    clauses: list[dict[str, Any]] = [{"kind": "changed", "sources": [s]} for s in changed]
    if unchanged:
        clauses.append({"kind": "unchanged", "sources": unchanged})
    carry_figure = figure(carry.current, carry.previous, total, note=carry_note)
    if carry.current or carry.previous:
        clauses.append({"kind": "carryover", "sources": [carry_figure]})
    return {
        "total": total,
        "previous_total": previous_total,
        "change": change(total, previous_total),
        "change_text": change_phrase(change(total, previous_total)),
        "sources": sources,
        # The paragraph names changed sources one by one and lists the unchanged ones together,
        # ending with one "较上年无变化" (seed 001).
        "changed": changed,
        "unchanged": unchanged,
        "clauses": clauses,
        "by_name": {s["name"]: s for s in sources},
        "carryover": carry_figure,
    }


def _spending(wb: BudgetWorkbook, opts: DisclosureOptions) -> dict[str, Any]:
    s = {name: _amounts(wb.spending.get(name)) for name in
         ("人员经费", "日常公用经费", "本级项目支出", "上年结转项目支出")}
    personnel, public = s["人员经费"], s["日常公用经费"]
    own, carry = s["本级项目支出"], s["上年结转项目支出"]
    basic_cur, basic_prev = personnel.current + public.current, personnel.previous + public.previous
    proj_cur, proj_prev = own.current + carry.current, own.previous + carry.previous
    total, previous_total = basic_cur + proj_cur, basic_prev + proj_prev
    main = clause(wb.info.main_projects).rstrip("等")
    if not main:
        biggest = sorted(wb.projects, key=lambda p: p.budget, reverse=True)
        main = "、".join(p.name for p in biggest[:opts.main_project_count])
    return {
        "total": total,
        "previous_total": previous_total,
        "change": change(total, previous_total),
        "basic": figure(basic_cur, basic_prev, total, reason=clause(wb.info.basic_change_reason)),
        "personnel": figure(personnel.current, personnel.previous, total),
        "public": figure(public.current, public.previous, total),
        "project": figure(proj_cur, proj_prev, total, reason=clause(wb.info.project_change_reason)),
        "project_own": figure(own.current, own.previous, total, main_projects=main),
        "project_carryover": figure(carry.current, carry.previous, total,
                                    note=clause(carry.note or wb.info.carryover_note)),
    }


def _three_public(wb: BudgetWorkbook) -> dict[str, Any]:
    t = {name: _amounts(wb.three_public.get(name)) for name in
         ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费")}
    overseas, purchase = t["因公出国（境）费"], t["公务用车购置费"]
    running, reception = t["公务用车运行费"], t["公务接待费"]
    vehicle_cur = purchase.current + running.current
    vehicle_prev = purchase.previous + running.previous
    total_cur = overseas.current + vehicle_cur + reception.current
    total_prev = overseas.previous + vehicle_prev + reception.previous
    return {
        "total": figure(total_cur, total_prev),
        "overseas": figure(overseas.current, overseas.previous, total_cur),
        "vehicle": figure(vehicle_cur, vehicle_prev, total_cur),
        "vehicle_purchase": figure(purchase.current, purchase.previous, total_cur),
        "vehicle_running": figure(running.current, running.previous, total_cur),
        "reception": figure(reception.current, reception.previous, total_cur),
    }


def _goals(goals: Sequence[DeptGoal], projects: Sequence[Project]) -> dict[str, Any]:
    by_name = {_normalise_name(p.name): p for p in projects}
    overall = [g for g in goals if g.type == "总体"]
    parts = [g for g in goals if g.type != "总体"]
    sub = []
    for n, g in enumerate(parts, 1):
        project = by_name.get(_normalise_name(g.name))
        sub.append({
            "no": n,
            "cn_no": cn_numeral(n),
            "name": g.name,
            "goal": g.goal,
            "goal_lines": split_lines(g.goal),
            "indicators_text": g.indicators,
            "indicator_lines": split_lines(g.indicators),
            # The Tangshan style opens each sub-goal with its project's 资金用途.
            "description": purpose_text(project.purpose) if project else "",
        })
    return {
        "overall": [{"no": n, "name": g.name, "text": g.goal} for n, g in enumerate(overall, 1)],
        "sub": sub,
    }


def purpose_text(text: str, drop_plan_sentence: bool = True) -> str:
    """资金用途 without a typed plan sentence, ending with "。" (empty stays empty)."""
    if not drop_plan_sentence:
        return text
    return _TYPED_PLAN_SENTENCE.sub("", text).rstrip("。.， \n") + "。" if text.strip() else ""


def plan_sentence(project: Project, labels: Sequence[str], places: int = 6) -> str:
    """"以上专项经费共计42.4万元，其中3月底前支出0%，…，12月底前支出100%。" from the plan columns
    ("第一季度末前…" for quarterly plans); a blank plan cell reads as 0%. Used by the Excel
    tables; the Word template writes the same sentence in its own (user-editable) wording,
    with the same precision (amount(6), trailing zeros dropped)."""
    parts = "，".join(f"{e['when']}支出{fmt_rate(e['value'] or ZERO)}" for e in _plan(project, labels))
    return f"以上专项经费共计{fmt_amount(project.budget, places)}万元" + (f"，其中{parts}" if parts else "") + "。"


def _plan(project: Project, labels: Sequence[str]) -> list[dict[str, Any]]:
    entries = []
    for label in labels:
        value = project.plan.get(label)
        # "3月底" → "3月底前"; "第一季度" → "第一季度末前" … the template may ignore ``when``.
        when = label + ("末" if label.endswith("季度") else "") + "前"
        entries.append({"label": label, "value": value, "when": when})
    return entries


def _project(index: int, p: Project, wb: BudgetWorkbook, opts: DisclosureOptions
             ) -> dict[str, Any]:
    plan = _plan(p, wb.plan_labels)
    budget = p.budget
    return {
        "no": index,
        "cn_no": cn_numeral(index),
        "code": p.code,
        "name": p.name,
        "budget": budget,
        "fiscal": p.fiscal,
        "other": p.other,
        "purpose": purpose_text(p.purpose, opts.drop_typed_plan_sentence),
        "purpose_as_typed": p.purpose,
        "plan": plan,
        "goals": list(p.goals),
        "indicator_rows": indicator_rows(p.indicators),
        "area": p.area,
    }


def indicator_rows(indicators: Iterable[Indicator]) -> list[dict[str, Any]]:
    """Indicator rows with the vertical-merge marks of their 一级 and 二级 cells.

    Groups are *consecutive* runs (the order typed by the user is the published order): a 一级
    group merges its 一级 cell down its rows; inside it, a 二级 group merges its 二级 cell. Each
    row carries ``l1_merge``/``l2_merge`` ("restart" on a group's first row, "continue" below)
    and ``l1_span``/``l2_span`` (the group size, on the first row).
    """
    rows: list[dict[str, Any]] = []
    for ind in indicators:
        target = ind.target.raw if ind.target is not None else ""
        rows.append({"level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
                     "description": ind.description, "target": target, "basis": ind.basis})
    for i, row in enumerate(rows):
        prev = rows[i - 1] if i else None
        l1_first = prev is None or prev["level1"] != row["level1"]
        l2_first = l1_first or prev is None or prev["level2"] != row["level2"]
        row["l1_first"], row["l2_first"] = l1_first, l2_first
        row["l1_merge"] = "restart" if l1_first else "continue"
        row["l2_merge"] = "restart" if l2_first else "continue"
    for key, first in (("l1_span", "l1_first"), ("l2_span", "l2_first")):
        start = 0
        for i, row in enumerate(rows):
            row[key] = 0
            if row[first]:
                start = i
            rows[start][key] = i - start + 1
    return rows


def _purchase_category(p: Purchase) -> str:
    if p.category:
        return p.category
    code = p.catalog_code.strip().upper()[:1]
    return next((cat for cat, prefix, _ in PURCHASE_CATEGORIES if prefix == code), "")


def _purchases(purchases: Sequence[Purchase], unit_name: str, notes: Mapping[str, str]
               ) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for i, p in enumerate(purchases):
        amount = p.amount
        funds = {label: (amount if p.fund == fund else None)
                 for fund, label in PURCHASE_FUND_COLUMNS}
        if p.fund not in dict(PURCHASE_FUND_COLUMNS):
            funds["一般公共预算拨款"] = amount  # blank 资金来源 means 一般公共预算 (schema default)
        same_project = i > 0 and purchases[i - 1].project == p.project
        rows.append({
            "project": p.project,
            "project_budget": p.project_budget,
            "first_of_project": not same_project,
            "project_merge": "continue" if same_project else "restart",
            "item": p.item,
            "catalog_code": p.catalog_code,
            "category": _purchase_category(p),
            "unit": p.unit,
            "quantity": p.quantity,
            "price": p.price,
            "amount": amount,
            "funds": [funds[label] for _, label in PURCHASE_FUND_COLUMNS],
        })
    total = sum((r["amount"] for r in rows), ZERO)
    fund_totals = [
        sum((r["funds"][k] or ZERO for r in rows), ZERO) for k in range(len(PURCHASE_FUND_COLUMNS))
    ]
    categories = {}
    for cat, _, key in PURCHASE_CATEGORIES:
        mine = [r for r in rows if r["category"] == cat]
        categories[key] = {
            "name": cat,
            "count": len(mine),
            "amount": sum((r["amount"] for r in mine), ZERO),
            "note": clause(notes.get(key, "")),
        }
    return {
        "count": len(rows),
        "amount": total,
        "rows": rows,
        "fund_headers": [label for _, label in PURCHASE_FUND_COLUMNS],
        "fund_totals": fund_totals,
        "unit_name": unit_name,
        **categories,
    }


def _assets(wb: BudgetWorkbook) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for key, row in wb.assets.items():
        rows.append({
            "item": ASSET_LABELS.get(key, key),
            "quantity": row.quantity,
            "value": row.value,
            "is_part": key.startswith(ASSET_SUBTOTAL_PREFIX),
        })
    # 资产总额 = the classes, not the "其中" breakdown of one of them.
    total = sum((r["value"] for r in rows if not r["is_part"]), ZERO)
    classes = [{"category": c.category, "value": c.value} for c in wb.asset_classes]
    return {
        "total": total,
        "rows": rows,
        "classes": classes,
        "classes_total": sum((c.value for c in wb.asset_classes), ZERO),
        "purchase": wb.info.asset_purchase,
        "purchase_use": clause(wb.info.asset_purchase_use),
    }


def empty_table_statement(wb: BudgetWorkbook) -> str:
    """The 其他说明 sentence for fund types without money: their tables are published empty."""
    def fund_spending(fund: str) -> Decimal:
        return sum((f.total for f in wb.functions if f.fund == fund), ZERO)

    parts = []
    capital = _amounts(wb.income.get(CAPITAL_INCOME)).current + fund_spending("国有资本经营预算")
    if capital == 0:
        parts.append("无国有资本经营预算，国有资本经营预算财政拨款支出表空表列示")
    fund = _amounts(wb.income.get(FUND_INCOME)).current + fund_spending("政府性基金预算")
    if fund == 0:
        parts.append("无政府性基金预算，政府基金预算财政拨款支出表空表列示")
    if not parts:
        return ""
    return "本部门" + "；".join(parts) + "。"
