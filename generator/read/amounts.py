"""Amounts typed in the workbook's own unit (基本信息 → 金额单位: 万元 or 元).

A number typed with a unit word is accepted only when the word is the workbook's unit: "42.40万元"
in a 万元 workbook is 42.40, "6429768.84元" in a 元 workbook is 6429768.84; any other unit word is a
parse error saying which unit the workbook uses, because converting silently would publish an
amount ten thousand times too large or too small.
"""

from __future__ import annotations

from decimal import Decimal

from generator.model.schema import DEFAULT_AMOUNT_UNIT
from generator.model.text import normalize_text
from generator.read.values import ValueParseError, parse_decimal

# Longest first: "万元" must be seen before "元".
_UNIT_WORDS = ("亿元", "万元", "千元", "元", "万")


def parse_amount(raw: object, unit: str = DEFAULT_AMOUNT_UNIT) -> Decimal | None:
    """An amount in ``unit`` (万元 or 元); ``None`` for a blank cell."""
    if not isinstance(raw, str):
        return parse_decimal(raw)
    text = "".join(normalize_text(raw).split())
    word = next((w for w in _UNIT_WORDS if text.endswith(w)), "")
    typed_unit = "万元" if word == "万" else word
    if typed_unit and typed_unit != unit:
        shown = text if len(text) <= 30 else text[:30] + "…"
        raise ValueParseError(
            f"金额单位不符：“{shown}”写的是“{typed_unit}”，本工作簿的金额单位为{unit}"
            f"（见“基本信息”的金额单位），请换算成{unit}后只填写数字")
    return parse_decimal(text[: len(text) - len(word)] if word else text)
