"""Render Word documents from .docx templates with docxtpl, safely.

docxtpl's defaults are unsafe for user text (see ENGINEERING.md): without autoescape "财政局 &
教育局" loses the "&" and "a <b> c" silently drops later paragraphs; missing variables render as
blank. Here every render uses ``Environment(undefined=StrictUndefined, autoescape=True)``, strips
XML-illegal control characters from the context, and turns a missing field into a Chinese
``TemplateFieldError`` naming the field and the template, because the people who edit the
templates (in Word/WPS) are not programmers.

Templates choose the precision of figures with the filters in ``FILTERS``::

    {{ income.total|amount }}        44999        (trailing zeros dropped, 2 decimals max)
    {{ p.budget|fixed }}             42.40        (always 2 decimals)
    {{ c.rate|pct }}                 11.4%        {{ c.rate|pct(2, trim=False) }} → 11.40%
    {{ n|cn }}                       三十五        (Chinese numeral)
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, StrictUndefined, Template

from generator.compute.disclosure import (
    DEFAULT_STYLE,
    OUTPUT_NAME_FOR_STYLE,
    TEMPLATE_FOR_STYLE,
    DisclosureOptions,
    cn_numeral,
    disclosure_context,
)
from generator.compute.money import fmt_amount, fmt_rate
from generator.model import BudgetWorkbook
from generator.render.docx_passes import LeanDocxTemplate

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Names a dict key must not have: Jinja resolves ``x.items`` to the dict method, not the key.
_SHADOWED_KEYS = frozenset(name for name in dir(dict) if not name.startswith("_"))


class TemplateError(Exception):
    """A template cannot be rendered; the message is for the user, in Chinese."""


class TemplateFieldError(TemplateError):
    """The template names a field the context does not have."""

    def __init__(self, template: Path, field: str, near: str = "") -> None:
        self.template = template
        self.field = field
        message = f"模板 {template.name} 引用了不存在的字段“{field}”"
        if near:
            message += f"（附近文字：{near}）"
        message += "：请检查占位符的拼写，或改用工具提供的字段。"
        super().__init__(message)


def _amount_filter(value: Any, places: int = 2, trim: bool = True,
                   thousands: bool = False) -> str:
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


class _CompilingOnceEnvironment(Environment):
    """docxtpl compiles each XML part of a template with ``from_string`` on every render; in a
    batch of 200 departments that is the same template compiled 200 times. Compiled templates
    are kept per source text (the template file's content), so each is compiled once per process.
    """

    _MAX_CACHED = 32

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.filters.update(FILTERS)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self._MAX_CACHED:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template


_ENVIRONMENT = _CompilingOnceEnvironment()


def make_environment() -> Environment:
    """The Jinja environment every document is rendered with (strict, escaping, our filters)."""
    return _ENVIRONMENT


def clean_context(value: Any, path: str = "") -> Any:
    """A copy of ``value`` with control characters removed from every string.

    The reader already reports such characters at their cells; here they are only removed so
    that python-docx/lxml never see them (docxtpl would drop them silently or fail). Also
    rejects dict keys that Jinja would shadow with dict methods (``items``, ``values`` …).
    """
    if isinstance(value, str):
        return _CONTROL_CHARS.sub("", value)
    if isinstance(value, Mapping):
        clean: dict[Any, Any] = {}
        for key, item in value.items():
            if key in _SHADOWED_KEYS:
                raise ValueError(f"上下文字段名“{path}{key}”与字典方法同名，模板无法访问，请改名")
            clean[key] = clean_context(item, f"{path}{key}.")
        return clean
    if isinstance(value, (list, tuple)):
        return type(value)(clean_context(item, path) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clean_context(getattr(value, f.name), path)
                   for f in fields(value) if isinstance(getattr(value, f.name), str)}
        return replace(value, **changes) if changes else value
    return value


def _missing_field(message: str) -> str:
    for pattern in (r"has no attribute '([^']+)'", r"'([^']+)' is undefined",
                    r"has no element '?([^']+?)'?$"):
        m = re.search(pattern, message)
        if m:
            return m.group(1)
    return message


def _near(exc: BaseException) -> str:
    lines = getattr(exc, "docx_context", None)
    if not lines:
        return ""
    text = "".join(lines)
    text = re.sub(r"\s+", "", text)
    return text[:60]


def render_docx(template: Path, context: Mapping[str, Any], out: Path) -> None:
    """Render ``template`` with ``context`` to ``out`` (written atomically).

    Raises ``TemplateFieldError`` when the template names a missing field and ``TemplateError``
    for any other template problem, both with a Chinese message naming the template.
    """
    template = Path(template)
    if not template.is_file():
        raise TemplateError(f"找不到模板文件 {template}")
    doc = LeanDocxTemplate(str(template))
    try:
        doc.render(dict(clean_context(context)), jinja_env=make_environment())
    except jinja2.UndefinedError as exc:
        raise TemplateFieldError(template, _missing_field(str(exc)), _near(exc)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板 {template.name} 的占位符写法有误（{exc.message}）"
            + (f"，附近文字：{_near(exc)}" if _near(exc) else "")
            + "。占位符应写成 {{ 字段 }}、{% if … %}、{%p for … %} 等形式。") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板 {template.name} 无法生成：{exc}") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename: a failed save never leaves half a document behind.
    fd, tmp_name = tempfile.mkstemp(suffix=".docx", dir=out.parent)
    os.close(fd)
    try:
        doc.save(tmp_name)
        # mkstemp creates the file private (0600); a document is meant to be shared.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, out)
    except PermissionError as exc:
        raise TemplateError(f"无法写入 {out}：文件可能正在 Word/WPS 中打开，请关闭后重试") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def render_disclosure(wb: BudgetWorkbook, out_dir: Path, templates_dir: Path,
                      options: DisclosureOptions | None = None) -> list[Path]:
    """Write the budget disclosure of ``wb`` into ``out_dir``; return the files written.

    基本信息 → 文件样式 picks the template (``TEMPLATE_FOR_STYLE``): 信息公开说明 writes
    "<年度>年部门预算信息公开情况说明.docx", 绩效目标 writes "<年度>年部门整体绩效目标.docx".
    """
    context = disclosure_context(wb, options)
    style = context["style"] or DEFAULT_STYLE
    if style not in TEMPLATE_FOR_STYLE:
        raise TemplateError(
            f"基本信息中的文件样式“{style}”不可用，请选择：" + "、".join(TEMPLATE_FOR_STYLE))
    out = Path(out_dir) / OUTPUT_NAME_FOR_STYLE[style].format(year=wb.info.year)
    render_docx(Path(templates_dir) / TEMPLATE_FOR_STYLE[style], context, out)
    return [out]
