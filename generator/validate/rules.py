"""Every validation rule, in one table: what it checks, for which workbook kind, which codes.

A rule is a function ``(Subject) -> Iterable[Finding]`` (``validate/subject.py``), small and
about one thing, in the module of its subject: ``budget.py`` (部门预算 content and money),
``selfeval.py`` (绩效自评 sections, funds, scoring, claims), ``indicator_rules.py`` (绩效指标 of
both kinds), ``amount_unit.py``, ``text_hygiene.py``. A rule's ``codes`` are the findings it may
emit; a test runs every rule over the bad-input corpus and holds it to them, and checks that
every code of ``findings.CODES`` is declared here or by the reader and emitted by some case.

The steps before the rules make findings too -- reading (shape, types, required cells, hidden or
altered content), normalising the indicator levels, loading a user's 科目表 -- and so does a batch
(two workbooks naming one folder): ``OTHER_STEPS`` lists their codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.model.schema import WorkbookKind
from generator.validate import budget, indicator_rules, selfeval, text_hygiene
from generator.validate.amount_unit import amount_unit
from generator.validate.findings import Finding
from generator.validate.subject import Subject

BUDGET = frozenset({WorkbookKind.BUDGET})
SELF_EVAL = frozenset({WorkbookKind.SELF_EVAL})
BOTH = BUDGET | SELF_EVAL


@dataclass(frozen=True)
class Rule:
    kinds: frozenset[WorkbookKind]
    check: Callable[[Subject[Any]], Iterable[Finding]]
    codes: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.check.__module__.rsplit('.', 1)[-1]}.{self.check.__name__}"


RULES: tuple[Rule, ...] = (
    # 部门预算: what the documents need, and whether the money adds up
    Rule(BUDGET, budget.required_content, ("section-empty", "required")),
    Rule(BUDGET, budget.previous_blank, ("previous-blank",)),
    Rule(BUDGET, budget.prefilled_terms, ("prefilled-default",)),
    Rule(BUDGET, budget.money, ("income-vs-spending", "projects-vs-spending", "functions-vs-spending",
                                "economics-vs-basic", "operating-vs-public", "operating-split")),
    Rule(BUDGET, budget.catalogue_codes, ("catalog-choice", "duplicate-code", "function-code-unknown",
                                          "function-code-name")),
    Rule(BUDGET, budget.projects, ("duplicate-project", "project-budget-sum", "stated-amount-mismatch",
                                   "missing-final-punctuation", "stated-rate-mismatch")),
    Rule(BUDGET, budget.spending_plans, ("plan-above-100", "plan-decreasing", "plan-not-complete")),
    Rule(BUDGET, budget.main_projects, ("stated-name-mismatch",)),
    Rule(BUDGET, budget.purchases, ("purchase-category", "purchase-over-budget")),
    # 绩效自评: sections, funds, what the scoring found, what the texts claim
    Rule(SELF_EVAL, selfeval.sections, ("section-empty",)),
    Rule(SELF_EVAL, selfeval.funds, ("funds-missing",)),
    Rule(SELF_EVAL, selfeval.prefilled_wording, ("prefilled-default",)),
    Rule(SELF_EVAL, selfeval.stated_rates, ("stated-rate-mismatch",)),
    Rule(SELF_EVAL, selfeval.scoring, ("missing-actual", "cannot-score", "missing-reason",
                                       "over-achievement-reason", "score-override-range",
                                       "score-override-reason", "weights-nonstandard", "weights-total",
                                       "execution-above-100", "executed-over-budget", "initial-over-annual",
                                       "project-budget-sum")),
    Rule(SELF_EVAL, selfeval.claims, ("claim-vs-result",)),
    # 绩效指标, both kinds
    Rule(BOTH, indicator_rules.unknown_projects, ("unknown-project",)),
    Rule(BOTH, indicator_rules.levels, ("number-as-name", "level1-unknown", "level2-parent", "level2-unknown")),
    Rule(BOTH, indicator_rules.values, ("placeholder", "number-as-name", "choose-one", "missing-unit",
                                        "name-punctuation", "qualitative-on-quantity", "rate-above-100",
                                        "timeliness-not-time", "value-in-name", "unit-mismatch",
                                        "direction-assumed", "actual-word-for-figure")),
    Rule(BOTH, indicator_rules.structure, ("no-indicators", "missing-level1", "duplicate-indicator")),
    Rule(BUDGET, indicator_rules.years, ("year-mismatch", "year-drag-fill")),
    Rule(BUDGET, indicator_rules.project_names, ("project-name-mismatch",)),
    Rule(BUDGET, indicator_rules.citations, ("doc-number-variant",)),
    # every text cell, and every amount
    Rule(BOTH, text_hygiene.proof_reading, text_hygiene.CODES),
    Rule(BOTH, amount_unit, ("amount-unit-suspect",)),
)


# Findings made outside the rules, by module: each code there is listed here (a test reads them).
OTHER_STEPS: dict[str, tuple[str, ...]] = {
    "generator.read.reader": (
        "missing-sheet", "missing-column", "missing-row", "unknown-row", "extra-sheet", "required",
        "bad-number", "bad-percent", "bad-int", "bad-year", "bad-choice", "bad-indicator-value",
        "bad-actual-value", "negative-amount", "excel-error", "formula-no-cache", "totals-row-ignored",
        "hidden-sheet", "hidden-row", "hidden-column", "beyond-column-limit", "control-chars", "invalid-chars",
        "format-chars", "date-as-text", "too-long-for-excel"),
    "generator.read.normalise": ("level-normalized", "level-other-preset"),
    "generator.read.catalog_file": ("catalog-file",),
    "generator.app.pipeline": ("output-collision",),
}


def rules_for(kind: WorkbookKind) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if kind in r.kinds)
