"""Rules for the 绩效自评 workbook: indicator tree, scoring findings, figures typed in text.

Scoring-related findings (missing actuals, reasons, overrides, weights) come from the scoring
step itself (``compute.selfeval.findings``), so the rule and its check cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.compute.money import fmt_rate, rate
from generator.compute.scoring import rules_for_tree
from generator.compute.selfeval import Evaluation, evaluate
from generator.model import SelfEvalWorkbook
from generator.model.indicator_tree import IndicatorTree
from generator.model.schema import WorkbookKind
from generator.validate import findings as F
from generator.validate import indicators as I
from generator.validate.amount_unit import check_amount_unit, self_eval_amounts
from generator.validate.findings import Finding, Severity
from generator.validate.indicator_values import check_indicator_values
from generator.validate.scores import findings as scoring_findings
from generator.validate.text_figures import agrees, stated_rates


def check_stated_rates(wb: SelfEvalWorkbook) -> Iterator[Finding]:
    """A 拨付率/执行率 typed in a project's text must match 执行数/预算数 (seed 000's 75.3%)."""
    for p in wb.projects:
        fraction = rate(p.executed, p.budget)
        if fraction is None:
            continue
        computed = fraction * 100
        for key, header, text in (("result", "实际完成情况", p.result), ("summary", "补充说明", p.summary),
                                  ("goal", "年度总体目标", p.goal)):
            for name, stated in stated_rates(text):
                if not agrees(stated, computed):
                    yield F.make("stated-rate-mismatch", "项目", p.cells.get(key, ""), header,
                                 f"{name}{stated}%",
                                 f"项目“{p.name}”文字中写{name} {stated}%，而全年执行数 {p.executed} ÷ "
                                 f"全年预算数 {p.budget} = {fmt_rate(fraction)}",
                                 "删除文字中的比率（工具会自动计算并写入报告），或核对金额")


def check_indicators(wb: SelfEvalWorkbook, tree: IndicatorTree) -> Iterator[Finding]:
    for ind in wb.orphan_indicators:
        yield F.make("unknown-project", "绩效指标", ind.cells.get("project_name", ""), "项目名称",
                     ind.project_name, f"指标“{ind.level3}”所属项目“{ind.project_name}”在“项目”表中不存在",
                     "请核对项目名称（或项目编码）")
    everything = [i for p in wb.projects for i in p.indicators] + wb.dept_indicators
    yield from I.check_levels(everything + wb.orphan_indicators, tree)
    yield from I.check_values(everything)
    yield from check_indicator_values(everything, tree, WorkbookKind.SELF_EVAL)
    for p in wb.projects:
        if p.indicators:
            yield from I.check_structure(p.name, p.indicators, tree, "项目", p.cells.get("name", ""),
                                         missing_level=Severity.WARNING)


_CLAIM = re.compile(r"(?:已?全部完成|均已?完成|全部达到|均已?达到)")
_EXCEPT = re.compile(r"除(.{1,40}?)外")


def check_claims(evaluation: Evaluation) -> Iterator[Finding]:
    """A text that says "全部完成" while an indicator is not met (and not named in "除…外")."""
    for card in evaluation.projects:
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


def validate_self_eval(wb: SelfEvalWorkbook, tree: IndicatorTree,
                       evaluation: Evaluation | None = None) -> list[Finding]:
    """All findings; scoring ones from ``evaluation`` (computed here with the tree's weights
    when the caller has not already computed it)."""
    out: list[Finding] = []
    out.extend(check_indicators(wb, tree))
    out.extend(check_stated_rates(wb))
    if evaluation is None:
        evaluation = evaluate(wb, rules_for_tree(tree))
    out.extend(scoring_findings(evaluation))
    out.extend(check_claims(evaluation))
    out.extend(check_amount_unit(self_eval_amounts(wb), wb.info.amount_unit, wb.info.cells.get("amount_unit", "")))
    return out
