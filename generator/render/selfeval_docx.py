"""The self-evaluation reports (Word) and the entry point that writes every self-evaluation file.

Two reports, both rendered by default (the 绩效自评 workbook has no field that picks one, and
departments are asked for either depending on the year and the 财政局):

* ``<年度>年度整体支出绩效自评报告.docx`` -- seed 002's 整体支出绩效自评报告 (sections 一 … 六);
* ``<年度>年度绩效自评工作报告.docx`` -- seed 000's 绩效自评工作报告 (per-project paragraphs
  grouped by 所属领域).

The templates hold the fixed wording and format the figures with the Jinja filters of
``docx_render`` (``amount``, ``pct``); this module builds the context. Sentences whose wording
depends on the figures (completion wording, per-indicator comparisons, counts) are composed here
from the :class:`~generator.compute.selfeval.Evaluation` -- never typed by the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.compute.money import fmt_amount
from generator.compute.scoring import round_score
from generator.compute.selfeval import (
    AreaGroup,
    Evaluation,
    IndicatorResult,
    Outcome,
    Scorecard,
)
from generator.model import SelfEvalWorkbook
from generator.model.values import IndicatorValue
from generator.render.docx_render import render_docx
from generator.render.selfeval_xlsx import render_selfeval_tables

__all__ = [
    "OVERALL_REPORT",
    "REPORTS",
    "WORK_REPORT",
    "indicator_phrase",
    "outcome_sentence",
    "project_context",
    "render_selfeval",
    "report_context",
    "target_phrase",
]

OVERALL_REPORT = "整体支出绩效自评报告"
WORK_REPORT = "绩效自评工作报告"
# report kind -> (template file, output name pattern)
REPORTS: dict[str, tuple[str, str]] = {
    OVERALL_REPORT: ("整体支出绩效自评报告.docx", "{year}年度整体支出绩效自评报告.docx"),
    WORK_REPORT: ("绩效自评工作报告.docx", "{year}年度绩效自评工作报告.docx"),
}
TABLES_NAME = "{year}年度绩效自评表.xlsx"

# Numbering users type at the start of a paragraph ("1.", "2、", "（一）", "(2)"): the template
# numbers paragraphs itself, so typed numbers would print twice.
_TYPED_NUMBER = re.compile(
    r"^\s*(?:\d+\s*[.．、]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+、)\s*"
)
_SENTENCE_END = "。；;！!？?"
# A typed restatement of a project's funding ("资金预算金额80.28万元，实际拨付60.36万元，实际拨付率
# 75.3%。", "资金39万元，支出30.51万元。"): the paragraph states these figures computed from the
# amounts, so a typed copy would repeat them (and may disagree, as seed 000's 75.3% does).
_FUNDING_SENTENCE = re.compile(
    r"^资金(?:预算)?(?:金额)?\s*[\d.]+\s*万元[，,]\s*(?:实际拨付|支出)\s*[\d.]+\s*万元"
    r"(?:[，,]\s*(?:实际)?拨付率\s*[\d.]+\s*%)?[。；;]?"
)
_YES_NO = frozenset({"是", "否", "有", "无"})

# How a comparator reads after a figure in a sentence ("30单以上", "180天以内").
_COMPARATOR_WORDS: dict[str, tuple[str, str]] = {
    ">=": ("", "以上"),
    ">": ("超过", ""),
    "<=": ("", "以内"),
    "<": ("低于", ""),
    "=": ("", ""),
}
# A Chinese department calls itself 我局 / 我委 … after the last character of its name.
_SELF_NAMES = {"局": "我局", "委": "我委", "办": "我办", "院": "我院", "会": "我会", "厅": "我厅",
               "处": "我处", "所": "我所", "中心": "我中心"}  # fmt: skip


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def _num(value: Decimal) -> str:
    """A figure of an indicator value as typed: no exponent, no trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _score_text(value: Decimal) -> str:
    """A score as printed in sentences: 2 decimals at most, trailing zeros dropped."""
    return fmt_amount(round_score(value), 2)


def _paragraphs(text: str) -> list[str]:
    """A multi-line cell as paragraphs: typed numbering removed, each ending a sentence."""
    out = []
    for line in text.split("\n"):
        line = _TYPED_NUMBER.sub("", line).strip()
        if line:
            out.append(_sentence(line))
    return out


def _all_paragraphs(texts: Iterable[str]) -> list[str]:
    return [p for text in texts for p in _paragraphs(text)]


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (unless it already ends a sentence)."""
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in _SENTENCE_END else text + "。"


def self_name(dept_name: str) -> str:
    """How the department names itself in its report (科学技术局 → 我局)."""
    for ending, name in sorted(_SELF_NAMES.items(), key=lambda kv: -len(kv[0])):
        if dept_name.endswith(ending):
            return name
    return "我单位"


def _names(results: Sequence[IndicatorResult]) -> str:
    return "、".join(r.indicator.level3 for r in results)


# ---------------------------------------------------------------------------
# Indicator and outcome wording
# ---------------------------------------------------------------------------


def target_phrase(value: IndicatorValue) -> str:
    """A target as it reads in a sentence: "≥30单" → "30单以上", "≤180天" → "180天以内"."""
    if value.kind != "quantitative" or value.number is None:
        return value.raw
    before, after = _COMPARATOR_WORDS.get(value.comparator or "=", ("", ""))
    return f"{before}{_num(value.number)}{value.unit}{after}"


def _without_funding(text: str) -> str:
    """``text`` without a leading typed funding sentence (see ``_FUNDING_SENTENCE``)."""
    return _FUNDING_SENTENCE.sub("", text.strip(), count=1).strip()


def _actual_phrase(value: IndicatorValue | None) -> str:
    if value is None or not value.raw.strip():
        return "未填写实际完成值"
    if value.kind in ("quantitative", "deadline"):
        return f"实际完成{value.raw}"
    if value.raw.startswith(("达成", "部分达成", "未达成", "已", "未")):
        return f"实际{value.raw}"
    return f"实际完成情况为{value.raw}"


def indicator_phrase(r: IndicatorResult) -> str:
    """"企业补贴个数预期目标20家以上，实际完成32家" (seed 000's per-indicator comparison)."""
    ind = r.indicator
    if ind.target.raw in _YES_NO:
        actual = ind.actual.raw if ind.actual and ind.actual.raw else "未填写"
        return f"{ind.level3}预期目标为“{ind.target.raw}”，实际为“{actual}”"
    return f"{ind.level3}预期目标{target_phrase(ind.target)}，{_actual_phrase(ind.actual)}"


def indicators_sentence(results: Sequence[IndicatorResult]) -> str:
    if not results:
        return ""
    return "绩效指标完成情况：" + "；".join(indicator_phrase(r) for r in results) + "。"


def outcome_sentence(outcome: Outcome) -> str:
    """The completion wording chosen by :func:`generator.compute.selfeval.outcome_of`."""
    if outcome.wording == "超额完成":
        return f"各项绩效指标均已完成，其中{_names(outcome.exceeded)}超额完成，预期绩效目标全部完成。"
    if outcome.wording == "全部完成":
        return "各项绩效指标均已完成，预期绩效目标全部完成。"
    if outcome.wording == "基本完成":
        return f"{_names(outcome.unmet)}未完全达到年度指标值，预期绩效目标基本完成。"
    if outcome.wording == "未完成":
        return f"{_names(outcome.unmet)}未达到年度指标值，预期绩效目标未完成。"
    return "未设定绩效指标。"


def reasons_sentence(outcome: Outcome) -> str:
    """The 偏差原因 of the unmet indicators, as one sentence each."""
    return "".join(
        _sentence(f"{r.indicator.level3}未完成的原因：{r.indicator.reason.strip()}")
        for r in outcome.unmet
        if r.indicator.reason.strip()
    )


# ---------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------


def project_context(card: Scorecard) -> dict[str, Any]:
    """The figures and sentences of one project paragraph."""
    p = card.project
    assert p is not None
    result = _without_funding(p.result)
    extra = [result, p.summary] if p.summary.strip() != result else [result]
    return {
        "name": p.name.strip().rstrip("。"),
        "budget": card.budget,
        "executed": card.executed,
        "rate": card.rate,
        "indicator_text": indicators_sentence(card.indicators),
        "outcome_text": outcome_sentence(card.outcome),
        "reason_text": reasons_sentence(card.outcome),
        "total": round_score(card.total),
        "grade_word": card.grade_word,
        "result_text": "".join(_all_paragraphs(extra)),
    }


def _areas_context(groups: Sequence[AreaGroup]) -> list[dict[str, Any]]:
    """Area groups; a lone group without a name gets no heading."""
    named = any(g.area for g in groups)
    out = []
    for i, group in enumerate(groups, 1):
        heading = ""
        if named:
            area = group.area or "其他"
            heading = area if area.endswith("方面") else f"{area}方面"
        out.append({"no": i, "heading": heading,
                    "projects": [project_context(c) for c in group.projects]})  # fmt: skip
    return out


def projects_summary(evaluation: Evaluation) -> str:
    """"通过逐项自评，N个项目绩效目标全部完成（其中M个超额完成），K个项目基本完成…"."""
    cards = evaluation.projects
    if not cards:
        return ""
    by: dict[str, list[Scorecard]] = {}
    for card in cards:
        by.setdefault(card.outcome.wording, []).append(card)
    done = len(by.get("超额完成", [])) + len(by.get("全部完成", []))
    parts = []
    if done:
        part = f"{done}个项目绩效目标全部完成"
        if by.get("超额完成"):
            part += f"（其中{len(by['超额完成'])}个项目超额完成）"
        parts.append(part)
    for wording, label in (("基本完成", "绩效目标基本完成"), ("未完成", "绩效目标未完成"),
                           ("未设定指标", "未设定绩效指标")):  # fmt: skip
        group = by.get(wording, [])
        if group:
            names = "、".join(c.name for c in group)
            parts.append(f"{len(group)}个项目{label}（{names}）")
    if len(parts) == 1 and done == len(cards):
        return f"通过逐项自评，评价的{len(cards)}个项目绩效目标均已全部完成。"
    return f"通过逐项自评，评价的{len(cards)}个项目中，" + "，".join(parts) + "。"


def dept_indicator_sentence(card: Scorecard) -> str:
    """A one-sentence analysis of the 整体绩效指标 (counts, exceeded, unmet with reasons)."""
    results = card.indicators
    if not results:
        return ""
    outcome = card.outcome
    text = f"部门整体绩效指标共{len(results)}项"
    if not outcome.unmet:
        text += "，全部完成"
        if outcome.exceeded:
            text += f"，其中{len(outcome.exceeded)}项超额完成"
    else:
        met = len(results) - len(outcome.unmet)
        text += f"，完成{met}项，{_names(outcome.unmet)}未达到年度指标值"
    text += (
        f"；预算执行率得分{_score_text(card.execution.score)}分，"
        f"绩效指标得分{_score_text(card.total - card.execution.score)}分。"
    )
    return text + reasons_sentence(outcome)


def _goal_texts(wb: SelfEvalWorkbook, card: Scorecard) -> list[str]:
    texts: list[str] = []
    for goal in wb.goals:
        if not goal.goal.strip():
            continue
        if goal.type == "分项" and goal.name:
            texts.extend(f"{goal.name.strip()}：{t}" for t in _paragraphs(goal.goal))
        else:
            texts.extend(_paragraphs(goal.goal))
    if not texts and card.indicators:
        # Without typed goals, the indicators are the department's targets.
        targets = "；".join(f"{r.indicator.level3}{target_phrase(r.indicator.target)}"
                            for r in card.indicators)  # fmt: skip
        texts.append(f"{wb.info.year}年部门整体绩效指标为：{targets}。")
    return texts or ["未设定部门整体绩效目标。"]


def _target_quality(evaluation: Evaluation) -> str:
    """Section 三 of the 工作报告, worded from how scorable the targets were."""
    cards = (evaluation.department, *evaluation.projects)
    results = [r for card in cards for r in card.indicators]
    unscorable = [r for r in results if r.score.status == "无法评分"]
    nonstandard = [c for c in cards if c.indicators and c.max_total != 100]
    if not results:
        return "本年度未设定可量化的绩效指标，绩效目标设定质量有待提高。"
    if not unscorable and not nonstandard:
        return (
            "通过绩效目标实现情况，本部门绩效目标设定较为清晰准确，绩效指标比较全面完整、"
            "科学合理，绩效标准恰当适宜、易于评价。"
        )
    parts = []
    if unscorable:
        parts.append(f"{len(unscorable)}项指标的年度指标值与实际完成值无法直接比较"
                     f"（{_names(unscorable)}）")  # fmt: skip
    if nonstandard:
        parts.append(f"{len(nonstandard)}张自评表的分值合计不是100分")
    return (
        f"本年度共设定绩效指标{len(results)}项，其中" + "，".join(parts)
        + "，绩效目标的清晰度和可衡量性有待提高。"
    )


def report_context(wb: SelfEvalWorkbook, evaluation: Evaluation) -> dict[str, Any]:
    """The context both report templates are rendered with."""
    info = wb.info
    dept = evaluation.department
    overall = [g for g in wb.goals if g.type == "总体"]
    subs = [g for g in wb.goals if g.type != "总体"]
    measures = _all_paragraphs(wb.improvements) or _all_paragraphs(wb.problems)
    return {
        "attachment_no": info.attachment_no,
        "dept_name": info.dept_name,
        "year": info.year,
        "we": self_name(info.dept_name),
        "preamble": _paragraphs(info.preamble),
        "overview": _all_paragraphs(wb.overview),
        "budget": dept.budget,
        "executed": dept.executed,
        "rate": dept.rate,
        "fund_source_note": info.fund_source_note.strip().rstrip("。"),
        "goal_texts": _goal_texts(wb, dept),
        "basis": wb.basis.strip().rstrip("。"),
        "group": wb.group.strip().rstrip("。"),
        "method": _paragraphs(wb.method),
        "overall_actual": _all_paragraphs(g.actual for g in overall),
        "sub_actual": _all_paragraphs(g.actual for g in subs),
        "dept_indicator_text": dept_indicator_sentence(dept),
        "areas": _areas_context(evaluation.areas),
        "projects_summary": projects_summary(evaluation),
        "project_count": evaluation.project_count,
        "total": round_score(dept.total),
        "grade": dept.grade,
        "grade_word": dept.grade_word,
        "problems": _all_paragraphs(wb.problems) or ["无。"],
        "improvements": _all_paragraphs(wb.improvements) or ["无。"],
        "measures": measures or ["无。"],
        "target_quality": _target_quality(evaluation),
        "evaluators": [
            {"name": e.name, "org": e.org, "post": e.post, "title": e.title}
            for e in wb.evaluators
        ],
    }


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def render_selfeval(
    wb: SelfEvalWorkbook,
    evaluation: Evaluation,
    out_dir: Path,
    templates_dir: Path,
    reports: Sequence[str] | None = None,
) -> list[Path]:
    """Write the 绩效自评表 workbook and the reports into ``out_dir``; return the files written.

    ``reports`` names the reports (keys of :data:`REPORTS`). By default the 整体支出绩效自评报告
    is always written and the 绩效自评工作报告 too when the workbook has projects (the latter
    is made of project paragraphs; without projects it would be an empty shell).
    """
    out_dir = Path(out_dir)
    year = wb.info.year
    written = [render_selfeval_tables(wb, evaluation, out_dir / TABLES_NAME.format(year=year))]
    context = report_context(wb, evaluation)
    if reports is None:
        reports = (OVERALL_REPORT, WORK_REPORT) if wb.projects else (OVERALL_REPORT,)
    for kind in reports:
        if kind not in REPORTS:
            raise ValueError(f"未知的报告类型“{kind}”，可选：" + "、".join(REPORTS))
        template, name = REPORTS[kind]
        out = out_dir / name.format(year=year)
        render_docx(Path(templates_dir) / template, context, out)
        written.append(out)
    return written
