"""Self-evaluation scoring engine (项目支出/部门整体支出绩效自评, DOMAIN.md §4).

Notation used in the explanations: w = 分值 (weight), t = 年度指标值 (target),
a = 实际完成值 (actual). Scores are kept unrounded; :func:`round_score` is the single
place where a score is rounded (2 decimals, half up) for display.

Every score explains itself as facts, not sentences: ``Score.explanation`` and ``Score.notes`` are
:class:`Explanation` values (a wording key and the figures it states). The sentences are in the
``[score]`` section of ``templates/自评表.toml``, so a user who edits the templates folder rewords
them; ``generator.render.score_wording`` words an explanation (with the shipped templates, or a
user's). The engine's own vocabulary -- status words, qualitative bands and their synonyms -- is
data in ``scoring.toml`` beside this module.

The engine never raises on odd input: what it cannot score comes back with status
``Status.UNSCORABLE`` (无法评分) and a note saying why, so the user can fix the workbook or give a
score. How values are written and read -- comparators, units, directions left unwritten, a word
where a figure belongs -- is docs/values.md, whose tables tests/test_value_grammar.py checks.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import Enum, StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Any

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
    plain_number,
)

__all__ = [
    "ACHIEVED_BAND",
    "Comparison",
    "DEFAULT_QUALITATIVE_BANDS",
    "DEFAULT_RULES",
    "DEFAULT_WEIGHTS",
    "Explanation",
    "Figure",
    "Fixed",
    "NOT_ACHIEVED_BAND",
    "ON_TIME_WORDS",
    "OUTCOME_UNSET",
    "PARTIAL_BAND",
    "NegativeRule",
    "Percent",
    "QualitativeBand",
    "Score",
    "ScoringRules",
    "Status",
    "apply_user_score",
    "grade",
    "round_score",
    "rules_for_tree",
    "score_execution",
    "score_indicator",
    "summarize",
    "word_for_figure",
]


def _vocabulary() -> dict[str, Any]:
    """``scoring.toml``: the status words, the qualitative bands, the on-time and yes/no words."""
    text = resources.files("generator.compute").joinpath("scoring.toml").read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal)


_VOCABULARY = _vocabulary()
_STATUS_WORDS: Mapping[str, str] = _VOCABULARY["status"]

# The status of a score, one word each (scoring.toml [status]); a str, so it prints and compares
# as the word the documents use.
Status = StrEnum(
    "Status",
    [
        ("EXCEEDED", _STATUS_WORDS["exceeded"]),
        ("COMPLETE", _STATUS_WORDS["complete"]),
        ("BASIC", _STATUS_WORDS["basic"]),
        ("PARTIAL", _STATUS_WORDS["partial"]),
        ("INCOMPLETE", _STATUS_WORDS["incomplete"]),
        ("UNSCORABLE", _STATUS_WORDS["unscorable"]),
    ],
    module=__name__,
)
# The completion of a form without indicators (no indicator's status, see compute.selfeval.Wording).
OUTCOME_UNSET: str = _VOCABULARY["outcome"]["unset"]

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


# ---------------------------------------------------------------------------
# Explanations: facts a wording file turns into sentences
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One sentence of a score's explanation or notes, as facts.

    ``key`` names its wording under ``[score]`` in ``templates/自评表.toml`` ("execution.scored");
    ``facts`` are what it states, as (name, value) pairs: numbers as :class:`Figure` /
    :class:`Fixed` / :class:`Percent` (which print the way explanations write them), texts as
    typed, flags, and other explanations (a clause worded by its own key). Frozen and hashable,
    like the :class:`Score` that holds it.
    """

    key: str
    """措辞的名称：templates/自评表.toml [score] 中的一句（如 execution.scored）"""
    facts: tuple[tuple[str, object], ...] = ()
    """该句用到的数据：（名称, 值）各项，值为数字、文字、是否，或另一句的措辞"""

    def fact(self, name: str) -> object:
        """The fact called ``name`` (KeyError when this sentence states no such fact)."""
        return dict(self.facts)[name]


def _say(key: str, **facts: object) -> Explanation:
    return Explanation(key, tuple(facts.items()))


@dataclass(frozen=True)
class Figure:
    """A number as typed in an explanation: at most 4 decimals, with its unit ("200 天", "95%").

    ``value`` is exact; ``number`` is the same figure without its unit.
    """

    value: Decimal
    unit: str = ""

    @property
    def number(self) -> Figure:
        return Figure(self.value)

    def __str__(self) -> str:
        return _qty(self.value, self.unit)


@dataclass(frozen=True)
class Fixed:
    """A score in an explanation: always 2 decimals ("8.89", "10.00")."""

    value: Decimal

    def __str__(self) -> str:
        return _fmt2(self.value)


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage with 2 decimals (0.98722 → "98.72%")."""

    value: Decimal

    def __str__(self) -> str:
        return f"{_fmt2(self.value * HUNDRED)}%"


# ---------------------------------------------------------------------------
# Qualitative bands
# ---------------------------------------------------------------------------


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


def _band(entry: Mapping[str, Any]) -> QualitativeBand:
    return QualitativeBand(
        name=entry["name"],
        low=Decimal(entry["low"]),
        high=Decimal(entry["high"]),
        high_inclusive=bool(entry["high_inclusive"]),
        default=Decimal(entry["default"]),
        status=Status(_STATUS_WORDS[entry["status"]]),
        synonyms=tuple(entry["synonyms"]),
    )


_BANDS: Mapping[str, Mapping[str, Any]] = _VOCABULARY["band"]
ACHIEVED_BAND = _band(_BANDS["achieved"])
PARTIAL_BAND = _band(_BANDS["partial"])
NOT_ACHIEVED_BAND = _band(_BANDS["not_achieved"])
DEFAULT_QUALITATIVE_BANDS: tuple[QualitativeBand, ...] = (
    ACHIEVED_BAND,
    PARTIAL_BAND,
    NOT_ACHIEVED_BAND,
)
# Defaults (documented in scoring.toml): 达成 gets the band's top, the two lower bands their midpoint.
ACHIEVED_DEFAULT = ACHIEVED_BAND.default
PARTIAL_DEFAULT = PARTIAL_BAND.default
NOT_ACHIEVED_DEFAULT = NOT_ACHIEVED_BAND.default

# 预算执行率 10, 产出 50, 效益 30, 满意度 10: the default indicator tree's weights.
DEFAULT_WEIGHTS: Mapping[str, Decimal] = MappingProxyType(DEFAULT_TREE.scoring_weights())

# Yes/no answers: a target "否" (e.g. 是否发生安全事故) is met by the actual "否".
_YES_NO = frozenset(_VOCABULARY["words"]["yes_no"])


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

    ``explanation`` is the formula and its inputs, ``notes`` what the user should check (over
    achievement, a unit conversion, why it could not be scored), both as :class:`Explanation`
    facts; ``generator.render.score_wording.explain`` / ``notes_of`` word them.
    ``compared`` is set for numeric comparisons (what was compared with what, in which unit);
    ``None`` for deadlines, qualitative bands and rows that could not be scored.
    """

    score: Decimal  # unrounded; use round_score() to display
    weight: Decimal
    status: Status
    explanation: Explanation
    allowed_min: Decimal
    allowed_max: Decimal
    needs_reason: bool
    notes: tuple[Explanation, ...] = ()
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


def _status_from_fraction(fraction: Decimal) -> Status:
    if fraction >= ONE:
        return Status.COMPLETE
    if fraction >= BASIC_COMPLETION:
        return Status.BASIC
    if fraction >= PARTIAL_COMPLETION:
        return Status.PARTIAL
    return Status.INCOMPLETE


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


def _fixed(
    score: Decimal,
    weight: Decimal,
    status: Status,
    explanation: Explanation,
    needs_reason: bool,
    notes: tuple[Explanation, ...] = (),
) -> Score:
    """A score fully determined by the rules (allowed range is the single value)."""
    return Score(score, weight, status, explanation, score, score, needs_reason, notes)


def _unscorable(weight: Decimal, reason: Explanation, notes: tuple[Explanation, ...] = ()) -> Score:
    """Status 无法评分: score 0, the user may give any score in [0, w]."""
    upper = max(weight, ZERO)
    explanation = _say("unscorable", reason=reason, max=Figure(upper))
    return Score(ZERO, weight, Status.UNSCORABLE, explanation, ZERO, upper, False, (reason, *notes))


# ---------------------------------------------------------------------------
# 预算执行率
# ---------------------------------------------------------------------------


def score_execution(
    budget: Decimal | None, executed: Decimal | None, weight: Decimal = Decimal(10)
) -> tuple[Decimal | None, Score]:
    """Score the budget execution rate; return ``(rate, score)``.

    rate = executed / budget (unrounded, may exceed 1: the real rate is returned and a
    note warns); score = weight × rate, capped at weight. A zero or negative budget, or a
    blank amount (``None``), gives ``(None, 无法评分)``.
    """
    if budget is None or executed is None:
        return None, _unscorable(weight, _say("cannot.blank_amounts"))
    if budget <= 0:
        return None, _unscorable(weight, _say("cannot.no_budget", budget=Figure(budget)))
    rate = executed / budget
    formula = _say("execution.formula", executed=Figure(executed), budget=Figure(budget), rate=Percent(rate))
    if rate > ONE:
        note = _say("execution.over_note", rate=Percent(rate), weight=Figure(weight))
        explanation = _say("execution.over", formula=formula, score=Fixed(weight))
        return rate, _fixed(weight, weight, Status.COMPLETE, explanation, True, (note,))
    if rate < 0:
        note = _say("execution.negative_note", executed=Figure(executed))
        return rate, _fixed(ZERO, weight, Status.INCOMPLETE, _say("execution.negative", formula=formula), True,
                            (note,))
    score = weight * rate
    explanation = _say("execution.scored", formula=formula, weight=Figure(weight), rate=Percent(rate),
                       score=Fixed(score))
    status = _status_from_fraction(rate)
    return rate, _fixed(score, weight, status, explanation, rate < ONE)


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------

# Words that say a deadline was met: against a deadline target they are a full answer, unlike
# "完成" or "是", which say nothing about when.
ON_TIME_WORDS = frozenset(_VOCABULARY["words"]["on_time"])


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


def _score_band(band: QualitativeBand, actual: IndicatorValue, weight: Decimal,
                note: Explanation | None) -> Score:
    w, low, high = _band_range(band, weight)
    # Clamped: with a tiny weight the "limit − 0.01" top can fall below the default.
    score = _clamp(w * band.default, low, high)
    explanation = _say(
        "band.scored", actual=actual.raw, band=band.name, low=Figure(band.low * HUNDRED),
        high=Figure(band.high * HUNDRED), inclusive=band.high_inclusive, weight=Figure(w),
        default=Figure(band.default * HUNDRED), score=Fixed(score), min=Fixed(low), max=Fixed(high),
    )  # fmt: skip
    notes = (note,) if note else ()
    return Score(score, weight, band.status, explanation, low, high, _band_needs_reason(band), notes)


def _score_word_for_figure(
    band: QualitativeBand, target: IndicatorValue, actual: IndicatorValue, weight: Decimal
) -> Score:
    """A completion word instead of the figure: the bottom of the word's band (never full marks)."""
    w, low, high = _band_range(band, weight)
    what = _say("what.date" if target.kind == "deadline" else "what.number")
    explanation = _say(
        "band.word_for_figure", what=what, target=target.raw, actual=actual.raw, band=band.name,
        weight=Figure(w), low=Figure(band.low * HUNDRED), score=Fixed(low), min=Fixed(low), max=Fixed(high),
    )  # fmt: skip
    note = _say("band.word_for_figure_note", actual=actual.raw, what=what, target=target.raw)
    return Score(low, weight, band.status, explanation, low, high, _band_needs_reason(band), (note,))


def _reconcile_units(
    target: IndicatorValue, actual: IndicatorValue
) -> tuple[Decimal, Decimal, str, tuple[Explanation, ...]] | Explanation:
    """Bring target and actual to the target's unit: ``(t, a, unit, notes)`` or a reason."""
    assert target.number is not None
    reading = actual_in_target_unit(actual, target)
    assert reading is not None
    t, a = target.number, reading.number
    t_unit, a_unit = target.unit, reading.unit
    notes: tuple[Explanation, ...] = ()
    if reading.note:  # a bare fraction read as a percentage (model.values.actual_in_target_unit)
        assert actual.number is not None
        notes = (_say("unit.percent_read", number=plain_number(actual.number), percent=plain_number(a)),)
    if a_unit == t_unit:
        return t, a, t_unit, notes
    if not t_unit:
        return t, a, a_unit, (_say("unit.target_missing", unit=a_unit),)
    t_family, t_factor = unit_factor(t_unit)
    a_family, a_factor = unit_factor(a_unit)
    if not comparable(t_family, a_family):
        return _say("cannot.units_differ", target_unit=t_unit, actual_unit=a_unit)
    converted = a * a_factor / t_factor
    if t_family != a_family:  # 个 against another count unit
        note = _say("unit.generic_count", word=GENERIC_COUNT, actual=Figure(a, a_unit),
                    converted=Figure(converted, t_unit))
    else:
        note = _say("unit.converted", actual=Figure(a, a_unit), converted=Figure(converted, t_unit))
    return t, converted, t_unit, (note,)


def _over_achievement(t: Decimal, a: Decimal, unit: str,
                      rules: ScoringRules) -> tuple[bool, tuple[Explanation, ...]]:
    """(needs_reason, notes) for an actual above a positive target."""
    if t <= 0 or a <= t:
        return False, ()
    excess = (a - t) / t
    if excess <= rules.over_achievement_threshold:
        return False, ()
    note = _say("quantity.over_achievement", actual=Figure(a, unit), target=Figure(t, unit),
                excess=Percent(excess), threshold=Figure(rules.over_achievement_threshold * HUNDRED))
    return True, (note,)


def _strict_equal_note(comparator: str, t: Decimal, a: Decimal, unit: str) -> tuple[Explanation, ...]:
    if comparator in (">", "<") and a == t:
        return (_say("quantity.strict_equal", comparator=comparator, target=Figure(t, unit)),)
    return ()


def _score_positive(
    kind: Explanation, comparator: str, t: Decimal, a: Decimal, unit: str, w: Decimal,
    rules: ScoringRules,
) -> Score:  # fmt: skip
    """≥ / > / =: a ≥ t → w, else w × a/t."""
    notes = _strict_equal_note(comparator, t, a, unit)
    actual, target = Figure(a, unit), Figure(t, unit)
    if a >= t:
        needs_reason, over_notes = _over_achievement(t, a, unit, rules)
        status = Status.EXCEEDED if a > t else Status.COMPLETE
        explanation = _say("quantity.met", kind=kind, actual=actual, relation=">" if a > t else "=",
                           target=target, score=Fixed(w))
        return _fixed(w, w, status, explanation, needs_reason, notes + over_notes)
    if t <= 0:
        explanation = _say("quantity.below_zero_target", kind=kind, actual=actual, target=target)
        return _fixed(ZERO, w, Status.INCOMPLETE, explanation, True, notes)
    fraction = _clamp(a / t, ZERO, ONE)
    score = w * fraction
    explanation = _say("quantity.below", kind=kind, actual=actual, target=target, weight=Figure(w),
                       score=Fixed(score), negative=a < 0)
    return _fixed(score, w, _status_from_fraction(fraction), explanation, True, notes)


def _score_negative(
    comparator: str, t: Decimal, a: Decimal, unit: str, w: Decimal, rules: ScoringRules,
    kind: Explanation,
) -> Score:  # fmt: skip
    """≤ / <: a ≤ t → w; above the target per ``rules.negative_rule``."""
    notes = _strict_equal_note(comparator, t, a, unit)
    facts: dict[str, object] = {"kind": kind, "actual": Figure(a, unit), "target": Figure(t, unit)}
    if a <= t:
        explanation = _say("quantity.met", relation="<" if a < t else "=", score=Fixed(w), **facts)
        return _fixed(w, w, Status.COMPLETE, explanation, False, notes)
    if t <= 0:
        return _fixed(ZERO, w, Status.INCOMPLETE, _say("quantity.above_zero_target", **facts), True, notes)
    if rules.negative_rule is NegativeRule.RATIO:
        fraction, key = t / a, "quantity.above_ratio"
    elif a >= 2 * t:
        explanation = _say("quantity.above_double", double=Figure(2 * t, unit), **facts)
        return _fixed(ZERO, w, Status.INCOMPLETE, explanation, True, notes)
    else:
        fraction, key = ONE - (a - t) / t, "quantity.above"
    fraction = _clamp(fraction, ZERO, ONE)
    score = w * fraction
    explanation = _say(key, weight=Figure(w), score=Fixed(score), **facts)
    return _fixed(score, w, _status_from_fraction(fraction), explanation, True, notes)


def _score_range(
    t: Decimal, upper: Decimal, a: Decimal, unit: str, w: Decimal, rules: ScoringRules, kind: Explanation
) -> Score:
    """A range "80%-90%": inside → w; below the low end as positive, above the high end as negative."""
    if t <= a <= upper:
        explanation = _say("quantity.range_met", kind=kind, actual=Figure(a, unit), target=Figure(t, unit),
                           upper=Figure(upper, unit), score=Fixed(w))
        return _fixed(w, w, Status.COMPLETE, explanation, False)
    if a < t:
        return _score_positive(kind, ">=", t, a, unit, w, rules)
    return _score_negative("<=", upper, a, unit, w, rules, kind)


def _kind(direction: Direction) -> Explanation:
    comparator = direction.comparator
    if comparator == "between":
        key = "kind.range"
    elif comparator in ("<=", "<"):
        key = "kind.negative"
    else:
        key = "kind.equal" if comparator == "=" else "kind.positive"
    assumed = None
    if direction.assumed:
        assumed = _say("kind.assumed", sign=COMPARATOR_SIGNS[comparator], reason=direction.reason)
    return _say(key, assumed=assumed)


def _score_quantity(
    target: IndicatorValue, actual: IndicatorValue, w: Decimal, rules: ScoringRules, direction: Direction
) -> Score:
    reconciled = _reconcile_units(target, actual)
    if isinstance(reconciled, Explanation):
        return _unscorable(w, reconciled)
    t, a, unit, unit_notes = reconciled
    comparator, kind = direction.comparator, _kind(direction)
    if comparator == "between" and target.upper is not None:
        result = _score_range(t, target.upper, a, unit, w, rules, kind)
    elif comparator in ("<=", "<"):
        result = _score_negative(comparator, t, a, unit, w, rules, kind)
    else:
        result = _score_positive(kind, comparator, t, a, unit, w, rules)
    notes = unit_notes
    if direction.assumed:
        notes += (_say("quantity.direction_assumed", target=target.raw, sign=COMPARATOR_SIGNS[comparator],
                       number=Figure(t), unit=unit, reason=direction.reason),)
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
    notes: tuple[Explanation, ...] = ()
    if done.quarter is not None and due.month is not None:
        notes = (_say("deadline.quarter"),)
    due_key = (due.year or 0, due.last_month())
    done_key = (done.year or 0, done.last_month())
    if due.year is None or done.year is None:  # without both years only months compare
        due_key, done_key = (0, due_key[1]), (0, done_key[1])
    facts: dict[str, object] = {"done": done.raw, "due": due.raw, "month": due.last_month()}
    if done_key <= due_key:
        return _fixed(w, w, Status.COMPLETE, _say("deadline.met", score=Fixed(w), **facts), False, notes)
    explanation = _say("deadline.late", weight=Figure(w), **facts)
    status = Status.PARTIAL if user_score is not None and user_score > 0 else Status.INCOMPLETE
    return Score(ZERO, w, status, explanation, ZERO, w, True, notes)


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
        return _unscorable(weight, _say("cannot.negative_weight", weight=Figure(weight)))
    if actual is None or not _compact(actual.raw):
        return _unscorable(weight, _say("cannot.blank_actual"))
    figure_band = word_for_figure(target, actual, rules)
    if figure_band is not None:
        return _score_word_for_figure(figure_band, target, actual, weight)
    band = _match_qualitative(target, actual, rules)
    if band is not None and not (target.kind == "quantitative" and actual.kind == "quantitative"):
        note = None
        if target.kind != "qualitative":
            note = _say("band.target_not_qualitative", target=target.raw)
        return _score_band(band, actual, weight, note)
    if target.kind == "quantitative" and target.number is not None and direction is not None:
        if actual.kind == "quantitative" and actual.number is not None:
            return _score_quantity(target, actual, weight, rules, direction)
        return _unscorable(weight, _say("cannot.not_a_number", target=target.raw, actual=actual.raw,
                                        number=Figure(target.number), unit=target.unit))
    if target.kind == "deadline" and target.deadline is not None:
        if actual.kind == "deadline" and actual.deadline is not None:
            return _score_deadline(target, actual, weight, user_score)
        return _unscorable(weight, _say("cannot.not_a_date", target=target.raw, actual=actual.raw))
    bands = tuple(band.name for band in rules.qualitative_bands)
    if target.kind == "qualitative" and actual.kind in ("quantitative", "deadline"):
        what = _say("what.number" if actual.kind == "quantitative" else "what.time")
        return _unscorable(weight, _say("cannot.figure_for_qualitative", target=target.raw, actual=actual.raw,
                                        what=what, bands=bands))
    if target.kind == "qualitative":
        return _unscorable(weight, _say("cannot.unknown_word", actual=actual.raw, bands=bands))
    return _unscorable(weight, _say("cannot.text_target", target=target.raw))


def apply_user_score(result: Score, user_score: Decimal, rules: ScoringRules) -> Score:
    """Keep the user's score (or the rule's, if clamping), flagging it when out of range."""
    typed, rule_score = Fixed(user_score), Fixed(result.score)
    explanation = _say("user.scored", rule=result.explanation, typed=typed, rule_score=rule_score)
    if result.is_allowed(user_score):
        return dataclasses.replace(result, score=user_score, explanation=explanation)
    note = _say("user.out_of_range", typed=typed, min=Fixed(result.allowed_min), max=Fixed(result.allowed_max),
                replaced=rules.clamp_user_scores, rule_score=rule_score)
    score = result.score if rules.clamp_user_scores else user_score
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
