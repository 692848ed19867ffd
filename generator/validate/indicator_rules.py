"""Rules on the 绩效指标 of both workbook kinds, registered in ``validate/rules.py``.

The checks themselves are in ``validate/indicators.py`` (one indicator list at a time) and
``validate/indicator_values.py``; the rules here choose what each kind checks them on. Level
names were normalised before (``read/normalise.py``): the level rule reports what is left.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import BudgetWorkbook, SelfEvalWorkbook
from generator.validate import findings as F
from generator.validate import indicators as I
from generator.validate.findings import Finding
from generator.validate.indicator_values import check_indicator_values
from generator.validate.subject import Subject

AnyWorkbook = BudgetWorkbook | SelfEvalWorkbook


def unknown_projects(s: Subject[AnyWorkbook]) -> Iterator[Finding]:
    """An indicator whose project is not on the 项目 sheet, at what names the project: its code
    when it has one, else its name."""
    for ind in s.orphans:
        key, header = ("project_code", "项目编码") if ind.project_code else ("project_name", "项目名称")
        name = ind.project_code or ind.project_name
        yield F.make("unknown-project", ind.source.sheet if ind.source else "绩效指标", ind.cells.get(key, ""),
                     header, name, f"指标“{ind.level3}”所属项目“{name}”在“项目”表中不存在", f"请核对{header}")


def levels(s: Subject[AnyWorkbook]) -> Iterator[Finding]:
    """一级/二级 names that are not the tree's (after normalisation), orphans included."""
    yield from I.check_levels(s.indicators + s.orphans, s.tree)


def values(s: Subject[AnyWorkbook]) -> Iterator[Finding]:
    """Each indicator's own cells: placeholders, units, rates, and how its values are written."""
    yield from I.check_values(s.indicators)
    yield from check_indicator_values(s.indicators, s.tree, s.kind)


def structure(s: Subject[AnyWorkbook]) -> Iterator[Finding]:
    """Each project's indicator set: one at least (a budget's every project; a self-evaluation's
    projects that have any), every 一级 present, no duplicates."""
    for p in s.workbook.projects:
        if p.indicators or isinstance(s.workbook, BudgetWorkbook):
            yield from I.check_structure(p.name, p.indicators, s.tree, "项目", p.cells.get("name", ""))


def years(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Years in a budget's indicators against its 预算年度."""
    for p in s.workbook.projects:
        yield from I.check_years(p.indicators, s.workbook.info.year)


def project_names(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """An indicator found by its 项目编码 whose 项目名称 says another project."""
    for p in s.workbook.projects:
        for ind in p.indicators:
            if ind.project_code and p.code and ind.project_name and ind.project_name != p.name:
                yield F.make("project-name-mismatch", "绩效指标", ind.cells.get("project_name", ""),
                             "项目名称", ind.project_name,
                             f"项目编码 {p.code} 对应的项目是“{p.name}”，这里写的是“{ind.project_name}”",
                             "请核对项目编码和名称")


def citations(s: Subject[BudgetWorkbook]) -> Iterator[Finding]:
    """Documents cited in 指标值确定依据: one 文号 per title, one title per document."""
    yield from I.check_doc_numbers(s.indicators)
    yield from I.check_title_variants(s.indicators)
