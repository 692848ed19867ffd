"""Blank is not zero: clearing any one filled cell of an example never makes a document state
something the workbook no longer says.

For each cell of a seeded random sample (at least 300 amount/number cells and 300 text cells
across the examples in ``inputs/``) the cell is cleared in memory and the workbook checked again.
Either a finding points at that very cell, or the build is refused (a 错误 elsewhere), or the
documents built from it contain no number that the original documents did not contain -- digits
may only disappear. ``pytest --all-cells tests/test_blank_cells.py`` tries every cell instead.
"""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from generator.app.pipeline import Checked, Outcome, render, score_and_validate
from generator.model.schema import INSTRUCTIONS_SHEET, LISTS_SHEET, SHEETS, FormSheet
from generator.read.reader import read_grids
from generator.read.workbook_io import Grid, cell_ref, open_workbook
from generator.resources import examples_dir, templates_dir

SEED = 20261201
SAMPLE_NUMBERS = 300
SAMPLE_TEXTS = 300
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Target:
    workbook: Path
    sheet: str
    row: int
    col: int
    numeric: bool

    @property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)

    def __str__(self) -> str:
        return f"{self.workbook.name}!{self.sheet}!{self.ref}"


def _numbers(text: str) -> set[str]:
    found = set()
    for m in _NUMBER.finditer(text):
        try:
            found.add(format(Decimal(m.group()).normalize(), "f"))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
    return found


def _document_numbers(files: list[Path]) -> set[str]:
    found: set[str] = set()
    for f in files:
        if f.suffix == ".docx":
            body = Document(str(f)).element.body
            for p in body.iter(qn("w:p")):  # each paragraph (and table cell) on its own
                found |= _numbers("".join(t.text or "" for t in p.iter(qn("w:t"))))
        elif f.suffix == ".xlsx":
            book = openpyxl.load_workbook(f, read_only=True)
            for ws in book.worksheets:
                for row in ws.iter_rows(values_only=True):
                    for v in row:
                        if v is not None:
                            found |= _numbers(str(v))
    return found


def _is_number(value: object) -> bool:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(re.fullmatch(r"\s*[-+]?\d+(?:\.\d+)?\s*%?\s*", value))


def _cells(workbook: Path, grids: dict[str, Grid]) -> Iterator[Target]:
    """Every filled data cell of the workbook's sheets (not headers, labels or the instructions)."""
    names = {s.name: s for kind_sheets in SHEETS.values() for s in kind_sheets}
    for sheet, grid in grids.items():
        spec = names.get(sheet)
        if spec is None or sheet in (INSTRUCTIONS_SHEET, LISTS_SHEET):
            continue
        form = isinstance(spec, FormSheet)
        for r in range(2, grid.max_row + 1):
            for c in range(1, len(grid.rows[r - 1]) + 1):
                if form and c != 2:
                    continue  # a form's labels and help texts are not the user's content
                value = grid.value(r, c)
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if getattr(spec, "fixed_rows", ()) and c == 1:
                    continue  # the fixed row labels the template writes
                yield Target(workbook, sheet, r, c, _is_number(value))


class _Example:
    """One example workbook opened once, with the numbers of its original documents."""

    def __init__(self, path: Path, out: Path) -> None:
        self.path = path
        self.grids = open_workbook(path)
        files = self.build(out / "original")
        assert files, f"{path.name} must build"
        self.numbers = _document_numbers(files)

    def build(self, out: Path) -> list[Path] | None:
        """Check and build from the grids as they are now; None when a 错误 refuses the build."""
        result = read_grids(self.grids, self.path)
        found, evaluation = score_and_validate(result)
        self.findings = found
        if any(f.is_error for f in found):
            return None
        out.mkdir(parents=True, exist_ok=True)
        return render(Checked(Outcome(self.path, "已校验"), result, evaluation), out, templates_dir())


def _sample(targets: list[Target], all_cells: bool) -> list[Target]:
    if all_cells:
        return targets
    rng = random.Random(SEED)
    numbers = [t for t in targets if t.numeric]
    texts = [t for t in targets if not t.numeric]
    return rng.sample(numbers, min(SAMPLE_NUMBERS, len(numbers))) + rng.sample(texts, min(SAMPLE_TEXTS, len(texts)))


def test_clearing_any_filled_cell_is_reported_there_or_publishes_no_new_number(
        request: pytest.FixtureRequest) -> None:
    all_cells = bool(request.config.getoption("--all-cells"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        examples = {p: _Example(p, out) for p in sorted(examples_dir().glob("*.xlsx"))}
        targets = [t for ex in examples.values() for t in _cells(ex.path, ex.grids)]
        chosen = _sample(targets, all_cells)
        assert all_cells or (sum(t.numeric for t in chosen) >= SAMPLE_NUMBERS
                             and sum(not t.numeric for t in chosen) >= SAMPLE_TEXTS)
        problems: list[str] = []
        outcomes = {"at the cell": 0, "build refused": 0, "no new number": 0}
        for n, target in enumerate(chosen):
            ex = examples[target.workbook]
            row = ex.grids[target.sheet].rows[target.row - 1]
            kept = row[target.col - 1]
            row[target.col - 1] = None
            try:
                files = ex.build(out / f"trial-{n}")
                if any(f.sheet == target.sheet and f.cell == target.ref for f in ex.findings):
                    outcomes["at the cell"] += 1
                elif files is None:
                    outcomes["build refused"] += 1
                else:
                    gained = _document_numbers(files) - ex.numbers
                    if gained:
                        problems.append(f"{target}（原值 {kept!r}）清空后，文件多出了数字 {sorted(gained)[:5]}")
                    else:
                        outcomes["no new number"] += 1
            finally:
                row[target.col - 1] = kept
        print(f"{len(chosen)} cells cleared: {outcomes}")
        assert not problems, "\n".join(problems)
