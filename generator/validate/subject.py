"""What every validation rule looks at: one ``Subject``, one signature.

A rule is a function ``(Subject) -> Iterable[Finding]``. The subject holds the workbook as read
and normalised (``read.normalise``), the indicator tree it is checked against, the evaluation of
a self-evaluation (scored once, before validation: the findings and the documents come from the
same scores), and the text cells the reader met (for proof-reading). Rules never change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from generator.model import BudgetWorkbook, Indicator, SelfEvalWorkbook
from generator.model.indicator_tree import IndicatorTree
from generator.model.schema import WorkbookKind

if TYPE_CHECKING:  # compute imports nothing from validate; the evaluation is only passed through
    from generator.compute.selfeval import Evaluation

@dataclass(frozen=True)
class TextCell:
    """A text cell as the reader met it, for the rules that read every text (proof-reading)."""

    sheet: str
    cell: str
    header: str
    text: str


W = TypeVar("W", BudgetWorkbook, SelfEvalWorkbook, BudgetWorkbook | SelfEvalWorkbook)


@dataclass(frozen=True)
class Subject(Generic[W]):
    workbook: W
    tree: IndicatorTree
    evaluation: Evaluation | None = None
    texts: tuple[TextCell, ...] = ()

    @property
    def kind(self) -> WorkbookKind:
        return WorkbookKind.BUDGET if isinstance(self.workbook, BudgetWorkbook) else WorkbookKind.SELF_EVAL

    @property
    def scored(self) -> Evaluation:
        """The evaluation of a self-evaluation (``validate`` scores one that was not passed in)."""
        assert self.evaluation is not None, "a self-evaluation is scored before its rules run"
        return self.evaluation

    @property
    def indicators(self) -> list[Indicator]:
        """Every indicator that belongs somewhere: the projects' (and the department's)."""
        wb = self.workbook
        own = [i for p in wb.projects for i in p.indicators]
        return own + wb.dept_indicators if isinstance(wb, SelfEvalWorkbook) else own

    @property
    def orphans(self) -> list[Indicator]:
        """Indicators whose 项目 is not on the 项目 sheet."""
        return list(self.workbook.orphan_indicators)
