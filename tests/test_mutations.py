"""Named mutations: four mistakes that once passed every test, each now caught.

Each test plants one deliberate mistake (in a template or in the code, as a careless edit would)
and checks that the outputs no longer match their golden snapshots -- the mistake would fail
``tests/test_golden.py`` -- and, where the documents can check themselves, that an invariant
catches it too. If a mutation stops being caught, the pinning of the outputs has a hole.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from generator.app.pipeline import OK, build_one
from generator.compute import selfeval, selfeval_report
from generator.resources import examples_dir, templates_dir
from tests.golden.snapshot import snapshot

GOLDEN = Path(__file__).resolve().parent / "golden"
BUDGET = "2021-高新区科技局-部门预算.xlsx"
SEED_002 = "2024-科学技术局-绩效自评.xlsx"
SEED_000 = "2020-科技局-绩效自评.xlsx"


def _changed(workbook: str, out: Path, templates: Path | None = None) -> dict[str, str]:
    """The generated files of ``workbook`` whose snapshot differs from the golden one."""
    outcome = build_one(examples_dir() / workbook, out, templates or templates_dir())
    assert outcome.status == OK, outcome.message
    golden = GOLDEN / Path(workbook).stem
    return {f.name: snapshot(f) for f in outcome.files
            if snapshot(f) != (golden / f"{f.name}.txt").read_text(encoding="utf-8")}


_ITEMS = {"total": "预算安排", "overseas": "因公出国（境）费支出", "vehicle": "购置及运行费支出预算",
          "reception": "公务接待费"}


def _three_public_sentence(text: str) -> dict[str, Decimal]:
    """The amounts the 三公 sentence states, by item."""
    sentence = next(line for line in text.splitlines() if "“三公”经费预算安排" in line)
    return {key: Decimal(re.search(words + r"(\d+(?:\.\d+)?)万元", sentence).group(1))  # type: ignore[union-attr]
            for key, words in _ITEMS.items()}


def _three_public_of_the_workbook() -> dict[str, Decimal | None]:
    from generator.compute.disclosure import compute_disclosure
    from generator.model import BudgetWorkbook
    from generator.read.reader import read_workbook

    model = read_workbook(examples_dir() / BUDGET).model
    assert isinstance(model, BudgetWorkbook)
    tp = compute_disclosure(model).three_public
    return {key: getattr(tp, key).current for key in _ITEMS}


def test_overseas_and_reception_swapped_in_the_three_public_sentence(tmp_path: Path) -> None:
    mine = tmp_path / "模板"
    shutil.copytree(templates_dir(), mine)
    doc = Document(str(mine / "部门预算信息公开说明.docx"))
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if "three_public.overseas.current" in run.text:
                run.text = (run.text.replace("three_public.overseas.current", "@@")
                            .replace("three_public.reception.current", "three_public.overseas.current")
                            .replace("@@", "three_public.reception.current"))
    doc.save(str(mine / "部门预算信息公开说明.docx"))
    changed = _changed(BUDGET, tmp_path / "out", mine)
    assert "2021年部门预算信息公开情况说明.docx" in changed
    stated = _three_public_sentence(changed["2021年部门预算信息公开情况说明.docx"])
    assert stated != _three_public_of_the_workbook()  # 出国 stated as 2: not what the workbook says


def test_the_three_public_sentence_states_each_items_own_amount_and_they_add_up(tmp_path: Path) -> None:
    """The invariant the mutation above breaks, on the document as built."""
    outcome = build_one(examples_dir() / BUDGET, tmp_path, templates_dir())
    docx = next(f for f in outcome.files if f.suffix == ".docx")
    stated = _three_public_sentence(snapshot(docx))
    assert stated == _three_public_of_the_workbook()
    assert stated["overseas"] + stated["vehicle"] + stated["reception"] == stated["total"]


def _patched(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, wrap: Callable[[Any], Any]) -> None:
    monkeypatch.setattr(owner, name, wrap(getattr(owner, name)))


def test_every_indicator_judged_achieved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(selfeval.IndicatorResult, "met", property(lambda self: True))
    changed = _changed(SEED_000, tmp_path)
    assert any(name.endswith(".docx") for name in changed)  # the narrative claims every target met


def test_the_execution_rate_comment_written_one_row_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from xlsxwriter.worksheet import Worksheet

    def shifted(write_comment: Callable[..., Any]) -> Callable[..., Any]:
        def write(self: Worksheet, row: int, col: int, text: str, options: Any = None) -> Any:
            off = 1 if text.startswith("预算执行率") else 0
            return write_comment(self, row + off, col, text, options)
        return write

    _patched(monkeypatch, Worksheet, "write_comment", shifted)
    changed = _changed(SEED_002, tmp_path)
    assert any(name.endswith(".xlsx") for name in changed)


def test_the_departments_score_parts_swapped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def swapped(form_of: Callable[..., selfeval_report.Form]) -> Callable[..., selfeval_report.Form]:
        def form(*args: Any, **kwargs: Any) -> selfeval_report.Form:
            f = form_of(*args, **kwargs)
            if f.is_project:
                return f
            execution = dataclasses.replace(f.execution, score=f.indicator_score)
            return dataclasses.replace(f, execution=execution, indicator_score=f.execution.score)
        return form

    _patched(monkeypatch, selfeval_report, "_form", swapped)
    changed = _changed(SEED_002, tmp_path)
    assert "2024年度整体支出绩效自评报告.docx" in changed
