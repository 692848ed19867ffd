"""The one Jinja environment every document is worded with: Word templates and text snippets alike.

Strict (a misspelt field is an error, never a blank), escaping (user text is text, never markup),
and figures that print themselves the way the published documents write them, so a template reads
like the document::

    本年收入总计{{ income.total }}万元            44999          (an amount: at most 2 decimals, no trailing zeros)
    增长{{ income.change.rate }}                  11.4%          (a rate: a percentage, at most 2 decimals)
    {{ p.budget|fixed }}                           42.40          (tables: always 2 decimals)
    {{ p.budget|amount(6) }}                       2.0083         (as typed, up to 6 decimals)
    {{ r|pct(2, trim=False) }}                     11.40%
    {{ n|cn }}                                     三十五          (Chinese numeral, for （一） headings)
    {{ q|dash }}                                   -              (a blank table cell as a dash)

A blank (``None``) prints nothing: a figure derived from a blank is left out by the template's
``{% if %}``, never printed as 0.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from generator.compute.money import Rate, cn_numeral, fmt_amount, fmt_rate
from generator.render.code_cache import compile_cached


def _amount_filter(value: Any, places: int = 2, trim: bool = True, thousands: bool = False) -> str:
    return fmt_amount(value, places, trim=trim, thousands=thousands)


def _fixed_filter(value: Any, places: int = 2, thousands: bool = False) -> str:
    return fmt_amount(value, places, trim=False, thousands=thousands)


def _pct_filter(value: Any, places: int = 2, trim: bool = True, sign: str = "%") -> str:
    return fmt_rate(value, places, trim=trim, sign=sign)


def _dash_filter(value: Any, dash: str = "-") -> Any:
    """Blank (None/"") as a dash, as official tables print missing quantities."""
    return dash if value is None or value == "" else value


FILTERS: dict[str, Callable[..., Any]] = {
    "amount": _amount_filter,
    "fixed": _fixed_filter,
    "pct": _pct_filter,
    "cn": cn_numeral,
    "dash": _dash_filter,
}


def finalize(value: Any) -> Any:
    """How a value prints when the template gives no filter: rates as percentages, amounts as the
    narrative writes them, a blank as nothing."""
    if value is None:
        return ""
    if isinstance(value, Rate):
        return fmt_rate(value)
    if isinstance(value, Decimal):
        return fmt_amount(value)
    return value


class _CompilingOnceEnvironment(Environment):
    """docxtpl compiles each XML part of a template with ``from_string`` on every render; in a
    batch of 200 departments that is the same template compiled 200 times. Compiled templates
    are kept per source text (the template file's content), so each is compiled once per process,
    and their code is kept across runs in the user's cache folder (``render.code_cache``), so an
    unchanged template is not compiled again at all.
    """

    _MAX_CACHED = 256

    def __init__(self, autoescape: bool = True) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=autoescape, finalize=finalize)
        self.filters.update(FILTERS)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self._MAX_CACHED:
                self._compiled.clear()
            code = compile_cached(self, source)
            template = self.template_class.from_code(self, code, self.make_globals(None), None)
            self._compiled[source] = template
        return template


_ENVIRONMENT = _CompilingOnceEnvironment()
_TEXT_ENVIRONMENT = _CompilingOnceEnvironment(autoescape=False)


def make_environment() -> Environment:
    """The Jinja environment every Word document is rendered with (strict, escaping, our filters)."""
    return _ENVIRONMENT


def text_environment() -> Environment:
    """The same language for plain text (Excel cells, notes): strict, our filters, no XML escaping."""
    return _TEXT_ENVIRONMENT
