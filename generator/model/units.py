"""Units of indicator values and amounts: how they are spelled, which compare, and their factors.

Money is based on 元 (万元 = 10⁴ 元); time on seconds, days, workdays or months; area on 亩; count
units (家, 人, 次 …) are each their own family, so "30家" is never compared with "30人" -- except
the general classifier 个, which counts anything ("≥5个" is met by "6项"). A magnitude (万, 亿 …)
may precede any unit ("1.5万人", "3万"), and a count unit may be followed by the noun it counts
("30家企业" counts in 家).

The tables below are the grammar's unit list: ``docs/values.md`` shows them and
``tests/test_value_grammar.py`` checks that the two agree.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from generator.model.text import normalize_text

# Spellings of one unit, folded to the one the tool prints (the alias is kept in the raw text).
UNIT_ALIASES: dict[str, str] = {
    "百分比": "%",
    "百分率": "%",
    "﹪": "%",
    "％": "%",
    "平米": "平方米",
    "㎡": "平方米",
    "m²": "平方米",
    "百分点": "个百分点",
    "km": "千米",
    "kg": "千克",
    "kWh": "千瓦时",
    "kwh": "千瓦时",
    "个自然日": "天",
    "自然日": "天",
    "日": "天",
    "个工作日": "工作日",
    "个小时": "小时",
    "个季度": "季度",
    "星期": "周",
    "个星期": "周",
}

MONEY_FAMILY = "money"
PERCENT_FAMILY = "percent"

# family -> {unit: factor to the family's base unit}
UNIT_FAMILIES: dict[str, dict[str, Decimal]] = {
    MONEY_FAMILY: {
        "元": Decimal(1),
        "千元": Decimal(1000),
        "万元": Decimal(10000),
        "百万元": Decimal(1000000),
        "千万元": Decimal(10000000),
        "亿元": Decimal(100000000),
    },
    PERCENT_FAMILY: {"%": Decimal(1), "‰": Decimal("0.1")},
    "percentage-point": {"个百分点": Decimal(1)},
    "time-second": {"秒": Decimal(1), "分钟": Decimal(60), "小时": Decimal(3600)},
    "time-day": {"天": Decimal(1), "周": Decimal(7)},
    "time-workday": {"工作日": Decimal(1)},
    # 月/年 share a family so "≤2年" can be compared with "18个月".
    "time-month": {
        "月": Decimal(1),
        "个月": Decimal(1),
        "季度": Decimal(3),
        "半年": Decimal(6),
        "年": Decimal(12),
    },
    "length-m": {"米": Decimal(1), "m": Decimal(1), "千米": Decimal(1000), "公里": Decimal(1000)},
    # 亩 is the base because 1 平方米 = 0.0015 亩 exactly (the other way round never terminates).
    "area-mu": {"亩": Decimal(1), "平方米": Decimal("0.0015"), "公顷": Decimal(15), "平方公里": Decimal(1500)},
    "mass-kg": {"克": Decimal("0.001"), "千克": Decimal(1), "公斤": Decimal(1), "吨": Decimal(1000)},
    "energy-kwh": {"千瓦时": Decimal(1), "度": Decimal(1)},
}

# The general classifier: a count in 个 compares with a count in any other count unit.
GENERIC_COUNT = "个"

# Count units: each is its own family ("家" is not comparable with "人").
COUNT_UNITS: frozenset[str] = frozenset(
    """
    个 家 人 人次 次 项 场 单 份 册 张 本 篇 件 户 所 台 套 批 批次 期 家次 个次 条 部 座 处 间 名
    位 项次 场次 期次 只 辆 株 棵 元次 课时 学时 门 类 种 株次 户次 车次 架次 班次 轮 轮次 节 堂
    幅 块 枚 头 支 届 栋 幢 分 人日 篇次 件次 笔 宗 起 例 盏 根 吨次 床 张次 套次 页
    """.split()
)

# Magnitudes written before a unit ("1.5万人", "3万"); longest first when matching.
MAGNITUDES: dict[str, Decimal] = {
    "十万": Decimal(100000),
    "百万": Decimal(1000000),
    "千万": Decimal(10000000),
    "万": Decimal(10000),
    "亿": Decimal(100000000),
    "千": Decimal(1000),
    "百": Decimal(100),
}
_MAGNITUDES_LONGEST_FIRST = tuple(sorted(MAGNITUDES, key=len, reverse=True))
_COUNTS_LONGEST_FIRST = tuple(sorted(COUNT_UNITS, key=len, reverse=True))


def canonical_unit(unit: str) -> str:
    """The unit as the tool prints it: no spaces, ASCII brackets and slash, aliases folded.

    "百分比" -> "%", "（册）" -> "(册)", "万元／家" -> "万元/家"; an alias is folded on each side of
    a rate ("元/个工作日" -> "元/工作日"). Unknown units are returned cleaned, never refused.
    """
    text = "".join(normalize_text(unit).split())
    text = text.replace("（", "(").replace("）", ")").replace("／", "/")
    if "/" in text:
        head, _, tail = text.partition("/")
        return f"{UNIT_ALIASES.get(head, head)}/{UNIT_ALIASES.get(tail, tail)}"
    return UNIT_ALIASES.get(text, text)


def _known(unit: str) -> tuple[str, Decimal] | None:
    for family, units in UNIT_FAMILIES.items():
        if unit in units:
            return family, units[unit]
    if unit in COUNT_UNITS:
        return unit, Decimal(1)
    return None


def _is_noun(text: str) -> bool:
    """Chinese characters only: the thing a classifier counts ("企业" in "家企业")."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _simple_unit_factor(unit: str) -> tuple[str, Decimal] | None:
    """Family and factor of a unit without '/', or ``None`` if unknown."""
    known = _known(unit)
    if known is not None:
        return known
    for magnitude in _MAGNITUDES_LONGEST_FIRST:
        if unit.startswith(magnitude):
            rest = unit[len(magnitude):]
            if not rest:  # "3万": a pure number in ten-thousands
                return "", MAGNITUDES[magnitude]
            inner = _simple_unit_factor(rest)
            if inner is not None:
                return inner[0], inner[1] * MAGNITUDES[magnitude]
            return None
    for count in _COUNTS_LONGEST_FIRST:
        # "家企业" counts in 家, "个项目" in 个; time units ("个月") were matched above.
        if unit.startswith(count) and _is_noun(unit[len(count):]):
            return count, Decimal(1)
    return None


@lru_cache(maxsize=4096)  # a workbook uses a few dozen distinct units, thousands of times
def unit_factor(unit: str) -> tuple[str, Decimal]:
    """Return ``(family, factor)`` converting a number in ``unit`` to its family's base unit.

    Money is based on 元 ("亿元" -> ``("money", 1e8)``, "万元" -> ``("money", 1e4)``);
    a rate unit keeps its denominator in the family ("万元/家" -> ``("money/家", 1e4)``);
    "%" (and "百分比") -> ``("percent", 1)``; 天/日 -> "time-day"; 月/年 -> "time-month" (年 = 12);
    count units are their own family ("家" -> ``("家", 1)``, "万人" -> ``("人", 1e4)``,
    "家企业" -> ``("家", 1)``); a bare magnitude is a pure number ("万" -> ``("", 1e4)``).
    An unknown unit is its own family with factor 1; no unit is family ``""``.
    """
    cleaned = canonical_unit(unit)
    if not cleaned:
        return "", Decimal(1)
    known = _simple_unit_factor(cleaned)
    if known is not None:
        return known
    if "/" in cleaned:
        head, _, tail = cleaned.partition("/")
        head_known = _simple_unit_factor(head)
        if head_known is not None:
            # "万元/家企业" is per 家; a time denominator stays as written ("次/月" ≠ "次/年").
            tail_known = _simple_unit_factor(tail)
            denominator = tail_known[0] if tail_known is not None and is_count(tail_known[0]) else tail
            return f"{head_known[0]}/{denominator}", head_known[1]
    return cleaned, Decimal(1)


def is_count(family: str) -> bool:
    return family in COUNT_UNITS


def comparable(family_a: str, family_b: str) -> bool:
    """True when numbers of the two families can be compared (same family, or 个 vs a count)."""
    if family_a == family_b:
        return True
    generic = GENERIC_COUNT in (family_a, family_b)
    return generic and is_count(family_a) and is_count(family_b)
