"""Tests for generator.compute.scoring: the self-evaluation rules of DOMAIN.md §4."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compute.scoring import (
    DEFAULT_RULES,
    NOT_ACHIEVED_DEFAULT,
    PARTIAL_DEFAULT,
    Comparison,
    NegativeRule,
    Score,
    ScoringRules,
    grade,
    round_score,
    score_execution,
    score_indicator,
    summarize,
)
from generator.model.values import IndicatorValue
from generator.read.values import ValueParseError, parse_actual, parse_indicator_value
from generator.render.score_wording import explain, notes_of

W = Decimal(10)


def score(
    target: str,
    actual: str | None,
    weight: Decimal = W,
    rules: ScoringRules = DEFAULT_RULES,
    user_score: Decimal | None = None,
) -> Score:
    """Score a target/actual pair written as they appear in the workbook."""
    parsed_actual = parse_actual(actual) if actual is not None else None
    return score_indicator(parse_indicator_value(target), parsed_actual, weight, rules, user_score)


# ---------------------------------------------------------------------------
# Positive and equal indicators
# ---------------------------------------------------------------------------


def test_meeting_a_positive_target_exactly_gives_full_marks() -> None:
    result = score("≥30单", "30单")
    assert (result.score, result.status, result.needs_reason) == (W, "全部完成", False)


def test_exceeding_a_positive_target_gives_full_marks_and_over_achieved_status() -> None:
    # 33 vs 30 is 10% above the target: within the 20% threshold, no reason needed.
    result = score("≥30单", "33单")
    assert (result.score, result.status, result.needs_reason) == (W, "超额完成", False)


def test_below_a_positive_target_scores_proportionally() -> None:
    # 10 × 24/30 = 8
    result = score("≥30单", "24单")
    assert result.score == Decimal(8)
    assert result.status == "基本完成"
    assert result.needs_reason
    assert "10 × 24/30 = 8.00" in explain(result)


def test_an_actual_without_unit_takes_the_target_unit() -> None:
    # 10 × 15/30 = 5
    assert score("≥30家", "15").score == Decimal(5)


def test_an_equal_target_met_exactly_gives_full_marks() -> None:
    result = score("4次", "4次")
    assert (result.score, result.status) == (W, "全部完成")


def test_an_equal_target_below_scores_proportionally() -> None:
    # 10 × 3/4 = 7.5
    assert score("4次", "3次").score == Decimal("7.5")


def test_an_equal_target_exceeded_gives_full_marks() -> None:
    assert score("4次", "5次").status == "超额完成"


def test_over_achievement_beyond_twenty_percent_needs_a_reason() -> None:
    # 40 vs 30 is 33.33% above the target (> 20%).
    result = score("≥30单", "40单")
    assert result.score == W
    assert result.needs_reason
    assert any("33.33%" in note for note in notes_of(result))


def test_over_achievement_of_exactly_twenty_percent_needs_no_reason() -> None:
    assert not score("≥30单", "36单").needs_reason


def test_the_over_achievement_threshold_is_configurable() -> None:
    rules = ScoringRules(over_achievement_threshold=Decimal("0.05"))
    assert score("≥30单", "33单", rules=rules).needs_reason


def test_a_strict_greater_than_target_met_exactly_is_counted_with_a_note() -> None:
    result = score("＞80%", "80%")
    assert result.score == W
    assert result.notes


# ---------------------------------------------------------------------------
# Negative indicators
# ---------------------------------------------------------------------------


def test_a_negative_indicator_at_or_below_target_gets_full_marks() -> None:
    # t = 180, a = 150 → w
    result = score("≤180天", "150天")
    assert (result.score, result.status, result.needs_reason) == (W, "全部完成", False)


def test_a_negative_indicator_between_target_and_double_loses_linearly() -> None:
    # t = 180, a = 200 → 10 × (1 − 20/180) = 8.888…, shown 8.89
    result = score("≤180天", "200天")
    assert result.score == W * (1 - Decimal(20) / Decimal(180))
    assert round_score(result.score) == Decimal("8.89")
    assert "10 ×（1 −（200−180）/180）= 8.89" in explain(result)
    assert result.needs_reason


def test_a_negative_indicator_at_double_the_target_scores_zero() -> None:
    # t = 180, a = 400 ≥ 2t = 360 → 0
    result = score("≤180天", "400天")
    assert (result.score, result.status) == (Decimal(0), "未完成")


def test_the_ratio_rule_scores_target_over_actual() -> None:
    # t = 180, a = 200 → 10 × 180/200 = 9
    rules = ScoringRules(negative_rule=NegativeRule.RATIO)
    result = score("≤180天", "200天", rules=rules)
    assert result.score == Decimal(9)
    assert "比值法" in explain(result)


def test_the_ratio_rule_does_not_drop_to_zero_at_double_the_target() -> None:
    # t = 180, a = 400 → 10 × 180/400 = 4.5
    rules = ScoringRules(negative_rule=NegativeRule.RATIO)
    assert score("≤180天", "400天", rules=rules).score == Decimal("4.5")


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


def test_a_target_in_yi_yuan_is_met_by_an_actual_in_wan_yuan() -> None:
    # 27205.9万元 = 2.72059亿元 ≥ 1.5亿元 → full marks (81% above: needs a reason)
    result = score("≥1.5亿元", "27205.9万元")
    assert result.score == W
    assert result.status == "超额完成"
    assert any("换算" in note for note in notes_of(result))


def test_a_cost_cap_in_wan_yuan_compares_with_an_actual_in_yuan() -> None:
    # 550000元 = 55万元 ≤ 60万元
    assert score("不超过60万元", "550000元").score == W


def test_incompatible_units_cannot_be_scored() -> None:
    result = score("≥1.5亿元", "30天")
    assert (result.score, result.status) == (Decimal(0), "无法评分")
    assert any("单位不一致" in note for note in notes_of(result))


def test_a_bare_fraction_against_a_percent_target_is_read_as_percent() -> None:
    # 0.95 → 95% ≥ 90%
    result = score("≥90%", "0.95")
    assert result.score == W
    assert any("95%" in note for note in notes_of(result))


def test_a_bare_number_against_a_percent_target_is_percent_points() -> None:
    # 45 → 45%; 10 × 45/90 = 5
    assert score("≥90%", "45").score == Decimal(5)


def test_a_target_in_baifenbi_compares_with_an_actual_in_percent() -> None:
    # Issue 9: "≥100百分比" against "100%" was a blocking 单位不一致.
    result = score("≥100百分比", "100%")
    assert (result.score, result.status) == (W, "全部完成")


def test_the_general_classifier_ge_compares_with_any_count_unit_with_a_note() -> None:
    # 10 × 4/5 = 8
    result = score("≥5个", "4项")
    assert result.score == Decimal(8)
    assert any("通用量词" in note for note in notes_of(result))


def test_a_count_with_its_noun_compares_with_the_bare_count() -> None:
    assert score("≥30家", "30家企业").score == W


def test_two_specific_count_units_do_not_compare() -> None:
    assert score("≥5项", "6家").status == "无法评分"


# ---------------------------------------------------------------------------
# What was compared
# ---------------------------------------------------------------------------


def test_a_numeric_score_carries_both_figures_in_the_target_unit() -> None:
    compared = score("≥1.5亿元", "27205.9万元").compared
    assert compared == Comparison(">=", False, Decimal("1.5"), Decimal("2.72059"), "亿元")


def test_a_bare_actual_is_compared_in_the_target_unit() -> None:
    compared = score("≥50个", "50").compared
    assert compared is not None and (compared.actual, compared.unit) == (Decimal(50), "个")


def test_non_numeric_scores_carry_no_comparison() -> None:
    assert score("9月前", "7月").compared is None
    assert score("显著", "达成年度指标").compared is None
    assert score("≥30单", "完成").compared is None


# ---------------------------------------------------------------------------
# Directions not written
# ---------------------------------------------------------------------------


def named(target: str, actual: str, name: str, levels: tuple[str, ...] = ()) -> Score:
    return score_indicator(parse_indicator_value(target), parse_actual(actual), W, name=name, levels=levels)


def test_a_target_without_direction_is_scored_at_least_and_says_so() -> None:
    result = named("20家", "15家", "企业补贴个数")
    assert result.score == Decimal("7.5")  # 10 × 15/20
    assert result.compared is not None and (result.compared.comparator, result.compared.assumed) == (">=", True)
    assert "未写比较方向，按“≥”理解" in explain(result)
    assert any("按“≥20家”理解" in note for note in notes_of(result))


def test_a_rate_that_is_good_when_low_is_scored_at_most() -> None:
    # 预算调整率 3% against 0%: full marks, not 0 of 10 and 未完成.
    result = named("3%", "0%", "预算调整率")
    assert (result.score, result.status, result.needs_reason) == (W, "全部完成", False)
    assert result.compared is not None and result.compared.comparator == "<="
    # 5% is above the ceiling: the negative rule, 10 × (1 − 2/3)
    assert named("3%", "5%", "预算调整率").score == W * (1 - Decimal(2) / Decimal(3))


def test_a_cost_level_reads_an_amount_as_a_ceiling() -> None:
    assert named("90万元", "85万元", "需要支出资金", ("产出指标", "成本指标")).score == W
    assert named("90万元", "85万元", "需要支出资金", ("产出指标", "数量指标")).score < W


def test_a_handling_rate_is_not_read_as_lower_is_better() -> None:
    assert named("100%", "90%", "投诉处理率").compared.comparator == ">="  # type: ignore[union-attr]


def test_a_written_direction_wins_over_the_name() -> None:
    result = named("≥3%", "0%", "预算调整率")
    assert (result.score, result.compared.assumed) == (Decimal(0), False)  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# Ranges
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("actual", "expected"), [("80%", W), ("85%", W), ("90%", W)])
def test_an_actual_inside_a_range_gets_full_marks(actual: str, expected: Decimal) -> None:
    result = score("80%-90%", actual)
    assert (result.score, result.status) == (expected, "全部完成")


def test_below_a_range_scores_as_positive_against_its_low_end() -> None:
    assert score("80%-90%", "60%").score == Decimal("7.5")  # 10 × 60/80


def test_above_a_range_scores_as_negative_against_its_high_end() -> None:
    # 10 × (1 − (99 − 90)/90) = 9
    result = score("80%-90%", "99%")
    assert result.score == Decimal(9)
    assert result.compared is not None and result.compared.upper == Decimal(90)


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


def test_a_deadline_met_gives_full_marks() -> None:
    result = score("9月前", "7月")
    assert (result.score, result.status, result.needs_reason) == (W, "全部完成", False)


def test_a_deadline_met_in_its_last_month_gives_full_marks() -> None:
    assert score("9月前", "9月底").score == W


def test_a_missed_deadline_scores_zero_and_lets_the_user_decide() -> None:
    result = score("9月前", "11月")
    assert (result.score, result.status, result.needs_reason) == (
        Decimal(0),
        "未完成",
        True,
    )
    assert (result.allowed_min, result.allowed_max) == (Decimal(0), W)


def test_a_missed_deadline_keeps_a_user_score_inside_the_range_without_a_note() -> None:
    result = score("9月前", "11月", user_score=Decimal(5))
    assert (result.score, result.status, result.notes) == (Decimal(5), "部分完成", ())


def test_a_quarter_deadline_is_met_by_a_month_inside_the_quarter() -> None:
    assert score("第四季度前", "2024年11月").score == W


def test_completion_in_a_later_year_is_late() -> None:
    assert score("2024年12月底前", "2025年1月").score == Decimal(0)


# ---------------------------------------------------------------------------
# Qualitative bands
# ---------------------------------------------------------------------------


def test_achieved_band_defaults_to_full_marks_with_range_eighty_to_hundred_percent() -> None:
    result = score("显著", "达成年度指标")
    assert (result.score, result.status, result.needs_reason) == (W, "全部完成", False)
    assert (result.allowed_min, result.allowed_max) == (Decimal(8), W)


def test_partially_achieved_band_defaults_to_seventy_percent_below_eighty() -> None:
    result = score("显著", "部分达成年度指标并具有一定效果")
    assert result.score == W * PARTIAL_DEFAULT == Decimal(7)
    assert (result.allowed_min, result.allowed_max) == (Decimal(6), Decimal("7.99"))
    assert (result.status, result.needs_reason) == ("部分完成", True)


def test_not_achieved_band_defaults_to_thirty_percent_below_sixty() -> None:
    result = score("显著", "未达成年度指标且效果较差")
    assert result.score == W * NOT_ACHIEVED_DEFAULT == Decimal(3)
    assert (result.allowed_min, result.allowed_max) == (Decimal(0), Decimal("5.99"))
    assert (result.status, result.needs_reason) == ("未完成", True)


@pytest.mark.parametrize("actual", ["达成预期指标", "是", "完成", "显著", "符合", "及时"])
def test_synonyms_of_achieved_fall_in_the_achieved_band(actual: str) -> None:
    assert score("良好", actual).allowed_min == Decimal(8)


def test_an_actual_equal_to_a_qualitative_target_is_achieved() -> None:
    assert score("有所提升", "有所提升").score == W


def test_a_no_target_is_achieved_by_a_no_actual() -> None:
    assert score("否", "否").score == W
    assert score("是", "否").status == "未完成"


def test_a_user_score_inside_the_band_is_kept() -> None:
    result = score("显著", "达成年度指标", user_score=Decimal("9.5"))
    assert (result.score, result.notes) == (Decimal("9.5"), ())
    assert "用户填写得分 9.50" in explain(result)


def test_a_user_score_outside_the_band_is_kept_and_flagged() -> None:
    result = score("显著", "部分达成年度指标并具有一定效果", user_score=Decimal(9))
    assert result.score == Decimal(9)
    assert "用户填写得分 9.00 超出规则允许范围 [6.00, 7.99]" in notes_of(result)


def test_a_user_score_outside_the_band_is_replaced_when_clamping() -> None:
    rules = ScoringRules(clamp_user_scores=True)
    result = score("显著", "部分达成年度指标并具有一定效果", rules=rules, user_score=Decimal(9))
    assert result.score == Decimal(7)
    assert result.notes


def test_a_user_score_that_rounds_to_the_rule_score_is_not_flagged() -> None:
    # rule score 8.888…, the user copies the displayed 8.89
    assert score("≤180天", "200天", user_score=Decimal("8.89")).notes == ()


def test_a_grade_word_actual_against_a_quantity_target_scores_the_bottom_of_its_band() -> None:
    # Issue 15: a word where the figure belongs is never full marks by default: 10 × 80% = 8,
    # the user may still give up to 10, and the note asks for the figure.
    result = score("≥30单", "达成年度指标")
    assert (result.score, result.status) == (Decimal(8), "全部完成")
    assert (result.allowed_min, result.allowed_max) == (Decimal(8), W)
    assert any("请填写实际完成的数值" in note for note in notes_of(result))


def test_an_unknown_word_against_a_qualitative_target_cannot_be_scored() -> None:
    assert score("显著", "还行吧").status == "无法评分"


# ---------------------------------------------------------------------------
# Cannot score
# ---------------------------------------------------------------------------


def test_a_missing_actual_cannot_be_scored_and_scores_zero() -> None:
    result = score("≥30单", None)
    assert (result.score, result.status) == (Decimal(0), "无法评分")
    assert any("实际完成值为空" in note for note in notes_of(result))


def test_a_text_target_cannot_be_scored_automatically() -> None:
    result = score("以实际发生为准", "100万元")
    assert result.status == "无法评分"
    assert (result.allowed_min, result.allowed_max) == (Decimal(0), W)


def test_a_text_target_accepts_a_user_score() -> None:
    result = score("以实际发生为准", "100万元", user_score=Decimal(8))
    assert (result.score, result.status) == (Decimal(8), "无法评分")
    assert not any("超出" in note for note in notes_of(result))


# ---------------------------------------------------------------------------
# Budget execution
# ---------------------------------------------------------------------------


def test_execution_below_budget_scores_weight_times_rate() -> None:
    # 95/100 = 95%; 10 × 0.95 = 9.5
    rate, result = score_execution(Decimal(100), Decimal(95))
    assert (rate, result.score, result.status) == (
        Decimal("0.95"),
        Decimal("9.5"),
        "基本完成",
    )


def test_execution_above_budget_is_capped_but_the_real_rate_is_returned() -> None:
    rate, result = score_execution(Decimal(100), Decimal(105))
    assert rate == Decimal("1.05")
    assert result.score == W
    assert any("105.00%" in note for note in notes_of(result))


def test_execution_with_zero_budget_cannot_be_scored() -> None:
    rate, result = score_execution(Decimal(0), Decimal(5))
    assert (rate, result.status, result.score) == (None, "无法评分", Decimal(0))


def test_execution_uses_the_given_weight() -> None:
    # 20 × 50/100 = 10
    assert score_execution(Decimal(100), Decimal(50), Decimal(20))[1].score == Decimal(10)


# ---------------------------------------------------------------------------
# Totals and grades
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (Decimal(100), ("优", "优秀")),
        (Decimal(90), ("优", "优秀")),
        (Decimal("89.99"), ("良", "良好")),
        (Decimal(80), ("良", "良好")),
        (Decimal("79.99"), ("中", "中")),
        (Decimal(60), ("中", "中")),
        (Decimal("59.99"), ("差", "差")),
        (Decimal(0), ("差", "差")),
    ],
)
def test_grade_boundaries(total: Decimal, expected: tuple[str, str]) -> None:
    assert grade(total) == expected


def test_a_total_that_displays_as_ninety_grades_excellent() -> None:
    assert grade(Decimal("89.995")) == ("优", "优秀")


def test_round_score_rounds_half_up_to_two_decimals() -> None:
    assert round_score(Decimal("8.885")) == Decimal("8.89")
    assert round_score(Decimal("8.884999")) == Decimal("8.88")


def test_summarize_adds_unrounded_scores() -> None:
    scores = [score("≥30单", "24单"), score("≤180天", "200天")]
    assert summarize(scores) == Decimal(8) + W * (1 - Decimal(20) / Decimal(180))


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

numbers = st.decimals(min_value=Decimal(-1000), max_value=Decimal("1e9"), places=4, allow_nan=False)
units = st.sampled_from(["", "万元", "亿元", "元", "%", "天", "家", "单", "万元/家", "月"])
comparators = st.sampled_from([">=", "<=", ">", "<", "=", None])
weights = st.decimals(min_value=0, max_value=100, places=2)


def _parsed(parser: object, text: str) -> IndicatorValue | None:
    try:
        return parser(text)  # type: ignore[operator, no-any-return]
    except ValueParseError:
        return None


structured_values = st.builds(
    lambda cmp, num, unit: IndicatorValue(
        raw=f"{cmp or ''}{num}{unit}", kind="quantitative", comparator=cmp, number=num,
        unit=unit,
    ),
    comparators, numbers, units,
)  # fmt: skip
word_texts = st.sampled_from(
    ["9月前", "7月", "11月", "第四季度前", "2024年7月", "达成年度指标", "部分达成年度指标并具有一定效果",
     "未达成年度指标且效果较差", "是", "否", "显著", "以实际发生为准", "还行", "0", "100%"]
)  # fmt: skip
free_texts = st.one_of(word_texts, st.text(max_size=20))
targets = st.one_of(
    structured_values,
    free_texts.map(lambda t: _parsed(parse_indicator_value, t)).filter(lambda v: v is not None),
)
actuals = st.one_of(
    st.none(),
    structured_values,
    free_texts.map(lambda t: _parsed(parse_actual, t)).filter(lambda v: v is not None),
)


@given(targets, actuals, weights, st.sampled_from(list(NegativeRule)))
def test_rule_scores_stay_within_zero_and_the_weight(
    target: IndicatorValue, actual: IndicatorValue | None, weight: Decimal,
    rule: NegativeRule,
) -> None:  # fmt: skip
    result = score_indicator(target, actual, weight, ScoringRules(negative_rule=rule))
    assert Decimal(0) <= result.score <= weight
    assert result.allowed_min <= result.allowed_max
    assert result.is_allowed(result.score)
    assert explain(result)


@given(targets, actuals, weights, st.decimals(min_value=-10, max_value=200, places=2))
def test_user_scores_never_make_the_engine_raise(
    target: IndicatorValue, actual: IndicatorValue | None, weight: Decimal,
    user_score: Decimal,
) -> None:  # fmt: skip
    result = score_indicator(target, actual, weight, user_score=user_score)
    assert result.score == user_score
    assert result.is_allowed(user_score) or any("超出规则允许范围" in n for n in notes_of(result))


@given(numbers, numbers, weights)
def test_execution_scores_stay_within_zero_and_the_weight(
    budget: Decimal, executed: Decimal, weight: Decimal
) -> None:
    rate, result = score_execution(budget, executed, weight)
    assert Decimal(0) <= result.score <= weight
    assert (rate is None) == (budget <= 0)
