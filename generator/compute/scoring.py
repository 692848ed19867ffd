"""Self-evaluation scoring engine (项目支出/部门整体支出绩效自评, DOMAIN.md §4).

Notation used in the explanations: w = 分值 (weight), t = 年度指标值 (target),
a = 实际完成值 (actual). Scores are kept unrounded; :func:`round_score` is the single
place where a score is rounded (2 decimals, half up) for display.

The engine never raises on odd input: what it cannot score comes back with status
"无法评分" and a Chinese note saying why, so the user can fix the workbook or give a score.
How values are written and read -- comparators, units, directions left unwritten, a word where
a figure belongs -- is docs/values.md, whose tables tests/test_value_grammar.py checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import Enum
from types import MappingProxyType
from typing import Literal

from generator.model.indicator_tree import DEFAULT as DEFAULT_TREE
from generator.model.indicator_tree import IndicatorTree
from generator.model.units import GENERIC_COUNT, comparable, unit_factor
from generator.model.values import (
    COMPARATOR_SIGNS,
    Comparator,
    Direction,
    IndicatorValue,
    actual_in_target_unit,
    direction_of,
)

__all__ = [
    "ACHIEVED_BAND",
    "Comparison",
    "DEFAULT_QUALITATIVE_BANDS",
    "DEFAULT_RULES",
    "DEFAULT_WEIGHTS",
    "NOT_ACHIEVED_BAND",
    "ON_TIME_WORDS",
    "PARTIAL_BAND",
    "NegativeRule",
    "QualitativeBand",
    "Score",
    "ScoringRules",
    "Status",
    "check_level_weights",
    "grade",
    "round_score",
    "score_execution",
    "score_indicator",
    "summarize",
    "word_for_figure",
]

Status = Literal["超额完成", "全部完成", "基本完成", "部分完成", "未完成", "无法评分"]

# The display precision of scores; an exclusive band limit is shown as limit − SCORE_STEP.
SCORE_STEP = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# Completion thresholds (fraction of the target reached) for the status of an unmet
# quantitative indicator; they mirror the qualitative bands (80% / 60%).
BASIC_COMPLETION = Decimal("0.8")
PARTIAL_COMPLETION = Decimal("0.6")


class NegativeRule(Enum):
    """How a negative indicator (≤, <, 不超过) is scored when the actual exceeds the target."""

    LINEAR = "linear"  # a ≤ t → w; t < a < 2t → w × (1 − (a−t)/t); a ≥ 2t → 0
    RATIO = "ratio"  # a > t → w × t/a


@dataclass(frozen=True)
class QualitativeBand:
    """A grade of qualitative achievement, as fractions of the weight.

    ``high_inclusive`` is False for the lower bands (60–<80%, 0–<60%): their greatest
    allowed score is shown as ``high × w − 0.01``. ``default`` is used when the user
    gives no score.
    """

    name: str
    low: Decimal
    high: Decimal
    high_inclusive: bool
    default: Decimal
    status: Status
    synonyms: tuple[str, ...] = ()

    def matches(self, word: str) -> bool:
        """True when ``word`` (compact text) names this band."""
        return word == self.name or word in self.synonyms


# Defaults (documented choices): 达成 gets the band's top (DOMAIN.md §4 says so); the two
# lower bands get their midpoint, which is never more than half a band away from
# whatever the user would have chosen.
ACHIEVED_DEFAULT = Decimal(1)
PARTIAL_DEFAULT = Decimal("0.7")
NOT_ACHIEVED_DEFAULT = Decimal("0.3")

ACHIEVED_BAND = QualitativeBand(
    name="达成年度指标",
    low=Decimal("0.8"),
    high=ONE,
    high_inclusive=True,
    default=ACHIEVED_DEFAULT,
    status="全部完成",
    synonyms=(
        "达成预期指标", "达成", "已达成", "是", "完成", "已完成", "全部完成", "显著", "符合",
        "及时", "按时", "按时完成", "按期完成", "如期完成", "达标", "合格", "优", "优秀",
        "良好", "满意", "有效", "达到", "已达到", "全部达到", "实现", "已实现",
    ),
)  # fmt: skip
PARTIAL_BAND = QualitativeBand(
    name="部分达成年度指标并具有一定效果",
    low=Decimal("0.6"),
    high=Decimal("0.8"),
    high_inclusive=False,
    default=PARTIAL_DEFAULT,
    status="部分完成",
    synonyms=(
        "部分达成", "基本达成", "基本完成", "部分完成", "较显著", "较好", "较明显",
        "基本满意", "一般", "基本符合", "基本及时",
    ),
)  # fmt: skip
NOT_ACHIEVED_BAND = QualitativeBand(
    name="未达成年度指标且效果较差",
    low=ZERO,
    high=Decimal("0.6"),
    high_inclusive=False,
    default=NOT_ACHIEVED_DEFAULT,
    status="未完成",
    synonyms=(
        "未达成", "未完成", "否", "不符合", "不及时", "不显著", "较差", "差", "未达标",
        "不合格", "不满意", "未达到",
    ),
)  # fmt: skip
DEFAULT_QUALITATIVE_BANDS: tuple[QualitativeBand, ...] = (
    ACHIEVED_BAND,
    PARTIAL_BAND,
    NOT_ACHIEVED_BAND,
)

# 预算执行率 10, 产出 50, 效益 30, 满意度 10: the default indicator tree's weights.
DEFAULT_WEIGHTS: Mapping[str, Decimal] = MappingProxyType(DEFAULT_TREE.scoring_weights())

# Yes/no answers: a target "否" (e.g. 是否发生安全事故) is met by the actual "否".
_YES_NO = frozenset({"是", "否", "有", "无"})


def _default_weights() -> Mapping[str, Decimal]:
    return DEFAULT_WEIGHTS


@dataclass(frozen=True)
class ScoringRules:
    """Configurable scoring rules; the defaults follow DOMAIN.md §4.

    ``clamp_user_scores``: when False (default) a user score outside the allowed range
    is kept and flagged with a note; when True it is replaced by the rule's score.
    """

    negative_rule: NegativeRule = NegativeRule.LINEAR
    over_achievement_threshold: Decimal = Decimal("0.2")
    qualitative_bands: tuple[QualitativeBand, ...] = DEFAULT_QUALITATIVE_BANDS
    default_weights: Mapping[str, Decimal] = field(default_factory=_default_weights, hash=False)
    clamp_user_scores: bool = False


DEFAULT_RULES = ScoringRules()


def rules_for_tree(tree: IndicatorTree) -> ScoringRules:
    """The default rules with the weights of ``tree`` (财预2021 gives 成本指标 its own 10)."""
    return ScoringRules(default_weights=MappingProxyType(tree.scoring_weights()))


@dataclass(frozen=True)
class Comparison:
    """What a numeric score compared: both figures in one unit, and the comparator used.

    ``assumed`` is True when the target had no comparator and ``comparator`` is the reading
    :func:`generator.model.values.direction_of` chose (``reason`` says why). ``actual`` is
    already converted into ``unit`` (the target's): "27205.9万元" against "≥1.5亿元" is 2.720590.
    """

    comparator: Comparator
    assumed: bool
    target: Decimal
    actual: Decimal
    unit: str
    upper: Decimal | None = None  # the high end of a range target
    reason: str = ""


@dataclass(frozen=True)
class Score:
    """The score of one row, with how it was obtained.

    ``compared`` is set for numeric comparisons (what was compared with what, in which unit);
    ``None`` for deadlines, qualitative bands and rows that could not be scored.
    """

    score: Decimal  # unrounded; use round_score() to display
    weight: Decimal
    status: Status
    explanation: str
    allowed_min: Decimal
    allowed_max: Decimal
    needs_reason: bool
    notes: tuple[str, ...] = ()
    compared: Comparison | None = None

    def is_allowed(self, value: Decimal) -> bool:
        """True when ``value`` lies in the allowed range at display precision."""
        shown = round_score(value)
        return round_score(self.allowed_min) <= shown <= round_score(self.allowed_max)


# ---------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------


def _wide_context() -> Context:
    # Quantizing a very long number needs more digits than the default 28.
    return Context(prec=2000, rounding=ROUND_HALF_UP)


def round_score(x: Decimal) -> Decimal:
    """Round a score to 2 decimals, half up — the one rounding place for scores."""
    return x.quantize(SCORE_STEP, rounding=ROUND_HALF_UP, context=_wide_context())


def _fmt(x: Decimal) -> str:
    """A number for an explanation: at most 4 decimals, no trailing zeros, no exponent."""
    exponent = x.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        x = x.quantize(Decimal("0.0001"), context=_wide_context())
    text = format(x, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fmt2(x: Decimal) -> str:
    """A score or rate shown with exactly 2 decimals."""
    return format(round_score(x), "f")


def _qty(x: Decimal, unit: str) -> str:
    """``200 天`` / ``95%``."""
    if not unit:
        return _fmt(x)
    return f"{_fmt(x)}{unit}" if unit == "%" else f"{_fmt(x)} {unit}"


def _pct(fraction: Decimal) -> str:
    return f"{_fmt2(fraction * HUNDRED)}%"


def _status_from_fraction(fraction: Decimal) -> Status:
    if fraction >= ONE:
        return "全部完成"
    if fraction >= BASIC_COMPLETION:
        return "基本完成"
    if fraction >= PARTIAL_COMPLETION:
        return "部分完成"
    return "未完成"


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


def _fixed(
    score: Decimal,
    weight: Decimal,
    status: Status,
    explanation: str,
    needs_reason: bool,
    notes: tuple[str, ...] = (),
) -> Score:
    """A score fully determined by the rules (allowed range is the single value)."""
    return Score(score, weight, status, explanation, score, score, needs_reason, notes)


def _unscorable(weight: Decimal, reason: str, notes: tuple[str, ...] = ()) -> Score:
    """Status 无法评分: score 0, the user may give any score in [0, w]."""
    upper = max(weight, ZERO)
    explanation = f"无法自动评分：{reason}。请核对后填写得分（0–{_fmt(upper)} 分）"
    return Score(ZERO, weight, "无法评分", explanation, ZERO, upper, False, (reason, *notes))


# ---------------------------------------------------------------------------
# 预算执行率
# ---------------------------------------------------------------------------


def score_execution(
    budget: Decimal, executed: Decimal, weight: Decimal = Decimal(10)
) -> tuple[Decimal | None, Score]:
    """Score the budget execution rate; return ``(rate, score)``.

    rate = executed / budget (unrounded, may exceed 1: the real rate is returned and a
    note warns); score = weight × rate, capped at weight. A zero or negative budget
    gives ``(None, 无法评分)``.
    """
    if budget <= 0:
        return None, _unscorable(weight, f"全年预算数为 {_fmt(budget)}，无法计算预算执行率")
    rate = executed / budget
    formula = f"预算执行率 = 全年执行数 / 全年预算数 = {_fmt(executed)} / {_fmt(budget)} = {_pct(rate)}"
    if rate > ONE:
        note = f"预算执行率 {_pct(rate)} 超过 100%，得分按满分 {_fmt(weight)} 计，请核实全年执行数"
        explanation = f"{formula}，超过 100%，得分按满分计 = {_fmt2(weight)}"
        return rate, _fixed(weight, weight, "全部完成", explanation, True, (note,))
    if rate < 0:
        note = f"全年执行数为负数（{_fmt(executed)}），请核实"
        return rate, _fixed(ZERO, weight, "未完成", f"{formula}，得分 0", True, (note,))
    score = weight * rate
    explanation = f"{formula}，得分 = {_fmt(weight)} × {_pct(rate)} = {_fmt2(score)}"
    status = _status_from_fraction(rate)
    return rate, _fixed(score, weight, status, explanation, rate < ONE)


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------

# Words that say a deadline was met: against a deadline target they are a full answer, unlike
# "完成" or "是", which say nothing about when.
ON_TIME_WORDS = frozenset({"及时", "按时", "准时", "按期", "按时完成", "按期完成", "如期完成"})


def _compact(text: str) -> str:
    return "".join(text.split()).rstrip("。.；;")


def _band_of(word: str, rules: ScoringRules) -> QualitativeBand | None:
    for band in rules.qualitative_bands:
        if band.matches(word):
            return band
    return None


def _achieved_band(rules: ScoringRules) -> QualitativeBand:
    """The band whose top is full marks (the first band by default)."""
    return max(rules.qualitative_bands, key=lambda band: band.high)


def _not_achieved_band(rules: ScoringRules) -> QualitativeBand:
    return min(rules.qualitative_bands, key=lambda band: band.low)


def _match_qualitative(
    target: IndicatorValue, actual: IndicatorValue, rules: ScoringRules
) -> QualitativeBand | None:
    """The band an actual result falls into, or ``None`` when it is not a band word."""
    target_word, actual_word = _compact(target.raw), _compact(actual.raw)
    if target_word in _YES_NO and actual_word in _YES_NO:
        same = target_word == actual_word
        return _achieved_band(rules) if same else _not_achieved_band(rules)
    if target.kind in ("qualitative", "text") and target_word == actual_word:
        return _achieved_band(rules)
    return _band_of(actual_word, rules)


def word_for_figure(
    target: IndicatorValue, actual: IndicatorValue | None, rules: ScoringRules = DEFAULT_RULES
) -> QualitativeBand | None:
    """The band of a completion word typed where a figure or a date belongs, else ``None``.

    A numeric target ("≤30万元") answered "完成", "是", "达到" or "基本完成", or a deadline
    ("12月底前") answered by a word that does not say when ("完成"; "按时完成" does): the row is
    scored at the bottom of the word's band, never full marks, and validation asks for the figure.
    """
    if actual is None or actual.kind not in ("qualitative", "text"):
        return None
    if target.kind == "quantitative" and target.number is not None:
        pass
    elif target.kind == "deadline" and target.deadline is not None:
        if _compact(actual.raw) in ON_TIME_WORDS:
            return None
    else:
        return None
    return _match_qualitative(target, actual, rules)


def _band_range(band: QualitativeBand, weight: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(w, low, high) of a band for ``weight``; the high end of an open band is limit − 0.01."""
    w = max(weight, ZERO)
    low = w * band.low
    high = w * band.high if band.high_inclusive else max(low, w * band.high - SCORE_STEP)
    return w, low, high


def _band_needs_reason(band: QualitativeBand) -> bool:
    return band.high < ONE or not band.high_inclusive


def _score_band(band: QualitativeBand, actual: IndicatorValue, weight: Decimal, note: str | None) -> Score:
    w, low, high = _band_range(band, weight)
    # Clamped: with a tiny weight the "limit − 0.01" top can fall below the default.
    score = _clamp(w * band.default, low, high)
    explanation = (
        f"定性指标：实际完成情况“{actual.raw}”属于“{band.name}”档"
        f"（{_fmt(band.low * HUNDRED)}%–{_fmt(band.high * HUNDRED)}%"
        f"{'' if band.high_inclusive else '（不含）'} × 分值），"
        f"默认得分 = {_fmt(w)} × {_fmt(band.default * HUNDRED)}% = {_fmt2(score)}，"
        f"可在 {_fmt2(low)}–{_fmt2(high)} 分之间调整"
    )
    notes = (note,) if note else ()
    return Score(score, weight, band.status, explanation, low, high, _band_needs_reason(band), notes)


def _score_word_for_figure(
    band: QualitativeBand, target: IndicatorValue, actual: IndicatorValue, weight: Decimal
) -> Score:
    """A completion word instead of the figure: the bottom of the word's band (never full marks)."""
    w, low, high = _band_range(band, weight)
    what = "完成时间" if target.kind == "deadline" else "数值"
    explanation = (
        f"年度指标值为{what}“{target.raw}”，实际完成值“{actual.raw}”没有写{what}，"
        f"按“{band.name}”档的最低分计 = {_fmt(w)} × {_fmt(band.low * HUNDRED)}% = {_fmt2(low)}，"
        f"可在 {_fmt2(low)}–{_fmt2(high)} 分之间调整"
    )
    note = f"实际完成值只写了“{actual.raw}”，请填写实际完成的{what}，以便按规则与“{target.raw}”比较"
    return Score(low, weight, band.status, explanation, low, high, _band_needs_reason(band), (note,))


def _reconcile_units(
    target: IndicatorValue, actual: IndicatorValue
) -> tuple[Decimal, Decimal, str, tuple[str, ...]] | str:
    """Bring target and actual to the target's unit: ``(t, a, unit, notes)`` or a reason."""
    assert target.number is not None
    reading = actual_in_target_unit(actual, target)
    assert reading is not None
    t, a = target.number, reading.number
    t_unit, a_unit = target.unit, reading.unit
    notes = (reading.note,) if reading.note else ()
    if a_unit == t_unit:
        return t, a, t_unit, notes
    if not t_unit:
        return t, a, a_unit, (f"年度指标值未写单位，按实际完成值的单位“{a_unit}”理解",)
    t_family, t_factor = unit_factor(t_unit)
    a_family, a_factor = unit_factor(a_unit)
    if not comparable(t_family, a_family):
        return f"单位不一致：年度指标值单位为“{t_unit}”，实际完成值单位为“{a_unit}”，无法比较"
    converted = a * a_factor / t_factor
    if t_family != a_family:  # 个 against another count unit
        note = f"“{GENERIC_COUNT}”是通用量词，实际完成值 {_qty(a, a_unit)} 按 {_qty(converted, t_unit)} 与目标比较"
    else:
        note = f"实际完成值 {_qty(a, a_unit)} 换算为 {_qty(converted, t_unit)} 后与目标比较"
    return t, converted, t_unit, (note,)


def _over_achievement(t: Decimal, a: Decimal, unit: str, rules: ScoringRules) -> tuple[bool, tuple[str, ...]]:
    """(needs_reason, notes) for an actual above a positive target."""
    if t <= 0 or a <= t:
        return False, ()
    excess = (a - t) / t
    if excess <= rules.over_achievement_threshold:
        return False, ()
    note = (
        f"实际完成值 {_qty(a, unit)} 超出目标 {_qty(t, unit)} {_pct(excess)}，"
        f"超过 {_fmt(rules.over_achievement_threshold * HUNDRED)}%，"
        "请在偏差原因中分析年度指标是否设定偏低"
    )
    return True, (note,)


def _strict_equal_note(comparator: str, t: Decimal, a: Decimal, unit: str) -> tuple[str, ...]:
    if comparator in (">", "<") and a == t:
        return (f"目标为“{comparator}{_qty(t, unit)}”，实际恰好等于目标值，按完成计",)
    return ()


def _score_positive(
    kind: str, comparator: str, t: Decimal, a: Decimal, unit: str, w: Decimal,
    rules: ScoringRules,
) -> Score:  # fmt: skip
    """≥ / > / =: a ≥ t → w, else w × a/t."""
    notes = _strict_equal_note(comparator, t, a, unit)
    shown_a, shown_t = _qty(a, unit), _qty(t, unit)
    if a >= t:
        needs_reason, over_notes = _over_achievement(t, a, unit, rules)
        status: Status = "超额完成" if a > t else "全部完成"
        relation = ">" if a > t else "="
        explanation = f"{kind}：实际 {shown_a} {relation} 目标 {shown_t}，得满分 {_fmt2(w)}"
        return _fixed(w, w, status, explanation, needs_reason, notes + over_notes)
    if t <= 0:
        reason = f"目标值为 {shown_t}（非正数），无法按比例计分，未完成得 0 分"
        explanation = f"{kind}：实际 {shown_a} < 目标 {shown_t}，{reason}"
        return _fixed(ZERO, w, "未完成", explanation, True, notes)
    fraction = _clamp(a / t, ZERO, ONE)
    score = w * fraction
    explanation = (
        f"{kind}：实际 {shown_a} < 目标 {shown_t}，得分 = {_fmt(w)} × {_fmt(a)}/{_fmt(t)} = {_fmt2(score)}"
    )
    if a < 0:
        explanation += "（实际为负数，按 0 计）"
    return _fixed(score, w, _status_from_fraction(fraction), explanation, True, notes)


def _score_negative(
    comparator: str, t: Decimal, a: Decimal, unit: str, w: Decimal, rules: ScoringRules,
    kind: str = "负向指标",
) -> Score:  # fmt: skip
    """≤ / <: a ≤ t → w; above the target per ``rules.negative_rule``."""
    notes = _strict_equal_note(comparator, t, a, unit)
    shown_a, shown_t = _qty(a, unit), _qty(t, unit)
    if a <= t:
        relation = "<" if a < t else "="
        explanation = f"{kind}：实际 {shown_a} {relation} 目标 {shown_t}，得满分 {_fmt2(w)}"
        return _fixed(w, w, "全部完成", explanation, False, notes)
    head = f"{kind}：实际 {shown_a} > 目标 {shown_t}"
    if t <= 0:
        explanation = f"{head}，目标值为 {shown_t}，超出即不得分，得分 0"
        return _fixed(ZERO, w, "未完成", explanation, True, notes)
    if rules.negative_rule is NegativeRule.RATIO:
        fraction = t / a
        formula = f"{_fmt(w)} × {_fmt(t)}/{_fmt(a)}"
        head = head.replace(kind, f"{kind}（比值法）", 1)
    elif a >= 2 * t:
        explanation = f"{head}，达到目标的 2 倍（{_qty(2 * t, unit)}）及以上，得分 0"
        return _fixed(ZERO, w, "未完成", explanation, True, notes)
    else:
        fraction = ONE - (a - t) / t
        formula = f"{_fmt(w)} ×（1 −（{_fmt(a)}−{_fmt(t)}）/{_fmt(t)}）"
    fraction = _clamp(fraction, ZERO, ONE)
    score = w * fraction
    # "…/180）= 8.89": no space after a closing full-width parenthesis.
    equals = "= " if formula.endswith("）") else " = "
    explanation = f"{head}，得分 = {formula}{equals}{_fmt2(score)}"
    return _fixed(score, w, _status_from_fraction(fraction), explanation, True, notes)


def _score_range(
    t: Decimal, upper: Decimal, a: Decimal, unit: str, w: Decimal, rules: ScoringRules, kind: str
) -> Score:
    """A range "80%-90%": inside → w; below the low end as positive, above the high end as negative."""
    if t <= a <= upper:
        explanation = f"{kind}：实际 {_qty(a, unit)} 在目标区间 {_qty(t, unit)}–{_qty(upper, unit)} 内，得满分 {_fmt2(w)}"
        return _fixed(w, w, "全部完成", explanation, False)
    if a < t:
        return _score_positive(kind, ">=", t, a, unit, w, rules)
    return _score_negative("<=", upper, a, unit, w, rules, kind)


def _kind_label(direction: Direction) -> str:
    comparator = direction.comparator
    if comparator == "between":
        label = "区间指标"
    elif comparator in ("<=", "<"):
        label = "负向指标"
    else:
        label = "等值指标" if comparator == "=" else "正向指标"
    if direction.assumed:
        label += f"（未写比较方向，按“{COMPARATOR_SIGNS[comparator]}”理解：{direction.reason}）"
    return label


def _score_quantity(
    target: IndicatorValue, actual: IndicatorValue, w: Decimal, rules: ScoringRules, direction: Direction
) -> Score:
    reconciled = _reconcile_units(target, actual)
    if isinstance(reconciled, str):
        return _unscorable(w, reconciled)
    t, a, unit, unit_notes = reconciled
    comparator, kind = direction.comparator, _kind_label(direction)
    if comparator == "between" and target.upper is not None:
        result = _score_range(t, target.upper, a, unit, w, rules, kind)
    elif comparator in ("<=", "<"):
        result = _score_negative(comparator, t, a, unit, w, rules, kind)
    else:
        result = _score_positive(kind, comparator, t, a, unit, w, rules)
    notes = unit_notes
    if direction.assumed:
        sign = COMPARATOR_SIGNS[comparator]
        notes += (
            f"年度指标值“{target.raw}”未写比较方向，按“{sign}{_fmt(t)}{unit}”理解（{direction.reason}），"
            "请写明 ≥、≤ 或 =",
        )
    compared = Comparison(comparator, direction.assumed, t, a, unit, target.upper, direction.reason)
    return dataclasses.replace(result, notes=notes + result.notes, compared=compared)


def _score_deadline(
    target: IndicatorValue,
    actual: IndicatorValue,
    w: Decimal,
    user_score: Decimal | None,
) -> Score:
    assert target.deadline is not None and actual.deadline is not None
    due, done = target.deadline, actual.deadline
    notes: tuple[str, ...] = ()
    if done.quarter is not None and due.month is not None:
        notes = ("实际完成时间只写到季度，按该季度最后一个月判断是否按时",)
    due_key = (due.year or 0, due.last_month())
    done_key = (done.year or 0, done.last_month())
    if due.year is None or done.year is None:  # without both years only months compare
        due_key, done_key = (0, due_key[1]), (0, done_key[1])
    head = f"时效指标：实际完成时间“{done.raw}”"
    target_text = f"目标“{due.raw}”（{due.last_month()}月底前）"
    if done_key <= due_key:
        explanation = f"{head}不晚于{target_text}，得满分 {_fmt2(w)}"
        return _fixed(w, w, "全部完成", explanation, False, notes)
    explanation = f"{head}晚于{target_text}，未按时完成，由用户在 0–{_fmt(w)} 分之间评定，未评定得 0 分"
    status: Status = "部分完成" if user_score is not None and user_score > 0 else "未完成"
    return Score(ZERO, w, status, explanation, ZERO, w, True, notes)


def _figure_example(target: IndicatorValue) -> str:
    assert target.number is not None
    return f"{_fmt(target.number)}{target.unit}"


def _rule_score(
    target: IndicatorValue,
    actual: IndicatorValue | None,
    weight: Decimal,
    rules: ScoringRules,
    user_score: Decimal | None,
    direction: Direction | None,
) -> Score:
    """The score the rules give, before any user override."""
    if weight < 0:
        return _unscorable(weight, f"分值为负数（{_fmt(weight)}）")
    if actual is None or not _compact(actual.raw):
        return _unscorable(weight, "实际完成值为空")
    figure_band = word_for_figure(target, actual, rules)
    if figure_band is not None:
        return _score_word_for_figure(figure_band, target, actual, weight)
    band = _match_qualitative(target, actual, rules)
    if band is not None and not (target.kind == "quantitative" and actual.kind == "quantitative"):
        note = None
        if target.kind != "qualitative":
            note = f"年度指标值为“{target.raw}”，实际完成值为等级描述，按等级计分"
        return _score_band(band, actual, weight, note)
    if target.kind == "quantitative" and target.number is not None and direction is not None:
        if actual.kind == "quantitative" and actual.number is not None:
            return _score_quantity(target, actual, weight, rules, direction)
        return _unscorable(
            weight,
            f"年度指标值为数值“{target.raw}”，实际完成值“{actual.raw}”不是数值，"
            f"请填写实际完成的数值和单位（如 {_figure_example(target)}）",
        )
    if target.kind == "deadline" and target.deadline is not None:
        if actual.kind == "deadline" and actual.deadline is not None:
            return _score_deadline(target, actual, weight, user_score)
        return _unscorable(
            weight,
            f"年度指标值为时限“{target.raw}”，实际完成值“{actual.raw}”不是完成时间，请填写完成时间（如 2024年9月）",
        )
    words = "、".join(band.name for band in rules.qualitative_bands)
    if target.kind == "qualitative" and actual.kind in ("quantitative", "deadline"):
        return _unscorable(
            weight,
            f"年度指标值“{target.raw}”是定性描述，实际完成值“{actual.raw}”是"
            f"{'数值' if actual.kind == 'quantitative' else '时间'}，无法按规则比较，应填写评价档次：{words}",
        )
    if target.kind == "qualitative":
        return _unscorable(weight, f"实际完成值“{actual.raw}”无法对应评价档次，应填写：{words}")
    return _unscorable(weight, f"年度指标值“{target.raw}”为文字描述，无法自动比较")


def apply_user_score(result: Score, user_score: Decimal, rules: ScoringRules) -> Score:
    """Keep the user's score (or the rule's, if clamping), flagging it when out of range."""
    rule_text = f"规则得分 {_fmt2(result.score)}"
    explanation = f"{result.explanation}；用户填写得分 {_fmt2(user_score)}（{rule_text}）"
    if result.is_allowed(user_score):
        return dataclasses.replace(result, score=user_score, explanation=explanation)
    note = (
        f"用户填写得分 {_fmt2(user_score)} 超出规则允许范围 "
        f"[{_fmt2(result.allowed_min)}, {_fmt2(result.allowed_max)}]"
    )
    if rules.clamp_user_scores:
        note += f"，已改用{rule_text}"
        score = result.score
    else:
        score = user_score
    return dataclasses.replace(result, score=score, explanation=explanation, notes=(*result.notes, note))


def score_indicator(
    target: IndicatorValue,
    actual: IndicatorValue | None,
    weight: Decimal,
    rules: ScoringRules = DEFAULT_RULES,
    user_score: Decimal | None = None,
    *,
    name: str = "",
    levels: Sequence[str] = (),
) -> Score:
    """Score one indicator row (DOMAIN.md §4, docs/values.md).

    Positive (≥, >): a ≥ t → w, else w × a/t. Negative (≤, <): per
    ``rules.negative_rule``. Equal (=): like positive. Range (80%-90%): inside → w, below as
    positive, above as negative. A target without a comparator is read as
    :func:`generator.model.values.direction_of` says for its ``name`` (三级指标) and ``levels``
    (一级, 二级): "≤" for rates like 调整率 and for 成本指标, else "≥" -- noted, and
    ``Score.compared.assumed`` is True. Deadline: on time → w, late → 0 (the user may give 0..w).
    Qualitative: the actual's band (达成 / 部分达成 / 未达成) gives the allowed range and a default.
    A completion word ("完成", "是") where a figure or date belongs scores the bottom of its band
    (:func:`word_for_figure`). Units are reconciled (亿元 vs 万元, 百分比 = %, 个 vs any count);
    numbers in incompatible units, a blank actual, or a text target give 无法评分. A
    ``user_score`` replaces the rule's score; outside the allowed range a note says so.
    """
    direction = direction_of(target, name, levels)
    result = _rule_score(target, actual, weight, rules, user_score, direction)
    if user_score is None:
        return result
    return apply_user_score(result, user_score, rules)


# ---------------------------------------------------------------------------
# Totals
# ---------------------------------------------------------------------------


def summarize(scores: Iterable[Score]) -> Decimal:
    """Total of the (unrounded) scores."""
    return sum((s.score for s in scores), ZERO)


def grade(total: Decimal) -> tuple[str, str]:
    """Grade a total score: ≥90 优(优秀), ≥80 良(良好), ≥60 中, else 差.

    The displayed (2-decimal) total is graded, so the grade always agrees with the
    number printed next to it (89.995 shows as 90.00 and grades 优).
    """
    shown = round_score(total)
    if shown >= 90:
        return "优", "优秀"
    if shown >= 80:
        return "良", "良好"
    if shown >= 60:
        return "中", "中"
    return "差", "差"


def check_level_weights(
    level_totals: Mapping[str, Decimal], rules: ScoringRules = DEFAULT_RULES
) -> tuple[str, ...]:
    """Chinese warnings for 一级指标 weight sums that differ from the defaults.

    ``level_totals`` maps a level name ("产出指标", …, and "预算执行率") to the sum of its
    rows' 分值. Differences are allowed (some units use 产出 60) but worth a warning.
    """
    warnings = []
    for level, expected in rules.default_weights.items():
        actual = level_totals.get(level)
        if actual is not None and actual != expected:
            warnings.append(f"“{level}”分值合计为 {_fmt(actual)}，与通常的 {_fmt(expected)} 分不同，请确认")
    total = sum(level_totals.values(), ZERO)
    if level_totals and total != HUNDRED:
        warnings.append(f"各项分值合计为 {_fmt(total)}，不是 100 分，请核对")
    return tuple(warnings)
