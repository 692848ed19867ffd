"""Validation findings: one shape for every problem the tool reports about a workbook.

Every finding has a stable ``code`` (documented in ``CODES``), a severity (错误 blocks rendering,
警告 does not, 提示 is information -- shown, never counted as a problem), the sheet and A1 cell,
the column header, the offending value, a Chinese
message and what to do about it. Findings are collected, never raised: users fix a workbook
in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"  # e.g. a pre-filled default left unchanged: worth a look, not a problem


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    sheet: str
    cell: str
    header: str
    value: str
    message: str
    fix: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def as_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


# code -> (severity, short Chinese title). The title heads the finding list in docs and JSON.
CODES: dict[str, tuple[Severity, str]] = {
    # reading: the workbook's shape
    "missing-sheet": (Severity.ERROR, "缺少工作表"),
    "missing-column": (Severity.ERROR, "缺少列"),
    "missing-row": (Severity.ERROR, "缺少固定行"),
    "unknown-row": (Severity.WARNING, "无法识别的行"),
    "extra-sheet": (Severity.WARNING, "多余的工作表"),
    "hidden-row": (Severity.WARNING, "隐藏行中有数据"),
    "totals-row-ignored": (Severity.WARNING, "手工合计行已忽略"),
    "formula-no-cache": (Severity.ERROR, "公式没有计算结果"),
    "excel-error": (Severity.ERROR, "单元格为 Excel 错误值"),
    "control-chars": (Severity.WARNING, "已删除不可见控制字符"),
    # single cells
    "required": (Severity.ERROR, "必填项为空"),
    "section-empty": (Severity.ERROR, "文件需要的工作表为空"),
    "previous-blank": (Severity.WARNING, "上年数为空，不作比较"),
    "bad-number": (Severity.ERROR, "不是有效数字"),
    "bad-percent": (Severity.ERROR, "不是有效比例"),
    "bad-int": (Severity.ERROR, "不是整数"),
    "bad-year": (Severity.ERROR, "年度无效"),
    "bad-choice": (Severity.ERROR, "不在可选范围内"),
    "negative-amount": (Severity.ERROR, "金额为负数"),
    "amount-unit-suspect": (Severity.ERROR, "金额单位疑似填错"),
    "bad-indicator-value": (Severity.ERROR, "指标值无法识别"),
    "bad-actual-value": (Severity.ERROR, "实际完成值无法识别"),
    "placeholder": (Severity.ERROR, "占位文字未替换"),
    "number-as-name": (Severity.ERROR, "名称处填了数字"),
    "duplicate-project": (Severity.ERROR, "项目重复"),
    "duplicate-code": (Severity.ERROR, "科目编码重复"),
    # indicators
    "level1-unknown": (Severity.ERROR, "一级指标名称不规范"),
    "level2-unknown": (Severity.ERROR, "二级指标名称不规范"),
    "level2-parent": (Severity.ERROR, "二级指标与一级指标不对应"),
    "level-normalized": (Severity.WARNING, "指标名称已规范化"),
    "unknown-project": (Severity.ERROR, "指标所属项目不存在"),
    "project-name-mismatch": (Severity.WARNING, "项目编码与名称不一致"),
    "no-indicators": (Severity.ERROR, "项目没有绩效指标"),
    "missing-level1": (Severity.WARNING, "缺少某类一级指标"),
    "qualitative-on-quantity": (Severity.WARNING, "数量/成本指标使用了定性指标值"),
    "rate-above-100": (Severity.WARNING, "比率目标超过100%"),
    "duplicate-indicator": (Severity.ERROR, "同一指标重复且指标值不同"),
    "unit-mismatch": (Severity.WARNING, "指标值单位与指标名称不符"),
    "year-mismatch": (Severity.WARNING, "年份与预算年度不一致"),
    "year-drag-fill": (Severity.WARNING, "年份逐行递增（疑似下拉填充）"),
    "doc-number-variant": (Severity.WARNING, "同一文件的文号写法不一致"),
    "missing-unit": (Severity.WARNING, "指标值缺少单位"),
    # indicator values (issue 15)
    "level-other-preset": (Severity.WARNING, "指标层级按另一指标体系读取"),
    "direction-assumed": (Severity.WARNING, "指标值未写比较方向"),
    "actual-word-for-figure": (Severity.WARNING, "实际完成值只写了完成情况，没有数值"),
    # proof-reading (validate/text_hygiene.py)
    "repeated-text": (Severity.WARNING, "文字重复"),
    "repeated-punctuation": (Severity.WARNING, "标点重复"),
    "stray-punctuation": (Severity.WARNING, "多余的标点"),
    "unbalanced-brackets": (Severity.WARNING, "括号或引号不成对"),
    "doc-number-format": (Severity.WARNING, "文号括号不规范"),
    "date-typo": (Severity.WARNING, "日期写法有误"),
    "numbering-mixed": (Severity.WARNING, "编号写法不一致"),
    "number-unit": (Severity.WARNING, "数字缺少单位"),
    "claim-vs-result": (Severity.WARNING, "文字结论与指标完成情况不符"),
    "value-in-name": (Severity.WARNING, "指标名称中含有指标值"),
    "name-punctuation": (Severity.WARNING, "指标名称末尾有标点"),
    "timeliness-not-time": (Severity.WARNING, "时效指标的指标值不是时限"),
    "choose-one": (Severity.ERROR, "指标值给出了多个备选"),
    "stated-name-mismatch": (Severity.WARNING, "文字中的项目名称与项目表不符"),
    "missing-final-punctuation": (Severity.WARNING, "句末缺少标点"),
    # limits and hostile input (issue 10)
    "hidden-sheet": (Severity.WARNING, "隐藏工作表中有数据"),
    "hidden-column": (Severity.WARNING, "隐藏列中有数据"),
    "beyond-column-limit": (Severity.WARNING, "超出读取范围的内容已忽略"),
    "date-as-text": (Severity.WARNING, "文字处是日期格式"),
    "too-long-for-excel": (Severity.WARNING, "超过 Excel 单元格字数上限"),
    "invalid-chars": (Severity.WARNING, "已删除无效字符"),
    "format-chars": (Severity.WARNING, "已删除不可见格式字符"),
    "output-collision": (Severity.ERROR, "输出文件夹与另一工作簿相同"),
    # consistency (budget)
    "project-budget-sum": (Severity.ERROR, "预算数≠财政资金+其他资金"),
    "projects-vs-spending": (Severity.ERROR, "项目预算合计与本级项目支出不符"),
    "income-vs-spending": (Severity.ERROR, "收入总计与支出总计不符"),
    "functions-vs-spending": (Severity.ERROR, "功能分类合计与支出不符"),
    "economics-vs-basic": (Severity.ERROR, "经济分类合计与基本支出不符"),
    "function-code-name": (Severity.WARNING, "科目编码与名称不一致"),
    "function-code-unknown": (Severity.ERROR, "科目的类不在所选科目表中"),
    "catalog-choice": (Severity.INFO, "功能分类科目表的选择"),
    "catalog-file": (Severity.ERROR, "科目表文件有误"),
    "operating-vs-public": (Severity.WARNING, "机关运行经费超过日常公用经费"),
    "operating-split": (Severity.ERROR, "运行经费分项之和超过总额"),
    "purchase-category": (Severity.ERROR, "采购类别与目录序号不符"),
    "purchase-over-budget": (Severity.WARNING, "采购金额超过来源项目预算"),
    "plan-decreasing": (Severity.WARNING, "累计支出计划递减"),
    "plan-not-complete": (Severity.WARNING, "年底累计支出计划未达到100%"),
    "plan-above-100": (Severity.ERROR, "累计支出计划超过100%"),
    "stated-rate-mismatch": (Severity.ERROR, "文字中的比率与金额不符"),
    "stated-amount-mismatch": (Severity.ERROR, "文字中的金额与表中不符"),
    # self-evaluation
    "executed-over-budget": (Severity.WARNING, "执行数大于预算数"),
    "initial-over-annual": (Severity.WARNING, "年初预算数大于全年预算数"),
    "missing-actual": (Severity.ERROR, "实际完成值为空"),
    "missing-reason": (Severity.ERROR, "未完成指标缺少偏差原因"),
    "over-achievement-reason": (Severity.WARNING, "大幅超额完成缺少原因分析"),
    "score-override-range": (Severity.WARNING, "人工得分超出规则范围"),
    "score-override-reason": (Severity.ERROR, "人工得分缺少评分理由"),
    "funds-missing": (Severity.ERROR, "收支情况缺少预算数或执行数"),
    "prefilled-default": (Severity.INFO, "预填内容未修改"),
    "cannot-score": (Severity.ERROR, "无法按规则评分"),
    "weights-nonstandard": (Severity.WARNING, "分值与默认权重不同"),
    "weights-total": (Severity.ERROR, "分值合计不是100"),
    "execution-above-100": (Severity.WARNING, "执行率超过100%"),
}


def make(code: str, sheet: str, cell: str, header: str, value: object, message: str,
         fix: str = "", severity: Severity | None = None) -> Finding:
    """Build a finding; the severity comes from ``CODES`` unless given."""
    sev = severity or CODES[code][0]
    shown = "" if value is None else str(value)
    if len(shown) > 120:
        shown = shown[:117] + "…"
    return Finding(code, sev, sheet, cell, header, shown, message, fix)


def count(findings: Iterable[Finding]) -> tuple[int, int, int]:
    """(errors, warnings, infos)."""
    tally = dict.fromkeys(Severity, 0)
    for f in findings:
        tally[f.severity] += 1
    return tally[Severity.ERROR], tally[Severity.WARNING], tally[Severity.INFO]
