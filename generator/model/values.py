"""The types of a parsed 指标值 / 实际完成值 (parsing itself is ``generator.read.values``).

An :class:`IndicatorValue` is quantitative (comparator + number + unit, or a range), a
:class:`Deadline` (month or quarter), a qualitative word, or free text. The grammar that produces
them is written down in ``docs/values.md``.

Two readings live here because every stage needs them the same way:

* :func:`direction_of` -- the comparator a target is read with when none was written, and why
  (scoring uses it, validation warns with it);
* :func:`actual_in_target_unit` -- the number and unit of an actual typed without a unit.

:func:`value_phrase` is the one way a value is shown in a sentence, always with its unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.model.units import PERCENT_FAMILY, unit_factor

# "between": a range "80%-90%" (``number`` is the low end, ``upper`` the high end).
Comparator = Literal[">=", "<=", ">", "<", "=", "between"]
IndicatorKind = Literal["quantitative", "deadline", "qualitative", "text"]


@dataclass(frozen=True)
class Deadline:
    """A month or quarter deadline ("9月前", "第四季度前") or a completion month ("2024年7月").

    Exactly one of ``month`` (1–12) and ``quarter`` (1–4) is set. ``year`` is only known
    when the text carried one (actual completion dates usually do, targets usually don't).
    """

    month: int | None
    quarter: int | None
    raw: str
    year: int | None = None

    def __post_init__(self) -> None:
        if (self.month is None) == (self.quarter is None):
            raise ValueError("Deadline needs exactly one of month and quarter")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter out of range: {self.quarter}")

    def last_month(self) -> int:
        """The last month that is still on time (end of the quarter for a quarter)."""
        if self.month is not None:
            return self.month
        assert self.quarter is not None  # guaranteed by __post_init__
        return self.quarter * 3


@dataclass(frozen=True)
class IndicatorValue:
    """A parsed 指标值 (target) or 实际完成值 (actual).

    ``comparator`` is what the cell says, ``None`` when it says none ("30家"): the reading a
    target without one gets is :func:`direction_of`'s, never silently chosen here. ``unit`` is the
    canonical spelling ("百分比" is stored as "%"); ``raw`` keeps what was typed.
    """

    raw: str
    kind: IndicatorKind
    comparator: Comparator | None = None
    number: Decimal | None = None
    unit: str = ""
    deadline: Deadline | None = None
    upper: Decimal | None = None  # the high end of a range (comparator "between")


# ---------------------------------------------------------------------------
# Directions: the reading of a target written without a comparator
# ---------------------------------------------------------------------------

# Rates that are good when low: a 预算调整率 of 3% is a ceiling, not a floor.
LOWER_IS_BETTER_RATES: tuple[str, ...] = (
    "调整率", "结转率", "结余率", "结转结余率", "偏差率", "投诉率", "差错率", "出错率", "误差率",
    "事故率", "发生率", "不合格率", "故障率", "失误率", "返工率", "闲置率", "超支率", "违规率",
    "逾期率", "延误率", "损失率", "流失率", "空置率", "漏报率", "误报率", "缺陷率", "坏账率",
    "不良率", "退回率",
)  # fmt: skip
# Events that are good when few (投诉次数, 安全事故) -- unless the name is about handling them
# (投诉处理率, 事故整改率 are good when high).
LOWER_IS_BETTER_EVENTS: tuple[str, ...] = (
    "投诉", "事故", "差错", "违规", "违纪", "失误", "超支", "上访", "逾期", "延误", "返工", "损失",
)  # fmt: skip
HANDLING_WORDS: tuple[str, ...] = (
    "处理", "办结", "回复", "答复", "解决", "受理", "响应", "整改", "化解", "查处", "纠正", "处置",
)  # fmt: skip
# 一级/二级 whose amounts are ceilings (成本指标 of either preset).
COST_LEVELS: tuple[str, ...] = ("成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标")
# A duration under 时效指标 ("审批时间 5个工作日") is a ceiling too.
TIMELINESS_LEVEL = "时效指标"
_DURATION_FAMILIES = frozenset({"time-second", "time-day", "time-workday", "time-month"})

COMPARATOR_SIGNS: dict[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "between": "~"}


@dataclass(frozen=True)
class Direction:
    """The comparator a target is scored with.

    ``assumed`` is True when the target had none; ``reason`` (Chinese) then says why this one.
    """

    comparator: Comparator
    assumed: bool
    reason: str = ""


def _lower_is_better(name: str) -> str | None:
    """The word of ``name`` that makes a low value good, or ``None``."""
    for word in LOWER_IS_BETTER_RATES:
        if word in name:
            return word
    if any(word in name for word in HANDLING_WORDS):
        return None
    for word in LOWER_IS_BETTER_EVENTS:
        if word in name:
            return word
    return None


def direction_of(target: IndicatorValue, name: str = "", levels: Sequence[str] = ()) -> Direction | None:
    """How a quantitative target is compared: as written, or the reading assumed when not written.

    ``name`` is the 三级指标, ``levels`` its 一级/二级 (as typed; "成本" and "成本指标" both count).
    Without a comparator: "≤" when the name is a rate or an event that is good when low
    (:data:`LOWER_IS_BETTER_RATES`, :data:`LOWER_IS_BETTER_EVENTS`), when it is a 成本指标, or a
    duration under 时效指标; otherwise "≥" (at least the target). ``None`` for a target that is not a
    number.
    """
    if target.kind != "quantitative" or target.number is None:
        return None
    if target.comparator is not None:
        return Direction(target.comparator, False)
    word = _lower_is_better(name)
    if word is not None:
        return Direction("<=", True, f"指标名称含“{word}”，数值越低越好")
    for level in levels:
        label = "".join(level.split())
        if label and (label in COST_LEVELS or label + "指标" in COST_LEVELS):
            return Direction("<=", True, f"属于{label if label.endswith('指标') else label + '指标'}，金额为上限")
        if label in (TIMELINESS_LEVEL, TIMELINESS_LEVEL[:-2]) and unit_factor(target.unit)[0] in _DURATION_FAMILIES:
            return Direction("<=", True, "时效指标的期限为上限")
    return Direction(">=", True, "通常数值越高越好")


# ---------------------------------------------------------------------------
# Actuals typed without a unit
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActualReading:
    """An actual's number in a unit: its own, or the target's when it was typed bare."""

    number: Decimal
    unit: str
    note: str = ""  # Chinese, when the unit was taken from the target


def actual_in_target_unit(actual: IndicatorValue, target: IndicatorValue | None) -> ActualReading | None:
    """The number and unit an actual is read with; ``None`` when it is not a number.

    An actual with a unit keeps it. A bare number takes the target's unit ("50" against "≥50个" is
    50个); against a percentage a bare number from 0 to 1 is a fraction, as Excel stores 95% as 0.95
    ("0.95" against "≥90%" is 95%).
    """
    if actual.kind != "quantitative" or actual.number is None:
        return None
    if actual.unit or target is None or target.kind != "quantitative" or not target.unit:
        return ActualReading(actual.number, actual.unit)
    unit = target.unit
    if unit_factor(unit)[0] == PERCENT_FAMILY and Decimal(0) <= actual.number <= Decimal(1):
        percent = actual.number * 100
        note = f"实际完成值 {plain_number(actual.number)} 未写单位，按 {plain_number(percent)}% 理解"
        return ActualReading(percent, unit, note)
    return ActualReading(actual.number, unit)


# ---------------------------------------------------------------------------
# Showing a value in a sentence
# ---------------------------------------------------------------------------


def plain_number(value: Decimal) -> str:
    """A figure as typed: no exponent, no trailing zeros, no thousands separators."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# "2021-08-15 00:00:00" (a date cell read as text) reads "2021-08-15" in a sentence.
_TIME_OF_DAY = re.compile(r"(?<=[0-9]) [0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?$")

# How a comparator reads around a figure in a sentence ("30单以上", "180天以内").
_PHRASE_WORDS: dict[str, tuple[str, str]] = {
    ">=": ("", "以上"),
    ">": ("超过", ""),
    "<=": ("", "以内"),
    "<": ("低于", ""),
    "=": ("", ""),
}


def value_phrase(value: IndicatorValue | None, target: IndicatorValue | None = None) -> str:
    """How ``value`` reads in a sentence, always with its unit; ``""`` for no value.

    A target: ``value_phrase(ind.target)`` -> "30单以上" (≥30单), "180天以内" (≤180天), "超过80%",
    "80%至90%", "4次" (no comparator written: none is printed -- the tool's assumed reading is not
    the department's statement). An actual: ``value_phrase(ind.actual, ind.target)`` -> "50个" for
    an actual typed "50" against a target in 个, "95%" for "0.95" against a percentage (the reading
    the scoring used). Deadlines, qualitative words and text read as typed.
    """
    if value is None or not value.raw.strip():
        return ""
    if value.kind == "deadline":
        return _TIME_OF_DAY.sub("", value.raw.strip())
    if value.kind != "quantitative" or value.number is None:
        return value.raw.strip()
    reading = actual_in_target_unit(value, target) if target is not None else None
    number, unit = (reading.number, reading.unit) if reading else (value.number, value.unit)
    if value.comparator == "between" and value.upper is not None:
        return f"{plain_number(number)}{unit}至{plain_number(value.upper)}{unit}"
    before, after = _PHRASE_WORDS.get(value.comparator or "=", ("", ""))
    return f"{before}{plain_number(number)}{unit}{after}"
