"""The types of a parsed 指标值 / 实际完成值 (parsing itself is ``generator.read.values``).

An :class:`IndicatorValue` is quantitative (comparator + number + unit), a :class:`Deadline`
(month or quarter), a qualitative word, or free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Comparator = Literal[">=", "<=", ">", "<", "="]
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
    """A parsed 指标值 (target) or 实际完成值 (actual)."""

    raw: str
    kind: IndicatorKind
    comparator: Comparator | None = None
    number: Decimal | None = None
    unit: str = ""
    deadline: Deadline | None = None
