"""Findings about how indicator values are written (issue 15, docs/values.md), at their cells.

* ``direction-assumed`` (警告, at the 指标值 cell): a numeric target without ≥ / ≤ / =. The
  message states the reading the tool assumed (:func:`generator.model.values.direction_of`: "≤"
  for 调整率, 结转结余率, 投诉 … and 成本指标, else "≥"), which scoring uses.
* ``actual-word-for-figure`` (警告, at the 实际完成值 cell): a completion word ("完成", "是",
  "达到") where the target asks for a figure or a date. The message says how the row was scored
  (the bottom of the word's band, :func:`generator.compute.scoring.word_for_figure`) and asks for
  the figure.

Other mismatched kinds (a number against a qualitative target, a text that is no band word against
a number) cannot be scored and are reported by the scoring findings as ``cannot-score``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from generator.compute.scoring import ScoringRules, round_score, rules_for_tree, score_indicator, word_for_figure
from generator.model import Indicator
from generator.model.indicator_tree import IndicatorTree
from generator.model.schema import SHEETS, TableSheet, WorkbookKind
from generator.model.values import COMPARATOR_SIGNS, direction_of, plain_number
from generator.validate import findings as F
from generator.validate.findings import Finding

INDICATOR_SHEET = "绩效指标"


def _header(kind: WorkbookKind, sheet: str, key: str) -> str:
    """The column header of ``key`` on ``sheet`` of a workbook ``kind`` (as the template names it)."""
    for spec in SHEETS[kind]:
        if spec.name == sheet and isinstance(spec, TableSheet):
            for column in spec.columns:
                if column.key == key:
                    return column.header
    return key


def _where(ind: Indicator, kind: WorkbookKind, key: str) -> tuple[str, str, str]:
    sheet = ind.source.sheet if ind.source else INDICATOR_SHEET
    return sheet, ind.cells.get(key, ind.source.cell if ind.source else ""), _header(kind, sheet, key)


def _label(ind: Indicator) -> str:
    owner = f"项目“{ind.project_name}”" if ind.project_name else "部门整体"
    return f"{owner}的指标“{ind.level3}”"


def _direction_finding(ind: Indicator, kind: WorkbookKind) -> Iterator[Finding]:
    target = ind.target
    direction = direction_of(target, ind.level3, (ind.level1, ind.level2))
    if direction is None or not direction.assumed or target.number is None:
        return
    figure = f"{plain_number(target.number)}{target.unit}"
    reading = f"{COMPARATOR_SIGNS[direction.comparator]}{figure}"
    sheet, cell, header = _where(ind, kind, "target")
    yield F.make(
        "direction-assumed", sheet, cell, header, target.raw,
        f"{_label(ind)}的{header}“{target.raw}”没有写比较方向，工具按“{reading}”理解（{direction.reason}）"
        + ("并据此评分" if kind is WorkbookKind.SELF_EVAL else "，自评时将据此评分"),
        f"请写明方向：“≥{figure}”（不低于）、“≤{figure}”（不超过）或“={figure}”（等于）",
    )  # fmt: skip


def _word_finding(ind: Indicator, kind: WorkbookKind, rules: ScoringRules) -> Iterator[Finding]:
    band = word_for_figure(ind.target, ind.actual, rules)
    if band is None or ind.actual is None:
        return
    weight = ind.weight if ind.weight is not None else Decimal(0)
    rule = score_indicator(ind.target, ind.actual, weight, rules, name=ind.level3, levels=(ind.level1, ind.level2))
    what = "完成时间" if ind.target.kind == "deadline" else "数值"
    scored = (
        f"按“{band.name}”档的最低分计 {plain_number(round_score(rule.score))} 分"
        f"（可在 {plain_number(round_score(rule.allowed_min))}–{plain_number(round_score(rule.allowed_max))} 分之间人工评分）"
    )
    if ind.user_score is not None:
        scored += f"，现按人工得分 {plain_number(ind.user_score)} 计"
    sheet, cell, header = _where(ind, kind, "actual")
    yield F.make(
        "actual-word-for-figure", sheet, cell, header, ind.actual.raw,
        f"{_label(ind)}的年度指标值为“{ind.target.raw}”，实际完成值只写了“{ind.actual.raw}”，没有{what}：{scored}",
        f"请填写实际完成的{what}（如“{_example(ind)}”），工具将按规则与年度指标值比较",
    )  # fmt: skip


def _example(ind: Indicator) -> str:
    target = ind.target
    if target.kind == "deadline":
        return "2024年9月"
    assert target.number is not None
    return f"{plain_number(target.number)}{target.unit}"


def check_indicator_values(
    indicators: Sequence[Indicator], tree: IndicatorTree, kind: WorkbookKind
) -> Iterator[Finding]:
    """Directions left unwritten (both workbook kinds) and completion words where a figure belongs."""
    rules = rules_for_tree(tree)
    for ind in indicators:
        yield from _direction_finding(ind, kind)
        if ind.actual is not None:
            yield from _word_finding(ind, kind, rules)
