"""Figures typed inside text fields, checked against the amounts they describe.

Users paste sentences such as "实际拨付率 75.3%" or "以上专项经费共计 42.4 万元，其中 6 月底前支出
60%" into text cells; the tool computes the same figures from the amounts. A typed figure that
disagrees at its own precision (75.3% vs 60.36/80.28 = 75.19% → 75.2%) is reported.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

# No two "\s*" side by side around an optional word: on a run of spaces they split it every way
# (quadratic). The optional word carries its own trailing space instead.
_RATE = re.compile(r"(拨付率|执行率|支出率|完成率|支付率)\s*(?:(?:达到|达|为|是)\s*)?(\d+(?:\.\d+)?)\s*[%％]")
_TOTAL = re.compile(r"共计?\s*(\d+(?:\.\d+)?)\s*万元?")
_PLAN = re.compile(r"(\d{1,2})\s*月(?:底|份|末)?前?\s*(?:累计)?(?:支出|支持|拨付)\s*(\d+(?:\.\d+)?)\s*[%％]")
# "第二季度支出80%", "第二季度支持80%", "第一季度0，": a figure right after the quarter.
_QUARTER = re.compile(r"第([一二三四1-4])季度\s*(?:累计\s*)?(?:(?:支出|支持|拨付)\s*)?(\d+(?:\.\d+)?)\s*"
                      r"(?:[%％]|(?=[，,。；、]))")


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def agrees(stated: str, computed: Decimal) -> bool:
    """True when ``computed`` rounded to the stated precision equals the stated figure."""
    places = _decimals(stated)
    quantum = Decimal(1).scaleb(-places)
    return computed.quantize(quantum, rounding=ROUND_HALF_UP) == Decimal(stated).quantize(quantum)


def stated_rates(text: str) -> list[tuple[str, str]]:
    """(rate name, percent as typed) pairs found in ``text``."""
    return [(m.group(1), m.group(2)) for m in _RATE.finditer(text)]


def stated_totals(text: str) -> list[str]:
    return [m.group(1) for m in _TOTAL.finditer(text)]


def stated_plan(text: str) -> dict[str, str]:
    """Plan label ("6月底" / "第二季度") -> percent as typed."""
    out = {f"{int(m.group(1))}月底": m.group(2) for m in _PLAN.finditer(text)}
    names = {"1": "一", "2": "二", "3": "三", "4": "四"}
    for m in _QUARTER.finditer(text):
        out[f"第{names.get(m.group(1), m.group(1))}季度"] = m.group(2)
    return out
