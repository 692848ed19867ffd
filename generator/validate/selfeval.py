"""Rules for the 绩效自评 workbook: sections, funds, scoring findings, figures typed in text.

Scoring-related findings (missing actuals, reasons, overrides, weights) are made from the scored
facts (``validate.scores``); the rules here own the sections: what a 文件样式 requires, the
收支情况 without which nothing can be scored, pre-filled wording left unchanged, and what the
texts claim against what was scored. Each rule is registered in ``validate/rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.compute.money import fmt_rate, rate
from generator.model import SelfEvalWorkbook
from generator.model.schema import EVAL_FUND_ROWS, SELF_EVAL_PREFILLED, SELF_EVAL_PROJECT_STYLE
from generator.model.text import normalize_label
from generator.validate import findings as F
from generator.validate.findings import Finding
from generator.validate.scores import findings as scoring_findings
from generator.validate.subject import Subject
from generator.validate.text_figures import agrees
from generator.validate.text_figures import stated_rates as rates_in

FUNDS_SHEET = "收支情况"


def funds(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """收支情况 is the department's execution: without 全年执行数 it cannot be scored.

    Each source row is filled (全年预算数 and 全年执行数) or left blank entirely; at least one
    row must be filled. A project-only self-evaluation does without this sheet.
    """
    wb = s.workbook
    if wb.info.style == SELF_EVAL_PROJECT_STYLE:
        return
    filled = reported = False
    for name in EVAL_FUND_ROWS:
        fund = wb.funds.get(name)
        if fund is None or fund.blank:
            continue
        for key, value in (("budget", fund.budget), ("executed", fund.executed)):
            header = _FUND_HEADERS[key]
            if value is None:
                reported = True
                yield F.make("funds-missing", FUNDS_SHEET, fund.cells.get(key, ""), header, "",
                             f"“{name}”一行填写了部分金额，但{header}为空：无法计算执行率",
                             f"填写{name}的{header}（没有该来源的资金时整行留空）")
        filled = filled or (fund.budget is not None and fund.executed is not None)
    if not filled and not reported:
        first = wb.funds.get(EVAL_FUND_ROWS[0])
        yield F.make("funds-missing", FUNDS_SHEET, first.cells.get("executed", "") if first else "",
                     _FUND_HEADERS["executed"], "",
                     "收支情况没有填写全年预算数和全年执行数：部门整体的预算执行率无法计算，报告和自评表无法生成",
                     "按资金来源填写全年预算数（调整后）和全年执行数；没有的来源整行留空")


_FUND_HEADERS = {"budget": "全年预算数", "executed": "全年执行数"}

# Sheets a department-wide self-evaluation cannot do without (the report's sections they own),
# and what to tell the user; the optional ones (部门概况, 整体绩效指标, 评价工作组) leave their
# section out when empty.
_REQUIRED_DEPT_SECTIONS: dict[str, str] = {
    "整体绩效目标": "报告“部门整体支出绩效目标”和“目标实现情况”两节来自此表：至少填写一行“总体”目标及实际完成情况",
    "问题与改进": "报告“存在的问题及改进措施”一节来自此表：“存在问题”和“改进措施”各至少一行（没有问题时写明，如“无问题存在。”）",
}


def sections(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """Every section of the documents has an owner: required and empty is an error at the sheet."""
    wb = s.workbook
    if wb.info.style == SELF_EVAL_PROJECT_STYLE:
        if not wb.projects:
            yield F.make("section-empty", "项目", "", "", "",
                         "项目支出绩效自评没有任何项目：项目支出绩效自评表无法生成",
                         "在“项目”表填写项目，在“绩效指标”表填写其指标")
        return
    empty = {"整体绩效目标": not wb.goals, "问题与改进": not (wb.problems and wb.improvements)}
    for sheet, fix in _REQUIRED_DEPT_SECTIONS.items():
        if empty[sheet]:
            what = "缺少“存在问题”或“改进措施”" if sheet == "问题与改进" and (wb.problems or wb.improvements) \
                else "为空"
            yield F.make("section-empty", sheet, "", "", "", f"工作表“{sheet}”{what}", fix)


def prefilled_wording(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """Wording `template --from` pre-filled and the user left as it was (提示, not a problem)."""
    wb = s.workbook
    org = wb.info.org_full_name or wb.info.dept_name
    for key, text in SELF_EVAL_PREFILLED.items():
        value = getattr(wb, key)
        if value and normalize_label(value) == normalize_label(text.format(org=org)):
            header = _ORG_HEADERS[key]
            yield F.make("prefilled-default", "自评组织", wb.org_cells.get(key, ""), header, value,
                         f"“{header}”仍是模板预填的内容，报告将照此印出",
                         "确认符合本部门实际；需要时改写")


_ORG_HEADERS = {"basis": "依据文件", "group": "领导小组", "method": "方法过程"}


def stated_rates(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """A 拨付率/执行率 typed in a project's text must match 执行数/预算数 (seed 000's 75.3%)."""
    wb = s.workbook
    for p in wb.projects:
        fraction = rate(p.executed, p.budget)
        if fraction is None:
            continue
        computed = fraction * 100
        for key, header, text in (("result", "实际完成情况", p.result), ("summary", "补充说明", p.summary),
                                  ("goal", "年度总体目标", p.goal)):
            for name, stated in rates_in(text):
                if not agrees(stated, computed):
                    yield F.make("stated-rate-mismatch", "项目", p.cells.get(key, ""), header,
                                 f"{name}{stated}%",
                                 f"项目“{p.name}”文字中写{name} {stated}%，而全年执行数 {p.executed} ÷ "
                                 f"全年预算数 {p.budget} = {fmt_rate(fraction)}",
                                 "删除文字中的比率（工具会自动计算并写入报告），或核对金额")


_CLAIM = re.compile(r"(?:已?全部完成|均已?完成|全部达到|均已?达到)")
_EXCEPT = re.compile(r"除(.{1,40}?)外")


def scoring(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """What the scoring found questionable (``validate.scores``), at the cells typed."""
    yield from scoring_findings(s.scored)


def claims(s: Subject[SelfEvalWorkbook]) -> Iterator[Finding]:
    """A text that says "全部完成" while an indicator is not met (and not named in "除…外")."""
    for card in s.scored.projects:
        p = card.project
        if p is None or not card.outcome.unmet:
            continue
        for key, header, text in (("result", "实际完成情况", p.result), ("summary", "补充说明", p.summary)):
            if not _CLAIM.search(text):
                continue
            excepted = "".join(_EXCEPT.findall(text))
            missing = [r.indicator.level3 for r in card.outcome.unmet
                       if not _shares_word(r.indicator.level3, excepted)]
            if missing:
                yield F.make("claim-vs-result", "项目", p.cells.get(key, ""), header, text[:40],
                             f"项目“{p.name}”的文字称已全部完成，但指标“{'、'.join(missing)}”未完成",
                             "修改文字结论，说明未完成的指标及原因")
                break


def _shares_word(name: str, clause: str) -> bool:
    """True when the 除…外 clause names the indicator (shares a two-character word with it)."""
    return any(name[i:i + 2] in clause for i in range(len(name) - 1))
