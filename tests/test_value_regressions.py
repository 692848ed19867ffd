"""Regressions of issue 15 (and issue 9 item 5), on workbooks written the way provinces publish them.

Each test fills the 绩效自评 workbook's 绩效指标 sheet with rows as they appear in published
self-evaluation tables -- 一级指标 cells merged down their group, values pasted from PDFs -- then
reads, scores and validates it exactly as ``budget-report check`` does, and asserts the finding
at its cell and the score. Each failed on the code before issue 15.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.compute.scoring import rules_for_tree
from generator.compute.selfeval import Evaluation, IndicatorResult, evaluate
from generator.model import SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT, PRESETS, IndicatorTree
from generator.read.reader import read_workbook
from generator.validate import validate
from generator.validate.findings import Finding
from tests.factories import budget_data, self_eval_data, write_budget, write_self_eval

Row = tuple[str, str, str, str, str, int]  # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值
FIRST_ROW = 2  # rows of 绩效指标 start under the header


def published_workbook(tmp_path: Path, rows: Sequence[Row]) -> Path:
    """A self-evaluation whose project indicators are ``rows``, 一级 cells merged as published."""
    data = self_eval_data()
    data.tables["绩效指标"] = [
        {"project_code": "P001", "project_name": "科技保险保费补贴", "level1": l1, "level2": l2, "level3": l3,
         "target": target, "actual": actual, "weight": Decimal(weight)}
        for l1, l2, l3, target, actual, weight in rows
    ]  # fmt: skip
    path = write_self_eval(tmp_path / "published.xlsx", data)
    wb = openpyxl.load_workbook(path)
    ws = wb["绩效指标"]
    start = FIRST_ROW
    for i in range(1, len(rows) + 1):  # merge each run of equal 一级 (column C), keeping the top value
        if i == len(rows) or rows[i][0] != rows[start - FIRST_ROW][0]:
            end = FIRST_ROW + i - 1
            if end > start:
                for r in range(start + 1, end + 1):
                    ws[f"C{r}"] = None
                ws.merge_cells(f"C{start}:C{end}")
            start = end + 1
    wb.save(path)
    return path


def check(path: Path, tree: IndicatorTree = DEFAULT) -> tuple[Evaluation, list[Finding]]:
    """Read, score and validate as the pipeline does (score once, validate with that evaluation)."""
    result = read_workbook(path)
    assert isinstance(result.model, SelfEvalWorkbook)
    evaluation = evaluate(result.model, rules_for_tree(tree))
    return evaluation, validate(result, tree, evaluation)


def indicator(evaluation: Evaluation, level3: str) -> IndicatorResult:
    (card,) = evaluation.projects
    return next(r for r in card.indicators if r.indicator.level3 == level3)


def at(found: list[Finding], sheet: str, cell: str) -> list[Finding]:
    return [f for f in found if (f.sheet, f.cell) == (sheet, cell)]


BASE: list[Row] = [
    ("产出指标", "数量指标", "完成科技保险单数", "≥30单", "32单", 30),
    ("效益指标", "社会效益指标", "风险管理水平", "显著提高", "达成年度指标", 30),
    ("满意度指标", "服务对象满意度指标", "受益对象满意度", "≥90%", "95%", 10),
]


# ---------------------------------------------------------------------------
# 1. A target written with a compatibility "=" (pasted from a PDF) is read, not free text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["﹦100%", "＝100%", "⩾95%", "≧95%", "﹥90%"])
def test_a_target_with_a_compatibility_comparator_is_scored_without_errors(tmp_path: Path, target: str) -> None:
    rows = [("产出指标", "质量指标", "资金拨付率", target, "100%", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert [f for f in found if f.is_error] == []
    result = indicator(evaluation, "资金拨付率")
    assert (result.score.score, result.met) == (Decimal(20), True)
    assert result.indicator.target.kind == "quantitative"


# ---------------------------------------------------------------------------
# 2. A numeric target answered with a word is a finding at the cell, never full marks by default
# ---------------------------------------------------------------------------


def test_a_word_actual_against_a_numeric_target_is_warned_and_not_given_full_marks(tmp_path: Path) -> None:
    rows = [("产出指标", "成本指标", "培训经费", "≤30万元", "完成", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    result = indicator(evaluation, "培训经费")
    # 20 × 80% = 16: the bottom of the 达成 band, the user may give up to 20 with a reason.
    assert result.score.score == Decimal(16)
    assert (result.score.allowed_min, result.score.allowed_max) == (Decimal(16), Decimal(20))
    (finding,) = at(found, "绩效指标", f"G{FIRST_ROW}")  # 实际完成值 of the first row
    assert (finding.code, finding.severity.value, finding.header) == ("actual-word-for-figure", "警告", "实际完成值")
    assert "最低分计 16 分" in finding.message and "≤30万元" in finding.message
    assert "请填写实际完成的数值" in finding.fix
    assert [f for f in found if f.is_error] == []


def test_a_figure_instead_of_the_word_is_scored_by_the_rule_and_the_warning_goes_away(tmp_path: Path) -> None:
    rows = [("产出指标", "成本指标", "培训经费", "≤30万元", "28.5万元", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "培训经费").score.score == Decimal(20)
    assert at(found, "绩效指标", f"G{FIRST_ROW}") == []


def test_a_text_actual_that_is_no_completion_word_cannot_be_scored_and_says_what_to_type(tmp_path: Path) -> None:
    rows = [("产出指标", "数量指标", "培训场次", "≥4场", "已按计划开展", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "培训场次").score.status == "无法评分"
    (finding,) = at(found, "绩效指标", f"G{FIRST_ROW}")
    assert finding.code == "cannot-score" and "如 4场" in finding.message


def test_a_numeric_actual_against_a_qualitative_target_is_an_error_at_the_actual(tmp_path: Path) -> None:
    rows = [("产出指标", "质量指标", "服务质量", "显著提高", "95%", 20), *BASE]
    _, found = check(published_workbook(tmp_path, rows))
    (finding,) = at(found, "绩效指标", f"G{FIRST_ROW}")
    assert finding.code == "cannot-score" and "是定性描述" in finding.message


# ---------------------------------------------------------------------------
# 3. A target without a direction: warned, with the reading assumed; names imply "≤"
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["预算调整率", "结转结余率", "资金偏差率", "投诉率"])
def test_a_lower_is_better_rate_without_direction_is_read_as_at_most(tmp_path: Path, name: str) -> None:
    # Published as "3%" against a typical 0%: before issue 15 read as "≥3%", 未完成, and a
    # blocking 错误 for the missing 偏差原因.
    rows = [("产出指标", "质量指标", name, "3%", "0%", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    result = indicator(evaluation, name)
    assert (result.score.score, result.score.status) == (Decimal(20), "全部完成")
    assert result.score.compared is not None
    assert (result.score.compared.comparator, result.score.compared.assumed) == ("<=", True)
    assert [f for f in found if f.is_error] == []
    (finding,) = at(found, "绩效指标", f"F{FIRST_ROW}")  # 年度指标值
    assert (finding.code, finding.header) == ("direction-assumed", "年度指标值")
    assert "按“≤3%”理解" in finding.message and "≤3%" in finding.fix


def test_a_count_without_direction_is_read_as_at_least_with_a_warning(tmp_path: Path) -> None:
    rows = [("产出指标", "数量指标", "企业补贴个数", "20家", "15家", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "企业补贴个数").score.score == Decimal(15)  # 20 × 15/20
    (finding,) = at(found, "绩效指标", f"F{FIRST_ROW}")
    assert finding.code == "direction-assumed" and "按“≥20家”理解" in finding.message


def test_a_written_direction_is_never_second_guessed(tmp_path: Path) -> None:
    rows = [("产出指标", "质量指标", "预算调整率", "≥3%", "0%", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "预算调整率").score.score == Decimal(0)
    assert not [f for f in found if f.code == "direction-assumed"]


# ---------------------------------------------------------------------------
# 4. Under 财预2021, 经济成本指标 under a merged 产出指标 cell is read with a warning
# ---------------------------------------------------------------------------

CENTRAL_ROWS: list[Row] = [
    ("产出指标", "数量指标", "完成科技保险单数", "≥30单", "32单", 30),
    ("产出指标", "质量指标", "保单合规率", "≥95%", "98%", 10),
    ("产出指标", "经济成本指标", "单笔保费补贴", "≤2万元", "1.8万元", 10),  # under the merged 产出指标
    ("效益指标", "社会效益指标", "风险管理水平", "显著提高", "达成年度指标", 30),
    ("满意度指标", "服务对象满意度指标", "受益对象满意度", "≥90%", "95%", 10),
]


def test_a_2021_cost_row_under_the_merged_output_cell_is_read_with_a_warning(tmp_path: Path) -> None:
    path = published_workbook(tmp_path, CENTRAL_ROWS)
    ws = openpyxl.load_workbook(path)["绩效指标"]
    assert f"C{FIRST_ROW}:C{FIRST_ROW + 2}" in {str(r) for r in ws.merged_cells.ranges}  # as published
    evaluation, found = check(path, PRESETS["财预2021"])
    assert [f for f in found if f.is_error] == []
    (finding,) = at(found, "绩效指标", f"D{FIRST_ROW + 2}")
    assert (finding.code, finding.severity.value) == ("level-other-preset", "警告")
    assert "指标体系（默认）" in finding.message and "成本指标—经济成本指标" in finding.message
    # Read as 成本指标: the project's weights are the 财预2021 ones (产出 40, 成本 10), no warning.
    (card,) = evaluation.projects
    assert card.level_weights()["成本指标"] == Decimal(10)
    assert not [f for f in found if f.code == "weights-nonstandard" and f.sheet == "绩效指标"]


def test_a_row_that_fits_neither_preset_is_still_an_error(tmp_path: Path) -> None:
    rows = [("效益指标", "经济成本指标", "单笔保费补贴", "≤2万元", "1.8万元", 20), *BASE]
    _, found = check(published_workbook(tmp_path, rows), PRESETS["财预2021"])
    assert [f.code for f in at(found, "绩效指标", f"D{FIRST_ROW}")] == ["level2-parent"]


# ---------------------------------------------------------------------------
# Issue 9 item 5: units of indicator values
# ---------------------------------------------------------------------------


def test_a_target_in_baifenbi_is_met_by_an_actual_in_percent(tmp_path: Path) -> None:
    # Before: a blocking 错误 "单位不一致：百分比 vs %".
    rows = [("产出指标", "质量指标", "验收合格率", "≥100百分比", "100%", 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert [f for f in found if f.is_error] == []
    result = indicator(evaluation, "验收合格率")
    assert (result.score.score, result.score.status) == (Decimal(20), "全部完成")
    assert result.indicator.target.unit == "%"


@pytest.mark.parametrize(("target", "actual", "expected"), [("≥5个", "6项", 20), ("≥30家", "24家企业", 16)])
def test_count_units_are_normalised_and_compared(
    tmp_path: Path, target: str, actual: str, expected: int
) -> None:
    rows = [("产出指标", "数量指标", "支持对象数量", target, actual, 20), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "支持对象数量").score.score == Decimal(expected)
    assert not [f for f in found if f.code == "cannot-score"]


def test_a_budget_target_without_direction_is_warned_at_its_cell(tmp_path: Path) -> None:
    data = budget_data()
    data.tables["绩效指标"][0].update(level2="质量指标", level3="预算调整率", target="3%")
    result = read_workbook(write_budget(tmp_path / "budget.xlsx", data))
    found = [f for f in validate(result, DEFAULT) if f.code == "direction-assumed"]
    (finding,) = found
    assert (finding.sheet, finding.header, finding.value) == ("绩效指标", "指标值", "3%")
    assert finding.cell.endswith(str(FIRST_ROW)) and "按“≤3%”理解" in finding.message
    assert "自评时将据此评分" in finding.message


def test_a_deadline_answered_only_with_done_is_warned_but_on_time_is_not(tmp_path: Path) -> None:
    rows = [("产出指标", "时效指标", "完成时间", "10月底前", "完成", 10),
            ("产出指标", "时效指标", "验收时间", "12月底前", "按时完成", 10), *BASE]
    evaluation, found = check(published_workbook(tmp_path, rows))
    assert indicator(evaluation, "完成时间").score.score == Decimal(8)
    assert indicator(evaluation, "验收时间").score.score == Decimal(10)
    assert [f.code for f in at(found, "绩效指标", f"G{FIRST_ROW}")] == ["actual-word-for-figure"]
    assert at(found, "绩效指标", f"G{FIRST_ROW + 1}") == []
