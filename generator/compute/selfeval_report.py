"""The self-evaluation documents' model: every fact the reports and the 自评表 print, computed once.

``build_report(workbook, evaluation)`` returns a frozen :class:`SelfEvalReport`. The Word
templates (整体支出绩效自评报告, 绩效自评工作报告, 项目支出绩效自评报告) are rendered with its fields
and the 自评表 workbook is laid out from the same :class:`Form` objects, so a figure can never
differ between the two. Nothing here is wording: the sentences are in the templates, which word
the facts and choices given here (``outcome`` is 超额完成 / 全部完成 / 基本完成 / 未完成 / 未设定指标,
``target.sign`` is ≥ ≤ …, blank figures are ``None`` and print nothing).

Every field carries a Chinese attribute docstring: ``docs/template-fields.md`` is generated from
them, so a person editing a template can look up what ``{{ dept.total }}`` means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.compute.money import Rate
from generator.compute.scoring import Explanation
from generator.compute.selfeval import (
    BASIC,
    COMPLETE,
    EXCEEDED,
    EXECUTION_LEVEL,
    INCOMPLETE,
    UNSCORABLE,
    UNSET,
    Evaluation,
    FundLine,
    IndicatorResult,
    Points,
    Scorecard,
)
from generator.model import DeptGoal, SelfEvalWorkbook
from generator.model.items import split_items
from generator.model.schema import SELF_EVAL_DEPT_STYLE, SELF_EVAL_PROJECT_STYLE
from generator.model.values import IndicatorValue, value_phrase

__all__ = [
    "Adjustment",
    "Area",
    "Completion",
    "Evaluator",
    "Fund",
    "Form",
    "Goal",
    "IndicatorLine",
    "Mark",
    "Quality",
    "SelfEvalReport",
    "Shortfall",
    "Target",
    "build_report",
    "shown_actual",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_SENTENCE_END = "。；;！!？?…"
_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
_YES_NO = frozenset({"是", "否", "有", "无"})
# Actual results typed as a conclusion ("达成年度指标", "已完成", "未开展") rather than a figure.
_VERDICT_PREFIXES = ("达成", "部分达成", "未达成", "已", "未")
# How a department names itself: the last word of its name (科学技术局 → 我局).
_ORG_WORDS = ("中心", "局", "委", "办", "院", "会", "厅", "处", "所")
_DEFAULT_ORG_WORD = "单位"
# A typed restatement of a project's funding ("资金预算金额80.28万元，实际拨付60.36万元，实际拨付率
# 75.3%。"): the report states these figures computed from the amounts, so a typed copy would
# repeat them (and may disagree, as seed 000's 75.3% does).
_FUNDING_SENTENCE = re.compile(
    r"^资金(?:预算)?(?:金额)?\s*[\d.]{1,20}\s*万?元[，,]\s*(?:实际拨付|支出)\s*[\d.]{1,20}\s*万?元"
    r"(?:[，,]\s*(?:实际)?拨付率\s*[\d.]{1,20}\s*%)?[。；;]?"
)
_AREA_SUFFIX = "方面"
PROJECT_SCOPE, DEPT_SCOPE = "项目", "部门整体"  # Form.scope


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """年度指标值。"""

    text: str
    """年度指标值，照填写（如 ≥30单、9月前、显著）"""
    sign: str
    """数量指标的比较符号：≥、>、≤、<、=；时限、定性和文字指标为空"""
    figure: str
    """数量指标的数值和单位（如 30单）；非数量指标为空"""


@dataclass(frozen=True)
class Mark:
    """一个得分：规则得分、人工填写的得分，以及采用哪一个。"""

    weight: Decimal
    """分值"""
    score: Decimal
    """得分：自评表列出并计入总分的得分（两位小数）"""
    rule: Decimal
    """按评分规则计算的得分（两位小数）"""
    typed: Decimal | None
    """人工填写的得分；未填写为空"""
    reason: str
    """人工得分的评分理由（句末不带句号）"""
    adjusted: bool
    """人工得分超出评分规则允许的范围（须有评分理由，文件同时列出规则得分、人工得分和理由）"""
    status: str
    """完成情况：超额完成、全部完成、基本完成、部分完成、未完成、无法评分"""
    explanation: Explanation
    """计分说明（公式和数据）：自评表“评分说明”和得分批注按 自评表.toml [score] 中该句的措辞写出"""
    notes: tuple[Explanation, ...]
    """评分提示（如超额幅度、单位换算），措辞同样在 自评表.toml [score] 中"""


@dataclass(frozen=True)
class IndicatorLine:
    """自评表的一行绩效指标。"""

    level1: str
    """一级指标"""
    level2: str
    """二级指标"""
    name: str
    """三级指标名称"""
    description: str
    """绩效指标描述"""
    target: Target
    """年度指标值"""
    actual: str
    """实际完成值，带单位（如 32家；只填数字时补上年度指标值的单位）"""
    figure: bool
    """实际完成值是数值或完成时间（报告写“实际完成32家”）"""
    verdict: bool
    """实际完成值是结论性文字，如“达成年度指标”“已完成”“未开展”（报告写“实际达成年度指标”）"""
    yes_no: bool
    """年度指标值为是、否、有、无（报告写：预期目标为“是”，实际为“是”）"""
    mark: Mark
    """分值、得分及其来由"""
    met: bool
    """达到年度指标值"""
    exceeded: bool
    """超额完成"""
    deviation: str
    """偏差原因分析及改进措施（以句号结尾）；未填写为空"""
    level1_rows: int
    """自评表中一级指标单元格合并的行数：同一一级指标的第一行为该组行数，其余行为 0"""
    level2_rows: int
    """自评表中二级指标单元格合并的行数（在一级指标组内）：组的第一行为行数，其余行为 0"""
    group_end: bool
    """该行是一级指标组的最后一行（表格不在组内分页：组内其余各行与下一行同页）"""


@dataclass(frozen=True)
class Fund:
    """资金表的一行。"""

    name: str
    """资金来源：年度资金总额、当年财政拨款、上年结转资金、其他资金"""
    initial: Decimal | None
    """年初预算数；未填写为空"""
    budget: Decimal | None
    """全年预算数；未填写为空"""
    executed: Decimal | None
    """全年执行数；未填写为空"""
    rate: Rate | None
    """执行率 = 全年执行数 ÷ 全年预算数；无法计算时为空"""


@dataclass(frozen=True)
class Adjustment:
    """人工调整的得分。"""

    name: str
    """调整的项目：预算执行率或三级指标名称"""
    mark: Mark
    """规则得分、人工得分和评分理由"""


@dataclass(frozen=True)
class Form:
    """一张自评表：项目支出绩效自评表，或部门整体支出绩效自评表。"""

    scope: str
    """范围：项目 或 部门整体"""
    no: int
    """序号：项目在“项目”表中的顺序；部门整体为 0"""
    name: str
    """项目名称；部门整体自评表为部门名称"""
    supervisor: str
    """主管部门"""
    unit: str
    """实施单位"""
    area: str
    """所属领域（不带“方面”）；未填写为空"""
    fund: Fund
    """年度资金总额（资金表的第一行）"""
    funds: tuple[Fund, ...]
    """资金表：年度资金总额，其中当年财政拨款、上年结转资金、其他资金"""
    execution: Mark
    """预算执行率的分值和得分"""
    goals: tuple[str, ...]
    """年度总体目标（预期目标），每条一项"""
    results: tuple[str, ...]
    """年度总体目标实际完成情况，每条一项"""
    narrative: tuple[str, ...]
    """报告中项目段落末尾的文字：实际完成情况（不含重复的资金句）和补充说明，每句一项"""
    indicators: tuple[IndicatorLine, ...]
    """绩效指标"""
    indicator_score: Decimal
    """各绩效指标得分合计"""
    parts: tuple[Decimal, ...]
    """总分的组成：预算执行率得分和各指标得分（部门取平均时为各项目总分）"""
    total: Decimal
    """总分：等于旁边列出的各项得分之和（部门未填整体绩效指标时为各项目总分的平均值）"""
    max_total: Decimal
    """满分：各项分值合计（通常为 100）"""
    averaged: bool
    """部门未填写整体绩效指标，总分取各项目总分的平均值"""
    grade: str
    """等级：优、良、中、差"""
    grade_word: str
    """等级的报告用语：优秀、良好、中、差"""
    outcome: str
    """绩效目标完成情况：超额完成、全部完成、基本完成、未完成、未设定指标"""
    exceeded: tuple[str, ...]
    """超额完成的指标名称"""
    unmet: tuple[IndicatorLine, ...]
    """未达到年度指标值的指标"""
    adjusted: tuple[Adjustment, ...]
    """人工调整的得分（超出规则允许范围，附理由）"""

    @property
    def is_project(self) -> bool:
        return self.scope == PROJECT_SCOPE


@dataclass(frozen=True)
class Goal:
    """部门整体绩效目标的一条。"""

    name: str
    """分项目标的名称；总体目标为空"""
    text: str
    """目标内容（以句号结尾）"""


@dataclass(frozen=True)
class Area:
    """按所属领域分组的项目（报告中“（一）××方面”）。"""

    no: int
    """组序号，从 1 开始"""
    name: str
    """领域名称（不带“方面”）；未填写领域的项目为空"""
    projects: tuple[Form, ...]
    """该领域的项目，按工作簿顺序"""


@dataclass(frozen=True)
class Shortfall:
    """完成情况相同的一组项目（基本完成、未完成或未设定指标）。"""

    outcome: str
    """完成情况：基本完成、未完成、未设定指标"""
    names: tuple[str, ...]
    """项目名称"""


@dataclass(frozen=True)
class Completion:
    """各项目绩效目标完成情况的统计。"""

    count: int
    """评价的项目个数"""
    done: int
    """绩效目标全部完成（含超额完成）的项目个数"""
    exceeded: int
    """超额完成的项目个数"""
    others: tuple[Shortfall, ...]
    """其余项目按完成情况分组：基本完成、未完成、未设定指标（没有的组不列）"""


@dataclass(frozen=True)
class Quality:
    """绩效目标设定质量的事实。"""

    indicators: int
    """设定的绩效指标个数（部门整体和各项目）"""
    unscorable: tuple[str, ...]
    """年度指标值与实际完成值无法直接比较的指标名称"""
    nonstandard: int
    """分值合计不是 100 分的自评表张数"""


@dataclass(frozen=True)
class Evaluator:
    """评价工作组的一名成员。"""

    name: str
    """姓名"""
    org: str
    """工作单位"""
    post: str
    """职务"""
    title: str
    """职称"""


@dataclass(frozen=True)
class SelfEvalReport:
    """一份绩效自评的全部文件内容：自评报告、工作报告和自评表共用。"""

    style: str
    """文件样式：整体支出绩效自评 或 项目支出绩效自评"""
    dept_name: str
    """部门名称"""
    org_name: str
    """单位全称"""
    year: int
    """评价年度"""
    unit: str
    """金额单位：万元 或 元"""
    attachment_no: str
    """附件序号（如 附件4）；未填写为空"""
    we: str
    """部门的自称（如 我局）"""
    preamble: tuple[str, ...]
    """报告开头，每段一项"""
    overview: tuple[str, ...]
    """部门概况，每条一项；未填写为空（报告不列该节）"""
    fund_source: str
    """资金来源说明（句末不带句号）；未填写为空"""
    dept: Form
    """部门整体支出绩效自评表"""
    goals: tuple[Goal, ...]
    """部门整体绩效目标（年度目标），每条一项"""
    basis: str
    """自评依据文件（句末不带句号）"""
    group: str
    """自评领导小组（句末不带句号）"""
    method: tuple[str, ...]
    """自评方法和过程，每段一项"""
    overall_results: tuple[str, ...]
    """总体绩效目标实际完成情况，每段一项"""
    sub_results: tuple[str, ...]
    """分项绩效目标实际完成情况，每段一项"""
    projects: tuple[Form, ...]
    """各项目的自评表，按工作簿顺序"""
    areas: tuple[Area, ...]
    """项目按所属领域分组"""
    areas_named: bool
    """项目填写了所属领域（报告按领域加小标题）"""
    project_count: int
    """当年安排的项目个数（基本信息“项目个数”，未填时为项目表行数）"""
    completion: Completion
    """各项目完成情况统计"""
    problems: tuple[str, ...]
    """存在的问题，每条一项"""
    improvements: tuple[str, ...]
    """改进措施，每条一项"""
    quality: Quality
    """绩效目标设定质量"""
    evaluators: tuple[Evaluator, ...]
    """评价工作组成员；未填写为空（报告不列名单）"""

    @property
    def is_project(self) -> bool:
        return self.style == SELF_EVAL_PROJECT_STYLE


# ---------------------------------------------------------------------------
# Building it
# ---------------------------------------------------------------------------


def shown_actual(target: IndicatorValue, actual: IndicatorValue | None) -> str:
    """An actual as the documents show it, with its unit ("50" against "≥40个" shows "50个").

    The one place an actual value is turned into display text (narratives and the 自评表): the
    reading the scoring used (``model.values.value_phrase``), so a bare number takes the target's
    unit and a fraction 0–1 against a percentage shows as a percentage.
    """
    return value_phrase(actual, target)


def _plain(value: Decimal) -> str:
    """A figure as typed: no exponent, no trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _sentence(text: str) -> str:
    """``text`` ending a sentence (a full stop added unless it ends with one)."""
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in _SENTENCE_END else text + "。"


def _sentences(texts: Iterable[str]) -> tuple[str, ...]:
    """Every item of every text (inline or per-line numbering removed), each a sentence."""
    return tuple(_sentence(item) for text in texts for item in split_items(text) if item.strip())


def _clause(text: str) -> str:
    """A text used inside a sentence: trimmed, without its final full stop."""
    return text.strip().rstrip("。").strip()


def _we(self_name: str, dept_name: str) -> str:
    if self_name.strip():
        return self_name.strip()
    name = dept_name.strip()
    word = next((w for w in _ORG_WORDS if name.endswith(w)), _DEFAULT_ORG_WORD)
    return f"我{word}"


def _target(value: IndicatorValue) -> Target:
    if value.kind != "quantitative" or value.number is None or value.comparator not in (*_SIGNS, None):
        return Target(value.raw, "", "")  # a range ("80%-90%") reads as typed
    # No comparator written: none is printed ("4次"); the reading the scoring assumed is not the
    # department's statement.
    return Target(value.raw, _SIGNS[value.comparator or "="], f"{_plain(value.number)}{value.unit}")


def _mark(points: Points) -> Mark:
    used = points.used
    return Mark(points.weight, points.score, points.rule_score, points.typed, _clause(points.reason),
                points.adjusted, used.status, used.explanation, used.notes)


def _runs(keys: Sequence[str]) -> list[int]:
    """For each position, the length of the run of equal keys starting there (0 inside a run)."""
    runs = [0] * len(keys)
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        runs[i] = j - i + 1
        i = j + 1
    return runs


def _indicators(results: Sequence[IndicatorResult]) -> tuple[IndicatorLine, ...]:
    """The indicator rows of a form, with their merges: 一级 over its consecutive rows, 二级
    within its 一级 group only (the same merges in Word and Excel)."""
    level1 = [r.indicator.level1 for r in results]
    span1 = _runs(level1)
    span2 = _runs([f"{r.indicator.level1}\x00{r.indicator.level2}" for r in results])
    lines = []
    for i, r in enumerate(results):
        ind = r.indicator
        actual = shown_actual(ind.target, ind.actual)
        figure = ind.actual is not None and ind.actual.kind in ("quantitative", "deadline")
        verdict = not figure and actual.startswith(_VERDICT_PREFIXES)
        group_end = i + 1 == len(results) or level1[i + 1] != level1[i]
        lines.append(IndicatorLine(
            ind.level1, ind.level2, ind.level3, ind.description, _target(ind.target), actual,
            figure, verdict, ind.target.raw.strip() in _YES_NO, _mark(r.points), r.met, r.exceeded,
            _sentence(ind.reason), span1[i], span2[i], group_end,
        ))  # fmt: skip
    return tuple(lines)


def _fund(line: FundLine) -> Fund:
    return Fund(line.name, line.initial, line.budget, line.executed, line.rate)


def _without_funding(text: str) -> str:
    """``text`` without a leading typed funding sentence (see ``_FUNDING_SENTENCE``)."""
    return _FUNDING_SENTENCE.sub("", text.strip(), count=1).strip()


def _form(card: Scorecard, wb: SelfEvalWorkbook, no: int) -> Form:
    info = wb.info
    p = card.project
    indicators = _indicators(card.indicators)
    if p is not None:
        scope, name = PROJECT_SCOPE, p.name.strip().rstrip("。")
        supervisor = p.supervisor or info.supervisor or info.org_full_name or info.dept_name
        unit, area = p.unit or info.dept_name, p.area.strip().removesuffix(_AREA_SUFFIX)
        goals, results = _sentences([p.goal]), _sentences([p.result])
        result = _without_funding(p.result)
        narrative = _sentences([result, p.summary] if p.summary.strip() != result else [result])
    else:
        overall = [g for g in wb.goals if g.type == "总体"]
        scope, name = DEPT_SCOPE, card.name
        supervisor = info.supervisor or info.org_full_name or info.dept_name
        unit, area = info.dept_name, ""
        goals = _sentences(g.goal for g in overall)
        results = _sentences(g.actual for g in overall)
        narrative = ()
    adjusted = tuple(Adjustment(n, m) for n, m in (
        (EXECUTION_LEVEL, _mark(card.execution)), *((i.name, i.mark) for i in indicators)) if m.adjusted)
    by_indicator = {id(r): line for r, line in zip(card.indicators, indicators, strict=True)}
    funds = tuple(_fund(f) for f in card.funds)
    return Form(
        scope, no, name, supervisor, unit, area, funds[0], funds, _mark(card.execution), goals, results,
        narrative, indicators, card.indicator_score, card.parts, card.total, card.max_total, card.averaged,
        card.grade, card.grade_word, card.outcome.wording,
        tuple(r.indicator.level3 for r in card.outcome.exceeded),
        tuple(by_indicator[id(r)] for r in card.outcome.unmet), adjusted,
    )  # fmt: skip


def _areas(projects: Sequence[Form]) -> tuple[Area, ...]:
    groups: dict[str, list[Form]] = {}
    for form in projects:
        groups.setdefault(form.area, []).append(form)
    return tuple(Area(i, area, tuple(forms)) for i, (area, forms) in enumerate(groups.items(), 1))


def _completion(projects: Sequence[Form]) -> Completion:
    def named(outcome: str) -> tuple[str, ...]:
        return tuple(f.name for f in projects if f.outcome == outcome)

    exceeded = len(named(EXCEEDED))
    others = tuple(Shortfall(o, named(o)) for o in (BASIC, INCOMPLETE, UNSET) if named(o))
    return Completion(len(projects), exceeded + len(named(COMPLETE)), exceeded, others)


def _quality(forms: Sequence[Form]) -> Quality:
    lines = [i for f in forms for i in f.indicators]
    unscorable = tuple(i.name for i in lines if i.mark.status == UNSCORABLE)
    nonstandard = sum(1 for f in forms if f.indicators and not f.averaged and f.max_total != HUNDRED)
    return Quality(len(lines), unscorable, nonstandard)


def _goals(goals: Sequence[DeptGoal]) -> tuple[Goal, ...]:
    out: list[Goal] = []
    for goal in goals:
        name = goal.name.strip() if goal.type == "分项" else ""
        out.extend(Goal(name, text) for text in _sentences([goal.goal]))
    return tuple(out)


def build_report(wb: SelfEvalWorkbook, evaluation: Evaluation) -> SelfEvalReport:
    """Everything the self-evaluation documents of ``wb`` print, from its ``evaluation``."""
    if evaluation.workbook is not wb:
        raise ValueError("evaluation was not computed from this workbook")
    info = wb.info
    projects = tuple(_form(card, wb, i) for i, card in enumerate(evaluation.projects, 1))
    dept = _form(evaluation.department, wb, 0)
    areas = _areas(projects)
    return SelfEvalReport(
        style=info.style or SELF_EVAL_DEPT_STYLE,
        dept_name=info.dept_name,
        org_name=info.org_full_name or info.dept_name,
        year=info.year,
        unit=info.amount_unit,
        attachment_no=info.attachment_no.strip(),
        we=_we(info.self_name, info.dept_name),
        preamble=_sentences([info.preamble]),
        overview=_sentences(wb.overview),
        fund_source=_clause(info.fund_source_note),
        dept=dept,
        goals=_goals(wb.goals),
        basis=_clause(wb.basis),
        group=_clause(wb.group),
        method=_sentences([wb.method]),
        overall_results=_sentences(g.actual for g in wb.goals if g.type == "总体"),
        sub_results=_sentences(g.actual for g in wb.goals if g.type != "总体"),
        projects=projects,
        areas=areas,
        areas_named=any(a.name for a in areas),
        project_count=evaluation.project_count,
        completion=_completion(projects),
        problems=_sentences(wb.problems),
        improvements=_sentences(wb.improvements),
        quality=_quality((dept, *projects)),
        evaluators=tuple(Evaluator(e.name, e.org, e.post, e.title) for e in wb.evaluators),
    )
