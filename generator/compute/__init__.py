"""Derived figures: rounding and formatting (``money``) and the disclosure context (``disclosure``).

The model holds raw facts only; everything a document states that can be computed (totals,
增减, rates, shares, the 空表列示 statement) is computed here, once.
"""

from generator.compute.money import Change, change, fmt_amount, fmt_rate, rate

__all__ = ["Change", "change", "fmt_amount", "fmt_rate", "rate"]
