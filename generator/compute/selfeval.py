"""Self-evaluation scoring: every score of the 绩效自评表 (DOMAIN.md §4), as facts.

``evaluate`` turns a :class:`~generator.model.SelfEvalWorkbook` into an :class:`Evaluation`:
one :class:`Scorecard` per project (项目支出绩效自评表) and one for the department
(部门整体支出绩效自评表). A scorecard holds the fund block (年度资金总额 and its three sources),
the 预算执行率 and its score, each indicator's score, the total, the grade and the
:class:`Outcome` that the report templates word (超额完成 / 全部完成 / 基本完成 / 未完成).

All scoring goes through :mod:`generator.compute.scoring` (the one scoring engine); this module
assembles its inputs, keeps the rule's score beside a hand-typed one, and adds up. Two choices
make every printed figure honest:

* a blank amount stays ``None`` (never 0): a fund line without 全年执行数 has no rate and no score;
* a total is the sum of the scores *as shown* (each rounded to 2 decimals first), so the 总分 of
  a form always equals the sum of the scores printed beside it.

Findings about the scores (missing actuals, overrides without a reason …) are made by
``validate.scores`` from these facts; the words of the documents by the templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from generator.compute.money import Rate, rate
from generator.compute.scoring import (
    DEFAULT_RULES,
    OUTCOME_UNSET,
    Score,
    ScoringRules,
    Status,
    apply_user_score,
    grade,
    round_score,
    score_execution,
    score_indicator,
)
from generator.model import EvalProject, Indicator, SelfEvalWorkbook, Source
from generator.model.indicator_tree import EXECUTION_LEVEL  # the key of the execution weight in the rules
from generator.model.schema import EVAL_FUND_ROWS

__all__ = [
    "BASIC_COMPLETION_RATIO",
    "CARRYOVER_FUND_ROW",
    "CURRENT_FUND_ROW",
    "EXECUTION_LEVEL",
    "OTHER_FUND_ROW",
    "TOTAL_FUND_ROW",
    "Evaluation",
    "FundLine",
    "IndicatorResult",
    "Outcome",
    "Points",
    "Scorecard",
    "Wording",
    "evaluate",
    "outcome_of",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)

TOTAL_FUND_ROW = "年度资金总额"
CURRENT_FUND_ROW, CARRYOVER_FUND_ROW, OTHER_FUND_ROW = EVAL_FUND_ROWS

# The completion choices the templates word (超额完成 / 全部完成 / 基本完成 / 未完成 / 未设定指标): the
# engine's status words and the word for a form without indicators (compute/scoring.toml), a str
# each, so a template compares them with the words it prints.
Wording = StrEnum(
    "Wording",
    [
        ("EXCEEDED", Status.EXCEEDED.value),
        ("COMPLETE", Status.COMPLETE.value),
        ("BASIC", Status.BASIC.value),
        ("INCOMPLETE", Status.INCOMPLETE.value),
        ("UNSET", OUTCOME_UNSET),
    ],
    module=__name__,
)
EXCEEDED: Final = Wording.EXCEEDED
COMPLETE: Final = Wording.COMPLETE
BASIC: Final = Wording.BASIC
INCOMPLETE: Final = Wording.INCOMPLETE
UNSET: Final = Wording.UNSET
UNSCORABLE: Final = Status.UNSCORABLE  # the engine's status of what it cannot score

# Statuses of the scoring engine that mean "the indicator reached its target".
MET_STATUSES: frozenset[str] = frozenset({Status.EXCEEDED, Status.COMPLETE})

# An evaluation whose unmet indicators still earn at least this share of the indicator
# points is worded 基本完成 (it mirrors the engine's 80% "基本完成"/达成 threshold).
BASIC_COMPLETION_RATIO = Decimal("0.8")


# ---------------------------------------------------------------------------
# Result objects
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FundLine:
    """One row of the fund block; a blank amount is ``None`` (exact amounts, workbook unit)."""

    name: str  # 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Decimal | None  # 年初预算数
    budget: Decimal | None  # 全年预算数
    executed: Decimal | None  # 全年执行数
    source: Source | None = None
    cells: tuple[tuple[str, str], ...] = ()  # (column key, A1 ref) pairs, for findings

    @property
    def rate(self) -> Rate | None:
        """执行率 = 全年执行数 / 全年预算数, unrounded (None without both or with no budget)."""
        if self.budget is None or self.executed is None or self.budget <= 0:
            return None
        return rate(self.executed, self.budget)

    @property
    def blank(self) -> bool:
        return self.initial is None and self.budget is None and self.executed is None

    def cell(self, key: str) -> str:
        """The A1 reference of column ``key`` of this row ('' when unknown)."""
        return dict(self.cells).get(key, "")


@dataclass(frozen=True)
class Points:
    """A score as the documents show it: the rule's, the one typed, and which one counts.

    ``score`` is what the form prints and adds up (2 decimals). A typed score inside the rule's
    allowed range (a qualitative band, a late deadline) is the evaluators' legitimate choice;
    outside it, it is an *adjustment* that needs ``reason`` and is printed next to the rule's.
    """

    weight: Decimal
    score: Decimal  # shown and counted: rounded to 2 decimals
    rule: Score  # the engine's result without the user's score
    used: Score  # the engine's result with the user's score applied (explanation, status)
    typed: Decimal | None = None
    reason: str = ""

    @property
    def rule_score(self) -> Decimal:
        return round_score(self.rule.score)

    @property
    def adjusted(self) -> bool:
        """A typed score the rule does not allow (needs a reason, shown beside the rule's)."""
        return self.typed is not None and not self.rule.is_allowed(self.typed)

    @property
    def status(self) -> str:
        return self.used.status


def _points(rule: Score, typed: Decimal | None, reason: str, rules: ScoringRules) -> Points:
    used = rule if typed is None else apply_user_score(rule, typed, rules)
    return Points(rule.weight, round_score(used.score), rule, used, typed, reason.strip())


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator with its points (the user's 得分 kept beside the rule's)."""

    indicator: Indicator
    points: Points

    @property
    def score(self) -> Score:
        """The engine's result as used (with the user's score applied)."""
        return self.points.used

    @property
    def weight(self) -> Decimal:
        return self.points.weight

    @property
    def met(self) -> bool:
        """Reached its target: status 全部完成/超额完成, or full marks given by the user
        (e.g. a late deadline the evaluators still judged complete)."""
        if self.score.status in MET_STATUSES:
            return True
        return self.weight > 0 and self.points.score >= round_score(self.weight)

    @property
    def exceeded(self) -> bool:
        return self.score.status == EXCEEDED


@dataclass(frozen=True)
class Outcome:
    """The completion of one scorecard's indicators, a choice the report templates word.

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
    execution: Points  # the 预算执行率's points
    indicators: tuple[IndicatorResult, ...]
    total: Decimal  # Σ shown scores (or the mean of the project totals, see ``averaged``)
    grade: str  # 优 / 良 / 中 / 差
    grade_word: str  # 优秀 / 良好 / 中 / 差 (report wording)
    outcome: Outcome
    project: EvalProject | None = None
    # True for a department without 整体绩效指标: its total is the mean of the project totals.
    averaged: bool = False
    parts: tuple[Decimal, ...] = ()  # what the total is made of (scores, or project totals)

    @property
    def total_fund(self) -> FundLine:
        return self.funds[0]

    @property
    def rate(self) -> Rate | None:
        """预算执行率, unrounded, may exceed 1 (None when the funds cannot give one)."""
        return self.funds[0].rate

    @property
    def budget(self) -> Decimal | None:
        return self.funds[0].budget

    @property
    def executed(self) -> Decimal | None:
        return self.funds[0].executed

    @property
    def indicator_score(self) -> Decimal:
        """Σ shown indicator scores."""
        return sum((r.points.score for r in self.indicators), ZERO)

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


@dataclass(frozen=True)
class Evaluation:
    """Everything scored from one self-evaluation workbook."""

    workbook: SelfEvalWorkbook
    rules: ScoringRules
    department: Scorecard
    projects: tuple[Scorecard, ...]
    project_count: int  # 基本信息!项目个数 when given, else the number of project rows

    @property
    def rate(self) -> Rate | None:
        """The department's 预算执行率 (seed 002: 19837.71876 / 20094.62746)."""
        return self.department.rate


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def evaluate(wb: SelfEvalWorkbook, rules: ScoringRules = DEFAULT_RULES) -> Evaluation:
    """Score every project and the department of ``wb`` (``DEFAULT_RULES`` is ``ScoringRules()``).

    Per project: 当年财政拨款 = 年度资金总额 − 上年结转 − 其他资金 (for 年初预算数, 全年预算数 and
    全年执行数; a blank part is 0, as the schema documents); the execution rate is the real
    executed/budget (above 100% kept, scored at most the weight). The department uses the
    收支情况 rows as typed (年度资金总额 = their sum), 基本信息!执行率分值/执行率得分 and the
    整体绩效指标.
    """
    projects = tuple(_project_scorecard(p, rules) for p in wb.projects)
    department = _department_scorecard(wb, projects, rules)
    count = wb.info.project_count if wb.info.project_count is not None else len(projects)
    return Evaluation(wb, rules, department, projects, count)


def _score_indicators(indicators: Sequence[Indicator], rules: ScoringRules) -> tuple[IndicatorResult, ...]:
    out = []
    for ind in indicators:
        weight = ind.weight if ind.weight is not None else ZERO
        name, levels = ind.level3, (ind.level1, ind.level2)  # a direction the target leaves unsaid
        rule = score_indicator(ind.target, ind.actual, weight, rules, name=name, levels=levels)
        # With the user's score the engine also chooses the status (a late deadline scored > 0
        # is 部分完成), so the used result comes from the engine too, not from ``rule``.
        used = rule if ind.user_score is None else score_indicator(
            ind.target, ind.actual, weight, rules, ind.user_score, name=name, levels=levels)
        points = Points(weight, round_score(used.score), rule, used, ind.user_score, ind.score_reason.strip())
        out.append(IndicatorResult(ind, points))
    return tuple(out)


def _execution_points(line: FundLine, weight: Decimal, typed: Decimal | None, reason: str,
                      rules: ScoringRules) -> Points:
    if line.budget is None or line.executed is None:
        # Not filled: nothing to score (validation refuses the workbook at the blank cell).
        _, blank = score_execution(None, None, weight)
        return Points(weight, ZERO, blank, blank, typed, reason.strip())
    _, rule = score_execution(line.budget, line.executed, weight)
    return _points(rule, typed, reason, rules)


def outcome_of(results: Sequence[IndicatorResult]) -> Outcome:
    """Choose the completion wording (rule in :class:`Outcome`)."""
    exceeded = tuple(r for r in results if r.exceeded)
    unmet = tuple(r for r in results if not r.met)
    weights = sum((r.weight for r in results if r.weight > 0), ZERO)
    scores = sum((r.points.score for r in results if r.weight > 0), ZERO)
    ratio = scores / weights if weights > 0 else None
    wording: Wording
    if not results:
        wording = UNSET
    elif not unmet:
        wording = EXCEEDED if exceeded else COMPLETE
    elif ratio is not None and ratio >= BASIC_COMPLETION_RATIO:
        wording = BASIC
    else:
        wording = INCOMPLETE
    return Outcome(wording, exceeded, unmet, ratio)


def _minus(total: Decimal | None, *parts: Decimal | None) -> Decimal | None:
    """``total`` less the parts (a blank part is 0, as documented); None when ``total`` is blank."""
    if total is None:
        return None
    return total - sum((p for p in parts if p is not None), ZERO)


def _project_funds(p: EvalProject) -> tuple[FundLine, ...]:
    cells = tuple(p.cells.items())

    def part(value: Decimal | None) -> Decimal | None:
        # A part is printed as 0 only where its total is given (blank part = 0, documented).
        return value if value is not None else ZERO

    total = FundLine(TOTAL_FUND_ROW, p.initial, p.budget, p.executed, p.source, cells)
    current = FundLine(
        CURRENT_FUND_ROW,
        _minus(p.initial, p.carry_initial, p.other_initial),
        _minus(p.budget, p.carry_budget, p.other_budget),
        _minus(p.executed, p.carry_executed, p.other_executed),
        p.source, cells,
    )  # fmt: skip
    carry = FundLine(
        CARRYOVER_FUND_ROW,
        None if p.initial is None else part(p.carry_initial),
        None if p.budget is None else part(p.carry_budget),
        None if p.executed is None else part(p.carry_executed),
        p.source, cells,
    )  # fmt: skip
    other = FundLine(
        OTHER_FUND_ROW,
        None if p.initial is None else part(p.other_initial),
        None if p.budget is None else part(p.other_budget),
        None if p.executed is None else part(p.other_executed),
        p.source, cells,
    )  # fmt: skip
    return total, current, carry, other


def _project_scorecard(p: EvalProject, rules: ScoringRules) -> Scorecard:
    funds = _project_funds(p)
    execution = _execution_points(funds[0], p.exec_weight, p.exec_score, p.exec_score_reason, rules)
    return _scorecard(p.name, funds, execution, _score_indicators(p.indicators, rules), p)


def _scorecard(name: str, funds: tuple[FundLine, ...], execution: Points,
               results: tuple[IndicatorResult, ...], project: EvalProject | None) -> Scorecard:
    parts = (execution.score, *(r.points.score for r in results))
    total = sum(parts, ZERO)
    letter, word = grade(total)
    return Scorecard(name, funds, execution, results, total, letter, word, outcome_of(results),
                     project, False, parts)


def _sum_given(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the given values, None when none is given (blank is not zero)."""
    given = [v for v in values if v is not None]
    return sum(given, ZERO) if given else None


def _department_funds(wb: SelfEvalWorkbook) -> tuple[FundLine, ...]:
    rows = []
    for name in EVAL_FUND_ROWS:
        fund = wb.funds.get(name)
        if fund is None:
            rows.append(FundLine(name, None, None, None))
            continue
        cells = tuple(fund.cells.items())
        rows.append(FundLine(name, fund.initial, fund.budget, fund.executed, fund.source, cells))
    total = FundLine(
        TOTAL_FUND_ROW,
        _sum_given(r.initial for r in rows),
        _sum_given(r.budget for r in rows),
        _sum_given(r.executed for r in rows),
    )  # fmt: skip
    return (total, *rows)


def _department_scorecard(wb: SelfEvalWorkbook, projects: tuple[Scorecard, ...],
                          rules: ScoringRules) -> Scorecard:
    funds = _department_funds(wb)
    info = wb.info
    execution = _execution_points(funds[0], info.exec_weight, info.exec_score, info.exec_score_reason, rules)
    results = _score_indicators(wb.dept_indicators, rules)
    card = _scorecard(info.dept_name, funds, execution, results, None)
    if results or not projects:
        return card
    # Without 整体绩效指标 the department has no indicators of its own; its total is then the
    # mean of the project totals as shown (stated on the form, never silent).
    totals = tuple(p.total for p in projects)
    mean = round_score(sum(totals, ZERO) / len(totals))
    letter, word = grade(mean)
    return Scorecard(card.name, funds, execution, results, mean, letter, word, card.outcome,
                     None, True, totals)
