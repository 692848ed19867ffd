"""Units of indicator values and amounts: which units can be compared, and their factors.

Money is based on 元 (万元 = 10⁴ 元); time on days or months; count units (家, 人, 次 …) are each
their own family, so "30家" is never compared with "30人".
"""

from __future__ import annotations

from decimal import Decimal

from generator.model.text import normalize_text

_MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "百万元": Decimal(1000000),
    "亿元": Decimal(100000000),
}
# family name -> {unit: factor to the family's base unit}
_OTHER_UNITS: dict[str, dict[str, Decimal]] = {
    "percent": {"%": Decimal(1)},
    "percentage-point": {"个百分点": Decimal(1), "百分点": Decimal(1)},
    "time-minute": {"分钟": Decimal(1), "小时": Decimal(60), "个小时": Decimal(60)},
    "time-day": {
        "天": Decimal(1),
        "日": Decimal(1),
        "个自然日": Decimal(1),
        "周": Decimal(7),
    },
    "time-workday": {"工作日": Decimal(1), "个工作日": Decimal(1)},
    # 月/年 share a family so "≤2年" can be compared with "18个月".
    "time-month": {
        "月": Decimal(1),
        "个月": Decimal(1),
        "季度": Decimal(3),
        "个季度": Decimal(3),
        "年": Decimal(12),
    },
    "length-m": {
        "米": Decimal(1),
        "m": Decimal(1),
        "千米": Decimal(1000),
        "公里": Decimal(1000),
    },
    "mass-kg": {
        "千克": Decimal(1),
        "公斤": Decimal(1),
        "kg": Decimal(1),
        "吨": Decimal(1000),
    },
}
# Count units: each is its own family ("家" is not comparable with "人").
_COUNT_UNITS = frozenset(
    [
        "个",
        "家",
        "人",
        "人次",
        "次",
        "项",
        "场",
        "单",
        "份",
        "册",
        "张",
        "本",
        "篇",
        "件",
        "户",
        "所",
        "台",
        "套",
        "批",
        "期",
        "家次",
        "个次",
        "条",
        "部",
        "座",
        "处",
        "间",
        "名",
        "位",
        "项次",
        "场次",
        "期次",
        "只",
        "辆",
        "株",
        "棵",
        "亩",
        "元次",
        "课时",
        "学时",
        "门",
        "类",
        "种",
        "株次",
        "企业",
        "家企业",
        "个项目",
    ]
)
_MAGNITUDE_PREFIXES: dict[str, Decimal] = {
    "万": Decimal(10000),
    "千": Decimal(1000),
    "百": Decimal(100),
    "亿": Decimal(100000000),
}


def _clean_unit(unit: str) -> str:
    text = "".join(normalize_text(unit).split())
    return text.replace("（", "(").replace("）", ")")


def _simple_unit_factor(unit: str) -> tuple[str, Decimal] | None:
    """Family and factor of a unit without '/', or ``None`` if unknown."""
    if unit in _MONEY_UNITS:
        return "money", _MONEY_UNITS[unit]
    for family, units in _OTHER_UNITS.items():
        if unit in units:
            return family, units[unit]
    if unit in _COUNT_UNITS:
        return unit, Decimal(1)
    # "万人", "万份", "千册": a magnitude prefix on a count unit.
    prefix, rest = unit[:1], unit[1:]
    if prefix in _MAGNITUDE_PREFIXES and rest in _COUNT_UNITS:
        return rest, _MAGNITUDE_PREFIXES[prefix]
    return None


def unit_factor(unit: str) -> tuple[str, Decimal]:
    """Return ``(family, factor)`` converting a number in ``unit`` to its family's base unit.

    Money is based on 元 ("亿元" -> ``("money", 1e8)``, "万元" -> ``("money", 1e4)``);
    a rate unit keeps its denominator in the family ("万元/家" -> ``("money/家", 1e4)``);
    "%" -> ``("percent", 1)``; 天/日 -> "time-day"; 月/年 -> "time-month" (年 = 12);
    count units are their own family ("家" -> ``("家", 1)``, "万人" -> ``("人", 1e4)``).
    An unknown unit is its own family with factor 1; no unit is family ``""``.
    """
    cleaned = _clean_unit(unit)
    if not cleaned:
        return "", Decimal(1)
    known = _simple_unit_factor(cleaned)
    if known is not None:
        return known
    if "/" in cleaned:
        head, _, tail = cleaned.partition("/")
        head_known = _simple_unit_factor(head)
        if head_known is not None:
            return f"{head_known[0]}/{tail}", head_known[1]
    return cleaned, Decimal(1)
