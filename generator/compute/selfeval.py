"""Self-evaluation computation: every figure of the 绩效自评表 and the 自评报告 (DOMAIN.md §4).

``evaluate`` turns a :class:`~generator.model.SelfEvalWorkbook` into an :class:`Evaluation`:
one :class:`Scorecard` per project (项目支出绩效自评表) and one for the department
(部门整体支出绩效自评表). A scorecard holds the fund block (年度资金总额 and its three sources),
the 预算执行率 and its score, each indicator's score, the total, the grade and the
:class:`Outcome` that chooses the report's completion wording.

All scoring goes through :mod:`generator.compute.scoring` (the one scoring engine); this module only
assembles its inputs, applies the user's overrides and adds up. Nothing is rounded here:
figures stay exact ``Decimal`` and the renderers round for display through
:mod:`generator.compute.money` / :func:`generator.compute.scoring.round_score`.

``findings`` reports what the evaluation found questionable (missing actual values, unmet
indicators without a reason, overrides outside the rule's band, non-standard weights …) at the
cell where the user typed the value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# The private helper is the engine's one definition of "keep the user's score, check it
# against the rule's band and explain both"; the execution-rate override must behave exactly
# like an indicator override, so it is reused rather than re-implemented here.
from generator.compute.scoring import (
    DEFAULT_RULES,
    Score,
    ScoringRules,
    apply_user_score,
    grade,
    round_score,
    score_execution,
    score_indicator,
    summarize,
)
from generator.model import EvalProject, Indicator, SelfEvalWorkbook, Source
from generator.model.indicator_tree import EXECUTION_LEVEL  # the key of the execution weight in the rules
from generator.model.schema import EVAL_FUND_ROWS

__all__ = [
    "BASIC_COMPLETION_RATIO",
    "EXECUTION_LEVEL",
    "TOTAL_FUND_ROW",
    "AreaGroup",
    "Evaluation",
    "FundLine",
    "IndicatorResult",
    "Outcome",
    "Scorecard",
    "Wording",
    "evaluate",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)

TOTAL_FUND_ROW = "年度资金总额"
CURRENT_FUND_ROW, CARRYOVER_FUND_ROW, OTHER_FUND_ROW = EVAL_FUND_ROWS

# Statuses of the scoring engine that mean "the indicator reached its target".
MET_STATUSES: frozenset[str] = frozenset({"超额完成", "全部完成"})

# An evaluation whose unmet indicators still earn at least this share of the indicator
# points is worded 基本完成 (it mirrors the engine's 80% "基本完成"/达成 threshold).
BASIC_COMPLETION_RATIO = Decimal("0.8")

Wording = Literal["超额完成", "全部完成", "基本完成", "未完成", "未设定指标"]



# ---------------------------------------------------------------------------
# Result objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FundLine:
    """One row of the 项目资金（万元）/ 预算资金（万元）block (amounts in 万元, exact)."""

    name: str  # 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Decimal | None  # 年初预算数; None when the workbook does not give it
    budget: Decimal  # 全年预算数
    executed: Decimal  # 全年执行数
    source: Source | None = None
    cells: tuple[tuple[str, str], ...] = ()  # (column key, A1 ref) pairs, for findings

    @property
    def rate(self) -> Decimal | None:
        """执行率 = 全年执行数 / 全年预算数, unrounded (None when there is no budget)."""
        return self.executed / self.budget if self.budget > 0 else None

    def cell(self, key: str) -> str:
        """The A1 reference of column ``key`` of this row ('' when unknown)."""
        return dict(self.cells).get(key, "")


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator with the engine's score (the user's 得分 override already applied)."""

    indicator: Indicator
    score: Score

    @property
    def weight(self) -> Decimal:
        return self.score.weight

    @property
    def met(self) -> bool:
        """Reached its target: status 全部完成/超额完成, or full marks given by the user
        (e.g. a late deadline the evaluators still judged complete)."""
        if self.score.status in MET_STATUSES:
            return True
        return self.weight > 0 and round_score(self.score.score) >= round_score(self.weight)

    @property
    def exceeded(self) -> bool:
        return self.score.status == "超额完成"

    @property
    def overridden(self) -> bool:
        return self.indicator.user_score is not None


@dataclass(frozen=True)
class Outcome:
    """The completion wording of one scorecard, chosen from its indicator results.

    The rule (applied to the performance indicators; the 预算执行率 is reported on its own,
    as the seeds do):

    * no indicator → ``未设定指标``;
    * every indicator met (see :attr:`IndicatorResult.met`) and at least one 超额完成 →
      ``超额完成``; every indicator met, none exceeded → ``全部完成``;
    * otherwise the share ``Σ得分 / Σ分值`` over the indicators decides: at least
      :data:`BASIC_COMPLETION_RATIO` (80%) → ``基本完成`` (minor shortfalls only), else
      ``未完成``. Unmet indicators carry their 偏差原因 into the report.
    """

    wording: Wording
    exceeded: tuple[IndicatorResult, ...]
    unmet: tuple[IndicatorResult, ...]
    ratio: Decimal | None  # Σ indicator scores / Σ indicator weights; None without weights


@dataclass(frozen=True)
class Scorecard:
    """A 项目支出绩效自评表 (``project`` set) or the 部门整体支出绩效自评表 (``project`` None)."""

    name: str  # project name, or the department name
    funds: tuple[FundLine, ...]  # 年度资金总额 first, then 当年财政拨款 / 上年结转资金 / 其他资金
    rate: Decimal | None  # 预算执行率, unrounded, may exceed 1
    execution: Score  # the execution-rate score (user override applied)
    exec_override: Decimal | None  # the 执行率得分 the user typed, if any
    indicators: tuple[IndicatorResult, ...]
    total: Decimal  # execution score + indicator scores (unrounded)
    grade: str  # 优 / 良 / 中 / 差
    grade_word: str  # 优秀 / 良好 / 中 / 差 (report wording)
    outcome: Outcome
    project: EvalProject | None = None
    total_explanation: str = ""
    # True for a department without 整体绩效指标: its total is the mean of the project totals.
    averaged: bool = False

    @property
    def total_fund(self) -> FundLine:
        return self.funds[0]

    @property
    def budget(self) -> Decimal:
        return self.funds[0].budget

    @property
    def executed(self) -> Decimal:
        return self.funds[0].executed

    @property
    def max_total(self) -> Decimal:
        """Σ 分值: the execution weight plus every indicator weight (100 when standard); the
        mean of project totals (``averaged``) is out of 100."""
        if self.averaged:
            return HUNDRED
        return self.execution.weight + sum((r.weight for r in self.indicators), ZERO)

    def level_weights(self) -> dict[str, Decimal]:
        """分值 per 一级指标 (plus 预算执行率), in first-seen order."""
        totals: dict[str, Decimal] = {EXECUTION_LEVEL: self.execution.weight}
        for r in self.indicators:
            level = r.indicator.level1
            totals[level] = totals.get(level, ZERO) + r.weight
        return totals

    def level_scores(self) -> dict[str, Decimal]:
        """得分 per 一级指标 (plus 预算执行率), in first-seen order."""
        totals: dict[str, Decimal] = {EXECUTION_LEVEL: self.execution.score}
        for r in self.indicators:
            level = r.indicator.level1
            totals[level] = totals.get(level, ZERO) + r.score.score
        return totals


@dataclass(frozen=True)
class AreaGroup:
    """Projects of one 所属领域, in workbook order (the report's （一）（二）… groups)."""

    area: str
    projects: tuple[Scorecard, ...]


@dataclass(frozen=True)
class Evaluation:
    """Everything computed from one self-evaluation workbook."""

    workbook: SelfEvalWorkbook
    rules: ScoringRules
    department: Scorecard
    projects: tuple[Scorecard, ...]
    areas: tuple[AreaGroup, ...]
    project_count: int  # 基本信息!项目个数 when given, else the number of project rows

    @property
    def rate(self) -> Decimal | None:
        """The department's 预算执行率 (seed 002: 19837.71876 / 20094.62746)."""
        return self.department.rate


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def evaluate(wb: SelfEvalWorkbook, rules: ScoringRules = DEFAULT_RULES) -> Evaluation:
    """Score every project and the department of ``wb`` (``DEFAULT_RULES`` is ``ScoringRules()``).

    Per project: 当年财政拨款 = 全年预算数 − 上年结转 − 其他资金 (same for 执行数); the
    execution rate is the real executed/budget (above 100% kept, scored at most the weight);
    the user's 执行率得分 / 得分 overrides are kept and checked against the rule's band.
    The department uses the 收支情况 rows (or, when they are all empty, the projects' sums),
    基本信息!执行率分值/执行率得分 and the 整体绩效指标.
    """
    projects = tuple(_project_scorecard(p, rules) for p in wb.projects)
    department = _department_scorecard(wb, projects, rules)
    count = wb.info.project_count if wb.info.project_count is not None else len(projects)
    return Evaluation(wb, rules, department, projects, _group_by_area(projects), count)


def _score_indicators(
    indicators: Sequence[Indicator], rules: ScoringRules
) -> tuple[IndicatorResult, ...]:
    return tuple(
        IndicatorResult(
            ind,
            score_indicator(ind.target, ind.actual, ind.weight or ZERO, rules, ind.user_score,
                            name=ind.level3, levels=(ind.level1, ind.level2)),
        )
        for ind in indicators
    )


def _score_execution(
    budget: Decimal, executed: Decimal, weight: Decimal, user: Decimal | None,
    rules: ScoringRules,
) -> tuple[Decimal | None, Score]:  # fmt: skip
    rate, score = score_execution(budget, executed, weight)
    if user is not None:
        score = apply_user_score(score, user, rules)
    return rate, score


def outcome_of(results: Sequence[IndicatorResult]) -> Outcome:
    """Choose the completion wording (rule in :class:`Outcome`)."""
    exceeded = tuple(r for r in results if r.exceeded)
    unmet = tuple(r for r in results if not r.met)
    weights = sum((r.weight for r in results if r.weight > 0), ZERO)
    scores = sum((r.score.score for r in results if r.weight > 0), ZERO)
    ratio = scores / weights if weights > 0 else None
    wording: Wording
    if not results:
        wording = "未设定指标"
    elif not unmet:
        wording = "超额完成" if exceeded else "全部完成"
    elif ratio is not None and ratio >= BASIC_COMPLETION_RATIO:
        wording = "基本完成"
    else:
        wording = "未完成"
    return Outcome(wording, exceeded, unmet, ratio)


def _project_funds(p: EvalProject) -> tuple[FundLine, ...]:
    cells = tuple(p.cells.items())
    total = FundLine(TOTAL_FUND_ROW, p.initial, p.budget, p.executed, p.source, cells)
    current = FundLine(
        CURRENT_FUND_ROW,
        None,
        p.budget - p.carry_budget - p.other_budget,
        p.executed - p.carry_executed - p.other_executed,
        p.source,
        cells,
    )
    carry = FundLine(CARRYOVER_FUND_ROW, None, p.carry_budget, p.carry_executed, p.source, cells)
    other = FundLine(OTHER_FUND_ROW, None, p.other_budget, p.other_executed, p.source, cells)
    return total, current, carry, other


def _project_scorecard(p: EvalProject, rules: ScoringRules) -> Scorecard:
    funds = _project_funds(p)
    rate, execution = _score_execution(p.budget, p.executed, p.exec_weight, p.exec_score, rules)
    results = _score_indicators(p.indicators, rules)
    return _scorecard(p.name, funds, rate, execution, p.exec_score, results, p)


def _scorecard(
    name: str,
    funds: tuple[FundLine, ...],
    rate: Decimal | None,
    execution: Score,
    override: Decimal | None,
    results: tuple[IndicatorResult, ...],
    project: EvalProject | None,
    total: Decimal | None = None,
    explanation: str = "",
) -> Scorecard:
    averaged = total is not None
    if total is None:
        total = execution.score + summarize(r.score for r in results)
        parts = " + ".join(_num(round_score(s.score)) for s in (execution, *(r.score for r in results)))
        explanation = f"总分 = 预算执行率得分 + 各指标得分 = {parts} = {_num(round_score(total))}"
    letter, word = grade(total)
    explanation += f"；≥90 优、≥80 良、≥60 中、其余为差，等级为“{letter}”（{word}）"
    return Scorecard(
        name, funds, rate, execution, override, results, total, letter, word,
        outcome_of(results), project, explanation, averaged,
    )  # fmt: skip


def _department_funds(
    wb: SelfEvalWorkbook, projects: Sequence[Scorecard]
) -> tuple[tuple[FundLine, ...], str]:
    """The department's fund block and a note on where it came from."""
    rows = []
    for name in EVAL_FUND_ROWS:
        fund = wb.funds.get(name)
        if fund is None:
            rows.append(FundLine(name, None, ZERO, ZERO))
            continue
        cells = tuple(fund.cells.items())
        rows.append(FundLine(name, fund.initial, fund.budget, fund.executed, fund.source, cells))
    if all(r.budget == 0 and r.executed == 0 for r in rows) and projects:
        # 收支情况 left empty: the projects are the department's spending (seed 000 states
        # its totals as the sum of its projects), so add them up instead of printing zeros.
        rows = [
            FundLine(name, _sum_optional(p.funds[i + 1].initial for p in projects),
                     sum((p.funds[i + 1].budget for p in projects), ZERO),
                     sum((p.funds[i + 1].executed for p in projects), ZERO))
            for i, name in enumerate(EVAL_FUND_ROWS)
        ]  # fmt: skip
        note = "收支情况未填写，部门资金按各项目合计"
    else:
        note = ""
    initial = _sum_optional(r.initial for r in rows)
    total = FundLine(
        TOTAL_FUND_ROW, initial,
        sum((r.budget for r in rows), ZERO), sum((r.executed for r in rows), ZERO),
    )  # fmt: skip
    return (total, *rows), note


def _department_scorecard(
    wb: SelfEvalWorkbook, projects: tuple[Scorecard, ...], rules: ScoringRules
) -> Scorecard:
    funds, note = _department_funds(wb, projects)
    info = wb.info
    rate, execution = _score_execution(
        funds[0].budget, funds[0].executed, info.exec_weight, info.exec_score, rules
    )
    if note:
        execution = dataclasses.replace(execution, explanation=f"{note}；{execution.explanation}")
    results = _score_indicators(wb.dept_indicators, rules)
    if results or not projects:
        return _scorecard(info.dept_name, funds, rate, execution, info.exec_score, results, None)
    # Without 整体绩效指标 the department has no indicators of its own; its total is then
    # the plain mean of the project totals (stated in the explanation, never silent).
    total = summarize(_as_score(p.total) for p in projects) / len(projects)
    explanation = (
        "未填写整体绩效指标，部门总分取各项目总分的平均值 = "
        f"({' + '.join(_num(round_score(p.total)) for p in projects)}) / {len(projects)}"
        f" = {_num(round_score(total))}"
    )
    return _scorecard(
        info.dept_name, funds, rate, execution, info.exec_score, results, None, total, explanation
    )


def _as_score(value: Decimal) -> Score:
    return Score(value, value, "全部完成", "", value, value, False)


def _sum_optional(values: Iterator[Decimal | None]) -> Decimal | None:
    """Sum of the given values, None when none is given."""
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def _group_by_area(projects: Sequence[Scorecard]) -> tuple[AreaGroup, ...]:
    groups: dict[str, list[Scorecard]] = {}
    for card in projects:
        area = card.project.area.strip() if card.project else ""
        groups.setdefault(area, []).append(card)
    return tuple(AreaGroup(area, tuple(cards)) for area, cards in groups.items())


def _num(value: Decimal) -> str:
    """A number without exponent or trailing zeros (for explanations)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
