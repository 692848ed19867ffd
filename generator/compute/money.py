"""The one place where amounts and rates are rounded and written out.

Every figure in a generated document goes through these functions, so "42.40" in a table and
"42.4 万元" in a sentence can never disagree about rounding. All arithmetic is ``Decimal`` with
ROUND_HALF_UP (the rounding Chinese finance staff do by hand and Excel's ROUND does); float never
touches money.

Conventions (seen in the published documents, see ../shared/seeds):

* narrative text drops trailing zeros: "44999 万元", "695.17 万元", "2 万元", "11.4%";
* tables show a fixed number of decimals: "42.40", "60.00%".

Both are one call with a flag, so a template chooses the precision (see the Jinja filters in
``generator.render.docx_render``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from generator.messages import say

ZERO = Decimal(0)
HUNDRED = Decimal(100)

Number = Decimal | int | str


class Rate(Decimal):
    """A fraction that is published as a percentage (0.114036 prints as "11.4%").

    Only the type differs from ``Decimal``: arithmetic on a rate gives a plain ``Decimal``, and
    templates print a ``Rate`` as a percentage without a filter (``render.jinja_env.finalize``).
    """

    __slots__ = ()


def to_decimal(value: Number | float | None) -> Decimal | None:
    """Coerce a template value to Decimal; floats go through ``str`` so 0.1 stays 0.1."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(say("number.bool"))
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(say("number.invalid", value=value)) from exc


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal, places: int, trim: bool) -> str:
    rounded = quantize(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    text = f"{rounded:f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_amount(value: Number | float | None, places: int = 2, trim: bool = True,
               thousands: bool = False) -> str:
    """An amount as text: rounded to ``places``; trailing zeros dropped unless ``trim`` is False.

    ``fmt_amount(Decimal("44999.00")) == "44999"``, ``fmt_amount(Decimal("42.4"), trim=False)
    == "42.40"``. ``None`` (a blank cell) becomes "". ``thousands`` inserts "," separators.
    """
    d = to_decimal(value)
    if d is None:
        return ""
    text = _plain(d, places, trim)
    if thousands:
        sign = "-" if text.startswith("-") else ""
        whole, _, frac = text.lstrip("-").partition(".")
        whole = f"{int(whole):,}"
        text = sign + whole + ("." + frac if frac else "")
    return text


def fmt_rate(fraction: Number | float | None, places: int = 2, trim: bool = True,
             sign: str = "%") -> str:
    """A fraction (0.114036) as a percentage text ("11.4%"); ``None`` (no base) becomes "".

    ``places`` counts decimals of the percentage, not of the fraction.
    """
    d = to_decimal(fraction)
    if d is None:
        return ""
    return _plain(d * HUNDRED, places, trim) + sign


def rate(part: Number | None, whole: Number | None) -> Rate | None:
    """``part / whole`` as an unrounded Decimal fraction; None when ``whole`` is zero or blank.

    Rounding happens only when the figure is written (``fmt_rate``), never in between, so a
    share and its complement always print consistently from the same amounts.
    """
    p, w = to_decimal(part), to_decimal(whole)
    if p is None or w is None or w == 0:
        return None
    return Rate(p / w)


@dataclass(frozen=True)
class Change:
    """This year against last year.

    ``amount`` is signed (current − previous); ``rate`` is amount / previous (None when last year
    was zero). Which word a document uses for up, down and same (增长 / 增加 / 持平 …) is the
    template's choice: see the wording definitions of the templates.
    """

    current: Decimal
    """本年数"""
    previous: Decimal
    """上年数"""
    amount: Decimal
    """增减额（本年减上年，减少为负数）"""
    rate: Rate | None
    """增减率 = 增减额 ÷ 上年数（上年为 0 时为空）"""

    @property
    def magnitude(self) -> Decimal:
        """增减额的绝对值（“增加 X 万元”“减少 X 万元”中的 X）"""
        return abs(self.amount)

    @property
    def rate_magnitude(self) -> Rate | None:
        """增减率的绝对值（“增长 X%”“下降 X%”中的 X）"""
        return None if self.rate is None else Rate(abs(self.rate))

    @property
    def same(self) -> bool:
        """与上年持平"""
        return self.amount == 0

    @property
    def up(self) -> bool:
        """比上年增加"""
        return self.amount > 0

    @property
    def down(self) -> bool:
        """比上年减少"""
        return self.amount < 0


def change(current: Number | None, previous: Number | None) -> Change:
    """Compare ``current`` with ``previous`` (blank counts as zero)."""
    cur = to_decimal(current) or ZERO
    prev = to_decimal(previous) or ZERO
    diff = cur - prev
    return Change(cur, prev, diff, rate(diff, prev))


_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五 (for （一） headings and 第一部分)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _CN_DIGITS[tens]) + "十"
    if ones:
        text += _CN_DIGITS[ones]
    return text
