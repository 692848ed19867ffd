"""Cell value parsing: amounts, percentages and indicator values (types in ``model.values``).

Pure functions only (no openpyxl): callers pass whatever a cell holds (``None``, ``str``,
``int``, ``float``, ``Decimal``, ``datetime``) and get back normalised text, ``Decimal``
numbers or an :class:`IndicatorValue`. Every failure is a :class:`ValueParseError` whose
message is Chinese and says what was expected, so it can be shown to the user as is.

Amounts are never floats: a float cell is converted with ``Decimal(str(v))`` so the
value Excel stored (e.g. ``274.65999999999997``) is kept exactly; rounding belongs to
the presentation layer.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from generator.model.text import normalize_text, strip_control_chars
from generator.model.values import Comparator, Deadline, IndicatorValue

__all__ = [
    "ValueParseError",
    "parse_actual",
    "parse_decimal",
    "parse_indicator_value",
    "parse_int",
    "parse_percent",
]


class ValueParseError(ValueError):
    """A cell value could not be understood; the message (Chinese) says what was expected."""



# ---------------------------------------------------------------------------
# Plain numbers
# ---------------------------------------------------------------------------

_BLANK_MARKERS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\"})
_EXCEL_ERRORS = frozenset(
    {
        "#DIV/0!",
        "#REF!",
        "#VALUE!",
        "#N/A",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
    }
)
# No exponent notation for typed text: nobody types "1E+3" in a budget table, and
# accepting it would let absurd exponents through to the arithmetic.
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_THOUSANDS_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")


def _shown(raw: object) -> str:
    """Quote a value for an error message, shortened so a huge cell cannot flood the UI."""
    text = normalize_text(raw)
    return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”"


def _number_from_nonstring(raw: object, what: str) -> Decimal | None:
    """Convert int/float/Decimal cells; return ``None`` when ``raw`` is not one of those."""
    if isinstance(raw, bool):
        raise ValueParseError(f"无法识别为{what}：{_shown(raw)}，请填写数字")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        value = Decimal(str(raw))
    elif isinstance(raw, Decimal):
        value = raw
    else:
        return None
    if not value.is_finite():
        raise ValueParseError(f"无法识别为{what}：{_shown(raw)}，请填写有效数字")
    _check_magnitude(value, raw)
    return value


# No budget figure has more than 30 integer digits; refusing larger ones keeps later
# arithmetic (ratios, int()) far from the Decimal context's limits.
_MAX_ADJUSTED_EXPONENT = 30


def _check_magnitude(value: Decimal, raw: object) -> None:
    if value and value.adjusted() > _MAX_ADJUSTED_EXPONENT:
        raise ValueParseError(f"数值过大：{_shown(raw)}，请核对")


def _compact_number_text(raw: object) -> str:
    """Normalised text with thousands separators and all spaces removed."""
    text = "".join(normalize_text(raw).split())
    return _THOUSANDS_COMMA.sub("", text)


def _check_excel_error(text: str) -> None:
    if text.upper() in _EXCEL_ERRORS:
        raise ValueParseError(f"单元格是 Excel 错误值“{text}”（公式计算出错），请修正公式或直接填写数字")


def _to_decimal(text: str, raw: object, what: str, example: str) -> Decimal:
    if not _NUMBER_RE.fullmatch(text):
        raise ValueParseError(f"无法识别为{what}：{_shown(raw)}，请填写数字，如 {example}")
    # The regex guarantees valid Decimal syntax.
    value = Decimal(text)
    _check_magnitude(value, raw)
    return value


def parse_decimal(raw: object) -> Decimal | None:
    """Parse an amount in 万元 (the workbook's unit); ``None`` for a blank cell.

    Accepts numbers, numeric text ("42.40", "1,234.5", "４２．４", "+5", "-3.2") and an
    optional trailing "万元"/"万" which is ignored. A trailing "元" or "亿元" is rejected:
    silently accepting it would make the amount 10000 times (or 1/10000 of) what was meant.
    Blank markers ("", "-", "—", "/") mean no value. Excel error values are rejected.
    """
    if raw is None:
        return None
    number = _number_from_nonstring(raw, "金额")
    if number is not None:
        return number
    if not isinstance(raw, str):
        raise ValueParseError(f"无法识别为金额：{_shown(raw)}，请填写数字，如 42.40")
    text = _compact_number_text(raw)
    if text in _BLANK_MARKERS:
        return None
    _check_excel_error(text)
    if text.endswith("亿元") or (text.endswith("元") and not text.endswith("万元")):
        unit = "亿元" if text.endswith("亿元") else "元"
        raise ValueParseError(
            f"金额单位不符：{_shown(raw)} 写的是“{unit}”，本列单位为万元，请换算成万元后只填写数字，如 42.40"
        )
    if text.endswith("%"):
        raise ValueParseError(f"无法识别为金额：{_shown(raw)} 是百分比，本列应填写金额（万元）")
    for suffix in ("万元", "万"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return _to_decimal(text, raw, "金额", "42.40")


# Largest bare number read as a percentage (execution rates above 100% do happen).
_MAX_BARE_PERCENT = Decimal(1000)


def parse_percent(raw: object) -> Decimal | None:
    """Parse a percentage and return it as a FRACTION (``Decimal("0.6")`` for 60%).

    "60%" / "６０％" / "60.00%" are divided by 100. A bare number is ambiguous: a value in
    [0, 1] is taken as already a fraction (Excel stores a 60% cell as 0.6), a value in
    (1, 1000] as percent points. Consequently a bare ``1`` means 100%, not 1% — write "1%"
    for one percent. Negative values and bare numbers above 1000 are rejected.
    """
    if raw is None:
        return None
    number = _number_from_nonstring(raw, "百分比")
    if number is None:
        if not isinstance(raw, str):
            raise ValueParseError(f"无法识别为百分比：{_shown(raw)}，请填写如 60% 或 0.6")
        text = _compact_number_text(raw)
        if text in _BLANK_MARKERS:
            return None
        _check_excel_error(text)
        if text.endswith("%"):
            value = _to_decimal(text[:-1], raw, "百分比", "60%")
            _check_not_negative(value, raw)
            return value / 100
        number = _to_decimal(text, raw, "百分比", "60%")
    _check_not_negative(number, raw)
    if number <= 1:
        return number
    if number <= _MAX_BARE_PERCENT:
        return number / 100
    raise ValueParseError(f"百分比数值过大：{_shown(raw)}，请填写如 60% 或 0.6")


def _check_not_negative(value: Decimal, raw: object) -> None:
    if value < 0:
        raise ValueParseError(f"百分比不能为负数：{_shown(raw)}")


def parse_int(raw: object) -> int | None:
    """Parse a whole number ("12", 12, 12.0); ``None`` for a blank cell; "12个" and 12.5 are errors."""
    if raw is None:
        return None
    number = _number_from_nonstring(raw, "整数")
    if number is None:
        if not isinstance(raw, str):
            raise ValueParseError(f"无法识别为整数：{_shown(raw)}，请填写整数，如 12")
        text = _compact_number_text(raw)
        if text in _BLANK_MARKERS:
            return None
        _check_excel_error(text)
        number = _to_decimal(text, raw, "整数", "12")
    if number != number.to_integral_value():
        raise ValueParseError(f"应为整数：{_shown(raw)} 带有小数，请填写整数，如 12")
    return int(number)


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_CN_NUM = "[一二两三四五六七八九十]{1,3}"
_BEFORE = r"(?:前|之前|以前|内|以内)?(?:完成|结束)?"
_YEAR = r"(?:(?P<year>(?:19|20)[0-9]{2})年)?"
_MONTH_RE = re.compile(
    rf"{_YEAR}(?P<month>[0-9]{{1,2}}|{_CN_NUM})月(?:份)?(?:(?P<day>[0-9]{{1,2}})[日号])?(?:底|末|中旬|上旬|下旬)?{_BEFORE}"
)
_QUARTER_RE = re.compile(rf"{_YEAR}第?(?P<quarter>[1-4一二三四])季度(?:末|底)?{_BEFORE}")
_ISO_DATE_RE = re.compile(r"(?P<year>(?:19|20)[0-9]{2})[-/](?P<month>[0-9]{1,2})(?:[-/](?P<day>[0-9]{1,2}))?")
_DOT_DATE_RE = re.compile(r"(?P<year>(?:19|20)[0-9]{2})\.(?P<month>[0-9]{1,2})\.(?P<day>[0-9]{1,2})")
_YEAR_END_WORDS = frozenset(
    {
        "年底前",
        "年底",
        "年末",
        "年末前",
        "年内",
        "年度内",
        "本年度内",
        "当年",
        "年底前完成",
        "年内完成",
        "年度内完成",
        "当年完成",
        "下半年",
        "年底完成",
    }
)
_HALF_YEAR_WORDS = frozenset({"上半年", "上半年内", "上半年完成", "年中", "年中前"})


def _cn_or_int(text: str) -> int:
    """Convert "7", "十二", "十" or "四" to an int."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if len(text) > 1 and text[1] == "十":
        return _CN_DIGITS[text[0]] * 10 + (_CN_DIGITS[text[2]] if len(text) > 2 else 0)
    return _CN_DIGITS.get(text, 0) if len(text) == 1 else 0


def _parse_deadline(compact: str, raw: str) -> Deadline | None:
    """Recognise the deadline/date forms; ``compact`` has no whitespace.

    "N月前" is read leniently as "by the end of month N" (the seeds write "12月前" for
    "within the year"), so "9月前" and "9月底前" are the same deadline.
    """
    if compact in _YEAR_END_WORDS:
        return Deadline(month=12, quarter=None, raw=raw)
    if compact in _HALF_YEAR_WORDS:
        return Deadline(month=6, quarter=None, raw=raw)
    for pattern in (_MONTH_RE, _ISO_DATE_RE, _DOT_DATE_RE):
        m = pattern.fullmatch(compact)
        if m:
            month = _cn_or_int(m.group("month"))
            if not 1 <= month <= 12 or not _valid_day(m.group("day")):
                return None
            year = int(m.group("year")) if m.group("year") else None
            return Deadline(month=month, quarter=None, raw=raw, year=year)
    m = _QUARTER_RE.fullmatch(compact)
    if m:
        year = int(m.group("year")) if m.group("year") else None
        return Deadline(month=None, quarter=_cn_or_int(m.group("quarter")), raw=raw, year=year)
    return None


def _valid_day(day: str | None) -> bool:
    return day is None or 1 <= int(day) <= 31


# ---------------------------------------------------------------------------
# Indicator values
# ---------------------------------------------------------------------------

_COMPARATOR_TABLE: dict[str, Comparator] = {
    "≥": ">=",
    "≧": ">=",
    ">=": ">=",
    "=>": ">=",
    "大于等于": ">=",
    "大于或等于": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "至少": ">=",
    "达到": ">=",
    "最低": ">=",
    "≤": "<=",
    "≦": "<=",
    "<=": "<=",
    "=<": "<=",
    "小于等于": "<=",
    "小于或等于": "<=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "最高": "<=",
    "控制在": "<=",
    ">": ">",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "多于": ">",
    "<": "<",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "=": "=",
    "==": "=",
    "≈": "=",
    "约": "=",
    "约为": "=",
    "等于": "=",
    "≒": "=",
}
# Longest first so "不低于" wins over shorter overlapping words and ">=" over ">".
_COMPARATOR_WORDS: tuple[tuple[str, Comparator], ...] = tuple(
    sorted(_COMPARATOR_TABLE.items(), key=lambda item: -len(item[0]))
)
# "30单以上" / "180天以内": 以上/以下 include the number, as in Chinese legal usage.
_TRAILING_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
)
_QUANTITY_RE = re.compile(r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?P<unit>[^0-9]{0,8})")
# A unit may not hold sentence punctuation or connecting words: that is free text.
_NOT_A_UNIT = re.compile(r"[，,。；;：:、!！?？\"“”'‘’<>=≥≤]|的|和|或|及|并|且|给予|资助|配套")

_QUALITATIVE_WORDS = frozenset(
    [
        "是",
        "否",
        "符合",
        "不符合",
        "达标",
        "未达标",
        "及时",
        "不及时",
        "显著",
        "较显著",
        "不显著",
        "明显",
        "较明显",
        "良好",
        "优",
        "优秀",
        "良",
        "较好",
        "好",
        "有效",
        "一般",
        "较差",
        "差",
        "合格",
        "不合格",
        "满意",
        "基本满意",
        "不满意",
        "按时",
        "准时",
        "按期",
        "按时完成",
        "按期完成",
        "如期完成",
        "完成",
        "已完成",
        "全部完成",
        "基本完成",
        "部分完成",
        "未完成",
        "达成",
        "未达成",
        "基本达成",
        "部分达成",
        "提高",
        "有所提高",
        "有所提升",
        "有所改善",
        "逐步提高",
        "持续",
        "长期",
        "稳定",
        "规范",
        "安全",
        "无",
        "有",
        "达成年度指标",
        "达成预期指标",
        "部分达成年度指标并具有一定效果",
        "未达成年度指标且效果较差",
    ]
)
# Phrases such as "显著提高" or "服务能力明显增强" (no number) are qualitative targets.
_QUALITATIVE_ENDINGS = (
    "提高",
    "提升",
    "改善",
    "增强",
    "降低",
    "下降",
    "减少",
    "显著",
    "明显",
    "良好",
    "较好",
    "完成",
    "达成",
    "达标",
)
_SENTENCE_PUNCT = re.compile(r"[，,。；;：:！!？?\n]")


def _is_qualitative(compact: str) -> bool:
    if compact in _QUALITATIVE_WORDS:
        return True
    if any(ch.isdigit() for ch in compact) or _SENTENCE_PUNCT.search(compact):
        return False
    return len(compact) <= 20 and compact.endswith(_QUALITATIVE_ENDINGS)


def _split_comparator(compact: str) -> tuple[Comparator | None, str]:
    """Take a leading or trailing comparator word off ``compact``."""
    for word, comparator in _COMPARATOR_WORDS:
        if compact.startswith(word):
            return comparator, compact[len(word) :]
    for word, comparator in _TRAILING_COMPARATORS:
        if compact.endswith(word):
            return comparator, compact[: -len(word)]
    return None, compact


def _parse_quantity(compact: str, raw: str, default: Comparator | None) -> IndicatorValue | None:
    comparator, rest = _split_comparator(compact)
    rest = _THOUSANDS_COMMA.sub("", rest)
    m = _QUANTITY_RE.fullmatch(rest)
    if not m:
        return None
    unit = m.group("unit").replace("（", "(").replace("）", ")")
    if _NOT_A_UNIT.search(unit):
        return None
    number = Decimal(m.group("number"))
    _check_magnitude(number, raw)
    return IndicatorValue(
        raw=raw,
        kind="quantitative",
        comparator=comparator if comparator is not None else default,
        number=number,
        unit=unit,
    )


def _from_cell_object(value: object, default: Comparator | None) -> IndicatorValue | None:
    """Indicator values typed as a number or a date cell rather than text."""
    if isinstance(value, bool):
        raise ValueParseError(f"无法识别的指标值：{_shown(value)}，请填写如“≥30单”“9月前”“是”")
    if isinstance(value, (int, float, Decimal)):
        number = _number_from_nonstring(value, "指标值")
        return IndicatorValue(
            raw=normalize_text(value),
            kind="quantitative",
            comparator=default,
            number=number,
        )
    if isinstance(value, (_dt.date, _dt.datetime)):
        raw = normalize_text(value)
        deadline = Deadline(month=value.month, quarter=None, raw=raw, year=value.year)
        return IndicatorValue(raw=raw, kind="deadline", deadline=deadline)
    return None


def _parse_value(text: object, default: Comparator | None, what: str) -> IndicatorValue:
    from_object = _from_cell_object(text, default)
    if from_object is not None:
        return from_object
    raw = strip_control_chars(normalize_text(text))[0]
    compact = "".join(raw.split()).rstrip("。.；;")
    if compact in _BLANK_MARKERS:
        raise ValueParseError(f"{what}为空，请填写，如“≥30单”“9月前”“是”")
    _check_excel_error(compact)
    deadline = _parse_deadline(compact, raw)
    if deadline is not None:
        return IndicatorValue(raw=raw, kind="deadline", deadline=deadline)
    if _is_qualitative(compact):
        return IndicatorValue(raw=raw, kind="qualitative")
    quantity = _parse_quantity(compact, raw, default)
    if quantity is not None:
        return quantity
    return IndicatorValue(raw=raw, kind="text")


def parse_indicator_value(text: object) -> IndicatorValue:
    """Parse a target 指标值 into quantitative / deadline / qualitative / text.

    Quantitative: optional comparator (≥ >= 不低于 不少于 ≤ 不超过 < > ＞ ≈ …, or a trailing
    以上/以下/以内) + number (thousands separators allowed) + optional unit ("单", "亿元",
    "%", "万元/家", "张(册)"). A bare "4次" / "100万元" gets comparator "=" (scoring treats
    it proportionally, like a positive indicator). Deadline: "12月底前", "9月前", "第四季度前",
    "第4季度", "年底前" … Qualitative: yes/grade words and number-free phrases ending in
    提高/提升/改善/增强. Anything else is kept as text. Empty cells raise ValueParseError.
    """
    return _parse_value(text, "=", "指标值")


def parse_actual(text: object) -> IndicatorValue:
    """Parse an actual result 实际完成值; like :func:`parse_indicator_value` but a bare
    number ("32家", "27205.9万元") has comparator ``None``."""
    return _parse_value(text, None, "实际完成值")
