"""Findings about a scored self-evaluation: what the scoring found questionable, at its cell.

The scoring (``compute.selfeval``) returns facts -- scores, statuses, rates; this module turns
them into findings (missing actual values, unmet indicators without a reason, overrides outside
the rule's band, non-standard weights …) at the cell where the user typed the value. A finding
that quotes a score's explanation words it with the shipped templates (``render.score_wording``):
the findings are the same whatever templates folder a build later uses.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.compute.scoring import ScoringRules, Status, round_score
from generator.compute.selfeval import (
    CARRYOVER_FUND_ROW,
    OTHER_FUND_ROW,
    TOTAL_FUND_ROW,
    Evaluation,
    FundLine,
    IndicatorResult,
    Points,
    Scorecard,
)
from generator.model import Indicator
from generator.model.schema import SELF_EVAL_SHEETS, FormSheet, TableSheet
from generator.read.a1 import column_letter, split_ref
from generator.render.score_wording import explain, notes_of
from generator.validate import findings as F
from generator.validate.findings import Finding

HUNDRED = 100
PROJECT_SHEET = "项目"
INDICATOR_SHEET = "绩效指标"
FUNDS_SHEET = "收支情况"
INFO_SHEET = "基本信息"


def _num(value: object) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"




def _spec(name: str) -> TableSheet | FormSheet:
    return next(s for s in SELF_EVAL_SHEETS if s.name == name)


def _header(sheet: str, key: str) -> str:
    spec = _spec(sheet)
    cols = spec.columns if isinstance(spec, TableSheet) else spec.fields
    return next((c.header for c in cols if c.key == key), key)


def _sibling_ref(sheet: str, anchor_ref: str, anchor_key: str, key: str) -> str:
    """The cell of column ``key`` on the row of ``anchor_ref`` (a ``anchor_key`` cell).

    Only trusted when the anchor sits in its template column (columns are found by header,
    so users may reorder them); otherwise the anchor cell itself is returned.
    """
    spec = _spec(sheet)
    if not isinstance(spec, TableSheet):
        return anchor_ref
    keys = [c.key for c in spec.columns]
    try:
        letter, row = split_ref(anchor_ref)
    except ValueError:
        return anchor_ref
    if anchor_key not in keys or key not in keys:
        return anchor_ref
    if letter != column_letter(keys.index(anchor_key) + 1):
        return anchor_ref
    return f"{column_letter(keys.index(key) + 1)}{row}"


def _indicator_cell(ind: Indicator, key: str) -> tuple[str, str, str]:
    """(sheet, cell, header) of column ``key`` of an indicator row."""
    sheet = ind.source.sheet if ind.source else INDICATOR_SHEET
    ref = ind.cells.get(key, "")
    if not ref and ind.source is not None and ind.source.cell:
        ref = _sibling_ref(sheet, ind.source.cell, "level3", key)
    return sheet, ref, _header(sheet, key)


def _where(card: Scorecard) -> str:
    return f"项目“{card.name}”" if card.project is not None else "部门整体"


def _indicator_findings(card: Scorecard, r: IndicatorResult) -> Iterator[Finding]:
    ind, score = r.indicator, r.score
    label = f"{_where(card)}的指标“{ind.level3}”"
    if ind.actual is None or not ind.actual.raw.strip():
        sheet, cell, header = _indicator_cell(ind, "actual")
        yield F.make(
            "missing-actual", sheet, cell, header, "",
            f"{label}没有填写实际完成值，无法评分",
            "填写实际完成值（数字带单位、完成时间，或“达成年度指标”等评价档次）",
        )  # fmt: skip
    elif score.status is Status.UNSCORABLE and ind.user_score is None:
        sheet, cell, header = _indicator_cell(ind, "actual")
        yield F.make(
            "cannot-score", sheet, cell, header, ind.actual.raw,
            f"{label}：{explain(score)}",
            "改写实际完成值使其能与年度指标值比较，或在“得分”列填写人工评分",
        )  # fmt: skip
    elif not r.met and not ind.reason.strip():
        sheet, cell, header = _indicator_cell(ind, "reason")
        yield F.make(
            "missing-reason", sheet, cell, header, ind.actual.raw,
            f"{label}未完成（年度指标值 {ind.target.raw}，实际完成 {ind.actual.raw}，"
            f"得分 {_num(round_score(score.score))}/{_num(score.weight)}），缺少偏差原因分析",
            "在“偏差原因分析及改进措施”列说明未完成的原因和改进措施",
        )  # fmt: skip
    elif r.exceeded and score.needs_reason and not ind.reason.strip():
        sheet, cell, header = _indicator_cell(ind, "reason")
        detail = "；".join(notes_of(score)) or explain(score)
        yield F.make(
            "over-achievement-reason", sheet, cell, header, ind.actual.raw,
            f"{label}大幅超额完成：{detail}",
            "在“偏差原因分析及改进措施”列分析超额原因（年度指标是否设定偏低）",
        )  # fmt: skip
    yield from _adjustment_findings(r.points, label, _indicator_cell(ind, "score"),
                                    _indicator_cell(ind, "score_reason") if "score_reason" in ind.cells else None)


def _adjustment_findings(points: Points, label: str, score_at: tuple[str, str, str],
                         reason_at: tuple[str, str, str] | None) -> Iterator[Finding]:
    """A typed score the rule does not allow: shown with its reason (警告), or refused without one.

    ``reason_at`` is the 评分理由 cell (None when the workbook has no such column: then the
    finding points at the typed score).
    """
    if not points.adjusted or points.typed is None:
        return
    rule = points.rule
    allowed = _num(round_score(rule.allowed_min))
    if rule.allowed_max != rule.allowed_min:
        allowed += f"–{_num(round_score(rule.allowed_max))}"
    what = (f"{label}的人工得分 {_num(points.typed)} 分与规则得分不符（规则允许 {allowed} 分："
            f"{explain(rule)}）")
    if points.reason:
        sheet, cell, header = score_at
        yield F.make("score-override-range", sheet, cell, header, _num(points.typed),
                     f"{what}；评分理由：{points.reason}",
                     "自评表和报告将同时列出规则得分、人工得分和理由；如无特殊理由请清空得分，由工具计算")
        return
    sheet, cell, header = reason_at or score_at
    yield F.make("score-override-reason", sheet, cell, header, _num(points.typed),
                 f"{what}，但没有填写评分理由",
                 "在“评分理由”中说明为什么不按规则计分，或清空得分由工具计算")


def _project_ref(card: Scorecard, key: str) -> tuple[str, str, str]:
    p = card.project
    assert p is not None
    ref = p.cells.get(key, "")
    if not ref and p.source is not None and p.source.cell:
        ref = _sibling_ref(PROJECT_SHEET, p.source.cell, "name", key)
    return PROJECT_SHEET, ref, _header(PROJECT_SHEET, key)


def _fund_ref(card: Scorecard, line: FundLine, key: str) -> tuple[str, str, str]:
    """Where the user typed column ``key`` of ``line``."""
    if card.project is not None:
        project_keys = {
            (TOTAL_FUND_ROW, "initial"): "initial",
            (TOTAL_FUND_ROW, "budget"): "budget",
            (TOTAL_FUND_ROW, "executed"): "executed",
            (CARRYOVER_FUND_ROW, "budget"): "carry_budget",
            (CARRYOVER_FUND_ROW, "executed"): "carry_executed",
            (OTHER_FUND_ROW, "budget"): "other_budget",
            (OTHER_FUND_ROW, "executed"): "other_executed",
        }
        return _project_ref(card, project_keys.get((line.name, key), key))
    return FUNDS_SHEET, line.cell(key), _header(FUNDS_SHEET, key)


def _fund_findings(card: Scorecard, unit: str) -> Iterator[Finding]:
    where = _where(card)
    total = card.total_fund
    if card.rate is not None and card.rate > 1 and total.executed is not None and total.budget is not None:
        if card.project is not None:
            sheet, cell, header = _project_ref(card, "executed")
        else:
            sheet, cell, header = FUNDS_SHEET, _first_cell(card, "executed"), "全年执行数"
        yield F.make(
            "execution-above-100", sheet, cell, header, _num(total.executed),
            f"{where}预算执行率 {_num(round_score(card.rate * HUNDRED))}% 超过 100%"
            f"（全年执行数 {_num(total.executed)} {unit} > 全年预算数 {_num(total.budget)} {unit}），"
            "执行率得分按满分计",
            "核对全年执行数和全年预算数（调整后预算）",
        )  # fmt: skip
    for line in card.funds:
        if line.initial is not None and line.budget is not None and line.initial > line.budget:
            sheet, cell, header = _fund_ref(card, line, "initial")
            yield F.make(
                "initial-over-annual", sheet, cell, header, _num(line.initial),
                f"{where}{line.name}年初预算数 {_num(line.initial)} {unit}大于全年预算数 "
                f"{_num(line.budget)} {unit}",
                "全年预算数应为调整后的预算；预算调减时请确认填写无误",
            )  # fmt: skip
        if line.name == TOTAL_FUND_ROW or line.budget is None or line.executed is None:
            continue  # the total row is covered by execution-above-100; blanks by validate.selfeval
        if line.budget < 0 or line.executed < 0 or (line.initial is not None and line.initial < 0):
            sheet, cell, header = _project_ref(card, "budget") if card.project else (
                FUNDS_SHEET, line.cell("budget"), _header(FUNDS_SHEET, "budget"))
            yield F.make(
                "project-budget-sum", sheet, cell, header, _num(line.budget),
                f"{where}的上年结转资金与其他资金之和超过年度资金总额，"
                f"推算出的{line.name}为负数（预算 {_num(line.budget)}，执行 {_num(line.executed)}）",
                "“其中上年结转/其他资金”是年初预算数、全年预算数、全年执行数的组成部分，请核对",
            )  # fmt: skip
        elif line.executed > line.budget:
            sheet, cell, header = _fund_ref(card, line, "executed")
            yield F.make(
                "executed-over-budget", sheet, cell, header, _num(line.executed),
                f"{where}{line.name}全年执行数 {_num(line.executed)} {unit}大于全年预算数 "
                f"{_num(line.budget)} {unit}",
                "核对执行数，或按调整后预算填写全年预算数",
            )  # fmt: skip


def _first_cell(card: Scorecard, key: str) -> str:
    """The first 收支情况 cell of column ``key`` that holds a figure (the department's rows)."""
    for line in card.funds[1:]:
        if getattr(line, key) is not None and line.cell(key):
            return line.cell(key)
    return card.funds[1].cell(key)


def _execution_override_findings(card: Scorecard, info_cells: dict[str, str]) -> Iterator[Finding]:
    points = card.execution
    total = card.total_fund
    if total.budget is None or total.executed is None:
        return  # blank amounts: reported by validate.selfeval at the blank cells
    if points.rule.status is Status.UNSCORABLE and points.typed is None:
        if card.project is not None:
            sheet, cell, header = _project_ref(card, "budget")
        else:
            sheet, cell, header = FUNDS_SHEET, _first_cell(card, "budget"), "全年预算数"
        yield F.make(
            "cannot-score", sheet, cell, header, _num(total.budget),
            f"{_where(card)}：{explain(points.rule)}",
            "填写全年预算数（调整后预算），或在“执行率得分”填写人工评分",
        )  # fmt: skip
        return
    if card.project is not None:
        score_at = _project_ref(card, "exec_score")
        reason_at = _project_ref(card, "exec_score_reason") if "exec_score_reason" in card.project.cells else None
    else:
        score_at = (INFO_SHEET, info_cells.get("exec_score", ""), _header(INFO_SHEET, "exec_score"))
        reason_at = ((INFO_SHEET, info_cells["exec_score_reason"], _header(INFO_SHEET, "exec_score_reason"))
                     if "exec_score_reason" in info_cells else None)
    yield from _adjustment_findings(points, f"{_where(card)}预算执行率", score_at, reason_at)


def _weight_findings(card: Scorecard, rules: ScoringRules, info_cells: dict[str, str]) -> Iterator[Finding]:
    levels = card.level_weights()
    first_of: dict[str, Indicator] = {}
    for r in card.indicators:
        first_of.setdefault(r.indicator.level1, r.indicator)
    for level, expected in rules.default_weights.items():
        actual = levels.get(level)
        if actual is None or actual == expected:
            continue
        first = first_of.get(level)
        if first is not None:
            sheet, cell, header = _indicator_cell(first, "weight")
        elif card.project is not None:
            sheet, cell, header = _project_ref(card, "exec_weight")
        else:
            sheet, cell, header = (INFO_SHEET, info_cells.get("exec_weight", ""),
                                   _header(INFO_SHEET, "exec_weight"))
        yield F.make(
            "weights-nonstandard", sheet, cell, header, _num(actual),
            f"{_where(card)}“{level}”分值合计为 {_num(actual)} 分，与通常的 {_num(expected)} 分不同",
            "如本地规定不同可忽略；否则按 产出50/效益30/满意度10/预算执行率10 调整分值",
        )  # fmt: skip
    total = card.max_total
    if card.indicators and total != HUNDRED:
        if card.project is not None:
            sheet, cell, header = _project_ref(card, "name")
        else:
            sheet, cell, header = _indicator_cell(card.indicators[0].indicator, "weight")
        detail = "、".join(f"{k} {_num(v)}" for k, v in levels.items())
        yield F.make(
            "weights-total", sheet, cell, header, _num(total),
            f"{_where(card)}各项分值合计为 {_num(total)} 分（{detail}），不是 100 分",
            "调整各指标分值，使预算执行率与各指标分值合计为 100 分",
        )  # fmt: skip


def _card_findings(card: Scorecard, rules: ScoringRules, info_cells: dict[str, str],
                   unit: str) -> Iterator[Finding]:
    yield from _fund_findings(card, unit)
    yield from _execution_override_findings(card, info_cells)
    for r in card.indicators:
        yield from _indicator_findings(card, r)
    yield from _weight_findings(card, rules, info_cells)


def findings(evaluation: Evaluation) -> list[Finding]:
    """What the evaluation found questionable, each at the cell the user typed.

    Codes: missing-actual, cannot-score (an indicator, or the execution rate of a zero
    budget), missing-reason, over-achievement-reason, score-override-range (a typed 得分 or
    执行率得分 the rule does not allow, with its reason) and score-override-reason (without one),
    weights-nonstandard, weights-total,
    execution-above-100, executed-over-budget, initial-over-annual, and project-budget-sum
    when the 其中 amounts exceed the total. Department first, then projects in order.
    """
    out: list[Finding] = []
    info = evaluation.workbook.info
    for card in (evaluation.department, *evaluation.projects):
        out.extend(_card_findings(card, evaluation.rules, info.cells, info.amount_unit))
    return out
