"""The step between reading and validation: indicator level names put into the tree's names.

A 一级/二级 name that clearly means one of the chosen tree's names ("产出指标。", "效益指标、满意度"
…) is replaced by it, and a row filed the way the other preset files it (经济成本指标 under a merged
产出指标 cell) is read where the chosen tree puts it -- each with a 警告 at the cell, so the user
sees what was read. Scoring, validation and the documents all see the normalised names; names that
mean nothing in the tree are left as typed for the level rule (``validate/indicator_rules.py``) to
report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from generator.model import BudgetWorkbook, Indicator
from generator.model.indicator_tree import IndicatorTree, OtherPresetReading, normalize_level, read_other_preset
from generator.model.text import normalize_label
from generator.read.reader import ReadResult
from generator.validate import findings as F
from generator.validate.findings import Finding

_NUMBER_ONLY = re.compile(r"^[+\-]?\d[\d,.，．]*$")


def normalise(result: ReadResult, tree: IndicatorTree) -> None:
    """Normalise ``result``'s indicator levels for ``tree`` (once per tree), adding the findings
    to ``result.findings``."""
    wb = result.model
    if wb is None or result.normalised_for == tree.name:
        return
    every = [i for p in wb.projects for i in p.indicators] + list(wb.orphan_indicators)
    if not isinstance(wb, BudgetWorkbook):
        every += wb.dept_indicators
    result.findings.extend(normalise_levels(every, tree))
    result.normalised_for = tree.name


def normalise_levels(indicators: Iterable[Indicator], tree: IndicatorTree) -> Iterator[Finding]:
    """Replace clear variants of level names in place; one finding per name replaced."""
    for ind in indicators:
        if _NUMBER_ONLY.match(normalize_label(ind.level1)):
            continue  # a number is no name at all: the level rule says so
        level1, changed1 = normalize_level(ind.level1, tree.level1_names)
        level2, changed2 = normalize_level(ind.level2, tree.levels[level1]) if level1 else (None, False)
        other = read_other_preset(ind.level1, ind.level2, tree) if level2 is None else None
        if other is not None:
            yield _other_preset_finding(ind, other, tree)
            ind.level1, ind.level2 = other.level1, other.level2
            continue
        if level1 is not None and changed1:
            yield F.make("level-normalized", _sheet(ind), ind.cells.get("level1", ""), "一级指标", ind.level1,
                         f"一级指标“{ind.level1}”按“{level1}”处理", f"建议改为规范名称“{level1}”")
            ind.level1 = level1
        if level2 is not None and changed2:
            yield F.make("level-normalized", _sheet(ind), ind.cells.get("level2", ""), "二级指标", ind.level2,
                         f"二级指标“{ind.level2}”按“{level2}”处理", f"建议改为规范名称“{level2}”")
            ind.level2 = level2


def _sheet(ind: Indicator) -> str:
    return ind.source.sheet if ind.source else "绩效指标"


def _other_preset_finding(ind: Indicator, other: OtherPresetReading, tree: IndicatorTree) -> Finding:
    typed = f"{ind.level1}—{ind.level2}"
    reading = f"{other.level1}—{other.level2}"
    if other.same_level2:
        message = (f"二级指标“{ind.level2}”在指标体系（{tree.name}）中属于“{other.level1}”，这里填在"
                   f"“{ind.level1}”下，是指标体系（{other.preset}）的归类（一级指标为合并单元格的表格常见），"
                   f"已按“{reading}”读取")
    else:
        message = (f"“{typed}”是指标体系（{other.preset}）的写法，指标体系（{tree.name}）中对应"
                   f"“{reading}”，已按此读取")
    fix = (f"请把一级、二级指标改为“{other.level1}”“{other.level2}”；"
           f"如本地使用指标体系（{other.preset}），请用 --tree {other.preset} 检查和生成")
    return F.make("level-other-preset", _sheet(ind), ind.cells.get("level2", ""), "二级指标", ind.level2, message, fix)
