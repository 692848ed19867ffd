"""The bad-input corpus: one defect per workbook, derived from a valid one.

For every case the test asserts the finding's code, sheet and cell, the exit code of
``budget-report build`` (or ``check`` for warnings), that nothing escaped as an exception, and
that a refused build left no output folder behind.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.app.cli import main
from tests.factories import write_budget, write_self_eval, xml_bomb

Mutation = Callable[[Workbook], None]


def col(ws: Worksheet, header: str) -> str:
    for c in ws[1]:
        if c.value == header:
            return c.column_letter
    raise KeyError(header)


def form_cell(ws: Worksheet, label: str) -> str:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == label:
            return f"B{row[0].row}"
    raise KeyError(label)


def fixed_cell(ws: Worksheet, label: str, header: str) -> str:
    for row in ws.iter_rows(min_row=2):
        if any(c.value == label for c in row[:2]):
            return f"{col(ws, header)}{row[0].row}"
    raise KeyError(label)


def setter(sheet: str, header: str, value: object, row: int = 2) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws[f"{col(ws, header)}{row}"] = value
    return mutate


def form_setter(sheet: str, label: str, value: object) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws[form_cell(ws, label)] = value
    return mutate


def fixed_setter(sheet: str, label: str, header: str, value: object) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws[fixed_cell(ws, label, header)] = value
    return mutate


def chain(*mutations: Mutation) -> Mutation:
    def mutate(wb: Workbook) -> None:
        for m in mutations:
            m(wb)
    return mutate


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Mutation
    code: str
    sheet: str
    cell: str | Callable[[Workbook], str] | None  # None: the finding concerns the sheet, not a cell
    exit_code: int
    kind: str = "budget"


def _duplicate_row(sheet: str, src: int = 2) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb[sheet]
        ws.append([c.value for c in ws[src]])
    return mutate


def _insert_indicator(values: dict[str, object]) -> Mutation:
    def mutate(wb: Workbook) -> None:
        ws = wb["绩效指标"]
        row = {c.value: c2.value for c, c2 in zip(ws[1], ws[2], strict=True)}
        row.update(values)
        ws.append([row[c.value] for c in ws[1]])
    return mutate


def _formula(wb: Workbook) -> None:
    ws = wb["项目"]
    ws[f"{col(ws, '财政资金')}2"] = "=30+30"


def _hide_row(wb: Workbook) -> None:
    wb["绩效指标"].row_dimensions[3].hidden = True


def _totals_row(wb: Workbook) -> None:
    ws = wb["项目"]
    ws[f"{col(ws, '项目名称')}3"] = "合计"
    ws[f"{col(ws, '财政资金')}3"] = 60


def _empty_rows(sheet: str, *rows: int) -> Mutation:
    def mutate(wb: Workbook) -> None:
        for row in wb[sheet].iter_rows(min_row=min(rows), max_row=max(rows)):
            for c in row:
                c.value = None
    return mutate


def _project_without_indicators(wb: Workbook) -> None:
    ws = wb["项目"]
    ws.append([c.value for c in ws[2]])
    ws[f"{col(ws, '项目编码')}3"] = "P002"
    ws[f"{col(ws, '项目名称')}3"] = "科技创新券"


def _unknown_fixed_row(wb: Workbook) -> None:
    ws = wb["三公经费"]
    ws.append(["会议费", 1, 1])


def _extra_sheet(wb: Workbook) -> None:
    wb.create_sheet("Sheet1")["A1"] = "随手记的东西"


def _rename_header(wb: Workbook) -> None:
    ws = wb["绩效指标"]
    ws[f"{col(ws, '指标值')}1"] = "目标值吧"


def _drop_sheet(wb: Workbook) -> None:
    del wb["绩效指标"]


def _three_label(wb: Workbook) -> None:
    ws = wb["三公经费"]
    ws[fixed_cell(ws, "公务接待费", "项目")] = "招待费"


def _drag_years(wb: Workbook) -> None:
    ws = wb["绩效指标"]
    c = col(ws, "指标值确定依据")
    for r, year in ((2, 2021), (3, 2022), (4, 2023)):
        ws[f"{c}{r}"] = f"{year}年度工作方案"


def _doc_numbers(wb: Workbook) -> None:
    ws = wb["绩效指标"]
    c = col(ws, "指标值确定依据")
    ws[f"{c}2"] = "《科技保险工作方案》（石高管办〔2017〕114号）"
    ws[f"{c}3"] = "《科技保险工作方案》（石高管办〔2017〕113号）"


def _no_satisfaction(wb: Workbook) -> None:
    ws = wb["绩效指标"]
    ws[f"{col(ws, '一级指标')}4"] = "效益指标"
    ws[f"{col(ws, '二级指标')}4"] = "社会效益指标"


def _cell_at(sheet: str, header: str, row: int = 2) -> Callable[[Workbook], str]:
    return lambda wb: f"{col(wb[sheet], header)}{row}"


def _fixed_at(sheet: str, label: str, header: str) -> Callable[[Workbook], str]:
    return lambda wb: fixed_cell(wb[sheet], label, header)


def _form_at(sheet: str, label: str) -> Callable[[Workbook], str]:
    return lambda wb: form_cell(wb[sheet], label)


P, I, B = "项目", "绩效指标", "基本信息"

CASES: list[Case] = [
    # ---- required fields, types, units ---------------------------------------------------------
    Case("dept-name-blank", form_setter(B, "部门名称", None), "required", B, _form_at(B, "部门名称"), 1),
    Case("year-in-chinese", form_setter(B, "预算年度", "二〇二一"), "bad-year", B, _form_at(B, "预算年度"), 1),
    Case("year-out-of-range", form_setter(B, "预算年度", 1999), "bad-year", B, _form_at(B, "预算年度"), 1),
    Case("money-is-words", setter(P, "财政资金", "六十"), "bad-number", P, _cell_at(P, "财政资金"), 1),
    Case("money-in-yuan", setter(P, "财政资金", "600000元"), "bad-number", P, _cell_at(P, "财政资金"), 1),
    Case("money-negative", setter(P, "其他资金", -5), "negative-amount", P, _cell_at(P, "其他资金"), 1),
    Case("excel-error", setter(P, "财政资金", "#REF!"), "excel-error", P, _cell_at(P, "财政资金"), 1),
    Case("formula-no-cache", _formula, "formula-no-cache", P, _cell_at(P, "财政资金"), 1),
    Case("percent-is-words", setter(P, "6月底", "一半"), "bad-percent", P, _cell_at(P, "6月底"), 1),
    Case("percent-negative", setter(P, "6月底", -0.2), "bad-percent", P, _cell_at(P, "6月底"), 1),
    Case("choice-nature", setter("机构设置", "单位性质", "政府"), "bad-choice", "机构设置",
         _cell_at("机构设置", "单位性质"), 1),
    Case("choice-purchase", setter("政府采购", "采购类别", "其他"), "bad-choice", "政府采购",
         _cell_at("政府采购", "采购类别"), 1),
    Case("goals-blank", setter(P, "绩效目标", None), "required", P, _cell_at(P, "绩效目标"), 1),
    Case("target-blank", setter(I, "指标值", None), "required", I, _cell_at(I, "指标值"), 1),
    # ---- shape ------------------------------------------------------------------------------------
    Case("missing-column", _rename_header, "missing-column", I, None, 1),
    Case("missing-sheet", _drop_sheet, "missing-sheet", I, None, 1),
    Case("fixed-row-renamed", _three_label, "missing-row", "三公经费", None, 1),
    Case("extra-sheet", _extra_sheet, "extra-sheet", "Sheet1", None, 0),
    Case("hidden-row", _hide_row, "hidden-row", I, None, 0),
    Case("control-chars", setter(P, "资金用途", "对企业_x000B_给予支持"), "control-chars", P,
         _cell_at(P, "资金用途"), 0),
    # ---- consistency -------------------------------------------------------------------------------
    Case("plan-not-complete", setter(P, "12月底", 0.8), "plan-not-complete", P, _cell_at(P, "12月底"), 0),
    Case("plan-decreasing", setter(P, "10月底", 0.3), "plan-decreasing", P, _cell_at(P, "10月底"), 0),
    Case("plan-above-100", setter(P, "12月底", "120%"), "plan-above-100", P, _cell_at(P, "12月底"), 1),
    Case("typed-budget-wrong", setter(P, "预算数", 61), "project-budget-sum", P, _cell_at(P, "预算数"), 1),
    Case("projects-vs-own-spending", setter(P, "财政资金", 61), "projects-vs-spending", "收支预算",
         _fixed_at("收支预算", "本级项目支出", "本年预算数"), 1),
    Case("income-vs-spending", fixed_setter("收支预算", "一般公共预算拨款", "本年预算数", 101),
         "income-vs-spending", "收支预算", _fixed_at("收支预算", "人员经费", "本年预算数"), 1),
    Case("functions-vs-spending", setter("功能分类支出", "人员经费", 29), "functions-vs-spending",
         "功能分类支出", None, 1),
    Case("economics-vs-basic", setter("经济分类支出", "金额", 31), "economics-vs-basic", "经济分类支出", None, 1),
    Case("function-code-name", setter("功能分类支出", "科目名称", "普通教育"), "function-code-name",
         "功能分类支出", _cell_at("功能分类支出", "科目编码"), 0),
    Case("operating-over-public", form_setter("机关运行经费", "本年预算数", 50), "operating-vs-public",
         "机关运行经费", _form_at("机关运行经费", "本年预算数"), 0),
    Case("purchase-category", setter("政府采购", "采购类别", "服务"), "purchase-category", "政府采购",
         _cell_at("政府采购", "采购类别"), 1),
    Case("purchase-over-budget", setter("政府采购", "单价", 20), "purchase-over-budget", "政府采购",
         _cell_at("政府采购", "单价"), 0),
    Case("duplicate-project", _duplicate_row(P), "duplicate-project", P, _cell_at(P, "项目编码", 3), 1),
    Case("stated-total", setter(P, "资金用途", "以上专项经费共计42.4万元。"), "stated-amount-mismatch", P,
         _cell_at(P, "资金用途"), 1),
    Case("stated-plan", setter(P, "资金用途", "其中6月底前支出60%。"), "stated-rate-mismatch", P,
         _cell_at(P, "资金用途"), 1),
    # ---- indicators ----------------------------------------------------------------------------------
    Case("level1-effect", setter(I, "一级指标", "效果指标", 3), "level-normalized", I, _cell_at(I, "一级指标", 3), 0),
    Case("level1-punct", setter(I, "一级指标", "、满意度指标", 4), "level-normalized", I,
         _cell_at(I, "一级指标", 4), 0),
    Case("level1-unknown", setter(I, "一级指标", "产出效果"), "level1-unknown", I, _cell_at(I, "一级指标"), 1),
    Case("level2-parent", setter(I, "二级指标", "社会效益指标"), "level2-parent", I, _cell_at(I, "二级指标"), 1),
    Case("level2-unknown", setter(I, "二级指标", "奇怪指标"), "level2-unknown", I, _cell_at(I, "二级指标"), 1),
    Case("number-as-name", setter(I, "三级指标", "11786.475"), "number-as-name", I, _cell_at(I, "三级指标"), 1),
    Case("placeholder-wording", setter(I, "指标值", "文字描述"), "placeholder", I, _cell_at(I, "指标值"), 1),
    Case("placeholder-tbd", setter(I, "指标值", "待定"), "placeholder", I, _cell_at(I, "指标值"), 1),
    Case("missing-unit", setter(I, "指标值", "≥90", 4), "missing-unit", I, _cell_at(I, "指标值", 4), 0),
    Case("rate-above-100", setter(I, "指标值", "≥120%", 4), "rate-above-100", I, _cell_at(I, "指标值", 4), 0),
    Case("qualitative-on-quantity", setter(I, "指标值", "显著"), "qualitative-on-quantity", I,
         _cell_at(I, "指标值"), 0),
    Case("unit-mismatch", chain(setter(I, "三级指标", "补助金额"), setter(I, "指标值", "≥5人")),
         "unit-mismatch", I, _cell_at(I, "指标值"), 0),
    Case("unknown-project", setter(I, "项目编码", "P999"), "unknown-project", I, _cell_at(I, "项目编码"), 1),
    # Issue 9: no 项目编码 and a mistyped 项目名称 is reported at the name (B), not the empty code (A).
    Case("unknown-project-by-name", chain(setter(I, "项目编码", None), setter(I, "项目名称", "科技保险保费补帖")),
         "unknown-project", I, _cell_at(I, "项目名称"), 1),
    # Issue 9: blank is not zero.
    Case("previous-blank", fixed_setter("收支预算", "人员经费", "上年预算数", None), "previous-blank", "收支预算",
         _fixed_at("收支预算", "人员经费", "上年预算数"), 0),
    Case("three-public-blank", fixed_setter("三公经费", "公务接待费", "本年预算数", None), "required", "三公经费",
         _fixed_at("三公经费", "公务接待费", "本年预算数"), 1),
    Case("asset-value-blank", fixed_setter("国有资产", "车辆（台、辆）", "价值", None), "required", "国有资产",
         _fixed_at("国有资产", "车辆（台、辆）", "价值"), 1),
    Case("amount-typed-in-yuan", setter(P, "财政资金", 6429768.84), "amount-unit-suspect", P, _cell_at(P, "财政资金"), 1),
    # One severity in both workbook kinds: a 警告 (a project may lack a kind for a stated reason).
    Case("missing-satisfaction", _no_satisfaction, "missing-level1", P, _cell_at(P, "项目名称"), 0),
    Case("year-mismatch", setter(I, "绩效指标描述", "2019年投保单数"), "year-mismatch", I,
         _cell_at(I, "绩效指标描述"), 0),
    Case("year-drag-fill", _drag_years, "year-drag-fill", I, _cell_at(I, "指标值确定依据", 3), 0),
    Case("doc-number-variant", _doc_numbers, "doc-number-variant", I, _cell_at(I, "指标值确定依据", 3), 0),
    Case("duplicate-indicator", _insert_indicator({"指标值": "≥40单"}), "duplicate-indicator", I,
         _cell_at(I, "绩效指标描述", 5), 1),
    # ---- self-evaluation ---------------------------------------------------------------------------
    Case("actual-blank", setter(I, "实际完成值", None), "missing-actual", I, None, 1, "self"),
    Case("not-met-without-reason", setter(I, "实际完成值", "20单"), "missing-reason", I, None, 1, "self"),
    Case("override-outside-band", setter(I, "得分", 60), "score-override-reason", I,
         _cell_at(I, "评分理由"), 1, "self"),
    Case("override-with-reason", chain(setter(I, "得分", 60), setter(I, "评分理由", "评价小组复核后调整")),
         "score-override-range", I, _cell_at(I, "得分"), 0, "self"),
    Case("executed-over-budget", setter(P, "全年执行数", 90), "executed-over-budget", P, None, 0, "self"),
    Case("stated-rate", setter(P, "实际完成情况", "实际拨付率75.3%"), "stated-rate-mismatch", P,
         _cell_at(P, "实际完成情况"), 1, "self"),
    Case("weights-total", setter(I, "分值", 40), "weights-total", P, _cell_at(P, "项目名称"), 1, "self"),
    Case("selfeval-level1", setter(I, "一级指标", "效果指标", 3), "level-normalized", I,
         _cell_at(I, "一级指标", 3), 0, "self"),
    Case("actual-contradicts-itself", setter(I, "实际完成值", "≥30单以下"), "bad-actual-value", I,
         _cell_at(I, "实际完成值"), 1, "self"),
    Case("actual-word-for-figure", setter(I, "实际完成值", "完成"), "actual-word-for-figure", I,
         _cell_at(I, "实际完成值"), 0, "self"),
    Case("actual-cannot-be-scored", setter(I, "实际完成值", "很好"), "cannot-score", I,
         _cell_at(I, "实际完成值"), 1, "self"),
    Case("claim-vs-result", chain(setter(I, "实际完成值", "20单"), setter(I, "偏差原因分析及改进措施", "企业投保意愿下降"),
                                  setter(P, "实际完成情况", "各项指标均已完成。")),
         "claim-vs-result", P, _cell_at(P, "实际完成情况"), 0, "self"),
    Case("funds-missing", setter("收支情况", "全年执行数", None), "funds-missing", "收支情况",
         _cell_at("收支情况", "全年执行数"), 1, "self"),
    Case("initial-over-annual", setter(P, "年初预算数", 90), "initial-over-annual", P, None, 0, "self"),
    # ---- every other code the rules emit (tests/test_rules.py checks the corpus covers them) --------
    Case("target-contradicts-itself", setter(I, "指标值", "≥30单以下"), "bad-indicator-value", I,
         _cell_at(I, "指标值"), 1),
    Case("target-choose-one", setter(I, "指标值", "是/否", 3), "choose-one", I, _cell_at(I, "指标值", 3), 1),
    Case("value-in-name", setter(I, "三级指标", "完成科技保险30单"), "value-in-name", I, _cell_at(I, "三级指标"), 0),
    Case("name-punctuation", setter(I, "三级指标", "完成科技保险单数。"), "name-punctuation", I,
         _cell_at(I, "三级指标"), 0),
    Case("timeliness-grade-word", chain(setter(I, "二级指标", "时效指标"), setter(I, "指标值", "显著")),
         "timeliness-not-time", I, _cell_at(I, "指标值"), 0),
    Case("project-name-mismatch", setter(I, "项目名称", "科技保险补贴"), "project-name-mismatch", I,
         _cell_at(I, "项目名称"), 0),
    Case("level-other-preset", setter(I, "二级指标", "经济成本指标"), "level-other-preset", I,
         _cell_at(I, "二级指标"), 0),
    Case("stated-name-mismatch", form_setter(B, "本级项目主要内容", "科技金融服务平台"), "stated-name-mismatch", B,
         _form_at(B, "本级项目主要内容"), 0),
    Case("operating-split", form_setter("机关运行经费", "其中：基本支出", 20), "operating-split", "机关运行经费",
         _form_at("机关运行经费", "其中：基本支出"), 1),
    Case("section-empty", chain(setter("部门职责", "职责内容", None, 2), setter("部门职责", "职责内容", None, 3)),
         "section-empty", "部门职责", None, 1),
    Case("duplicate-code", _duplicate_row("功能分类支出"), "duplicate-code", "功能分类支出", None, 1),
    Case("catalog-choice", form_setter(B, "地区", "湖北省"), "catalog-choice", B, _form_at(B, "地区"), 0),
    Case("function-code-unknown", chain(setter("功能分类支出", "科目编码", "2180199", 3),
                                        setter("功能分类支出", "科目名称", "其他", 3)),
         "function-code-unknown", "功能分类支出", _cell_at("功能分类支出", "科目编码", 3), 1),
    Case("bad-int", setter("部门职责", "序号", "第一"), "bad-int", "部门职责", _cell_at("部门职责", "序号"), 1),
    Case("totals-row", _totals_row, "totals-row-ignored", P, None, 0),
    Case("repeated-text", setter(P, "资金用途", "对科技型企业科技型企业投保给予保费支持。"), "repeated-text", P,
         _cell_at(P, "资金用途"), 0),
    Case("repeated-punctuation", setter(P, "资金用途", "对科技型企业投保给予保费支持。。"), "repeated-punctuation", P,
         _cell_at(P, "资金用途"), 0),
    Case("unbalanced-brackets", setter(P, "资金用途", "对科技型企业（含初创企业投保给予保费支持。"),
         "unbalanced-brackets", P, _cell_at(P, "资金用途"), 0),
    Case("date-typo", setter(P, "资金用途", "2021年4年起对科技型企业投保给予保费支持。"), "date-typo", P,
         _cell_at(P, "资金用途"), 0),
    Case("bare-yi", setter(P, "资金用途", "撬动3.79亿保障，对科技型企业投保给予保费支持。"), "number-unit", P,
         _cell_at(P, "资金用途"), 0),
    Case("numbering-mixed", setter(P, "资金用途", "1.对科技型企业给予保费支持；\n2、对保险机构给予奖励。"),
         "numbering-mixed", P, _cell_at(P, "资金用途"), 0),
    Case("direction-assumed", setter(I, "指标值", "30单"), "direction-assumed", I, _cell_at(I, "指标值"), 0),
    Case("purpose-without-full-stop", setter(P, "资金用途", "对科技型企业投保给予保费支持"), "missing-final-punctuation",
         P, _cell_at(P, "资金用途"), 0),
    Case("project-without-indicators", _project_without_indicators, "no-indicators", P, _cell_at(P, "项目名称", 3), 1),
    Case("prefilled-terms", lambda wb: None, "prefilled-default", "名词解释", "B2", 0),
    Case("stray-punctuation", setter(P, "资金用途", "用途：，对科技型企业投保给予保费支持。"), "stray-punctuation", P,
         _cell_at(P, "资金用途"), 0),
    Case("unknown-fixed-row", _unknown_fixed_row, "unknown-row", "三公经费", None, 0),
    Case("prefilled-basis", form_setter("自评组织", "依据文件", "《项目支出绩效评价管理办法》（财预〔2020〕10号）"),
         "prefilled-default", "自评组织", _form_at("自评组织", "依据文件"), 0, "self"),
    Case("selfeval-section-empty", _empty_rows("问题与改进", 2, 3),
         "section-empty", "问题与改进", None, 1, "self"),
    Case("execution-above-100", setter(P, "全年执行数", 90), "execution-above-100", P, None, 0, "self"),
    Case("over-achievement-without-reason", setter(I, "实际完成值", "300单"), "over-achievement-reason", I,
         _cell_at(I, "偏差原因分析及改进措施"), 0, "self"),
    Case("weights-nonstandard", chain(setter(I, "分值", 40), setter(I, "分值", 40, 3)), "weights-nonstandard", I,
         _cell_at(I, "分值"), 0, "self"),
    Case("look-alike-brackets", setter(I, "指标值确定依据", "测政﹝2021﹞3号"), "doc-number-format", I,
         _cell_at(I, "指标值确定依据"), 0),
]


def _make(case: Case, tmp_path: Path) -> tuple[Path, Workbook]:
    path = tmp_path / "case.xlsx"
    (write_self_eval if case.kind == "self" else write_budget)(path)
    wb = openpyxl.load_workbook(path)
    case.mutate(wb)
    wb.save(path)
    return path, wb


def _header_at(wb: Workbook, sheet: str, cell: str) -> str | None:
    """The field a cell belongs to: its column's header (row 1), or on a form its row's label;
    None when the cell is not a data cell of a sheet (sheet-level findings, header rows)."""
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", cell or "")
    if sheet not in wb.sheetnames or m is None or m.group(2) == "1":
        return None
    ws = wb[sheet]
    if ws["A1"].value == "项目" and ws["B1"].value == "内容":  # a form: label | value
        label = ws[f"A{m.group(2)}"].value
        return str(label) if label is not None and m.group(1) == "B" else None
    header = ws[f"{m.group(1)}1"].value
    return None if header is None else str(header)


def _same_header(reported: str, header: str) -> bool:
    def norm(text: str) -> str:
        return "".join(text.split()).replace("：", "").replace(":", "")
    return norm(reported) == norm(header)


def test_the_corpus_has_at_least_forty_distinct_defects() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_defect_is_reported_at_its_cell_with_the_right_exit_code(case: Case, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, wb = _make(case, tmp_path)
    before = path.read_bytes()
    out = tmp_path / "out"
    import json

    code = main(["check", str(path), "--json", "-o", str(out)])
    report = json.loads(capsys.readouterr().out)[0]
    assert code == case.exit_code, report["findings"]
    hits = [f for f in report["findings"] if f["code"] == case.code and f["sheet"] == case.sheet]
    assert hits, f"{case.code} not reported on {case.sheet}: {report['findings']}"
    if case.cell is not None:
        cell = case.cell(wb) if callable(case.cell) else case.cell
        assert cell in {f["cell"] for f in hits}, hits
    for f in report["findings"]:  # every finding names the field of the cell it points at
        expected = _header_at(wb, f["sheet"], f["cell"])
        if expected is not None and f["header"]:
            assert _same_header(f["header"], expected), f"{f['code']} at {f['sheet']}!{f['cell']}: " \
                f"header “{f['header']}”, the column is “{expected}”"
    if case.exit_code == 1:
        # A refused build writes nothing but the annotated copy.
        assert main(["build", str(path), "-o", str(out)]) == 1
        assert sorted(p.name for p in out.iterdir()) == ["校验结果"]
    assert path.read_bytes() == before


BROKEN_FILES: dict[str, Callable[[Path], object]] = {
    "text-renamed": lambda p: p.write_text("not a workbook", encoding="utf-8"),
    "empty": lambda p: p.write_bytes(b""),
    "encrypted": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    "truncated": lambda p: p.write_bytes(write_budget(p).read_bytes()[:3000]),
    "zip-without-workbook": lambda p: _zip(p, {"hello.txt": "hi"}),
}


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_broken_files_exit_2_with_a_chinese_message_and_no_traceback(name: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    BROKEN_FILES[name](path)
    proc = subprocess.run([sys.executable, "-m", "generator", "build", str(path), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "Traceback" not in output
    assert any("\u4e00" <= ch <= "\u9fff" for ch in output)


def test_an_xls_file_is_told_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert main(["check", str(path)]) == 2


def test_an_xml_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    """Billion laughs in sharedStrings: defusedxml makes openpyxl refuse the entities."""
    import defusedxml  # noqa: F401 - the guard must be installed, not optional

    bomb = xml_bomb(tmp_path)
    assert main(["check", str(bomb), "--no-annotate"]) == 2


def test_a_sheet_beyond_the_row_limit_is_refused_with_a_message(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.read import workbook_io

    monkeypatch.setattr(workbook_io, "MAX_ROWS", 5)
    path = write_budget(tmp_path / "b.xlsx")
    with pytest.raises(workbook_io.UnreadableWorkbook, match="超过上限"):
        workbook_io.open_workbook(path)
