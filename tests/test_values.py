"""Tests for generator.read.values: cell text, amounts, percentages and 指标值 parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.model.text import normalize_label, normalize_text, strip_control_chars
from generator.model.units import unit_factor
from generator.model.values import Deadline, IndicatorValue, actual_in_target_unit, plain_number, value_phrase
from generator.read.values import (
    ValueParseError,
    parse_actual,
    parse_decimal,
    parse_indicator_value,
    parse_int,
    parse_percent,
)

# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------


def test_none_normalizes_to_empty_text() -> None:
    assert normalize_text(None) == ""


def test_fullwidth_digits_and_symbols_become_halfwidth() -> None:
    assert normalize_text("４２．４％＞＝＋－") == "42.4%>=+-"


def test_chinese_comma_in_prose_is_kept_but_becomes_a_separator_between_digits() -> None:
    assert normalize_text("支持，最高") == "支持，最高"
    assert normalize_text("１，２３４") == "1,234"


def test_spaces_are_collapsed_and_stripped_but_line_breaks_are_kept() -> None:
    raw = "\u3000 第一行\t\t内容 \r\n第二行\u00a0\r第三行\u200b\ufeff "
    assert normalize_text(raw) == "第一行 内容\n第二行\n第三行"


def test_label_has_no_whitespace_ascii_parentheses_and_no_trailing_colon_or_star() -> None:
    assert normalize_label(" 项目资金（万元）： ") == "项目资金(万元)"
    assert normalize_label("单位 名称*") == "单位名称"
    assert normalize_label("绩效\n指标:") == "绩效指标"


def test_control_characters_are_removed_and_reported() -> None:
    assert strip_control_chars("a\x00b\x0bc\td\ne") == ("abc\td\ne", True)
    assert strip_control_chars("plain") == ("plain", False)


# ---------------------------------------------------------------------------
# parse_decimal
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42.40", Decimal("42.40")),
        ("42.40万元", Decimal("42.40")),
        ("42.40 万元", Decimal("42.40")),
        ("42.4万", Decimal("42.4")),
        ("1,234.5", Decimal("1234.5")),
        ("４２．４", Decimal("42.4")),
        ("+5", Decimal(5)),
        ("-3.2", Decimal("-3.2")),
        (" 7 ", Decimal(7)),
        (12, Decimal(12)),
        (Decimal("3.14"), Decimal("3.14")),
        (274.65999999999997, Decimal("274.65999999999997")),
    ],
)
def test_amounts_in_the_usual_forms_parse_to_exact_decimals(raw: object, expected: Decimal) -> None:
    assert parse_decimal(raw) == expected


def test_a_float_amount_keeps_the_value_excel_stored_without_rounding() -> None:
    assert str(parse_decimal(274.65999999999997)) == "274.65999999999997"


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "—", "/"])
def test_blank_amount_cells_are_none(raw: object) -> None:
    assert parse_decimal(raw) is None


def test_an_excel_error_value_is_reported_as_such() -> None:
    with pytest.raises(ValueParseError, match="Excel 错误值"):
        parse_decimal("#DIV/0!")


@pytest.mark.parametrize("raw", ["12元", "1.2亿元"])
def test_an_amount_in_another_money_unit_is_refused_with_a_chinese_message(
    raw: str,
) -> None:
    with pytest.raises(ValueParseError, match="本列单位为万元"):
        parse_decimal(raw)


@pytest.mark.parametrize("raw", ["abc", "(3.2)", "60%", True, float("nan"), [1]])
def test_non_amounts_are_refused(raw: object) -> None:
    with pytest.raises(ValueParseError):
        parse_decimal(raw)


def test_the_error_message_gives_an_example() -> None:
    with pytest.raises(ValueParseError, match="如 42.40"):
        parse_decimal("abc")


# ---------------------------------------------------------------------------
# parse_percent / parse_int
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [0.6, 60, "60%", "60.00%", "60", "0.6", "６０％", "60 %"])
def test_sixty_percent_in_any_form_is_point_six(raw: object) -> None:
    assert parse_percent(raw) == Decimal("0.6")


def test_percent_written_as_sixty_is_point_six() -> None:
    assert parse_percent(60) == Decimal("0.6")


def test_a_bare_one_means_one_hundred_percent() -> None:
    assert parse_percent(1) == Decimal(1)


def test_execution_above_one_hundred_percent_is_allowed() -> None:
    assert parse_percent("105%") == Decimal("1.05")
    assert parse_percent(105) == Decimal("1.05")


@pytest.mark.parametrize("raw", ["-5%", -0.2, "2000", "abc", "#N/A"])
def test_invalid_percentages_are_refused(raw: object) -> None:
    with pytest.raises(ValueParseError):
        parse_percent(raw)


@pytest.mark.parametrize(("raw", "expected"), [("12", 12), (12.0, 12), (" １２ ", 12)])
def test_whole_numbers_parse(raw: object, expected: int) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize("raw", ["12个", 12.5, "12.5", True])
def test_non_whole_numbers_are_refused(raw: object) -> None:
    with pytest.raises(ValueParseError):
        parse_int(raw)


def test_blank_whole_number_is_none() -> None:
    assert parse_int("") is None


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "family", "factor"),
    [
        ("亿元", "money", Decimal(100000000)),
        ("万元", "money", Decimal(10000)),
        ("元", "money", Decimal(1)),
        ("万元/家", "money/家", Decimal(10000)),
        ("%", "percent", Decimal(1)),
        ("天", "time-day", Decimal(1)),
        ("年", "time-month", Decimal(12)),
        ("家", "家", Decimal(1)),
        ("万人", "人", Decimal(10000)),
        ("张(册)", "张(册)", Decimal(1)),
        ("", "", Decimal(1)),
    ],
)
def test_unit_factor_maps_units_to_a_family_and_factor(unit: str, family: str, factor: Decimal) -> None:
    assert unit_factor(unit) == (family, factor)


def test_money_units_are_compatible_but_money_and_days_are_not() -> None:
    assert unit_factor("亿元")[0] == unit_factor("万元")[0]
    assert unit_factor("亿元")[0] != unit_factor("天")[0]
    assert unit_factor("家")[0] != unit_factor("人")[0]


# ---------------------------------------------------------------------------
# parse_indicator_value: every form from DOMAIN.md §3
# ---------------------------------------------------------------------------

QUANTITATIVE_TARGETS = [
    ("≥30单", ">=", "30", "单"),
    ("≥ 30 单", ">=", "30", "单"),
    (">=30单", ">=", "30", "单"),
    ("不低于30单", ">=", "30", "单"),
    ("不少于500册", ">=", "500", "册"),
    ("≤180天", "<=", "180", "天"),
    ("不超过60万元", "<=", "60", "万元"),
    ("≥1.5亿元", ">=", "1.5", "亿元"),
    ("≥90%", ">=", "90", "%"),
    ("≥ 90 %", ">=", "90", "%"),
    ("4次", None, "4", "次"),
    ("100万元", None, "100", "万元"),
    ("5万元", None, "5", "万元"),
    ("1万元/家", None, "1", "万元/家"),
    ("<50万元", "<", "50", "万元"),
    ("≤1353.09 万元", "<=", "1353.09", "万元"),
    ("≥100张(册)", ">=", "100", "张(册)"),
    ("≥100张（册）", ">=", "100", "张(册)"),
    ("100%", None, "100", "%"),
    ("≥95%", ">=", "95", "%"),
    ("＞80%", ">", "80", "%"),
    ("≈5项", "=", "5", "项"),
    ("≥1,200家", ">=", "1200", "家"),
    ("30家以上", ">=", "30", "家"),
    ("180天以内", "<=", "180", "天"),
]


@pytest.mark.parametrize(("text", "comparator", "number", "unit"), QUANTITATIVE_TARGETS)
def test_quantitative_target_forms_parse_to_comparator_number_and_unit(
    text: str, comparator: str | None, number: str, unit: str
) -> None:
    value = parse_indicator_value(text)
    assert (value.kind, value.comparator, value.number, value.unit) == (
        "quantitative",
        comparator,
        Decimal(number),
        unit,
    )


DEADLINE_TARGETS = [
    ("12月底前", 12, None, 12),
    ("12 月前", 12, None, 12),
    ("9月前", 9, None, 9),
    ("9月底", 9, None, 9),
    ("9月份前", 9, None, 9),
    ("十二月底前", 12, None, 12),
    ("第四季度前", None, 4, 12),
    ("第4季度", None, 4, 12),
    ("第一季度", None, 1, 3),
    ("三季度末", None, 3, 9),
    ("年底前", 12, None, 12),
    ("年内", 12, None, 12),
    ("上半年", 6, None, 6),
]


@pytest.mark.parametrize(("text", "month", "quarter", "last_month"), DEADLINE_TARGETS)
def test_deadline_target_forms_parse_to_a_month_or_quarter(
    text: str, month: int | None, quarter: int | None, last_month: int
) -> None:
    value = parse_indicator_value(text)
    assert value.kind == "deadline"
    assert value.deadline is not None
    assert (value.deadline.month, value.deadline.quarter) == (month, quarter)
    assert value.deadline.last_month() == last_month


QUALITATIVE_TARGETS = [
    "及时", "是", "符合", "显著", "较显著", "明显", "良好", "显著提高", "有所提升",
    "有所改善", "逐步提高", "服务能力明显增强", "达标", "优秀",
]  # fmt: skip


@pytest.mark.parametrize("text", QUALITATIVE_TARGETS)
def test_yes_and_grade_words_are_qualitative(text: str) -> None:
    value = parse_indicator_value(text)
    assert (value.kind, value.comparator, value.number) == ("qualitative", None, None)


TEXT_TARGETS = [
    "以实际发生为准",
    "按季度",
    "给予省资助金额20%的配套资金支持，最高不超过60万",
]


@pytest.mark.parametrize("text", TEXT_TARGETS)
def test_free_text_targets_are_kept_as_text(text: str) -> None:
    value = parse_indicator_value(text)
    assert value.kind == "text"
    assert value.raw == text


@pytest.mark.parametrize("text", [None, "", "   ", "-"])
def test_an_empty_target_is_an_error(text: object) -> None:
    with pytest.raises(ValueParseError, match="指标值为空"):
        parse_indicator_value(text)


def test_an_excel_error_target_is_an_error() -> None:
    with pytest.raises(ValueParseError, match="Excel 错误值"):
        parse_indicator_value("#REF!")


def test_a_numeric_target_cell_is_a_quantity_without_a_comparator() -> None:
    # The direction is not invented here: scoring reads it with model.values.direction_of.
    assert parse_indicator_value(30) == IndicatorValue(raw="30", kind="quantitative", number=Decimal(30))


def test_the_raw_text_is_normalised() -> None:
    assert parse_indicator_value("  ＞80% ").raw == ">80%"


# ---------------------------------------------------------------------------
# parse_actual
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("32家", "32", "家"),
        ("27205.9万元", "27205.9", "万元"),
        ("95%", "95", "%"),
        ("0.95", "0.95", ""),
    ],
)
def test_an_actual_number_has_no_comparator(text: str, number: str, unit: str) -> None:
    value = parse_actual(text)
    assert (value.kind, value.comparator, value.number, value.unit) == (
        "quantitative",
        None,
        Decimal(number),
        unit,
    )


@pytest.mark.parametrize(
    ("text", "month", "year"),
    [
        ("7月", 7, None),
        ("7月底", 7, None),
        ("2024年7月", 7, 2024),
        ("2024-07-15", 7, 2024),
    ],
)
def test_an_actual_completion_date_is_a_deadline_value(text: str, month: int, year: int | None) -> None:
    value = parse_actual(text)
    assert value.kind == "deadline"
    assert value.deadline == Deadline(month=month, quarter=None, raw=text, year=year)


def test_an_actual_date_cell_is_a_deadline_value() -> None:
    value = parse_actual(dt.datetime(2024, 7, 15))
    assert value.deadline is not None
    assert (value.deadline.year, value.deadline.month) == (2024, 7)


@pytest.mark.parametrize(
    "text",
    [
        "达成年度指标",
        "部分达成年度指标并具有一定效果",
        "未达成年度指标且效果较差",
        "是",
        "完成",
        "显著",
    ],
)
def test_actual_grade_words_are_qualitative(text: str) -> None:
    assert parse_actual(text).kind == "qualitative"


def test_an_empty_actual_is_an_error_naming_the_actual() -> None:
    with pytest.raises(ValueParseError, match="实际完成值为空"):
        parse_actual("")


def test_a_deadline_needs_exactly_one_of_month_and_quarter() -> None:
    with pytest.raises(ValueError):
        Deadline(month=9, quarter=3, raw="x")


# ---------------------------------------------------------------------------
# Properties: arbitrary input never raises anything but ValueParseError
# ---------------------------------------------------------------------------

# Text biased towards the characters these parsers care about.
cell_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,%+-<>=≥≤＞＜％．万元亿天月季度第前底年单家个 　\n"),
    st.builds(
        lambda cmp, num, unit: f"{cmp}{num}{unit}",
        st.sampled_from(["", "≥", "≤", "<", ">", "不低于", "不超过", "≈"]),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.sampled_from(["", "万元", "亿元", "元", "%", "天", "家", "月前", "季度"]),
    ),
)
cell_value = st.one_of(
    cell_text,
    st.none(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.dates(),
)


@given(cell_value)
def test_parse_indicator_value_only_raises_value_parse_error(raw: object) -> None:
    try:
        value = parse_indicator_value(raw)
    except ValueParseError:
        return
    assert value.kind in ("quantitative", "deadline", "qualitative", "text")


@given(cell_value)
def test_parse_actual_only_raises_value_parse_error(raw: object) -> None:
    try:
        parse_actual(raw)
    except ValueParseError:
        pass


@given(cell_value)
def test_parse_decimal_only_raises_value_parse_error(raw: object) -> None:
    try:
        parse_decimal(raw)
    except ValueParseError:
        pass


@given(cell_value)
def test_parse_percent_only_raises_value_parse_error_and_is_never_negative(
    raw: object,
) -> None:
    try:
        value = parse_percent(raw)
    except ValueParseError:
        return
    assert value is None or value >= 0


@given(cell_value)
def test_parse_int_only_raises_value_parse_error(raw: object) -> None:
    try:
        parse_int(raw)
    except ValueParseError:
        pass


@given(st.text())
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


# ---------------------------------------------------------------------------
# value_phrase: a value in a sentence always keeps its unit (issue 9)
# ---------------------------------------------------------------------------

phrase_units = st.sampled_from(["个", "家", "万元", "%", "天", "人次", "万元/家"])
phrase_numbers = st.decimals(min_value=0, max_value=Decimal(100000), places=2, allow_nan=False)


@given(phrase_numbers, phrase_numbers, phrase_units, st.sampled_from(["", "≥", "≤", "<", ">"]), st.booleans())
def test_an_actual_in_a_sentence_keeps_the_unit_it_was_compared_in(
    target_number: Decimal, actual_number: Decimal, unit: str, comparator: str, bare: bool
) -> None:
    target = parse_indicator_value(f"{comparator}{target_number}{unit}")
    actual = parse_actual(f"{actual_number}{'' if bare else unit}")
    shown = value_phrase(actual, target)
    assert shown.endswith(unit)
    reading = actual_in_target_unit(actual, target)
    assert reading is not None
    assert shown == f"{plain_number(reading.number)}{unit}"


def test_an_actual_typed_fifty_against_a_target_in_ge_reads_fifty_ge() -> None:
    assert value_phrase(parse_actual("50"), parse_indicator_value("≥50个")) == "50个"


def test_value_phrase_of_nothing_is_empty() -> None:
    assert value_phrase(None) == ""
    assert value_phrase(IndicatorValue(raw=" ", kind="text")) == ""
