"""Cell value parsing: amounts, percentages and indicator values (types in ``model.values``).

Pure functions only (no openpyxl): callers pass whatever a cell holds (``None``, ``str``,
``int``, ``float``, ``Decimal``, ``datetime``) and get back normalised text, ``Decimal``
numbers or an :class:`IndicatorValue`. Every failure is a :class:`ValueParseError` whose
message is Chinese and says what was expected, so it can be shown to the user as is.

The 指标值 / 实际完成值 grammar (every comparator, number, range, unit, deadline and grade word
accepted) is written down in ``docs/values.md``; ``tests/test_value_grammar.py`` reads that
document and checks this module against it, both ways.

Amounts are never floats: a float cell is converted with ``Decimal(str(v))`` so the
value Excel stored (e.g. ``274.65999999999997``) is kept exactly; rounding belongs to
the presentation layer.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from decimal import Decimal

from generator.model.text import normalize_text, strip_control_chars
from generator.model.units import canonical_unit
from generator.model.values import COMPARATOR_SIGNS, Comparator, Deadline, IndicatorValue, plain_number

__all__ = [
    "ValueParseError",
    "describe",
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
# "截至2021年12月31日" / "于9月底前": words before a date that add nothing to it.
DEADLINE_LEADS: tuple[str, ...] = ("截至", "截止", "于", "在")
# "前" / "之前" / "以内" … then an optional "完成" after a date: all mean "by then".
DEADLINE_ENDINGS: tuple[str, ...] = ("前", "之前", "以前", "内", "以内", "止", "为止")
DEADLINE_VERBS: tuple[str, ...] = ("完成", "结束", "完工", "办结")
# Parts of a month that still mean "within the month" ("9月中旬" is read as by the end of September).
MONTH_PARTS: tuple[str, ...] = ("底", "末", "初", "中旬", "上旬", "下旬")
_ALT = "|".join
_BEFORE = rf"(?:{_ALT(DEADLINE_ENDINGS)})?(?:{_ALT(DEADLINE_VERBS)})?"
_YEAR = r"(?:(?P<year>(?:19|20)[0-9]{2})年(?:度)?)?"
_MONTH_RE = re.compile(
    rf"{_YEAR}(?P<month>[0-9]{{1,2}}|{_CN_NUM})月(?:份)?(?:(?P<day>[0-9]{{1,2}})[日号])?"
    rf"(?:{_ALT(MONTH_PARTS)})?{_BEFORE}"
)
_QUARTER_RE = re.compile(rf"{_YEAR}第?(?P<quarter>[1-4一二三四])季度(?:末|底)?{_BEFORE}")
# "2021年" / "2021年底前" / "2021年度内": by the end of that year.
_YEAR_END_RE = re.compile(rf"(?P<year>(?:19|20)[0-9]{{2}})年(?:度)?(?:底|末)?{_BEFORE}")
_ISO_DATE_RE = re.compile(
    rf"(?P<year>(?:19|20)[0-9]{{2}})[-/](?P<month>[0-9]{{1,2}})(?:[-/](?P<day>[0-9]{{1,2}}))?{_BEFORE}"
)
_DOT_DATE_RE = re.compile(rf"(?P<year>(?:19|20)[0-9]{{2}})\.(?P<month>[0-9]{{1,2}})\.(?P<day>[0-9]{{1,2}}){_BEFORE}")
YEAR_END_WORDS: frozenset[str] = frozenset(
    """
    年底前 年底之前 年底 年末 年末前 年内 年度内 本年内 本年度内 本年底前 当年 当年内 年底前完成
    年内完成 年度内完成 当年完成 年底完成 下半年 下半年内 下半年完成
    """.split()
)
HALF_YEAR_WORDS: frozenset[str] = frozenset({"上半年", "上半年内", "上半年完成", "年中", "年中前"})


def _cn_or_int(text: str) -> int:
    """Convert "7", "十二", "十" or "四" to an int."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if len(text) > 1 and text[1] == "十":
        return _CN_DIGITS[text[0]] * 10 + (_CN_DIGITS[text[2]] if len(text) > 2 else 0)
    return _CN_DIGITS.get(text, 0) if len(text) == 1 else 0


def _strip_lead(compact: str, leads: tuple[str, ...]) -> str:
    for lead in leads:
        if compact.startswith(lead) and len(compact) > len(lead):
            return compact[len(lead):]
    return compact


def _parse_deadline(compact: str, raw: str) -> Deadline | None:
    """Recognise the deadline/date forms; ``compact`` has no whitespace.

    "N月前" is read leniently as "by the end of month N" (the seeds write "12月前" for
    "within the year"), so "9月前" and "9月底前" are the same deadline.
    """
    compact = _strip_lead(compact, DEADLINE_LEADS)
    if compact in YEAR_END_WORDS:
        return Deadline(month=12, quarter=None, raw=raw)
    if compact in HALF_YEAR_WORDS:
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
    m = _YEAR_END_RE.fullmatch(compact)
    if m:
        return Deadline(month=12, quarter=None, raw=raw, year=int(m.group("year")))
    return None


def _valid_day(day: str | None) -> bool:
    return day is None or 1 <= int(day) <= 31


# ---------------------------------------------------------------------------
# Indicator values: comparators
# ---------------------------------------------------------------------------

# Every way to write a comparator before the figure. Full-width ＞＜＝ are folded to > < = by
# normalize_text before this table is consulted; the compatibility forms pasted from PDFs and
# old systems (﹦ ﹥ ﹤ ≧ ≦ ⩾ ⩽ ≮ ≯) are listed here.
PREFIX_COMPARATORS: dict[str, Comparator] = {
    "≥": ">=", "≧": ">=", "⩾": ">=", "≮": ">=", ">=": ">=", "=>": ">=", "≥=": ">=",
    "大于等于": ">=", "大于或等于": ">=", "高于或等于": ">=", "多于或等于": ">=",
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "不得低于": ">=", "不得少于": ">=",
    "至少": ">=", "最少": ">=", "最低": ">=", "达到": ">=", "达": ">=",
    "≤": "<=", "≦": "<=", "⩽": "<=", "≯": "<=", "<=": "<=", "=<": "<=", "≤=": "<=",
    "小于等于": "<=", "小于或等于": "<=", "低于或等于": "<=", "少于或等于": "<=",
    "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=", "不得超过": "<=", "不得高于": "<=",
    "最多": "<=", "最高": "<=", "控制在": "<=", "上限": "<=",
    ">": ">", "﹥": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "<": "<", "﹤": "<", "小于": "<", "低于": "<", "少于": "<",
    "=": "=", "==": "=", "﹦": "=", "≈": "=", "≒": "=", "等于": "=", "约": "=", "约为": "=",
}  # fmt: skip
# Written after the figure: 以上/以下 include the number, as in Chinese legal usage.
SUFFIX_COMPARATORS: dict[str, Comparator] = {
    "及以上": ">=", "或以上": ">=", "以上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
    "左右": "=",
}  # fmt: skip
# Words before a figure that say nothing about the comparison ("全年不少于4次", "累计完成30家").
LEAD_WORDS: tuple[str, ...] = ("全年", "累计", "共计", "合计", "共", "实际完成", "已完成", "完成", "实现")
# "(含)" next to 以上/以下 only repeats that the bound is included.
INCLUSIVE_MARKS: tuple[str, ...] = ("(含)", "（含）")
# Between the figure and its unit: "30余家", "30多万元" read as at least the figure.
APPROX_MARKS: tuple[str, ...] = ("余", "多")
# Range separators ("80%-90%", "80%～90%", "5至10家") and the words that may wrap a range.
RANGE_SEPARATORS: tuple[str, ...] = ("-", "~", "〜", "—", "——", "–", "至", "到")
RANGE_LEADS: tuple[str, ...] = ("控制在", "保持在", "介于", "在")
RANGE_ENDINGS: tuple[str, ...] = ("之间", "范围内", "区间内")
# "百分之90" is 90%.
PERCENT_WORD = "百分之"


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


_PREFIX_RE = re.compile("|".join(re.escape(w) for w in _longest_first(PREFIX_COMPARATORS)))
_SUFFIXES = _longest_first(SUFFIX_COMPARATORS)
_LEADS = _longest_first(LEAD_WORDS)

_NUM = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
# The unit: at most MAX_UNIT_CHARS characters that are not digits (a longer tail is a sentence).
MAX_UNIT_CHARS = 10
_UNIT = rf"[^0-9]{{0,{MAX_UNIT_CHARS}}}"
_QUANTITY_RE = re.compile(rf"(?P<number>[+-]?(?:{_NUM}))(?P<approx>{_ALT(APPROX_MARKS)})?(?P<unit>{_UNIT})")
_SEPARATOR = _ALT(re.escape(s) for s in _longest_first(RANGE_SEPARATORS))
# Used with fullmatch; the look-behind (a number starts where a digit run starts) keeps it linear
# under search too: a long run of digits is then scanned once, not once from each of its digits.
_RANGE_RE = re.compile(
    rf"(?<![0-9.])(?P<lo>[+-]?(?:{_NUM}))(?P<u1>[^0-9~〜—–至到\-]{{0,{MAX_UNIT_CHARS}}})(?:{_SEPARATOR})(?P<hi>{_NUM})(?P<u2>{_UNIT})"
)
# A unit may not hold sentence punctuation, comparison signs or words that make the tail a phrase
# ("≥90%的企业", "100%完成率"): such a value is free text.
NOT_IN_UNIT_CHARS = "，,。；;：:、!！?？\"“”'‘’<>=≥≤~〜—–前"
NOT_IN_UNIT_WORDS: tuple[str, ...] = (
    "的", "和", "或", "及", "并", "且", "给予", "资助", "配套", "完成", "达到", "以上", "以下", "以内", "之间",
)  # fmt: skip
_NOT_A_UNIT = re.compile(f"[{re.escape(NOT_IN_UNIT_CHARS)}]|{_ALT(NOT_IN_UNIT_WORDS)}")

_QUALITATIVE_WORDS = frozenset(
    """
    是 否 符合 不符合 基本符合 达标 未达标 及时 不及时 基本及时 显著 较显著 不显著 明显 较明显 良好 优
    优秀 良 较好 好 有效 一般 较差 差 合格 不合格 满意 基本满意 不满意 按时 准时 按期 按时完成
    按期完成 如期完成 完成 已完成 全部完成 基本完成 部分完成 未完成 达成 已达成 未达成 基本达成 部分达成
    达到 已达到 全部达到 未达到 实现 已实现 提高 有所提高 有所提升 有所改善 逐步提高 持续 长期 稳定 规范
    安全 无 有 达成年度指标 达成预期指标 部分达成年度指标并具有一定效果 未达成年度指标且效果较差
    """.split()
)
# Phrases such as "显著提高" or "服务能力明显增强" (no number) are qualitative targets.
QUALITATIVE_ENDINGS: tuple[str, ...] = (
    "提高", "提升", "改善", "增强", "降低", "下降", "减少", "显著", "明显", "良好", "较好", "完成",
    "达成", "达标",
)  # fmt: skip
_SENTENCE_PUNCT = re.compile(r"[，,。；;：:！!？?\n]")


def qualitative_words() -> frozenset[str]:
    """The yes/no and grade words read as qualitative (docs/values.md lists them)."""
    return _QUALITATIVE_WORDS


# The longest number-free phrase read as qualitative by its ending.
QUALITATIVE_MAX_CHARS = 20


def _is_qualitative(compact: str) -> bool:
    if compact in _QUALITATIVE_WORDS:
        return True
    if any(ch.isdigit() for ch in compact) or _SENTENCE_PUNCT.search(compact):
        return False
    return len(compact) <= QUALITATIVE_MAX_CHARS and compact.endswith(QUALITATIVE_ENDINGS)


# ---------------------------------------------------------------------------
# Indicator values: quantities and ranges
# ---------------------------------------------------------------------------


def _strip_leads(compact: str) -> str:
    """Take leading words that say nothing about the comparison off ``compact`` (bounded loop)."""
    for _ in range(len(_LEADS)):
        for lead in _LEADS:
            if compact.startswith(lead) and len(compact) > len(lead):
                compact = compact[len(lead):]
                break
        else:
            return compact
    return compact


def _split_comparator(compact: str, raw: str) -> tuple[Comparator | None, str]:
    """Take a leading and/or trailing comparator off ``compact``; refuse contradicting ones."""
    prefix: Comparator | None = None
    for _ in range(2):  # "最高不超过60万元": two words, one direction
        m = _PREFIX_RE.match(compact)
        if not m:
            break
        found = PREFIX_COMPARATORS[m.group()]
        if prefix is not None and found != prefix:
            raise ValueParseError(f"指标值{_shown(raw)}写了两个不同的比较方向，请只保留一个")
        prefix = found
        compact = compact[m.end():]
    for verb in DEADLINE_VERBS:  # "30天内完成"
        if compact.endswith(verb) and len(compact) > len(verb):
            compact = compact[: -len(verb)]
            break
    suffix: Comparator | None = None
    for word in _SUFFIXES:
        if compact.endswith(word) and len(compact) > len(word):
            suffix = SUFFIX_COMPARATORS[word]
            compact = compact[: -len(word)]
            break
    if prefix is None or prefix == "=":  # "约30家以上": the direction wins over "about"
        return suffix or prefix, compact
    if suffix is not None and suffix not in ("=", prefix):
        raise ValueParseError(
            f"指标值{_shown(raw)}前后的比较方向相反，请只保留一个，如“≥30家”或“≤30家”"
        )
    return prefix, compact


def _unit(text: str) -> str | None:
    """The canonical unit, or ``None`` when ``text`` cannot be a unit."""
    if _NOT_A_UNIT.search(text):
        return None
    return canonical_unit(text)


def _number(text: str, raw: str) -> Decimal:
    number = Decimal(text)
    _check_magnitude(number, raw)
    return number


def _parse_range(compact: str, raw: str) -> IndicatorValue | None:
    """"80%-90%", "80-90%", "5至10家", "控制在80%～90%之间"."""
    for lead in RANGE_LEADS:
        if compact.startswith(lead):
            compact = compact[len(lead):]
            break
    for ending in RANGE_ENDINGS:
        if compact.endswith(ending):
            compact = compact[: -len(ending)]
            break
    m = _RANGE_RE.fullmatch(compact)
    if not m:
        return None
    low_unit, unit = _unit(m.group("u1")), _unit(m.group("u2"))
    if low_unit is None or unit is None or (low_unit and low_unit != unit):
        return None
    low, high = _number(m.group("lo"), raw), _number(m.group("hi"), raw)
    if low > high:
        raise ValueParseError(f"指标值{_shown(raw)}是区间，但下限大于上限，请写成“小—大”，如 80%-90%")
    if low == high:
        return IndicatorValue(raw=raw, kind="quantitative", comparator="=", number=low, unit=unit)
    return IndicatorValue(raw=raw, kind="quantitative", comparator="between", number=low, unit=unit, upper=high)


def _parse_quantity(compact: str, raw: str) -> IndicatorValue | None:
    for mark in INCLUSIVE_MARKS:
        compact = compact.replace(mark, "")
    compact = _THOUSANDS_COMMA.sub("", _strip_leads(compact))
    ranged = _parse_range(compact, raw)
    if ranged is not None:
        return ranged
    comparator, rest = _split_comparator(compact, raw)
    percent_word = rest.startswith(PERCENT_WORD)
    if percent_word:
        rest = rest[len(PERCENT_WORD):]
    m = _QUANTITY_RE.fullmatch(rest)
    if not m:
        return None
    unit = _unit(m.group("unit"))
    if unit is None or (percent_word and unit):
        return None
    if percent_word:
        unit = "%"
    if m.group("approx") and comparator is None:
        comparator = ">="
    return IndicatorValue(
        raw=raw, kind="quantitative", comparator=comparator, number=_number(m.group("number"), raw), unit=unit
    )


_TIME_OF_DAY = re.compile(r"(?<=[0-9]) [0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?$")
# The longest text read as a number, date or grade word ("不低于百分之90…" is far shorter).
MAX_VALUE_CHARS = 60


def _from_cell_object(value: object) -> IndicatorValue | None:
    """Indicator values typed as a number or a date cell rather than text."""
    if isinstance(value, bool):
        raise ValueParseError(f"无法识别的指标值：{_shown(value)}，请填写如“≥30单”“9月前”“是”")
    if isinstance(value, (int, float, Decimal)):
        number = _number_from_nonstring(value, "指标值")
        return IndicatorValue(raw=normalize_text(value), kind="quantitative", number=number)
    if isinstance(value, (_dt.date, _dt.datetime)):
        raw = normalize_text(value)
        deadline = Deadline(month=value.month, quarter=None, raw=raw, year=value.year)
        return IndicatorValue(raw=raw, kind="deadline", deadline=deadline)
    return None


def _parse_value(text: object, what: str) -> IndicatorValue:
    from_object = _from_cell_object(text)
    if from_object is not None:
        return from_object
    raw = strip_control_chars(normalize_text(text))[0]
    # A date cell read as text ("2021-08-15 00:00:00"): the time of day says nothing here.
    compact = "".join(_TIME_OF_DAY.sub("", raw).split()).rstrip("。.；;")
    if compact in _BLANK_MARKERS:
        raise ValueParseError(f"{what}为空，请填写，如“≥30单”“9月前”“是”")
    _check_excel_error(compact)
    if len(compact) > MAX_VALUE_CHARS:
        # A sentence, not a value: the patterns below never see more than MAX_VALUE_CHARS
        # characters, so reading a pasted paragraph stays linear in its length.
        return IndicatorValue(raw=raw, kind="text")
    deadline = _parse_deadline(compact, raw)
    if deadline is not None:
        return IndicatorValue(raw=raw, kind="deadline", deadline=deadline)
    if _is_qualitative(compact):
        return IndicatorValue(raw=raw, kind="qualitative")
    quantity = _parse_quantity(compact, raw)
    if quantity is not None:
        return quantity
    return IndicatorValue(raw=raw, kind="text")


def parse_indicator_value(text: object) -> IndicatorValue:
    """Parse a target 指标值 into quantitative / deadline / qualitative / text (docs/values.md).

    Quantitative: optional comparator before (≥ ≧ ⩾ >= 不低于 ≤ 不超过 ＞ ﹦ ≈ …) and/or after
    (以上 以下 以内 内 左右) + number (full-width, thousands separators, "百分之90") + optional
    unit ("单", "亿元", "%", "百分比", "万元/家", "张(册)", "万人"), or a range ("80%-90%",
    "5至10家"). A target without a comparator keeps ``comparator=None``: the reading is chosen by
    :func:`generator.model.values.direction_of`, with a warning. Deadline: "12月底前", "9月前",
    "第四季度前", "2021年12月31日前", "年底前" … Qualitative: yes/grade words and number-free phrases
    ending in 提高/提升/改善/增强. Anything else is kept as text. Empty cells and contradicting
    comparators ("≥30家以下") raise ValueParseError.
    """
    return _parse_value(text, "指标值")


def parse_actual(text: object) -> IndicatorValue:
    """Parse an actual result 实际完成值, with the same grammar as :func:`parse_indicator_value`."""
    return _parse_value(text, "实际完成值")


# ---------------------------------------------------------------------------
# The reading, in the notation of docs/values.md
# ---------------------------------------------------------------------------


def describe(value: IndicatorValue) -> str:
    """The reading of a parsed value in the notation of docs/values.md ("≥ 30 单", "期限 9月" …)."""
    if value.kind == "quantitative" and value.number is not None:
        if value.comparator == "between" and value.upper is not None:
            text = f"{plain_number(value.number)} ~ {plain_number(value.upper)} {value.unit}"
        else:
            sign = COMPARATOR_SIGNS.get(value.comparator or "", "?")
            text = f"{sign} {plain_number(value.number)} {value.unit}"
        return text.rstrip()
    if value.kind == "deadline" and value.deadline is not None:
        d = value.deadline
        year = f"{d.year}年" if d.year is not None else ""
        when = f"{d.month}月" if d.month is not None else f"第{d.quarter}季度"
        return f"期限 {year}{when}"
    return "定性" if value.kind == "qualitative" else "文字"
