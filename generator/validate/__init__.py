"""Validation: every finding about a workbook at once (read → model → **validate** → compute → render).

``validate(result)`` returns the reader's findings (shape, types, required cells) followed by the
rules of the workbook's kind (consistency, indicators, scoring). Findings are sorted by sheet
order and cell so the report reads like the workbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT, IndicatorTree
from generator.model.schema import SHEETS
from generator.validate.budget import validate_budget
from generator.validate.findings import Finding
from generator.validate.selfeval import validate_self_eval

if TYPE_CHECKING:  # the reader imports validate.text_hygiene: no runtime cycle
    from generator.compute.selfeval import Evaluation
    from generator.read.reader import ReadResult


def validate(result: ReadResult, tree: IndicatorTree = DEFAULT,
             evaluation: Evaluation | None = None) -> list[Finding]:
    """Every finding about ``result``; a self-evaluation's scoring is taken from ``evaluation``
    when given (the pipeline scores once and renders from the same evaluation)."""
    found = list(result.findings)
    if isinstance(result.model, BudgetWorkbook):
        found.extend(validate_budget(result.model, tree))
    elif isinstance(result.model, SelfEvalWorkbook):
        found.extend(validate_self_eval(result.model, tree, evaluation))
    order = {s.name: i for i, s in enumerate(SHEETS[result.kind])}
    return sorted(_dedupe(found), key=lambda f: (order.get(f.sheet, 99), _cell_key(f.cell)))


def _cell_key(cell: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]*)(\d*)", cell)
    if not m:
        return (0, 0)
    letters, digits = m.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(digits) if digits else 0, col)


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for f in found:
        key = (f.code, f.sheet, f.cell, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
