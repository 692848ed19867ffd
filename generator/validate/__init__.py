"""Validation: every finding about a workbook at once (read → model → **validate** → compute → render).

``validate(result)`` returns the reader's findings (shape, types, required cells) and those of
normalising the indicator levels (``read/normalise.py``), followed by every rule of the workbook's
kind (``validate/rules.py``: one table, one signature). Findings are sorted by sheet order and
cell so the report reads like the workbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.model import SelfEvalWorkbook
from generator.model.indicator_tree import DEFAULT, IndicatorTree
from generator.model.schema import SHEETS
from generator.validate.findings import Finding
from generator.validate.subject import Subject

if TYPE_CHECKING:  # the reader imports validate.findings: these are imported when validate runs
    from generator.compute.selfeval import Evaluation
    from generator.read.reader import ReadResult


def validate(result: ReadResult, tree: IndicatorTree = DEFAULT,
             evaluation: Evaluation | None = None) -> list[Finding]:
    """Every finding about ``result``; a self-evaluation's scoring is taken from ``evaluation``
    when given (the pipeline scores once and renders from the same evaluation), else scored here
    with the tree's rules."""
    # Imported here, not at the top: the reader imports this package (for findings), so this
    # package cannot import the reader while it loads.
    from generator.read.normalise import normalise
    from generator.validate.rules import rules_for

    normalise(result, tree)  # a no-op when the pipeline has normalised for this tree already
    found = list(result.findings)
    if result.model is not None:
        if evaluation is None and isinstance(result.model, SelfEvalWorkbook):
            from generator.compute.scoring import rules_for_tree
            from generator.compute.selfeval import evaluate

            evaluation = evaluate(result.model, rules_for_tree(tree))
        subject = Subject(result.model, tree, evaluation, result.texts)
        for rule in rules_for(result.kind):
            found.extend(rule.check(subject))
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
