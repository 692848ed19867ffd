"""The fields a template may use, read from the typed document models themselves.

Every field of a document model (``compute.disclosure.Disclosure`` …) is documented by the
string literal right under it, in Chinese, for the people who edit the templates. This module
walks a model class and lists every path a template can write (``income.total.current``,
``projects[].indicators[].level3``) with its type and that documentation; ``tools/make_docs.py``
turns the list into ``docs/template-fields.md`` and ``budget-report template-check`` uses it to
suggest the field a misspelt one probably meant.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from generator.compute.money import Rate


@dataclass(frozen=True)
class FieldDoc:
    path: str
    """``income.total.current``; a list's item is written ``projects[]``."""
    kind: str
    """What it holds, in Chinese: 金额、比例、文字、列表 …"""
    doc: str
    """The field's documentation."""


@cache
def attribute_docs(cls: type) -> dict[str, str]:
    """``{name: docstring}`` of a class's annotated fields and properties."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.ClassDef)
    docs: dict[str, str] = {}
    body = node.body
    for i, stmt in enumerate(body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and i + 1 < len(body):
            nxt = body[i + 1]
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
                docs[stmt.target.id] = " ".join(nxt.value.value.split())
        elif isinstance(stmt, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id == "property" for d in stmt.decorator_list):
            doc = ast.get_docstring(stmt)
            if doc:
                docs[stmt.name] = " ".join(doc.split())
    return docs


def _strip_optional(tp: Any) -> Any:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def _kind(tp: Any) -> str:
    tp = _strip_optional(tp)
    if tp is Rate:
        return "比例"
    if tp is Decimal:
        return "金额/数值"
    if tp is int:
        return "整数"
    if tp is bool:
        return "是/否"
    if tp is str:
        return "文字"
    origin = typing.get_origin(tp)
    if origin is tuple:
        return "列表"
    if is_dataclass(tp):
        return "一组字段"
    return getattr(tp, "__name__", str(tp))


def _item_type(tp: Any) -> Any | None:
    """The element type of ``tuple[X, ...]`` (optional or not)."""
    tp = _strip_optional(tp)
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if args:
            return args[0]
    return None


def _hints(cls: type) -> dict[str, Any]:
    import generator.compute.money as money_module

    module = inspect.getmodule(cls)
    namespace = {**vars(money_module), **(vars(module) if module else {})}
    return typing.get_type_hints(cls, globalns=namespace)


def walk(cls: type, prefix: str = "") -> Iterator[FieldDoc]:
    """Every template path under the dataclass ``cls``, depth first, in declaration order."""
    docs = attribute_docs(cls)
    hints = _hints(cls)
    names = [f.name for f in fields(cls)] if is_dataclass(cls) else []
    names += [n for n, v in vars(cls).items() if isinstance(v, property) and n in docs]
    for name in names:
        tp = hints.get(name)
        if tp is None:
            prop = vars(cls).get(name)
            tp = typing.get_type_hints(prop.fget).get("return") if isinstance(prop, property) and prop.fget else None
        path = f"{prefix}{name}"
        yield FieldDoc(path, _kind(tp), docs.get(name, ""))
        inner = _strip_optional(tp)
        item = _item_type(tp)
        if item is not None and is_dataclass(item):
            yield from walk(item, f"{path}[].")  # type: ignore[arg-type]
        elif is_dataclass(inner):
            yield from walk(inner, f"{path}.")  # type: ignore[arg-type]


# ---- the reference document -------------------------------------------------------------------


def _type_name(tp: Any) -> str:
    tp = _strip_optional(tp)
    item = _item_type(tp)
    if item is not None:
        return f"{_type_name(item)} 的列表" if is_dataclass(item) else "列表"
    if isinstance(tp, type) and is_dataclass(tp):
        return tp.__name__
    return _kind(tp)


def _example(value: Any) -> str:
    from generator.render.jinja_env import finalize

    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple):
        return f"{len(value)} 项"
    if is_dataclass(value):
        return ""
    text = str(finalize(value)).replace("\n", " ").replace("|", "｜")
    return text if len(text) <= 24 else text[:23] + "…"


def _first(values: Any) -> Any:
    return values[0] if isinstance(values, tuple) and values else None


def reference(title: str, cls: type, example: Any) -> list[str]:
    """Markdown for one document model: its fields, then each nested type once, with examples
    taken from ``example`` (an instance computed from an example workbook)."""
    lines = [f"## {title}（`{cls.__name__}`）", ""]
    pending: list[tuple[type, Any]] = [(cls, example)]
    seen: set[type] = set()
    while pending:
        current, sample = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current is not cls:
            lines += [f"### `{current.__name__}`", ""]
        lines += ["| 字段 | 含义 | 类型 | 示例 |", "|---|---|---|---|"]
        docs = attribute_docs(current)
        hints = _hints(current)
        names = [f.name for f in fields(current)] + [n for n, v in vars(current).items()
                                                      if isinstance(v, property) and n in docs]
        for name in names:
            tp = hints.get(name)
            prop = vars(current).get(name)
            if tp is None and isinstance(prop, property) and prop.fget:
                tp = typing.get_type_hints(prop.fget, globalns=vars(inspect.getmodule(current))).get("return")
            value = getattr(sample, name, None) if sample is not None else None
            lines.append(f"| `{name}` | {docs.get(name, '')} | {_type_name(tp)} | {_example(value)} |")
            inner, item = _strip_optional(tp), _item_type(tp)
            if item is not None and is_dataclass(item):
                pending.append((item, _first(value)))  # type: ignore[arg-type]
            elif is_dataclass(inner):
                pending.append((inner, value))  # type: ignore[arg-type]
        lines.append("")
    return lines
